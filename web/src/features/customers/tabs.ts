// The customer page's tabs, each its own URL under /customers/:customerId, so the list's quick links and a
// bookmark open the tab itself. Service requests do not exist yet and say so.
import type { MessageKey } from '../../i18n/catalogs.ts';

export const CUSTOMER_TABS = [
  { id: 'account', path: '', label: 'customer.tab.account' },
  { id: 'subscriptions', path: 'subscriptions', label: 'customer.tab.subscriptions' },
  { id: 'users', path: 'users', label: 'customer.tab.users' },
  { id: 'serviceRequests', path: 'service-requests', label: 'customer.tab.serviceRequests' },
] as const satisfies readonly { id: string; path: string; label: MessageKey }[];
