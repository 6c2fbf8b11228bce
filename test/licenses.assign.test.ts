// Assigning and removing licences: a customer's seats (subscribedskus), a user's licences, one user's update
// (all or nothing, 409 with a reason per refused product), many users' (in the order sent, so exactly the later
// ones fail when seats run out), every refusal the contract names, two requests racing for the last seat, and
// the activity each changed user leaves.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activityOf } from './helpers/activity.ts';
import type { TestApp } from './helpers/app.ts';
import { createTestApp, testClock } from './helpers/app.ts';
import { insertCustomer } from './helpers/customers.ts';
import type { TestUser } from './helpers/factories.ts';
import { bearer, createPartnerWithAdmin } from './helpers/factories.ts';
import type { TestCatalog } from './helpers/offers.ts';
import {
  confirmAgreement,
  insertReadyCustomer,
  insertTestCatalog,
  placeOrder,
  subscribe,
} from './helpers/offers.ts';
import { insertRelationship } from './helpers/relationships.ts';
import type { TestUserSpec } from './helpers/users.ts';
import { insertTestUsers } from './helpers/users.ts';

const clock = testClock(new Date('2027-04-01T09:00:00Z'));
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

async function customerWithUsers(specs: number | TestUserSpec[] = 1) {
  const c = await readyCustomer();
  return { c, users: await insertTestUsers(t.store, c, specs) };
}

interface Body {
  licensesToAssign?: unknown[];
  licensesToRemove?: unknown[];
  [k: string]: unknown;
}

const update = (
  customerId: string,
  userId: string,
  payload: Body,
  token = admin.token,
  headers: Record<string, string> = {},
) =>
  t.app.inject({
    method: 'POST',
    url: `/v1/customers/${customerId}/users/${userId}/licenseupdates`,
    headers: { ...bearer(token), ...headers },
    payload,
  });
const bulk = (customerId: string, payload: Body & { userIds: string[] }, token = admin.token) =>
  t.app.inject({
    method: 'POST',
    url: `/v1/customers/${customerId}/licenseupdates`,
    headers: bearer(token),
    payload,
  });
const licensesOf = async (customerId: string, userId: string, token = admin.token) => {
  const r = await t.app.inject({
    method: 'GET',
    url: `/v1/customers/${customerId}/users/${userId}/licenses`,
    headers: bearer(token),
  });
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as {
    totalCount: number;
    items: {
      productSku: { id: string; name: string };
      subscriptionId: string | null;
      soldByYou: boolean;
      state: string;
      capabilityStatus: string;
    }[];
  };
};
const skusOf = async (customerId: string, token = admin.token) => {
  const r = await t.app.inject({
    method: 'GET',
    url: `/v1/customers/${customerId}/subscribedskus`,
    headers: bearer(token),
  });
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as {
    totalCount: number;
    items: {
      subscriptionId: string;
      productSku: { id: string };
      status: string;
      capabilityStatus: string;
      totalUnits: number;
      consumedUnits: number;
      availableUnits: number;
    }[];
  };
};
/** The user's licence-update records. */
const licenseUpdates = async (userId: string) =>
  (await activityOf(t.store, userId)).filter((r) => r.action === 'customerUser.updateLicenses');
const activeSeats = async (subscriptionId: string) =>
  Number(
    (
      await t.store.owner
        .selectFrom('license_assignments')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('subscription_id', '=', subscriptionId)
        .where('state', '=', 'active')
        .executeTakeFirstOrThrow()
    ).n,
  );
const patchSubscription = (customerId: string, id: string, payload: object) =>
  t.app.inject({
    method: 'PATCH',
    url: `/v1/customers/${customerId}/subscriptions/${id}`,
    headers: bearer(admin.token),
    payload,
  });

describe('a customer’s seats (subscribedskus)', () => {
  it('lists your license-based subscriptions with seats bought, assigned and left; not usage, reservations or software', async () => {
    const { c, users } = await customerWithUsers(2);
    const order = await placeOrder(t.app, admin.token, c.id, [
      { offerId: cat.suite, quantity: 3 },
      { offerId: cat.other, quantity: 1 },
      { offerId: cat.azure },
      { offerId: cat.reservation, quantity: 1, termDuration: 'P1Y', billingCycle: 'oneTime' },
      { offerId: cat.software, quantity: 1 },
    ]);
    const [suite, other] = order.lineItems.map((l) => l.subscriptionId) as [string, string];
    expect((await update(c.id, users[0]!.id, { licensesToAssign: [{ skuId: cat.suite }] })).statusCode).toBe(
      201,
    );
    await patchSubscription(c.id, other, { status: 'suspended' });

    const skus = await skusOf(c.id);
    expect(skus.totalCount).toBe(2);
    const byId = new Map(skus.items.map((s) => [s.subscriptionId, s]));
    expect(byId.get(suite)).toMatchObject({
      productSku: { id: cat.suite },
      status: 'active',
      capabilityStatus: 'enabled',
      totalUnits: 3,
      consumedUnits: 1,
      availableUnits: 2,
      attributes: { objectType: 'SubscribedSku' },
    });
    expect(byId.get(other)).toMatchObject({
      status: 'suspended',
      capabilityStatus: 'suspended',
      totalUnits: 1,
      consumedUnits: 0,
    });
  });

  it('shows only your own subscriptions, not another partner’s of the same customer', async () => {
    const c = await readyCustomer();
    const mine = await subscribe(t.app, admin.token, c.id, cat.suite, 2);
    const { admin: otherAdmin } = await createPartnerWithAdmin(t.store);
    await insertRelationship(t.store, otherAdmin.partnerId, c.id);
    await confirmAgreement(t.store, c.id, otherAdmin.partnerId);
    const theirs = await subscribe(t.app, otherAdmin.token, c.id, cat.suite, 4);
    expect((await skusOf(c.id)).items.map((s) => s.subscriptionId)).toEqual([mine]);
    expect((await skusOf(c.id, otherAdmin.token)).items.map((s) => s.subscriptionId)).toEqual([theirs]);
  });
});

describe('one user’s licences', () => {
  it('assigns by product: a seat of the oldest active subscription with one free, once; recorded as activity', async () => {
    const { c, users } = await customerWithUsers(2);
    const older = await subscribe(t.app, admin.token, c.id, cat.suite, 1);
    clock.advance(1000);
    const newer = await subscribe(t.app, admin.token, c.id, cat.suite, 1);
    const [ann, bob] = users as [(typeof users)[0], (typeof users)[0]];

    const r = await update(c.id, ann.id, { licensesToAssign: [{ skuId: cat.suite }], licensesToRemove: [] });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({
      licensesToAssign: [{ skuId: cat.suite }],
      licensesToRemove: [],
      licenseWarnings: [],
      results: [
        {
          field: 'licensesToAssign[0]',
          productSku: { id: cat.suite, name: `Suite ${cat.suite.slice(6)}` },
          subscriptionId: older,
          action: 'assign',
          status: 'succeeded',
        },
      ],
      attributes: { objectType: 'LicenseUpdate' },
    });
    // The oldest is full now: the next user gets the newer one.
    const second = await update(c.id, bob.id, { licensesToAssign: [{ skuId: cat.suite }] });
    expect(second.json().results[0].subscriptionId).toBe(newer);

    const list = await licensesOf(c.id, ann.id);
    expect(list).toMatchObject({
      totalCount: 1,
      items: [
        {
          productSku: { id: cat.suite },
          subscriptionId: older,
          soldByYou: true,
          state: 'active',
          capabilityStatus: 'enabled',
          attributes: { objectType: 'License' },
        },
      ],
      attributes: { objectType: 'Collection' },
    });

    // Again: the user has it already; nothing changes and nothing is recorded.
    const again = await update(c.id, ann.id, { licensesToAssign: [{ skuId: cat.suite }] });
    expect(again.statusCode).toBe(201);
    expect(again.json().results[0]).toMatchObject({ status: 'unchanged', subscriptionId: older });
    const records = await licenseUpdates(ann.id);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      customer_id: c.id,
      resource_type: 'CustomerUser',
      actor_kind: 'partnerUser',
      actor_id: admin.id,
    });
    expect(records[0]!.details).toEqual({
      userPrincipalName: ann.userName,
      assigned: [`Suite ${cat.suite.slice(6)}`],
      removed: [],
    });
  });

  it('assigns by subscription, removes by product or by subscription, and moves a user between subscriptions in one update', async () => {
    const { c, users } = await customerWithUsers(1);
    const user = users[0]!;
    const a = await subscribe(t.app, admin.token, c.id, cat.suite, 2);
    const b = await subscribe(t.app, admin.token, c.id, cat.suite, 2);
    const o = await subscribe(t.app, admin.token, c.id, cat.other, 2);

    let r = await update(c.id, user.id, { licensesToAssign: [{ subscriptionId: b }, { skuId: cat.other }] });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().results.map((p: { subscriptionId: string }) => p.subscriptionId)).toEqual([b, o]);

    // Moving from b to a: the removal is made first, so the product is not "already assigned".
    r = await update(c.id, user.id, { licensesToAssign: [{ subscriptionId: a }], licensesToRemove: [b] });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().results).toMatchObject([
      { field: 'licensesToAssign[0]', action: 'assign', status: 'succeeded', subscriptionId: a },
      { field: 'licensesToRemove[0]', action: 'remove', status: 'succeeded', subscriptionId: b },
    ]);
    expect(await activeSeats(a)).toBe(1);
    expect(await activeSeats(b)).toBe(0);

    // Removing by product; removing what the user does not have changes nothing.
    r = await update(c.id, user.id, { licensesToRemove: [cat.other.toLowerCase(), b] });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().results).toMatchObject([
      { productSku: { id: cat.other }, status: 'succeeded', subscriptionId: o },
      { productSku: { id: cat.suite }, status: 'unchanged', subscriptionId: b },
    ]);
    const list = await licensesOf(c.id, user.id);
    expect(list.items.map((l) => l.subscriptionId)).toEqual([a]);
    const details = (await licenseUpdates(user.id)).map((rec) => rec.details);
    const suiteName = `Suite ${cat.suite.slice(6)}`;
    const otherName = `Other suite ${cat.other.slice(6)}`;
    expect(details).toEqual([
      { userPrincipalName: user.userName, assigned: [suiteName, otherName], removed: [] },
      { userPrincipalName: user.userName, assigned: [suiteName], removed: [suiteName] },
      { userPrincipalName: user.userName, assigned: [], removed: [otherName] },
    ]);
  });

  it('is all or nothing: one refused product leaves every other as it was (409 with a reason per refused product)', async () => {
    const { c, users } = await customerWithUsers(1);
    const user = users[0]!;
    const suite = await subscribe(t.app, admin.token, c.id, cat.suite, 5);
    const other = await subscribe(t.app, admin.token, c.id, cat.other, 5);
    await update(c.id, user.id, { licensesToAssign: [{ subscriptionId: other }] });

    const r = await update(c.id, user.id, {
      licensesToAssign: [{ skuId: cat.suite }, { skuId: cat.azure }],
      licensesToRemove: [other],
    });
    expect(r.statusCode, r.body).toBe(409);
    const body = r.json();
    expect(body).toMatchObject({ name: 'licenseUpdateFailed', code: 101101 });
    expect(body.details).toEqual([
      { field: 'licensesToAssign[1]', reason: expect.stringContaining('usage-based') },
    ]);
    expect(body.data).toMatchObject([
      { field: 'licensesToAssign[0]', status: 'failed', code: 'licenseUpdateFailed' },
      { field: 'licensesToAssign[1]', status: 'failed', code: 'productNotAssignable' },
      { field: 'licensesToRemove[0]', status: 'failed', code: 'licenseUpdateFailed' },
    ]);
    expect(await activeSeats(suite)).toBe(0);
    expect(await activeSeats(other)).toBe(1);
    expect(await licenseUpdates(user.id)).toHaveLength(1);
  });
});

describe('refusals, each with its reason', () => {
  async function refusal(customerId: string, userId: string, body: Body) {
    const r = await update(customerId, userId, body);
    expect(r.statusCode, r.body).toBe(409);
    expect(r.json().name).toBe('licenseUpdateFailed');
    return r.json() as { details: { field: string; reason: string }[]; data: { code: string }[] };
  }

  it('no seat left', async () => {
    const { c, users } = await customerWithUsers(2);
    const sub = await subscribe(t.app, admin.token, c.id, cat.suite, 1);
    expect((await update(c.id, users[0]!.id, { licensesToAssign: [{ skuId: cat.suite }] })).statusCode).toBe(
      201,
    );
    for (const item of [{ skuId: cat.suite }, { subscriptionId: sub }]) {
      const body = await refusal(c.id, users[1]!.id, { licensesToAssign: [item] });
      expect(body.data[0]!.code).toBe('noLicensesAvailable');
      expect(body.details[0]!.reason).toMatch(/All 1 licences of .* are assigned/);
    }
  });

  it('a user without a usage location', async () => {
    const { c, users } = await customerWithUsers([{ usageLocation: null }]);
    await subscribe(t.app, admin.token, c.id, cat.suite, 1);
    const body = await refusal(c.id, users[0]!.id, { licensesToAssign: [{ skuId: cat.suite }] });
    expect(body.data[0]!.code).toBe('usageLocationRequired');
    expect(body.details[0]).toEqual({
      field: 'licensesToAssign[0]',
      reason: expect.stringContaining('usage location'),
    });
  });

  it('a suspended subscription; its licences can still be removed', async () => {
    const { c, users } = await customerWithUsers(2);
    const sub = await subscribe(t.app, admin.token, c.id, cat.suite, 5);
    await update(c.id, users[0]!.id, { licensesToAssign: [{ subscriptionId: sub }] });
    expect((await patchSubscription(c.id, sub, { status: 'suspended' })).statusCode).toBe(200);
    for (const item of [{ skuId: cat.suite }, { subscriptionId: sub }]) {
      const body = await refusal(c.id, users[1]!.id, { licensesToAssign: [item] });
      expect(body.data[0]!.code).toBe('subscriptionSuspended');
    }
    expect((await licensesOf(c.id, users[0]!.id)).items[0]).toMatchObject({
      state: 'active',
      capabilityStatus: 'suspended',
    });
    const removed = await update(c.id, users[0]!.id, { licensesToRemove: [sub] });
    expect(removed.statusCode, removed.body).toBe(201);
    expect(await activeSeats(sub)).toBe(0);
  });

  it('usage-based products, reservations and software have no licences (productNotAssignable)', async () => {
    const { c, users } = await customerWithUsers(1);
    const order = await placeOrder(t.app, admin.token, c.id, [
      { offerId: cat.azure },
      { offerId: cat.reservation, quantity: 1, termDuration: 'P1Y', billingCycle: 'oneTime' },
      { offerId: cat.software, quantity: 1 },
    ]);
    const [azure, reservation, software] = order.lineItems.map((l) => l.subscriptionId);
    const body = await refusal(c.id, users[0]!.id, {
      licensesToAssign: [
        { skuId: cat.azurePlan },
        { subscriptionId: azure },
        { subscriptionId: reservation },
        { skuId: cat.software },
        { subscriptionId: software },
      ],
    });
    expect(body.data.map((p) => p.code)).toEqual(Array(5).fill('productNotAssignable'));
    expect(body.details.map((d) => d.field)).toEqual([0, 1, 2, 3, 4].map((i) => `licensesToAssign[${i}]`));
    expect(body.details[2]!.reason).toContain('reservation');
  });

  it('a deleted user gets nothing new, but its licences may be removed', async () => {
    const { c, users } = await customerWithUsers(1);
    const sub = await subscribe(t.app, admin.token, c.id, cat.suite, 5);
    await update(c.id, users[0]!.id, { licensesToAssign: [{ subscriptionId: sub }] });
    await t.store.owner
      .updateTable('customer_users')
      .set({ state: 'inactive', soft_deleted_at: clock.now() })
      .where('id', '=', users[0]!.id)
      .execute();
    const body = await refusal(c.id, users[0]!.id, { licensesToAssign: [{ skuId: cat.other }] });
    expect(body.data[0]!.code).toBe('userDeleted');
    expect((await update(c.id, users[0]!.id, { licensesToRemove: [cat.suite] })).statusCode).toBe(201);
    expect((await licensesOf(c.id, users[0]!.id)).totalCount).toBe(0);
  });

  it('a subscription that is not yours, and a licence another partner sold (which only it may remove)', async () => {
    const { c, users } = await customerWithUsers(1);
    const user = users[0]!;
    const { admin: other } = await createPartnerWithAdmin(t.store);
    await insertRelationship(t.store, other.partnerId, c.id);
    await confirmAgreement(t.store, c.id, other.partnerId);
    const theirs = await subscribe(t.app, other.token, c.id, cat.suite, 5);

    // Their subscription is not one of ours: named by id it does not exist for us.
    let body = await refusal(c.id, user.id, { licensesToAssign: [{ subscriptionId: theirs }] });
    expect(body.data[0]!.code).toBe('subscriptionNotFound');
    // Nor do we have the product to give.
    body = await refusal(c.id, user.id, { licensesToAssign: [{ skuId: cat.suite }] });
    expect(body.data[0]!.code).toBe('subscriptionNotFound');
    expect(await activeSeats(theirs)).toBe(0);

    expect(
      (await update(c.id, user.id, { licensesToAssign: [{ subscriptionId: theirs }] }, other.token))
        .statusCode,
    ).toBe(201);
    // We see their licence, without its subscription id.
    const list = await licensesOf(c.id, user.id);
    expect(list.items).toMatchObject([
      { productSku: { id: cat.suite }, subscriptionId: null, soldByYou: false, state: 'active' },
    ]);
    expect(JSON.stringify(list)).not.toContain(theirs);
    expect((await licensesOf(c.id, user.id, other.token)).items[0]).toMatchObject({
      subscriptionId: theirs,
      soldByYou: true,
    });
    // We cannot take it away: neither by product nor by its id.
    body = await refusal(c.id, user.id, { licensesToRemove: [cat.suite] });
    expect(body.details[0]!.reason).toContain('another partner');
    body = await refusal(c.id, user.id, { licensesToRemove: [theirs] });
    expect(body.data[0]!.code).toBe('subscriptionNotFound');
    expect(await activeSeats(theirs)).toBe(1);
    // The user has the product already: giving it again from ours changes nothing.
    const mine = await subscribe(t.app, admin.token, c.id, cat.suite, 5);
    const again = await update(c.id, user.id, { licensesToAssign: [{ skuId: cat.suite }] });
    expect(again.json().results[0]).toMatchObject({ status: 'unchanged', subscriptionId: null });
    // Named by our subscription, it would be the same product twice.
    body = await refusal(c.id, user.id, { licensesToAssign: [{ subscriptionId: mine }] });
    expect(body.data[0]!.code).toBe('licenseAlreadyAssigned');
  });

  it('a product that is not in the catalog', async () => {
    const { c, users } = await customerWithUsers(1);
    const body = await refusal(c.id, users[0]!.id, {
      licensesToAssign: [{ skuId: 'NO-SUCH-PRODUCT' }],
      licensesToRemove: ['ALSO-MISSING'],
    });
    expect(body.data.map((p) => p.code)).toEqual(['offerNotFound', 'offerNotFound']);
  });
});

describe('bad requests (400, nothing written)', () => {
  it('names each field', async () => {
    const { c, users } = await customerWithUsers(1);
    const user = users[0]!;
    const sub = await subscribe(t.app, admin.token, c.id, cat.suite, 5);
    const cases: [Body, { field: string; reason: string }[]][] = [
      [{}, [{ field: 'body', reason: expect.stringContaining('at least one') }]],
      [{ licensesToAssign: [], licensesToRemove: [] }, [{ field: 'body', reason: expect.any(String) }]],
      [
        { licensesToAssign: [{ excludedPlans: [] }] },
        [{ field: 'licensesToAssign[0]', reason: expect.stringContaining('skuId') }],
      ],
      [
        { licensesToAssign: [{ subscriptionId: 'not-a-guid' }] },
        [{ field: 'licensesToAssign[0].subscriptionId', reason: 'must be a GUID' }],
      ],
      [
        { licensesToAssign: [{ skuId: cat.suite }, { skuId: cat.suite.toLowerCase() }] },
        [{ field: 'licensesToAssign[1]', reason: 'repeats licensesToAssign[0]' }],
      ],
      [
        { licensesToAssign: [{ skuId: cat.suite }], licensesToRemove: [cat.suite] },
        [{ field: 'licensesToRemove[0]', reason: expect.stringContaining('licensesToAssign[0]') }],
      ],
      [
        { licensesToAssign: [{ subscriptionId: sub, skuId: cat.other }] },
        [{ field: 'licensesToAssign[0].skuId', reason: `the subscription is of ${cat.suite}` }],
      ],
    ];
    for (const [body, details] of cases) {
      const r = await update(c.id, user.id, body);
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
      expect(r.json().details).toEqual(details);
    }
    const shape = await update(c.id, user.id, { licensesToAssign: [{ skuId: '' }], extra: 1 });
    expect(shape.statusCode).toBe(400);
    expect(shape.json().name).toBe('validationFailed');
    const repeated = await bulk(c.id, { userIds: [user.id, user.id.toUpperCase()], licensesToRemove: [sub] });
    expect(repeated.statusCode).toBe(400);
    expect(repeated.json().details).toEqual([{ field: 'userIds[1]', reason: 'repeats userIds[0]' }]);
    expect(await activeSeats(sub)).toBe(0);
    expect(await licenseUpdates(user.id)).toHaveLength(0);
  });

  it('an unknown user, or one of another customer, is 404', async () => {
    const { c } = await customerWithUsers(0);
    const { users: elsewhere } = await customerWithUsers(1);
    for (const id of [elsewhere[0]!.id, '00000000-0000-4000-8000-000000000000']) {
      const r = await update(c.id, id, { licensesToAssign: [{ skuId: cat.suite }] });
      expect(r.statusCode).toBe(404);
      expect(r.json().name).toBe('customerUserNotFound');
      const list = await t.app.inject({
        method: 'GET',
        url: `/v1/customers/${c.id}/users/${id}/licenses`,
        headers: bearer(admin.token),
      });
      expect(list.statusCode).toBe(404);
    }
  });
});

describe('many users at once', () => {
  it('takes users in the order sent: when seats run out exactly the later ones fail; one activity per changed user', async () => {
    const { c, users } = await customerWithUsers([{}, {}, {}, { usageLocation: null }]);
    const [u1, u2, u3, noLocation] = users as [
      (typeof users)[0],
      (typeof users)[0],
      (typeof users)[0],
      (typeof users)[0],
    ];
    const sub = await subscribe(t.app, admin.token, c.id, cat.suite, 2);
    const missing = '00000000-0000-4000-8000-00000000abcd';
    const r = await bulk(c.id, {
      userIds: [u3.id, noLocation.id, missing, u1.id, u2.id],
      licensesToAssign: [{ skuId: cat.suite }],
    });
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json();
    expect(body).toMatchObject({ succeeded: 2, failed: 3, attributes: { objectType: 'LicenseUpdateBatch' } });
    expect(body.items.map((i: { userId: string; status: string }) => [i.userId, i.status])).toEqual([
      [u3.id, 'succeeded'],
      [noLocation.id, 'failed'],
      [missing, 'failed'],
      [u1.id, 'succeeded'],
      [u2.id, 'failed'],
    ]);
    expect(body.items[0]).toMatchObject({
      userPrincipalName: u3.userName,
      displayName: u3.displayName,
      products: [{ subscriptionId: sub, status: 'succeeded', action: 'assign' }],
    });
    expect(body.items[1].products[0].code).toBe('usageLocationRequired');
    expect(body.items[2]).toMatchObject({
      userPrincipalName: null,
      code: 'customerUserNotFound',
      products: [{ status: 'failed', code: 'customerUserNotFound' }],
    });
    expect(body.items[4].products[0]).toMatchObject({ status: 'failed', code: 'noLicensesAvailable' });
    expect(await activeSeats(sub)).toBe(2);
    expect(await licenseUpdates(u3.id)).toHaveLength(1);
    expect(await licenseUpdates(u1.id)).toHaveLength(1);
    expect(await licenseUpdates(u2.id)).toHaveLength(0);

    // Removing frees the seats for the next users in the same request.
    const swap = await bulk(c.id, { userIds: [u3.id, u1.id, u2.id], licensesToRemove: [cat.suite] });
    expect(swap.json()).toMatchObject({ succeeded: 2, failed: 0 });
    expect(swap.json().items.map((i: { status: string }) => i.status)).toEqual([
      'succeeded',
      'succeeded',
      'unchanged',
    ]);
    expect(await activeSeats(sub)).toBe(0);
  });
});

describe('racing for the last seat', () => {
  it('exactly one of two concurrent requests gets it, every time', async () => {
    for (let round = 0; round < 4; round++) {
      const { c, users } = await customerWithUsers(3);
      const sub = await subscribe(t.app, admin.token, c.id, cat.suite, 1);
      const [one, two] = await Promise.all([
        update(c.id, users[0]!.id, { licensesToAssign: [{ skuId: cat.suite }] }),
        round % 2 === 0
          ? update(c.id, users[1]!.id, { licensesToAssign: [{ subscriptionId: sub }] })
          : bulk(c.id, { userIds: [users[1]!.id, users[2]!.id], licensesToAssign: [{ skuId: cat.suite }] }),
      ]);
      const singleWon = one.statusCode === 201;
      const otherWon = round % 2 === 0 ? two.statusCode === 201 : two.json().succeeded === 1;
      expect([singleWon, otherWon].filter(Boolean), `${one.body} ${two.body}`).toHaveLength(1);
      if (!singleWon) expect(one.json().data[0].code).toBe('noLicensesAvailable');
      expect(await activeSeats(sub)).toBe(1);
    }
  });
});

describe('MS-RequestId', () => {
  it('makes a retry answer the same without changing anything twice', async () => {
    const { c, users } = await customerWithUsers(1);
    const sub = await subscribe(t.app, admin.token, c.id, cat.suite, 5);
    const headers = { 'ms-requestid': `licences-${users[0]!.id}` };
    const first = await update(
      c.id,
      users[0]!.id,
      { licensesToAssign: [{ subscriptionId: sub }] },
      admin.token,
      headers,
    );
    const retry = await update(
      c.id,
      users[0]!.id,
      { licensesToAssign: [{ subscriptionId: sub }] },
      admin.token,
      headers,
    );
    expect(first.statusCode).toBe(201);
    expect(retry.statusCode).toBe(201);
    expect(retry.json()).toEqual(first.json());
    expect(await licenseUpdates(users[0]!.id)).toHaveLength(1);
  });
});

describe('who may', () => {
  it('another partner learns nothing (404); a removed relationship may read no more and change nothing (404 / 403)', async () => {
    const { c, users } = await customerWithUsers(1);
    const sub = await subscribe(t.app, admin.token, c.id, cat.suite, 5);
    const { admin: stranger } = await createPartnerWithAdmin(t.store);
    const calls = (token: string) => [
      t.app.inject({ method: 'GET', url: `/v1/customers/${c.id}/subscribedskus`, headers: bearer(token) }),
      t.app.inject({
        method: 'GET',
        url: `/v1/customers/${c.id}/users/${users[0]!.id}/licenses`,
        headers: bearer(token),
      }),
      update(c.id, users[0]!.id, { licensesToAssign: [{ subscriptionId: sub }] }, token),
      bulk(c.id, { userIds: [users[0]!.id], licensesToAssign: [{ subscriptionId: sub }] }, token),
    ];
    for (const r of await Promise.all(calls(stranger.token))) {
      expect(r.statusCode, r.body).toBe(404);
      expect(r.json().name).toBe('customerNotFound');
      expect(r.body).not.toContain(sub);
    }

    await t.store.owner
      .updateTable('customer_relationships')
      .set({ state: 'removed', removed_at: clock.now() })
      .where('partner_id', '=', admin.partnerId)
      .where('customer_id', '=', c.id)
      .execute();
    const [skus, list, one, many] = await Promise.all(calls(admin.token));
    expect([skus!.statusCode, list!.statusCode]).toEqual([404, 404]);
    for (const r of [one!, many!]) {
      expect(r.statusCode, r.body).toBe(403);
      expect(r.json()).toMatchObject({ name: 'noResellerRelationship', code: 20002 });
    }
    expect(await activeSeats(sub)).toBe(0);
  });

  it('where the cloud instance makes users read-only, licences are read but never changed (403 naming it)', async () => {
    const { admin: gov } = await createPartnerWithAdmin(t.store, { instance: 'usgov' });
    const c = await insertCustomer(t.store, gov.partnerId, { instance: 'usgov' });
    const [user] = await insertTestUsers(t.store, c, 1);
    const skus = await t.app.inject({
      method: 'GET',
      url: `/v1/customers/${c.id}/subscribedskus`,
      headers: bearer(gov.token),
    });
    expect(skus.statusCode).toBe(200);
    expect((await licensesOf(c.id, user!.id, gov.token)).totalCount).toBe(0);
    for (const r of [
      await update(c.id, user!.id, { licensesToAssign: [{ skuId: cat.suite }] }, gov.token),
      await bulk(c.id, { userIds: [user!.id], licensesToRemove: [cat.suite] }, gov.token),
    ]) {
      expect(r.statusCode).toBe(403);
      expect(r.json().name).toBe('instanceCapabilityRefused');
      expect(r.json().description).toContain('US Government');
    }
  });
});
