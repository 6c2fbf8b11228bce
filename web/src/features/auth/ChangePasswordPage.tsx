// /change-password: forced after signing in with a temporary password (the API refuses everything else until
// then). Shows the password rules; the API's reasons appear next to the field they concern.
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { Navigate, useNavigate } from 'react-router';
import { ApiError, api, unwrap } from '../../api/client.ts';
import { useAuthActions, useProfile } from '../../app/auth.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useI18n } from '../../i18n/i18n.tsx';

export function ChangePasswordPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const profile = useProfile();
  const { refreshProfile, signOut } = useAuthActions();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const mutation = useMutation({
    mutationFn: () =>
      unwrap(api.POST('/v1/profiles/me/password', { body: { currentPassword: current, newPassword: next } })),
    onSuccess: async () => {
      await refreshProfile();
      navigate('/', { replace: true });
    },
  });
  const error = mutation.error instanceof ApiError ? mutation.error : undefined;

  if (!profile.mustChangePassword && !mutation.isPending && !mutation.isSuccess)
    return <Navigate to="/" replace />;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setMismatch(next !== confirm);
    if (next === confirm) mutation.mutate();
  };
  return (
    <main id="main" className="auth-page">
      <div className="auth-card">
        <p className="brand" aria-hidden="true">
          {t('app.name')}
        </p>
        <PageHeader title={t('changePassword.title')} />
        <p className="muted">{t('changePassword.intro')}</p>
        {mutation.isError && <ErrorAlert error={mutation.error} />}
        <form onSubmit={onSubmit} noValidate>
          <input type="hidden" name="username" autoComplete="username" value={profile.userName} readOnly />
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
          <div className="actions">
            <button type="submit" className="button primary" disabled={mutation.isPending}>
              {mutation.isPending ? t('common.saving') : t('changePassword.submit')}
            </button>
            <button
              type="button"
              className="button secondary"
              onClick={() => void signOut().then(() => navigate('/signin', { replace: true }))}
            >
              {t('changePassword.signOutInstead')}
            </button>
          </div>
        </form>
      </div>
    </main>
  );
}
