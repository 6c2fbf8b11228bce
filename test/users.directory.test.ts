// A customer's directory through the API: adding users (every rule of the body, the customer's domains, a taken
// name — also by a deleted user —, a generated temporary password shown once and good for one customer sign-in
// that must change it, a chosen password checked and hashed with argon2id, MS-RequestId), reading with an ETag,
// changing (If-Match, names, usage location, phone, user name), resetting a password (the old one and its
// sessions stop working), deleting (soft) with the last Global admin kept, listing (search, sort, paging, total,
// licences, deleted users), the cloud instance's read-only policy, an ended relationship and another partner.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activityOf } from './helpers/activity.ts';
import type { TestApp } from './helpers/app.ts';
import { createTestApp, injectAs, testClock } from './helpers/app.ts';
import type { TestUser } from './helpers/factories.ts';
import { bearer, createPartnerWithAdmin, createUser } from './helpers/factories.ts';
import { MATRIX_OFFERS, ensureMatrixOffers, insertSubscription } from './helpers/offers.ts';
import { insertRelationship } from './helpers/relationships.ts';
import type { DirectoryCustomer } from './helpers/users.ts';
import {
  createDirectoryUser,
  directoryCustomer,
  insertDirectoryUser,
  postUser,
  usersUrl,
} from './helpers/users.ts';

const DAY = 86_400_000;
const clock = testClock(new Date('2027-02-01T10:00:00Z'));
let t: TestApp;
let admin: TestUser;

beforeAll(async () => {
  t = await createTestApp({ clock });
  ({ admin } = await createPartnerWithAdmin(t.store));
});
afterAll(() => t.close());

const get = (customerId: string, userId: string, token = admin.token) =>
  injectAs(t.app, token, 'GET', usersUrl(customerId, userId));
const patch = (
  customerId: string,
  userId: string,
  payload: unknown,
  headers: Record<string, string> = {},
  token = admin.token,
) => injectAs(t.app, token, 'PATCH', usersUrl(customerId, userId), { payload, headers });
const del = (customerId: string, userId: string, headers: Record<string, string> = {}, token = admin.token) =>
  injectAs(t.app, token, 'DELETE', usersUrl(customerId, userId), { headers });
const list = (customerId: string, query = '', token = admin.token) =>
  injectAs(t.app, token, 'GET', `${usersUrl(customerId)}${query}`);
const signIn = (userName: string, password: string) =>
  injectAs(t.app, undefined, 'POST', '/v1/customer/sessions', { payload: { userName, password } });

async function userCount(customerId: string): Promise<number> {
  const r = await t.store.owner
    .selectFrom('customer_users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('customer_id', '=', customerId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

async function activity(userId: string) {
  const rows = await activityOf(t.store, userId);
  return rows.map((r) => ({ action: r.action, resourceType: r.resource_type, details: r.details }));
}

describe('adding a user', () => {
  let c: DirectoryCustomer;
  beforeAll(async () => {
    c = await directoryCustomer(t.store, admin.partnerId);
  });

  it('generates a temporary password shown once, good for one sign-in that must change it', async () => {
    const r = await postUser(t.app, admin.token, c.id, {
      userPrincipalName: `  Ana.Lima@${c.domain.toUpperCase()} `,
      firstName: ' Ana ',
      lastName: 'Lima',
      displayName: 'Ana   Lima',
      usageLocation: 'br',
      phoneNumber: '+55 11 5555-0100',
    });
    expect(r.statusCode, r.body).toBe(201);
    const user = r.json();
    expect(r.headers.location).toBe(usersUrl(c.id, user.id));
    expect(r.headers.etag).toBe(user.attributes.etag);
    expect(user).toEqual({
      id: expect.any(String),
      userPrincipalName: `ana.lima@${c.domain}`,
      firstName: 'Ana',
      lastName: 'Lima',
      displayName: 'Ana Lima',
      usageLocation: 'BR',
      phoneNumber: '+55 11 5555-0100',
      state: 'active',
      softDeletionTime: null,
      restorableUntil: null,
      directoryRoles: [],
      userDomainType: 'managed',
      mustChangePassword: true,
      lastSignInTime: null,
      createdTime: clock.now().toISOString(),
      lastModifiedTime: clock.now().toISOString(),
      licenseCount: 0,
      assignedLicenses: [],
      passwordProfile: { password: expect.any(String), forceChangePassword: true },
      attributes: { objectType: 'CustomerUser', etag: expect.any(String) },
    });
    const password: string = user.passwordProfile.password;
    expect(password).toHaveLength(20);

    // Shown once: reading the user never shows it again.
    const read = await get(c.id, user.id);
    expect(read.json().passwordProfile).toBeUndefined();
    expect(read.body).not.toContain(password);

    // The user signs in with it and must change it before anything else.
    const session = await signIn(`ana.lima@${c.domain}`, password);
    expect(session.statusCode, session.body).toBe(200);
    expect(session.json().mustChangePassword).toBe(true);
    const token: string = session.json().access_token;
    const blocked = await t.app.inject({
      method: 'GET',
      url: '/v1/customer/partners',
      headers: bearer(token),
    });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().name).toBe('passwordChangeRequired');
    const changed = await t.app.inject({
      method: 'POST',
      url: '/v1/customer/me/password',
      headers: bearer(token),
      payload: { currentPassword: password, newPassword: 'Ana-chose-this-1' },
    });
    expect(changed.statusCode, changed.body).toBe(204);
    const after = await t.app.inject({ method: 'GET', url: '/v1/customer/partners', headers: bearer(token) });
    expect(after.statusCode, after.body).toBe(200);
    expect((await get(c.id, user.id)).json()).toMatchObject({
      mustChangePassword: false,
      lastSignInTime: expect.any(String),
    });

    // Recorded, without the password.
    const records = await activity(user.id);
    expect(records).toEqual([
      {
        action: 'customerUser.create',
        resourceType: 'CustomerUser',
        details: expect.objectContaining({
          userPrincipalName: `ana.lima@${c.domain}`,
          temporaryPassword: true,
        }),
      },
    ]);
    expect(JSON.stringify(records)).not.toContain(password);
  });

  it('takes a chosen password that meets the rules, hashed with argon2id and never echoed', async () => {
    const chosen = 'Chosen-passw0rd!';
    const r = await postUser(t.app, admin.token, c.id, {
      userPrincipalName: `bo@${c.domain}`,
      displayName: 'Bo',
      passwordProfile: { password: chosen, forceChangePassword: false },
      directoryRoles: ['helpdeskAdmin', 'helpdeskAdmin'],
    });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().passwordProfile).toBeUndefined();
    expect(r.body).not.toContain(chosen);
    expect(r.json()).toMatchObject({ mustChangePassword: false, directoryRoles: ['helpdeskAdmin'] });
    const row = await t.store.owner
      .selectFrom('customer_users')
      .select('password_hash')
      .where('id', '=', r.json().id)
      .executeTakeFirstOrThrow();
    expect(row.password_hash.startsWith('$argon2id$')).toBe(true);
    const session = await signIn(`bo@${c.domain}`, chosen);
    expect(session.statusCode).toBe(200);
    expect(session.json().mustChangePassword).toBe(false);
  });

  it('refuses a weak chosen password with the rule it breaks, and writes nothing', async () => {
    const before = await userCount(c.id);
    for (const [password, reason] of [
      ['Short-1', 'at least 12'],
      ['alllowercaseletters', 'three of'],
      [`Carla-${'x'.repeat(3)}-carla99`, 'user name'],
    ] as const) {
      const r = await postUser(t.app, admin.token, c.id, {
        userPrincipalName: `carla@${c.domain}`,
        displayName: 'Carla',
        passwordProfile: { password },
      });
      expect(r.statusCode, r.body).toBe(400);
      expect(r.json().name).toBe('passwordTooWeak');
      expect(r.json().details).toContainEqual({
        field: 'passwordProfile.password',
        reason: expect.stringContaining(reason),
      });
    }
    expect(await userCount(c.id)).toBe(before);
  });

  it('takes only user names at one of the customer’s domains', async () => {
    const r = await postUser(t.app, admin.token, c.id, {
      userPrincipalName: 'eve@elsewhere.example',
      displayName: 'Eve',
    });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({
      name: 'userNameDomainInvalid',
      details: [{ field: 'userPrincipalName', reason: expect.stringContaining(c.domain) }],
    });
    const syntax = await postUser(t.app, admin.token, c.id, {
      userPrincipalName: 'not a name',
      displayName: 'X',
    });
    expect(syntax.statusCode).toBe(400);
    expect(syntax.json()).toMatchObject({ name: 'validationFailed' });
    expect(syntax.json().details).toContainEqual({ field: 'userPrincipalName', reason: expect.any(String) });
    // A second domain of the customer is as good as its primary one.
    const second = `second${c.domain.split('.')[0]}.onpartnerdesk.com`;
    await t.store.owner
      .insertInto('customer_domains')
      .values({ domain: second, customer_id: c.id, is_primary: false })
      .execute();
    const ok = await postUser(t.app, admin.token, c.id, {
      userPrincipalName: `eve@${second}`,
      displayName: 'Eve',
    });
    expect(ok.statusCode, ok.body).toBe(201);
  });

  it('answers every broken field at once: lengths, required display name, usage location, phone', async () => {
    const before = await userCount(c.id);
    const r = await postUser(t.app, admin.token, c.id, {
      userPrincipalName: `dan@elsewhere.example`,
      firstName: 'F'.repeat(51),
      lastName: 'L'.repeat(51),
      displayName: '   ',
      usageLocation: 'XX',
      phoneNumber: '1'.repeat(41),
      directoryRoles: ['superAdmin'],
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().name).toBe('validationFailed');
    expect(r.json().details).toEqual(
      expect.arrayContaining([
        { field: 'firstName', reason: 'must be at most 50 characters (it has 51)' },
        { field: 'lastName', reason: 'must be at most 50 characters (it has 51)' },
        { field: 'displayName', reason: 'is required' },
        { field: 'usageLocation', reason: expect.stringContaining('ISO 3166-1') },
        { field: 'phoneNumber', reason: 'must be at most 40 characters (it has 41)' },
        { field: 'directoryRoles[0]', reason: expect.stringContaining('globalAdmin') },
        { field: 'userPrincipalName', reason: expect.stringContaining(c.domain) },
      ]),
    );
    const phone = await postUser(t.app, admin.token, c.id, {
      userPrincipalName: `dan@${c.domain}`,
      displayName: 'Dan',
      phoneNumber: 'call me maybe',
    });
    expect(phone.json().details).toEqual([
      { field: 'phoneNumber', reason: expect.stringContaining('digits') },
    ]);
    expect(await userCount(c.id)).toBe(before);
    // Exactly at the limits is fine (50 characters counted as characters, not bytes).
    const limit = await postUser(t.app, admin.token, c.id, {
      userPrincipalName: `dan@${c.domain}`,
      firstName: 'é'.repeat(50),
      displayName: 'D'.repeat(50),
      phoneNumber: '1'.repeat(40),
    });
    expect(limit.statusCode, limit.body).toBe(201);
  });

  it('refuses a taken user name, and says to restore when a deleted user holds it', async () => {
    const first = await createDirectoryUser(t.app, admin.token, c, 'frank');
    const again = await postUser(t.app, admin.token, c.id, {
      userPrincipalName: `FRANK@${c.domain}`,
      displayName: 'Another Frank',
    });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({
      name: 'customerUserNameTaken',
      details: [{ field: 'userPrincipalName', reason: expect.any(String) }],
    });
    expect((await del(c.id, first.id)).statusCode).toBe(204);
    const deleted = await postUser(t.app, admin.token, c.id, {
      userPrincipalName: `frank@${c.domain}`,
      displayName: 'Another Frank',
    });
    expect(deleted.statusCode).toBe(409);
    expect(deleted.json().name).toBe('customerUserNameTaken');
    expect(deleted.json().description).toMatch(/deleted user.*restore/i);
  });

  it('is idempotent with MS-RequestId: a retry answers the same user and password, nothing twice', async () => {
    const body = { userPrincipalName: `gina@${c.domain}`, displayName: 'Gina' };
    const headers = { 'ms-requestid': `create-gina-${c.id}` };
    const first = await postUser(t.app, admin.token, c.id, body, headers);
    expect(first.statusCode, first.body).toBe(201);
    const retry = await postUser(t.app, admin.token, c.id, body, headers);
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['ms-idempotent-replay']).toBe('true');
    expect(retry.json()).toEqual(first.json());
    const rows = await t.store.owner
      .selectFrom('customer_users')
      .select('id')
      .where('user_name', '=', `gina@${c.domain}`)
      .execute();
    expect(rows).toHaveLength(1);
    const other = await postUser(t.app, admin.token, c.id, { ...body, displayName: 'Other' }, headers);
    expect(other.statusCode).toBe(409);
    expect(other.json().name).toBe('requestIdReused');
  });
});

describe('reading and changing a user', () => {
  it('gets with an ETag; PATCH changes names, location, phone and user name, guarded by If-Match', async () => {
    const c = await directoryCustomer(t.store, admin.partnerId);
    const u = await createDirectoryUser(t.app, admin.token, c, 'hal', { usageLocation: 'US' });
    const read = await get(c.id, u.id);
    expect(read.statusCode).toBe(200);
    expect(read.headers.etag).toBe(read.json().attributes.etag);

    clock.advance(60_000);
    const changed = await patch(
      c.id,
      u.id,
      {
        firstName: 'Hal',
        lastName: 'Jordan',
        displayName: 'Hal Jordan',
        usageLocation: 'de',
        phoneNumber: '+49 30 1234567',
        userPrincipalName: `hal.jordan@${c.domain}`,
      },
      { 'if-match': read.headers.etag as string },
    );
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({
      firstName: 'Hal',
      lastName: 'Jordan',
      displayName: 'Hal Jordan',
      usageLocation: 'DE',
      phoneNumber: '+49 30 1234567',
      userPrincipalName: `hal.jordan@${c.domain}`,
      lastModifiedTime: clock.now().toISOString(),
    });
    expect(changed.json().passwordProfile).toBeUndefined();
    expect(changed.headers.etag).not.toBe(read.headers.etag);

    // The old ETag is stale now: 412 with the user as it is, nothing written.
    const stale = await patch(
      c.id,
      u.id,
      { displayName: 'Lost update' },
      { 'if-match': read.headers.etag as string },
    );
    expect(stale.statusCode).toBe(412);
    expect(stale.json().name).toBe('preconditionFailed');
    expect(stale.json().data[0]).toMatchObject({ id: u.id, displayName: 'Hal Jordan' });
    expect((await get(c.id, u.id)).json().displayName).toBe('Hal Jordan');
    const staleDelete = await del(c.id, u.id, { 'if-match': read.headers.etag as string });
    expect(staleDelete.statusCode).toBe(412);

    // Cleared optional fields; the whole user sent back with a change is fine when the rest is unchanged.
    const whole = (await get(c.id, u.id)).json();
    const cleared = await patch(c.id, u.id, { ...whole, firstName: null, phoneNumber: null });
    expect(cleared.statusCode, cleared.body).toBe(200);
    expect(cleared.json()).toMatchObject({ firstName: null, phoneNumber: null, lastName: 'Jordan' });
    const readOnly = await patch(c.id, u.id, {
      ...whole,
      createdTime: '2020-01-01T00:00:00.000Z',
      directoryRoles: ['globalAdmin'],
    });
    expect(readOnly.statusCode).toBe(400);
    expect(readOnly.json().details).toEqual(
      expect.arrayContaining([
        { field: 'createdTime', reason: expect.stringContaining('read-only') },
        { field: 'directoryRoles', reason: expect.stringContaining('directoryroles') },
      ]),
    );

    // The search finds it under its new names only.
    const found = await list(c.id, '?q=jordan');
    expect(found.json().items.map((x: { id: string }) => x.id)).toEqual([u.id]);
    expect((await list(c.id, '?q=hal@')).json().totalCount).toBe(0);

    const records = await activity(u.id);
    expect(records.map((r) => r.action)).toEqual([
      'customerUser.create',
      'customerUser.update',
      'customerUser.update',
    ]);
    expect(records[1]!.details).toMatchObject({
      before: { displayName: 'hal', usageLocation: 'US', userPrincipalName: `hal@${c.domain}` },
      after: { displayName: 'Hal Jordan', usageLocation: 'DE', userPrincipalName: `hal.jordan@${c.domain}` },
    });
  });

  it('refuses bad changes field by field: names, location, a name taken or at another domain', async () => {
    const c = await directoryCustomer(t.store, admin.partnerId);
    const u = await createDirectoryUser(t.app, admin.token, c, 'ivy');
    await createDirectoryUser(t.app, admin.token, c, 'jack');
    const bad = await patch(c.id, u.id, { displayName: '', lastName: 'x'.repeat(60), usageLocation: 'ZZ' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details).toEqual(
      expect.arrayContaining([
        { field: 'displayName', reason: 'is required' },
        { field: 'lastName', reason: 'must be at most 50 characters (it has 60)' },
        { field: 'usageLocation', reason: expect.any(String) },
      ]),
    );
    const taken = await patch(c.id, u.id, { userPrincipalName: `jack@${c.domain}` });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().name).toBe('customerUserNameTaken');
    const domain = await patch(c.id, u.id, { userPrincipalName: 'ivy@elsewhere.example' });
    expect(domain.statusCode).toBe(400);
    expect(domain.json().name).toBe('userNameDomainInvalid');
    expect((await get(c.id, u.id)).json()).toMatchObject({
      displayName: 'ivy',
      userPrincipalName: `ivy@${c.domain}`,
    });
    const unknown = await patch(c.id, '00000000-0000-4000-8000-000000000000', { displayName: 'X' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().name).toBe('customerUserNotFound');
  });

  it('keeps the usage location while the user holds licences', async () => {
    const c = await directoryCustomer(t.store, admin.partnerId);
    const u = await createDirectoryUser(t.app, admin.token, c, 'kim', { usageLocation: 'US' });
    await ensureMatrixOffers(t.store);
    const sub = await insertSubscription(t.store, admin.partnerId, c.id, MATRIX_OFFERS.suite);
    await t.store.owner
      .insertInto('license_assignments')
      .values({
        customer_id: c.id,
        user_id: u.id,
        subscription_id: sub.subscriptionId,
        partner_id: admin.partnerId,
        assigned_at: new Date(),
        released_at: null,
      })
      .execute();
    expect((await get(c.id, u.id)).json().licenseCount).toBe(1);
    const r = await patch(c.id, u.id, { usageLocation: null });
    expect(r.statusCode).toBe(400);
    expect(r.json().details).toEqual([
      { field: 'usageLocation', reason: expect.stringContaining('licences') },
    ]);
  });
});

describe('resetting a password', () => {
  it('gives a new temporary password once; the old one and the user’s sessions stop working', async () => {
    const c = await directoryCustomer(t.store, admin.partnerId);
    const u = await createDirectoryUser(t.app, admin.token, c, 'lea');
    const oldPassword = u.passwordProfile!.password;
    const session = (await signIn(u.userPrincipalName, oldPassword)).json().access_token as string;
    expect(
      (await t.app.inject({ method: 'GET', url: '/v1/customer/me', headers: bearer(session) })).statusCode,
    ).toBe(200);

    const reset = await patch(c.id, u.id, { passwordProfile: { forceChangePassword: true } });
    expect(reset.statusCode, reset.body).toBe(200);
    const newPassword: string = reset.json().passwordProfile.password;
    expect(newPassword).toHaveLength(20);
    expect(newPassword).not.toBe(oldPassword);
    expect(reset.json()).toMatchObject({
      mustChangePassword: true,
      passwordProfile: { forceChangePassword: true },
    });

    expect((await signIn(u.userPrincipalName, oldPassword)).statusCode).toBe(401);
    expect(
      (await t.app.inject({ method: 'GET', url: '/v1/customer/me', headers: bearer(session) })).statusCode,
    ).toBe(401);
    const fresh = await signIn(u.userPrincipalName, newPassword);
    expect(fresh.statusCode).toBe(200);
    expect(fresh.json().mustChangePassword).toBe(true);
    expect((await get(c.id, u.id)).body).not.toContain(newPassword);

    // A chosen one: checked, argon2id, not echoed.
    const weak = await patch(c.id, u.id, { passwordProfile: { password: 'weak' } });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().name).toBe('passwordTooWeak');
    const chosen = await patch(c.id, u.id, {
      passwordProfile: { password: 'Brand-new-passw0rd-9', forceChangePassword: false },
    });
    expect(chosen.statusCode, chosen.body).toBe(200);
    expect(chosen.json().passwordProfile).toBeUndefined();
    expect(chosen.json().mustChangePassword).toBe(false);
    expect((await signIn(u.userPrincipalName, newPassword)).statusCode).toBe(401);
    expect((await signIn(u.userPrincipalName, 'Brand-new-passw0rd-9')).json().mustChangePassword).toBe(false);

    const records = await activity(u.id);
    expect(records.filter((r) => r.action === 'customerUser.resetPassword')).toEqual([
      expect.objectContaining({ details: expect.objectContaining({ generated: true, sessionsEnded: 1 }) }),
      expect.objectContaining({ details: expect.objectContaining({ generated: false }) }),
    ]);
    expect(JSON.stringify(records)).not.toContain(newPassword);
    expect(JSON.stringify(records)).not.toContain('Brand-new-passw0rd-9');
  });
});

describe('deleting a user', () => {
  it('makes it inactive, restorable for 30 days; its sessions end; it cannot sign in or change', async () => {
    const c = await directoryCustomer(t.store, admin.partnerId);
    const u = await createDirectoryUser(t.app, admin.token, c, 'max', {
      passwordProfile: { password: 'Secret-passw0rd-123', forceChangePassword: false },
    });
    const session = (await signIn(u.userPrincipalName, 'Secret-passw0rd-123')).json().access_token as string;
    const r = await del(c.id, u.id);
    expect(r.statusCode, r.body).toBe(204);
    const deletedAt = clock.now();
    expect((await get(c.id, u.id)).json()).toMatchObject({
      state: 'inactive',
      softDeletionTime: deletedAt.toISOString(),
      restorableUntil: new Date(deletedAt.getTime() + 30 * DAY).toISOString(),
    });
    expect(
      (await t.app.inject({ method: 'GET', url: '/v1/customer/me', headers: bearer(session) })).statusCode,
    ).toBe(401);
    expect((await signIn(u.userPrincipalName, 'Secret-passw0rd-123')).statusCode).toBe(401);
    const sessions = await t.store.owner
      .selectFrom('customer_sessions')
      .select('user_id')
      .where('user_id', '=', u.id)
      .execute();
    expect(sessions).toEqual([]);

    const again = await del(c.id, u.id);
    expect(again.statusCode).toBe(409);
    expect(again.json().name).toBe('userDeleted');
    const change = await patch(c.id, u.id, { displayName: 'Ghost' });
    expect(change.statusCode).toBe(409);
    expect(change.json().name).toBe('userDeleted');
    const reset = await patch(c.id, u.id, { passwordProfile: {} });
    expect(reset.statusCode).toBe(409);
    expect(reset.json().name).toBe('userDeleted');

    expect((await list(c.id)).json().items.map((x: { id: string }) => x.id)).not.toContain(u.id);
    const deleted = await list(c.id, '?state=inactive');
    expect(deleted.json()).toMatchObject({ totalCount: 1, items: [{ id: u.id, state: 'inactive' }] });
    const pcFilter = await list(
      c.id,
      `?filter=${encodeURIComponent('{"Field":"UserState","Value":"inactive","Operator":"equals"}')}`,
    );
    expect(pcFilter.json().items.map((x: { id: string }) => x.id)).toEqual([u.id]);

    expect((await activity(u.id)).map((a) => a.action)).toEqual([
      'customerUser.create',
      'customerUser.delete',
    ]);
  });

  it('keeps the customer’s last active Global admin', async () => {
    const c = await directoryCustomer(t.store, admin.partnerId);
    const last = await del(c.id, c.adminId);
    expect(last.statusCode).toBe(409);
    expect(last.json().name).toBe('customerLastGlobalAdmin');
    const second = await createDirectoryUser(t.app, admin.token, c, 'second', {
      directoryRoles: ['globalAdmin'],
    });
    expect((await del(c.id, c.adminId)).statusCode).toBe(204);
    const now = await del(c.id, second.id);
    expect(now.statusCode).toBe(409);
    expect(now.json().name).toBe('customerLastGlobalAdmin');
  });

  it('lets exactly one of two concurrent deletions of the last two Global admins through', async () => {
    const c = await directoryCustomer(t.store, admin.partnerId);
    const second = await createDirectoryUser(t.app, admin.token, c, 'twin', {
      directoryRoles: ['globalAdmin'],
    });
    const results = await Promise.all([del(c.id, c.adminId), del(c.id, second.id)]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([204, 409]);
    const active = await t.store.owner
      .selectFrom('customer_users')
      .select('id')
      .where('customer_id', '=', c.id)
      .where('state', '=', 'active')
      .execute();
    expect(active).toHaveLength(1);
  });
});

describe('listing users', () => {
  let c: DirectoryCustomer;
  const names = ['Zoë Zimmer', 'anna Adams', 'Émile Étienne', 'bob Brown', 'Carl Çelik'];
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    c = await directoryCustomer(t.store, admin.partnerId);
    // Distinct creation times, in the order above.
    let at = new Date('2026-06-01T00:00:00Z').getTime();
    for (const n of names) {
      const local = n.split(' ')[1]!.toLowerCase().normalize('NFKD').replace(/\p{M}/gu, '');
      ids[n] = await insertDirectoryUser(t.store, c.id, `${local}@${c.domain}`, {
        displayName: n,
        createdAt: new Date((at += 1000)),
      });
    }
  });

  const page = async (query: string) => {
    const r = await list(c.id, query);
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as {
      totalCount: number;
      items: { id: string; displayName: string }[];
      links: { next?: { uri: string } };
    };
  };
  const shown = (p: { items: { displayName: string }[] }) => p.items.map((i) => i.displayName);

  it('sorts by display name (any case), user name or creation time, either way', async () => {
    // Without sort: by display name.
    expect(shown(await page(''))).toEqual(shown(await page('?sort=displayName')));
    const byName = shown(await page('?sort=displayName'));
    expect(byName.indexOf('anna Adams')).toBeLessThan(byName.indexOf('bob Brown'));
    expect(byName.indexOf('bob Brown')).toBeLessThan(byName.indexOf('Tenant Admin'));
    expect(byName.indexOf('Tenant Admin')).toBeLessThan(byName.indexOf('Zoë Zimmer'));
    const desc = shown(await page('?sort=displayName&sortDirection=desc'));
    expect(desc).toEqual([...byName].reverse());
    const created = shown(await page('?sortField=CreatedTime&sortDirection=Ascending'));
    expect(created.slice(0, 5)).toEqual(names);
    const createdDesc = shown(await page('?sort=createdTime&sortDirection=desc'));
    expect(createdDesc.slice(1)).toEqual([...names].reverse());
    const byUpn = (await page('?sort=userPrincipalName')).items.map(
      (i) => (i as unknown as { userPrincipalName: string }).userPrincipalName,
    );
    expect(byUpn).toEqual([...byUpn].sort());
    const bad = await list(c.id, '?sort=shoeSize&sortDirection=sideways');
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .details.map((d: { field: string }) => d.field)
        .sort(),
    ).toEqual(['querystring.sort', 'querystring.sortDirection']);
  });

  it('pages through links.next in the same order, with the total on every page', async () => {
    for (const query of ['', '?sort=createdTime&sortDirection=desc', '?sort=userPrincipalName']) {
      const all = (await page(`${query}`)).items.map((i) => i.id);
      const seen: string[] = [];
      let next: string | undefined = `${usersUrl(c.id)}${query ? `${query}&` : '?'}size=2`;
      while (next) {
        const p: Awaited<ReturnType<typeof list>> = await t.app.inject({
          method: 'GET',
          url: next,
          headers: bearer(admin.token),
        });
        expect(p.json().totalCount).toBe(6);
        expect(p.json().items.length).toBeLessThanOrEqual(2);
        seen.push(...p.json().items.map((i: { id: string }) => i.id));
        next = p.json().links.next?.uri;
      }
      expect(seen).toEqual(all);
    }
    // The continuation token also travels as a header; a token from another query is refused.
    const first = await page('?size=2');
    const token = (first.links.next as unknown as { headers: { value: string }[] }).headers[0]!.value;
    const viaHeader = await t.app.inject({
      method: 'GET',
      url: `${usersUrl(c.id)}?size=2`,
      headers: { ...bearer(admin.token), 'ms-continuationtoken': token },
    });
    expect(viaHeader.json().items[0].id).not.toBe(first.items[0]!.id);
    const misuse = await list(c.id, `?size=2&sort=createdTime&continuationToken=${token}`);
    expect(misuse.statusCode).toBe(400);
    expect(misuse.json().name).toBe('invalidContinuationToken');
  });

  it('searches names and user names, ignoring case and accents', async () => {
    expect(shown(await page('?q=ZIMMER'))).toEqual(['Zoë Zimmer']);
    expect(shown(await page('?q=zoe'))).toEqual(['Zoë Zimmer']);
    expect(shown(await page('?q=etienne'))).toEqual(['Émile Étienne']);
    expect(shown(await page(`?q=${encodeURIComponent('adams@')}`))).toEqual(['anna Adams']);
    const pct = await page(`?q=${encodeURIComponent('%')}`);
    expect(pct.totalCount).toBe(0);
    expect((await page('?q=b&sort=displayName')).totalCount).toBeGreaterThanOrEqual(1);
  });

  it('filters users with or without licences', async () => {
    await ensureMatrixOffers(t.store);
    const sub = await insertSubscription(t.store, admin.partnerId, c.id, MATRIX_OFFERS.suite);
    await t.store.owner
      .insertInto('license_assignments')
      .values({
        customer_id: c.id,
        user_id: ids['bob Brown']!,
        subscription_id: sub.subscriptionId,
        partner_id: admin.partnerId,
        assigned_at: new Date(),
        released_at: null,
      })
      .execute();
    const withLicences = await page('?hasLicenses=true');
    expect(withLicences).toMatchObject({
      totalCount: 1,
      items: [{ displayName: 'bob Brown', licenseCount: 1 }],
    });
    const without = await page('?hasLicenses=false');
    expect(without.totalCount).toBe(5);
    expect(shown(without)).not.toContain('bob Brown');
  });
});

describe('who may change a directory', () => {
  it('usgov and germany partners read their customers’ directories but change nothing', async () => {
    for (const instance of ['usgov', 'germany'] as const) {
      const { admin: a } = await createPartnerWithAdmin(t.store, { instance });
      const c = await directoryCustomer(t.store, a.partnerId, { instance });
      const other = await insertDirectoryUser(t.store, c.id, `pat@${c.domain}`, { roles: [] });
      expect((await list(c.id, '', a.token)).json().totalCount).toBe(2);
      expect((await get(c.id, other, a.token)).statusCode).toBe(200);
      const roles = await t.app.inject({
        method: 'GET',
        url: `/v1/customers/${c.id}/directoryroles/globalAdmin/usermembers`,
        headers: bearer(a.token),
      });
      expect(roles.statusCode).toBe(200);
      const writes = [
        postUser(t.app, a.token, c.id, { userPrincipalName: `new@${c.domain}`, displayName: 'New' }),
        patch(c.id, other, { displayName: 'Changed' }, {}, a.token),
        patch(c.id, other, { passwordProfile: {} }, {}, a.token),
        del(c.id, other, {}, a.token),
        t.app.inject({
          method: 'POST',
          url: `${usersUrl(c.id)}/restore`,
          headers: bearer(a.token),
          payload: { userIds: [other] },
        }),
        t.app.inject({
          method: 'POST',
          url: `/v1/customers/${c.id}/directoryroles/userAdmin/usermembers`,
          headers: bearer(a.token),
          payload: { id: other },
        }),
        t.app.inject({
          method: 'DELETE',
          url: `/v1/customers/${c.id}/directoryroles/globalAdmin/usermembers/${c.adminId}`,
          headers: bearer(a.token),
        }),
      ];
      for (const r of await Promise.all(writes)) {
        expect(r.statusCode, r.body).toBe(403);
        expect(r.json().name).toBe('instanceCapabilityRefused');
        expect(r.json().description).toContain(instance === 'usgov' ? 'US Government' : 'Germany');
      }
      const row = await t.store.owner
        .selectFrom('customer_users')
        .selectAll()
        .where('id', '=', other)
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({ display_name: 'pat', state: 'active', roles: [] });
      expect(await userCount(c.id)).toBe(2);
    }
  });

  it('a partner whose relationship ended gets 403 (20002) on writes and 404 on reads', async () => {
    const c = await directoryCustomer(t.store, admin.partnerId);
    const u = await insertDirectoryUser(t.store, c.id, `quinn@${c.domain}`);
    await t.store.owner
      .updateTable('customer_relationships')
      .set({ state: 'removed', removed_at: new Date() })
      .where('customer_id', '=', c.id)
      .where('partner_id', '=', admin.partnerId)
      .execute();
    const write = await patch(c.id, u, { displayName: 'X' });
    expect(write.statusCode).toBe(403);
    expect(write.json()).toMatchObject({ name: 'noResellerRelationship', code: 20002 });
    const create = await postUser(t.app, admin.token, c.id, {
      userPrincipalName: `r@${c.domain}`,
      displayName: 'R',
    });
    expect(create.json().code).toBe(20002);
    expect((await del(c.id, u)).json().code).toBe(20002);
    expect((await get(c.id, u)).statusCode).toBe(404);
    expect((await list(c.id)).statusCode).toBe(404);
  });

  it('another partner gets 404 and learns nothing; a second related partner manages the same directory', async () => {
    const c = await directoryCustomer(t.store, admin.partnerId);
    const u = await insertDirectoryUser(t.store, c.id, `sam@${c.domain}`);
    const { admin: stranger } = await createPartnerWithAdmin(t.store);
    for (const r of [
      await get(c.id, u, stranger.token),
      await list(c.id, '', stranger.token),
      await patch(c.id, u, { displayName: 'Hacked' }, {}, stranger.token),
      await del(c.id, u, {}, stranger.token),
      await postUser(t.app, stranger.token, c.id, { userPrincipalName: `x@${c.domain}`, displayName: 'X' }),
    ]) {
      expect(r.statusCode).toBe(404);
      expect(r.json().name).toBe('customerNotFound');
      expect(r.body).not.toContain('sam@');
    }
    // Its own customer's path with this user's id: the user is not there.
    const own = await directoryCustomer(t.store, stranger.partnerId);
    const crossed = await get(own.id, u, stranger.token);
    expect(crossed.statusCode).toBe(404);
    expect(crossed.json().name).toBe('customerUserNotFound');
    expect((await patch(own.id, u, { displayName: 'Hacked' }, {}, stranger.token)).statusCode).toBe(404);
    expect((await get(c.id, u)).json().displayName).toBe('sam');

    // Multi-partner: a partner with its own relationship sees and changes the directory too.
    const { partner } = await createPartnerWithAdmin(t.store);
    const friend = await createUser(t.store, partner.id, { roles: ['userManagementAdmin'] });
    await insertRelationship(t.store, partner.id, c.id);
    const changed = await patch(c.id, u, { displayName: 'Sam by friend' }, {}, friend.token);
    expect(changed.statusCode, changed.body).toBe(200);
    expect((await get(c.id, u)).json().displayName).toBe('Sam by friend');
  });
});
