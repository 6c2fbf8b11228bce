// Country rules and address checks (pure): state lists, postal codes, phone numbers and registration numbers
// per country, the reasons a sales agent reads, the normalised suggestion, cultures and languages.
import { iso31661, iso31662 } from 'iso-3166';
import { postcodeValidator } from 'postcode-validator';
import { describe, expect, it } from 'vitest';
import type { AddressInput } from '../src/modules/countries/countries.address.ts';
import {
  addressIssues,
  normalizeAddress,
  registrationNumberIssues,
  suggestAddress,
} from '../src/modules/countries/countries.address.ts';
import {
  COUNTRIES,
  REGISTRATION_NUMBER_COUNTRIES,
  US_OUTLYING_AREAS,
  caseInsensitiveSource,
  countryRules,
  isCountry,
  listCountries,
  normalizeCulture,
  normalizeLanguage,
  postalCodeFormat,
} from '../src/modules/countries/countries.data.ts';
import { createCountriesService } from '../src/modules/countries/countries.service.ts';

const redmond = {
  country: 'US',
  state: 'WA',
  city: 'Redmond',
  addressLine1: '1 Microsoft Way',
  postalCode: '98052',
};
const moscow = {
  country: 'RU',
  city: 'Moscow',
  addressLine1: 'Tverskaya 1',
  postalCode: '125009',
  phoneNumber: '+7 495 123-45-67',
};

const issues = (address: AddressInput, opts: { requireContactName?: boolean } = {}) =>
  addressIssues(address, { fieldPrefix: 'defaultAddress', ...opts });
const reasonOf = (address: AddressInput, field: string) =>
  issues(address).find((i) => i.field === `defaultAddress.${field}`)?.reason;

describe('countries', () => {
  it('lists every assigned ISO 3166-1 code and nothing else', () => {
    expect(COUNTRIES).toHaveLength(iso31661.length);
    expect(COUNTRIES.length).toBeGreaterThanOrEqual(249);
    expect(isCountry('US')).toBe(true);
    expect(isCountry('de')).toBe(true);
    expect(isCountry('XX')).toBe(false);
    expect(isCountry('UK')).toBe(false); // reserved, not assigned: the United Kingdom is GB
    expect(isCountry('USA')).toBe(false);
  });

  it('sorts the country list by name in the chosen language', () => {
    const en = listCountries('en');
    const ru = listCountries('ru');
    expect(en).toHaveLength(COUNTRIES.length);
    expect(en.find((c) => c.iso2Code === 'DE')?.name).toBe('Germany');
    expect(ru.find((c) => c.iso2Code === 'DE')?.name).toBe('Германия');
    expect(listCountries('de').find((c) => c.iso2Code === 'DE')?.name).toBe('Deutschland');
    const names = ru.map((c) => c.name);
    expect(names).toEqual([...names].sort(new Intl.Collator('ru').compare));
    expect(en.find((c) => c.iso2Code === 'RU')).toMatchObject({
      isRegistrationNumberRequired: true,
      isStateRequired: false,
    });
  });
});

describe('country validation rules', () => {
  it('US: the 50 states and DC, postal pattern, calling code 1, English', () => {
    const us = countryRules('us')!;
    expect(us).toMatchObject({
      iso2Code: 'US',
      name: 'United States',
      defaultCulture: 'en-US',
      isStateRequired: true,
      isPostalCodeRequired: true,
      isCityRequired: true,
      phoneNumberRequired: false,
      isRegistrationNumberRequired: false,
      countryCallingCodes: ['1'],
      supportedLanguages: ['en'],
      supportedCultures: ['en-US'],
    });
    expect(us.states).toHaveLength(51);
    expect(us.states).toContainEqual({ code: 'WA', name: 'Washington' });
    expect(us.states).toContainEqual({ code: 'DC', name: 'District of Columbia' });
    expect(us.states.map((s) => s.code)).not.toContain('PR');
    expect(us.phoneNumberExample).toMatch(/^\+1 /);
    const pattern = new RegExp(us.postalCodeRegex!);
    expect(pattern.test('98052')).toBe(true);
    expect(pattern.test('98052-1234')).toBe(true);
    expect(pattern.test('9805')).toBe(false);
  });

  it('leaves out of the US exactly the outlying areas that ISO 3166-1 codes as countries of their own', () => {
    for (const code of US_OUTLYING_AREAS) {
      expect(isCountry(code), code).toBe(true);
      expect(iso31662.some((s) => s.code === `US-${code}`)).toBe(true);
    }
    const all = iso31662.filter((s) => s.parent === 'US').length;
    expect(countryRules('US')!.states).toHaveLength(all - US_OUTLYING_AREAS.length);
  });

  it('CA, MX, CN: their provinces, states and regions from ISO 3166-2', () => {
    const ca = countryRules('CA')!;
    expect(ca.isStateRequired).toBe(true);
    expect(ca.states).toHaveLength(13);
    expect(ca.states).toContainEqual({ code: 'ON', name: 'Ontario' });
    expect(ca.states.map((s) => s.code)).toContain('QC');
    const mx = countryRules('MX')!;
    expect(mx.states).toHaveLength(32);
    expect(mx.states).toContainEqual({ code: 'CMX', name: 'Ciudad de México' });
    expect(mx.defaultCulture).toBe('es-MX');
    const cn = countryRules('CN')!;
    expect(cn.states.map((s) => s.code)).toEqual(expect.arrayContaining(['GD', 'BJ', 'SH', 'XZ', 'HK']));
    expect(cn.states).toContainEqual({ code: 'GD', name: 'Guangdong Sheng' });
    expect(cn.defaultCulture).toBe('zh-CN');
  });

  it('RU needs a registration number and a phone; DE needs neither and has no state list', () => {
    expect(countryRules('RU')).toMatchObject({
      defaultCulture: 'ru-RU',
      isRegistrationNumberRequired: true,
      phoneNumberRequired: true,
      countryCallingCodes: ['7'],
      supportedLanguages: ['ru', 'en'],
      supportedCultures: ['ru-RU', 'en-RU'],
      states: [],
      isStateRequired: false,
    });
    expect(countryRules('DE')).toMatchObject({
      defaultCulture: 'de-DE',
      isRegistrationNumberRequired: false,
      phoneNumberRequired: false,
      postalCodeRegex: '^\\d{5}$',
    });
    for (const code of COUNTRIES)
      expect(countryRules(code)!.isRegistrationNumberRequired, code).toBe(
        REGISTRATION_NUMBER_COUNTRIES.includes(code),
      );
    expect(REGISTRATION_NUMBER_COUNTRIES).toHaveLength(11);
  });

  it('has rules for every country: a default culture of its own form, cultures for each language', () => {
    for (const code of COUNTRIES) {
      const rules = countryRules(code)!;
      expect(normalizeCulture(rules.defaultCulture), code).toBe(rules.defaultCulture);
      expect(rules.defaultCulture.endsWith(`-${code}`), code).toBe(true);
      expect(rules.supportedLanguages, code).toContain('en');
      expect(rules.supportedCultures[0]).toBe(rules.defaultCulture);
      expect(rules.supportedCultures).toHaveLength(rules.supportedLanguages.length);
      expect(rules.isStateRequired).toBe(['US', 'CA', 'MX', 'CN'].includes(code));
      if (!rules.isStateRequired) expect(rules.states).toEqual([]);
    }
    expect(countryRules('XX')).toBeUndefined();
    expect(countryRules('USA')).toBeUndefined();
  });

  it('gives each postal pattern as an anchored string that accepts what the library accepts, without flags', () => {
    const samples = ['98052', '98052-1234', 'K1A 0B1', 'k1a 0b1', 'SW1A 1AA', 'sw1a1aa', '1234 AB', '', 'X'];
    for (const code of COUNTRIES) {
      const source = countryRules(code)!.postalCodeRegex;
      if (!source) continue;
      expect(source.startsWith('^') && source.endsWith('$'), code).toBe(true);
      const pattern = new RegExp(source);
      for (const sample of samples)
        expect(pattern.test(sample), `${code} ${sample}`).toBe(postcodeValidator(sample, code));
    }
    expect(caseInsensitiveSource('^[A-Z]\\s*[0-9A-C]x$')).toBe('^[A-Za-z]\\s*[0-9A-Ca-c][xX]$');
  });

  it('describes postal code formats for people', () => {
    expect(postalCodeFormat('US')).toBe('99999');
    expect(postalCodeFormat('CA')).toBe('A9A 9A9');
    expect(postalCodeFormat('GB')).toBe('A99 9AA');
    expect(postalCodeFormat('NL')).toBe('9999 AA');
    expect(postalCodeFormat('JP')).toBe('999-9999');
    expect(postalCodeFormat('AE')).toBeUndefined(); // no postal codes
  });
});

describe('address issues', () => {
  it('accepts valid addresses', () => {
    expect(issues(redmond)).toEqual([]);
    expect(issues({ ...redmond, postalCode: '98052-1234' })).toEqual([]);
    expect(
      issues({ country: 'CA', state: 'ON', city: 'Ottawa', addressLine1: '1 Main', postalCode: 'K1A 0B1' }),
    ).toEqual([]);
    expect(
      issues({ country: 'DE', city: 'Berlin', addressLine1: 'Unter den Linden 1', postalCode: '10115' }),
    ).toEqual([]);
    expect(issues(moscow)).toEqual([]);
    expect(issues({ ...moscow, phoneNumber: '8 (495) 123-45-67' })).toEqual([]);
    // No postal codes in the United Arab Emirates: none required.
    expect(issues({ country: 'AE', city: 'Dubai', addressLine1: 'Sheikh Zayed Road 1' })).toEqual([]);
    // Codes in any case; the suggestion writes them in capitals.
    expect(issues({ ...redmond, country: 'us', state: 'wa' })).toEqual([]);
  });

  it('names an unknown or mistyped country', () => {
    expect(reasonOf({ ...redmond, country: 'XX' }, 'country')).toMatch(/unknown country.*XX/);
    expect(reasonOf({ ...redmond, country: 'usa' }, 'country')).toBe(
      'must be a two-letter ISO 3166-1 code: use US for United States',
    );
    expect(reasonOf({ ...redmond, country: 'Atlantis' }, 'country')).toMatch(/unknown country/);
    expect(reasonOf({ ...redmond, country: '  ' }, 'country')).toMatch(/^is required/);
    // Without a country the country's own rules cannot be judged, so nothing is said about the state.
    expect(issues({ ...redmond, country: 'XX', state: 'Nowhere' }).map((i) => i.field)).toEqual([
      'defaultAddress.country',
    ]);
  });

  it('checks required fields and lengths, trimming first', () => {
    const long = 'x'.repeat(201);
    expect(reasonOf({ ...redmond, addressLine1: long }, 'addressLine1')).toBe(
      'must be at most 200 characters (it has 201)',
    );
    expect(reasonOf({ ...redmond, addressLine1: 'x'.repeat(200) }, 'addressLine1')).toBeUndefined();
    expect(reasonOf({ ...redmond, addressLine2: long }, 'addressLine2')).toMatch(/at most 200/);
    expect(reasonOf({ ...redmond, addressLine1: '   ' }, 'addressLine1')).toBe('is required');
    expect(reasonOf({ ...redmond, city: '' }, 'city')).toBe('is required');
    expect(reasonOf({ ...redmond, city: null }, 'city')).toBe('is required');
    expect(reasonOf({ ...redmond, city: 'c'.repeat(101) }, 'city')).toMatch(/at most 100/);
    expect(reasonOf({ ...redmond, firstName: 'n'.repeat(51) }, 'firstName')).toBe(
      'must be at most 50 characters (it has 51)',
    );
    expect(reasonOf({ ...redmond, lastName: 'n'.repeat(51) }, 'lastName')).toMatch(/at most 50/);
    expect(reasonOf({ ...redmond, middleName: 'n'.repeat(51) }, 'middleName')).toMatch(/at most 50/);
    expect(reasonOf({ ...redmond, firstName: 'n'.repeat(50) }, 'firstName')).toBeUndefined();
    expect(issues(redmond, { requireContactName: true }).map((i) => i.field)).toEqual([
      'defaultAddress.firstName',
      'defaultAddress.lastName',
    ]);
    expect(issues({ ...redmond, firstName: 'Ann', lastName: 'Lee' }, { requireContactName: true })).toEqual(
      [],
    );
  });

  it('requires a state from the list in US, CA, MX and CN, and refuses a name there', () => {
    expect(reasonOf({ ...redmond, state: undefined }, 'state')).toMatch(/^is required in United States/);
    expect(reasonOf({ ...redmond, state: 'Washington' }, 'state')).toBe(
      "must be the state's code: use WA for Washington",
    );
    expect(reasonOf({ ...redmond, state: 'ZZ' }, 'state')).toMatch(
      /^must be one of the states of United States, e\.g\. /,
    );
    expect(reasonOf({ ...redmond, state: 'PR' }, 'state')).toMatch(/must be one of the states/);
    expect(
      reasonOf(
        { country: 'MX', state: 'DF', city: 'CDMX', addressLine1: 'Reforma 1', postalCode: '06600' },
        'state',
      ),
    ).toMatch(/states of Mexico/);
    // Elsewhere the state is free text.
    expect(
      reasonOf(
        { country: 'DE', state: 'Berlin', city: 'Berlin', addressLine1: 'x', postalCode: '10115' },
        'state',
      ),
    ).toBeUndefined();
    expect(
      reasonOf({ country: 'DE', state: 's'.repeat(101), city: 'B', addressLine1: 'x' }, 'state'),
    ).toMatch(/at most 100/);
  });

  it('checks postal codes against the country’s pattern', () => {
    expect(reasonOf({ ...redmond, postalCode: '9805' }, 'postalCode')).toBe(
      'is not a postal code of United States (format 99999, where 9 is a digit)',
    );
    expect(reasonOf({ ...redmond, postalCode: '' }, 'postalCode')).toMatch(/^is required in United States/);
    expect(
      reasonOf(
        { country: 'CA', state: 'ON', city: 'Ottawa', addressLine1: '1', postalCode: '12345' },
        'postalCode',
      ),
    ).toBe('is not a postal code of Canada (format A9A 9A9, where A is a letter and 9 is a digit)');
    expect(
      reasonOf({ country: 'DE', city: 'Berlin', addressLine1: '1', postalCode: '1011' }, 'postalCode'),
    ).toMatch(/not a postal code of Germany/);
  });

  it('checks phone numbers for the country, required where the registration number is', () => {
    expect(reasonOf({ ...moscow, phoneNumber: '123' }, 'phoneNumber')).toMatch(
      /^is not a valid phone number of Russia \(like \+7 /,
    );
    expect(reasonOf({ ...moscow, phoneNumber: '' }, 'phoneNumber')).toBe(
      'is required for customers in Russia',
    );
    expect(reasonOf({ ...moscow, phoneNumber: '+1 425 882 8080' }, 'phoneNumber')).toBe(
      'is a phone number of United States, not of Russia',
    );
    expect(reasonOf({ ...redmond, phoneNumber: '(425) 882-8080' }, 'phoneNumber')).toBeUndefined();
    expect(reasonOf({ ...redmond, phoneNumber: 'call me' }, 'phoneNumber')).toMatch(
      /not a valid phone number/,
    );
    // Optional outside the registration-number countries.
    expect(reasonOf({ ...redmond, phoneNumber: undefined }, 'phoneNumber')).toBeUndefined();
  });
});

describe('registration number', () => {
  it('is required in the listed countries and refused elsewhere', () => {
    const field = 'companyProfile.organizationRegistrationNumber';
    expect(registrationNumberIssues('RU', '7707083893', 'companyProfile')).toEqual([]);
    expect(registrationNumberIssues('ru', ' 7707083893 ', 'companyProfile')).toEqual([]);
    expect(registrationNumberIssues('RU', '', 'companyProfile')).toEqual([
      { field, reason: 'is required for customers in Russia' },
    ]);
    expect(registrationNumberIssues('KZ', null, 'companyProfile')[0]?.reason).toMatch(/Kazakhstan/);
    expect(registrationNumberIssues('RU', '7707_08', 'companyProfile')[0]?.reason).toMatch(/letters, digits/);
    expect(registrationNumberIssues('RU', '1'.repeat(51), 'companyProfile')[0]?.reason).toMatch(/at most 50/);
    expect(registrationNumberIssues('DE', 'HRB 12345', 'companyProfile')).toEqual([
      { field, reason: 'is not used for customers in Germany; leave it empty' },
    ]);
    expect(registrationNumberIssues('DE', '', 'companyProfile')).toEqual([]);
    expect(registrationNumberIssues('US', undefined, 'companyProfile')).toEqual([]);
  });
});

describe('suggested address', () => {
  it('turns state names into codes and writes postal codes and phones the country’s way', () => {
    expect(suggestAddress({ ...redmond, state: 'Washington' })).toEqual(redmond);
    expect(suggestAddress({ ...redmond, state: 'wa' })?.state).toBe('WA');
    expect(
      suggestAddress({
        country: 'ca',
        state: 'ontario',
        city: 'Ottawa',
        addressLine1: '1 Main',
        postalCode: 'k1a0b1',
      }),
    ).toEqual({ country: 'CA', state: 'ON', city: 'Ottawa', addressLine1: '1 Main', postalCode: 'K1A 0B1' });
    expect(
      suggestAddress({ country: 'GB', city: 'London', addressLine1: '1', postalCode: 'sw1a1aa' })?.postalCode,
    ).toBe('SW1A 1AA');
    expect(
      suggestAddress({ country: 'NL', city: 'Utrecht', addressLine1: '1', postalCode: '1234ab' })?.postalCode,
    ).toBe('1234 AB');
    expect(suggestAddress({ ...redmond, postalCode: '980521234' })?.postalCode).toBe('98052-1234');
    expect(
      suggestAddress({ country: 'JP', city: 'Tokyo', addressLine1: '1', postalCode: '1000001' })?.postalCode,
    ).toBe('100-0001');
    expect(suggestAddress({ ...moscow, phoneNumber: '8 (495) 123-45-67' })?.phoneNumber).toBe(
      '+7 495 123 45 67',
    );
    expect(
      suggestAddress({
        country: 'MX',
        state: 'Ciudad de Mexico',
        city: 'CDMX',
        addressLine1: '1',
        postalCode: '06600',
      })?.state,
    ).toBe('CMX');
    expect(
      suggestAddress({
        country: 'CN',
        state: 'guangdong',
        city: 'Guangzhou',
        addressLine1: '1',
        postalCode: '510000',
      })?.state,
    ).toBe('GD');
    expect(suggestAddress({ ...redmond, country: 'USA' })?.country).toBe('US');
  });

  it('trims and collapses spaces, and never invents what was not typed', () => {
    expect(suggestAddress({ ...redmond, city: '  Redmond ', addressLine1: '1   Microsoft  Way' })).toEqual(
      redmond,
    );
    // A valid address as it should be written: nothing to suggest.
    expect(suggestAddress(redmond)).toBeUndefined();
    expect(
      suggestAddress({ country: 'FR', city: 'Paris', addressLine1: '1 rue', postalCode: '75001' }),
    ).toBeUndefined();
    // Unknown or ambiguous parts stay as typed, and missing ones stay missing.
    const s = suggestAddress({
      country: 'US',
      state: 'New',
      city: '',
      addressLine1: ' x ',
      postalCode: '123',
    });
    expect(s).toEqual({ country: 'US', state: 'New', city: '', addressLine1: 'x', postalCode: '123' });
    expect(normalizeAddress(redmond)).toEqual(redmond);
    expect(normalizeAddress({ ...redmond, region: '', addressLine2: null })).toEqual(redmond);
  });

  it('validateAddress: verified, verifiedWithSuggestions, invalid', () => {
    const countries = createCountriesService();
    expect(countries.validateAddress(redmond)).toMatchObject({
      status: 'verified',
      suggestedAddresses: [],
      issues: [],
      suggestedAddressValid: false,
    });
    const spaced = countries.validateAddress({ ...redmond, postalCode: ' 98052 ' });
    expect(spaced).toMatchObject({
      status: 'verifiedWithSuggestions',
      suggestedAddresses: [redmond],
      suggestedAddressValid: true,
    });
    const named = countries.validateAddress({ ...redmond, state: 'Washington' }, 'address');
    expect(named).toMatchObject({
      status: 'invalid',
      issues: [{ field: 'address.state', reason: expect.stringContaining('WA') }],
      suggestedAddresses: [redmond],
      suggestedAddressValid: true,
      suggestedAddressIssues: [],
    });
    const missing = countries.validateAddress({ ...redmond, city: '', state: 'washington' });
    expect(missing.status).toBe('invalid');
    expect(missing.suggestedAddressValid).toBe(false);
    expect(missing.suggestedAddressIssues).toEqual([{ field: 'city', reason: 'is required' }]);
  });
});

describe('cultures and languages', () => {
  it('normalises cultures to ll-CC and refuses anything else', () => {
    expect(normalizeCulture('EN-US')).toBe('en-US');
    expect(normalizeCulture(' de_de ')).toBe('de-DE');
    expect(normalizeCulture('ru-ru')).toBe('ru-RU');
    expect(normalizeCulture('xx-YY')).toBeUndefined();
    expect(normalizeCulture('en-XX')).toBeUndefined();
    expect(normalizeCulture('english')).toBeUndefined();
    expect(normalizeCulture('en')).toBeUndefined();
    expect(normalizeCulture('zh-Hans-CN')).toBeUndefined();
    expect(normalizeCulture('en-001')).toBeUndefined();
  });

  it('normalises languages to two-letter codes Intl knows', () => {
    expect(normalizeLanguage('En')).toBe('en');
    expect(normalizeLanguage('RU')).toBe('ru');
    expect(normalizeLanguage('xx')).toBeUndefined();
    expect(normalizeLanguage('english')).toBeUndefined();
    expect(normalizeLanguage('en-US')).toBeUndefined();
    expect(normalizeLanguage('')).toBeUndefined();
  });
});
