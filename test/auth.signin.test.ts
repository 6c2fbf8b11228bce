// Sign-in with access tokens: success, the one answer for every kind of failure, lockout, the forced
// password change of a temporary password, password change rules, and sign-out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/lib/clock.ts';
import { createInstanceService } from '../src/modules/instances/instances.ts';
import { createPartnersService } from '../src/modules/partners/partners.service.ts';
import type { TestApp } from './helpers/app.ts';
import { createTestApp, testClock } from './helpers/app.ts';
import { TEST_PASSWORD, bearer, createPartnerWithAdmin, createUser } from './helpers/factories.ts';

const MAX_FAILURES = 3;
const LOCKOUT_SECONDS = 600;

describe('sign-in', () => {
  // Starts at the real time: sessions are checked against the database clock.
  const clock = testClock(new Date());
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      clock,
      env: { SIGNIN_MAX_FAILURES: String(MAX_FAILURES), SIGNIN_LOCKOUT_SECONDS: String(LOCKOUT_SECONDS) },
    });
  });
  afterAll(() => t.close());

  const signIn = (userName: string, password: string) =>
    t.app.inject({ method: 'POST', url: '/v1/auth/token', payload: { userName, password } });

  const signInRecords = (userId: string) =>
    t.store.owner
      .selectFrom('activity_records')
      .selectAll()
      .where('resource_id', '=', userId)
      .where('action', '=', 'partnerUser.signIn')
      .orderBy('occurred_at')
      .execute();

  it('answers a bearer access token that opens the API, and records the sign-in', async () => {
    const { partner, admin } = await createPartnerWithAdmin(t.store);
    const r = await signIn(admin.userName, TEST_PASSWORD);
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body).toEqual({
      access_token: expect.stringMatching(/^pds_/),
      token_type: 'Bearer',
      expires_in: 3600,
    });

    const me = await t.app.inject({
      method: 'GET',
      url: '/v1/profiles/me',
      headers: bearer(body.access_token),
    });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({
      id: admin.id,
      userName: admin.userName,
      roles: ['globalAdmin'],
      mustChangePassword: false,
      credentialKind: 'bearer',
      partner: { id: partner.id, instance: 'global', kind: 'direct', country: 'US' },
      instance: { id: 'global', policy: { transfers: true } },
    });
    expect(me.headers.etag).toBe(me.json().attributes.etag);

    // Only the hash of the token is stored.
    const sessions = await t.store.owner
      .selectFrom('auth_sessions')
      .selectAll()
      .where('user_id', '=', admin.id)
      .execute();
    expect(JSON.stringify(sessions)).not.toContain(body.access_token);

    const records = await signInRecords(admin.id);
    expect(records.at(-1)).toMatchObject({
      status: 'succeeded',
      actor_kind: 'partnerUser',
      partner_id: partner.id,
    });
    const user = await t.store.owner
      .selectFrom('partner_users')
      .selectAll()
      .where('id', '=', admin.id)
      .executeTakeFirstOrThrow();
    expect(user.last_sign_in_at?.getTime()).toBe(clock.now().getTime());
  });

  it('ties every sign-in record to its request: X-Request-Id and MS-CorrelationId', async () => {
    const { admin } = await createPartnerWithAdmin(t.store);
    const attempt = (url: string, password: string, correlationId: string) =>
      t.app.inject({
        method: 'POST',
        url,
        headers: { 'ms-correlationid': correlationId },
        payload: { userName: admin.userName, password },
      });
    const ok = await attempt('/v1/auth/token', TEST_PASSWORD, 'corr-token-ok');
    const wrong = await attempt('/v1/auth/token', 'Not-the-password-1', 'corr-token-wrong');
    const console = await attempt('/v1/auth/sessions', TEST_PASSWORD, 'corr-console-ok');
    expect([ok.statusCode, wrong.statusCode, console.statusCode]).toEqual([200, 401, 200]);

    const records = await signInRecords(admin.id);
    expect(records.map((r) => [r.status, r.request_id, r.correlation_id])).toEqual([
      ['succeeded', ok.headers['x-request-id'], 'corr-token-ok'],
      ['failed', wrong.headers['x-request-id'], 'corr-token-wrong'],
      ['succeeded', console.headers['x-request-id'], 'corr-console-ok'],
    ]);
    // The ids are what the audit API shows, so a reported failure can be found in the log.
    const audit = await t.app.inject({
      method: 'GET',
      url: '/v1/auditrecords?action=partnerUser.signIn&status=failed',
      headers: bearer(admin.token),
    });
    expect(audit.json().items[0]).toMatchObject({
      requestId: wrong.headers['x-request-id'],
      correlationId: 'corr-token-wrong',
    });
  });

  it('matches the user name case-insensitively and accepts the OAuth2 password grant as a form', async () => {
    const { admin } = await createPartnerWithAdmin(t.store);
    expect((await signIn(admin.userName.toUpperCase(), TEST_PASSWORD)).statusCode).toBe(200);

    const form = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        grant_type: 'password',
        username: admin.userName,
        password: TEST_PASSWORD,
      }).toString(),
    });
    expect(form.statusCode).toBe(200);
    expect(form.json().token_type).toBe('Bearer');

    const otherGrant = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'grant_type=client_credentials&client_id=x',
    });
    expect(otherGrant.statusCode).toBe(400);
    expect(otherGrant.json()).toMatchObject({ name: 'validationFailed', details: [{ field: 'grant_type' }] });
  });

  it('gives one answer for a wrong password, an unknown user and a deactivated user', async () => {
    const { admin } = await createPartnerWithAdmin(t.store);
    const inactive = await createUser(t.store, admin.partnerId, { roles: ['salesAgent'] });
    await t.store.owner
      .updateTable('partner_users')
      .set({ state: 'inactive' })
      .where('id', '=', inactive.id)
      .execute();

    const wrong = await signIn(admin.userName, 'Not-the-password-1');
    const unknown = await signIn('nobody-here@partner.example', TEST_PASSWORD);
    const deactivated = await signIn(inactive.userName, TEST_PASSWORD);
    for (const r of [wrong, unknown, deactivated]) {
      expect(r.statusCode).toBe(401);
      expect(r.json()).toMatchObject({
        code: 100102,
        name: 'invalidCredentials',
        description: 'The user name or password is incorrect.',
        data: [],
      });
    }

    // Failures of existing users are in their partner's activity log; they never store the password tried.
    const [failed] = await signInRecords(admin.id);
    expect(failed).toMatchObject({
      status: 'failed',
      details: { reason: 'wrongPassword', failedSignIns: 1 },
    });
    expect(JSON.stringify(failed)).not.toContain('Not-the-password-1');
    expect((await signInRecords(inactive.id))[0]).toMatchObject({
      status: 'failed',
      details: { reason: 'inactive' },
    });
  });

  it('refuses empty or missing fields as a validation error', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/token',
      payload: { userName: 'a@b.example' },
    });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({
      name: 'validationFailed',
      details: [{ field: 'password', reason: 'is required' }],
    });
  });

  it(`locks the account after ${MAX_FAILURES} failures, refuses even the right password, and unlocks later`, async () => {
    const { admin } = await createPartnerWithAdmin(t.store);
    for (let i = 0; i < MAX_FAILURES; i++) {
      const r = await signIn(admin.userName, `Wrong-password-${i}`);
      expect(r.statusCode).toBe(401);
    }
    const locked = await signIn(admin.userName, TEST_PASSWORD);
    expect(locked.statusCode).toBe(403);
    expect(locked.json()).toMatchObject({
      code: 100103,
      name: 'accountLocked',
      data: [{ retryAfterSeconds: LOCKOUT_SECONDS }],
    });
    expect(locked.headers['retry-after']).toBe(String(LOCKOUT_SECONDS));

    clock.advance((LOCKOUT_SECONDS - 10) * 1000);
    const stillLocked = await signIn(admin.userName, TEST_PASSWORD);
    expect(stillLocked.statusCode).toBe(403);
    expect(stillLocked.headers['retry-after']).toBe('10');

    clock.advance(11_000);
    expect((await signIn(admin.userName, TEST_PASSWORD)).statusCode).toBe(200);

    const records = await signInRecords(admin.id);
    expect(records.map((r) => [r.status, (r.details as { reason?: string }).reason])).toEqual([
      ...Array.from({ length: MAX_FAILURES }, () => ['failed', 'wrongPassword']),
      ['failed', 'locked'],
      ['failed', 'locked'],
      ['succeeded', undefined],
    ]);
    expect(records[MAX_FAILURES - 1]!.details).toHaveProperty('lockedUntil');
  });

  it('counts only consecutive failures: a success starts the count again', async () => {
    const { admin } = await createPartnerWithAdmin(t.store);
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < MAX_FAILURES - 1; i++)
        expect((await signIn(admin.userName, 'Wrong-password-x')).statusCode).toBe(401);
      expect((await signIn(admin.userName, TEST_PASSWORD)).statusCode).toBe(200);
    }
  });

  it('makes a new partner admin change the temporary password before anything else', async () => {
    const partners = createPartnersService({
      db: t.store.app,
      owner: t.store.owner,
      config: t.config,
      clock: systemClock,
      instances: createInstanceService(t.config),
    });
    const created = await partners.createPartner({
      name: 'Fresh Partner',
      country: 'gb',
      instance: 'global',
      kind: 'indirectReseller',
      adminEmail: `Admin-${Date.now()}@Fresh.example`,
    });
    expect(created.partner).toMatchObject({
      country: 'GB',
      kind: 'indirectReseller',
      instance: { id: 'global' },
    });
    expect(created.admin.userName).toBe(created.admin.userName.toLowerCase());
    const temporary = created.temporaryPassword!;
    expect(temporary).toHaveLength(20);

    const first = await signIn(created.admin.userName, temporary);
    expect(first.statusCode).toBe(200);
    const token = first.json().access_token as string;
    const second = (await signIn(created.admin.userName, temporary)).json().access_token as string;

    const blocked = await t.app.inject({ method: 'GET', url: '/v1/partnerusers', headers: bearer(token) });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json()).toMatchObject({ code: 100104, name: 'passwordChangeRequired' });
    const patch = await t.app.inject({
      method: 'PATCH',
      url: '/v1/profiles/me',
      headers: bearer(token),
      payload: { language: 'de' },
    });
    expect(patch.json().name).toBe('passwordChangeRequired');
    const me = await t.app.inject({ method: 'GET', url: '/v1/profiles/me', headers: bearer(token) });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ mustChangePassword: true, partner: { name: 'Fresh Partner' } });

    const change = (currentPassword: string, newPassword: string, auth = token) =>
      t.app.inject({
        method: 'POST',
        url: '/v1/profiles/me/password',
        headers: bearer(auth),
        payload: { currentPassword, newPassword },
      });
    const wrongCurrent = await change('Not-my-password-1', 'A-much-better-passw0rd');
    expect(wrongCurrent.statusCode).toBe(400);
    expect(wrongCurrent.json()).toMatchObject({
      name: 'currentPasswordIncorrect',
      details: [{ field: 'currentPassword' }],
    });
    const weak = await change(temporary, 'short');
    expect(weak.statusCode).toBe(400);
    expect(weak.json()).toMatchObject({ name: 'passwordTooWeak' });
    expect(weak.json().details.map((d: { reason: string }) => d.reason)).toContain(
      'must be at least 12 characters',
    );
    const same = await change(temporary, temporary);
    expect(same.json()).toMatchObject({
      name: 'passwordTooWeak',
      details: [{ field: 'newPassword', reason: 'must differ from the current password' }],
    });

    expect((await change(temporary, 'A-much-better-passw0rd')).statusCode).toBe(204);
    const allowed = await t.app.inject({ method: 'GET', url: '/v1/partnerusers', headers: bearer(token) });
    expect(allowed.statusCode).toBe(200);
    expect(allowed.json().items).toHaveLength(1);
    // The other session ended with the change; the one that made it goes on.
    expect(
      (await t.app.inject({ method: 'GET', url: '/v1/profiles/me', headers: bearer(second) })).statusCode,
    ).toBe(401);
    expect((await signIn(created.admin.userName, temporary)).statusCode).toBe(401);
    const again = await signIn(created.admin.userName, 'A-much-better-passw0rd');
    expect(again.statusCode).toBe(200);
    const meAfter = await t.app.inject({
      method: 'GET',
      url: '/v1/profiles/me',
      headers: bearer(again.json().access_token),
    });
    expect(meAfter.json().mustChangePassword).toBe(false);

    const changes = await t.store.owner
      .selectFrom('activity_records')
      .selectAll()
      .where('partner_id', '=', created.partner.id)
      .orderBy('occurred_at')
      .execute();
    expect(changes.map((r) => r.action)).toEqual(
      expect.arrayContaining(['partner.create', 'partnerUser.create', 'partnerUser.changePassword']),
    );
    expect(changes.find((r) => r.action === 'partner.create')).toMatchObject({ actor_kind: 'operator' });
    expect(JSON.stringify(changes)).not.toContain(temporary);
    expect(JSON.stringify(changes)).not.toContain('A-much-better-passw0rd');
  });

  it('refuses a password that contains the user name', async () => {
    const { admin } = await createPartnerWithAdmin(t.store);
    const r = await t.app.inject({
      method: 'POST',
      url: '/v1/profiles/me/password',
      headers: bearer(admin.token),
      payload: { currentPassword: TEST_PASSWORD, newPassword: `X-${admin.userName.split('@')[0]}-2026!` },
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().details).toContainEqual({
      field: 'newPassword',
      reason: 'must not contain the user name',
    });
  });

  it('signs out: the access token stops working', async () => {
    const { admin } = await createPartnerWithAdmin(t.store);
    const token = (await signIn(admin.userName, TEST_PASSWORD)).json().access_token as string;
    const out = await t.app.inject({
      method: 'DELETE',
      url: '/v1/auth/sessions/current',
      headers: bearer(token),
    });
    expect(out.statusCode).toBe(204);
    const after = await t.app.inject({ method: 'GET', url: '/v1/profiles/me', headers: bearer(token) });
    expect(after.statusCode).toBe(401);
    // Other sessions of the same user are not affected.
    expect(
      (await t.app.inject({ method: 'GET', url: '/v1/profiles/me', headers: bearer(admin.token) }))
        .statusCode,
    ).toBe(200);
  });

  it('updates the display name and language of the profile, with If-Match', async () => {
    const { admin } = await createPartnerWithAdmin(t.store);
    const me = await t.app.inject({ method: 'GET', url: '/v1/profiles/me', headers: bearer(admin.token) });
    const etag = me.headers.etag as string;
    const r = await t.app.inject({
      method: 'PATCH',
      url: '/v1/profiles/me',
      headers: { ...bearer(admin.token), 'if-match': etag },
      payload: { displayName: '  Ada Admin ', language: 'ru' },
    });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ displayName: 'Ada Admin', language: 'ru' });
    expect(r.headers.etag).not.toBe(etag);
    const stale = await t.app.inject({
      method: 'PATCH',
      url: '/v1/profiles/me',
      headers: { ...bearer(admin.token), 'if-match': etag },
      payload: { language: 'de' },
    });
    expect(stale.statusCode).toBe(412);
    const bad = await t.app.inject({
      method: 'PATCH',
      url: '/v1/profiles/me',
      headers: bearer(admin.token),
      payload: { language: 'fr' },
    });
    expect(bad.statusCode).toBe(400);
    const record = await t.store.owner
      .selectFrom('activity_records')
      .selectAll()
      .where('resource_id', '=', admin.id)
      .where('action', '=', 'partnerUser.updateProfile')
      .executeTakeFirstOrThrow();
    expect(record.details).toMatchObject({
      before: { language: null },
      after: { displayName: 'Ada Admin', language: 'ru' },
    });
  });

  it('shows the partner organisation with its instance policy', async () => {
    const { partner, admin } = await createPartnerWithAdmin(t.store, { instance: 'germany', country: 'DE' });
    const r = await t.app.inject({
      method: 'GET',
      url: '/v1/profiles/partner',
      headers: bearer(admin.token),
    });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({
      id: partner.id,
      country: 'DE',
      instance: {
        id: 'germany',
        domainSuffix: 'onpartnerdesk.de',
        policy: { transfers: false, 'customers.create': false },
      },
      attributes: { objectType: 'Partner' },
    });
  });
});
