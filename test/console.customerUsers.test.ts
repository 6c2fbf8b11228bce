// The console's directory logic without a browser: a user name from its parts, the partner's seats per product,
// what the Manage licenses checkboxes show for a selection (checked, mixed, clear), where a click takes them,
// the seats Save would need and the body it sends, a users file's row problems as table rows, and an import's
// progress as a percentage.
import { describe, expect, it } from 'vitest';
import type { LicenseLike, SkuLike } from '../web/src/features/customerUsers/model.ts';
import {
  aliasOf,
  checkboxState,
  heldBy,
  holders,
  issueRows,
  licenseUpdateBody,
  nextChoice,
  percentDone,
  productsOf,
  seatsNeeded,
  suggestedDisplayName,
  userPrincipalName,
} from '../web/src/features/customerUsers/model.ts';

const sku = (over: Partial<SkuLike> & { subscriptionId: string; id: string }): SkuLike => ({
  productSku: { id: over.id, name: over.productSku?.name ?? `Product ${over.id}` },
  capabilityStatus: 'enabled',
  totalUnits: 10,
  consumedUnits: 0,
  availableUnits: 10,
  ...over,
});

describe('user names', () => {
  it('joins the alias and the chosen domain, lower-cased; nothing without an alias', () => {
    expect(userPrincipalName(' Ada.Lovelace ', 'Contoso.onPartnerdesk.com')).toBe(
      'ada.lovelace@contoso.onpartnerdesk.com',
    );
    expect(userPrincipalName('  ', 'contoso.com')).toBe('');
  });

  it('keeps the part before the @ of a pasted address', () => {
    expect(aliasOf('ada@other.example')).toBe('ada');
    expect(aliasOf('ada')).toBe('ada');
  });

  it('suggests the display name from the first and last names', () => {
    expect(suggestedDisplayName(' Ada ', ' Lovelace')).toBe('Ada Lovelace');
    expect(suggestedDisplayName('', 'Lovelace')).toBe('Lovelace');
  });
});

describe('products from subscribed SKUs', () => {
  it('sums the seats of one offer over its subscriptions; suspended ones give no seat', () => {
    const products = productsOf([
      sku({ subscriptionId: 's1', id: 'B', totalUnits: 5, consumedUnits: 5, availableUnits: 0 }),
      sku({ subscriptionId: 's2', id: 'B', totalUnits: 3, consumedUnits: 1, availableUnits: 2 }),
      sku({ subscriptionId: 's3', id: 'A', capabilityStatus: 'suspended', availableUnits: 4 }),
    ]);
    expect(products.map((p) => p.id)).toEqual(['A', 'B']);
    expect(products[1]).toMatchObject({ total: 8, consumed: 6, available: 2, suspended: false });
    expect(products[1]!.subscriptionIds).toEqual(['s1', 's2']);
    expect(products[0]).toMatchObject({ available: 0, suspended: true });
  });
});

describe('licence checkboxes for a selection', () => {
  const products = productsOf([
    sku({ subscriptionId: 's1', id: 'SUITE' }),
    sku({ subscriptionId: 's2', id: 'ADDON' }),
  ]);
  const lic = (id: string, over: Partial<LicenseLike> = {}): LicenseLike => ({
    productSku: { id },
    subscriptionId: id === 'SUITE' ? 's1' : 's2',
    soldByYou: true,
    state: 'active',
    ...over,
  });

  it('counts the users holding each product through the partner’s own subscriptions, active ones only', () => {
    const byProduct = holders(
      products,
      new Map([
        ['u1', [lic('SUITE'), lic('ADDON', { state: 'released' })]],
        ['u2', [lic('SUITE', { soldByYou: false, subscriptionId: null })]],
        ['u3', [lic('SUITE'), lic('ADDON')]],
      ]),
    );
    expect([...byProduct.get('SUITE')!].sort()).toEqual(['u1', 'u3']);
    expect([...byProduct.get('ADDON')!]).toEqual(['u3']);
  });

  it('reads the same from the users as listed (assignedLicenses: active, without their subscription)', () => {
    const assigned = (id: string, soldByYou = true): LicenseLike => ({ productSku: { id }, soldByYou });
    const byProduct = holders(
      products,
      new Map([
        ['u1', [assigned('SUITE'), assigned('ADDON', false)]],
        ['u2', []],
        ['u3', [assigned('SUITE'), assigned('ADDON'), assigned('ELSEWHERE')]],
      ]),
    );
    expect([...byProduct.get('SUITE')!].sort()).toEqual(['u1', 'u3']);
    // Another partner's seat of the same product is not the partner's to change.
    expect([...byProduct.get('ADDON')!]).toEqual(['u3']);
    expect(heldBy(byProduct.get('SUITE')!.size, 3)).toBe('some');
    expect(byProduct.has('ELSEWHERE')).toBe(false);
  });

  it('shows checked when all hold it, mixed when some do, clear when none', () => {
    expect(checkboxState(heldBy(3, 3), 'keep')).toEqual({ checked: true, indeterminate: false });
    expect(checkboxState(heldBy(1, 3), 'keep')).toEqual({ checked: false, indeterminate: true });
    expect(checkboxState(heldBy(0, 3), 'keep')).toEqual({ checked: false, indeterminate: false });
    expect(checkboxState('some', 'assign')).toEqual({ checked: true, indeterminate: false });
    expect(checkboxState('some', 'remove')).toEqual({ checked: false, indeterminate: false });
    expect(heldBy(0, 0)).toBe('none');
  });

  it('cycles a mixed box through everyone, no one, and back as it was', () => {
    expect(nextChoice('some', 'keep', true)).toBe('assign');
    expect(nextChoice('some', 'assign', true)).toBe('remove');
    expect(nextChoice('some', 'remove', true)).toBe('keep');
    // No seat to give: only taking away, or leaving it.
    expect(nextChoice('some', 'keep', false)).toBe('remove');
    expect(nextChoice('some', 'remove', false)).toBe('keep');
  });

  it('toggles a box that all or none hold, never offering what has no seat', () => {
    expect(nextChoice('all', 'keep', false)).toBe('remove');
    expect(nextChoice('all', 'remove', false)).toBe('keep');
    expect(nextChoice('none', 'keep', true)).toBe('assign');
    expect(nextChoice('none', 'assign', true)).toBe('keep');
    expect(nextChoice('none', 'keep', false)).toBe('keep');
  });

  it('needs one seat per selected user without the product, only when assigning', () => {
    expect(seatsNeeded(1, 3, 'assign')).toBe(2);
    expect(seatsNeeded(1, 3, 'keep')).toBe(0);
    expect(seatsNeeded(3, 3, 'assign')).toBe(0);
  });

  it('sends the products to assign and to remove by offer id, and nothing for the ones kept', () => {
    expect(
      licenseUpdateBody(
        new Map([
          ['SUITE', 'assign'],
          ['ADDON', 'remove'],
          ['OTHER', 'keep'],
        ]),
      ),
    ).toEqual({ licensesToAssign: [{ skuId: 'SUITE' }], licensesToRemove: ['ADDON'] });
  });
});

describe('users file problems', () => {
  it('lists one table row per problem, in file order', () => {
    const rows = issueRows([
      {
        row: 3,
        line: 4,
        email: 'b@x.example',
        displayName: 'B',
        issues: [{ field: 'Email', reason: 'duplicate' }],
      },
      {
        row: 1,
        line: 2,
        email: '',
        displayName: '',
        issues: [
          { field: 'Display name', reason: 'required' },
          { field: 'Email', reason: 'required' },
        ],
      },
    ]);
    expect(rows.map((r) => [r.row, r.column, r.reason])).toEqual([
      [1, 'Display name', 'required'],
      [1, 'Email', 'required'],
      [3, 'Email', 'duplicate'],
    ]);
    expect(new Set(rows.map((r) => r.key)).size).toBe(3);
  });

  it('shows the progress in whole percent, 100 only once complete', () => {
    expect(percentDone(0, 0, 'queued')).toBe(0);
    expect(percentDone(250, 1000, 'running')).toBe(25);
    expect(percentDone(1000, 1000, 'running')).toBe(99);
    expect(percentDone(1000, 1000, 'completed')).toBe(100);
  });
});
