// /billing: the partner's billing under one heading, its views as tabs-like links — the invoices (and credit
// notes) and the charges not invoiced yet.
import { NavLink, Outlet } from 'react-router';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import './billing.css';

export function BillingLayout() {
  const { t } = useI18n();
  return (
    <section className="billing-page">
      <PageHeader title={t('billing.page.title')}>
        <p className="muted">{t('billing.page.intro')}</p>
      </PageHeader>
      <nav aria-label={t('billing.tabs')} className="subnav">
        <NavLink to="/billing" end>
          {t('billing.tab.invoices')}
        </NavLink>
        <NavLink to="/billing/unbilled">{t('billing.tab.unbilled')}</NavLink>
      </nav>
      <Outlet />
    </section>
  );
}
