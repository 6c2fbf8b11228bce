// Licences as the directory API moves users: deleting a user frees its seats (another user can take one),
// restoring it (bulk restore or PATCH state active) brings licences back where a seat remains and reports the
// others as not restored; the users list's licence count and hasLicenses filter follow, and stop counting a
// subscription once it is deleted. The CustomerUser carries its licences (assignedLicenses) from every partner,
// another partner's by product only; and for a customer of 10,000 users the page and its licences stay on
// their indexes.
import type { RootOperationNode } from 'kysely';
import { CompiledQuery, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inPartnerTransaction } from '../src/db/database.ts';
import { findUsers } from '../src/modules/customerUsers/customerUsers.repository.ts';
import { deleteDueSubscriptions } from '../src/modules/subscriptions/subscriptions.service.ts';
import type { TestApp } from './helpers/app.ts';
import { createTestApp, testClock } from './helpers/app.ts';
import type { TestUser } from './helpers/factories.ts';
import { bearer, createPartnerWithAdmin } from './helpers/factories.ts';
import type { TestCatalog } from './helpers/offers.ts';
import { confirmAgreement, insertReadyCustomer, insertTestCatalog, subscribe } from './helpers/offers.ts';
import { insertRelationship } from './helpers/relationships.ts';
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

const readyCustomer = () => insertReadyCustomer(t.store, admin.partnerId);

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

interface Listed {
  id: string;
  state: string;
  licenseCount: number;
  assignedLicenses: { productSku: { id: string; name: string }; soldByYou: boolean }[];
}

describe('the licences a CustomerUser carries (assignedLicenses)', () => {
  it('lists every partner’s active licence, another’s as not sold by you and without its subscription; a deleted user’s released ones not at all', async () => {
    const c = await readyCustomer();
    const [holder, leaver, bare] = await insertTestUsers(t.store, c, 3);
    const suite = await subscribe(t.app, admin.token, c.id, cat.suite, 5);
    const other = await subscribe(t.app, admin.token, c.id, cat.other, 5);
    // A second partner of the same customer sells it a product of its own.
    const { admin: partner2 } = await createPartnerWithAdmin(t.store);
    await insertRelationship(t.store, partner2.partnerId, c.id);
    await confirmAgreement(t.store, c.id, partner2.partnerId);
    const theirs = await subscribe(t.app, partner2.token, c.id, cat.usOnly, 5);
    const by = (token: string) => (customerId: string, userId: string, item: object) =>
      t.app.inject({
        method: 'POST',
        url: `/v1/customers/${customerId}/users/${userId}/licenseupdates`,
        headers: bearer(token),
        payload: { licensesToAssign: [item] },
      });
    for (const [give, userId, subscriptionId] of [
      [by(admin.token), holder!.id, suite],
      [by(partner2.token), holder!.id, theirs],
      [by(admin.token), leaver!.id, other],
      [by(partner2.token), leaver!.id, theirs],
    ] as const)
      expect((await give(c.id, userId, { subscriptionId })).statusCode).toBe(201);
    const names = Object.fromEntries(
      (
        await t.store.owner
          .selectFrom('offers')
          .select(['id', 'name'])
          .where('id', 'in', [cat.suite, cat.other, cat.usOnly])
          .execute()
      ).map((o) => [o.id, o.name]),
    );
    const held = (id: string, soldByYou: boolean) => ({ productSku: { id, name: names[id]! }, soldByYou });
    const byName = (a: { productSku: { name: string } }, b: { productSku: { name: string } }) =>
      a.productSku.name.localeCompare(b.productSku.name);

    const listed = async (query = '', token = admin.token) => {
      const r = await t.app.inject({
        method: 'GET',
        url: `${usersUrl(c.id)}${query}`,
        headers: bearer(token),
      });
      expect(r.statusCode, r.body).toBe(200);
      return r;
    };
    const page = await listed();
    const users = new Map((page.json().items as Listed[]).map((u) => [u.id, u]));
    expect(users.get(holder!.id)).toMatchObject({
      licenseCount: 2,
      assignedLicenses: [held(cat.suite, true), held(cat.usOnly, false)].sort(byName),
    });
    expect(users.get(bare!.id)).toMatchObject({ licenseCount: 0, assignedLicenses: [] });
    // Another partner's subscription is never named.
    expect(page.body).not.toContain(theirs);
    // The other partner sees the same licences the other way round.
    const theirView = new Map(
      ((await listed('', partner2.token)).json().items as Listed[]).map((u) => [u.id, u]),
    );
    expect(theirView.get(holder!.id)!.assignedLicenses).toEqual(
      [held(cat.suite, false), held(cat.usOnly, true)].sort(byName),
    );
    expect((await listed('', partner2.token)).body).not.toContain(suite);

    // Deleted: its seats are released, and a released seat is not held.
    expect((await call('DELETE', usersUrl(c.id, leaver!.id))).statusCode).toBe(204);
    const deleted = (await listed('?state=inactive')).json().items as Listed[];
    expect(deleted).toMatchObject([{ id: leaver!.id, licenseCount: 0, assignedLicenses: [] }]);
    const one = await call('GET', usersUrl(c.id, leaver!.id));
    expect(one.json()).toMatchObject({ state: 'inactive', licenseCount: 0, assignedLicenses: [] });
    expect((await licenses(c.id, leaver!.id)).map(([, state]) => state)).toEqual(['released', 'released']);

    // The user alone says the same as the list, and so does the filter.
    const got = (await call('GET', usersUrl(c.id, holder!.id))).json() as Listed;
    expect(got.assignedLicenses).toEqual(users.get(holder!.id)!.assignedLicenses);
    const withLicences = (await listed('?hasLicenses=true')).json().items as Listed[];
    expect(withLicences.map((u) => u.id)).toEqual([holder!.id]);

    // A client that sends the whole user back with a change: the licences are not a field to change.
    const renamed = await call('PATCH', usersUrl(c.id, holder!.id), { ...got, displayName: 'Holder' });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json()).toMatchObject({ displayName: 'Holder', licenseCount: 2 });
    expect(renamed.json().assignedLicenses).toEqual(got.assignedLicenses);
  });
});

describe('a customer of 10,000 users', () => {
  const planText = (rows: { 'QUERY PLAN': string }[]) => rows.map((r) => r['QUERY PLAN']).join('\n');

  it('lists a page with its users’ licences on indexes: one licences query for the page, not one per user', async () => {
    const c = await readyCustomer();
    const mine = await subscribe(t.app, admin.token, c.id, cat.suite, 300);
    const { admin: partner2 } = await createPartnerWithAdmin(t.store);
    await insertRelationship(t.store, partner2.partnerId, c.id);
    await confirmAgreement(t.store, c.id, partner2.partnerId);
    const theirs = await subscribe(t.app, partner2.token, c.id, cat.other, 300);
    await t.store.owner.transaction().execute(async (trx) => {
      await sql`
        insert into customer_users (customer_id, user_name, first_name, last_name, display_name, password_hash,
                                    must_change_password, roles, usage_location, search_key, created_at, updated_at)
        select ${c.id}, 'scale' || g || '@' || ${c.domain}, null, null, 'Scale ' || g, 'x', true, '{}', 'US',
               'scale ' || g || ' scale' || g || '@' || ${c.domain}, now(), now()
          from generate_series(1, 10000) g`.execute(trx);
      // Every second user holds our seat (a tenth of them released), every fifth the other partner's.
      await sql`
        insert into license_assignments (customer_id, user_id, subscription_id, partner_id, state, assigned_at,
                                         released_at)
        select u.customer_id, u.id, s.id, s.partner_id,
               case when s.id = ${mine}::uuid and u.n % 10 = 0 then 'released' else 'active' end, now(),
               case when s.id = ${mine}::uuid and u.n % 10 = 0 then now() end
          from (select id, customer_id, row_number() over (order by id) n
                  from customer_users where customer_id = ${c.id}) u
          join subscriptions s
            on (s.id = ${mine}::uuid and u.n % 2 = 0) or (s.id = ${theirs}::uuid and u.n % 5 = 0)`.execute(
        trx,
      );
      for (const table of ['customer_users', 'license_assignments', 'subscriptions'])
        await sql`analyze ${sql.table(table)}`.execute(trx);
    });

    // A page as the repository reads it (captured), and the page query's plan in the same partner transaction.
    const captured: RootOperationNode[] = [];
    const app = t.store.app.withPlugin({
      transformQuery: (a) => {
        captured.push(a.node);
        return a.node;
      },
      transformResult: async (a) => a.result,
    });
    const query = { customerId: c.id, state: 'active' as const };
    const { rows, pagePlan } = await inPartnerTransaction(app, admin.partnerId, async (trx) => {
      const rows = await findUsers(trx, query, 'displayName', 'asc', undefined, 101);
      const statements = captured.map((n) =>
        t.store.app.getExecutor().compileQuery(n, { queryId: 'explain' } as never),
      );
      // Two statements for the page: its users, then all their licences at once.
      expect(statements).toHaveLength(2);
      expect(statements[1]!.sql).toContain('customer_user_licenses');
      const { sql: text, parameters } = statements[0]!;
      const r = await trx.executeQuery<{ 'QUERY PLAN': string }>(
        CompiledQuery.raw(`explain (analyze, buffers) ${text}`, [...parameters]),
      );
      return { rows, pagePlan: planText(r.rows) };
    });
    expect(rows).toHaveLength(101);
    expect(pagePlan).toMatch(/Index Scan using customer_users_list on customer_users/);
    expect(pagePlan).not.toMatch(/Seq Scan|Sort/);

    // The licences function's own statement, as stored, for the page's users: the function runs as the
    // owner, so it is explained there, with the caller's partner set as a request sets it.
    const body = await sql<{ prosrc: string }>`
      select prosrc from pg_proc where proname = 'customer_user_licenses'`.execute(t.store.owner);
    const statement = body.rows[0]!.prosrc.replace(/\bp_users\b/g, '$1::uuid[]');
    const ids = rows.map((r) => r.id);
    const licencesPlan = await t.store.owner.transaction().execute(async (trx) => {
      await sql`select set_config('app.partner_id', ${admin.partnerId}, true)`.execute(trx);
      const r = await trx.executeQuery<{ 'QUERY PLAN': string }>(
        CompiledQuery.raw(`explain (analyze, buffers) ${statement}`, [ids]),
      );
      return planText(r.rows);
    });
    // By the users' index, or by the customer's: never a read of every assignment.
    expect(licencesPlan).toMatch(/Index Scan (using|on) license_assignments_/);
    expect(licencesPlan).not.toMatch(/Seq Scan on license_assignments/);

    // What the page says is what the assignments are, user by user.
    const active = await t.store.owner
      .selectFrom('license_assignments')
      .select(['user_id', 'partner_id'])
      .where('user_id', 'in', ids)
      .where('state', '=', 'active')
      .execute();
    expect(active.length).toBeGreaterThan(0);
    for (const row of rows) {
      const own = active.filter((a) => a.user_id === row.id);
      expect(row.license_count).toBe(own.length);
      expect(row.assigned_licenses.map((l) => l.sold_by_caller).sort()).toEqual(
        own.map((a) => a.partner_id === admin.partnerId).sort(),
      );
    }
    expect(rows.some((r) => r.assigned_licenses.some((l) => !l.sold_by_caller))).toBe(true);
  });
});
