// /billing/customers/:customerId: one customer's billing inside the billing area, for a Billing admin, whose
// role opens billing but not the customers pages. The customer's name comes with the link that led here (an
// invoice's totals, a charge line); opened otherwise, the page names the customer by its id.
import { Link, useLocation, useParams } from 'react-router';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { CustomerBilling } from './CustomerBilling.tsx';
import './billing.css';

function nameFrom(state: unknown): string | undefined {
  if (typeof state !== 'object' || state === null || !('customerName' in state)) return undefined;
  const name = (state as { customerName: unknown }).customerName;
  return typeof name === 'string' && name.trim() ? name : undefined;
}

export function CustomerBillingPage() {
  const { t } = useI18n();
  const { customerId = '' } = useParams();
  const name = nameFrom(useLocation().state);
  return (
    <section className="billing-page">
      <PageHeader
        title={
          name ? t('billing.customer.title', { name }) : t('billing.customer.titleById', { id: customerId })
        }
      >
        <p className="muted">
          <Link to="/billing">{t('billing.backToBilling')}</Link>
        </p>
      </PageHeader>
      <CustomerBilling customerId={customerId} customerName={name ?? customerId} />
    </section>
  );
}
