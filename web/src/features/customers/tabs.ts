// The customer page's tabs, each its own URL under /customers/:customerId, so the list's quick links and a
// bookmark open the tab itself. A tab that names an operation is shown only to the roles allowed it (Billing:
// the billing roles; Service requests: the roles that see support).
import type { Operation } from '../../../../src/modules/partners/roles.ts';
import { allows } from '../../../../src/modules/partners/roles.ts';
import type { MessageKey } from '../../i18n/catalogs.ts';

interface CustomerTab {
  id: string;
  path: string;
  label: MessageKey;
  operation?: Operation;
}

export const CUSTOMER_TABS = [
  { id: 'account', path: '', label: 'customer.tab.account' },
  { id: 'subscriptions', path: 'subscriptions', label: 'customer.tab.subscriptions' },
  { id: 'users', path: 'users', label: 'customer.tab.users' },
  { id: 'billing', path: 'billing', label: 'customer.tab.billing', operation: 'billing.manage' },
  {
    id: 'serviceRequests',
    path: 'service-requests',
    label: 'customer.tab.serviceRequests',
    operation: 'support.view',
  },
] as const satisfies readonly CustomerTab[];

/** The tabs the user's roles show. */
export function customerTabs(roles: readonly string[]): readonly CustomerTab[] {
  return CUSTOMER_TABS.filter((tab: CustomerTab) => !tab.operation || allows(roles, tab.operation));
}
