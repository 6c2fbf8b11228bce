// The invoice job on a real store: a month's license charges become one invoice, written once.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMaintenance } from '../src/jobs/maintenance.jobs.ts';
import { closeDuePeriods } from '../src/modules/billing/invoices.close.ts';
import { createCreditNote } from '../src/modules/billing/invoices.creditnotes.ts';
import type { TestApp } from './helpers/app.ts';
import { createTestApp, injectAs, testClock } from './helpers/app.ts';
import { createPartnerWithAdmin } from './helpers/factories.ts';
import { insertReadyCustomer, insertTestCatalog, subscribe } from './helpers/offers.ts';

const clock = testClock(new Date('2026-11-01T09:00:00Z'));
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ clock });
});
afterAll(async () => t?.close());

describe('invoice job', () => {
  it('invoices a month once, prorating a mid-month increase, and never changes the invoice', async () => {
    const catalog = await insertTestCatalog(t.store);
    const p = await createPartnerWithAdmin(t.store);
    const customer = await insertReadyCustomer(t.store, p.partner.id, { name: 'Adatum Corporation' });
    const sub = await subscribe(t.app, p.admin.token, customer.id, catalog.suite, 10);
    const url = `/v1/customers/${customer.id}/subscriptions/${sub}`;
    clock.set(new Date('2026-11-16T10:00:00Z'));
    const got = await injectAs(t.app, p.admin.token, 'GET', url);
    const patched = await injectAs(t.app, p.admin.token, 'PATCH', url, {
      payload: { quantity: 15 },
      headers: { 'if-match': got.json().attributes.etag },
    });
    expect(patched.statusCode).toBe(200);

    clock.set(new Date('2026-12-01T00:05:00Z'));
    const first = await closeDuePeriods(t.store.owner, clock.now(), { partnerId: p.partner.id });
    expect(first).toEqual({ invoices: 1, periods: 1 });
    const invoices = await t.store.owner
      .selectFrom('invoices')
      .selectAll()
      .where('partner_id', '=', p.partner.id)
      .execute();
    expect(invoices).toHaveLength(1);
    const lines = await t.store.owner
      .selectFrom('invoice_line_items')
      .select(['line_number', 'quantity', 'days', 'amount', 'charge_type', 'customer_name'])
      .where('invoice_id', '=', invoices[0]!.id)
      .orderBy('line_number')
      .execute();
    // 3600 a seat a month: 10 × 3600 × 15/30 = 18000, 15 × 3600 × 15/30 = 27000.
    expect(lines).toEqual([
      {
        line_number: 1,
        quantity: '10.000000',
        days: 15,
        amount: 18000,
        charge_type: 'prorateCharge',
        customer_name: 'Adatum Corporation',
      },
      {
        line_number: 2,
        quantity: '15.000000',
        days: 15,
        amount: 27000,
        charge_type: 'prorateCharge',
        customer_name: 'Adatum Corporation',
      },
    ]);
    expect(invoices[0]).toMatchObject({
      total_charges: 45000,
      line_count: 2,
      billing_period_start: '2026-11-01',
      billing_period_end: '2026-11-30',
    });

    expect(await closeDuePeriods(t.store.owner, clock.now(), { partnerId: p.partner.id })).toEqual({
      invoices: 0,
      periods: 0,
    });
    await expect(
      sql`update invoices set total_charges = 1 where id = ${invoices[0]!.id}`.execute(t.store.owner),
    ).rejects.toThrow(/never change/);
    await expect(
      sql`delete from invoice_line_items where invoice_id = ${invoices[0]!.id}`.execute(t.store.owner),
    ).rejects.toThrow(/never change/);

    const note = await createCreditNote(
      t.store.owner,
      {
        invoiceId: invoices[0]!.id,
        lines: [{ lineNumber: 2, amount: 7000 }],
        reason: 'Seats added by mistake',
      },
      clock.now(),
    );
    expect(note).toMatchObject({ totalCharges: -7000, currencyCode: 'USD' });
    await expect(
      createCreditNote(
        t.store.owner,
        { invoiceId: invoices[0]!.id, lines: [{ lineNumber: 2, amount: 20001 }], reason: 'Again' },
        clock.now(),
      ),
    ).rejects.toMatchObject({ errorName: 'creditNoteExceedsLine' });
    const rest = await createCreditNote(
      t.store.owner,
      { invoiceId: invoices[0]!.id, lines: [{ lineNumber: 2 }], reason: 'The rest' },
      clock.now(),
    );
    expect(rest.totalCharges).toBe(-20000);
  });

  it('invoices a month only once late usage has had its time, and charges a change dated in a closed month from the next', async () => {
    const catalog = await insertTestCatalog(t.store);
    const p = await createPartnerWithAdmin(t.store);
    const customer = await insertReadyCustomer(t.store, p.partner.id, { name: 'Fabrikam' });
    clock.set(new Date('2027-03-01T09:00:00Z'));
    const sub = await subscribe(t.app, p.admin.token, customer.id, catalog.suite, 2);
    const invoicesOf = () =>
      t.store.owner
        .selectFrom('invoices')
        .select(['billing_period_start', 'total_charges'])
        .where('partner_id', '=', p.partner.id)
        .orderBy('billing_period_start')
        .execute();

    // Four minutes into April, March is not invoiced yet (72 hours by default); three days later it is.
    await runMaintenance(t.store.owner, new Date('2027-04-01T00:04:00Z'));
    expect(await invoicesOf()).toEqual([]);
    await runMaintenance(t.store.owner, new Date('2027-04-04T00:05:00Z'));
    // 2 × 3600 for the whole of March.
    expect(await invoicesOf()).toEqual([{ billing_period_start: '2027-03-01', total_charges: 7200 }]);

    // A process whose clock lags writes a change dated 31 March, after March was invoiced: it counts from
    // 1 April instead of being lost. April: 5 × 3600 (the new quantity from the 1st) = 18000.
    // (written as the owner, the way the subscriptions service writes it, with its lagging clock's time)
    await t.store.owner
      .updateTable('subscriptions')
      .set({ quantity: 5, updated_at: new Date('2027-03-31T23:59:00Z') })
      .where('id', '=', sub)
      .execute();
    const states = await t.store.owner
      .selectFrom('subscription_states')
      .select(['valid_from', 'quantity'])
      .where('subscription_id', '=', sub)
      .orderBy('valid_from')
      .execute();
    expect(states).toEqual([
      { valid_from: new Date('2027-03-01T09:00:00Z'), quantity: 2 },
      { valid_from: new Date('2027-04-01T00:00:00Z'), quantity: 5 },
    ]);
    await closeDuePeriods(t.store.owner, new Date('2027-05-01T00:00:00Z'), { partnerId: p.partner.id });
    expect(await invoicesOf()).toEqual([
      { billing_period_start: '2027-03-01', total_charges: 7200 },
      { billing_period_start: '2027-04-01', total_charges: 18000 },
    ]);
  });
});
