// The frame of every signed-in page: header (partner, cloud instance, account menu with My profile and Sign
// out), the side navigation showing only the pages the user's roles open, and the page itself.
// Under ~800 px the navigation folds behind a Menu button.
import { useRef, useState } from 'react';
import { Link, NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { ServiceRequestsNavBadge } from '../features/support/ServiceRequestsNavBadge.tsx';
import { TransfersNavBadge } from '../features/transfers/TransfersNavBadge.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { NAV_ORDER, PAGES, canOpen } from './access.ts';
import { useAuthActions, useProfile } from './auth.tsx';

function AccountMenu() {
  const { t } = useI18n();
  const profile = useProfile();
  const navigate = useNavigate();
  const { signOut } = useAuthActions();
  const menu = useRef<HTMLDetailsElement>(null);
  const close = () => menu.current?.removeAttribute('open');
  return (
    <details className="account" ref={menu} onKeyDown={(e) => e.key === 'Escape' && close()}>
      <summary aria-label={t('shell.account', { name: profile.displayName })}>
        <span aria-hidden="true">{profile.displayName}</span>
      </summary>
      <ul className="account-menu">
        <li className="muted small">{profile.userName}</li>
        <li>
          <Link to="/profile" onClick={close}>
            {t('shell.myProfile')}
          </Link>
        </li>
        <li>
          <button
            type="button"
            className="link-button"
            onClick={() => {
              close();
              void signOut().then(() => navigate('/signin', { replace: true }));
            }}
          >
            {t('shell.signOut')}
          </button>
        </li>
      </ul>
    </details>
  );
}

export function AppShell() {
  const { t } = useI18n();
  const profile = useProfile();
  const location = useLocation();
  // The folded navigation is open on the page where it was opened: following a link closes it.
  const [navOpenAt, setNavOpenAt] = useState<string | null>(null);
  const navOpen = navOpenAt === location.pathname;
  const pages = NAV_ORDER.filter((id) => canOpen(profile.roles, id));
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="topbar">
        <button
          type="button"
          className="menu-button"
          aria-expanded={navOpen}
          aria-controls="main-nav"
          onClick={() => setNavOpenAt(navOpen ? null : location.pathname)}
        >
          {t('shell.menu')}
        </button>
        <Link to="/" className="brand">
          {t('app.name')}
        </Link>
        <div className="partner">
          <span className="partner-name">{profile.partner.name}</span>
          <span className="instance">
            {t('shell.instance', { name: t(`instance.${profile.instance.id}`) })}
          </span>
        </div>
        <AccountMenu />
      </header>
      <div className="body">
        <nav id="main-nav" aria-label={t('shell.navLabel')} className={navOpen ? 'sidenav open' : 'sidenav'}>
          <ul>
            {pages.map((id) => (
              <li key={id}>
                <NavLink to={PAGES[id].path} end={id === 'dashboard'}>
                  {t(PAGES[id].label)}
                  {id === 'transfers' && <TransfersNavBadge />}
                  {id === 'serviceRequests' && <ServiceRequestsNavBadge />}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <main id="main" className="content">
          <Outlet />
        </main>
      </div>
    </div>
  );
}
