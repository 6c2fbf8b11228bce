// The console's role → page table (web/src/app/access.ts) against PRODUCT.md's roles, written out literally;
// and no user-visible text written straight into the console's components instead of the message catalogs.
import fs from 'node:fs';
import path from 'node:path';
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

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : p.endsWith('.tsx') ? [p] : [];
  });
}

describe('console text', () => {
  it('comes from the message catalogs, not from the components', () => {
    const found: string[] = [];
    for (const file of sources(path.resolve(import.meta.dirname, '../web/src'))) {
      const code = fs.readFileSync(file, 'utf8');
      // Words between tags (`>Sign in<`) and words in attributes people read or hear.
      // (Not the ">" of "=>" or ">=", and not code such as `a < b && c`.)
      for (const m of code.matchAll(/(?<![=-])>(?!=)\s*([^<>{}]*[A-Za-zА-Яа-я][^<>{}]*)</g))
        if (!/&&|\|\||[;()=]/.test(m[1]!)) found.push(`${file}: ${m[1]!.trim()}`);
      // A message key (`title="nav.customers"`) is fine; words are not.
      for (const m of code.matchAll(/\b(aria-label|title|placeholder|alt|label)="([^"]*[A-Za-z][^"]*)"/g))
        if (!/^[a-z]+(\.[A-Za-z]+)+$/.test(m[2]!)) found.push(`${file}: ${m[1]}="${m[2]}"`);
    }
    expect(found).toEqual([]);
  });
});
