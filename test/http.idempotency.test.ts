// MS-RequestId: replay, reuse with another request, concurrency, per-partner scope, expiry and sweeping.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  purgeExpiredIdempotencyKeys,
  requestFingerprint,
  storedRequestId,
} from '../src/http/idempotency.plugin.ts';
import type { EchoApp } from './helpers/echo-app.ts';
import { createEchoApp } from './helpers/echo-app.ts';
import type { TestUser } from './helpers/factories.ts';
import { bearer, createPartnerWithAdmin, createUser } from './helpers/factories.ts';

let t: EchoApp;
let admin: TestUser;
let partnerId: string;

beforeAll(async () => {
  t = await createEchoApp();
  const made = await createPartnerWithAdmin(t.store);
  admin = made.admin;
  partnerId = made.partner.id;
});
afterAll(() => t.close());

let seq = 0;
const newId = () => `req-${Date.now()}-${++seq}`;

function echo(user: TestUser, requestId: string | undefined, body: unknown) {
  return t.app.inject({
    method: 'POST',
    url: '/v1/test/echo',
    headers: { ...bearer(user.token), ...(requestId === undefined ? {} : { 'ms-requestid': requestId }) },
    payload: body as Record<string, unknown>,
  });
}

async function keyRows(requestId: string, partner = partnerId) {
  return t.store.owner
    .selectFrom('idempotency_keys')
    .selectAll()
    .where('request_id', '=', storedRequestId(partner, requestId))
    .execute();
}

function expire(requestId: string) {
  return t.store.owner
    .updateTable('idempotency_keys')
    .set({ expires_at: new Date(Date.now() - 1000) })
    .where('request_id', '=', storedRequestId(partnerId, requestId))
    .execute();
}

describe('MS-RequestId idempotency', () => {
  it('replays the stored response without running the handler again', async () => {
    const id = newId();
    const before = await t.executions(partnerId);
    const first = await echo(admin, id, { note: 'one', companyProfile: { domain: 'a.example' } });
    expect(first.statusCode).toBe(201);
    expect(first.headers['ms-idempotent-replay']).toBeUndefined();
    const second = await echo(admin, id, { note: 'one', companyProfile: { domain: 'a.example' } });
    expect(second.statusCode).toBe(201);
    expect(second.headers['ms-idempotent-replay']).toBe('true');
    expect(second.body).toBe(first.body);
    expect(second.headers.etag).toBe(first.headers.etag);
    expect(second.headers.location).toBe(first.headers.location);
    expect(second.headers['content-type']).toBe(first.headers['content-type']);
    expect(second.headers['x-request-id']).not.toBe(first.headers['x-request-id']);
    expect(await t.executions(partnerId)).toBe(before + 1);
    const [row] = await keyRows(id);
    expect(row).toMatchObject({ state: 'done', status_code: 201, method: 'POST', url: '/v1/test/echo' });
    expect(row!.response_headers).toEqual({
      'content-type': first.headers['content-type'],
      etag: first.headers.etag,
      location: first.headers.location,
    });
  });

  it('keeps neither the id nor a readable body in the table (responses may hold secrets)', async () => {
    const id = newId();
    const r = await echo(admin, id, { note: 'secret-ish' });
    const [row] = await keyRows(id);
    expect(row!.request_id).not.toContain(id);
    expect(row!.response_body).toMatch(/^v1\./);
    expect(row!.response_body).not.toContain(r.json().executionId);
    expect(row!.response_body).not.toContain('secret-ish');
  });

  it('keeps no plain hash of the request a reader of the table could test password guesses against', async () => {
    // The same request under two ids: a plain hash of it would be stored twice, the same, and anyone who can
    // read the table could hash candidate bodies (a password change) until one matched.
    const [a, b] = [newId(), newId()];
    const body = { note: 'Hunter2-password-guess' };
    await echo(admin, a, body);
    await echo(admin, b, body);
    const [rowA] = await keyRows(a);
    const [rowB] = await keyRows(b);
    expect(rowA!.body_hash).not.toBe(rowB!.body_hash);
  });

  it('treats the same body in another key order or property casing as the same request', async () => {
    const id = newId();
    const before = await t.executions(partnerId);
    const first = await echo(admin, id, {
      note: 'n',
      companyProfile: { domain: 'b.example', companyName: 'B' },
    });
    const second = await echo(admin, id, {
      CompanyProfile: { CompanyName: 'B', Domain: 'b.example' },
      Note: 'n',
    });
    expect(second.statusCode).toBe(201);
    expect(second.headers['ms-idempotent-replay']).toBe('true');
    expect(second.body).toBe(first.body);
    expect(await t.executions(partnerId)).toBe(before + 1);
  });

  it('runs every request without the header', async () => {
    const before = await t.executions(partnerId);
    const a = await echo(admin, undefined, { note: 'x' });
    const b = await echo(admin, undefined, { note: 'x' });
    expect(a.json().executionId).not.toBe(b.json().executionId);
    expect(await t.executions(partnerId)).toBe(before + 2);
  });

  it('refuses the same id with another body (409 requestIdReused)', async () => {
    const id = newId();
    await echo(admin, id, { note: 'first' });
    const before = await t.executions(partnerId);
    const other = await echo(admin, id, { note: 'second' });
    expect(other.statusCode).toBe(409);
    expect(other.json()).toMatchObject({
      code: 100203,
      name: 'requestIdReused',
      source: 'Partnerdesk',
      requestId: other.headers['x-request-id'],
    });
    expect(await t.executions(partnerId)).toBe(before);
  });

  it('refuses the same id from another user of the same partner (their responses stay theirs)', async () => {
    const id = newId();
    const colleague = await createUser(t.store, partnerId, { roles: ['adminAgent'] });
    await echo(admin, id, { note: 'mine' });
    const theirs = await echo(colleague, id, { note: 'mine' });
    expect(theirs.statusCode).toBe(409);
    expect(theirs.json().name).toBe('requestIdReused');
  });

  it('executes ten concurrent identical requests once and gives all ten the same answer', async () => {
    const id = newId();
    const before = await t.executions(partnerId);
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => echo(admin, id, { note: 'concurrent', delayMs: 300 })),
    );
    expect(await t.executions(partnerId)).toBe(before + 1);
    expect(new Set(responses.map((r) => r.statusCode))).toEqual(new Set([201]));
    expect(new Set(responses.map((r) => r.body)).size).toBe(1);
    expect(new Set(responses.map((r) => r.headers.etag)).size).toBe(1);
    expect(responses.filter((r) => r.headers['ms-idempotent-replay'] === 'true')).toHaveLength(9);
  });

  it('scopes ids per partner: another partner using the same id executes separately', async () => {
    const id = newId();
    const other = await createPartnerWithAdmin(t.store);
    const mine = await echo(admin, id, { note: 'same' });
    const theirs = await echo(other.admin, id, { note: 'same' });
    expect(theirs.statusCode).toBe(201);
    expect(theirs.headers['ms-idempotent-replay']).toBeUndefined();
    expect(theirs.json().executionId).not.toBe(mine.json().executionId);
    expect(await t.executions(other.partner.id)).toBe(1);
  });

  it('stores and replays 4xx answers of the handler', async () => {
    const id = newId();
    const before = await t.executions(partnerId);
    const first = await echo(admin, id, { outcome: 'reject' });
    const second = await echo(admin, id, { outcome: 'reject' });
    expect(first.statusCode).toBe(400);
    expect(second.statusCode).toBe(400);
    expect(second.headers['ms-idempotent-replay']).toBe('true');
    expect(second.body).toBe(first.body);
    expect(await t.executions(partnerId)).toBe(before + 1);
  });

  it('does not store 5xx answers: a retry runs again', async () => {
    const id = newId();
    const before = await t.executions(partnerId);
    const first = await echo(admin, id, { outcome: 'crash' });
    expect(first.statusCode).toBe(500);
    expect(first.json()).toMatchObject({ code: 100901, name: 'internal' });
    expect(first.body).not.toContain('crashed on purpose');
    expect(await keyRows(id)).toEqual([]);
    const second = await echo(admin, id, { outcome: 'crash' });
    expect(second.statusCode).toBe(500);
    expect(second.headers['ms-idempotent-replay']).toBeUndefined();
    expect(await t.executions(partnerId)).toBe(before + 2);
  });

  it('refuses a malformed id with 400 invalidRequestId before running anything', async () => {
    const before = await t.executions(partnerId);
    for (const bad of ['has space', 'x'.repeat(129), 'ünïcode', 'a/b']) {
      const r = await echo(admin, bad, { note: 'x' });
      expect(r.statusCode, bad).toBe(400);
      expect(r.json()).toMatchObject({ code: 100206, name: 'invalidRequestId' });
    }
    const empty = await echo(admin, '', { note: 'x' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().name).toBe('invalidRequestId');
    const ok = await echo(admin, `A.b_c:d-${'9'.repeat(100)}`, { note: 'x' });
    expect(ok.statusCode).toBe(201);
    expect(await t.executions(partnerId)).toBe(before + 1);
  });

  it('leaves public routes alone (sign-in responses carry credentials and are never stored)', async () => {
    const a = await t.app.inject({
      method: 'POST',
      url: '/v1/test/public',
      headers: { 'ms-requestid': 'not valid!' },
    });
    expect(a.statusCode).toBe(200);
    const b = await t.app.inject({
      method: 'POST',
      url: '/v1/test/public',
      headers: { 'ms-requestid': 'p-1' },
    });
    const c = await t.app.inject({
      method: 'POST',
      url: '/v1/test/public',
      headers: { 'ms-requestid': 'p-1' },
    });
    expect(b.json().executionId).not.toBe(c.json().executionId);
    expect(c.headers['ms-idempotent-replay']).toBeUndefined();
  });

  it('does not replay expired responses, and the sweeper deletes them', async () => {
    const id = newId();
    const before = await t.executions(partnerId);
    const first = await echo(admin, id, { note: 'old' });
    const [row] = await keyRows(id);
    const ttlMs = row!.expires_at.getTime() - Date.now();
    expect(ttlMs).toBeGreaterThan(t.config.idempotencyTtlHours * 3600_000 - 60_000);
    expect(ttlMs).toBeLessThanOrEqual(t.config.idempotencyTtlHours * 3600_000);

    await expire(id);
    const again = await echo(admin, id, { note: 'old' });
    expect(again.statusCode).toBe(201);
    expect(again.headers['ms-idempotent-replay']).toBeUndefined();
    expect(again.json().executionId).not.toBe(first.json().executionId);
    expect(await t.executions(partnerId)).toBe(before + 2);

    // The id is live again (taken over); expire it and sweep.
    await expire(id);
    const live = newId();
    await echo(admin, live, { note: 'stays' });
    const purged = await purgeExpiredIdempotencyKeys(t.store.owner, new Date());
    expect(purged).toBeGreaterThanOrEqual(1);
    expect(await keyRows(id)).toEqual([]);
    expect(await keyRows(live)).toHaveLength(1);
  });

  it('takes over a pending claim whose lease lapsed (a crashed process)', async () => {
    const id = newId();
    await t.store.owner
      .insertInto('idempotency_keys')
      .values({
        partner_id: partnerId,
        request_id: storedRequestId(partnerId, id),
        method: 'POST',
        url: '/v1/test/echo',
        body_hash: 'whatever-the-crashed-request-had',
        state: 'pending',
        status_code: null,
        response_headers: null,
        response_body: null,
        expires_at: new Date(Date.now() - 1000),
      })
      .execute();
    const r = await echo(admin, id, { note: 'after crash' });
    expect(r.statusCode).toBe(201);
    const [row] = await keyRows(id);
    expect(row!.state).toBe('done');
  });

  it('answers 409 requestInProgress with Retry-After when the first request stays pending', async () => {
    const id = newId();
    const body = { note: 'slow' };
    await t.store.owner
      .insertInto('idempotency_keys')
      .values({
        partner_id: partnerId,
        request_id: storedRequestId(partnerId, id),
        method: 'POST',
        url: '/v1/test/echo',
        body_hash: requestFingerprint({
          partnerId,
          requestId: id,
          userId: admin.id,
          method: 'POST',
          path: '/v1/test/echo',
          query: {},
          body,
        }),
        state: 'pending',
        status_code: null,
        response_headers: null,
        response_body: null,
        expires_at: new Date(Date.now() + 60_000),
      })
      .execute();
    const before = await t.executions(partnerId);
    const started = Date.now();
    const r = await echo(admin, id, body);
    expect(Date.now() - started).toBeGreaterThanOrEqual(9_000);
    expect(r.statusCode).toBe(409);
    expect(r.headers['retry-after']).toBe('5');
    expect(r.json()).toMatchObject({ code: 100204, name: 'requestInProgress' });
    expect(await t.executions(partnerId)).toBe(before);
  }, 20_000);

  it('waits for an identical request in progress and replays its answer', async () => {
    const id = newId();
    const slow = echo(admin, id, { note: 'wait for me', delayMs: 1500 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const waiting = await echo(admin, id, { note: 'wait for me', delayMs: 1500 });
    const first = await slow;
    expect(waiting.statusCode).toBe(201);
    expect(waiting.headers['ms-idempotent-replay']).toBe('true');
    expect(waiting.body).toBe(first.body);
  });
});
