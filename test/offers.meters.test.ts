// Usage meters in the offer catalog: the demo file prices every meter of its Azure offers in every market
// currency with one price change; an import names every problem of a meter by position and writes nothing;
// a meter or price missing from a later file stays (usage was rated with it), a changed one is updated; partners
// read an offer's meters and their dated prices (GET /v1/offers/{offerId}/meters).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCatalog } from '../src/demo/seed.ts';
import { AppError } from '../src/lib/errors.ts';
import { importCatalog } from '../src/modules/offers/offers.service.ts';
import type { TestApp } from './helpers/app.ts';
import { createTestApp, injectAs } from './helpers/app.ts';
import type { TestOffer } from './helpers/catalog-files.ts';
import { catalogOf, importTestCatalog, licenseOffer, usageOffer } from './helpers/catalog-files.ts';
import { createPartnerWithAdmin, createUser } from './helpers/factories.ts';

interface MeterFile {
  meterId: string;
  name: string;
  category?: string;
  unit: string;
  prices: { currency: string; effectiveFrom: string; unitPrice: number | string }[];
}

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

/** A meter priced in the test markets' three currencies from 2026-01-01 (and USD again from 2026-10-01). */
function meter(meterId: string, usd: number | string = 9.6, over: Partial<MeterFile> = {}): MeterFile {
  return {
    meterId,
    name: `Meter ${meterId}`,
    category: 'Virtual Machines',
    unit: '1 Hour',
    prices: [
      { currency: 'USD', effectiveFrom: '2026-01-01', unitPrice: usd },
      { currency: 'USD', effectiveFrom: '2026-10-01', unitPrice: 10.1 },
      { currency: 'EUR', effectiveFrom: '2026-01-01', unitPrice: 8.832 },
      { currency: 'JPY', effectiveFrom: '2026-01-01', unitPrice: 14.4 },
    ],
    ...over,
  };
}

const metered = (id: string, meters: MeterFile[]) =>
  ({ ...usageOffer(id, `Azure ${id}`), meters }) as TestOffer & { meters: MeterFile[] };

describe('usage meters in the catalog', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const metersOf = (offerId: string) =>
    t.store.owner.selectFrom('offer_meters').selectAll().where('offer_id', '=', offerId).execute();
  const pricesOf = (offerId: string) =>
    t.store.owner
      .selectFrom('meter_prices')
      .selectAll()
      .where('offer_id', '=', offerId)
      .orderBy('meter_id')
      .orderBy('currency')
      .orderBy('effective_from')
      .execute();

  it('the demo catalog meters both Azure offers in every market currency, with a price change on 2026-10-01', async () => {
    const r = await importCatalog(t.store.owner, demoCatalog());
    expect(r.added).toBeGreaterThan(0);
    const currencies = (await t.store.owner.selectFrom('catalog_markets').select('currency').execute()).map(
      (m) => m.currency,
    );
    for (const offerId of ['AZURE-PLAN', 'AZURE-USAGE']) {
      const meters = await metersOf(offerId);
      expect(meters.length, offerId).toBeGreaterThanOrEqual(4);
      expect(new Set(meters.map((m) => m.category)).size).toBeGreaterThanOrEqual(3);
      const prices = await pricesOf(offerId);
      for (const m of meters)
        for (const c of new Set(currencies))
          expect(
            prices.some((p) => p.meter_id === m.meter_id && p.currency === c),
            `${offerId} ${m.meter_id} ${c}`,
          ).toBe(true);
      expect(prices.some((p) => p.effective_from === '2026-10-01')).toBe(true);
    }
    // The D2s v5 hour: 9.6 US cents, 10.1 from October; in yen (no minor unit) 14.4 and 15.15 yen.
    const vm = (await pricesOf('AZURE-PLAN')).filter((p) => p.meter_id === 'VM-D2S-V5');
    const at = (currency: string) =>
      vm.filter((p) => p.currency === currency).map((p) => [p.effective_from, Number(p.unit_price)]);
    expect(at('USD')).toEqual([
      ['2025-01-01', 9.6],
      ['2026-10-01', 10.1],
    ]);
    expect(at('JPY')).toEqual([
      ['2025-01-01', 14.4],
      ['2026-10-01', 15.15],
    ]);
    // Again: nothing changes, meters included.
    const again = await importCatalog(t.store.owner, demoCatalog());
    expect(again).toMatchObject({ added: 0, updated: 0, retired: 0 });
  });

  it('names every problem of a meter and its prices, and writes nothing', async () => {
    const before = await t.store.owner.selectFrom('meter_prices').select('offer_id').execute();
    const bad = metered('AZ-BAD', [
      meter('GOOD'),
      meter('GOOD'),
      meter('has spaces'),
      meter('NO-UNIT', 1, { unit: '' }),
      meter('NO-JPY', 1, {
        prices: [
          { currency: 'USD', effectiveFrom: '2026-01-01', unitPrice: 1 },
          { currency: 'EUR', effectiveFrom: '2026-01-01', unitPrice: 1 },
        ],
      }),
      meter('BAD-PRICES', 1, {
        prices: [
          { currency: 'USD', effectiveFrom: '2026-02-30', unitPrice: 1 },
          { currency: 'EUR', effectiveFrom: '2026-01-01', unitPrice: -1 },
          { currency: 'JPY', effectiveFrom: '2026-01-01', unitPrice: 0.1234567 },
          { currency: 'GBP', effectiveFrom: '2026-01-01', unitPrice: 1 },
          { currency: 'JPY', effectiveFrom: '2026-03-01', unitPrice: 2 },
          { currency: 'JPY', effectiveFrom: '2026-03-01', unitPrice: '3' },
          { currency: 'JPY', effectiveFrom: '2026-04-01', unitPrice: 2, discount: 1 } as never,
        ],
      }),
      { ...meter('TYPO'), rate: 1 } as never,
      'not a meter' as never,
    ]);
    const licence = { ...licenseOffer('LIC-METERED', 'Licence with meters'), meters: [meter('X')] };
    const issues = await problems(() =>
      importCatalog(t.store.owner, catalogOf([bad, licence, licenseOffer('FINE', 'Fine')])),
    );
    expect(issues.map((i) => i.field)).toEqual(
      expect.arrayContaining([
        'offers[AZ-BAD].meters[1].meterId',
        'offers[AZ-BAD].meters[2].meterId',
        'offers[AZ-BAD].meters[3].unit',
        'offers[AZ-BAD].meters[4].prices',
        'offers[AZ-BAD].meters[5].prices[0].effectiveFrom',
        'offers[AZ-BAD].meters[5].prices[1].unitPrice',
        'offers[AZ-BAD].meters[5].prices[2].unitPrice',
        'offers[AZ-BAD].meters[5].prices[3].currency',
        'offers[AZ-BAD].meters[5].prices[5]',
        'offers[AZ-BAD].meters[5].prices[6].discount',
        'offers[AZ-BAD].meters[5].prices',
        'offers[AZ-BAD].meters[6].rate',
        'offers[AZ-BAD].meters[7]',
        'offers[LIC-METERED].meters',
      ]),
    );
    const reason = (field: string) => issues.find((i) => i.field === field)?.reason;
    expect(reason('offers[AZ-BAD].meters[1].meterId')).toMatch(/GOOD is already meters\[0\]/);
    expect(reason('offers[AZ-BAD].meters[4].prices')).toBe('no price for JPY');
    expect(reason('offers[AZ-BAD].meters[5].prices[2].unitPrice')).toMatch(/at most 6 decimals/);
    expect(reason('offers[AZ-BAD].meters[5].prices[5]')).toMatch(/a second price for JPY from 2026-03-01/);
    // USD and EUR have no valid price left.
    expect(issues.filter((i) => i.field === 'offers[AZ-BAD].meters[5].prices').map((i) => i.reason)).toEqual([
      'no price for EUR',
      'no price for USD',
    ]);
    expect(issues.filter((i) => i.field.startsWith('offers[AZ-BAD].meters[0]'))).toEqual([]);
    expect(issues.filter((i) => i.field.startsWith('offers[FINE]'))).toEqual([]);
    expect(await t.store.owner.selectFrom('meter_prices').select('offer_id').execute()).toEqual(before);
  });

  it('adds and updates meters and prices, and never deletes one the file no longer has', async () => {
    const file = [
      metered('AZ-M', [meter('VM'), meter('DISK', '0.5', { unit: '1 GB/Month', category: 'Storage' })]),
    ];
    expect((await importTestCatalog(t.store, file)).added).toBe(1);
    expect(await pricesOf('AZ-M')).toHaveLength(8);
    const disk = (await pricesOf('AZ-M')).filter((p) => p.meter_id === 'DISK' && p.currency === 'USD');
    expect(disk.map((p) => p.unit_price)).toEqual(['0.500000', '10.100000']);
    expect(await importTestCatalog(t.store, file)).toMatchObject({ updated: 0, unchanged: 1 });

    // A file without DISK, with VM renamed and its January USD price changed: an update that keeps DISK.
    const r = await importTestCatalog(t.store, [
      metered('AZ-M', [meter('VM', '9.75', { name: 'VM hours' })]),
    ]);
    expect(r).toMatchObject({ added: 0, updated: 1, unchanged: 0 });
    const meters = await metersOf('AZ-M');
    expect(meters.map((m) => [m.meter_id, m.name]).sort()).toEqual([
      ['DISK', 'Meter DISK'],
      ['VM', 'VM hours'],
    ]);
    const prices = await pricesOf('AZ-M');
    expect(prices).toHaveLength(8);
    expect(
      prices
        .filter((p) => p.meter_id === 'VM' && p.currency === 'USD')
        .map((p) => [p.effective_from, p.unit_price]),
    ).toEqual([
      ['2026-01-01', '9.750000'],
      ['2026-10-01', '10.100000'],
    ]);
    // Unchanged again (DISK, kept in the store but absent from the file, is no change).
    expect(
      await importTestCatalog(t.store, [metered('AZ-M', [meter('VM', '9.75', { name: 'VM hours' })])]),
    ).toMatchObject({ updated: 0, unchanged: 1 });
  });

  describe('GET /v1/offers/{offerId}/meters', () => {
    it('lists the meters with their dated prices, in one currency when asked; a licence offer has none', async () => {
      await importTestCatalog(t.store, [
        metered('AZ-R', [meter('VM'), meter('DISK', 0.5)]),
        licenseOffer('LIC-R', 'Licence'),
      ]);
      const { partner, admin } = await createPartnerWithAdmin(t.store);
      const billing = await createUser(t.store, partner.id, { roles: ['billingAdmin'] });
      const all = await injectAs(t.app, billing.token, 'GET', '/v1/offers/AZ-R/meters');
      expect(all.statusCode, all.body).toBe(200);
      expect(all.json()).toMatchObject({ totalCount: 2, attributes: { objectType: 'Collection' } });
      const vm = all.json().items.find((m: { meterId: string }) => m.meterId === 'VM');
      expect(vm).toMatchObject({
        name: 'Meter VM',
        category: 'Virtual Machines',
        unit: '1 Hour',
        attributes: { objectType: 'OfferMeter' },
      });
      expect(vm.prices).toHaveLength(4);

      const usd = await injectAs(t.app, admin.token, 'GET', '/v1/offers/AZ-R/meters?currencyCode=usd');
      expect(usd.statusCode, usd.body).toBe(200);
      expect(usd.json().items.find((m: { meterId: string }) => m.meterId === 'VM').prices).toEqual([
        { currencyCode: 'USD', effectiveFrom: '2026-01-01', unitPrice: '9.6' },
        { currencyCode: 'USD', effectiveFrom: '2026-10-01', unitPrice: '10.1' },
      ]);
      expect(usd.json().items.find((m: { meterId: string }) => m.meterId === 'DISK').prices).toEqual([
        { currencyCode: 'USD', effectiveFrom: '2026-01-01', unitPrice: '0.5' },
        { currencyCode: 'USD', effectiveFrom: '2026-10-01', unitPrice: '10.1' },
      ]);

      const licence = await injectAs(t.app, admin.token, 'GET', '/v1/offers/LIC-R/meters');
      expect(licence.json()).toMatchObject({ totalCount: 0, items: [] });
      const missing = await injectAs(t.app, admin.token, 'GET', '/v1/offers/NO-SUCH-OFFER/meters');
      expect(missing.statusCode).toBe(404);
      expect(missing.json().name).toBe('offerNotFound');
      const badCurrency = await injectAs(
        t.app,
        admin.token,
        'GET',
        '/v1/offers/AZ-R/meters?currencyCode=dollars',
      );
      expect(badCurrency.statusCode).toBe(400);
      expect(badCurrency.json().details).toEqual([{ field: 'currencyCode', reason: expect.any(String) }]);
    });
  });
});
