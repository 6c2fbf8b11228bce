// /customers/:customerId/billing: the customer page's Billing tab, for the billing roles (the tab is not
// offered to the others; reached by URL, it says who may see it).
import { allows } from '../../../../src/modules/partners/roles.ts';
import { useProfile } from '../../app/auth.tsx';
import { EmptyState } from '../../components/states.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { useCustomerOfPage } from '../customers/CustomerPage.tsx';
import { CustomerBilling } from './CustomerBilling.tsx';

export function CustomerBillingTab() {
  const { t } = useI18n();
  const { roles } = useProfile();
  const c = useCustomerOfPage();
  if (!allows(roles, 'billing.manage'))
    return (
      <EmptyState>
        <p>{t('billing.customer.notAllowed')}</p>
      </EmptyState>
    );
  return <CustomerBilling customerId={c.id} customerName={c.billingProfile.companyName} />;
}
