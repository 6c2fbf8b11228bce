// Licences as the directory API moves users: deleting a user frees its seats (another user can take one),
// restoring it (bulk restore or PATCH state active) brings licences back where a seat remains and reports the
// others as not restored; the users list's licence count and hasLicenses filter follow, and stop counting a
// subscription once it is deleted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteDueSubscriptions } from '../src/modules/subscriptions/subscriptions.service.ts';
import type { TestApp } from './helpers/app.ts';
import { createTestApp, testClock } from './helpers/app.ts';
import { insertCustomer } from './helpers/customers.ts';
import type { TestUser } from './helpers/factories.ts';
import { bearer, createPartnerWithAdmin } from './helpers/factories.ts';
import type { TestCatalog } from './helpers/offers.ts';
import { confirmAgreement, insertTestCatalog, subscribe } from './helpers/offers.ts';
import { insertTestUsers, usersUrl } from './helpers/users.ts';

const DAY = 86_400_000;
const clock = testClock(new Date('2027-07-01T09:00:00Z'));
let t: TestApp;
let cat: TestCatalog;
let admin: TestUser;

beforeAll(async () => {
  t = await createTestApp({ clock });
  cat = await insertTestCatalog(t.store);
  ({ admin } = await createPartnerWithAdmin(t.store));
});
afterAll(() => t.close());

async function readyCustomer() {
  const c = await insertCustomer(t.store, admin.partnerId);
  await confirmAgreement(t.store, c.id, admin.partnerId);
  return c;
}

const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
  t.app.inject({ method, url, headers: bearer(admin.token), ...(payload ? { payload } : {}) });
const assign = (customerId: string, userId: string, item: object) =>
  call('POST', `/v1/customers/${customerId}/users/${userId}/licenseupdates`, { licensesToAssign: [item] });
const licenses = async (customerId: string, userId: string) => {
  const r = await call('GET', `/v1/customers/${customerId}/users/${userId}/licenses`);
  expect(r.statusCode, r.body).toBe(200);
  return (r.json().items as { productSku: { id: string }; state: string; subscriptionId: string }[]).map(
    (l) => [l.productSku.id, l.state, l.subscriptionId],
  );
};
const licenseCount = async (customerId: string, userId: string) => {
  const r = await call('GET', usersUrl(customerId, userId));
  expect(r.statusCode, r.body).toBe(200);
  return r.json().licenseCount as number;
};

describe('deleting and restoring users through the directory API', () => {
  it('frees the seats; restore brings back those with a seat left and reports the others', async () => {
    const c = await readyCustomer();
    const [leaver, newcomer, second] = await insertTestUsers(t.store, c, 3);
    const suite = await subscribe(t.app, admin.token, c.id, cat.suite, 1);
    const other = await subscribe(t.app, admin.token, c.id, cat.other, 2);
    expect((await assign(c.id, leaver!.id, { subscriptionId: suite })).statusCode).toBe(201);
    expect((await assign(c.id, leaver!.id, { subscriptionId: other })).statusCode).toBe(201);
    expect(await licenseCount(c.id, leaver!.id)).toBe(2);
    // Nobody else can have the suite's only seat.
    expect((await assign(c.id, newcomer!.id, { skuId: cat.suite })).statusCode).toBe(409);

    expect((await call('DELETE', usersUrl(c.id, leaver!.id))).statusCode).toBe(204);
    expect(await licenses(c.id, leaver!.id)).toEqual([
      [cat.other, 'released', other],
      [cat.suite, 'released', suite],
    ]);
    expect(await licenseCount(c.id, leaver!.id)).toBe(0);
    // The seat is free: another user takes it.
    const taken = await assign(c.id, newcomer!.id, { skuId: cat.suite });
    expect(taken.statusCode, taken.body).toBe(201);
    expect(taken.json().results[0].subscriptionId).toBe(suite);

    clock.advance(DAY);
    const restore = await call('POST', `${usersUrl(c.id)}/restore`, { userIds: [leaver!.id] });
    expect(restore.statusCode, restore.body).toBe(200);
    const [item] = restore.json().items;
    expect(item.status).toBe('restored');
    const outcome = Object.fromEntries(
      (item.licenses as { productSku: { id: string }; restored: boolean; reason?: string }[]).map((l) => [
        l.productSku.id,
        l,
      ]),
    );
    expect(outcome[cat.other]).toMatchObject({ restored: true });
    expect(outcome[cat.suite]).toMatchObject({
      restored: false,
      reason: expect.stringContaining('assigned'),
    });
    expect(await licenses(c.id, leaver!.id)).toEqual([
      [cat.other, 'active', other],
      [cat.suite, 'released', suite],
    ]);
    expect(await licenseCount(c.id, leaver!.id)).toBe(1);
    expect(await licenses(c.id, newcomer!.id)).toEqual([[cat.suite, 'active', suite]]);

    // Restoring with PATCH (state active) takes the licence back as well when a seat remains.
    expect((await assign(c.id, second!.id, { subscriptionId: other })).statusCode).toBe(201);
    expect((await call('DELETE', usersUrl(c.id, second!.id))).statusCode).toBe(204);
    const patched = await call('PATCH', usersUrl(c.id, second!.id), { state: 'active' });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json().licenseCount).toBe(1);
    expect(await licenses(c.id, second!.id)).toEqual([[cat.other, 'active', other]]);
  });

  it('the users list counts a deleted subscription’s licences no more', async () => {
    const c = await readyCustomer();
    const [user] = await insertTestUsers(t.store, c, 1);
    const sub = await subscribe(t.app, admin.token, c.id, cat.suite, 3);
    await assign(c.id, user!.id, { subscriptionId: sub });
    const withLicences = async () => {
      const r = await call('GET', `${usersUrl(c.id)}?hasLicenses=true`);
      expect(r.statusCode, r.body).toBe(200);
      return r.json().items.map((u: { id: string }) => u.id);
    };
    expect(await withLicences()).toEqual([user!.id]);
    await call('PATCH', `/v1/customers/${c.id}/subscriptions/${sub}`, { status: 'suspended' });
    await deleteDueSubscriptions(t.store.owner, new Date(clock.now().getTime() + 91 * DAY));
    expect(await withLicences()).toEqual([]);
    expect(await licenseCount(c.id, user!.id)).toBe(0);
    expect(await licenses(c.id, user!.id)).toEqual([]);
  });
});
