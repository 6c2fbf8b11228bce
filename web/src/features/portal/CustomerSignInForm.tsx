// Sign-in with the customer organisation's own account (a user of its directory, e.g. the admin the partner
// created with the tenant), for the customer-facing pages. Errors (wrong password, lockout) show the API's
// message in an alert; the password field empties after a failure.
import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { usePortalActions } from './portal.queries.ts';

export function CustomerSignInForm(props: { intro: string }) {
  const { t } = useI18n();
  const headingId = useId();
  const { signIn } = usePortalActions();
  const [userName, setUserName] = useState('');
  const [password, setPassword] = useState('');
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    signIn.mutate({ userName: userName.trim(), password }, { onError: () => setPassword('') });
  };
  return (
    <section className="portal-card" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('portal.signIn.title')}</h2>
      <p className="muted">{props.intro}</p>
      {signIn.isError && <ErrorAlert error={signIn.error} />}
      <form onSubmit={onSubmit} noValidate>
        <TextField
          label={t('portal.signIn.userName')}
          name="userName"
          type="email"
          autoComplete="username"
          required
          value={userName}
          onChange={(e) => setUserName(e.target.value)}
        />
        <TextField
          label={t('portal.signIn.password')}
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <button type="submit" className="button primary" disabled={signIn.isPending}>
          {signIn.isPending ? t('portal.signIn.submitting') : t('portal.signIn.submit')}
        </button>
      </form>
    </section>
  );
}
