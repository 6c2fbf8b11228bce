// /change-password: forced after signing in with a temporary password (the API refuses everything else until
// then). A voluntary change happens on My profile, so without the flag this page leads there.
import { useState } from 'react';
import { Navigate, useNavigate } from 'react-router';
import { useAuthActions, useProfile } from '../../app/auth.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { PasswordForm } from './PasswordForm.tsx';

export function ChangePasswordPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const profile = useProfile();
  const { refreshProfile, signOut } = useAuthActions();
  // Set once the change succeeded, so that the flag clearing does not redirect before navigating home.
  const [done, setDone] = useState(false);

  if (!profile.mustChangePassword && !done) return <Navigate to="/profile" replace />;

  return (
    <main id="main" className="auth-page">
      <div className="auth-card">
        <p className="brand" aria-hidden="true">
          {t('app.name')}
        </p>
        <PageHeader title={t('changePassword.title')} />
        <p className="muted">{t('changePassword.intro')}</p>
        <PasswordForm
          currentLabel={t('changePassword.current')}
          onChanged={async () => {
            setDone(true);
            await refreshProfile();
            navigate('/', { replace: true });
          }}
        >
          <button
            type="button"
            className="button secondary"
            onClick={() => void signOut().then(() => navigate('/signin', { replace: true }))}
          >
            {t('changePassword.signOutInstead')}
          </button>
        </PasswordForm>
      </div>
    </main>
  );
}
