// Every console URL. Signed-in pages sit in the app shell; each page guarded by the roles that open it.
import { Navigate, createBrowserRouter } from 'react-router';
import { ActivityPage } from '../features/activity/ActivityPage.tsx';
import { billingRoutes } from '../features/billing/routes.tsx';
import { customerRoutes } from '../features/customers/routes.tsx';
import { ChangePasswordPage } from '../features/auth/ChangePasswordPage.tsx';
import { SignInPage } from '../features/auth/SignInPage.tsx';
import { DashboardPage } from '../features/dashboard/DashboardPage.tsx';
import { NotFoundPage } from '../features/errors/NotFoundPage.tsx';
import { ProfilePage } from '../features/profile/ProfilePage.tsx';
import { SettingsLayout } from '../features/settings/SettingsLayout.tsx';
import { ApiTokensPage } from '../features/settings/apitokens/ApiTokensPage.tsx';
import { UsersPage } from '../features/settings/users/UsersPage.tsx';
import { CustomerPartnersPage } from '../features/portal/CustomerPartnersPage.tsx';
import { CustomerTransfersPage } from '../features/portal/CustomerTransfersPage.tsx';
import { InvitationPage } from '../features/portal/InvitationPage.tsx';
import { PortalLayout } from '../features/portal/PortalLayout.tsx';
import { TransferConsentPage } from '../features/portal/TransferConsentPage.tsx';
import { InvitationsPage } from '../features/relationships/InvitationsPage.tsx';
import { serviceRequestRoutes } from '../features/support/routes.tsx';
import { TransferPage } from '../features/transfers/TransferPage.tsx';
import { TransfersPage } from '../features/transfers/TransfersPage.tsx';
import { AppShell } from './AppShell.tsx';
import { RequirePage, RequireSignedIn } from './guards.tsx';

export function makeRouter() {
  return createBrowserRouter([
    { path: '/signin', element: <SignInPage /> },
    // The customer-facing pages: outside the partner console, signed in (if at all) as a customer's user.
    {
      element: <PortalLayout />,
      children: [
        { path: '/invitations/:token', element: <InvitationPage /> },
        { path: '/customer/partners', element: <CustomerPartnersPage /> },
        { path: '/portal/transfers', element: <CustomerTransfersPage /> },
        { path: '/portal/transfers/:transferId', element: <TransferConsentPage /> },
      ],
    },
    {
      element: <RequireSignedIn />,
      children: [
        { path: '/change-password', element: <ChangePasswordPage /> },
        {
          element: <AppShell />,
          children: [
            { index: true, element: <DashboardPage /> },
            customerRoutes,
            {
              path: 'customers/invitations',
              element: (
                <RequirePage page="invitations">
                  <InvitationsPage />
                </RequirePage>
              ),
            },
            {
              path: 'transfers',
              element: <RequirePage page="transfers" />,
              children: [
                { index: true, element: <TransfersPage /> },
                { path: ':transferId', element: <TransferPage /> },
              ],
            },
            billingRoutes,
            serviceRequestRoutes,
            {
              path: 'activity',
              element: (
                <RequirePage page="activity">
                  <ActivityPage />
                </RequirePage>
              ),
            },
            {
              path: 'settings',
              element: <RequirePage page="settings" />,
              children: [
                {
                  element: <SettingsLayout />,
                  children: [
                    { index: true, element: <Navigate to="users" replace /> },
                    { path: 'users', element: <UsersPage /> },
                    {
                      path: 'apitokens',
                      element: <ApiTokensPage />,
                    },
                  ],
                },
              ],
            },
            { path: 'profile', element: <ProfilePage /> },
            { path: '*', element: <NotFoundPage /> },
          ],
        },
      ],
    },
  ]);
}
