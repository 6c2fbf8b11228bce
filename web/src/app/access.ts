// Which pages a user's roles open: the one role → page table of the console. Each page names the API
// operation it is built on, and the roles come from the server's own table (src/modules/partners/roles.ts,
// pure data with no imports, bundled here), so the navigation can never promise what the API then refuses.
import type { Operation, Role } from '../../../src/modules/partners/roles.ts';
import { OPERATIONS, allows } from '../../../src/modules/partners/roles.ts';
import type { MessageKey } from '../i18n/catalogs.ts';

export interface PageSpec {
  path: string;
  label: MessageKey;
  operation: Operation;
}

export const PAGES = {
  dashboard: { path: '/', label: 'nav.dashboard', operation: 'self' },
  customers: { path: '/customers', label: 'nav.customers', operation: 'customers.view' },
  addCustomer: { path: '/customers/new', label: 'addCustomer.title', operation: 'customers.add' },
  transfers: { path: '/transfers', label: 'nav.transfers', operation: 'transfers.view' },
  billing: { path: '/billing', label: 'nav.billing', operation: 'billing.manage' },
  serviceRequests: { path: '/service-requests', label: 'nav.serviceRequests', operation: 'support.view' },
  activity: { path: '/activity', label: 'nav.activity', operation: 'activity.view' },
  settings: { path: '/settings', label: 'nav.settings', operation: 'partnerUsers.manage' },
  // Not in the navigation: reached from the customers pages and the request dialog.
  invitations: {
    path: '/customers/invitations',
    label: 'relationships.page.title',
    operation: 'relationships.request',
  },
} as const satisfies Record<string, PageSpec>;

export type PageId = keyof typeof PAGES;
export const NAV_ORDER: PageId[] = [
  'dashboard',
  'customers',
  'transfers',
  'billing',
  'serviceRequests',
  'activity',
  'settings',
];

export function canOpen(roles: readonly string[], page: PageId): boolean {
  return allows(roles, PAGES[page].operation);
}

/** The roles that open a page (empty: any signed-in user). */
export function rolesFor(page: PageId): readonly Role[] {
  return OPERATIONS[PAGES[page].operation];
}
