// Route guards: signed in (else to /signin, remembering where the user was going unless they signed out on
// purpose), temporary password changed (else to /change-password), and the page's roles (else a plain "not
// allowed" page, not a redirect, so a bookmarked URL explains itself).
import type { ReactNode } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { Loading } from '../components/states.tsx';
import { NotAllowedPage } from '../features/errors/NotAllowedPage.tsx';
import type { PageId } from './access.ts';
import { canOpen } from './access.ts';
import { didSignOutOnPurpose, useProfile, useProfileQuery } from './auth.tsx';

export function RequireSignedIn() {
  const location = useLocation();
  const profile = useProfileQuery();
  if (profile.isPending) return <Loading />;
  if (profile.isError)
    return (
      <main id="main" className="auth-page">
        <ErrorAlert error={profile.error} onRetry={() => void profile.refetch()} />
      </main>
    );
  if (!profile.data)
    return (
      <Navigate
        to="/signin"
        replace
        state={didSignOutOnPurpose() ? undefined : { from: location.pathname + location.search }}
      />
    );
  if (profile.data.mustChangePassword && location.pathname !== '/change-password')
    return <Navigate to="/change-password" replace />;
  return <Outlet />;
}

export function RequirePage(props: { page: PageId; children?: ReactNode }) {
  const profile = useProfile();
  if (!canOpen(profile.roles, props.page)) return <NotAllowedPage page={props.page} />;
  return props.children ?? <Outlet />;
}
