// Partner users: create, read, list, change roles/name/state, reset password; every rule of PRODUCT.md
// "Partner roles", ETags, paging stability, isolation between partners, and the activity log.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/lib/clock.ts';
import type { CallerContext } from '../src/lib/context.ts';
import { AppError } from '../src/lib/errors.ts';
import { createInstanceService } from '../src/modules/instances/instances.ts';
import { createPartnersService } from '../src/modules/partners/partners.service.ts';
import type { TestApp } from './helpers/app.ts';
import { createTestApp } from './helpers/app.ts';
import type { TestUser } from './helpers/factories.ts';
import { TEST_PASSWORD, bearer, createPartnerWithAdmin, createUser } from './helpers/factories.ts';

describe('partner users', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const req = (
    token: string,
    method: 'GET' | 'POST' | 'PATCH',
    url: string,
    payload?: object,
    headers = {},
  ) =>
    t.app.inject({ method, url, headers: { ...bearer(token), ...headers }, ...(payload ? { payload } : {}) });

  const signIn = (userName: string, password: string) =>
    t.app.inject({ method: 'POST', url: '/v1/auth/token', payload: { userName, password } });

  const records = (partnerId: string, action: string) =>
    t.store.owner
      .selectFrom('activity_records')
      .selectAll()
      .where('partner_id', '=', partnerId)
      .where('action', '=', action)
      .orderBy('occurred_at')
      .execute();

  const row = (id: string) =>
    t.store.owner.selectFrom('partner_users').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  describe('create', () => {
    it('adds a user with a temporary password shown once, who must change it at first sign-in', async () => {
      const { partner, admin } = await createPartnerWithAdmin(t.store);
      const userName = `New.Agent-${Date.now()}@Partner.example`;
      const r = await req(admin.token, 'POST', '/v1/partnerusers', {
        userName,
        displayName: ' New Agent ',
        roles: ['billingAdmin', 'salesAgent'],
      });
      expect(r.statusCode).toBe(201);
      const user = r.json();
      expect(user).toMatchObject({
        userName: userName.toLowerCase(),
        displayName: 'New Agent',
        roles: ['salesAgent', 'billingAdmin'],
        state: 'active',
        mustChangePassword: true,
        temporaryPassword: expect.any(String),
        attributes: { objectType: 'PartnerUser', etag: r.headers.etag },
      });
      // The temporary password is never shown again.
      const get = await req(admin.token, 'GET', `/v1/partnerusers/${user.id}`);
      expect(get.json()).not.toHaveProperty('temporaryPassword');

      const first = await signIn(userName, user.temporaryPassword);
      expect(first.statusCode).toBe(200);
      const blocked = await req(first.json().access_token, 'GET', '/v1/profiles/partner');
      expect(blocked.json().name).toBe('passwordChangeRequired');

      const [created] = await records(partner.id, 'partnerUser.create');
      expect(created).toMatchObject({
        actor_kind: 'partnerUser',
        actor_id: admin.id,
        resource_id: user.id,
        details: {
          after: { displayName: 'New Agent', roles: ['salesAgent', 'billingAdmin'], state: 'active' },
        },
      });
      expect(JSON.stringify(created)).not.toContain(user.temporaryPassword);
      expect(JSON.stringify(created)).not.toContain('$argon2');
    });

    it('checks the user name, the display name and the roles', async () => {
      const { admin } = await createPartnerWithAdmin(t.store);
      const post = (body: object) => req(admin.token, 'POST', '/v1/partnerusers', body);
      const base = { userName: `u-${Date.now()}@partner.example`, displayName: 'U', roles: ['salesAgent'] };

      const notEmail = await post({ ...base, userName: 'not an email' });
      expect(notEmail.statusCode).toBe(400);
      expect(notEmail.json().details).toContainEqual({
        field: 'userName',
        reason: 'must be an email address',
      });
      const noRoles = await post({ ...base, roles: [] });
      expect(noRoles.statusCode).toBe(400);
      expect(noRoles.json().details[0].field).toBe('roles');
      const unknownRole = await post({ ...base, roles: ['superUser'] });
      expect(unknownRole.statusCode).toBe(400);
      const twoAgents = await post({ ...base, roles: ['salesAgent', 'helpdeskAgent'] });
      expect(twoAgents.statusCode).toBe(400);
      expect(twoAgents.json()).toMatchObject({
        name: 'validationFailed',
        details: [
          { field: 'roles', reason: 'at most one agent role may be held, got salesAgent, helpdeskAgent' },
        ],
      });
      const blankName = await post({ ...base, displayName: '   ' });
      expect(blankName.json().details).toContainEqual({
        field: 'displayName',
        reason: 'must be 1–100 characters',
      });
      const extra = await post({ ...base, password: 'x' });
      expect(extra.statusCode).toBe(400);
    });

    it('refuses the NUL character with 400 naming the field, and writes nothing', async () => {
      const { partner, admin } = await createPartnerWithAdmin(t.store);
      const before = await t.store.owner
        .selectFrom('partner_users')
        .select('id')
        .where('partner_id', '=', partner.id)
        .execute();
      const created = await req(admin.token, 'POST', '/v1/partnerusers', {
        userName: `nul-${Date.now()}@partner.example`,
        displayName: 'Nul\u0000Byte',
        roles: ['salesAgent'],
      });
      expect(created.statusCode).toBe(400);
      expect(created.json()).toMatchObject({
        name: 'validationFailed',
        details: [{ field: 'displayName', reason: 'must not contain the NUL character (U+0000)' }],
      });
      const after = await t.store.owner
        .selectFrom('partner_users')
        .select('id')
        .where('partner_id', '=', partner.id)
        .execute();
      expect(after).toHaveLength(before.length);
      expect(await records(partner.id, 'partnerUser.create')).toEqual([]);

      const search = await req(admin.token, 'GET', '/v1/partnerusers?q=%00');
      expect(search.statusCode).toBe(400);
      expect(search.json().details).toEqual([{ field: 'querystring.q', reason: expect.any(String) }]);
      const profile = await req(admin.token, 'PATCH', '/v1/profiles/me', { displayName: 'A\u0000' });
      expect(profile.statusCode).toBe(400);
      const apiToken = await req(admin.token, 'POST', '/v1/profiles/apitokens', {
        name: '\u0000',
        roles: ['globalAdmin'],
      });
      expect(apiToken.statusCode).toBe(400);
      // Sign-in too, in JSON or as a form: a 400, not a 500 and not a counted failure.
      const signInJson = await signIn(`${admin.userName}\u0000`, TEST_PASSWORD);
      expect(signInJson.statusCode).toBe(400);
      const signInForm = await t.app.inject({
        method: 'POST',
        url: '/v1/auth/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: `grant_type=password&username=a%00b&password=x`,
      });
      expect(signInForm.statusCode).toBe(400);
      expect(signInForm.json().details).toEqual([{ field: 'userName', reason: expect.any(String) }]);
    });

    it('keeps user names unique across the installation, ignoring case', async () => {
      const a = await createPartnerWithAdmin(t.store);
      const b = await createPartnerWithAdmin(t.store);
      const r = await req(a.admin.token, 'POST', '/v1/partnerusers', {
        userName: b.admin.userName.toUpperCase(),
        displayName: 'Copy',
        roles: ['salesAgent'],
      });
      expect(r.statusCode).toBe(409);
      expect(r.json()).toMatchObject({ code: 100403, name: 'userNameTaken' });
      const own = await req(a.admin.token, 'POST', '/v1/partnerusers', {
        userName: a.admin.userName,
        displayName: 'Copy',
        roles: ['salesAgent'],
      });
      expect(own.statusCode).toBe(409);
    });

    it('lets only a Global admin grant the Global admin role', async () => {
      const { admin } = await createPartnerWithAdmin(t.store);
      const uma = await createUser(t.store, admin.partnerId, { roles: ['userManagementAdmin'] });
      const body = (roles: string[]) => ({
        userName: `x-${Math.random()}@partner.example`,
        displayName: 'X',
        roles,
      });
      const refused = await req(uma.token, 'POST', '/v1/partnerusers', body(['globalAdmin']));
      expect(refused.statusCode).toBe(403);
      expect(refused.json().name).toBe('forbidden');
      expect((await req(uma.token, 'POST', '/v1/partnerusers', body(['salesAgent']))).statusCode).toBe(201);
      expect((await req(admin.token, 'POST', '/v1/partnerusers', body(['globalAdmin']))).statusCode).toBe(
        201,
      );
    });

    it('is refused to roles without partnerUsers.manage', async () => {
      const { admin } = await createPartnerWithAdmin(t.store);
      for (const roles of [['adminAgent'], ['salesAgent'], ['helpdeskAgent'], ['billingAdmin']] as const) {
        const u = await createUser(t.store, admin.partnerId, { roles: [...roles] });
        const list = await req(u.token, 'GET', '/v1/partnerusers');
        expect(list.statusCode).toBe(403);
        expect(list.json().data[0]).toMatchObject({ operation: 'partnerUsers.manage' });
      }
    });
  });

  describe('read and isolation', () => {
    it("answers 404 for another partner's user, 404 for an unknown id, 400 for a malformed id", async () => {
      const a = await createPartnerWithAdmin(t.store);
      const b = await createPartnerWithAdmin(t.store);
      const get = await req(a.admin.token, 'GET', `/v1/partnerusers/${a.admin.id}`);
      expect(get.statusCode).toBe(200);
      expect(get.headers.etag).toBe(get.json().attributes.etag);

      for (const [method, url, payload] of [
        ['GET', `/v1/partnerusers/${b.admin.id}`, undefined],
        ['PATCH', `/v1/partnerusers/${b.admin.id}`, { displayName: 'Hijacked' }],
        ['POST', `/v1/partnerusers/${b.admin.id}/resetpassword`, undefined],
        ['GET', '/v1/partnerusers/00000000-0000-4000-8000-000000000000', undefined],
      ] as const) {
        const r = await req(a.admin.token, method, url, payload);
        expect(r.statusCode).toBe(404);
        expect(r.json()).toMatchObject({ code: 100402, name: 'partnerUserNotFound' });
      }
      expect((await row(b.admin.id)).display_name).not.toBe('Hijacked');
      const malformed = await req(a.admin.token, 'GET', '/v1/partnerusers/not-a-uuid');
      expect(malformed.statusCode).toBe(400);
      expect(malformed.json()).toMatchObject({ name: 'validationFailed', details: [{ field: 'params.id' }] });
      const list = await req(a.admin.token, 'GET', '/v1/partnerusers');
      expect(list.json().items.map((u: { id: string }) => u.id)).not.toContain(b.admin.id);
    });

    it('takes ids as plain GUIDs only: a "urn:uuid:" id is a 400, not a 500', async () => {
      const { partner, admin } = await createPartnerWithAdmin(t.store);
      const user = await createUser(t.store, partner.id, { roles: ['salesAgent'] });
      const urn = `urn:uuid:${user.id}`;
      for (const [method, url, field] of [
        ['GET', `/v1/partnerusers/${urn}`, 'params.id'],
        ['PATCH', `/v1/partnerusers/${urn}`, 'params.id'],
        ['POST', `/v1/partnerusers/${urn}/resetpassword`, 'params.id'],
        ['GET', `/v1/auditrecords?customerId=${urn}`, 'querystring.customerId'],
      ] as const) {
        const r = await req(admin.token, method, url, method === 'PATCH' ? { displayName: 'X' } : undefined);
        expect(r.statusCode, `${method} ${url} ${r.body}`).toBe(400);
        expect(r.json()).toMatchObject({ name: 'validationFailed', details: [{ field }] });
      }
      const revoke = await t.app.inject({
        method: 'DELETE',
        url: `/v1/apitokens/urn:uuid:${user.id}`,
        headers: bearer(admin.token),
      });
      expect(revoke.statusCode).toBe(400);
      expect((await req(admin.token, 'GET', `/v1/partnerusers/${user.id.toUpperCase()}`)).statusCode).toBe(
        200,
      );
    });
  });

  describe('change', () => {
    it('changes display name and roles, bumps the ETag and records before and after', async () => {
      const { partner, admin } = await createPartnerWithAdmin(t.store);
      const user = await createUser(t.store, partner.id, { roles: ['salesAgent'], displayName: 'Sam' });
      const before = await req(admin.token, 'GET', `/v1/partnerusers/${user.id}`);
      const r = await req(
        admin.token,
        'PATCH',
        `/v1/partnerusers/${user.id}`,
        { displayName: 'Samantha', roles: ['adminAgent', 'billingAdmin'] },
        { 'if-match': before.headers.etag },
      );
      expect(r.statusCode).toBe(200);
      expect(r.json()).toMatchObject({ displayName: 'Samantha', roles: ['adminAgent', 'billingAdmin'] });
      expect(r.headers.etag).toBe(r.json().attributes.etag);
      expect(r.headers.etag).not.toBe(before.headers.etag);
      const [rec] = await records(partner.id, 'partnerUser.update');
      expect(rec).toMatchObject({
        resource_id: user.id,
        actor_id: admin.id,
        details: {
          before: { displayName: 'Sam', roles: ['salesAgent'], state: 'active' },
          after: { displayName: 'Samantha', roles: ['adminAgent', 'billingAdmin'], state: 'active' },
        },
      });
      // The user's access token now acts with the new roles.
      const now = await req(user.token, 'GET', '/v1/profiles/me');
      expect(now.json().roles).toEqual(['adminAgent', 'billingAdmin']);
      const twoAgents = await req(admin.token, 'PATCH', `/v1/partnerusers/${user.id}`, {
        roles: ['adminAgent', 'salesAgent'],
      });
      expect(twoAgents.statusCode).toBe(400);
      const empty = await req(admin.token, 'PATCH', `/v1/partnerusers/${user.id}`, {});
      expect(empty.statusCode).toBe(400);
    });

    it('lets only a Global admin grant or remove the Global admin role, or (de)activate a Global admin', async () => {
      const { partner, admin } = await createPartnerWithAdmin(t.store);
      const uma = await createUser(t.store, partner.id, { roles: ['userManagementAdmin'] });
      const other = await createUser(t.store, partner.id, { roles: ['globalAdmin'] });
      const agent = await createUser(t.store, partner.id, { roles: ['salesAgent'] });
      const patch = (token: string, id: string, body: object) =>
        req(token, 'PATCH', `/v1/partnerusers/${id}`, body);

      for (const [id, body] of [
        [agent.id, { roles: ['salesAgent', 'globalAdmin'] }],
        [other.id, { roles: ['billingAdmin'] }],
        [other.id, { state: 'inactive' }],
      ] as const) {
        const r = await patch(uma.token, id, body);
        expect(r.statusCode).toBe(403);
        expect(r.json().name).toBe('forbidden');
      }
      const reset = await req(uma.token, 'POST', `/v1/partnerusers/${other.id}/resetpassword`);
      expect(reset.statusCode).toBe(403);
      expect((await row(other.id)).roles).toEqual(['globalAdmin']);
      expect((await row(agent.id)).roles).toEqual(['salesAgent']);

      // A User management admin manages everyone else.
      expect(
        (await patch(uma.token, agent.id, { roles: ['helpdeskAgent'], displayName: 'Help' })).statusCode,
      ).toBe(200);
      expect((await patch(uma.token, agent.id, { state: 'inactive' })).statusCode).toBe(200);
      expect((await patch(admin.token, other.id, { roles: ['billingAdmin'] })).statusCode).toBe(200);
    });

    it('refuses to let users deactivate themselves or remove their own roles', async () => {
      const { partner, admin } = await createPartnerWithAdmin(t.store);
      await createUser(t.store, partner.id, { roles: ['globalAdmin'] });
      const uma = await createUser(t.store, partner.id, { roles: ['userManagementAdmin', 'salesAgent'] });
      for (const [token, id, body] of [
        [admin.token, admin.id, { state: 'inactive' }],
        [admin.token, admin.id, { roles: ['billingAdmin'] }],
        [uma.token, uma.id, { roles: ['userManagementAdmin'] }],
      ] as const) {
        const r = await req(token, 'PATCH', `/v1/partnerusers/${id}`, body);
        expect(r.statusCode).toBe(409);
        expect(r.json()).toMatchObject({ code: 100405, name: 'cannotChangeSelf' });
      }
      // Adding a role to oneself takes nothing away.
      const more = await req(admin.token, 'PATCH', `/v1/partnerusers/${admin.id}`, {
        roles: ['globalAdmin', 'billingAdmin'],
      });
      expect(more.statusCode).toBe(200);
      expect(
        (await req(admin.token, 'PATCH', `/v1/partnerusers/${admin.id}`, { displayName: 'Me' })).statusCode,
      ).toBe(200);
    });

    it('keeps at least one active Global admin', async () => {
      const { partner, admin } = await createPartnerWithAdmin(t.store);
      const second = await createUser(t.store, partner.id, { roles: ['globalAdmin'] });
      const partners = createPartnersService({
        db: t.store.app,
        owner: t.store.owner,
        config: t.config,
        clock: systemClock,
        instances: createInstanceService(t.config),
      });
      // The admin is demoted by the second one; a request the first admin had already authorized (its context
      // still says Global admin) must not then take away the last one.
      expect(
        (await req(second.token, 'PATCH', `/v1/partnerusers/${admin.id}`, { roles: ['salesAgent'] }))
          .statusCode,
      ).toBe(200);
      const staleCtx: CallerContext = {
        partnerId: partner.id,
        instance: 'global',
        userId: admin.id,
        userName: admin.userName,
        roles: ['globalAdmin'],
        credential: { kind: 'bearer', id: '00' },
      };
      for (const change of [{ roles: ['billingAdmin'] }, { state: 'inactive' as const }]) {
        const err = await partners.updateUser(staleCtx, second.id, change).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(AppError);
        expect((err as AppError).errorName).toBe('lastGlobalAdmin');
      }
      expect(await row(second.id)).toMatchObject({ roles: ['globalAdmin'], state: 'active' });
    });

    it('leaves one Global admin when two demote each other at the same time', async () => {
      const partners = createPartnersService({
        db: t.store.app,
        owner: t.store.owner,
        config: t.config,
        clock: systemClock,
        instances: createInstanceService(t.config),
      });
      for (let round = 0; round < 5; round++) {
        const { partner, admin } = await createPartnerWithAdmin(t.store);
        const second = await createUser(t.store, partner.id, { roles: ['globalAdmin', 'salesAgent'] });
        const ctxOf = (u: TestUser): CallerContext => ({
          partnerId: partner.id,
          instance: 'global',
          userId: u.id,
          userName: u.userName,
          roles: ['globalAdmin'],
          credential: { kind: 'bearer', id: '00' },
        });
        // Both callers passed authorization as Global admins before either change commits.
        const results = await Promise.allSettled([
          partners.updateUser(ctxOf(admin), second.id, { roles: ['salesAgent'] }),
          partners.updateUser(ctxOf(second), admin.id, { roles: ['billingAdmin'] }),
        ]);
        expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
        const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
        expect((failed.reason as AppError).errorName).toBe('lastGlobalAdmin');
        const admins = await t.store.owner
          .selectFrom('partner_users')
          .select('id')
          .where('partner_id', '=', partner.id)
          .where('state', '=', 'active')
          .where(sql<boolean>`'globalAdmin' = any(roles)`)
          .execute();
        expect(admins).toHaveLength(1);
      }
      // Through the API the loser may also be refused earlier, when its roles are already gone.
      const { partner, admin } = await createPartnerWithAdmin(t.store);
      const second = await createUser(t.store, partner.id, { roles: ['globalAdmin', 'salesAgent'] });
      const [r1, r2] = await Promise.all([
        req(admin.token, 'PATCH', `/v1/partnerusers/${second.id}`, { roles: ['salesAgent'] }),
        req(second.token, 'PATCH', `/v1/partnerusers/${admin.id}`, { roles: ['billingAdmin'] }),
      ]);
      const codes = [r1.statusCode, r2.statusCode].sort();
      expect(codes[0]).toBe(200);
      expect([403, 409]).toContain(codes[1]);
    });

    it('deactivation ends sessions and revokes API tokens; reactivation lets the user sign in again but revives no token', async () => {
      const { partner, admin } = await createPartnerWithAdmin(t.store);
      const user = await createUser(t.store, partner.id, { roles: ['salesAgent'] });
      const apiToken = await req(user.token, 'POST', '/v1/profiles/apitokens', {
        name: 'script',
        roles: ['salesAgent'],
      });
      expect(apiToken.statusCode).toBe(201);
      const secret = apiToken.json().token as string;

      const off = await req(admin.token, 'PATCH', `/v1/partnerusers/${user.id}`, { state: 'inactive' });
      expect(off.statusCode).toBe(200);
      expect(off.json().state).toBe('inactive');
      expect((await req(user.token, 'GET', '/v1/profiles/me')).statusCode).toBe(401);
      expect((await req(secret, 'GET', '/v1/profiles/me')).statusCode).toBe(401);
      expect((await signIn(user.userName, TEST_PASSWORD)).statusCode).toBe(401);
      const sessions = await t.store.owner
        .selectFrom('auth_sessions')
        .select('user_id')
        .where('user_id', '=', user.id)
        .execute();
      expect(sessions).toHaveLength(0);
      const inactiveOnly = await req(admin.token, 'GET', '/v1/partnerusers?state=inactive');
      expect(inactiveOnly.json().items.map((u: { id: string }) => u.id)).toEqual([user.id]);

      const on = await req(admin.token, 'PATCH', `/v1/partnerusers/${user.id}`, { state: 'active' });
      expect(on.statusCode).toBe(200);
      expect((await signIn(user.userName, TEST_PASSWORD)).statusCode).toBe(200);
      // A token of a deactivated user stays revoked: reactivation must not bring old credentials back.
      expect((await req(secret, 'GET', '/v1/profiles/me')).statusCode).toBe(401);
      const token = await t.store.owner
        .selectFrom('api_tokens')
        .select('revoked_at')
        .where('user_id', '=', user.id)
        .executeTakeFirstOrThrow();
      expect(token.revoked_at).not.toBeNull();
      const changes = await records(partner.id, 'partnerUser.update');
      expect(changes.map((r) => [(r.details as { after: { state: string } }).after.state])).toEqual([
        ['inactive'],
        ['active'],
      ]);
    });

    it('resets a password: new temporary password once, sessions end, lockout clears', async () => {
      const { partner, admin } = await createPartnerWithAdmin(t.store);
      const user = await createUser(t.store, partner.id, { roles: ['salesAgent'] });
      await t.store.owner
        .updateTable('partner_users')
        .set({ locked_until: new Date(Date.now() + 3600_000), failed_sign_ins: 2 })
        .where('id', '=', user.id)
        .execute();
      const r = await req(admin.token, 'POST', `/v1/partnerusers/${user.id}/resetpassword`);
      expect(r.statusCode).toBe(200);
      const { temporaryPassword } = r.json();
      expect(r.json()).toMatchObject({ id: user.id, userName: user.userName, mustChangePassword: true });
      expect((await req(user.token, 'GET', '/v1/profiles/me')).statusCode).toBe(401);
      expect((await signIn(user.userName, TEST_PASSWORD)).statusCode).toBe(401);
      const signedIn = await signIn(user.userName, temporaryPassword);
      expect(signedIn.statusCode).toBe(200);
      const me = await req(signedIn.json().access_token, 'GET', '/v1/profiles/me');
      expect(me.json().mustChangePassword).toBe(true);
      const [rec] = await records(partner.id, 'partnerUser.resetPassword');
      expect(rec).toMatchObject({ resource_id: user.id, actor_id: admin.id });
      expect(JSON.stringify(rec)).not.toContain(temporaryPassword);
    });
  });

  describe('ETags', () => {
    it('refuses a stale If-Match with 412 and changes nothing', async () => {
      const { partner, admin } = await createPartnerWithAdmin(t.store);
      const user = await createUser(t.store, partner.id, { roles: ['salesAgent'], displayName: 'Original' });
      const first = await req(admin.token, 'GET', `/v1/partnerusers/${user.id}`);
      const etag = first.headers.etag as string;
      expect(
        (
          await req(
            admin.token,
            'PATCH',
            `/v1/partnerusers/${user.id}`,
            { displayName: 'Second' },
            { 'if-match': etag },
          )
        ).statusCode,
      ).toBe(200);

      const stale = await req(
        admin.token,
        'PATCH',
        `/v1/partnerusers/${user.id}`,
        { displayName: 'Third', roles: ['helpdeskAgent'] },
        { 'if-match': etag },
      );
      expect(stale.statusCode).toBe(412);
      expect(stale.json()).toMatchObject({
        code: 100201,
        name: 'preconditionFailed',
        data: [{ displayName: 'Second' }],
      });
      const now = await req(admin.token, 'GET', `/v1/partnerusers/${user.id}`);
      expect(now.json()).toMatchObject({ displayName: 'Second', roles: ['salesAgent'] });
      expect(stale.json().data[0].attributes.etag).toBe(now.headers.etag);

      for (const ifMatch of [
        '"garbage"',
        first.headers.etag!.toString().replace(/.$/, 'x"'),
        (await req(admin.token, 'GET', `/v1/partnerusers/${admin.id}`)).headers.etag as string,
      ]) {
        const r = await req(
          admin.token,
          'PATCH',
          `/v1/partnerusers/${user.id}`,
          { displayName: 'Fourth' },
          { 'if-match': ifMatch },
        );
        expect(r.statusCode).toBe(412);
      }
      expect((await row(user.id)).display_name).toBe('Second');
      expect(await records(partner.id, 'partnerUser.update')).toHaveLength(1);
    });

    it('lets exactly one of two concurrent updates with the same ETag win', async () => {
      const { partner, admin } = await createPartnerWithAdmin(t.store);
      const user = await createUser(t.store, partner.id, { roles: ['salesAgent'] });
      const etag = (await req(admin.token, 'GET', `/v1/partnerusers/${user.id}`)).headers.etag as string;
      const results = await Promise.all(
        ['One', 'Two', 'Three'].map((displayName) =>
          req(admin.token, 'PATCH', `/v1/partnerusers/${user.id}`, { displayName }, { 'if-match': etag }),
        ),
      );
      const codes = results.map((r) => r.statusCode).sort();
      expect(codes).toEqual([200, 412, 412]);
      const winner = results.find((r) => r.statusCode === 200)!.json().displayName;
      expect((await row(user.id)).display_name).toBe(winner);
      expect((await row(user.id)).version).toBe(2);
    });
  });

  describe('list', () => {
    it('searches by user name or display name and filters by role and state', async () => {
      const { partner, admin } = await createPartnerWithAdmin(t.store);
      const tag = `z${Date.now()}`;
      await createUser(t.store, partner.id, {
        roles: ['salesAgent'],
        userName: `ann.${tag}@partner.example`,
        displayName: 'Ann Sales',
      });
      await createUser(t.store, partner.id, {
        roles: ['billingAdmin'],
        userName: `bob.${tag}@partner.example`,
        displayName: 'Bob 100%',
      });
      const list = (query: string) => req(admin.token, 'GET', `/v1/partnerusers?${query}`);
      const names = async (query: string) =>
        (await list(query))
          .json()
          .items.map((u: { displayName: string }) => u.displayName)
          .sort();

      expect(await names(`q=${tag}`)).toEqual(['Ann Sales', 'Bob 100%']);
      expect(await names('q=ANN%20s')).toEqual(['Ann Sales']);
      expect(await names('q=100%25')).toEqual(['Bob 100%']);
      expect(await names('q=_')).toEqual([]);
      expect(await names('role=billingAdmin')).toEqual(['Bob 100%']);
      expect(await names('role=globalAdmin')).toHaveLength(1);
      const all = await list('');
      expect(all.json()).toMatchObject({ totalCount: 3, attributes: { objectType: 'Collection' } });
      expect((await list('role=king')).statusCode).toBe(400);
      expect((await list('role=king')).json().details).toEqual([
        { field: 'querystring.role', reason: expect.stringMatching(/^must be one of "globalAdmin", /) },
      ]);
    });

    it('pages stably while users are added, and refuses tampered or foreign continuation tokens', async () => {
      const { partner, admin } = await createPartnerWithAdmin(t.store);
      const existing: TestUser[] = [];
      for (let i = 0; i < 23; i++)
        existing.push(await createUser(t.store, partner.id, { roles: ['salesAgent'] }));
      const expected = new Set([admin.id, ...existing.map((u) => u.id)]);

      const seen: string[] = [];
      let url: string | undefined = '/v1/partnerusers?size=5';
      let pages = 0;
      let firstNext: string | undefined;
      while (url) {
        const page = await req(admin.token, 'GET', url);
        expect(page.statusCode).toBe(200);
        const body = page.json();
        seen.push(...body.items.map((u: { id: string }) => u.id));
        firstNext ??= body.links.next?.headers[0].value;
        // Someone adds users between our page reads.
        await Promise.all([
          createUser(t.store, partner.id, { roles: ['helpdeskAgent'] }),
          createUser(t.store, partner.id, { roles: ['helpdeskAgent'] }),
        ]);
        url = body.links.next?.uri;
        if (++pages > 50) throw new Error('paging does not end');
      }
      expect(new Set(seen).size).toBe(seen.length); // no repeats
      for (const id of expected) expect(seen).toContain(id); // no skips

      // The token also works as the MS-ContinuationToken header.
      const viaHeader = await req(admin.token, 'GET', '/v1/partnerusers?size=5', undefined, {
        'ms-continuationtoken': firstNext!,
      });
      expect(viaHeader.json().items[0].id).toBe(seen[5]);

      const tampered = Buffer.from(
        JSON.stringify({
          ...JSON.parse(Buffer.from(firstNext!, 'base64url').toString()),
          k: ["2026-01-01'; drop table x", 'x'],
        }),
      ).toString('base64url');
      const other = await createPartnerWithAdmin(t.store);
      for (const [token, query] of [
        [admin.token, `size=5&continuationToken=${tampered}`],
        [admin.token, 'size=5&continuationToken=bm90LWEtdG9rZW4'],
        [admin.token, `size=5&role=salesAgent&continuationToken=${firstNext}`],
        [other.admin.token, `size=5&continuationToken=${firstNext}`],
      ] as const) {
        const r = await req(token, 'GET', `/v1/partnerusers?${query}`);
        expect(r.statusCode).toBe(400);
        expect(r.json()).toMatchObject({ code: 100005, name: 'invalidContinuationToken' });
      }
      // Well-formed but impossible instants: PostgreSQL cannot compare them, so they must not reach it.
      const real = JSON.parse(Buffer.from(firstNext!, 'base64url').toString()) as { k: string[]; f: string };
      for (const at of ['0000-01-01T00:00:00.000000Z', '2026-02-30T00:00:00.000000Z']) {
        const crafted = Buffer.from(JSON.stringify({ ...real, k: [at, real.k[1]] })).toString('base64url');
        const r = await req(admin.token, 'GET', `/v1/partnerusers?size=5&continuationToken=${crafted}`);
        expect(r.statusCode, at).toBe(400);
        expect(r.json().name).toBe('invalidContinuationToken');
      }
    });

    it('sorts by display name, user name or creation time, either way, across pages', async () => {
      const { partner, admin } = await createPartnerWithAdmin(t.store);
      const tag = `s${Date.now()}`;
      // Repeated display names exercise the id tiebreaker; mixed case and accents the byte-wise collation.
      const names = [
        'beta',
        'Alpha',
        'beta',
        'Émile',
        'alpha',
        'Zed',
        'beta',
        'gamma',
        'Alpha',
        'delta',
        'Beta',
      ];
      for (const [i, displayName] of names.entries())
        await createUser(t.store, partner.id, {
          roles: ['salesAgent'],
          displayName,
          userName: `${String.fromCharCode(122 - i)}${i}.${tag}@partner.example`,
        });
      const all = (await t.store.owner
        .selectFrom('partner_users')
        .select(['id', 'display_name', 'user_name', 'created_at'])
        .where('partner_id', '=', partner.id)
        .execute()) as { id: string; display_name: string; user_name: string; created_at: Date }[];
      expect(all).toHaveLength(names.length + 1);

      const bytes = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));
      const keyOf = {
        displayName: (u: (typeof all)[number]) => u.display_name,
        userName: (u: (typeof all)[number]) => u.user_name,
      };
      const read = async (query: string) => {
        const seen: string[] = [];
        let url: string | undefined = `/v1/partnerusers?size=3&${query}`;
        let pages = 0;
        while (url) {
          const page = await req(admin.token, 'GET', url);
          expect(page.statusCode, query).toBe(200);
          seen.push(...page.json().items.map((u: { id: string }) => u.id));
          url = page.json().links.next?.uri;
          if (++pages > 20) throw new Error('paging does not end');
        }
        expect(pages).toBeGreaterThan(1);
        return seen;
      };
      for (const order of ['asc', 'desc'] as const) {
        for (const sort of ['displayName', 'userName'] as const) {
          const expected = [...all]
            .sort((a, b) => bytes(keyOf[sort](a), keyOf[sort](b)) || bytes(a.id, b.id))
            .map((u) => u.id);
          if (order === 'desc') expected.reverse();
          expect(await read(`sort=${sort}&order=${order}`), `${sort} ${order}`).toEqual(expected);
        }
        // Creation time (microseconds, ids break ties): the database's own order is the reference.
        const byCreated = await t.store.owner
          .selectFrom('partner_users')
          .select('id')
          .where('partner_id', '=', partner.id)
          .orderBy('created_at', order)
          .orderBy('id', order)
          .execute();
        expect(await read(`sort=createdAt&order=${order}`)).toEqual(byCreated.map((u) => u.id));
      }
      // The default is createdAt ascending.
      expect(await read('')).toEqual(await read('sort=createdAt&order=asc'));

      // A token made for one sort is refused by another sort or order.
      const first = await req(admin.token, 'GET', '/v1/partnerusers?size=3&sort=displayName');
      const token = first.json().links.next.headers[0].value as string;
      for (const query of ['sort=userName', 'sort=createdAt', '', 'sort=displayName&order=desc']) {
        const r = await req(
          admin.token,
          'GET',
          `/v1/partnerusers?size=3&${query}&continuationToken=${token}`,
        );
        expect(r.statusCode, query).toBe(400);
        expect(r.json()).toMatchObject({ code: 100005, name: 'invalidContinuationToken' });
      }
      const again = await req(
        admin.token,
        'GET',
        `/v1/partnerusers?size=3&sort=displayName&continuationToken=${token}`,
      );
      expect(again.statusCode).toBe(200);

      // Unknown fields or orders are refused by the schema.
      for (const [query, field] of [
        ['sort=roles', 'querystring.sort'],
        ['order=up', 'querystring.order'],
      ] as const) {
        const r = await req(admin.token, 'GET', `/v1/partnerusers?${query}`);
        expect(r.statusCode).toBe(400);
        expect(r.json()).toMatchObject({ name: 'validationFailed', details: [{ field }] });
      }
    });
  });
});
