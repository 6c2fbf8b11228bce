// /customers/:customerId: one customer under its company name, with its tabs (Account, Subscriptions, Users,
// Billing for the billing roles, Service requests) as links, each tab its own URL. A customer that does not
// exist, or is not one of the partner's (the API answers both alike), gets a page that says so.
import { Link, NavLink, Outlet, useOutletContext, useParams } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { useProfile } from '../../app/auth.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Loading } from '../../components/states.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import type { Customer } from './customers.queries.ts';
import { useCustomer } from './customers.queries.ts';
import { customerTabs } from './tabs.ts';

function CustomerNotFound() {
  const { t } = useI18n();
  return (
    <section className="notice">
      <PageHeader title={t('customer.notFound.title')} />
      <p>{t('customer.notFound.body')}</p>
      <p>
        <Link to="/customers">{t('customer.backToList')}</Link>
      </p>
    </section>
  );
}

export function CustomerPage() {
  const { t } = useI18n();
  const profile = useProfile();
  const { customerId = '' } = useParams();
  const customer = useCustomer(customerId);
  if (customer.isPending) return <Loading />;
  if (customer.isError) {
    // 400: not a customer id at all (a mistyped address) — as much "not found" as a 404.
    if (
      customer.error instanceof ApiError &&
      (customer.error.status === 404 || customer.error.status === 400)
    )
      return <CustomerNotFound />;
    return <ErrorAlert error={customer.error} onRetry={() => void customer.refetch()} />;
  }
  const c = customer.data;
  return (
    <section>
      <PageHeader title={c.billingProfile.companyName}>
        <p className="muted">
          {c.companyProfile.domain} · <Link to="/customers">{t('customer.backToList')}</Link>
        </p>
      </PageHeader>
      <nav aria-label={t('customer.tabs')} className="subnav">
        {customerTabs(profile.roles).map((tab) => (
          // A tab stays marked on the pages under it (a subscription under Subscriptions).
          <NavLink
            key={tab.id}
            to={tab.path ? `/customers/${c.id}/${tab.path}` : `/customers/${c.id}`}
            end={!tab.path}
          >
            {t(tab.label)}
          </NavLink>
        ))}
      </nav>
      <Outlet context={c} />
    </section>
  );
}

/** The customer the page read, for its tabs. */
export function useCustomerOfPage(): Customer {
  return useOutletContext<Customer>();
}
