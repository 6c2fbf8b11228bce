// /customers/:customerId/service-requests: the customer page's Service requests tab. This customer's requests
// with the same filters and table as the Service requests page, and "New service request" for the roles that
// manage support (a Sales agent reads the list only).
import { Link } from 'react-router';
import { useI18n } from '../../i18n/i18n.tsx';
import { useCustomerOfPage } from '../customers/CustomerPage.tsx';
import { useSupportAccess } from './access.ts';
import { RequestList } from './RequestList.tsx';
import './support.css';

const PAGE_SIZE = 10;

export function CustomerServiceRequestsTab() {
  const { t } = useI18n();
  const c = useCustomerOfPage();
  const access = useSupportAccess();
  const name = c.billingProfile.companyName;
  return (
    <section aria-labelledby="customer-sr-heading">
      <div className="toolbar">
        <h2 id="customer-sr-heading">{t('support.customer.title')}</h2>
        {access.canManage && (
          <Link className="button primary" to={`/customers/${c.id}/service-requests/new`}>
            {t('support.new.open')}
          </Link>
        )}
      </div>
      <RequestList customer={{ id: c.id, name }} pageSize={PAGE_SIZE} />
    </section>
  );
}
