// /settings: its sections as tabs-like links, then the section.
import { NavLink, Outlet } from 'react-router';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useI18n } from '../../i18n/i18n.tsx';

export function SettingsLayout() {
  const { t } = useI18n();
  return (
    <section>
      <PageHeader title={t('settings.title')} />
      <nav aria-label={t('settings.navLabel')} className="subnav">
        <NavLink to="/settings/users">{t('settings.users')}</NavLink>
        <NavLink to="/settings/apitokens">{t('settings.apiTokens')}</NavLink>
      </nav>
      <Outlet />
    </section>
  );
}
