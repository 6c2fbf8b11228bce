// The console's role → page table (web/src/app/access.ts) against PRODUCT.md's roles, written out literally.
// (Hard-coded text in components: test/i18n.strings.test.ts.)
import { describe, expect, it } from 'vitest';
import type { Role } from '../src/modules/partners/roles.ts';
import { ROLES } from '../src/modules/partners/roles.ts';
import type { PageId } from '../web/src/app/access.ts';
import { NAV_ORDER, canOpen } from '../web/src/app/access.ts';

const EXPECTED: Record<Role, PageId[]> = {
  globalAdmin: ['dashboard', 'customers', 'transfers', 'billing', 'serviceRequests', 'activity', 'settings'],
  adminAgent: ['dashboard', 'customers', 'transfers', 'billing', 'serviceRequests', 'activity'],
  salesAgent: ['dashboard', 'customers', 'transfers', 'serviceRequests'],
  helpdeskAgent: ['dashboard', 'customers', 'serviceRequests'],
  billingAdmin: ['dashboard', 'transfers', 'billing', 'activity'],
  userManagementAdmin: ['dashboard', 'settings'],
};

describe('console navigation by role', () => {
  for (const role of ROLES)
    it(`${role} sees ${EXPECTED[role].join(', ')}`, () => {
      expect(NAV_ORDER.filter((page) => canOpen([role], page))).toEqual(EXPECTED[role]);
    });

  it('combines the pages of several roles', () => {
    expect(NAV_ORDER.filter((page) => canOpen(['helpdeskAgent', 'billingAdmin'], page))).toEqual([
      'dashboard',
      'customers',
      'transfers',
      'billing',
      'serviceRequests',
      'activity',
    ]);
  });
});
