// The forced change of a temporary password (the API refuses everything else until then): current and new
// password (twice), the rules shown, the API's reasons next to the field they concern.
import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { ApiError } from '../../api/client.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { usePortalActions } from './portal.queries.ts';

export function CustomerPasswordForm(props: { userName: string }) {
  const { t } = useI18n();
  const headingId = useId();
  const { changePassword } = usePortalActions();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const error = changePassword.error instanceof ApiError ? changePassword.error : undefined;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setMismatch(next !== confirm);
    if (next === confirm) changePassword.mutate({ currentPassword: current, newPassword: next });
  };
  return (
    <section className="portal-card" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('portal.password.title')}</h2>
      <p className="muted">{t('portal.password.intro')}</p>
      {changePassword.isError && <ErrorAlert error={changePassword.error} />}
      <form onSubmit={onSubmit} noValidate>
        <input type="hidden" name="username" autoComplete="username" value={props.userName} readOnly />
        <TextField
          label={t('changePassword.current')}
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          required
          value={current}
          error={error?.fieldError('currentPassword')}
          onChange={(e) => setCurrent(e.target.value)}
        />
        <TextField
          label={t('changePassword.new')}
          name="newPassword"
          type="password"
          autoComplete="new-password"
          required
          hint={t('changePassword.rules')}
          value={next}
          error={error?.fieldError('newPassword')}
          onChange={(e) => setNext(e.target.value)}
        />
        <TextField
          label={t('changePassword.confirm')}
          name="confirmPassword"
          type="password"
          autoComplete="new-password"
          required
          value={confirm}
          error={mismatch ? t('changePassword.mismatch') : undefined}
          onChange={(e) => setConfirm(e.target.value)}
        />
        <button type="submit" className="button primary" disabled={changePassword.isPending}>
          {changePassword.isPending ? t('common.saving') : t('changePassword.submit')}
        </button>
      </form>
    </section>
  );
}
