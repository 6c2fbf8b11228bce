// Deleted users over time, with a controlled clock: restorable (one by one or many at once) up to exactly 30
// days after the deletion, refused after; purged by the maintenance job once those 30 days have passed — with
// their sessions and licence assignments, keeping the invitation they accepted, recorded as the system's doing
// for every related partner. Licences are released on deletion and brought back on restoration through the
// licences feature's hooks, in the same transaction.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Trx } from '../src/db/database.ts';
import { runMaintenance } from '../src/jobs/maintenance.jobs.ts';
import type { CallerContext } from '../src/lib/context.ts';
import { createCountriesService } from '../src/modules/countries/countries.service.ts';
import type { RestoredLicense } from '../src/modules/customerUsers/customerUsers.service.ts';
import {
  createCustomerUsersService,
  purgeDeletedUsers,
} from '../src/modules/customerUsers/customerUsers.service.ts';
import { createCustomersService } from '../src/modules/customers/customers.service.ts';
import { createInstanceService } from '../src/modules/instances/instances.ts';
import type { TestApp } from './helpers/app.ts';
import { createTestApp, testClock } from './helpers/app.ts';
import type { TestUser } from './helpers/factories.ts';
import { TEST_PASSWORD, bearer, createPartnerWithAdmin, issueToken } from './helpers/factories.ts';
import { MATRIX_OFFERS, ensureMatrixOffers, insertSubscription } from './helpers/offers.ts';
import { AGREEMENT, requestLink } from './helpers/relationships.ts';
import type { DirectoryCustomer } from './helpers/users.ts';
import { directoryCustomer, insertDirectoryUser, usersUrl } from './helpers/users.ts';

const SECOND = 1000;
const DAY = 86_400_000;
const clock = testClock(new Date('2027-04-01T08:00:00Z'));
let t: TestApp;
let admin: TestUser;

beforeAll(async () => {
  t = await createTestApp({ clock });
  ({ admin } = await createPartnerWithAdmin(t.store));
});
afterAll(() => t.close());

const call = (
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  payload?: object,
  token = admin.token,
) => t.app.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) });
const restore = (c: { id: string }, userIds: string[]) =>
  call('POST', `${usersUrl(c.id)}/restore`, { userIds });
const signIn = (userName: string) =>
  t.app.inject({
    method: 'POST',
    url: '/v1/customer/sessions',
    payload: { userName, password: TEST_PASSWORD },
  });

async function deletedUser(c: DirectoryCustomer, local: string): Promise<{ id: string; deletedAt: Date }> {
  const id = await insertDirectoryUser(t.store, c.id, `${local}@${c.domain}`, { roles: ['userAdmin'] });
  const r = await call('DELETE', usersUrl(c.id, id));
  expect(r.statusCode, r.body).toBe(204);
  return { id, deletedAt: clock.now() };
}

describe('restoring deleted users', () => {
  it('restores up to exactly 30 days after the deletion and refuses after, each user on its own', async () => {
    const c = await directoryCustomer(t.store, admin.partnerId);
    const early = await deletedUser(c, 'early');
    clock.advance(DAY);
    const late = await deletedUser(c, 'late');
    const active = await insertDirectoryUser(t.store, c.id, `active@${c.domain}`);
    const unknown = '00000000-0000-4000-8000-000000000000';

    // The last moment of the late user's window is past the early one's.
    clock.set(new Date(late.deletedAt.getTime() + 30 * DAY));
    const r = await restore(c, [early.id, late.id, active, unknown, late.id]);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toEqual({
      items: [
        {
          userId: early.id,
          status: 'failed',
          code: 101007,
          name: 'restoreWindowPassed',
          description: expect.stringContaining('30 days'),
          licenses: [],
        },
        { userId: late.id, status: 'restored', licenses: [] },
        {
          userId: active,
          status: 'failed',
          code: 101005,
          name: 'userNotDeleted',
          description: expect.any(String),
          licenses: [],
        },
        {
          userId: unknown,
          status: 'failed',
          code: 101002,
          name: 'customerUserNotFound',
          description: expect.any(String),
          licenses: [],
        },
      ],
      attributes: { objectType: 'UserRestoreResult' },
    });
    const back = (await call('GET', usersUrl(c.id, late.id))).json();
    expect(back).toMatchObject({
      state: 'active',
      softDeletionTime: null,
      restorableUntil: null,
      directoryRoles: ['userAdmin'],
    });
    // It signs in again with its password; the one left deleted does not.
    expect((await signIn(`late@${c.domain}`)).statusCode).toBe(200);
    expect((await signIn(`early@${c.domain}`)).statusCode).toBe(401);
    expect((await call('GET', usersUrl(c.id, early.id))).json().state).toBe('inactive');

    const records = await t.store.owner
      .selectFrom('activity_records')
      .select(['action', 'resource_id', 'details'])
      .where('action', '=', 'customerUser.restore')
      .where('customer_id', '=', c.id)
      .execute();
    expect(records).toEqual([
      {
        action: 'customerUser.restore',
        resource_id: late.id,
        details: expect.objectContaining({ deletedAt: late.deletedAt.toISOString(), licenses: [] }),
      },
    ]);
  });

  it('restores through PATCH state active, within the window only', async () => {
    const c = await directoryCustomer(t.store, admin.partnerId);
    const u = await deletedUser(c, 'patched');
    clock.advance(30 * DAY + SECOND);
    const late = await call('PATCH', usersUrl(c.id, u.id), { state: 'active' });
    expect(late.statusCode).toBe(410);
    expect(late.json().name).toBe('restoreWindowPassed');

    const v = await deletedUser(c, 'patched2');
    clock.advance(29 * DAY);
    // Restoring may come with changes; any other change of a deleted user is refused.
    expect((await call('PATCH', usersUrl(c.id, v.id), { displayName: 'Back' })).json().name).toBe(
      'userDeleted',
    );
    const back = await call('PATCH', usersUrl(c.id, v.id), { state: 'active', displayName: 'Back' });
    expect(back.statusCode, back.body).toBe(200);
    expect(back.json()).toMatchObject({ state: 'active', displayName: 'Back', softDeletionTime: null });
    const notDeleted = await restore(c, [v.id]);
    expect(notDeleted.json().items[0]).toMatchObject({ status: 'failed', name: 'userNotDeleted' });
    // Restoring an active user through PATCH is no change at all.
    const same = await call('PATCH', usersUrl(c.id, v.id), { state: 'active' });
    expect(same.json().attributes.etag).toBe(back.json().attributes.etag);
  });

  it('checks its body and who is asking', async () => {
    const c = await directoryCustomer(t.store, admin.partnerId);
    const empty = await restore(c, []);
    expect(empty.statusCode).toBe(400);
    expect(empty.json().name).toBe('validationFailed');
    const many = await restore(
      c,
      Array.from({ length: 1001 }, () => '00000000-0000-4000-8000-000000000000'),
    );
    expect(many.statusCode).toBe(400);
    const { admin: stranger } = await createPartnerWithAdmin(t.store);
    const u = await deletedUser(c, 'private');
    const hidden = await call('POST', `${usersUrl(c.id)}/restore`, { userIds: [u.id] }, stranger.token);
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json().name).toBe('customerNotFound');
    expect((await call('GET', usersUrl(c.id, u.id))).json().state).toBe('inactive');
  });
});

describe('licences of deleted and restored users', () => {
  const ctx = (): CallerContext => ({
    partnerId: admin.partnerId,
    instance: 'global',
    userId: admin.id,
    userName: admin.userName,
    roles: ['globalAdmin'],
    credential: { kind: 'bearer', id: 'test' },
  });

  function serviceWith(licenses: Parameters<typeof createCustomerUsersService>[0]['licenses']) {
    const instances = createInstanceService(t.config);
    const customers = createCustomersService({
      db: t.store.app,
      clock,
      instances,
      countries: createCountriesService(),
    });
    return createCustomerUsersService({ db: t.store.app, clock, customers, instances, licenses });
  }

  const stateSeen = async (trx: Trx, userId: string) =>
    (
      await trx
        .selectFrom('customer_users')
        .select('state')
        .where('id', '=', userId)
        .executeTakeFirstOrThrow()
    ).state;

  it('releases them when deleting and brings them back on restore, in the same transaction', async () => {
    const c = await directoryCustomer(t.store, admin.partnerId);
    const u = await insertDirectoryUser(t.store, c.id, `lic@${c.domain}`);
    const calls: { op: string; userId: string; at: string; state: string }[] = [];
    const outcome: RestoredLicense[] = [
      {
        subscriptionId: 'secret-of-another-partner',
        productSku: { id: 'M365-E3', name: 'Microsoft 365 E3' },
        restored: true,
      },
      {
        subscriptionId: 'another',
        productSku: { id: 'VISIO', name: 'Visio Plan 2' },
        restored: false,
        reason: 'no seats left',
      },
    ];
    const service = serviceWith({
      async releaseUserLicenses(trx, userId, now) {
        calls.push({ op: 'release', userId, at: now.toISOString(), state: await stateSeen(trx, userId) });
      },
      async restoreUserLicenses(trx, userId, now) {
        calls.push({ op: 'restore', userId, at: now.toISOString(), state: await stateSeen(trx, userId) });
        return outcome;
      },
    });
    await service.remove(ctx(), c.id, u, undefined);
    const deletedAt = clock.now().toISOString();
    clock.advance(DAY);
    const restored = await service.restore(ctx(), c.id, [u]);
    // Callers never see a subscription id: it may be another partner's.
    expect(restored.items).toEqual([
      {
        userId: u,
        status: 'restored',
        licenses: [
          { productSku: { id: 'M365-E3', name: 'Microsoft 365 E3' }, restored: true },
          { productSku: { id: 'VISIO', name: 'Visio Plan 2' }, restored: false, reason: 'no seats left' },
        ],
      },
    ]);
    // Each hook saw the user already changed, within the same transaction.
    expect(calls).toEqual([
      { op: 'release', userId: u, at: deletedAt, state: 'inactive' },
      { op: 'restore', userId: u, at: clock.now().toISOString(), state: 'active' },
    ]);
    await service.remove(ctx(), c.id, u, undefined);
    const viaPatch = await service.update(ctx(), c.id, u, { state: 'active' }, undefined);
    expect(viaPatch.state).toBe('active');
    const record = await t.store.owner
      .selectFrom('activity_records')
      .select('details')
      .where('resource_id', '=', u)
      .where('action', '=', 'customerUser.restore')
      .orderBy('occurred_at', 'desc')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect((record.details as { licenses: unknown[] }).licenses).toHaveLength(2);
    expect(JSON.stringify(record.details)).not.toContain('secret-of-another-partner');
  });

  it('deletes nothing when releasing the licences fails', async () => {
    const c = await directoryCustomer(t.store, admin.partnerId);
    const u = await insertDirectoryUser(t.store, c.id, `stuck@${c.domain}`);
    const service = serviceWith({
      releaseUserLicenses: async () => {
        throw new Error('licences unavailable');
      },
      restoreUserLicenses: async () => [],
    });
    await expect(service.remove(ctx(), c.id, u, undefined)).rejects.toThrow('licences unavailable');
    const row = await t.store.owner
      .selectFrom('customer_users')
      .select(['state', 'soft_deleted_at'])
      .where('id', '=', u)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ state: 'active', soft_deleted_at: null });
    expect(
      await t.store.owner.selectFrom('activity_records').select('id').where('resource_id', '=', u).execute(),
    ).toEqual([]);
  });
});

describe('purging deleted users', () => {
  it('purges once 30 days have passed since the deletion (kept at exactly 30), for every related partner, as the system', async () => {
    const c = await directoryCustomer(t.store, admin.partnerId);
    const kept = await insertDirectoryUser(t.store, c.id, `kept@${c.domain}`);
    const gone = await insertDirectoryUser(t.store, c.id, `gone@${c.domain}`, { roles: ['globalAdmin'] });
    // A second partner, invited and accepted by the user that will be purged.
    const second = await createPartnerWithAdmin(t.store);
    const link = await requestLink(t.app, second.admin.token, true);
    const session = (await signIn(`gone@${c.domain}`)).json().access_token as string;
    const accepted = await t.app.inject({
      method: 'POST',
      url: `/v1/invitations/${link.token}/accept`,
      headers: bearer(session),
      payload: { customerAgreement: AGREEMENT },
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    // A licence of the partner's subscription.
    await ensureMatrixOffers(t.store);
    const sub = await insertSubscription(t.store, admin.partnerId, c.id, MATRIX_OFFERS.suite);
    await t.store.owner
      .insertInto('license_assignments')
      .values({
        customer_id: c.id,
        user_id: gone,
        subscription_id: sub.subscriptionId,
        partner_id: admin.partnerId,
        assigned_at: clock.now(),
        released_at: null,
      })
      .execute();
    expect((await call('DELETE', usersUrl(c.id, gone))).statusCode).toBe(204);
    // A session row left behind (deleting ended the user's sessions): the purge must not trip over it.
    await t.store.owner
      .insertInto('customer_sessions')
      .values({
        token_hash: Buffer.from('written-after-the-deletion'),
        customer_id: c.id,
        user_id: gone,
        created_at: clock.now(),
        expires_at: new Date(Date.now() + 3600_000),
      })
      .execute();
    const due = new Date(clock.now().getTime() + 30 * DAY);

    // Other tests' deleted users may be due too; this one is not, at exactly 30 days.
    await purgeDeletedUsers(t.store.owner, due);
    expect((await call('GET', usersUrl(c.id, gone))).json().state).toBe('inactive');

    const result = await runMaintenance(t.store.owner, new Date(due.getTime() + SECOND));
    expect(result.purgedCustomerUsers).toBeGreaterThanOrEqual(1);
    // The job's clock, a month on, also purged the test's sign-in session: a new one.
    admin.token = await issueToken(t.store, admin.partnerId, admin.id);
    const after = await call('GET', usersUrl(c.id, gone));
    expect(after.statusCode).toBe(404);
    expect(after.json().name).toBe('customerUserNotFound');
    expect((await call('GET', usersUrl(c.id, kept))).json().state).toBe('active');
    const leftovers = await Promise.all([
      t.store.owner.selectFrom('customer_sessions').select('user_id').where('user_id', '=', gone).execute(),
      t.store.owner.selectFrom('license_assignments').select('id').where('user_id', '=', gone).execute(),
    ]);
    expect(leftovers).toEqual([[], []]);
    const acceptance = await t.store.owner
      .selectFrom('relationship_acceptances')
      .select(['accepted_by', 'partner_id'])
      .where('customer_id', '=', c.id)
      .executeTakeFirstOrThrow();
    expect(acceptance).toEqual({ accepted_by: null, partner_id: second.partner.id });

    const records = await t.store.owner
      .selectFrom('activity_records')
      .select(['partner_id', 'actor_kind', 'customer_id', 'details'])
      .where('action', '=', 'customerUser.purge')
      .where('resource_id', '=', gone)
      .orderBy('partner_id')
      .execute();
    expect(records).toEqual(
      [admin.partnerId, second.partner.id].sort().map((partnerId) => ({
        partner_id: partnerId,
        actor_kind: 'system',
        customer_id: c.id,
        details: expect.objectContaining({
          userPrincipalName: `gone@${c.domain}`,
          reason: 'not restored within 30 days of its deletion',
        }),
      })),
    );

    // Gone for good: not restorable, and its name is free again.
    const restoreGone = await restore(c, [gone]);
    expect(restoreGone.json().items[0]).toMatchObject({ status: 'failed', name: 'customerUserNotFound' });
    const reuse = await call('POST', usersUrl(c.id), {
      userPrincipalName: `gone@${c.domain}`,
      displayName: 'New',
    });
    expect(reuse.statusCode, reuse.body).toBe(201);
    // A second run finds nothing more.
    expect(await purgeDeletedUsers(t.store.owner, new Date(due.getTime() + 2 * SECOND))).toBe(0);
  });
});
