// GET /v1/offers and /v1/offers/{offerId}: the catalog of the caller's cloud instance, sorted by name; country
// keeps the offers sold there priced in its market's currency; search by name or id (case- and
// accent-insensitive); filters by kind, billing type and parent offer; cursor paging; retired offers and
// offers of other instances are invisible; unknown country 400; unknown offer 404.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from './helpers/app.ts';
import { createTestApp } from './helpers/app.ts';
import type { TestUser } from './helpers/factories.ts';
import { bearer, createPartnerWithAdmin, createUser } from './helpers/factories.ts';
import type { TestOffer } from './helpers/catalog-files.ts';
import {
  importTestCatalog,
  licenseOffer,
  reservationOffer,
  softwareOffer,
  usageOffer,
} from './helpers/catalog-files.ts';

const OFFERS: TestOffer[] = [
  licenseOffer('M365-E3', 'Microsoft 365 E3', { price: 3600, maximumQuantity: 50000 }),
  licenseOffer('M365-BP', 'Microsoft 365 Business Premium', { price: 2200 }),
  licenseOffer('AUDIO-CONF', 'Teams Audio Conferencing', {
    price: 400,
    prerequisiteOffers: ['M365-E3', 'M365-BP'],
  }),
  licenseOffer('DEFENDER-ADDON', 'Defender add-on', { price: 500, prerequisiteOffers: ['M365-BP'] }),
  licenseOffer('CAFE-ZH', 'Café Zürich Connector', { countries: ['DE'], instances: ['global'] }),
  licenseOffer('DE-CLOUD-ONLY', 'Sovereign Mail', { instances: ['germany'] }),
  usageOffer('AZURE-PLAN', 'Azure plan', { productKind: 'azurePlan', instances: ['global'] }),
  usageOffer('AZURE-USAGE', 'Microsoft Azure'),
  softwareOffer('WINSRV-STD', 'Windows Server Standard', { price: 106900, countries: ['US', 'DE'] }),
  reservationOffer('RI-VM', 'Virtual Machines reserved instance', { price: 5000 }),
  licenseOffer('PCT-100', '100% Discount Pack', { price: 0 }),
];

describe('the offer catalog API', () => {
  let t: TestApp;
  let admin: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    ({ admin } = await createPartnerWithAdmin(t.store));
    await importTestCatalog(t.store, OFFERS);
  });
  afterAll(() => t.close());

  const get = (url: string, token = admin.token, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'GET', url, headers: { ...bearer(token), ...headers } });
  const ids = async (url: string, token = admin.token) => {
    const r = await get(url, token);
    expect(r.statusCode, r.body).toBe(200);
    return r.json().items.map((o: { id: string }) => o.id) as string[];
  };

  it('lists the offers of the caller’s instance by name, with every price and no currency', async () => {
    const r = await get('/v1/offers');
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json();
    expect(body.attributes).toEqual({ objectType: 'Collection' });
    // Not DE-CLOUD-ONLY (germany instance only); code point order of names.
    expect(body.items.map((o: { id: string }) => o.id)).toEqual([
      'PCT-100',
      'AZURE-PLAN',
      'CAFE-ZH',
      'DEFENDER-ADDON',
      'M365-BP',
      'M365-E3',
      'AZURE-USAGE',
      'AUDIO-CONF',
      'RI-VM',
      'WINSRV-STD',
    ]);
    expect(body.totalCount).toBe(10);
    const e3 = body.items.find((o: { id: string }) => o.id === 'M365-E3');
    expect(e3).toEqual({
      id: 'M365-E3',
      name: 'Microsoft 365 E3',
      description: 'Microsoft 365 E3 for tests',
      productKind: 'onlineService',
      billingType: 'license',
      unitType: 'Licenses',
      terms: ['P1M', 'P1Y'],
      billingCycles: ['monthly', 'annual'],
      minimumQuantity: 1,
      maximumQuantity: 50000,
      isAddOn: false,
      prerequisiteOffers: [],
      countries: ['*'],
      cancellable: false,
      currency: null,
      prices: expect.any(Array),
      attributes: { objectType: 'Offer' },
    });
    // 3 currencies × (P1M monthly, P1Y monthly, P1Y annual)
    expect(e3.prices).toHaveLength(9);
    expect(e3.prices).toContainEqual({
      currency: 'EUR',
      term: 'P1Y',
      billingCycle: 'annual',
      unitPrice: 43200,
    });
    const audio = body.items.find((o: { id: string }) => o.id === 'AUDIO-CONF');
    expect(audio).toMatchObject({ isAddOn: true, prerequisiteOffers: ['M365-E3', 'M365-BP'] });
    const plan = body.items.find((o: { id: string }) => o.id === 'AZURE-PLAN');
    expect(plan).toMatchObject({
      billingType: 'usage',
      terms: [],
      prices: [],
      minimumQuantity: 1,
      maximumQuantity: 1,
    });
    const ri = body.items.find((o: { id: string }) => o.id === 'RI-VM');
    expect(ri).toMatchObject({ productKind: 'reservation', cancellable: true, unitType: 'Instance' });
  });

  it('with a country keeps the offers sold there, priced only in that market’s currency', async () => {
    const r = await get('/v1/offers?country=de');
    expect(r.statusCode, r.body).toBe(200);
    const items = r.json().items as { id: string; currency: string; prices: { currency: string }[] }[];
    expect(items.map((o) => o.id)).toContain('CAFE-ZH');
    expect(items.map((o) => o.id)).toContain('WINSRV-STD');
    for (const o of items) {
      expect(o.currency, o.id).toBe('EUR');
      for (const p of o.prices) expect(p.currency, o.id).toBe('EUR');
    }
    expect(items.find((o) => o.id === 'M365-E3')!.prices).toHaveLength(3);

    const jp = await ids('/v1/offers?country=JP');
    expect(jp).not.toContain('CAFE-ZH'); // DE only
    expect(jp).not.toContain('WINSRV-STD'); // US and DE only
    expect(jp).toContain('M365-E3');
    const yen = (await get('/v1/offers/M365-E3?country=JP')).json();
    expect(yen.currency).toBe('JPY');
    expect(yen.prices).toContainEqual({
      currency: 'JPY',
      term: 'P1M',
      billingCycle: 'monthly',
      unitPrice: 540000,
    });
  });

  it('refuses a country that is not a market, or not a country code, on field country', async () => {
    for (const country of ['FR', 'USA', '1', '']) {
      const r = await get(`/v1/offers?country=${country}`);
      expect(r.statusCode, country).toBe(400);
      expect(r.json()).toMatchObject({ name: 'validationFailed', details: [{ field: 'country' }] });
    }
    expect((await get('/v1/offers?country=FR')).json().details[0].reason).toMatch(/FR is not a market/);
    const one = await get('/v1/offers/M365-E3?country=FR');
    expect(one.statusCode).toBe(400);
    expect(one.json().details).toEqual([{ field: 'country', reason: expect.stringMatching(/not a market/) }]);
  });

  it('searches names and ids anywhere, case- and accent-insensitively', async () => {
    expect(await ids('/v1/offers?q=cafe%20zurich')).toEqual(['CAFE-ZH']);
    expect(await ids('/v1/offers?q=CAF%C3%89')).toEqual(['CAFE-ZH']);
    expect(await ids('/v1/offers?q=zürich')).toEqual(['CAFE-ZH']);
    expect(await ids('/v1/offers?q=m365-e3')).toEqual(['M365-E3']);
    expect(await ids('/v1/offers?q=microsoft%20365')).toEqual(['M365-BP', 'M365-E3']);
    expect(await ids('/v1/offers?q=premium')).toEqual(['M365-BP']);
    // LIKE's wildcards match themselves.
    expect(await ids('/v1/offers?q=%25')).toEqual(['PCT-100']);
    expect(await ids('/v1/offers?q=_')).toEqual([]);
    const none = await get('/v1/offers?q=nothing-like-this');
    expect(none.json()).toMatchObject({ totalCount: 0, items: [] });
  });

  it('filters by product kind, billing type and parent offer (the add-ons of an offer)', async () => {
    expect(await ids('/v1/offers?productKind=software')).toEqual(['WINSRV-STD']);
    expect(await ids('/v1/offers?billingType=usage')).toEqual(['AZURE-PLAN', 'AZURE-USAGE']);
    expect(await ids('/v1/offers?parentOfferId=M365-BP')).toEqual(['DEFENDER-ADDON', 'AUDIO-CONF']);
    expect(await ids('/v1/offers?parentOfferId=M365-E3')).toEqual(['AUDIO-CONF']);
    expect(await ids('/v1/offers?parentOfferId=AUDIO-CONF')).toEqual([]);
    expect(await ids('/v1/offers?productKind=onlineService&country=DE&q=cafe')).toEqual(['CAFE-ZH']);
    const bad = await get('/v1/offers?productKind=hardware');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().name).toBe('validationFailed');
  });

  it('pages with a continuation token (query or MS-ContinuationToken) bound to its query', async () => {
    const all = await ids('/v1/offers');
    const seen: string[] = [];
    let r = await get('/v1/offers?size=3');
    expect(r.json().totalCount).toBe(10);
    let pages = 1;
    for (;;) {
      const body = r.json();
      expect(body.items.length).toBeLessThanOrEqual(3);
      seen.push(...body.items.map((o: { id: string }) => o.id));
      const next = body.links.next;
      if (!next) break;
      expect(next.uri).toContain('size=3');
      // Every other page through the header instead of the query.
      r =
        pages % 2 === 0
          ? await get(next.uri)
          : await get('/v1/offers?size=3', admin.token, { 'MS-ContinuationToken': next.headers[0].value });
      expect(r.statusCode, r.body).toBe(200);
      pages++;
    }
    expect(pages).toBe(4);
    expect(seen).toEqual(all);

    const first = (await get('/v1/offers?size=3')).json();
    const token = first.links.next.headers[0].value as string;
    const other = await get(`/v1/offers?size=3&country=US&continuationToken=${token}`);
    expect(other.statusCode).toBe(400);
    expect(other.json().name).toBe('invalidContinuationToken');
    const garbage = await get('/v1/offers?continuationToken=bm90LWEtdG9rZW4');
    expect(garbage.statusCode).toBe(400);
    expect(garbage.json().name).toBe('invalidContinuationToken');
  });

  it('gets one offer; an unknown, retired or other-instance offer is 404 offerNotFound', async () => {
    const r = await get('/v1/offers/AUDIO-CONF');
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ id: 'AUDIO-CONF', isAddOn: true, currency: null });
    for (const id of ['NOPE', 'DE-CLOUD-ONLY', 'not an id!', 'm365-e3']) {
      const missing = await get(`/v1/offers/${encodeURIComponent(id)}`);
      expect(missing.statusCode, id).toBe(404);
      expect(missing.json()).toMatchObject({ name: 'offerNotFound', code: 100801 });
    }
    // Sold in DE only: not found for a US buyer.
    expect((await get('/v1/offers/CAFE-ZH?country=US')).statusCode).toBe(404);
    expect((await get('/v1/offers/CAFE-ZH?country=DE')).json().currency).toBe('EUR');
  });

  it('shows each instance its own offers: a usgov partner misses global-only ones, a germany partner sees its own', async () => {
    const { admin: gov } = await createPartnerWithAdmin(t.store, { instance: 'usgov' });
    const govIds = await ids('/v1/offers', gov.token);
    expect(govIds).toContain('M365-E3');
    expect(govIds).not.toContain('AZURE-PLAN');
    expect(govIds).not.toContain('CAFE-ZH');
    expect(govIds).not.toContain('DE-CLOUD-ONLY');
    expect((await get('/v1/offers/AZURE-PLAN', gov.token)).statusCode).toBe(404);
    expect((await get('/v1/offers?q=azure', gov.token)).json().totalCount).toBe(1);

    const { admin: de } = await createPartnerWithAdmin(t.store, { instance: 'germany', country: 'DE' });
    expect(await ids('/v1/offers', de.token)).toEqual(['AZURE-USAGE', 'DE-CLOUD-ONLY']);
    expect((await get('/v1/offers/DE-CLOUD-ONLY', de.token)).statusCode).toBe(200);
  });

  it('is readable by every partner role', async () => {
    const billing = await createUser(t.store, admin.partnerId, { roles: ['billingAdmin'] });
    expect(await ids('/v1/offers?productKind=software', billing.token)).toEqual(['WINSRV-STD']);
    const anonymous = await t.app.inject({ method: 'GET', url: '/v1/offers' });
    expect(anonymous.statusCode).toBe(401);
  });

  it('drops a retired offer from the list and the look-up, and shows it again once re-imported', async () => {
    await importTestCatalog(
      t.store,
      OFFERS.filter((o) => o.id !== 'DEFENDER-ADDON'),
    );
    expect(await ids('/v1/offers')).not.toContain('DEFENDER-ADDON');
    expect(await ids('/v1/offers?parentOfferId=M365-BP')).toEqual(['AUDIO-CONF']);
    expect((await get('/v1/offers/DEFENDER-ADDON')).statusCode).toBe(404);
    await importTestCatalog(t.store, OFFERS);
    expect((await get('/v1/offers/DEFENDER-ADDON')).statusCode).toBe(200);
  });
});
