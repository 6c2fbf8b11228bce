// Bad bodies get a 4xx with a catalog code in the error envelope, never a 500.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EchoApp } from './helpers/echo-app.ts';
import { createEchoApp } from './helpers/echo-app.ts';
import { bearer, createPartnerWithAdmin } from './helpers/factories.ts';

let t: EchoApp;
let token: string;
let partnerId: string;
beforeAll(async () => {
  t = await createEchoApp({ env: { BODY_LIMIT_BYTES: '2048' } });
  const made = await createPartnerWithAdmin(t.store);
  token = made.admin.token;
  partnerId = made.partner.id;
});
afterAll(() => t.close());

function post(payload: string | undefined, headers: Record<string, string> = {}) {
  return t.app.inject({
    method: 'POST',
    url: '/v1/test/echo',
    headers: { ...bearer(token), ...headers },
    ...(payload === undefined ? {} : { payload }),
  });
}

function expectEnvelope(r: Awaited<ReturnType<typeof post>>, status: number, name: string, code: number) {
  expect(r.statusCode).toBe(status);
  expect(r.headers['content-type']).toMatch(/^application\/json/);
  expect(r.json()).toMatchObject({ code, name, source: 'Partnerdesk', requestId: r.headers['x-request-id'] });
  expect(typeof r.json().description).toBe('string');
}

describe('request bodies', () => {
  it('refuses a body over the limit with 413 bodyTooLarge', async () => {
    const body = JSON.stringify({ note: 'x'.repeat(3000) });
    expectEnvelope(await post(body, { 'content-type': 'application/json' }), 413, 'bodyTooLarge', 100003);
  });

  it('refuses a non-JSON content type with 415 unsupportedMediaType', async () => {
    for (const type of [
      'text/plain',
      'application/xml',
      'application/x-www-form-urlencoded',
      'multipart/form-data',
    ]) {
      const r = await post('note=x', { 'content-type': type });
      expectEnvelope(r, 415, 'unsupportedMediaType', 100004);
    }
  });

  it('refuses a body without a content type with 415', async () => {
    expectEnvelope(await post('{"note":"x"}'), 415, 'unsupportedMediaType', 100004);
  });

  it('refuses malformed JSON with 400 malformedJson', async () => {
    for (const body of ['{"note":', '{note: 1}', "{'note':'x'}", '[1,]', 'nope']) {
      expectEnvelope(await post(body, { 'content-type': 'application/json' }), 400, 'malformedJson', 100002);
    }
  });

  it('refuses prototype poisoning with 400 malformedJson', async () => {
    const r = await post('{"note":"x","__proto__":{"polluted":true}}', {
      'content-type': 'application/json',
    });
    expectEnvelope(r, 400, 'malformedJson', 100002);
  });

  it('treats an empty JSON body as no body: 400 validationFailed where one is needed', async () => {
    const r = await post('', { 'content-type': 'application/json' });
    expectEnvelope(r, 400, 'validationFailed', 100001);
    expect(r.json().details).toEqual([{ field: 'body', reason: expect.any(String) }]);
  });

  it('accepts an empty JSON body where none is needed (SDKs label every request JSON)', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/v1/test/public',
      headers: { 'content-type': 'application/json' },
      payload: '',
    });
    expect(r.statusCode).toBe(200);
  });

  it('refuses a missing body on a route that needs one with 400 validationFailed', async () => {
    const r = await post(undefined);
    expectEnvelope(r, 400, 'validationFailed', 100001);
    expect(r.json().details).toEqual([{ field: 'body', reason: expect.any(String) }]);
  });

  it('refuses JSON that is not an object with 400 validationFailed', async () => {
    for (const body of ['null', '[]', '"text"', '42']) {
      expectEnvelope(
        await post(body, { 'content-type': 'application/json' }),
        400,
        'validationFailed',
        100001,
      );
    }
  });

  it('accepts JSON with a charset parameter', async () => {
    const r = await post('{"note":"ok"}', { 'content-type': 'application/json; charset=utf-8' });
    expect(r.statusCode).toBe(201);
  });

  it('answers a badly encoded URL or an over-long path parameter in the envelope too', async () => {
    const bad = await t.app.inject({ method: 'GET', url: '/v1/test/items/%E0%A4%A', headers: bearer(token) });
    expectEnvelope(bad, 400, 'validationFailed', 100001);
    const long = await t.app.inject({
      method: 'GET',
      url: `/v1/test/items/${'a'.repeat(500)}`,
      headers: bearer(token),
    });
    expectEnvelope(long, 400, 'validationFailed', 100001);
    const fine = await t.app.inject({ method: 'GET', url: '/v1/test/items/a%20b', headers: bearer(token) });
    expect(fine.json()).toEqual({ id: 'a b' });
  });

  it('echoes MS-CorrelationId and sends the security headers on errors the router raises too', async () => {
    for (const url of ['/v1/test/items/%E0%A4%A', `/v1/test/items/${'a'.repeat(500)}`]) {
      const r = await t.app.inject({
        method: 'GET',
        url,
        headers: { ...bearer(token), 'ms-correlationid': 'corr-bad-url' },
      });
      expect(r.statusCode, url).toBe(400);
      expect(r.headers['ms-correlationid']).toBe('corr-bad-url');
      expect(r.headers['x-request-id']).toBe(r.json().requestId);
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['content-security-policy']).toContain("default-src 'self'");
      expect(r.headers['cache-control']).toBe('no-store');
    }
  });

  it('names the allowed values once when a value is not one of them', async () => {
    const r = await post('{"outcome":"maybe"}', { 'content-type': 'application/json' });
    expectEnvelope(r, 400, 'validationFailed', 100001);
    // Not one "must be equal to constant" per allowed value plus "must match a schema in anyOf".
    expect(r.json().details).toEqual([
      { field: 'outcome', reason: 'must be one of "ok", "reject", "crash"' },
    ]);
  });

  it('refuses the NUL character (PostgreSQL cannot store it) with 400 and each field named', async () => {
    // JSON's \u0000 escape, at the top level, nested, in an array item and in a property name.
    const body = await post(
      '{"note":"a\\u0000b","companyProfile":{"domain":"\\u0000"},"lineItems":[{"offerId":"x\\u0000","quantity":1}]}',
      { 'content-type': 'application/json' },
    );
    expectEnvelope(body, 400, 'validationFailed', 100001);
    expect(body.json().details).toEqual([
      { field: 'note', reason: 'must not contain the NUL character (U+0000)' },
      { field: 'companyProfile.domain', reason: 'must not contain the NUL character (U+0000)' },
      { field: 'lineItems[0].offerId', reason: 'must not contain the NUL character (U+0000)' },
    ]);
    // Matched case-insensitively first, so the field has the schema's name.
    const pascal = await post('{"Note":"\\u0000"}', { 'content-type': 'application/json' });
    expect(pascal.json().details).toEqual([{ field: 'note', reason: expect.stringContaining('NUL') }]);

    const query = await t.app.inject({
      method: 'GET',
      url: '/v1/test/query?continuationToken=x%00y',
      headers: bearer(token),
    });
    expectEnvelope(query, 400, 'validationFailed', 100001);
    expect(query.json().details).toEqual([
      { field: 'querystring.continuationToken', reason: expect.stringContaining('NUL') },
    ]);
    const param = await t.app.inject({ method: 'GET', url: '/v1/test/items/a%00b', headers: bearer(token) });
    expectEnvelope(param, 400, 'validationFailed', 100001);
    expect(param.json().details).toEqual([{ field: 'params.id', reason: expect.stringContaining('NUL') }]);
  });

  it('ran the handler only for the good requests', async () => {
    expect(await t.executions(partnerId)).toBe(1);
  });
});
