// The frame of the customer-facing pages (/invitations/:token, /customer/partners, /portal/transfers), outside
// the partner console's shell: the product name, links to the organisation's pages once signed in, a language
// choice, who is signed in with a Sign out button, and the page.
// It brings its own query client, so the customer's data never shares a cache with a partner signed in to the
// console in the same browser.
import { QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import { NavLink, Outlet } from 'react-router';
import { useI18n } from '../../i18n/i18n.tsx';
import { LanguageChoice } from '../auth/SignInPage.tsx';
import { makePortalQueryClient, usePortalActions } from './portal.queries.ts';
import { useCustomerSession } from './portalClient.ts';
import './portal.css';

function SignedInAs() {
  const { t } = useI18n();
  const session = useCustomerSession();
  const { signOut } = usePortalActions();
  if (!session) return null;
  return (
    <div className="portal-account">
      <p className="small">
        {t('portal.signedInAs', { user: session.userName, organisation: session.customerName })}
      </p>
      <button
        type="button"
        className="button secondary"
        disabled={signOut.isPending}
        onClick={() => signOut.mutate()}
      >
        {t('portal.signOut')}
      </button>
    </div>
  );
}

/** The organisation's pages, for a signed-in customer user. */
function PortalNav() {
  const { t } = useI18n();
  const session = useCustomerSession();
  if (!session) return null;
  return (
    <nav aria-label={t('portal.nav.label')}>
      <ul className="portal-nav">
        <li>
          <NavLink to="/customer/partners">{t('portal.nav.partners')}</NavLink>
        </li>
        <li>
          <NavLink to="/portal/transfers" end>
            {t('portal.nav.transfers')}
          </NavLink>
        </li>
      </ul>
    </nav>
  );
}

export function PortalLayout() {
  const { t } = useI18n();
  const [queryClient] = useState(makePortalQueryClient);
  return (
    <QueryClientProvider client={queryClient}>
      <div className="portal">
        <a className="skip-link" href="#main">
          {t('app.skipToContent')}
        </a>
        <header className="portal-top">
          <p className="brand">{t('app.name')}</p>
          <PortalNav />
          <SignedInAs />
          <LanguageChoice />
        </header>
        <main id="main" className="portal-main">
          <Outlet />
        </main>
      </div>
    </QueryClientProvider>
  );
}
