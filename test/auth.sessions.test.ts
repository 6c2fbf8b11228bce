// Console sessions: the cookie's attributes, CSRF protection of writes, and sign-out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from './helpers/app.ts';
import { createTestApp } from './helpers/app.ts';
import { TEST_PASSWORD, bearer, createPartnerWithAdmin } from './helpers/factories.ts';

function sessionCookie(setCookie: string | string[] | undefined): { value: string; attributes: string[] } {
  const header = ([] as string[]).concat(setCookie ?? []).find((c) => c.startsWith('pd_session='));
  if (!header) throw new Error('no pd_session cookie set');
  const [pair, ...attributes] = header.split(';').map((p) => p.trim());
  return { value: pair!.slice('pd_session='.length), attributes };
}

describe('console sessions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  async function consoleSignIn(app = t.app, store = t.store) {
    const { admin, partner } = await createPartnerWithAdmin(store);
    const r = await app.inject({
      method: 'POST',
      url: '/v1/auth/sessions',
      payload: { userName: admin.userName, password: TEST_PASSWORD },
    });
    expect(r.statusCode).toBe(200);
    return { admin, partner, response: r, cookie: sessionCookie(r.headers['set-cookie']) };
  }

  it('sets an HttpOnly, SameSite=Strict session cookie and answers the CSRF token and the profile', async () => {
    const { admin, partner, response, cookie } = await consoleSignIn();
    expect(cookie.value).toMatch(/^pds_/);
    expect(cookie.attributes).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Strict', 'Path=/']));
    expect(cookie.attributes).not.toContain('Secure');
    expect(cookie.attributes).toContain(`Max-Age=${t.config.auth.sessionTtlSeconds}`);
    const body = response.json();
    expect(body).toMatchObject({
      csrfToken: expect.any(String),
      mustChangePassword: false,
      profile: {
        id: admin.id,
        userName: admin.userName,
        credentialKind: 'console',
        partner: { id: partner.id },
      },
    });
    // The session secret only travels in the cookie.
    expect(response.body).not.toContain(cookie.value);

    const me = await t.app.inject({
      method: 'GET',
      url: '/v1/profiles/me',
      cookies: { pd_session: cookie.value },
    });
    expect(me.statusCode).toBe(200);
    expect(me.json().credentialKind).toBe('console');

    const stored = await t.store.owner
      .selectFrom('auth_sessions')
      .selectAll()
      .where('user_id', '=', admin.id)
      .where('kind', '=', 'console')
      .executeTakeFirstOrThrow();
    expect(stored.csrf_hash).not.toBeNull();
    expect(stored.expires_at.getTime() - stored.created_at.getTime()).toBe(
      t.config.auth.sessionTtlSeconds * 1000,
    );
  });

  it('refuses writes without the right X-CSRF-Token and accepts them with it', async () => {
    const { response, cookie } = await consoleSignIn();
    const csrf = response.json().csrfToken as string;
    const patch = (headers: Record<string, string>) =>
      t.app.inject({
        method: 'PATCH',
        url: '/v1/profiles/me',
        cookies: { pd_session: cookie.value },
        headers,
        payload: { language: 'de' },
      });
    const missing = await patch({});
    expect(missing.statusCode).toBe(403);
    expect(missing.json()).toMatchObject({ code: 100106, name: 'csrfTokenInvalid' });
    const wrong = await patch({ 'x-csrf-token': `${csrf}x` });
    expect(wrong.json().name).toBe('csrfTokenInvalid');
    const ok = await patch({ 'x-csrf-token': csrf });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().language).toBe('de');
  });

  it('keeps the kinds apart: a session is no bearer token and an access token is no cookie', async () => {
    const { admin, cookie } = await consoleSignIn();
    const asBearer = await t.app.inject({
      method: 'GET',
      url: '/v1/profiles/me',
      headers: bearer(cookie.value),
    });
    expect(asBearer.statusCode).toBe(401);
    const asCookie = await t.app.inject({
      method: 'GET',
      url: '/v1/profiles/me',
      cookies: { pd_session: admin.token },
    });
    expect(asCookie.statusCode).toBe(401);
  });

  it('signs out: deletes the session and clears the cookie', async () => {
    const { response, cookie } = await consoleSignIn();
    const out = await t.app.inject({
      method: 'DELETE',
      url: '/v1/auth/sessions/current',
      cookies: { pd_session: cookie.value },
      headers: { 'x-csrf-token': response.json().csrfToken },
    });
    expect(out.statusCode).toBe(204);
    const cleared = sessionCookie(out.headers['set-cookie']);
    expect(cleared.value).toBe('');
    expect(cleared.attributes.some((a) => /^Expires=Thu, 01 Jan 1970/.test(a))).toBe(true);
    const after = await t.app.inject({
      method: 'GET',
      url: '/v1/profiles/me',
      cookies: { pd_session: cookie.value },
    });
    expect(after.statusCode).toBe(401);
  });

  it('does not sign in to the console from a form post', async () => {
    const { admin } = await createPartnerWithAdmin(t.store);
    const r = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/sessions',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `userName=${encodeURIComponent(admin.userName)}&password=${encodeURIComponent(TEST_PASSWORD)}`,
    });
    expect(r.statusCode).toBe(415);
    expect(r.headers['set-cookie']).toBeUndefined();
  });

  it('answers a wrong password without setting a cookie', async () => {
    const { admin } = await createPartnerWithAdmin(t.store);
    const r = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/sessions',
      payload: { userName: admin.userName, password: 'Wrong-password-1' },
    });
    expect(r.statusCode).toBe(401);
    expect(r.headers['set-cookie']).toBeUndefined();
  });

  it('marks the cookie Secure when COOKIE_SECURE is on', async () => {
    const secure = await createTestApp({ env: { COOKIE_SECURE: '1' } });
    try {
      const { cookie } = await consoleSignIn(secure.app, secure.store);
      expect(cookie.attributes).toContain('Secure');
    } finally {
      await secure.close();
    }
  });
});
