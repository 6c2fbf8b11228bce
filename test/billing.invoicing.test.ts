// What partners must be able to trust about invoices (issue 8, "Done when"): running the invoice job again adds
// nothing; an issued invoice never changes — not by a database write, not by later usage or quantity changes —
// and its month takes no more usage; re-sending a usage batch changes nothing; corrections are credit notes that
// leave the invoice as it was and never credit more than a line; the reconciliation CSV adds up to the invoice.
// Driven through the API with a controlled clock and the real invoice job; amounts worked out by hand.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closePeriod } from '../src/modules/billing/invoices.close.ts';
import { createCreditNote } from '../src/modules/billing/invoices.creditnotes.ts';
import type { TestApp } from './helpers/app.ts';
import { createTestApp, testClock } from './helpers/app.ts';
import { minorUnits } from './helpers/billing.ts';
import type { BillingCatalog, Invoice, LineItem } from './helpers/billing-world.ts';
import {
  billingApi,
  closeFor,
  day,
  insertBillingCatalog,
  sumOf,
  usageItems,
} from './helpers/billing-world.ts';
import type { TestUser } from './helpers/factories.ts';
import { createPartnerWithAdmin } from './helpers/factories.ts';
import { insertReadyCustomer } from './helpers/offers.ts';
import { setCustomerCountry } from './helpers/transfers.ts';

const clock = testClock(new Date('2027-10-01T08:00:00Z'));
const at = (iso: string) => clock.set(new Date(iso));
let t: TestApp;
let cat: BillingCatalog;

/**
 * October 2027 (31 days) of one partner, invoiced on 1 November at 00:05:
 * - customer `us` (USD): 4 seats at 1000 all month → cycleCharge 4 × 1000 × 31/31 = 4000; and an Azure plan with
 *   the batch below of `compute` usage at 45.5 an hour (its price since 15 July): 1.5 + 2.25 + 0.125
 *   = 3.875 hours, exactly 68.25 + 102.375 + 5.6875 = 176.3125 → 176 (rounded once, for the line).
 *   USD invoice: 4000 + 176 = 4176.
 * - customer `jp` (JPY): 1 seat at ¥1001 from 17 October → 1 × 1001 × 15/31 (17th–31st) = 15015/31 = 484.35… → 484.
 *   JPY invoice: 484.
 */
let admin: TestUser;
let api: ReturnType<typeof billingApi>;
let us: { id: string };
let seats: string;
let azure: string;
let batch: ReturnType<typeof usageItems>;
let firstAnswer: Awaited<ReturnType<ReturnType<typeof billingApi>['recordUsage']>>;
let usd: { invoice: Invoice; lines: LineItem[] };
let jpy: { invoice: Invoice; lines: LineItem[] };

const usageRows = () =>
  t.store.owner
    .selectFrom('usage_records')
    .selectAll()
    .where('partner_id', '=', admin.partnerId)
    .orderBy('client_record_id')
    .execute();
const invoiceRows = () =>
  t.store.owner
    .selectFrom('invoices')
    .selectAll()
    .where('partner_id', '=', admin.partnerId)
    .orderBy('id')
    .execute();
const lineRows = () =>
  t.store.owner
    .selectFrom('invoice_line_items')
    .selectAll()
    .where('partner_id', '=', admin.partnerId)
    .orderBy('invoice_id')
    .orderBy('line_number')
    .execute();

async function read(currencyCode: string) {
  const found = (await api.invoices('2027-10', '&documentType=invoice')).filter(
    (i) => i.currencyCode === currencyCode,
  );
  expect(found).toHaveLength(1);
  return { invoice: await api.invoice(found[0]!.id), lines: await api.lines(found[0]!.id) };
}

beforeAll(async () => {
  t = await createTestApp({ clock });
  cat = await insertBillingCatalog(t.store);
  ({ admin } = await createPartnerWithAdmin(t.store));
  api = billingApi(t.app, () => admin.token);
  us = await insertReadyCustomer(t.store, admin.partnerId);
  const jp = await insertReadyCustomer(t.store, admin.partnerId);
  await setCustomerCountry(t.store, jp.id, 'JP');

  at('2027-10-01T08:00:00Z');
  seats = await api.subscribe(us.id, cat.seats, {
    quantity: 4,
    termDuration: 'P1M',
    billingCycle: 'monthly',
  });
  azure = await api.subscribe(us.id, cat.azure);
  at('2027-10-17T08:00:00Z');
  await api.subscribe(jp.id, cat.odd, { quantity: 1, termDuration: 'P1M', billingCycle: 'monthly' });
  batch = usageItems(azure, 'compute', [
    ['2027-10-02', '1.5'], // 1.5 × 45.5 = 68.25
    ['2027-10-03', '2.25'], // 2.25 × 45.5 = 102.375
    ['2027-10-04', '0.125'], // 0.125 × 45.5 = 5.6875
  ]);
});
afterAll(() => t.close());

describe('usage batches', () => {
  it('re-sending the same batch changes nothing: the same rows, ids and amounts', async () => {
    at('2027-10-05T12:00:00Z');
    firstAnswer = await api.recordUsage(batch);
    expect(firstAnswer.items.map((i) => Number(i.amount))).toEqual([68.25, 102.375, 5.6875]);
    const rows = await usageRows();
    expect(rows).toHaveLength(3);

    at('2027-10-06T12:00:00Z');
    const again = await api.postUsage(batch);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ accepted: 0, duplicates: 3 });
    expect(again.json().items.map((i: { id: string; status: string }) => [i.id, i.status])).toEqual(
      firstAnswer.items.map((i) => [i.id, 'duplicate']),
    );
    expect(await usageRows()).toEqual(rows);

    // The same client record id with other content is a conflict, and nothing of the batch is written.
    const changed = await api.postUsage([
      { ...batch[0]!, quantity: '2' },
      ...usageItems(azure, 'compute', [['2027-10-05', 1]]),
    ]);
    expect(changed.statusCode, changed.body).toBe(409);
    expect(changed.json().name).toBe('usageRecordConflict');
    expect(await usageRows()).toEqual(rows);
  });
});

describe('the invoice job', () => {
  it('issues October once: USD 4176 and JPY 484', async () => {
    at('2027-11-01T00:05:00Z');
    expect(await closeFor(t.store, admin.partnerId, clock.now())).toEqual({ invoices: 2, periods: 1 });
    usd = await read('USD');
    jpy = await read('JPY');
    expect(usd.invoice.totalCharges).toBe(4176); // 4000 + 176
    expect(sumOf(usd.lines)).toBe(4176);
    expect(
      usd.lines.map((l) => [l.subscriptionId, l.chargeType, Number(l.quantity), l.amount]).sort(),
    ).toEqual(
      [
        [seats, 'cycleCharge', 4, 4000], // 4 × 1000 × 31/31
        [azure, 'usage', 3.875, 176], // 176.3125 → 176 — counted once though sent twice
      ].sort(),
    );
    expect(jpy.invoice.totalCharges).toBe(484); // 1 × 1001 × 15/31 = 484.35… → 484
    expect(jpy.lines.map((l) => l.amount)).toEqual([484]);
  });

  it('run again — at once, later, or for the one month — creates nothing', async () => {
    const invoices = await invoiceRows();
    const lines = await lineRows();
    expect(invoices).toHaveLength(2);
    expect(await closeFor(t.store, admin.partnerId, clock.now())).toEqual({ invoices: 0, periods: 0 });
    expect(await closeFor(t.store, admin.partnerId, new Date('2027-11-01T06:00:00Z'))).toEqual({
      invoices: 0,
      periods: 0,
    });
    expect(
      await closePeriod(t.store.owner, admin.partnerId, '2027-10-01', new Date('2027-11-01T07:00:00Z')),
    ).toEqual({ invoices: [], closed: false });
    // Two at once add nothing either.
    await Promise.all([
      closeFor(t.store, admin.partnerId, new Date('2027-11-01T08:00:00Z')),
      closeFor(t.store, admin.partnerId, new Date('2027-11-01T08:00:00Z')),
    ]);
    expect(await invoiceRows()).toEqual(invoices);
    expect(await lineRows()).toEqual(lines);
    expect((await api.invoices('2027-10')).map((i) => i.id).sort()).toEqual(
      [usd.invoice.id, jpy.invoice.id].sort(),
    );
  });

  it('an issued invoice never changes: the database refuses, and later changes leave it as it was', async () => {
    const id = usd.invoice.id;
    const db = t.store.owner;
    await expect(
      db.updateTable('invoices').set({ total_charges: 0 }).where('id', '=', id).execute(),
    ).rejects.toThrow(/never change/);
    await expect(db.deleteFrom('invoices').where('id', '=', id).execute()).rejects.toThrow(/never change/);
    await expect(
      db.updateTable('invoice_line_items').set({ amount: 1 }).where('invoice_id', '=', id).execute(),
    ).rejects.toThrow(/never change/);
    await expect(db.deleteFrom('invoice_line_items').where('invoice_id', '=', id).execute()).rejects.toThrow(
      /never change/,
    );

    // November: more seats, usage in the new month; usage for October is refused.
    at('2027-11-03T10:00:00Z');
    await api.patch(us.id, seats, { quantity: 9 });
    const late = await api.postUsage(usageItems(azure, 'compute', [['2027-10-20', 5]]));
    expect(late.statusCode, late.body).toBe(409);
    expect(late.json().name).toBe('billingPeriodClosed');
    await api.recordUsage(usageItems(azure, 'compute', [['2027-11-02', 5]]));
    // The batch October already has, sent again after the close: answered as duplicates (a client retrying
    // after a lost answer must not be told its usage was refused), and nothing changes.
    const rows = await usageRows();
    const resent = await api.postUsage(batch);
    expect(resent.statusCode, resent.body).toBe(200);
    expect(resent.json()).toMatchObject({ accepted: 0, duplicates: 3 });
    expect(await usageRows()).toEqual(rows);

    expect(await read('USD')).toEqual(usd);
    expect(await read('JPY')).toEqual(jpy);
  });

  it('a credit note amends an invoice without changing it, and never credits more than a line', async () => {
    const usage = usd.lines.find((l) => l.chargeType === 'usage')!;
    const licence = usd.lines.find((l) => l.chargeType === 'cycleCharge')!;
    const now = clock.now();
    const first = await createCreditNote(
      t.store.owner,
      { invoiceId: usd.invoice.id, lines: [{ lineNumber: usage.lineNumber, amount: 100 }], reason: 'Outage' },
      now,
    );
    expect(first).toMatchObject({ totalCharges: -100, currencyCode: 'USD' });
    expect(first.id).toMatch(/^CN\d{10}$/);
    // Without an amount: what is left of the line, 176 − 100 = 76.
    const rest = await createCreditNote(
      t.store.owner,
      { invoiceId: usd.invoice.id, lines: [{ lineNumber: usage.lineNumber }], reason: 'The rest of it' },
      now,
    );
    expect(rest.totalCharges).toBe(-76);
    // Nothing is left of the usage line; the licence line has 4000, not 4001.
    for (const line of [
      { lineNumber: usage.lineNumber, amount: 1 },
      { lineNumber: licence.lineNumber, amount: 4001 },
    ])
      await expect(
        createCreditNote(
          t.store.owner,
          { invoiceId: usd.invoice.id, lines: [line], reason: 'Too much' },
          now,
        ),
      ).rejects.toMatchObject({ errorName: 'creditNoteExceedsLine', code: 101306 });

    // The invoice: as issued, its amendments listed.
    const after = await api.invoice(usd.invoice.id);
    expect(after.totalCharges).toBe(4176);
    expect(await api.lines(usd.invoice.id)).toEqual(usd.lines);
    expect(after.amendments.map((a) => [a.id, a.totalCharges]).sort()).toEqual(
      [
        [first.id, -100],
        [rest.id, -76],
      ].sort(),
    );
    // Everything but its amendments (and so its etag) as issued.
    const issuedPart = (i: Invoice) => {
      const {
        amendments: _amendments,
        attributes: _attributes,
        ...rest
      } = i as Invoice & {
        attributes?: unknown;
      };
      return rest;
    };
    expect(issuedPart(after)).toEqual(issuedPart(usd.invoice));

    // The credit note: a document of its own in the invoice's currency, type and period, with a negative line.
    const note = await api.invoice(first.id);
    expect(note).toMatchObject({
      documentType: 'creditNote',
      invoiceType: 'recurring',
      amendsOf: usd.invoice.id,
      reason: 'Outage',
      currencyCode: 'USD',
      totalCharges: -100,
      lineCount: 1,
    });
    expect(day(note.billingPeriodStartDate)).toBe('2027-10-01');
    const noteLines = await api.lines(first.id);
    expect(noteLines).toEqual([
      expect.objectContaining({
        lineNumber: 1,
        chargeType: 'creditNote',
        subscriptionId: azure,
        amount: -100,
        currencyCode: 'USD',
      }),
    ]);
    const amended = await t.store.owner
      .selectFrom('invoice_line_items')
      .select('amends_line')
      .where('invoice_id', '=', first.id)
      .executeTakeFirstOrThrow();
    expect(amended.amends_line).toBe(usage.lineNumber);
    expect((await api.invoices('2027-10', '&documentType=creditNote')).map((i) => i.id).sort()).toEqual(
      [first.id, rest.id].sort(),
    );

    // The month's figures net of credit notes: USD 4176 − 100 − 76 = 4000; JPY 484.
    const summaries = await api.call('GET', '/v1/invoices/summaries?months=12');
    expect(summaries.statusCode, summaries.body).toBe(200);
    const october = (code: string) =>
      (
        summaries.json().items as {
          currencyCode: string;
          months: { billingPeriodStartDate: string; totalCharges: number }[];
        }[]
      )
        .find((i) => i.currencyCode === code)!
        .months.find((m) => day(m.billingPeriodStartDate) === '2027-10-01')!;
    expect(october('USD').totalCharges).toBe(4000);
    expect(october('JPY').totalCharges).toBe(484);
  });

  it('the reconciliation CSV has every line and adds up to the invoice total, in 2 and in 0 decimals', async () => {
    const HEADER =
      'InvoiceNumber,LineNumber,CustomerId,CustomerName,SubscriptionId,SubscriptionName,OfferId,OfferName,MeterName,ChargeType,Quantity,UnitPrice,Days,ChargeStartDate,ChargeEndDate,BillingPeriodStart,BillingPeriodEnd,Amount,Currency';
    for (const [doc, decimals, amounts] of [
      [usd, 2, { cycleCharge: '40.00', usage: '1.76' }], // 4000 and 176 cents
      [jpy, 0, { prorateCharge: '484' }], // ¥484
    ] as const) {
      const csv = await api.reconciliation(doc.invoice.id);
      expect(csv.header.join(',')).toBe(HEADER);
      expect(csv.rows).toHaveLength(doc.invoice.lineCount);
      const total = csv.rows.reduce((s, r) => s + minorUnits(r.Amount!, decimals), 0);
      expect(total).toBe(doc.invoice.totalCharges); // USD 40.00 + 1.76 = 41.76; JPY 484
      expect(Object.fromEntries(csv.rows.map((r) => [r.ChargeType, r.Amount]))).toEqual(amounts);
      for (const r of csv.rows) {
        expect(r).toMatchObject({
          InvoiceNumber: doc.invoice.id,
          Currency: doc.invoice.currencyCode,
          BillingPeriodStart: '2027-10-01',
          BillingPeriodEnd: '2027-10-31',
        });
        const line = doc.lines.find((l) => l.lineNumber === Number(r.LineNumber))!;
        expect(r.SubscriptionId).toBe(line.subscriptionId);
        expect(r.CustomerId).toBe(line.customerId);
        expect(minorUnits(r.Amount!, decimals)).toBe(line.amount);
        // The unit price in major units too: USD 1000 → 10, 40 → 0.4; ¥1001 → 1001.
        expect(Number(r.UnitPrice) * 10 ** decimals).toBeCloseTo(Number(line.unitPrice), 6);
      }
    }
  });
});
