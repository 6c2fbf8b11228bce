// A customer's spending budget (GET/PUT/DELETE /v1/customers/{id}/usagebudget): set, read, changed under
// If-Match, removed; only in the customer's market currency; the 80% alert raised exactly once a month, when
// recorded usage crosses it or when a budget is set below what is already spent, with its activity record; and
// another partner's customer not found. Also the customer's charges by month (GET …/charges): an invoiced month
// from its invoice, this month so far worked out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closePeriod } from '../src/modules/billing/invoices.close.ts';
import type { TestApp } from './helpers/app.ts';
import { createTestApp, injectAs, testClock } from './helpers/app.ts';
import { createPartnerWithAdmin, createUser } from './helpers/factories.ts';
import type { TestCatalog } from './helpers/offers.ts';
import { insertTestCatalog } from './helpers/offers.ts';
import { addMeters, insertCustomerIn, insertSubscriptionAt, recordId, recordUsage } from './helpers/usage.ts';

const clock = testClock(new Date('2026-11-20T12:00:00Z'));
let t: TestApp;
let cat: TestCatalog;

beforeAll(async () => {
  t = await createTestApp({ clock, transferWorker: false, userImportWorker: false });
  cat = await insertTestCatalog(t.store);
  await addMeters(t.store, cat.azure);
});
afterAll(() => t?.close());

async function world(country = 'US') {
  const { partner, admin } = await createPartnerWithAdmin(t.store);
  const billing = await createUser(t.store, partner.id, { roles: ['billingAdmin'] });
  const customer = await insertCustomerIn(t.store, partner.id, country);
  const sub = await insertSubscriptionAt(
    t.store,
    partner.id,
    customer.id,
    cat.azure,
    new Date('2026-06-01T00:00:00Z'),
    country === 'JP' ? 'JPY' : 'USD',
  );
  const url = `/v1/customers/${customer.id}/usagebudget`;
  return { partner, admin, billing, customer, sub, url };
}

/** `hours` of VM usage on a November day (10.1 US cents an hour since 2026-10-01). */
const vmHours = (subscriptionId: string, hours: number | string, usageDate = '2026-11-10') => ({
  clientRecordId: recordId('b'),
  subscriptionId,
  meterId: 'VM',
  usageDate,
  quantity: hours,
});

const activityOf = (partnerId: string, action: string) =>
  t.store.owner
    .selectFrom('activity_records')
    .selectAll()
    .where('partner_id', '=', partnerId)
    .where('action', '=', action)
    .orderBy('occurred_at')
    .execute();

describe('setting, reading and removing a budget', () => {
  it('reads none at first, then the budget set, changed under If-Match, and removed', async () => {
    const w = await world();
    const none = await injectAs(t.app, w.billing.token, 'GET', w.url);
    expect(none.statusCode, none.body).toBe(200);
    expect(none.json()).toMatchObject({
      amount: null,
      currencyCode: 'USD',
      periodStartDate: '2026-11-01',
      spend: 0,
      percentUsed: null,
      alertThresholdPercent: 80,
      alertRaisedAt: null,
      attributes: { objectType: 'UsageBudget' },
    });

    const set = await injectAs(t.app, w.billing.token, 'PUT', w.url, {
      payload: { amount: 50000, currencyCode: 'usd' },
      headers: { 'if-match': none.json().attributes.etag },
    });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toMatchObject({ amount: 50000, currencyCode: 'USD', percentUsed: 0 });
    expect(set.headers.etag).toBe(set.json().attributes.etag);
    expect((await injectAs(t.app, w.admin.token, 'GET', w.url)).json()).toEqual(set.json());

    // The ETag read before the budget was set is stale now: 412 with the budget as it is, nothing written.
    const stale = await injectAs(t.app, w.billing.token, 'PUT', w.url, {
      payload: { amount: 1 },
      headers: { 'if-match': none.json().attributes.etag },
    });
    expect(stale.statusCode, stale.body).toBe(412);
    expect(stale.json()).toMatchObject({ name: 'preconditionFailed', data: [{ amount: 50000 }] });
    // So is the customer's own ETag (another resource's).
    const customer = await injectAs(t.app, w.admin.token, 'GET', `/v1/customers/${w.customer.id}`);
    const foreign = await injectAs(t.app, w.billing.token, 'PUT', w.url, {
      payload: { amount: 1 },
      headers: { 'if-match': customer.json().attributes.etag },
    });
    expect(foreign.statusCode).toBe(412);

    const changed = await injectAs(t.app, w.billing.token, 'PUT', w.url, {
      payload: { amount: 60000 },
      headers: { 'if-match': set.json().attributes.etag },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json().amount).toBe(60000);
    expect(changed.json().attributes.etag).not.toBe(set.json().attributes.etag);
    const updates = await activityOf(w.partner.id, 'budget.updated');
    expect(updates.map((u) => u.details)).toEqual([
      { currency: 'USD', before: {}, after: { amount: '500.00' } },
      { currency: 'USD', before: { amount: '500.00' }, after: { amount: '600.00' } },
    ]);
    expect(updates[0]).toMatchObject({ customer_id: w.customer.id, actor_name: w.billing.userName });

    const staleDelete = await injectAs(t.app, w.billing.token, 'DELETE', w.url, {
      headers: { 'if-match': set.json().attributes.etag },
    });
    expect(staleDelete.statusCode).toBe(412);
    const removed = await injectAs(t.app, w.billing.token, 'DELETE', w.url);
    expect(removed.statusCode, removed.body).toBe(204);
    expect((await injectAs(t.app, w.billing.token, 'GET', w.url)).json()).toMatchObject({ amount: null });
    expect(await activityOf(w.partner.id, 'budget.removed')).toEqual([
      expect.objectContaining({ details: { currency: 'USD', before: { amount: '600.00' } } }),
    ]);
    // Removing none is no change, and no record.
    expect((await injectAs(t.app, w.billing.token, 'DELETE', w.url)).statusCode).toBe(204);
    expect(await activityOf(w.partner.id, 'budget.removed')).toHaveLength(1);
  });

  it('is set in the currency of the customer’s market only', async () => {
    const w = await world('JP');
    const euro = await injectAs(t.app, w.admin.token, 'PUT', w.url, {
      payload: { amount: 100, currencyCode: 'EUR' },
    });
    expect(euro.statusCode, euro.body).toBe(400);
    expect(euro.json()).toMatchObject({
      name: 'budgetCurrencyMismatch',
      code: 101305,
      details: [{ field: 'currencyCode', reason: expect.stringMatching(/must be JPY.*\(JP\)/) }],
    });
    const yen = await injectAs(t.app, w.admin.token, 'PUT', w.url, { payload: { amount: 30000 } });
    expect(yen.statusCode, yen.body).toBe(200);
    expect(yen.json()).toMatchObject({ amount: 30000, currencyCode: 'JPY' });
    for (const amount of [0, -5, 1.5]) {
      const bad = await injectAs(t.app, w.admin.token, 'PUT', w.url, { payload: { amount } });
      expect(bad.statusCode, `${amount}`).toBe(400);
    }
    expect((await injectAs(t.app, w.admin.token, 'GET', w.url)).json().amount).toBe(30000);
  });

  it('is not found for another partner’s customer, and is for billing roles only', async () => {
    const w = await world();
    const other = await createPartnerWithAdmin(t.store);
    for (const method of ['GET', 'PUT', 'DELETE'] as const) {
      const r = await injectAs(t.app, other.admin.token, method, w.url, {
        ...(method === 'PUT' ? { payload: { amount: 100 } } : {}),
      });
      expect(r.statusCode, method).toBe(404);
      expect(r.json().name).toBe('customerNotFound');
    }
    const charges = await injectAs(t.app, other.admin.token, 'GET', `/v1/customers/${w.customer.id}/charges`);
    expect(charges.statusCode).toBe(404);
    const sales = await createUser(t.store, w.partner.id, { roles: ['salesAgent'] });
    expect((await injectAs(t.app, sales.token, 'GET', w.url)).statusCode).toBe(403);
    expect(
      await t.store.owner
        .selectFrom('customer_budgets')
        .selectAll()
        .where('customer_id', '=', w.customer.id)
        .execute(),
    ).toEqual([]);
  });
});

describe('the 80% alert', () => {
  const alertsOf = (customerId: string) =>
    t.store.owner.selectFrom('budget_alerts').selectAll().where('customer_id', '=', customerId).execute();

  it('is raised once, when recorded usage takes the month’s spend to 80% of the budget', async () => {
    const w = await world();
    expect(
      (await injectAs(t.app, w.billing.token, 'PUT', w.url, { payload: { amount: 10000 } })).statusCode,
    ).toBe(200);
    // 792 h × 10.1 ¢ = 7999.2 ¢: the line rounds to 7999, 79.9% — no alert.
    expect((await recordUsage(t.app, w.billing.token, [vmHours(w.sub, 792)])).statusCode).toBe(200);
    let budget = (await injectAs(t.app, w.billing.token, 'GET', w.url)).json();
    expect(budget).toMatchObject({ spend: 7999, percentUsed: 79.9, alertRaisedAt: null });
    expect(await alertsOf(w.customer.id)).toEqual([]);

    // One more hour, another day (the same line): 793 h = 8009.3 ¢ → 8009, 80%: the alert, in that request.
    const raisedAt = clock.now().toISOString();
    expect((await recordUsage(t.app, w.billing.token, [vmHours(w.sub, 1, '2026-11-11')])).statusCode).toBe(
      200,
    );
    budget = (await injectAs(t.app, w.billing.token, 'GET', w.url)).json();
    expect(budget).toMatchObject({ spend: 8009, percentUsed: 80, alertRaisedAt: raisedAt });
    expect(await alertsOf(w.customer.id)).toEqual([
      expect.objectContaining({
        period_start: '2026-11-01',
        threshold_percent: 80,
        spend: 8009,
        budget: 10000,
        currency: 'USD',
      }),
    ]);
    const raised = await activityOf(w.partner.id, 'budget.thresholdReached');
    expect(raised).toHaveLength(1);
    expect(raised[0]).toMatchObject({ customer_id: w.customer.id, customer_name: w.customer.name });
    expect(raised[0]!.details).toMatchObject({
      periodStartDate: '2026-11-01',
      spend: '80.09',
      budget: '100.00',
      currency: 'USD',
      percentUsed: 80,
    });

    // More usage, past 100%: still the one alert.
    clock.advance(3600_000);
    expect((await recordUsage(t.app, w.billing.token, [vmHours(w.sub, 500, '2026-11-12')])).statusCode).toBe(
      200,
    );
    expect(await alertsOf(w.customer.id)).toHaveLength(1);
    expect(await activityOf(w.partner.id, 'budget.thresholdReached')).toHaveLength(1);
    budget = (await injectAs(t.app, w.billing.token, 'GET', w.url)).json();
    expect(budget.percentUsed).toBeGreaterThan(100);
    expect(budget.alertRaisedAt).toBe(raisedAt);
  });

  it('is raised when a budget is set below what the month has already spent', async () => {
    const w = await world();
    // 521 h × 10.1 ¢ = 5262.1 → 5262 ¢ spent.
    expect((await recordUsage(t.app, w.admin.token, [vmHours(w.sub, 521)])).statusCode).toBe(200);
    const high = await injectAs(t.app, w.admin.token, 'PUT', w.url, { payload: { amount: 7000 } });
    expect(high.json()).toMatchObject({ spend: 5262, percentUsed: 75.1, alertRaisedAt: null });
    const low = await injectAs(t.app, w.admin.token, 'PUT', w.url, { payload: { amount: 6000 } });
    expect(low.statusCode, low.body).toBe(200);
    expect(low.json()).toMatchObject({ spend: 5262, percentUsed: 87.7 });
    expect(low.json().alertRaisedAt).not.toBeNull();
    expect(await activityOf(w.partner.id, 'budget.thresholdReached')).toHaveLength(1);
    // Setting it again, lower still: no second alert this month.
    await injectAs(t.app, w.admin.token, 'PUT', w.url, { payload: { amount: 5000 } });
    expect(await activityOf(w.partner.id, 'budget.thresholdReached')).toHaveLength(1);
  });

  it('is not raised by usage of customers without a budget', async () => {
    const w = await world();
    expect((await recordUsage(t.app, w.admin.token, [vmHours(w.sub, 10_000)])).statusCode).toBe(200);
    expect(await alertsOf(w.customer.id)).toEqual([]);
  });
});

describe('GET /v1/customers/{id}/charges', () => {
  it('an invoiced month from its invoice, this month so far worked out, oldest first', async () => {
    const w = await world();
    await insertSubscriptionAt(
      t.store,
      w.partner.id,
      w.customer.id,
      cat.suite,
      new Date('2026-10-01T00:00:00Z'),
    );
    // 100 h in October and 10 h in November so far, both at the price from 2026-10-01 (10.1 ¢): 1010 ¢, 101 ¢.
    expect(
      (await recordUsage(t.app, w.admin.token, [vmHours(w.sub, 100, '2026-10-05'), vmHours(w.sub, 10)]))
        .statusCode,
    ).toBe(200);
    await closePeriod(t.store.owner, w.partner.id, '2026-10-01', clock.now());

    const r = await injectAs(
      t.app,
      w.billing.token,
      'GET',
      `/v1/customers/${w.customer.id}/charges?months=2`,
    );
    expect(r.statusCode, r.body).toBe(200);
    const [october, november] = r.json().items;
    // One seat of the suite at 3600 ¢ a month: October whole, billed.
    expect(october).toEqual({
      billingPeriodStartDate: '2026-10-01',
      billed: true,
      recurring: 3600,
      usage: 1010,
      oneTime: 0,
      totalCharges: 4610,
    });
    expect(november).toMatchObject({ billingPeriodStartDate: '2026-11-01', billed: false, usage: 101 });
    expect(r.json()).toMatchObject({ currencyCode: 'USD', chargesToDate: november.totalCharges });

    const year = await injectAs(t.app, w.billing.token, 'GET', `/v1/customers/${w.customer.id}/charges`);
    expect(year.json().items).toHaveLength(12);
    expect(year.json().items[0].billingPeriodStartDate).toBe('2025-12-01');
  });
});
