// Country reference data and address validation over HTTP: the rules of a country, the country list in the
// console's languages, and address validation answering a status with field-level issues.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from './helpers/app.ts';
import { createTestApp } from './helpers/app.ts';
import { bearer, createPartnerWithAdmin, createUser } from './helpers/factories.ts';

const redmond = {
  country: 'US',
  state: 'WA',
  city: 'Redmond',
  addressLine1: '1 Microsoft Way',
  postalCode: '98052',
};

describe('countries API', () => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await createTestApp();
    const { partner } = await createPartnerWithAdmin(t.store);
    // Reference data is open to every role; a sales agent is the usual caller.
    token = (await createUser(t.store, partner.id, { roles: ['salesAgent'] })).token;
  });
  afterAll(() => t.close());

  const get = (url: string, auth = true) =>
    t.app.inject({ method: 'GET', url, headers: auth ? bearer(token) : {} });
  const validate = (payload: unknown) =>
    t.app.inject({
      method: 'POST',
      url: '/v1/validations/address',
      headers: { ...bearer(token), 'content-type': 'application/json' },
      payload: JSON.stringify(payload),
    });

  describe('GET /v1/countryvalidationrules/{iso2}', () => {
    it('answers the rules of a country, its code in any case', async () => {
      const r = await get('/v1/countryvalidationrules/us');
      expect(r.statusCode, r.body).toBe(200);
      const us = r.json();
      expect(us).toMatchObject({
        iso2Code: 'US',
        name: 'United States',
        defaultCulture: 'en-US',
        isStateRequired: true,
        isPostalCodeRequired: true,
        postalCodeRegex: '^([0-9]{5})(?:-([0-9]{4}))?$',
        isCityRequired: true,
        phoneNumberRequired: false,
        countryCallingCodes: ['1'],
        isRegistrationNumberRequired: false,
        supportedLanguages: ['en'],
        supportedCultures: ['en-US'],
        attributes: { objectType: 'CountryValidationRules' },
      });
      expect(us.states).toHaveLength(51);
      expect(us.states).toContainEqual({ code: 'WA', name: 'Washington' });

      const ru = (await get('/v1/countryvalidationrules/RU')).json();
      expect(ru).toMatchObject({ isRegistrationNumberRequired: true, phoneNumberRequired: true, states: [] });
      expect(ru.phoneNumberExample).toMatch(/^\+7 /);
    });

    it('404 countryNotFound for a code that is no country, 400 for one that is not two letters', async () => {
      const missing = await get('/v1/countryvalidationrules/XX');
      expect(missing.statusCode).toBe(404);
      expect(missing.json()).toMatchObject({ code: 100501, name: 'countryNotFound' });
      const long = await get('/v1/countryvalidationrules/USA');
      expect(long.statusCode).toBe(400);
      expect(long.json()).toMatchObject({ name: 'validationFailed' });
      expect(JSON.stringify(long.json().details)).toContain('iso2');
    });

    it('401 without a token', async () => {
      const r = await get('/v1/countryvalidationrules/US', false);
      expect(r.statusCode).toBe(401);
      expect(r.json().name).toBe('unauthenticated');
    });
  });

  describe('GET /v1/countries', () => {
    it('lists every country by English name, or by Russian or German name on request', async () => {
      const en = await get('/v1/countries');
      expect(en.statusCode, en.body).toBe(200);
      const body = en.json();
      expect(body.attributes).toEqual({ objectType: 'Collection' });
      expect(body.totalCount).toBe(body.items.length);
      expect(body.totalCount).toBeGreaterThanOrEqual(249);
      expect(body.items).toContainEqual({
        iso2Code: 'DE',
        name: 'Germany',
        isStateRequired: false,
        isRegistrationNumberRequired: false,
      });
      expect(body.items.find((c: { iso2Code: string }) => c.iso2Code === 'US')).toMatchObject({
        isStateRequired: true,
      });
      const names = body.items.map((c: { name: string }) => c.name);
      expect(names).toEqual([...names].sort(new Intl.Collator('en').compare));

      const ru = (await get('/v1/countries?language=ru')).json();
      expect(ru.items.find((c: { iso2Code: string }) => c.iso2Code === 'DE').name).toBe('Германия');
      expect(ru.items[0].name).toMatch(/^А/);
      const de = (await get('/v1/countries?language=de')).json();
      expect(de.items.find((c: { iso2Code: string }) => c.iso2Code === 'DE').name).toBe('Deutschland');
    });

    it('400 for a language the console does not speak, 401 without a token', async () => {
      expect((await get('/v1/countries?language=fr')).statusCode).toBe(400);
      expect((await get('/v1/countries', false)).statusCode).toBe(401);
    });
  });

  describe('POST /v1/validations/address', () => {
    it('verified: a valid address as it should be written', async () => {
      const r = await validate(redmond);
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json()).toEqual({
        originalAddress: redmond,
        suggestedAddresses: [],
        status: 'verified',
        issues: [],
        suggestedAddressValid: false,
        suggestedAddressIssues: [],
        attributes: { objectType: 'AddressValidation' },
      });
    });

    it('verifiedWithSuggestions: valid, with a normalised address offered', async () => {
      const sent = { ...redmond, country: 'us', postalCode: '98052 1234 ', phoneNumber: '(425) 882-8080' };
      const r = await validate(sent);
      // The ZIP+4 written with a space is not the US pattern, so this one is invalid with a fix.
      expect(r.json()).toMatchObject({ status: 'invalid', suggestedAddressValid: true });

      const valid = await validate({ ...redmond, city: ' Redmond ', phoneNumber: '(425) 882-8080' });
      expect(valid.statusCode).toBe(200);
      expect(valid.json()).toMatchObject({
        status: 'verifiedWithSuggestions',
        issues: [],
        suggestedAddresses: [{ ...redmond, phoneNumber: '+1 425 882 8080' }],
        suggestedAddressValid: true,
      });
    });

    it('invalid: each broken rule named by field, with a suggestion where one is safe', async () => {
      const r = await validate({
        Country: 'CA', // Partner Center clients send PascalCase
        State: 'ontario',
        City: 'Ottawa',
        AddressLine1: 'x'.repeat(201),
        PostalCode: 'k1a0b1',
        PhoneNumber: '123',
      });
      expect(r.statusCode, r.body).toBe(200);
      const body = r.json();
      expect(body.status).toBe('invalid');
      expect(body.issues).toEqual([
        { field: 'state', reason: "must be the state's code: use ON for Ontario" },
        { field: 'addressLine1', reason: 'must be at most 200 characters (it has 201)' },
        { field: 'phoneNumber', reason: expect.stringMatching(/^is not a valid phone number of Canada/) },
      ]);
      expect(body.suggestedAddresses).toEqual([
        expect.objectContaining({ country: 'CA', state: 'ON', postalCode: 'K1A 0B1' }),
      ]);
      expect(body.suggestedAddressValid).toBe(false);
      expect(body.suggestedAddressIssues.map((i: { field: string }) => i.field)).toEqual([
        'addressLine1',
        'phoneNumber',
      ]);

      const unknown = (await validate({ ...redmond, country: 'XX' })).json();
      expect(unknown.status).toBe('invalid');
      expect(unknown.issues).toEqual([
        { field: 'country', reason: expect.stringContaining('unknown country') },
      ]);

      const empty = (await validate({})).json();
      expect(empty.status).toBe('invalid');
      expect(empty.issues.map((i: { field: string }) => i.field)).toEqual([
        'country',
        'city',
        'addressLine1',
      ]);
    });

    it('400 only for a body that is not an address', async () => {
      for (const payload of [
        ['US'],
        'US',
        { ...redmond, planet: 'Earth' },
        { ...redmond, city: { name: 'Redmond' } },
      ]) {
        const r = await validate(payload);
        expect(r.statusCode, JSON.stringify(payload)).toBe(400);
        expect(r.json().name).toBe('validationFailed');
      }
      const notJson = await t.app.inject({
        method: 'POST',
        url: '/v1/validations/address',
        headers: { ...bearer(token), 'content-type': 'application/json' },
        payload: '{"country":',
      });
      expect(notJson.statusCode).toBe(400);
      expect(
        (await t.app.inject({ method: 'POST', url: '/v1/validations/address', payload: redmond })).statusCode,
      ).toBe(401);
    });
  });
});
