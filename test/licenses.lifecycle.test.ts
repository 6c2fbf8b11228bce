// Licences over the life of users and subscriptions: a deleted user's seats are freed (another user can take
// them) and its restore takes them back where a seat remains, reporting the others — across partners; the
// database functions that do it refuse a partner unrelated to the customer and a user in the wrong state; a
// subscription's quantity cannot drop below its assigned seats; a suspended subscription keeps its assignments;
// a deleted one's stop counting and leave the users' lists.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Trx } from '../src/db/database.ts';
import { inPartnerTransaction } from '../src/db/database.ts';
import {
  assignedSeats,
  releaseUserLicenses,
  restoreUserLicenses,
} from '../src/modules/licenses/licenses.service.ts';
import { deleteDueSubscriptions } from '../src/modules/subscriptions/subscriptions.service.ts';
import type { TestApp } from './helpers/app.ts';
import { createTestApp, testClock } from './helpers/app.ts';
import type { TestUser } from './helpers/factories.ts';
import { bearer, createPartnerWithAdmin } from './helpers/factories.ts';
import type { TestCatalog } from './helpers/offers.ts';
import { confirmAgreement, insertReadyCustomer, insertTestCatalog, subscribe } from './helpers/offers.ts';
import { insertRelationship } from './helpers/relationships.ts';
import { insertTestUsers } from './helpers/users.ts';

const DAY = 86_400_000;
const clock = testClock(new Date('2027-06-01T09:00:00Z'));
let t: TestApp;
let cat: TestCatalog;
let admin: TestUser;

beforeAll(async () => {
  t = await createTestApp({ clock });
  cat = await insertTestCatalog(t.store);
  ({ admin } = await createPartnerWithAdmin(t.store));
});
afterAll(() => t.close());

const readyCustomer = (partner = admin) => insertReadyCustomer(t.store, partner.partnerId);

const assign = async (customerId: string, userId: string, item: object, token = admin.token) => {
  const r = await t.app.inject({
    method: 'POST',
    url: `/v1/customers/${customerId}/users/${userId}/licenseupdates`,
    headers: bearer(token),
    payload: { licensesToAssign: [item] },
  });
  return r;
};
const licensesOf = async (customerId: string, userId: string, token = admin.token) => {
  const r = await t.app.inject({
    method: 'GET',
    url: `/v1/customers/${customerId}/users/${userId}/licenses`,
    headers: bearer(token),
  });
  expect(r.statusCode, r.body).toBe(200);
  return r.json().items as {
    productSku: { id: string };
    subscriptionId: string | null;
    soldByYou: boolean;
    state: string;
    releasedTime: string | null;
  }[];
};
const consumed = async (customerId: string, subscriptionId: string) => {
  const r = await t.app.inject({
    method: 'GET',
    url: `/v1/customers/${customerId}/subscribedskus`,
    headers: bearer(admin.token),
  });
  return r.json().items.find((s: { subscriptionId: string }) => s.subscriptionId === subscriptionId)
    ?.consumedUnits as number | undefined;
};

/** What deleting a user through the directory does: inactive, then its seats freed, in one transaction. */
const deleteUser = (partnerId: string, userId: string) =>
  inPartnerTransaction(t.store.app, partnerId, async (trx) => {
    await trx
      .updateTable('customer_users')
      .set({ state: 'inactive', soft_deleted_at: clock.now() })
      .where('id', '=', userId)
      .execute();
    await releaseUserLicenses(trx, userId, clock.now());
  });

/** What restoring one does: active again, then its seats taken back where it can. */
const restoreUser = (partnerId: string, userId: string) =>
  inPartnerTransaction(t.store.app, partnerId, async (trx) => {
    await trx
      .updateTable('customer_users')
      .set({ state: 'active', soft_deleted_at: null })
      .where('id', '=', userId)
      .execute();
    return restoreUserLicenses(trx, userId, clock.now());
  });

describe('deleting and restoring a user', () => {
  it('frees its seats for others; restore takes back those with a seat left and says why not for the rest, whoever sold them', async () => {
    const c = await readyCustomer();
    const [gone, newcomer] = await insertTestUsers(t.store, c, 2);
    const suite = await subscribe(t.app, admin.token, c.id, cat.suite, 1);
    const other = await subscribe(t.app, admin.token, c.id, cat.other, 3);
    // A second partner of the same customer sold it a product too.
    const { admin: partner2 } = await createPartnerWithAdmin(t.store);
    await insertRelationship(t.store, partner2.partnerId, c.id);
    await confirmAgreement(t.store, c.id, partner2.partnerId);
    const theirs = await subscribe(t.app, partner2.token, c.id, cat.usOnly, 2);
    expect((await assign(c.id, gone!.id, { subscriptionId: suite })).statusCode).toBe(201);
    expect((await assign(c.id, gone!.id, { subscriptionId: other })).statusCode).toBe(201);
    expect((await assign(c.id, gone!.id, { subscriptionId: theirs }, partner2.token)).statusCode).toBe(201);

    await deleteUser(admin.partnerId, gone!.id);
    const released = await licensesOf(c.id, gone!.id);
    expect(released.map((l) => l.state)).toEqual(['released', 'released', 'released']);
    expect(released.every((l) => l.releasedTime === clock.now().toISOString())).toBe(true);
    expect(await consumed(c.id, suite)).toBe(0);
    // The only seat of the suite is free again: another user takes it.
    expect((await assign(c.id, newcomer!.id, { skuId: cat.suite })).statusCode).toBe(201);

    clock.advance(DAY);
    const restored = await restoreUser(admin.partnerId, gone!.id);
    const byProduct = Object.fromEntries(restored.map((r) => [r.productSku.id, r]));
    expect(byProduct[cat.suite]).toMatchObject({
      subscriptionId: suite,
      restored: false,
      code: 'noLicensesAvailable',
      reason: expect.stringContaining('assigned to other users'),
    });
    expect(byProduct[cat.other]).toEqual({
      subscriptionId: other,
      productSku: { id: cat.other, name: `Other suite ${cat.other.slice(6)}` },
      restored: true,
    });
    // Restored by us, though the other partner sold it: the user gets back what it had.
    expect(byProduct[cat.usOnly]).toMatchObject({ restored: true });
    expect(restored).toHaveLength(3);

    const after = await licensesOf(c.id, gone!.id);
    expect(Object.fromEntries(after.map((l) => [l.productSku.id, l.state]))).toEqual({
      [cat.suite]: 'released',
      [cat.other]: 'active',
      [cat.usOnly]: 'active',
    });
    expect(await consumed(c.id, suite)).toBe(1);
    expect(await consumed(c.id, other)).toBe(1);
    expect((await licensesOf(c.id, newcomer!.id))[0]).toMatchObject({
      subscriptionId: suite,
      state: 'active',
    });

    // Once a seat is bought, the released licence can be given again: it becomes active, not a second one.
    const patch = await t.app.inject({
      method: 'PATCH',
      url: `/v1/customers/${c.id}/subscriptions/${suite}`,
      headers: bearer(admin.token),
      payload: { quantity: 2 },
    });
    expect(patch.statusCode).toBe(200);
    expect((await assign(c.id, gone!.id, { skuId: cat.suite })).statusCode).toBe(201);
    expect((await licensesOf(c.id, gone!.id)).map((l) => l.state)).toEqual(['active', 'active', 'active']);
  });

  it('keeps a suspended subscription’s seat released, with the reason', async () => {
    const c = await readyCustomer();
    const [user] = await insertTestUsers(t.store, c, 1);
    const sub = await subscribe(t.app, admin.token, c.id, cat.suite, 2);
    await assign(c.id, user!.id, { subscriptionId: sub });
    await deleteUser(admin.partnerId, user!.id);
    await t.app.inject({
      method: 'PATCH',
      url: `/v1/customers/${c.id}/subscriptions/${sub}`,
      headers: bearer(admin.token),
      payload: { status: 'suspended' },
    });
    const restored = await restoreUser(admin.partnerId, user!.id);
    expect(restored).toMatchObject([{ subscriptionId: sub, restored: false, code: 'subscriptionSuspended' }]);
    expect((await licensesOf(c.id, user!.id))[0]!.state).toBe('released');
  });

  it('the database refuses a partner unrelated to the customer, and a user in the wrong state', async () => {
    const c = await readyCustomer();
    const [user] = await insertTestUsers(t.store, c, 1);
    const sub = await subscribe(t.app, admin.token, c.id, cat.suite, 2);
    await assign(c.id, user!.id, { subscriptionId: sub });
    const { admin: stranger } = await createPartnerWithAdmin(t.store);
    const asStranger = (fn: (trx: Trx) => Promise<unknown>) =>
      inPartnerTransaction(t.store.app, stranger.partnerId, fn);
    await expect(asStranger((trx) => releaseUserLicenses(trx, user!.id, clock.now()))).rejects.toThrow(
      /no active relationship/,
    );
    await expect(asStranger((trx) => restoreUserLicenses(trx, user!.id, clock.now()))).rejects.toThrow(
      /no active relationship/,
    );
    // A related partner cannot free the seats of a user that is not deleted.
    await expect(
      inPartnerTransaction(t.store.app, admin.partnerId, (trx) =>
        releaseUserLicenses(trx, user!.id, clock.now()),
      ),
    ).rejects.toThrow(/is not deleted/);
    expect((await licensesOf(c.id, user!.id))[0]!.state).toBe('active');
    await deleteUser(admin.partnerId, user!.id);
    await expect(
      inPartnerTransaction(t.store.app, admin.partnerId, (trx) =>
        restoreUserLicenses(trx, user!.id, clock.now()),
      ),
    ).rejects.toThrow(/is not active/);
  });
});

describe('subscriptions and their seats', () => {
  it('a quantity cannot drop below the seats assigned', async () => {
    const c = await readyCustomer();
    const users = await insertTestUsers(t.store, c, 3);
    const sub = await subscribe(t.app, admin.token, c.id, cat.suite, 5);
    for (const u of users) expect((await assign(c.id, u.id, { subscriptionId: sub })).statusCode).toBe(201);
    const patch = (quantity: number) =>
      t.app.inject({
        method: 'PATCH',
        url: `/v1/customers/${c.id}/subscriptions/${sub}`,
        headers: bearer(admin.token),
        payload: { quantity },
      });
    const below = await patch(2);
    expect(below.statusCode).toBe(409);
    expect(below.json()).toMatchObject({
      name: 'quantityBelowAssigned',
      details: [{ field: 'quantity', reason: '3 seats are assigned to users' }],
    });
    expect((await patch(3)).statusCode).toBe(200);
    expect(await inPartnerTransaction(t.store.app, admin.partnerId, (trx) => assignedSeats(trx, sub))).toBe(
      3,
    );
  });

  it('a deleted subscription’s assignments stop counting and leave the users’ licences', async () => {
    const c = await readyCustomer();
    const [user] = await insertTestUsers(t.store, c, 1);
    const ending = await subscribe(t.app, admin.token, c.id, cat.suite, 2);
    const staying = await subscribe(t.app, admin.token, c.id, cat.other, 2);
    await assign(c.id, user!.id, { subscriptionId: ending });
    await assign(c.id, user!.id, { subscriptionId: staying });
    const suspend = await t.app.inject({
      method: 'PATCH',
      url: `/v1/customers/${c.id}/subscriptions/${ending}`,
      headers: bearer(admin.token),
      payload: { status: 'suspended' },
    });
    expect(suspend.statusCode).toBe(200);
    // Suspended, the licence stays (the user cannot use it meanwhile).
    expect((await licensesOf(c.id, user!.id)).map((l) => l.subscriptionId).sort()).toEqual(
      [ending, staying].sort(),
    );

    // The job deletes every due subscription of the database (the one suspended above among them).
    await deleteDueSubscriptions(t.store.owner, new Date(clock.now().getTime() + 91 * DAY));
    const row = await t.store.owner
      .selectFrom('subscriptions')
      .select('status')
      .where('id', '=', ending)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('deleted');
    expect((await licensesOf(c.id, user!.id)).map((l) => l.subscriptionId)).toEqual([staying]);
    expect(await consumed(c.id, ending)).toBeUndefined(); // no longer a subscription with seats to give
    expect(
      await inPartnerTransaction(t.store.app, admin.partnerId, (trx) => assignedSeats(trx, ending)),
    ).toBe(0);
    const left = await t.store.owner
      .selectFrom('license_assignments')
      .select('subscription_id')
      .where('user_id', '=', user!.id)
      .execute();
    expect(left.map((r) => r.subscription_id)).toEqual([staying]);
  });
});
