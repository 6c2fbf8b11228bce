// Directory roles of a customer's users: the four roles, their members (paged, active users only), adding and
// removing a member (as Partner Center names roles too), and the customer's last active Global admin, which no
// removal — concurrent ones included — can take away.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activityOf } from './helpers/activity.ts';
import type { TestApp } from './helpers/app.ts';
import { createTestApp } from './helpers/app.ts';
import type { TestUser } from './helpers/factories.ts';
import { TEST_PASSWORD, bearer, createPartnerWithAdmin } from './helpers/factories.ts';
import type { DirectoryCustomer } from './helpers/users.ts';
import { directoryCustomer, insertDirectoryUser, usersUrl } from './helpers/users.ts';

let t: TestApp;
let admin: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  ({ admin } = await createPartnerWithAdmin(t.store));
});
afterAll(() => t.close());

const rolesUrl = (customerId: string, roleId = '', userId = '') =>
  `/v1/customers/${customerId}/directoryroles${roleId ? `/${roleId}/usermembers` : ''}${userId ? `/${userId}` : ''}`;
const call = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object, token = admin.token) =>
  t.app.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) });
const add = (c: { id: string }, role: string, payload: object) => call('POST', rolesUrl(c.id, role), payload);
const remove = (c: { id: string }, role: string, userId: string) =>
  call('DELETE', rolesUrl(c.id, role, userId));
const user = async (c: { id: string }, id: string) => (await call('GET', usersUrl(c.id, id))).json();

async function actions(userId: string): Promise<{ action: string; details: Record<string, unknown> }[]> {
  return (await activityOf(t.store, userId)).map((r) => ({ action: r.action, details: r.details }));
}

describe('directory roles', () => {
  let c: DirectoryCustomer;
  beforeAll(async () => {
    c = await directoryCustomer(t.store, admin.partnerId);
  });

  it('lists the four roles', async () => {
    const r = await call('GET', rolesUrl(c.id));
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ totalCount: 4, attributes: { objectType: 'Collection' } });
    expect(r.json().items).toEqual([
      {
        id: 'globalAdmin',
        name: 'Global admin',
        description: expect.any(String),
        attributes: { objectType: 'DirectoryRole' },
      },
      {
        id: 'helpdeskAdmin',
        name: 'Helpdesk admin',
        description: expect.any(String),
        attributes: { objectType: 'DirectoryRole' },
      },
      {
        id: 'userAdmin',
        name: 'User admin',
        description: expect.any(String),
        attributes: { objectType: 'DirectoryRole' },
      },
      {
        id: 'billingAdmin',
        name: 'Billing admin',
        description: expect.any(String),
        attributes: { objectType: 'DirectoryRole' },
      },
    ]);
    const stranger = (await createPartnerWithAdmin(t.store)).admin;
    const hidden = await call('GET', rolesUrl(c.id), undefined, stranger.token);
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json().name).toBe('customerNotFound');
  });

  it('adds a member once, which the user’s roles and its sign-in show; removes it again', async () => {
    const id = await insertDirectoryUser(t.store, c.id, `helen@${c.domain}`, { displayName: 'Helen' });
    // Partner Center's body: the user's names come along and are not needed.
    const r = await add(c, 'helpdeskAdmin', {
      Id: id,
      DisplayName: 'Helen',
      UserPrincipalName: `helen@${c.domain}`,
    });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toEqual({
      id,
      displayName: 'Helen',
      userPrincipalName: `helen@${c.domain}`,
      roleId: 'helpdeskAdmin',
      attributes: { objectType: 'UserMember' },
    });
    expect((await user(c, id)).directoryRoles).toEqual(['helpdeskAdmin']);
    // Again: the same answer, nothing changes twice.
    const again = await add(c, 'helpdeskAdmin', { id });
    expect(again.statusCode).toBe(201);
    expect((await user(c, id)).directoryRoles).toEqual(['helpdeskAdmin']);
    const session = await t.app.inject({
      method: 'POST',
      url: '/v1/customer/sessions',
      payload: { userName: `helen@${c.domain}`, password: TEST_PASSWORD },
    });
    expect(session.json().user.roles).toEqual(['helpdeskAdmin']);

    const members = await call('GET', rolesUrl(c.id, 'helpdeskAdmin'));
    expect(members.json()).toMatchObject({ totalCount: 1, items: [{ id, roleId: 'helpdeskAdmin' }] });

    const removed = await remove(c, 'helpdeskAdmin', id);
    expect(removed.statusCode, removed.body).toBe(204);
    expect((await user(c, id)).directoryRoles).toEqual([]);
    const notMember = await remove(c, 'helpdeskAdmin', id);
    expect(notMember.statusCode).toBe(404);
    expect(notMember.json().name).toBe('customerUserNotFound');
    expect(notMember.json().description).toContain('Helpdesk admin');

    const log = await actions(id);
    expect(log.map((a) => a.action)).toEqual(['customerUser.addRole', 'customerUser.removeRole']);
    expect(log[0]!.details).toMatchObject({
      userPrincipalName: `helen@${c.domain}`,
      role: 'helpdeskAdmin',
      before: { directoryRoles: [] },
      after: { directoryRoles: ['helpdeskAdmin'] },
    });
  });

  it('takes Partner Center’s role template ids and refuses unknown roles and users', async () => {
    const id = await insertDirectoryUser(t.store, c.id, `ian@${c.domain}`);
    // User admin's template id, in capitals.
    const r = await add(c, 'FE930BE7-5E62-47DB-91AF-98C3A49A38B1', { id });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().roleId).toBe('userAdmin');
    const viaName = await call('GET', rolesUrl(c.id, 'USERADMIN'));
    expect(viaName.json().items.map((m: { id: string }) => m.id)).toEqual([id]);
    for (const res of [
      await call('GET', rolesUrl(c.id, 'superAdmin')),
      await add(c, 'superAdmin', { id }),
      await remove(c, 'superAdmin', id),
    ]) {
      expect(res.statusCode).toBe(404);
      expect(res.json().name).toBe('directoryRoleNotFound');
    }
    const unknown = await add(c, 'billingAdmin', { id: '00000000-0000-4000-8000-000000000000' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().name).toBe('customerUserNotFound');
    // A user of another customer is not in this directory.
    const other = await directoryCustomer(t.store, admin.partnerId);
    const crossed = await add(c, 'billingAdmin', { id: other.adminId });
    expect(crossed.statusCode).toBe(404);
    expect((await user(other, other.adminId)).directoryRoles).toEqual(['globalAdmin']);
  });

  it('lists only active members, by display name, paged', async () => {
    const d = await directoryCustomer(t.store, admin.partnerId);
    const ids = [];
    for (const name of ['Cleo', 'alma', 'Bert'])
      ids.push(
        await insertDirectoryUser(t.store, d.id, `${name.toLowerCase()}@${d.domain}`, {
          displayName: name,
          roles: ['billingAdmin'],
        }),
      );
    const gone = await insertDirectoryUser(t.store, d.id, `gone@${d.domain}`, {
      displayName: 'Aaron',
      roles: ['billingAdmin'],
    });
    expect((await call('DELETE', usersUrl(d.id, gone))).statusCode).toBe(204);
    const seen: string[] = [];
    let next: string | undefined = `${rolesUrl(d.id, 'billingAdmin')}?size=2`;
    while (next) {
      const p: Awaited<ReturnType<typeof call>> = await call('GET', next);
      expect(p.statusCode, p.body).toBe(200);
      expect(p.json().totalCount).toBe(3);
      seen.push(...p.json().items.map((m: { displayName: string }) => m.displayName));
      next = p.json().links.next?.uri;
    }
    expect(seen).toEqual(['alma', 'Bert', 'Cleo']);
    // A deleted user cannot be given a role.
    const refused = await add(d, 'userAdmin', { id: gone });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().name).toBe('userDeleted');
  });
});

describe('the last Global admin', () => {
  it('cannot lose the role; a second one lets the first go; a deleted admin does not count', async () => {
    const c = await directoryCustomer(t.store, admin.partnerId);
    const last = await remove(c, 'globalAdmin', c.adminId);
    expect(last.statusCode).toBe(409);
    expect(last.json().name).toBe('customerLastGlobalAdmin');

    const second = await insertDirectoryUser(t.store, c.id, `second@${c.domain}`);
    expect((await add(c, 'globalAdmin', { id: second })).statusCode).toBe(201);
    expect((await remove(c, 'globalAdmin', c.adminId)).statusCode).toBe(204);
    expect((await user(c, c.adminId)).directoryRoles).toEqual([]);
    expect((await remove(c, 'globalAdmin', second)).json().name).toBe('customerLastGlobalAdmin');

    // Two admins, one deleted: the other is the last active one.
    expect((await add(c, 'globalAdmin', { id: c.adminId })).statusCode).toBe(201);
    expect((await call('DELETE', usersUrl(c.id, second))).statusCode).toBe(204);
    const alone = await remove(c, 'globalAdmin', c.adminId);
    expect(alone.statusCode).toBe(409);
    expect(alone.json().name).toBe('customerLastGlobalAdmin');
    expect((await user(c, c.adminId)).directoryRoles).toEqual(['globalAdmin']);
  });

  it('lets exactly one of two concurrent removals of the last two Global admins through', async () => {
    const c = await directoryCustomer(t.store, admin.partnerId);
    const second = await insertDirectoryUser(t.store, c.id, `twin@${c.domain}`, { roles: ['globalAdmin'] });
    const results = await Promise.all([
      remove(c, 'globalAdmin', c.adminId),
      remove(c, 'globalAdmin', second),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([204, 409]);
    const admins = await call('GET', rolesUrl(c.id, 'globalAdmin'));
    expect(admins.json().totalCount).toBe(1);
  });

  it('a removal racing a deletion leaves one active Global admin', async () => {
    const c = await directoryCustomer(t.store, admin.partnerId);
    const second = await insertDirectoryUser(t.store, c.id, `racer@${c.domain}`, { roles: ['globalAdmin'] });
    const results = await Promise.all([
      remove(c, 'globalAdmin', c.adminId),
      call('DELETE', usersUrl(c.id, second)),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([204, 409]);
    expect((await call('GET', rolesUrl(c.id, 'globalAdmin'))).json().totalCount).toBe(1);
  });
});
