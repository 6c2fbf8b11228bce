// Recording usage (POST /v1/usage-records) and reading it back (GET): every broken rule of a batch answered per
// record with nothing written; a batch sent twice changes nothing; a client record id reused for other content
// and usage of an invoiced month are 409s; another partner's subscription reads as a missing one; a state change
// counts from the UTC day it happens on; records are rated with the price of their day (across a price change)
// in the subscription's currency, yen included, and kept exactly.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closePeriod } from '../src/modules/billing/invoices.close.ts';
import type { TestApp } from './helpers/app.ts';
import { createTestApp, injectAs, testClock } from './helpers/app.ts';
import type { TestUser } from './helpers/factories.ts';
import { createPartnerWithAdmin, createUser } from './helpers/factories.ts';
import type { TestCatalog } from './helpers/offers.ts';
import { insertTestCatalog } from './helpers/offers.ts';
import { insertRelationship } from './helpers/relationships.ts';
import type { UsageItem } from './helpers/usage.ts';
import {
  addMeters,
  insertCustomerIn,
  insertSubscriptionAt,
  recordId,
  recordUsage,
  setStatusAt,
} from './helpers/usage.ts';

const clock = testClock(new Date('2026-11-20T12:00:00Z'));
let t: TestApp;
let cat: TestCatalog;

beforeAll(async () => {
  t = await createTestApp({ clock, transferWorker: false, userImportWorker: false });
  cat = await insertTestCatalog(t.store);
  await addMeters(t.store, cat.azure);
  await addMeters(t.store, cat.azurePlan);
});
afterAll(() => t?.close());

/** A partner with a Billing admin, a US customer and a usage-based subscription active since 2026-06-01. */
async function world() {
  const { partner, admin } = await createPartnerWithAdmin(t.store);
  const billing = await createUser(t.store, partner.id, { roles: ['billingAdmin'] });
  const customer = await insertCustomerIn(t.store, partner.id, 'US');
  const sub = await insertSubscriptionAt(
    t.store,
    partner.id,
    customer.id,
    cat.azure,
    new Date('2026-06-01T08:00:00Z'),
  );
  return { partner, admin, billing, customer, sub };
}

const item = (subscriptionId: string, over: Partial<UsageItem> = {}): UsageItem => ({
  clientRecordId: recordId(),
  subscriptionId,
  meterId: 'VM',
  usageDate: '2026-11-02',
  quantity: '24',
  ...over,
});

const recordsOf = (partnerId: string) =>
  t.store.owner
    .selectFrom('usage_records')
    .selectAll()
    .where('partner_id', '=', partnerId)
    .orderBy('client_record_id')
    .execute();

const activityOf = (partnerId: string, action: string) =>
  t.store.owner
    .selectFrom('activity_records')
    .selectAll()
    .where('partner_id', '=', partnerId)
    .where('action', '=', action)
    .execute();

describe('rating', () => {
  it('rates each record with the price of its day, across a price change, and keeps the exact amount', async () => {
    const w = await world();
    const items = [
      item(w.sub, { usageDate: '2026-09-30', quantity: 24 }),
      item(w.sub, { usageDate: '2026-10-01', quantity: '24' }),
      item(w.sub, { usageDate: '2026-10-02', quantity: '0.333333' }),
      item(w.sub, {
        usageDate: '2026-11-20',
        meterId: 'STORAGE',
        quantity: '0.5',
        customerId: w.customer.id,
      }),
    ];
    const r = await recordUsage(t.app, w.billing.token, items);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ accepted: 4, duplicates: 0 });
    // 24 h × 9.6 ¢ before October, × 10.1 ¢ from its first day; a third of an hour exactly; half a GB-month.
    expect(r.json().items.map((i: { unitPrice: string; amount: string }) => [i.unitPrice, i.amount])).toEqual(
      [
        ['9.6', '230.4'],
        ['10.1', '242.4'],
        ['10.1', '3.3666633'],
        ['2.08', '1.04'],
      ],
    );
    expect(
      r.json().items.every((i: { status: string; currencyCode: string }) => i.status === 'accepted'),
    ).toBe(true);
    expect(r.json().items[0].currencyCode).toBe('USD');

    const stored = await t.store.owner
      .selectFrom('usage_records')
      .select(['usage_date', 'quantity', 'unit_price', 'amount', 'currency', 'customer_id', 'created_by'])
      .where('subscription_id', '=', w.sub)
      .orderBy('usage_date')
      .execute();
    expect(stored.map((s) => [s.usage_date, s.amount])).toEqual([
      ['2026-09-30', '230.400000000000'],
      ['2026-10-01', '242.400000000000'],
      ['2026-10-02', '3.366663300000'],
      ['2026-11-20', '1.040000000000'],
    ]);
    expect(stored[0]).toMatchObject({
      currency: 'USD',
      customer_id: w.customer.id,
      created_by: w.billing.userName,
    });

    // One activity record for the customer, with the records' days.
    const recorded = await activityOf(w.partner.id, 'usage.recorded');
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ customer_id: w.customer.id, actor_name: w.billing.userName });
    expect(recorded[0]!.details).toMatchObject({
      records: 4,
      subscriptions: 1,
      firstUsageDate: '2026-09-30',
      lastUsageDate: '2026-11-20',
    });
  });

  it('rates a yen subscription in yen, fractions of a yen kept until the invoice line rounds them', async () => {
    const w = await world();
    const jp = await insertCustomerIn(t.store, w.partner.id, 'JP');
    const sub = await insertSubscriptionAt(
      t.store,
      w.partner.id,
      jp.id,
      cat.azurePlan,
      new Date('2026-09-01T00:00:00Z'),
      'JPY',
    );
    const r = await recordUsage(t.app, w.admin.token, [
      item(sub, { usageDate: '2026-09-15', quantity: '3.5' }),
      item(sub, { usageDate: '2026-10-15', quantity: '7' }),
      item(sub, { usageDate: '2026-10-16', meterId: 'STORAGE', quantity: '10' }),
    ]);
    expect(r.statusCode, r.body).toBe(200);
    // 3.5 h × 14.4 ¥ = 50.4 ¥; 7 h × 15.15 ¥ (October's price) = 106.05 ¥; 10 GB × 3.12 ¥ = 31.2 ¥.
    expect(
      r.json().items.map((i: { amount: string; currencyCode: string }) => [i.amount, i.currencyCode]),
    ).toEqual([
      ['50.4', 'JPY'],
      ['106.05', 'JPY'],
      ['31.2', 'JPY'],
    ]);
    // The customer's charges: each month's usage line rounded once to whole yen (50, 106 + 31).
    const charges = await injectAs(t.app, w.admin.token, 'GET', `/v1/customers/${jp.id}/charges?months=3`);
    expect(charges.statusCode, charges.body).toBe(200);
    expect(charges.json()).toMatchObject({
      currencyCode: 'JPY',
      items: [
        { billingPeriodStartDate: '2026-09-01', billed: false, usage: 50, totalCharges: 50 },
        { billingPeriodStartDate: '2026-10-01', billed: false, usage: 137, totalCharges: 137 },
        { billingPeriodStartDate: '2026-11-01', billed: false, usage: 0, totalCharges: 0 },
      ],
    });
  });
});

describe('validation', () => {
  it('names every broken rule per record, and writes nothing of the batch', async () => {
    const w = await world();
    const other = await world();
    const licence = await insertSubscriptionAt(
      t.store,
      w.partner.id,
      w.customer.id,
      cat.suite,
      new Date('2026-06-01T00:00:00Z'),
    );
    // Suspended on 2026-11-05 at 15:00 (that whole day counts as suspended), reactivated on 11-08 at 09:00.
    const paused = await insertSubscriptionAt(
      t.store,
      w.partner.id,
      w.customer.id,
      cat.azure,
      new Date('2025-12-01T00:00:00Z'),
    );
    await setStatusAt(t.store, paused, 'suspended', new Date('2026-11-05T15:00:00Z'));
    await setStatusAt(t.store, paused, 'active', new Date('2026-11-08T09:00:00Z'));

    const dup = recordId('dup');
    const items: UsageItem[] = [
      item(w.sub), // 0: fine
      item(randomUUID()), // 1: no such subscription
      item(other.sub), // 2: another partner's: the same answer
      item(licence), // 3: licence-based
      item(paused, { usageDate: '2026-11-05' }), // 4: suspended that day
      item(paused, { usageDate: '2026-11-07' }), // 5: still suspended
      item(w.sub, { usageDate: '2026-05-31' }), // 6: before it started
      item(w.sub, { meterId: 'GPU' }), // 7: not a meter of the offer
      item(paused, { usageDate: '2025-12-15' }), // 8: no price before 2026
      item(w.sub, { usageDate: '2026-11-21' }), // 9: tomorrow
      item(w.sub, { quantity: -1 }), // 10: negative
      item(w.sub, { quantity: '1.1234567' }), // 11: 7 decimals
      item(w.sub, { clientRecordId: dup }), // 12
      item(w.sub, { clientRecordId: dup }), // 13: repeats 12
      item(w.sub, { usageDate: '2026-02-30' }), // 14: no such day
      item(w.sub, { customerId: other.customer.id }), // 15: not its customer
      item(w.sub, { quantity: 'lots' }), // 16
      item(w.sub, { clientRecordId: ' ' }), // 17
    ];
    const r = await recordUsage(t.app, w.admin.token, items);
    expect(r.statusCode, r.body).toBe(400);
    expect(r.json()).toMatchObject({ name: 'usageRecordsRejected', code: 101301 });
    const details = r.json().details as { field: string; reason: string }[];
    const reason = (field: string) => details.filter((d) => d.field === field).map((d) => d.reason);
    expect(reason('items[1].subscriptionId')).toEqual(['No such subscription']);
    expect(reason('items[2].subscriptionId')).toEqual(['No such subscription']);
    expect(reason('items[3].subscriptionId')[0]).toMatch(/licence-based/);
    expect(reason('items[4].usageDate')[0]).toMatch(/not active on 2026-11-05 \(it was suspended\)/);
    expect(reason('items[5].usageDate')[0]).toMatch(/not active on 2026-11-07/);
    expect(reason('items[6].usageDate')[0]).toMatch(/did not exist yet/);
    expect(reason('items[7].meterId')[0]).toMatch(/is not a meter of the offer/);
    expect(reason('items[8].meterId')[0]).toMatch(/has no USD price on 2025-12-15/);
    expect(reason('items[9].usageDate')[0]).toMatch(/future/);
    expect(reason('items[10].quantity')).toEqual(['must be 0 or more']);
    expect(reason('items[11].quantity')[0]).toMatch(/at most 6 decimals/);
    expect(reason('items[13].clientRecordId')[0]).toMatch(/repeats items\[12\]/);
    expect(reason('items[14].usageDate')[0]).toMatch(/YYYY-MM-DD/);
    expect(reason('items[15].customerId')[0]).toMatch(/not the customer/);
    expect(reason('items[16].quantity')).toHaveLength(1);
    expect(reason('items[17].clientRecordId')).toHaveLength(1);
    // Nothing said about the sound ones.
    for (const i of [0, 12]) expect(details.filter((d) => d.field.startsWith(`items[${i}]`))).toEqual([]);
    expect(await recordsOf(w.partner.id)).toEqual([]);

    // The days around the suspension: the day before and the reactivation day are active.
    const ok = await recordUsage(t.app, w.admin.token, [
      item(paused, { usageDate: '2026-11-04' }),
      item(paused, { usageDate: '2026-11-08' }),
    ]);
    expect(ok.statusCode, ok.body).toBe(200);
  });

  it('splits a subscription transferred on the 10th: usage before that day is the source’s, from it the target’s', async () => {
    const source = await world();
    const target = await createPartnerWithAdmin(t.store);
    // The target's relationship with the customer, and its new row of the subscription from 10:00 on the 10th.
    await insertRelationship(t.store, target.partner.id, source.customer.id);
    const at = new Date('2026-11-10T10:00:00Z');
    const moved = await insertSubscriptionAt(t.store, target.partner.id, source.customer.id, cat.azure, at);
    await t.store.owner
      .updateTable('subscriptions')
      .set({
        status: 'transferred',
        transferred_at: at,
        transferred_to_subscription_id: moved,
        updated_at: at,
      })
      .where('id', '=', source.sub)
      .execute();

    const before = await recordUsage(t.app, source.admin.token, [
      item(source.sub, { usageDate: '2026-11-09' }),
      item(source.sub, { usageDate: '2026-11-10' }),
    ]);
    expect(before.statusCode, before.body).toBe(400);
    expect(before.json().details).toEqual([
      {
        field: 'items[1].usageDate',
        reason: expect.stringMatching(/not active on 2026-11-10 \(it was transferred\)/),
      },
    ]);
    const after = await recordUsage(t.app, target.admin.token, [
      item(moved, { usageDate: '2026-11-09' }),
      item(moved, { usageDate: '2026-11-10' }),
    ]);
    expect(after.json().details).toEqual([
      { field: 'items[0].usageDate', reason: expect.stringMatching(/did not exist yet on 2026-11-09/) },
    ]);
    // Each side records its own days; neither sees the other's row.
    expect(
      (await recordUsage(t.app, source.admin.token, [item(source.sub, { usageDate: '2026-11-09' })]))
        .statusCode,
    ).toBe(200);
    expect(
      (await recordUsage(t.app, target.admin.token, [item(moved, { usageDate: '2026-11-10' })])).statusCode,
    ).toBe(200);
    const stranger = await recordUsage(t.app, target.admin.token, [
      item(source.sub, { usageDate: '2026-11-09' }),
    ]);
    expect(stranger.json().details).toEqual([
      { field: 'items[0].subscriptionId', reason: 'No such subscription' },
    ]);
  });

  it('refuses a body that is not a batch of 1–1000 records', async () => {
    const w = await world();
    for (const payload of [{ items: [] }, {}, { items: [{ ...item(w.sub), extra: 1 }] }]) {
      const r = await injectAs(t.app, w.admin.token, 'POST', '/v1/usage-records', { payload });
      expect(r.statusCode, r.body).toBe(400);
    }
    const many = Array.from({ length: 1001 }, () => item(w.sub));
    expect((await recordUsage(t.app, w.admin.token, many)).statusCode).toBe(400);
  });

  it('is for billing roles only', async () => {
    const w = await world();
    const sales = await createUser(t.store, w.partner.id, { roles: ['salesAgent'] });
    const r = await recordUsage(t.app, sales.token, [item(w.sub)]);
    expect(r.statusCode).toBe(403);
  });
});

describe('re-sending', () => {
  it('the same batch twice leaves the same rows and amounts: the second answer is all duplicates', async () => {
    const w = await world();
    const items = [
      item(w.sub, { usageDate: '2026-11-01', quantity: '1.5' }),
      item(w.sub, { usageDate: '2026-11-02', quantity: 2 }),
      item(w.sub, { usageDate: '2026-11-03', meterId: 'STORAGE', quantity: '0.25' }),
    ];
    const first = await recordUsage(t.app, w.billing.token, items);
    expect(first.statusCode, first.body).toBe(200);
    const rows = await recordsOf(w.partner.id);
    expect(rows).toHaveLength(3);

    // The same content with the quantity written otherwise (2 and "2.000") is the same record.
    const again = await recordUsage(
      t.app,
      w.billing.token,
      items.map((i) => (i.quantity === 2 ? { ...i, quantity: '2.000' } : i)),
    );
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ accepted: 0, duplicates: 3 });
    expect(again.json().items).toEqual(
      first.json().items.map((i: Record<string, unknown>) => ({ ...i, status: 'duplicate' })),
    );
    expect(await recordsOf(w.partner.id)).toEqual(rows);
    expect(await activityOf(w.partner.id, 'usage.recorded')).toHaveLength(1);

    // Part old, part new: only the new one is written.
    const mixed = await recordUsage(t.app, w.billing.token, [
      items[0]!,
      item(w.sub, { usageDate: '2026-11-04' }),
    ]);
    expect(mixed.json()).toMatchObject({ accepted: 1, duplicates: 1 });
    expect(await recordsOf(w.partner.id)).toHaveLength(4);
  });

  it('a client record id sent again with other content is a 409 that writes nothing of the batch', async () => {
    const w = await world();
    const original = item(w.sub, { quantity: '5' });
    expect((await recordUsage(t.app, w.admin.token, [original])).statusCode).toBe(200);
    const r = await recordUsage(t.app, w.admin.token, [
      item(w.sub, { usageDate: '2026-11-10' }),
      { ...original, quantity: '6' },
    ]);
    expect(r.statusCode, r.body).toBe(409);
    expect(r.json()).toMatchObject({ name: 'usageRecordConflict', code: 101302 });
    expect(r.json().details).toEqual([
      { field: 'items[1].clientRecordId', reason: expect.stringMatching(/other content: .*quantity 5/) },
    ]);
    const rows = await recordsOf(w.partner.id);
    expect(rows.map((row) => row.quantity)).toEqual(['5.000000']);
  });

  it('two partners may use the same client record id', async () => {
    const a = await world();
    const b = await world();
    const id = recordId('shared');
    expect((await recordUsage(t.app, a.admin.token, [item(a.sub, { clientRecordId: id })])).statusCode).toBe(
      200,
    );
    const r = await recordUsage(t.app, b.admin.token, [item(b.sub, { clientRecordId: id, quantity: 3 })]);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ accepted: 1 });
  });
});

describe('closed periods', () => {
  it('usage of an invoiced month is refused; a record sent before is still a harmless duplicate', async () => {
    const w = await world();
    const october = item(w.sub, { usageDate: '2026-10-20' });
    expect((await recordUsage(t.app, w.admin.token, [october])).statusCode).toBe(200);
    await closePeriod(t.store.owner, w.partner.id, '2026-10-01', clock.now());

    const late = await recordUsage(t.app, w.admin.token, [
      item(w.sub, { usageDate: '2026-11-03' }),
      item(w.sub, { usageDate: '2026-10-21' }),
    ]);
    expect(late.statusCode, late.body).toBe(409);
    expect(late.json()).toMatchObject({
      name: 'billingPeriodClosed',
      details: [{ field: 'items[1].usageDate', reason: expect.stringMatching(/2026-10 is closed/) }],
    });
    expect(await recordsOf(w.partner.id)).toHaveLength(1);

    const resent = await recordUsage(t.app, w.admin.token, [october]);
    expect(resent.statusCode, resent.body).toBe(200);
    expect(resent.json()).toMatchObject({ accepted: 0, duplicates: 1 });
    // November is open (and was opened by the refused batch's hold, rolled back with it or not: still open).
    expect(
      (await recordUsage(t.app, w.admin.token, [item(w.sub, { usageDate: '2026-11-03' })])).statusCode,
    ).toBe(200);
  });

  it('a period closed by the operator (a closed row) refuses usage too', async () => {
    const w = await world();
    await t.store.owner
      .insertInto('billing_periods')
      .values({
        partner_id: w.partner.id,
        period_start: '2026-09-01',
        status: 'closed',
        closed_at: clock.now(),
      })
      .execute();
    const r = await recordUsage(t.app, w.admin.token, [item(w.sub, { usageDate: '2026-09-09' })]);
    expect(r.statusCode, r.body).toBe(409);
    expect(r.json().name).toBe('billingPeriodClosed');
  });
});

describe('a large batch', () => {
  it('takes 1000 records at once', async () => {
    const w = await world();
    const days = Array.from({ length: 20 }, (_, i) => `2026-11-${String(i + 1).padStart(2, '0')}`);
    const items = Array.from({ length: 1000 }, (_, i) =>
      item(w.sub, { usageDate: days[i % 20]!, meterId: i % 2 ? 'VM' : 'STORAGE', quantity: `${i}.5` }),
    );
    const r = await recordUsage(t.app, w.billing.token, items);
    expect(r.statusCode, r.body.slice(0, 500)).toBe(200);
    expect(r.json()).toMatchObject({ accepted: 1000, duplicates: 0 });
    const again = await recordUsage(t.app, w.billing.token, items);
    expect(again.json()).toMatchObject({ accepted: 0, duplicates: 1000 });
    expect(await recordsOf(w.partner.id)).toHaveLength(1000);
  });
});

describe('GET /v1/usage-records', () => {
  let w: Awaited<ReturnType<typeof world>>;
  let viewer: TestUser;

  beforeAll(async () => {
    w = await world();
    viewer = w.billing;
    const second = await insertSubscriptionAt(
      t.store,
      w.partner.id,
      w.customer.id,
      cat.azurePlan,
      new Date('2026-06-01T00:00:00Z'),
    );
    const r = await recordUsage(t.app, w.admin.token, [
      item(w.sub, { usageDate: '2026-11-01', clientRecordId: 'a-1' }),
      item(w.sub, { usageDate: '2026-11-03', clientRecordId: 'a-3' }),
      item(second, { usageDate: '2026-11-02', clientRecordId: 'b-2' }),
      item(second, { usageDate: '2026-10-30', clientRecordId: 'b-0' }),
    ]);
    expect(r.statusCode, r.body).toBe(200);
  });

  const list = async (query: string, token = viewer.token) => {
    const r = await injectAs(t.app, token, 'GET', `/v1/usage-records${query}`);
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as {
      totalCount: number;
      items: { clientRecordId: string }[];
      links: { next?: { uri: string } };
    };
  };

  it('lists newest usage day first, filtered and paged', async () => {
    const all = await list('');
    expect(all.items.map((i) => i.clientRecordId)).toEqual(['a-3', 'b-2', 'a-1', 'b-0']);
    expect(all.items[0]).toMatchObject({
      subscriptionId: w.sub,
      customerId: w.customer.id,
      meterId: 'VM',
      quantity: '24',
      unitPrice: '10.1',
      amount: '242.4',
      currencyCode: 'USD',
      attributes: { objectType: 'UsageRecord' },
    });
    expect((await list(`?subscriptionId=${w.sub}`)).items.map((i) => i.clientRecordId)).toEqual([
      'a-3',
      'a-1',
    ]);
    expect((await list('?from=2026-11-02&to=2026-11-02')).items.map((i) => i.clientRecordId)).toEqual([
      'b-2',
    ]);
    expect((await list(`?customerId=${w.customer.id}`)).totalCount).toBe(4);

    const first = await list('?size=3');
    expect(first.totalCount).toBe(4);
    expect(first.items).toHaveLength(3);
    const next = await injectAs(t.app, viewer.token, 'GET', first.links.next!.uri);
    expect(next.json().items.map((i: { clientRecordId: string }) => i.clientRecordId)).toEqual(['b-0']);
  });

  it('shows another partner nothing, and its customer is not found', async () => {
    const other = await createPartnerWithAdmin(t.store);
    expect((await list('', other.admin.token)).totalCount).toBe(0);
    expect((await list(`?subscriptionId=${w.sub}`, other.admin.token)).totalCount).toBe(0);
    const r = await injectAs(
      t.app,
      other.admin.token,
      'GET',
      `/v1/usage-records?customerId=${w.customer.id}`,
    );
    expect(r.statusCode).toBe(404);
    expect(r.json().name).toBe('customerNotFound');
    const bad = await injectAs(t.app, viewer.token, 'GET', '/v1/usage-records?from=2026-11-05&to=2026-11-01');
    expect(bad.statusCode).toBe(400);
  });
});
