// Importing a catalog file (what `partnerdesk offers import` runs, on the owner connection): every problem of
// the file named by offer id and field with nothing written; the same file twice changes nothing; a changed
// offer is updated with its prices replaced; an offer missing from the file is retired, never deleted; the
// request-path role cannot write the catalog; the demo catalog is sound and covers every kind of offer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCatalog } from '../src/demo/seed.ts';
import { AppError } from '../src/lib/errors.ts';
import { findOffers, marketOf } from '../src/modules/offers/offers.repository.ts';
import { importCatalog, validateCatalog } from '../src/modules/offers/offers.service.ts';
import type { TestApp } from './helpers/app.ts';
import { createTestApp } from './helpers/app.ts';
import type { TestOffer } from './helpers/catalog-files.ts';
import {
  TEST_MARKETS,
  catalogOf,
  importTestCatalog,
  licenseOffer,
  reservationOffer,
  softwareOffer,
  usageOffer,
} from './helpers/catalog-files.ts';

/** The field issues of a refused import. */
async function problems(run: () => unknown): Promise<{ field: string; reason: string }[]> {
  try {
    await run();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).errorName).toBe('validationFailed');
    return (err as AppError).extra.details ?? [];
  }
  throw new Error('the catalog was accepted');
}

const fields = (issues: { field: string }[]) => issues.map((i) => i.field);

describe('importing the offer catalog', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const count = async (table: 'offers' | 'offer_prices' | 'catalog_markets') =>
    Number(
      (
        await t.store.owner
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('imports the demo catalog: every kind of offer, add-ons of suites, prices in every market currency', async () => {
    const r = await importCatalog(t.store.owner, demoCatalog());
    expect(r).toMatchObject({ updated: 0, unchanged: 0, retired: 0 });
    expect(r.added).toBeGreaterThanOrEqual(15);
    expect(r.added).toBeLessThanOrEqual(25);
    const markets = await t.store.owner.selectFrom('catalog_markets').selectAll().execute();
    const currency = Object.fromEntries(markets.map((m) => [m.country, m.currency]));
    expect(currency).toMatchObject({
      US: 'USD',
      CA: 'CAD',
      GB: 'GBP',
      DE: 'EUR',
      FR: 'EUR',
      NL: 'EUR',
      JP: 'JPY',
      AU: 'AUD',
      RU: 'RUB',
    });
    const offers = await t.store.owner.selectFrom('offers').selectAll().execute();
    const kinds = new Set(offers.map((o) => o.product_kind));
    expect([...kinds].sort()).toEqual(['azure', 'azurePlan', 'onlineService', 'reservation', 'software']);
    const byId = new Map(offers.map((o) => [o.id, o]));
    const addOns = offers.filter((o) => o.parent_offer_ids.length > 0);
    expect(addOns.length).toBeGreaterThanOrEqual(3);
    for (const a of addOns)
      for (const p of a.parent_offer_ids) expect(byId.has(p), `${a.id} → ${p}`).toBe(true);
    for (const o of offers.filter((x) => x.billing_type === 'usage')) {
      expect(o.terms).toEqual([]);
      expect([o.min_quantity, o.max_quantity]).toEqual([1, 1]);
    }
    for (const o of offers.filter((x) => x.product_kind === 'software')) {
      expect(o.billing_cycles).toEqual(['oneTime']);
      expect(o.cancellable).toBe(true);
    }
    expect(offers.some((o) => o.instances.includes('germany'))).toBe(true);
    expect(offers.some((o) => !o.countries.includes('*'))).toBe(true);
    // What the order path reads: a suite with its prices; the yen has no minor unit, so prices are whole yen.
    const e3 = (await findOffers(t.store.owner, ['M365-E3'])).get('M365-E3')!;
    expect(e3.prices.filter((p) => p.currency === 'JPY' && p.term === 'P1M')).toHaveLength(1);
    expect(await marketOf(t.store.owner, 'ru')).toEqual({ country: 'RU', currency: 'RUB' });
    // Again: nothing changes.
    const again = await importCatalog(t.store.owner, demoCatalog());
    expect(again).toMatchObject({ added: 0, updated: 0, retired: 0, unchanged: r.added });
  });

  describe('a catalog of its own', () => {
    const base: TestOffer[] = [
      licenseOffer('SUITE-A', 'Suite A', { price: 1200 }),
      licenseOffer('SUITE-B', 'Suite B', { price: 2000 }),
      licenseOffer('ADDON-A', 'Add-on for A', { price: 300, prerequisiteOffers: ['SUITE-A'] }),
      usageOffer('AZ', 'Azure'),
      softwareOffer('SW', 'Server software', { price: 50000 }),
      reservationOffer('RI', 'Reserved VM', { price: 4000 }),
    ];

    it('replaces the catalog: twice the same file changes nothing (versions and prices stay)', async () => {
      const first = await importTestCatalog(t.store, base);
      // The demo catalog imported before is now absent from the file: retired.
      expect(first.added).toBe(6);
      expect(first.retired).toBeGreaterThanOrEqual(15);
      expect(await count('catalog_markets')).toBe(TEST_MARKETS.length);
      const before = await t.store.owner
        .selectFrom('offers')
        .select(['id', 'version', 'updated_at'])
        .where('is_available', '=', true)
        .orderBy('id')
        .execute();
      const pricesBefore = await count('offer_prices');
      const second = await importTestCatalog(t.store, base);
      expect(second).toEqual({ markets: 3, added: 0, updated: 0, unchanged: 6, retired: 0 });
      const after = await t.store.owner
        .selectFrom('offers')
        .select(['id', 'version', 'updated_at'])
        .where('is_available', '=', true)
        .orderBy('id')
        .execute();
      expect(after).toEqual(before);
      expect(await count('offer_prices')).toBe(pricesBefore);
    });

    it('updates a changed offer and replaces its prices; an offer missing from the file is retired, not deleted', async () => {
      const changed = base
        .filter((o) => o.id !== 'SUITE-B')
        .map((o) => (o.id === 'SUITE-A' ? licenseOffer('SUITE-A', 'Suite A (renamed)', { price: 1300 }) : o));
      const r = await importTestCatalog(t.store, changed);
      expect(r).toEqual({ markets: 3, added: 0, updated: 1, unchanged: 4, retired: 1 });
      const [a, b] = await Promise.all(
        ['SUITE-A', 'SUITE-B'].map((id) =>
          t.store.owner.selectFrom('offers').selectAll().where('id', '=', id).executeTakeFirstOrThrow(),
        ),
      );
      expect(a).toMatchObject({ name: 'Suite A (renamed)', version: 2, is_available: true });
      expect(a!.search_key).toBe('suite-a suite a (renamed)');
      const aPrices = await t.store.owner
        .selectFrom('offer_prices')
        .selectAll()
        .where('offer_id', '=', 'SUITE-A')
        .where('currency', '=', 'USD')
        .where('term', '=', 'P1M')
        .execute();
      expect(aPrices.map((p) => p.unit_price)).toEqual([1300]);
      // Retired: still there with its prices (subscriptions sold from it keep their offer).
      expect(b).toMatchObject({ is_available: false, version: 2 });
      const bPrices = await t.store.owner
        .selectFrom('offer_prices')
        .select('unit_price')
        .where('offer_id', '=', 'SUITE-B')
        .execute();
      expect(bPrices.length).toBeGreaterThan(0);
      // Retiring again is no change; bringing it back is an update.
      expect((await importTestCatalog(t.store, changed)).retired).toBe(0);
      const back = await importTestCatalog(t.store, base);
      expect(back).toMatchObject({ added: 0, updated: 2, retired: 0 });
      expect(
        (
          await t.store.owner
            .selectFrom('offers')
            .select('is_available')
            .where('id', '=', 'SUITE-B')
            .executeTakeFirst()
        )?.is_available,
      ).toBe(true);
    });

    it('replaces the markets with the file’s; a new market needs prices of every offer sold everywhere', async () => {
      const markets = [...TEST_MARKETS, { country: 'gb', currency: 'gbp' }];
      const issues = await problems(() => importCatalog(t.store.owner, catalogOf(base, markets)));
      expect(issues).toContainEqual({
        field: 'offers[SUITE-A].prices',
        reason: 'no price for GBP, term P1M, monthly billing',
      });
      // Usage-based offers have no prices: a catalog of those alone takes the new market.
      await importCatalog(t.store.owner, catalogOf([usageOffer('AZ', 'Azure')], markets));
      expect(await marketOf(t.store.owner, 'GB')).toEqual({ country: 'GB', currency: 'GBP' });
      expect(await count('catalog_markets')).toBe(4);
      await importTestCatalog(t.store, base);
      expect(await marketOf(t.store.owner, 'GB')).toBeUndefined();
      expect(await count('catalog_markets')).toBe(3);
    });
  });

  it('names every problem by offer id and field, and writes nothing', async () => {
    const offersBefore = await count('offers');
    const pricesBefore = await count('offer_prices');
    const marketsBefore = await t.store.owner
      .selectFrom('catalog_markets')
      .selectAll()
      .orderBy('country')
      .execute();
    const good = licenseOffer('GOOD', 'Good offer');
    const broken = {
      markets: [
        { country: 'US', currency: 'USD' },
        { country: 'XX', currency: 'EUR' },
        { country: 'FR', currency: 'euro' },
        { country: 'US', currency: 'USD' },
        { country: 'DE', currency: 'EUR' },
        { country: 'JP', currency: 'JPY' },
      ],
      offers: [
        good,
        { ...licenseOffer('BAD-KIND', 'Bad kind'), productKind: 'hardware' },
        { ...licenseOffer('BAD-TERMS', 'Bad terms'), terms: ['P2Y'] },
        { ...licenseOffer('BAD-QTY', 'Bad quantity'), minimumQuantity: 10, maximumQuantity: 5 },
        { ...licenseOffer('NO-NAME', ''), name: '' },
        licenseOffer('ORPHAN', 'Add-on of nothing', { prerequisiteOffers: ['MISSING-SUITE'] }),
        licenseOffer('SELFISH', 'Own parent', { prerequisiteOffers: ['SELFISH'] }),
        licenseOffer('NOWHERE', 'Unknown country', { countries: ['US', 'FR'] }),
        licenseOffer('STAR-MIX', 'Star and more', { countries: ['*', 'US'] }),
        licenseOffer('BAD-INSTANCE', 'Bad instance', { instances: ['global', 'mars'] }),
        { ...licenseOffer('NEG-PRICE', 'Negative price', { countries: ['US'] }) },
        usageOffer('USAGE-PRICED', 'Usage with price', {
          prices: [{ currency: 'USD', term: 'none', billingCycle: 'monthly', unitPrice: 100 }],
        }),
        usageOffer('USAGE-QTY', 'Usage with seats', { maximumQuantity: 10, terms: ['P1M'] }),
        licenseOffer('MISSING-PRICE', 'Missing a price', { countries: ['US'], prices: [] }),
        softwareOffer('SW-NOT-CANCELLABLE', 'Software', { cancellable: false }),
        licenseOffer('CYCLE-MISFIT', 'Annual on a month', {
          terms: ['P1M'],
          billingCycles: ['monthly', 'annual'],
          countries: ['US'],
          prices: [{ currency: 'USD', term: 'P1M', billingCycle: 'monthly', unitPrice: 100 }],
        }),
        { ...licenseOffer('TYPO', 'Typo field'), prerequisiteOffer: ['GOOD'] },
        licenseOffer('GOOD', 'Duplicate id'),
        { ...licenseOffer('x', 'x'), id: 'has spaces!' },
        'not an offer',
      ],
    };
    // NEG-PRICE: one price made negative, one in a currency the offer is not sold in.
    const neg = broken.offers[10] as TestOffer;
    neg.prices = [
      { ...neg.prices[0]!, unitPrice: -5 },
      ...neg.prices.slice(1),
      { currency: 'JPY', term: 'P1M', billingCycle: 'monthly', unitPrice: 1 },
    ];

    const issues = await problems(() => importCatalog(t.store.owner, broken));
    const named = fields(issues);
    expect(named).toEqual(
      expect.arrayContaining([
        'markets[1].country',
        'markets[2].currency',
        'markets[3].country',
        'offers[BAD-KIND].productKind',
        'offers[BAD-TERMS].terms[0]',
        'offers[BAD-QTY].maximumQuantity',
        'offers[NO-NAME].name',
        'offers[ORPHAN].prerequisiteOffers[0]',
        'offers[SELFISH].prerequisiteOffers[0]',
        'offers[NOWHERE].countries[1]',
        'offers[STAR-MIX].countries',
        'offers[BAD-INSTANCE].instances[1]',
        'offers[NEG-PRICE].prices[0].unitPrice',
        'offers[NEG-PRICE].prices[3].currency',
        'offers[USAGE-PRICED].prices',
        'offers[USAGE-QTY].maximumQuantity',
        'offers[USAGE-QTY].terms',
        'offers[MISSING-PRICE].prices',
        'offers[SW-NOT-CANCELLABLE].cancellable',
        'offers[CYCLE-MISFIT].billingCycles[1]',
        'offers[TYPO].prerequisiteOffer',
        'offers[#17].id',
        'offers[has spaces!].id',
        'offers[#19]',
      ]),
    );
    // The good offer is not blamed for its duplicate.
    expect(named.filter((f) => f.startsWith('offers[GOOD]'))).toEqual([]);
    const reason = (field: string) => issues.find((i) => i.field === field)?.reason;
    expect(reason('offers[NOWHERE].countries[1]')).toMatch(/FR is not a market/);
    expect(reason('offers[ORPHAN].prerequisiteOffers[0]')).toMatch(/MISSING-SUITE is not an offer/);
    expect(reason('offers[#17].id')).toMatch(/GOOD appears more than once/);
    expect(reason('offers[MISSING-PRICE].prices')).toMatch(/no price for USD, term P1M, monthly/);
    expect(reason('offers[BAD-QTY].maximumQuantity')).toMatch(/at least minimumQuantity \(10\)/);

    // Nothing written: not the good offer, not the markets.
    expect(await count('offers')).toBe(offersBefore);
    expect(await count('offer_prices')).toBe(pricesBefore);
    expect(
      await t.store.owner.selectFrom('catalog_markets').selectAll().orderBy('country').execute(),
    ).toEqual(marketsBefore);
    expect(await t.store.owner.selectFrom('offers').select('id').where('id', '=', 'GOOD').execute()).toEqual(
      [],
    );
  });

  it('refuses a file that is not a catalog at all', async () => {
    expect(fields(await problems(() => validateCatalog([])))).toEqual(['catalog']);
    expect(fields(await problems(() => validateCatalog({ offers: {} })))).toEqual(['markets', 'offers']);
    expect(fields(await problems(() => validateCatalog({ markets: [], offers: [], extra: 1 })))).toEqual([
      'extra',
      'markets',
    ]);
  });

  it('is written only by the owner: the request-path role cannot change the catalog', async () => {
    await expect(
      t.store.app.updateTable('offers').set({ name: 'Hijacked' }).where('id', '=', 'SUITE-A').execute(),
    ).rejects.toThrow(/permission denied/);
    await expect(t.store.app.deleteFrom('offer_prices').execute()).rejects.toThrow(/permission denied/);
    await expect(
      t.store.app.insertInto('catalog_markets').values({ country: 'FR', currency: 'EUR' }).execute(),
    ).rejects.toThrow(/permission denied/);
  });

  it('serialises two imports of different files: the later one wins whole', async () => {
    const one = [licenseOffer('ONE', 'One'), licenseOffer('SHARED', 'Shared v1')];
    const two = [licenseOffer('TWO', 'Two'), licenseOffer('SHARED', 'Shared v2')];
    const [a, b] = await Promise.all([importTestCatalog(t.store, one), importTestCatalog(t.store, two)]);
    expect(a.added + b.added).toBeGreaterThanOrEqual(2);
    const available = await t.store.owner
      .selectFrom('offers')
      .select(['id', 'name'])
      .where('is_available', '=', true)
      .orderBy('id')
      .execute();
    // Whichever committed last is the catalog, never a mix of the two.
    expect([
      [
        { id: 'ONE', name: 'One' },
        { id: 'SHARED', name: 'Shared v1' },
      ],
      [
        { id: 'SHARED', name: 'Shared v2' },
        { id: 'TWO', name: 'Two' },
      ],
    ]).toContainEqual(available);
  });
});
