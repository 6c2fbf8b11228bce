// The end of a suspended subscription: deleted by the maintenance job 90 days after its suspension (with a
// controlled clock: not one second before), recorded as the system's doing; reactivated inside the window, it
// stays. A deleted subscription can no longer change.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMaintenance } from '../src/jobs/maintenance.jobs.ts';
import { deleteDueSubscriptions } from '../src/modules/subscriptions/subscriptions.service.ts';
import type { TestApp } from './helpers/app.ts';
import { createTestApp, testClock } from './helpers/app.ts';
import type { TestUser } from './helpers/factories.ts';
import { bearer, createPartnerWithAdmin, issueToken } from './helpers/factories.ts';
import type { TestCatalog } from './helpers/offers.ts';
import { insertReadyCustomer, insertTestCatalog, placeOrder, subscribe } from './helpers/offers.ts';

const SECOND = 1000;
const DAY = 86_400_000;
const clock = testClock(new Date('2027-05-10T08:30:00Z'));
let t: TestApp;
let cat: TestCatalog;
let admin: TestUser;

beforeAll(async () => {
  t = await createTestApp({ clock });
  cat = await insertTestCatalog(t.store);
  ({ admin } = await createPartnerWithAdmin(t.store));
});
afterAll(() => t.close());

const readyCustomer = () => insertReadyCustomer(t.store, admin.partnerId);

const sub = (customerId: string, id: string) =>
  t.app.inject({
    method: 'GET',
    url: `/v1/customers/${customerId}/subscriptions/${id}`,
    headers: bearer(admin.token),
  });
const patch = (customerId: string, id: string, payload: object) =>
  t.app.inject({
    method: 'PATCH',
    url: `/v1/customers/${customerId}/subscriptions/${id}`,
    headers: bearer(admin.token),
    payload,
  });

describe('deleting suspended subscriptions', () => {
  it('deletes 90 days after suspension, not one second before, add-ons with it, as the system', async () => {
    const c = await readyCustomer();
    const order = await placeOrder(t.app, admin.token, c.id, [
      { offerId: cat.suite, quantity: 5 },
      { offerId: cat.addOn, quantity: 1 },
    ]);
    const [base, addOn] = order.lineItems.map((l) => l.subscriptionId) as [string, string];
    const keep = await subscribe(t.app, admin.token, c.id, cat.other);
    const suspended = await patch(c.id, base, { status: 'suspended' });
    const suspendedAt = clock.now();
    const due = new Date(suspendedAt.getTime() + 90 * DAY);
    expect(suspended.json().deletionDate).toBe(due.toISOString());

    expect(await deleteDueSubscriptions(t.store.owner, new Date(due.getTime() - SECOND))).toBe(0);
    expect((await sub(c.id, base)).json()).toMatchObject({
      status: 'suspended',
      deletionDate: due.toISOString(),
    });

    // The maintenance job runs it with its clock.
    const purged = await runMaintenance(t.store.owner, due);
    expect(purged.deletedSubscriptions).toBeGreaterThanOrEqual(2);
    // The job's clock, months on, also purged the test's sign-in session: a new one.
    admin.token = await issueToken(t.store, admin.partnerId, admin.id);
    for (const id of [base, addOn]) {
      const s = (await sub(c.id, id)).json();
      expect(s).toMatchObject({ status: 'deleted', deletionDate: null, suspendedAt: null });
    }
    expect((await sub(c.id, keep)).json().status).toBe('active');
    const row = await t.store.owner
      .selectFrom('subscriptions')
      .selectAll()
      .where('id', '=', base)
      .executeTakeFirstOrThrow();
    expect(row.deleted_at).toEqual(due);

    const records = await t.store.owner
      .selectFrom('activity_records')
      .selectAll()
      .where('action', '=', 'subscription.delete')
      .where('customer_id', '=', c.id)
      .orderBy('resource_id')
      .execute();
    expect(records.map((r) => r.resource_id).sort()).toEqual([base, addOn].sort());
    expect(records[0]).toMatchObject({
      partner_id: admin.partnerId,
      actor_kind: 'system',
      actor_id: null,
      customer_name: c.name,
      status: 'succeeded',
    });
    expect(records.find((r) => r.resource_id === base)!.details).toMatchObject({
      suspendedAt: suspendedAt.toISOString(),
      deletionDate: due.toISOString(),
      before: { status: 'suspended' },
      after: { status: 'deleted' },
    });
    // The partner sees the system's record in its activity log.
    const log = await t.app.inject({
      method: 'GET',
      url: `/v1/auditrecords?customerId=${c.id}&action=subscription.delete&startDate=2026-09-01&endDate=2027-08-31`,
      headers: bearer(admin.token),
    });
    expect(log.statusCode, log.body).toBe(200);
    expect(log.json().items).toHaveLength(2);

    // A second run finds nothing more; a deleted subscription no longer changes.
    expect(await deleteDueSubscriptions(t.store.owner, new Date(due.getTime() + DAY))).toBe(0);
    for (const body of [{ status: 'active' }, { friendlyName: 'Back?' }]) {
      const r = await patch(c.id, base, body);
      expect(r.statusCode).toBe(409);
      expect(r.json()).toMatchObject({ name: 'subscriptionEnded', code: 100808 });
    }
  });

  it('keeps a subscription reactivated inside the window; suspending again starts a new 90 days', async () => {
    const c = await readyCustomer();
    const id = await subscribe(t.app, admin.token, c.id, cat.suite);
    await patch(c.id, id, { status: 'suspended' });
    const firstDue = new Date(clock.now().getTime() + 90 * DAY);

    clock.advance(89 * DAY);
    const back = await patch(c.id, id, { status: 'active' });
    expect(back.statusCode, back.body).toBe(200);
    expect(back.json()).toMatchObject({ status: 'active', deletionDate: null, suspendedAt: null });
    expect(await deleteDueSubscriptions(t.store.owner, new Date(firstDue.getTime() + DAY))).toBe(0);
    expect((await sub(c.id, id)).json().status).toBe('active');

    const again = await patch(c.id, id, { status: 'suspended' });
    const secondDue = new Date(clock.now().getTime() + 90 * DAY);
    expect(again.json().deletionDate).toBe(secondDue.toISOString());
    expect(await deleteDueSubscriptions(t.store.owner, new Date(secondDue.getTime() - SECOND))).toBe(0);
    expect(await deleteDueSubscriptions(t.store.owner, secondDue)).toBe(1);
    expect((await sub(c.id, id)).json().status).toBe('deleted');
  });

  it('two runs at once delete each subscription once', async () => {
    const c = await readyCustomer();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await subscribe(t.app, admin.token, c.id, cat.suite));
    for (const id of ids) await patch(c.id, id, { status: 'suspended' });
    const due = new Date(clock.now().getTime() + 90 * DAY);
    const [a, b] = await Promise.all([
      deleteDueSubscriptions(t.store.owner, due),
      deleteDueSubscriptions(t.store.owner, due),
    ]);
    expect(a + b).toBe(5);
    const records = await t.store.owner
      .selectFrom('activity_records')
      .select('resource_id')
      .where('action', '=', 'subscription.delete')
      .where('customer_id', '=', c.id)
      .execute();
    expect(records.map((r) => r.resource_id).sort()).toEqual([...ids].sort());
  });
});
