// Rate limits: per partner when signed in, per address on sign-in; RateLimit-* headers; 429 in our envelope.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EchoApp } from './helpers/echo-app.ts';
import { createEchoApp } from './helpers/echo-app.ts';
import { bearer, createPartnerWithAdmin } from './helpers/factories.ts';

let t: EchoApp;
beforeAll(async () => {
  t = await createEchoApp({ env: { RATE_LIMIT_PER_MINUTE: '3', RATE_LIMIT_SIGNIN_PER_MINUTE: '3' } });
});
afterAll(() => t.close());

describe('rate limits', () => {
  it('allows the configured requests a minute per partner, then answers 429 in the error envelope', async () => {
    const a = await createPartnerWithAdmin(t.store);
    const get = () => t.app.inject({ method: 'GET', url: '/v1/test/query', headers: bearer(a.admin.token) });
    for (const remaining of [2, 1, 0]) {
      const r = await get();
      expect(r.statusCode).toBe(200);
      expect(r.headers['ratelimit-limit']).toBe('3');
      expect(r.headers['ratelimit-remaining']).toBe(String(remaining));
      expect(Number(r.headers['ratelimit-reset'])).toBeGreaterThan(0);
      expect(Number(r.headers['ratelimit-reset'])).toBeLessThanOrEqual(60);
    }
    const limited = await get();
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['content-type']).toMatch(/^application\/json/);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(limited.headers['ratelimit-limit']).toBe('3');
    expect(limited.headers['ratelimit-remaining']).toBe('0');
    expect(limited.headers['ratelimit-reset']).toBe(limited.headers['retry-after']);
    expect(limited.json()).toEqual({
      code: 100205,
      name: 'rateLimited',
      description: expect.stringMatching(/retry in/),
      data: [{ limit: 3, retryAfterSeconds: Number(limited.headers['retry-after']) }],
      source: 'Partnerdesk',
      details: [],
      requestId: limited.headers['x-request-id'],
    });

    // The limit is the partner's across operations, writes included.
    const write = await t.app.inject({
      method: 'POST',
      url: '/v1/test/echo',
      headers: bearer(a.admin.token),
      payload: { note: 'x' },
    });
    expect(write.statusCode).toBe(429);
    expect(await t.executions(a.partner.id)).toBe(0);
  });

  it('keeps partners apart: another partner is not affected', async () => {
    const a = await createPartnerWithAdmin(t.store);
    const b = await createPartnerWithAdmin(t.store);
    for (let i = 0; i < 4; i++)
      await t.app.inject({ method: 'GET', url: '/v1/test/query', headers: bearer(a.admin.token) });
    const blocked = await t.app.inject({
      method: 'GET',
      url: '/v1/test/query',
      headers: bearer(a.admin.token),
    });
    expect(blocked.statusCode).toBe(429);
    const other = await t.app.inject({
      method: 'GET',
      url: '/v1/test/query',
      headers: bearer(b.admin.token),
    });
    expect(other.statusCode).toBe(200);
    expect(other.headers['ratelimit-remaining']).toBe('2');
  });

  it('never limits the health probes', async () => {
    for (let i = 0; i < 6; i++) {
      const r = await t.app.inject({ method: 'GET', url: '/healthz' });
      expect(r.statusCode).toBe(200);
      expect(r.headers['ratelimit-limit']).toBeUndefined();
    }
  });

  it('limits sign-in per client address, counting every attempt', async () => {
    const attempt = (remoteAddress: string) =>
      t.app.inject({
        method: 'POST',
        url: '/v1/auth/token',
        remoteAddress,
        payload: { userName: 'nobody@partner.example', password: 'wrong-password-1' },
      });
    for (let i = 0; i < 3; i++) {
      const r = await attempt('10.0.0.1');
      expect(r.statusCode).not.toBe(429);
      expect(r.headers['ratelimit-limit']).toBe('3');
    }
    const limited = await attempt('10.0.0.1');
    expect(limited.statusCode).toBe(429);
    expect(limited.json().name).toBe('rateLimited');
    expect(limited.headers['retry-after']).toBeDefined();
    // Another address still gets through.
    expect((await attempt('10.0.0.2')).statusCode).not.toBe(429);
  });
});
