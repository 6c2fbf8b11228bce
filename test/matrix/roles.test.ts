// Role matrix: every registered route × every role → allowed, or 403 `forbidden`. Fails when a registered
// route is missing from test/matrix/routes.ts (or the table names a route that no longer exists).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../../src/modules/partners/roles.ts';
import type { TestApp } from '../helpers/app.ts';
import { createTestApp } from '../helpers/app.ts';
import { bearer, createPartner, createUser } from '../helpers/factories.ts';
import type { Fixture } from './routes.ts';
import { ROUTES, fillPath, makeFixture } from './routes.ts';

let t: TestApp;
let fx: Fixture;
let partnerId: string;

beforeAll(async () => {
  t = await createTestApp();
  partnerId = (await createPartner(t.store)).id;
  await createUser(t.store, partnerId, { roles: ['globalAdmin'] }); // keeps the partner's last Global admin
  fx = await makeFixture(t.store, partnerId);
});
afterAll(() => t.close());

describe('role matrix', () => {
  it('covers every registered route', () => {
    const registered = t.app.routeCatalog.map((r) => `${r.method} ${r.url}`).sort();
    expect(registered).toEqual(Object.keys(ROUTES).sort());
  });

  for (const [key, spec] of Object.entries(ROUTES)) {
    const [method, url] = key.split(' ') as [string, string];
    if (spec.roles === 'public') {
      it(`${key} needs no sign-in`, async () => {
        const res = await t.app.inject({ method: method as 'GET', url, payload: spec.body as object });
        expect(res.statusCode, res.body).toBeLessThan(500);
        // Sign-in with wrong credentials is a 401 of its own kind; what must not happen is asking to sign in.
        if (res.statusCode >= 400) expect(['unauthenticated', 'forbidden']).not.toContain(res.json().name);
      });
      continue;
    }
    if (spec.roles === 'customer') {
      // Customer-facing routes take only a customer session. A partner credential is no credential there at
      // all, whatever its roles: a 401 like an anonymous call, not a 403 (which would say "signed in, not
      // allowed"). A customer's session is let through.
      it(`${key} refuses anonymous callers and every partner role with 401`, async () => {
        const params = spec.params ? await spec.params(fx, fx.userId) : {};
        const anonymous = await t.app.inject({
          method: method as 'GET',
          url: fillPath(url, params),
          query: spec.query,
          headers: spec.headers,
          payload: spec.body as object,
        });
        expect(anonymous.statusCode).toBe(401);
        expect(anonymous.json().name).toBe('unauthenticated');
        for (const role of ROLES) {
          const caller = await createUser(t.store, partnerId, { roles: [role] });
          const res = await t.app.inject({
            method: method as 'GET',
            url: fillPath(url, params),
            query: spec.query,
            headers: { ...spec.headers, ...bearer(caller.token) },
            payload: spec.body as object,
          });
          expect(res.statusCode, `${role}: ${res.body}`).toBe(401);
          expect(res.json().name).toBe('unauthenticated');
        }
      });
      it(`${key} lets a customer session through`, async () => {
        const params = spec.params ? await spec.params(fx, fx.userId) : {};
        const res = await t.app.inject({
          method: method as 'GET',
          url: fillPath(url, params),
          query: spec.query,
          headers: { ...spec.headers, ...bearer(await fx.customerToken()) },
          payload: spec.body as object,
        });
        expect(res.statusCode, res.body).toBeLessThan(500);
        expect(res.statusCode, res.body).not.toBe(401);
        if (res.statusCode === 403) expect(res.json().name).not.toBe('forbidden');
      });
      continue;
    }
    const allowed = spec.roles;
    it(`${key} refuses anonymous callers with 401`, async () => {
      const params = spec.params ? await spec.params(fx, fx.userId) : {};
      const res = await t.app.inject({
        method: method as 'GET',
        url: fillPath(url, params),
        query: spec.query,
        headers: spec.headers,
        payload: spec.body as object,
      });
      expect(res.statusCode).toBe(401);
      expect(res.json().name).toBe('unauthenticated');
    });
    for (const role of ROLES) {
      const shouldAllow = allowed.includes(role);
      it(`${key} as ${role} → ${shouldAllow ? 'allowed' : '403 forbidden'}`, async () => {
        const caller = await createUser(t.store, partnerId, { roles: [role] });
        const params = spec.params ? await spec.params(fx, caller.id) : {};
        const res = await t.app.inject({
          method: method as 'GET',
          url: fillPath(url, params),
          query: spec.query,
          headers: { ...spec.headers, ...bearer(caller.token) },
          payload: spec.body as object,
        });
        if (shouldAllow) {
          expect(res.statusCode, res.body).toBeLessThan(500);
          if (res.statusCode === 403) expect(res.json().name).not.toBe('forbidden');
        } else {
          expect(res.statusCode, res.body).toBe(403);
          expect(res.json()).toMatchObject({ name: 'forbidden', code: 100105 });
        }
      });
    }
  }
});
