// Request property names match the schema ignoring case (Partner Center clients send PascalCase).
import { Type } from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matchPropertyNames } from '../src/http/case-insensitive.plugin.ts';
import type { EchoApp } from './helpers/echo-app.ts';
import { EchoBody, createEchoApp } from './helpers/echo-app.ts';
import { bearer, createPartnerWithAdmin } from './helpers/factories.ts';

describe('matchPropertyNames', () => {
  const Schema = Type.Object({
    companyProfile: Type.Object({ domain: Type.String(), companyName: Type.Optional(Type.String()) }),
    lineItems: Type.Array(Type.Object({ offerId: Type.String(), quantity: Type.Integer() })),
    billing: Type.Union([Type.Object({ firstName: Type.String() }), Type.Null()]),
    tags: Type.Record(Type.String(), Type.String()),
  });

  it('renames nested object and array keys to the schema spelling', () => {
    expect(
      matchPropertyNames(
        {
          CompanyProfile: { Domain: 'a.example', COMPANYNAME: 'A' },
          LineItems: [
            { OfferId: 'o1', Quantity: 2 },
            { offerid: 'o2', quantity: 1 },
          ],
          Billing: { FirstName: 'Ann' },
        },
        Schema,
      ),
    ).toEqual({
      companyProfile: { domain: 'a.example', companyName: 'A' },
      lineItems: [
        { offerId: 'o1', quantity: 2 },
        { offerId: 'o2', quantity: 1 },
      ],
      billing: { firstName: 'Ann' },
    });
  });

  it('returns the very same value when every name already matches', () => {
    const body = { companyProfile: { domain: 'a' }, lineItems: [{ offerId: 'o', quantity: 1 }] };
    expect(matchPropertyNames(body, Schema)).toBe(body);
  });

  it('leaves unknown keys, exact-twin conflicts and dictionary keys alone', () => {
    expect(
      matchPropertyNames(
        { Domain: 'x', bogus: 1, companyProfile: { Domain: 'upper', domain: 'exact' }, Tags: { Key: 'V' } },
        Schema,
      ),
    ).toEqual({
      Domain: 'x',
      bogus: 1,
      companyProfile: { Domain: 'upper', domain: 'exact' },
      tags: { Key: 'V' },
    });
    // Two non-exact spellings of one property: the first is renamed, the second left for validation.
    expect(matchPropertyNames({ DOMAIN: 'a', Domain: 'b' }, Schema.properties.companyProfile)).toEqual({
      domain: 'a',
      Domain: 'b',
    });
  });

  it('follows $ref through the resolver and allOf branches', () => {
    const Address = { $id: 'Address', type: 'object', properties: { postalCode: { type: 'string' } } };
    const schema = {
      allOf: [
        { type: 'object', properties: { address: { $ref: 'Address' } } },
        { type: 'object', properties: { email: { type: 'string' } } },
      ],
    };
    const resolve = (ref: string) => (ref === 'Address' ? Address : undefined);
    expect(matchPropertyNames({ Address: { PostalCode: '1' }, EMAIL: 'e' }, schema, resolve)).toEqual({
      address: { postalCode: '1' },
      email: 'e',
    });
  });

  it('never lets a "__proto__" key touch the prototype', () => {
    const body = JSON.parse('{"__proto__": {"polluted": true}, "Note": "n"}') as Record<string, unknown>;
    const out = matchPropertyNames(body, EchoBody) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(out.note).toBe('n');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('passes scalars and values without a schema through', () => {
    expect(matchPropertyNames('text', Schema)).toBe('text');
    expect(matchPropertyNames({ A: 1 }, undefined)).toEqual({ A: 1 });
    expect(matchPropertyNames([{ A: 1 }], { type: 'array' })).toEqual([{ A: 1 }]);
  });
});

describe('case-insensitive requests end to end', () => {
  let t: EchoApp;
  let token: string;
  beforeAll(async () => {
    t = await createEchoApp();
    token = (await createPartnerWithAdmin(t.store)).admin.token;
  });
  afterAll(() => t.close());

  it('accepts a PascalCase body and hands the handler camelCase', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/v1/test/echo',
      headers: bearer(token),
      payload: {
        CompanyProfile: { Domain: 'contoso.example', CompanyName: 'Contoso' },
        LineItems: [{ OfferId: 'offer-1', Quantity: 3 }],
        Note: 'hi',
      },
    });
    expect(r.statusCode).toBe(201);
    expect(r.json().received).toEqual({
      companyProfile: { domain: 'contoso.example', companyName: 'Contoso' },
      lineItems: [{ offerId: 'offer-1', quantity: 3 }],
      note: 'hi',
    });
  });

  it('matches query parameter names too', async () => {
    const r = await t.app.inject({
      method: 'GET',
      url: '/v1/test/query?Size=5&CONTINUATIONTOKEN=abc',
      headers: bearer(token),
    });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ query: { size: 5, continuationToken: 'abc' } });
  });

  it('still refuses names the schema does not know', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/v1/test/echo',
      headers: bearer(token),
      payload: { Note: 'hi', Bogus: 1, CompanyProfile: { Domain: 'x', Extra: true } },
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().name).toBe('validationFailed');
    expect(r.json().details).toEqual(
      expect.arrayContaining([
        { field: 'Bogus', reason: 'is not a known property' },
        { field: 'companyProfile.Extra', reason: 'is not a known property' },
      ]),
    );
  });
});
