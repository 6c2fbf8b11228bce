// /signin: user name and password → console session. Wrong password, lockout and the like are shown with
// the API's own message in an alert; a user with a temporary password goes on to change it. A language choice
// applies at once and is remembered in this browser, until a profile language takes over after sign-in.
import { useMutation } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { useAuthActions, useProfileQuery } from '../../app/auth.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { TextField } from '../../components/TextField.tsx';
import { Loading } from '../../components/states.tsx';
import { LANGUAGES, isLanguage } from '../../i18n/catalogs.ts';
import { setChosenLanguage } from '../../i18n/chosenLanguage.ts';
import { useI18n } from '../../i18n/i18n.tsx';

/** Where to go after sign-in: the page that sent the user here, if it is one of ours. */
function nextPath(state: unknown): string {
  const from = (state as { from?: string } | null)?.from;
  return from && from.startsWith('/') && !from.startsWith('//') && from !== '/signin' ? from : '/';
}

export function LanguageChoice() {
  const { t, language } = useI18n();
  const id = useId();
  return (
    <div className="field language-choice">
      <label htmlFor={id}>{t('signin.language')}</label>
      <select
        id={id}
        value={language}
        onChange={(e) => {
          if (isLanguage(e.target.value)) setChosenLanguage(e.target.value);
        }}
      >
        {LANGUAGES.map((l) => (
          <option key={l} value={l} lang={l}>
            {t(`language.${l}`)}
          </option>
        ))}
      </select>
    </div>
  );
}

export function SignInPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const location = useLocation();
  const profile = useProfileQuery();
  const { signIn } = useAuthActions();
  const [userName, setUserName] = useState('');
  const [password, setPassword] = useState('');
  const mutation = useMutation({
    mutationFn: () => signIn(userName.trim(), password),
    onSuccess: (session) =>
      navigate(session.mustChangePassword ? '/change-password' : nextPath(location.state), { replace: true }),
    onError: () => setPassword(''),
  });

  if (profile.isPending) return <Loading />;
  // Already signed in (a bookmark of /signin, or just now): on to where the user was going.
  if (profile.data && !mutation.isPending) return <Navigate to={nextPath(location.state)} replace />;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    mutation.mutate();
  };
  return (
    <main id="main" className="auth-page">
      <div className="auth-card">
        <p className="brand" aria-hidden="true">
          {t('app.name')}
        </p>
        <PageHeader title={t('signin.title')} />
        <p className="muted">{t('signin.intro')}</p>
        {mutation.isError && <ErrorAlert error={mutation.error} />}
        <form onSubmit={onSubmit} noValidate>
          <TextField
            label={t('signin.userName')}
            name="userName"
            type="email"
            autoComplete="username"
            required
            value={userName}
            onChange={(e) => setUserName(e.target.value)}
          />
          <TextField
            label={t('signin.password')}
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
          <button type="submit" className="button primary" disabled={mutation.isPending}>
            {mutation.isPending ? t('signin.submitting') : t('signin.submit')}
          </button>
        </form>
        <LanguageChoice />
      </div>
    </main>
  );
}
