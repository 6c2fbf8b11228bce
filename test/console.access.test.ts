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

describe('activity log actions', () => {
  it('lists every action the server records, each with a label in every language', async () => {
    const fs = await import('node:fs');
    const path = await import('node:path');
    const { CATALOGS } = await import('../web/src/i18n/catalogs.ts');
    // Read as text: actions.ts belongs to the console's own TypeScript project (JSX, DOM types).
    const source = fs.readFileSync(
      path.resolve(import.meta.dirname, '../web/src/features/activity/actions.ts'),
      'utf8',
    );
    const ACTIONS = [.../export const ACTIONS = \[([^\]]*)\]/.exec(source)![1]!.matchAll(/'([^']+)'/g)].map(
      (m) => m[1]!,
    );
    const recorded = new Set<string>();
    const walk = (dir: string): void => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (p.endsWith('.ts'))
          for (const m of fs.readFileSync(p, 'utf8').matchAll(/\baction: '([a-zA-Z]+\.[a-zA-Z]+)'/g))
            recorded.add(m[1]!);
      }
    };
    walk(path.resolve(import.meta.dirname, '../src'));
    expect(recorded.size).toBeGreaterThan(10);
    expect([...recorded].filter((a) => !ACTIONS.includes(a))).toEqual([]);
    for (const language of Object.keys(CATALOGS) as (keyof typeof CATALOGS)[])
      for (const action of ACTIONS)
        expect(CATALOGS[language], `${language} ${action}`).toHaveProperty([`activity.actions.${action}`]);
  });
});
