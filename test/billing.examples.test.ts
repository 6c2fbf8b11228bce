// Billing's worked examples (issue 8, "Done when"): each drives the real API with a controlled clock — orders,
// quantity changes, suspensions, a transfer, usage — runs the real invoice job, and reads the invoice back
// through the API. Every expected amount is worked out by hand from the rules in PRODUCT.md feature 10 and the
// billing contract, with the arithmetic beside it; none is copied from the code's output.
//
// The rules used: a month is a calendar month in UTC and a change counts from the UTC day it happens on;
// monthly billing cycle: quantity × monthly price × days / days in month per stretch (cycleCharge for a whole
// month, else prorateCharge), nothing while suspended; annual billing cycle: quantity × cycle price at the cycle
// start, Δ quantity × cycle price × remaining days / cycle days on a change; usage: one line per subscription,
// meter and price, amount = round(Σ exact record amounts); one-time: quantity × price, its own invoice type.
// Every line is rounded once, half away from zero, to a whole minor unit; totals are sums of lines.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TransferWorker } from '../src/modules/transfers/transfers.worker.ts';
import { createTransferWorker } from '../src/modules/transfers/transfers.worker.ts';
import type { TestApp } from './helpers/app.ts';
import { createTestApp, testClock } from './helpers/app.ts';
import type { BillingCatalog, Invoice, LineItem } from './helpers/billing-world.ts';
import {
  billingApi,
  charge,
  closeFor,
  day,
  insertBillingCatalog,
  sumOf,
  usageItems,
} from './helpers/billing-world.ts';
import type { TestUser } from './helpers/factories.ts';
import { createPartnerWithAdmin } from './helpers/factories.ts';
import { insertReadyCustomer } from './helpers/offers.ts';
import { insertCustomerUser, insertRelationship, issueCustomerToken } from './helpers/relationships.ts';
import { setCustomerCountry, transfersApi } from './helpers/transfers.ts';

const clock = testClock(new Date('2027-01-01T00:00:00Z'));
const at = (iso: string) => clock.set(new Date(iso));
let t: TestApp;
let cat: BillingCatalog;
let worker: TransferWorker;

beforeAll(async () => {
  t = await createTestApp({ clock, transferWorker: false });
  cat = await insertBillingCatalog(t.store);
  worker = createTransferWorker({ owner: t.store.owner, clock });
});
afterAll(() => t.close());

/** A partner of its own (the invoice job runs for it alone) with a Global admin and a customer ready to order. */
async function world(country = 'US') {
  const { admin } = await createPartnerWithAdmin(t.store);
  const customer = await insertReadyCustomer(t.store, admin.partnerId);
  if (country !== 'US') await setCustomerCountry(t.store, customer.id, country);
  return {
    admin,
    customer,
    api: billingApi(t.app, () => admin.token),
  };
}

async function anotherCustomer(admin: TestUser, country = 'US') {
  const customer = await insertReadyCustomer(t.store, admin.partnerId);
  if (country !== 'US') await setCustomerCountry(t.store, customer.id, country);
  return customer;
}

/** The partner's one invoice of `period` (`YYYY-MM`) of `invoiceType` and currency, with its lines. */
async function theInvoice(
  api: ReturnType<typeof billingApi>,
  period: string,
  filter: { invoiceType?: string; currencyCode?: string } = {},
): Promise<{ invoice: Invoice; lines: LineItem[] }> {
  const found = (await api.invoices(period)).filter(
    (i) =>
      i.documentType === 'invoice' &&
      (!filter.invoiceType || i.invoiceType === filter.invoiceType) &&
      (!filter.currencyCode || i.currencyCode === filter.currencyCode),
  );
  expect(found, JSON.stringify(found)).toHaveLength(1);
  const invoice = await api.invoice(found[0]!.id);
  const lines = await api.lines(invoice.id);
  // Every invoice: numbered lines 1…n, as many as it says, and a total that is the sum of its lines.
  expect(lines.map((l) => l.lineNumber)).toEqual(lines.map((_, i) => i + 1));
  expect(invoice.lineCount).toBe(lines.length);
  expect(invoice.totalCharges).toBe(sumOf(lines));
  for (const l of lines) expect(l.invoiceNumber).toBe(invoice.id);
  return { invoice, lines };
}

/** Lines of one subscription, in start date order. */
const linesOf = (lines: LineItem[], subscriptionId: string) =>
  lines
    .filter((l) => l.subscriptionId === subscriptionId)
    .sort((a, b) => day(a.chargeStartDate).localeCompare(day(b.chargeStartDate)));

describe('worked examples', () => {
  it('a: a mid-month quantity increase, monthly billing cycle, in a 30-day month', async () => {
    // November 2027 has 30 days.
    at('2027-11-01T09:00:00Z');
    const { admin, customer, api } = await world();
    const growing = await api.subscribe(customer.id, cat.seats, {
      quantity: 10,
      termDuration: 'P1M',
      billingCycle: 'monthly',
    });
    const steady = await api.subscribe(customer.id, cat.seats, {
      quantity: 3,
      termDuration: 'P1M',
      billingCycle: 'monthly',
    });
    // Two changes on the 16th: the last one of the day counts (15 seats from the 16th, never 12).
    at('2027-11-16T10:00:00Z');
    await api.patch(customer.id, growing, { quantity: 12 });
    at('2027-11-16T15:30:00Z');
    await api.patch(customer.id, growing, { quantity: 15 });

    at('2027-12-01T00:05:00Z');
    expect(await closeFor(t.store, admin.partnerId, clock.now())).toMatchObject({ invoices: 1 });
    const { invoice, lines } = await theInvoice(api, '2027-11');

    expect(linesOf(lines, growing).map(charge)).toEqual([
      {
        subscriptionId: growing,
        chargeType: 'prorateCharge',
        quantity: 10,
        unitPrice: 1000,
        days: 15, // 1st–15th
        chargeStartDate: '2027-11-01',
        chargeEndDate: '2027-11-15',
        amount: 5000, // 10 × 1000 × 15/30 = 5000
      },
      {
        subscriptionId: growing,
        chargeType: 'prorateCharge',
        quantity: 15,
        unitPrice: 1000,
        days: 15, // 16th–30th
        chargeStartDate: '2027-11-16',
        chargeEndDate: '2027-11-30',
        amount: 7500, // 15 × 1000 × 15/30 = 7500
      },
    ]);
    expect(linesOf(lines, steady).map(charge)).toEqual([
      {
        subscriptionId: steady,
        chargeType: 'cycleCharge', // the whole month
        quantity: 3,
        unitPrice: 1000,
        days: 30,
        chargeStartDate: '2027-11-01',
        chargeEndDate: '2027-11-30',
        amount: 3000, // 3 × 1000 × 30/30 = 3000
      },
    ]);
    for (const l of lines)
      expect(l).toMatchObject({
        provider: 'office',
        invoiceLineItemType: 'billingLineItems',
        customerId: customer.id,
        customerName: customer.name,
        offerId: cat.seats,
        currencyCode: 'USD',
      });
    expect(invoice).toMatchObject({
      documentType: 'invoice',
      invoiceType: 'recurring',
      currencyCode: 'USD',
      currencyDecimals: 2,
      totalCharges: 15500, // 5000 + 7500 + 3000
      lineCount: 3,
      amendsOf: null,
    });
    expect(invoice.id).toMatch(/^PD\d{10}$/);
    expect(day(invoice.billingPeriodStartDate)).toBe('2027-11-01');
    expect(day(invoice.billingPeriodEndDate)).toBe('2027-11-30');
    expect(new Date(invoice.invoiceDate).toISOString()).toBe('2027-12-01T00:05:00.000Z');
    expect(invoice.invoiceDetails).toEqual([
      expect.objectContaining({
        billingProvider: 'office',
        invoiceLineItemType: 'billingLineItems',
        lineCount: 3,
        totalCharges: 15500,
      }),
    ]);
  });

  it('b: a suspension and a reactivation inside a month: nothing for the suspended days', async () => {
    // September 2027 has 30 days.
    at('2027-09-01T07:00:00Z');
    const { admin, customer, api } = await world();
    const sub = await api.subscribe(customer.id, cat.seats, {
      quantity: 3,
      termDuration: 'P1M',
      billingCycle: 'monthly',
    });
    at('2027-09-09T12:00:00Z'); // suspended from the 9th
    await api.patch(customer.id, sub, { status: 'suspended' });
    at('2027-09-24T12:00:00Z'); // active again from the 24th
    await api.patch(customer.id, sub, { status: 'active' });

    at('2027-10-01T00:05:00Z');
    await closeFor(t.store, admin.partnerId, clock.now());
    const { invoice, lines } = await theInvoice(api, '2027-09');
    expect(lines.map(charge)).toEqual([
      {
        subscriptionId: sub,
        chargeType: 'prorateCharge',
        quantity: 3,
        unitPrice: 1000,
        days: 8, // 1st–8th
        chargeStartDate: '2027-09-01',
        chargeEndDate: '2027-09-08',
        amount: 800, // 3 × 1000 × 8/30 = 24000/30 = 800
      },
      {
        subscriptionId: sub,
        chargeType: 'prorateCharge',
        quantity: 3,
        unitPrice: 1000,
        days: 7, // 24th–30th
        chargeStartDate: '2027-09-24',
        chargeEndDate: '2027-09-30',
        amount: 700, // 3 × 1000 × 7/30 = 21000/30 = 700
      },
    ]);
    // 9th–23rd (15 days) suspended: no charge. 800 + 700 = 1500.
    expect(invoice.totalCharges).toBe(1500);
  });

  it('c: an annual term with an annual billing cycle: the cycle in advance, nothing next month, changes prorated over the cycle', async () => {
    at('2027-01-15T10:00:00Z');
    const { admin, customer, api } = await world();
    const sub = await api.subscribe(customer.id, cat.seats, {
      quantity: 5,
      termDuration: 'P1Y',
      billingCycle: 'annual',
    });
    // The cycle: 2027-01-15 … 2028-01-14, 365 days (no 29 February in it).

    at('2027-02-01T00:05:00Z');
    await closeFor(t.store, admin.partnerId, clock.now());
    const january = await theInvoice(api, '2027-01');
    expect(january.lines.map(charge)).toEqual([
      {
        subscriptionId: sub,
        chargeType: 'cycleCharge',
        quantity: 5,
        unitPrice: 12000,
        days: 365, // the whole cycle
        chargeStartDate: '2027-01-15',
        chargeEndDate: '2028-01-14',
        amount: 60000, // 5 × 12000, the whole cycle in advance
      },
    ]);
    expect(january.invoice.totalCharges).toBe(60000);

    // February: paid in advance in January; no invoice at all.
    at('2027-03-01T00:05:00Z');
    await closeFor(t.store, admin.partnerId, clock.now());
    expect(await api.invoices('2027-02')).toEqual([]);

    // 12 March: 5 → 8 seats. Days of the cycle gone before the 12th: 15–31 Jan (17) + Feb (28) + 1–11 Mar (11)
    // = 56, so 365 − 56 = 309 days remain, the 12th included (Mar 12–31: 20, Apr 30, May 31, Jun 30, Jul 31,
    // Aug 31, Sep 30, Oct 31, Nov 30, Dec 31, Jan 1–14: 14 → 309).
    at('2027-03-12T10:00:00Z');
    await api.patch(customer.id, sub, { quantity: 8 });
    at('2027-04-01T00:05:00Z');
    await closeFor(t.store, admin.partnerId, clock.now());
    const march = await theInvoice(api, '2027-03');
    expect(march.lines.map(charge)).toEqual([
      {
        subscriptionId: sub,
        chargeType: 'prorateCharge',
        quantity: 3, // 3 more seats
        unitPrice: 12000,
        days: 309,
        chargeStartDate: '2027-03-12',
        chargeEndDate: '2028-01-14',
        amount: 30477, // 3 × 12000 × 309/365 = 11124000/365 = 30476.71… → 30477
      },
    ]);

    // 1 April: 8 → 6 seats, a credit for the rest of the cycle: 309 − 20 (Mar 12–31) = 289 days remain.
    at('2027-04-01T10:00:00Z');
    await api.patch(customer.id, sub, { quantity: 6 });
    at('2027-05-01T00:05:00Z');
    await closeFor(t.store, admin.partnerId, clock.now());
    const april = await theInvoice(api, '2027-04');
    expect(april.lines.map(charge)).toEqual([
      {
        subscriptionId: sub,
        chargeType: 'prorateCredit',
        quantity: -2, // 2 fewer seats
        unitPrice: 12000,
        days: 289,
        chargeStartDate: '2027-04-01',
        chargeEndDate: '2028-01-14',
        // −2 × 12000 × 289/365 = −6936000/365 = −19002.74… → −19003 (half away from zero: away from 0 downwards)
        amount: -19003,
      },
    ]);
    expect(april.invoice.totalCharges).toBe(-19003);
  });

  it('c: an annual term billed monthly: charged month by month in arrears at the annual term’s monthly price', async () => {
    at('2027-01-15T10:00:00Z');
    const { admin, customer, api } = await world();
    const sub = await api.subscribe(customer.id, cat.seats, {
      quantity: 2,
      termDuration: 'P1Y',
      billingCycle: 'monthly',
    });
    at('2027-03-01T00:05:00Z');
    await closeFor(t.store, admin.partnerId, clock.now()); // January and February
    const january = await theInvoice(api, '2027-01');
    expect(january.lines.map(charge)).toEqual([
      {
        subscriptionId: sub,
        chargeType: 'prorateCharge',
        quantity: 2,
        unitPrice: 1100,
        days: 17, // 15th–31st
        chargeStartDate: '2027-01-15',
        chargeEndDate: '2027-01-31',
        amount: 1206, // 2 × 1100 × 17/31 = 37400/31 = 1206.45… → 1206
      },
    ]);
    const february = await theInvoice(api, '2027-02');
    expect(february.lines.map(charge)).toEqual([
      {
        subscriptionId: sub,
        chargeType: 'cycleCharge',
        quantity: 2,
        unitPrice: 1100,
        days: 28,
        chargeStartDate: '2027-02-01',
        chargeEndDate: '2027-02-28',
        amount: 2200, // 2 × 1100 × 28/28
      },
    ]);
  });

  it('d: a transfer on the 10th splits one Azure subscription’s month between the two partners', async () => {
    // May 2027 has 31 days. Meter `compute` costs USD 40 (minor units) an hour all month.
    at('2027-05-01T08:00:00Z');
    const { admin: source, customer, api: sourceApi } = await world();
    const { admin: target } = await createPartnerWithAdmin(t.store);
    const targetApi = billingApi(t.app, () => target.token);
    await insertRelationship(t.store, target.partnerId, customer.id);
    const customerAdmin = await insertCustomerUser(t.store, customer.id, { roles: ['globalAdmin'] });
    const customerToken = await issueCustomerToken(t.store, customer.id, customerAdmin.id);
    const sub = await sourceApi.subscribe(customer.id, cat.azure);
    // Day d's usage: d + 0.5 hours.
    const hours = (from: number, to: number) =>
      Array.from({ length: to - from + 1 }, (_, i) => {
        const d = from + i;
        return [`2027-05-${String(d).padStart(2, '0')}`, `${d}.5`] as [string, string];
      });

    // The source records the 1st–8th before the transfer.
    at('2027-05-09T12:00:00Z');
    await sourceApi.recordUsage(usageItems(sub, 'compute', hours(1, 8)));

    // The transfer completes on the 10th.
    at('2027-05-10T08:00:00Z');
    const transfers = transfersApi(t.app);
    const created = await transfers.create(target.token, customer.id, { subscriptionIds: [sub] });
    expect(created.statusCode, created.body).toBe(201);
    const transferId = created.json().id as string;
    expect((await transfers.consent(customerToken, transferId)).statusCode).toBe(200);
    const accepted = await transfers.accept(source.token, customer.id, transferId);
    expect(accepted.statusCode, accepted.body).toBe(202);
    at('2027-05-10T09:00:00Z');
    await worker.drain();
    const done = await transfers.get(target.token, customer.id, transferId);
    expect(done.json().status).toBe('completed');
    const moved = done.json().lineItems[0].newSubscriptionId as string;

    // After the month: the source's last day (the 9th) on its own row; the rest of the month on the target's.
    at('2027-06-01T00:30:00Z');
    await sourceApi.recordUsage(usageItems(sub, 'compute', hours(9, 9)));
    await targetApi.recordUsage(usageItems(moved, 'compute', hours(10, 31)));
    // Usage from the transfer day on is not the source's; before it, not the target's.
    const late = await sourceApi.postUsage(usageItems(sub, 'compute', [['2027-05-10', 1]]));
    expect(late.statusCode, late.body).toBe(400);
    expect(late.json().name).toBe('usageRecordsRejected');
    const early = await targetApi.postUsage(usageItems(moved, 'compute', [['2027-05-09', 1]]));
    expect(early.statusCode, early.body).toBe(400);
    expect(early.json().name).toBe('usageRecordsRejected');

    at('2027-06-01T01:00:00Z');
    await closeFor(t.store, source.partnerId, clock.now());
    await closeFor(t.store, target.partnerId, clock.now());

    const sourceInvoice = await theInvoice(sourceApi, '2027-05');
    expect(sourceInvoice.lines).toHaveLength(1);
    const s = sourceInvoice.lines[0]!;
    expect(charge(s)).toMatchObject({
      subscriptionId: sub,
      chargeType: 'usage',
      quantity: 49.5, // Σ (d + 0.5), d = 1…9 = 45 + 9 × 0.5 = 49.5 hours
      unitPrice: 40,
      days: null,
      amount: 1980, // 49.5 × 40 = 1980
    });
    expect(s).toMatchObject({ provider: 'azure', invoiceLineItemType: 'usageLineItems', meterId: 'compute' });
    // Its usage is dated 1st–9th: the line runs over the source's part of the month.
    expect([day(s.chargeStartDate), day(s.chargeEndDate)]).toEqual(['2027-05-01', '2027-05-09']);

    const targetInvoice = await theInvoice(targetApi, '2027-05');
    expect(targetInvoice.lines).toHaveLength(1);
    const g = targetInvoice.lines[0]!;
    expect(charge(g)).toMatchObject({
      subscriptionId: moved,
      chargeType: 'usage',
      quantity: 462, // Σ (d + 0.5), d = 10…31 = (10 + 31) × 22/2 + 22 × 0.5 = 451 + 11 = 462 hours
      unitPrice: 40,
      days: null,
      amount: 18480, // 462 × 40 = 18480
    });
    expect([day(g.chargeStartDate), day(g.chargeEndDate)]).toEqual(['2027-05-10', '2027-05-31']);

    // The two parts make the whole month: Σ (d + 0.5), d = 1…31 = 496 + 15.5 = 511.5 hours × 40 = 20460.
    expect(s.amount + g.amount).toBe(20460);
    expect(sourceInvoice.invoice.totalCharges + targetInvoice.invoice.totalCharges).toBe(20460);
    // Each partner's usage list shows only its own days.
    const listed = async (api: typeof sourceApi, subscriptionId: string) => {
      const r = await api.call('GET', `/v1/usage-records?subscriptionId=${subscriptionId}&size=100`);
      expect(r.statusCode, r.body).toBe(200);
      return (r.json().items as { usageDate: string }[]).map((i) => day(i.usageDate)).sort();
    };
    expect(await listed(sourceApi, sub)).toEqual(hours(1, 9).map(([d]) => d));
    expect(await listed(targetApi, moved)).toEqual(hours(10, 31).map(([d]) => d));
  });

  it('e: usage rated across a meter price change: a line per price', async () => {
    // Meter `compute`: USD 40 until 14 July 2027, 45.5 from 15 July.
    at('2027-07-01T06:00:00Z');
    const { admin, customer, api } = await world();
    const sub = await api.subscribe(customer.id, cat.azure);
    at('2027-08-01T00:30:00Z');
    const recorded = await api.recordUsage(
      usageItems(sub, 'compute', [
        ['2027-07-03', 100],
        ['2027-07-14', '20.25'], // the last day of the old price
        ['2027-07-15', 10], // the first day of the new one
        ['2027-07-31', 30],
      ]),
    );
    // Rated at insert with the price of each record's own date.
    expect(recorded.items.map((i) => [Number(i.unitPrice), Number(i.amount)])).toEqual([
      [40, 4000], // 100 × 40
      [40, 810], // 20.25 × 40
      [45.5, 455], // 10 × 45.5
      [45.5, 1365], // 30 × 45.5
    ]);
    const meters = await api.call('GET', `/v1/offers/${cat.azure}/meters?currencyCode=USD`);
    expect(meters.statusCode, meters.body).toBe(200);
    expect(JSON.stringify(meters.json())).toContain('2027-07-15');

    at('2027-08-01T01:00:00Z');
    await closeFor(t.store, admin.partnerId, clock.now());
    const { invoice, lines } = await theInvoice(api, '2027-07');
    expect(
      lines.map((l) => ({ ...charge(l), meterId: l.meterId })).sort((a, b) => a.unitPrice - b.unitPrice),
    ).toEqual([
      expect.objectContaining({
        subscriptionId: sub,
        meterId: 'compute',
        chargeType: 'usage',
        quantity: 120.25, // 100 + 20.25
        unitPrice: 40,
        amount: 4810, // 120.25 × 40 = 4810
      }),
      expect.objectContaining({
        subscriptionId: sub,
        meterId: 'compute',
        chargeType: 'usage',
        quantity: 40, // 10 + 30
        unitPrice: 45.5,
        amount: 1820, // 40 × 45.5 = 1820
      }),
    ]);
    expect(invoice.totalCharges).toBe(6630); // 4810 + 1820
  });

  it('f: rounding once per line, half away from zero, in JPY (0 decimals) and USD (2 decimals)', async () => {
    // June 2027 has 30 days. One partner, a Japanese customer (JPY) and an American one (USD).
    at('2027-06-01T01:00:00Z');
    const { admin, customer: jp, api } = await world('JP');
    const us = await anotherCustomer(admin);
    const jpAzure = await api.subscribe(jp.id, cat.azure);
    const usAzure = await api.subscribe(us.id, cat.azure);
    at('2027-06-16T03:00:00Z');
    const jpSeats = await api.subscribe(jp.id, cat.odd, {
      quantity: 1,
      termDuration: 'P1M',
      billingCycle: 'monthly',
    });
    const usSeats = await api.subscribe(us.id, cat.odd, {
      quantity: 1,
      termDuration: 'P1M',
      billingCycle: 'monthly',
    });

    at('2027-07-01T00:10:00Z');
    const one = (d: string) => [d, 1] as [string, number];
    // JPY: storage 2.5 yen a unit, three records of 1; egress 0.3 yen a unit, four records of 1.
    await api.recordUsage([
      ...usageItems(jpAzure, 'storage', ['2027-06-02', '2027-06-03', '2027-06-04'].map(one)),
      ...usageItems(jpAzure, 'egress', ['2027-06-05', '2027-06-06', '2027-06-07', '2027-06-08'].map(one)),
    ]);
    // USD: storage 0.5 cent a unit, three records of 1; egress 0.125 cent a unit, records of 4 and 6.8.
    await api.recordUsage([
      ...usageItems(usAzure, 'storage', ['2027-06-02', '2027-06-03', '2027-06-04'].map(one)),
      ...usageItems(usAzure, 'egress', [
        ['2027-06-05', 4],
        ['2027-06-06', '6.8'],
      ]),
    ]);

    at('2027-07-01T00:30:00Z');
    expect(await closeFor(t.store, admin.partnerId, clock.now())).toMatchObject({ invoices: 2 });

    const yen = await theInvoice(api, '2027-06', { currencyCode: 'JPY' });
    expect(yen.invoice).toMatchObject({ currencyCode: 'JPY', currencyDecimals: 0, invoiceType: 'recurring' });
    const yenBy = (sub: string, meter: string | null) =>
      yen.lines.find((l) => l.subscriptionId === sub && l.meterId === meter)!;
    // 1 × 1001 × 15/30 (16th–30th) = 500.5 → 501: exactly a half, rounded away from zero.
    expect(charge(yenBy(jpSeats, null))).toMatchObject({
      days: 15,
      amount: 501,
      chargeType: 'prorateCharge',
    });
    // 3 × 2.5 = 7.5 → 8 (rounded once per line; rounding each record, 3 × round(2.5) = 9, would be wrong).
    expect(charge(yenBy(jpAzure, 'storage'))).toMatchObject({ quantity: 3, unitPrice: 2.5, amount: 8 });
    // 4 × 0.3 = 1.2 → 1 (a fraction below a half; each record rounded, 4 × round(0.3) = 0, would be wrong).
    expect(charge(yenBy(jpAzure, 'egress'))).toMatchObject({ quantity: 4, unitPrice: 0.3, amount: 1 });
    expect(yen.lines).toHaveLength(3);
    expect(yen.invoice.totalCharges).toBe(510); // 501 + 8 + 1
    for (const l of yen.lines) expect(l.currencyCode).toBe('JPY');

    const usd = await theInvoice(api, '2027-06', { currencyCode: 'USD' });
    expect(usd.invoice).toMatchObject({ currencyCode: 'USD', currencyDecimals: 2, invoiceType: 'recurring' });
    const usdBy = (sub: string, meter: string | null) =>
      usd.lines.find((l) => l.subscriptionId === sub && l.meterId === meter)!;
    // 1 × 1001 × 15/30 = 500.5 → 501 cents.
    expect(charge(usdBy(usSeats, null))).toMatchObject({
      days: 15,
      amount: 501,
      chargeType: 'prorateCharge',
    });
    // 3 × 0.5 = 1.5 → 2 (each record rounded: 3 × round(0.5) = 3, wrong).
    expect(charge(usdBy(usAzure, 'storage'))).toMatchObject({ quantity: 3, unitPrice: 0.5, amount: 2 });
    // 4 × 0.125 + 6.8 × 0.125 = 0.5 + 0.85 = 1.35 → 1 (each record rounded: 1 + 1 = 2, wrong).
    expect(charge(usdBy(usAzure, 'egress'))).toMatchObject({ quantity: 10.8, unitPrice: 0.125, amount: 1 });
    expect(usd.lines).toHaveLength(3);
    expect(usd.invoice.totalCharges).toBe(504); // 501 + 2 + 1
    for (const l of usd.lines) expect(l.currencyCode).toBe('USD');
  });

  it('g: a one-time purchase (software) is a oneTime invoice of its own', async () => {
    // February 2027 has 28 days.
    at('2027-02-01T09:00:00Z');
    const { admin, customer, api } = await world();
    const seats = await api.subscribe(customer.id, cat.seats, {
      quantity: 1,
      termDuration: 'P1M',
      billingCycle: 'monthly',
    });
    at('2027-02-10T09:00:00Z');
    const software = await api.subscribe(customer.id, cat.software, { quantity: 2 });

    at('2027-03-01T00:05:00Z');
    expect(await closeFor(t.store, admin.partnerId, clock.now())).toMatchObject({ invoices: 2 });
    const oneTime = await theInvoice(api, '2027-02', { invoiceType: 'oneTime' });
    expect(oneTime.lines).toHaveLength(1);
    expect(charge(oneTime.lines[0]!)).toMatchObject({
      subscriptionId: software,
      chargeType: 'oneTime',
      quantity: 2,
      unitPrice: 25000,
      chargeStartDate: '2027-02-10',
      amount: 50000, // 2 × 25000
    });
    expect(oneTime.lines[0]).toMatchObject({ provider: 'oneTime', invoiceLineItemType: 'billingLineItems' });
    expect(oneTime.invoice).toMatchObject({
      invoiceType: 'oneTime',
      currencyCode: 'USD',
      totalCharges: 50000,
      invoiceDetails: [
        expect.objectContaining({ billingProvider: 'oneTime', lineCount: 1, totalCharges: 50000 }),
      ],
    });
    const recurring = await theInvoice(api, '2027-02', { invoiceType: 'recurring' });
    expect(recurring.lines.map(charge)).toEqual([
      {
        subscriptionId: seats,
        chargeType: 'cycleCharge',
        quantity: 1,
        unitPrice: 1000,
        days: 28,
        chargeStartDate: '2027-02-01',
        chargeEndDate: '2027-02-28',
        amount: 1000, // 1 × 1000 × 28/28
      },
    ]);

    // Bought once, charged once: March has the seats and no one-time invoice.
    at('2027-04-01T00:05:00Z');
    await closeFor(t.store, admin.partnerId, clock.now());
    const march = await api.invoices('2027-03');
    expect(march.map((i) => [i.invoiceType, i.totalCharges])).toEqual([['recurring', 1000]]); // 1 × 1000 × 31/31
  });
});
