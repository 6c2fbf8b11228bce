// Postal addresses as Partner Center names their fields, checked against the country's rules
// (countries.data.ts), and a normalised suggestion built only from what was typed: spaces, letter case, a
// state's name turned into its code, a postal code or phone number written the way the country writes it.
// It never looks anything up (no street or city data), so it never invents a part of an address. Pure.
import { iso31661, iso31661Alpha3ToAlpha2 } from 'iso-3166';
import type { PhoneNumber } from 'libphonenumber-js/max';
import { isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { FieldIssue } from '../../lib/errors.ts';
import {
  countryName,
  hasPostalCodePattern,
  isPostalCode,
  isPostalCodeRequired,
  isRegistrationNumberRequired,
  isStateRequired,
  phoneNumberExample,
  postalCodeFormat,
  statesOf,
  toCountryCode,
} from './countries.data.ts';

export const ADDRESS_FIELDS = [
  'country',
  'region',
  'city',
  'state',
  'addressLine1',
  'addressLine2',
  'addressLine3',
  'postalCode',
  'firstName',
  'middleName',
  'lastName',
  'phoneNumber',
] as const;
export type AddressField = (typeof ADDRESS_FIELDS)[number];

/** An address as stored and answered: trimmed, empty optional parts left out. */
export interface Address {
  country: string;
  region?: string;
  city: string;
  state?: string;
  addressLine1: string;
  addressLine2?: string;
  addressLine3?: string;
  postalCode?: string;
  firstName?: string;
  middleName?: string;
  lastName?: string;
  phoneNumber?: string;
}

/** An address as a client sends it: any part may be missing, empty or null. */
export type AddressInput = Partial<Record<AddressField, string | null>>;

export const LIMITS = {
  addressLine: 200,
  city: 100,
  state: 100,
  region: 100,
  name: 50,
  /** Where the country has no pattern to check against. */
  postalCode: 20,
  phoneNumber: 50,
  registrationNumber: 50,
} as const;

const text = (value: string | null | undefined) => (typeof value === 'string' ? value.trim() : '');
const length = (value: string) => [...value].length;
const tooLong = (max: number, value: string) => `must be at most ${max} characters (it has ${length(value)})`;

/** Accent- and case-insensitive comparison key. */
const fold = (value: string) =>
  value.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();

// ── country ──

const COUNTRY_BY_NAME = new Map<string, string>();
for (const c of iso31661) {
  COUNTRY_BY_NAME.set(fold(c.name), c.alpha2);
  COUNTRY_BY_NAME.set(fold(countryName(c.alpha2)), c.alpha2);
}

/**
 * The alpha-2 code a person most likely meant, where that is unambiguous: the code in any case, an ISO
 * alpha-3 code (`USA`), or the country's English name (`Germany`, `United States of America`).
 */
export function countryFromText(value: string): string | undefined {
  const t = value.trim();
  return (
    toCountryCode(t) ??
    (/^[A-Za-z]{3}$/.test(t) ? iso31661Alpha3ToAlpha2[t.toUpperCase()] : undefined) ??
    COUNTRY_BY_NAME.get(fold(t))
  );
}

function countryIssue(value: string): string | undefined {
  if (value === '') return 'is required: the two-letter ISO 3166-1 code of the country, such as US';
  if (/^[A-Za-z]{2}$/.test(value) && toCountryCode(value)) return undefined;
  const meant = countryFromText(value);
  if (meant) return `must be a two-letter ISO 3166-1 code: use ${meant} for ${countryName(meant)}`;
  if (/^[A-Za-z]{2}$/.test(value))
    return `is an unknown country: ${value.toUpperCase()} is not an ISO 3166-1 country code (use one such as US)`;
  return 'is an unknown country: use the two-letter ISO 3166-1 code of the country, such as US';
}

// ── state ──

/**
 * The state code meant by `value` in a country that requires one: the code in any case, or the state's
 * English name ignoring case and accents. In China and Mexico the start of the name also counts when only one
 * state has it: their ISO names carry a designation or a long official form that addresses leave out
 * ("Guangdong" for "Guangdong Sheng", "Coahuila" for "Coahuila de Zaragoza").
 */
export function stateFromText(country: string, value: string): string | undefined {
  const states = statesOf(country);
  const key = fold(value);
  if (key === '') return undefined;
  const byCode = states.find((s) => s.code.toLowerCase() === key);
  if (byCode) return byCode.code;
  const byName = states.find((s) => fold(s.name) === key);
  if (byName) return byName.code;
  if (country === 'CN' || country === 'MX') {
    const starting = states.filter((s) => fold(s.name).startsWith(`${key} `));
    if (starting.length === 1) return starting[0]!.code;
  }
  return undefined;
}

function stateIssue(country: string, value: string): string | undefined {
  if (!isStateRequired(country))
    return length(value) > LIMITS.state ? tooLong(LIMITS.state, value) : undefined;
  const states = statesOf(country);
  const name = countryName(country);
  const eg = states[0]!;
  if (value === '') return `is required in ${name}: one of its state codes, e.g. ${eg.code}`;
  // The code in any case, like the country's; the suggestion writes it in capitals.
  if (states.some((s) => s.code === value.toUpperCase())) return undefined;
  const meant = stateFromText(country, value);
  if (meant) {
    const state = states.find((s) => s.code === meant)!;
    return `must be the state's code: use ${state.code} for ${state.name}`;
  }
  return `must be one of the states of ${name}, e.g. ${eg.code} (${eg.name})`;
}

// ── postal code ──

/**
 * The postal code written the way the country writes it, or undefined where no safe rewrite is known. Only
 * rewrites whose result matches the country's pattern: upper case and single spaces; separators removed
 * where the compact form is the one that matches (`10 115` → `10115`); one space or hyphen put in where only
 * one position makes a match (`980521234` → `98052-1234`, `1000001` → `100-0001`); and for codes with letters,
 * the space between the parts where the pattern allows one (`k1a0b1` → `K1A 0B1`, `1234ab` → `1234 AB`).
 * Numeric codes whose pattern only allows a space stay as typed, since countries differ (`75001`, `123 45`).
 */
export function formatPostalCode(country: string, value: string): string | undefined {
  if (!hasPostalCodePattern(country)) return undefined;
  const typed = value.trim().replace(/\s+/g, ' ').toUpperCase();
  if (typed === '') return undefined;
  const compact = typed.replace(/[ -]/g, '');
  const withSeparator = (separators: string[]) => {
    const found = new Set<string>();
    for (let i = 1; i < compact.length; i++)
      for (const s of separators) {
        const candidate = `${compact.slice(0, i)}${s}${compact.slice(i)}`;
        if (isPostalCode(country, candidate)) found.add(candidate);
      }
    return found.size === 1 ? [...found][0] : undefined;
  };
  if (/[A-Z]/.test(compact) && isPostalCode(country, compact)) return withSeparator([' ']) ?? compact;
  if (isPostalCode(country, typed)) return typed;
  if (isPostalCode(country, compact)) return compact;
  return withSeparator([' ', '-']);
}

function postalCodeIssue(country: string, value: string): string | undefined {
  const name = countryName(country);
  const format = postalCodeFormat(country);
  const like = format ? ` (format ${format}${legend(format)})` : '';
  if (value === '') return isPostalCodeRequired(country) ? `is required in ${name}${like}` : undefined;
  if (!hasPostalCodePattern(country))
    return length(value) > LIMITS.postalCode ? tooLong(LIMITS.postalCode, value) : undefined;
  return isPostalCode(country, value) ? undefined : `is not a postal code of ${name}${like}`;
}

function legend(format: string): string {
  const parts = [/A/.test(format) ? 'A is a letter' : '', /9/.test(format) ? '9 is a digit' : ''].filter(
    Boolean,
  );
  return parts.length ? `, where ${parts.join(' and ')}` : '';
}

// ── phone number ──

/** The number in international format where it is a valid number of `country` (national or international). */
export function formatPhoneNumber(country: string, value: string): string | undefined {
  const phone = parsePhone(country, value);
  return phone && phone.isValid() && phone.country === country ? phone.formatInternational() : undefined;
}

function parsePhone(country: string, value: string): PhoneNumber | undefined {
  return isSupportedCountry(country)
    ? parsePhoneNumberFromString(value, country)
    : parsePhoneNumberFromString(value);
}

function phoneIssue(country: string, value: string): string | undefined {
  const name = countryName(country);
  if (value === '')
    return isRegistrationNumberRequired(country) ? `is required for customers in ${name}` : undefined;
  if (length(value) > LIMITS.phoneNumber) return tooLong(LIMITS.phoneNumber, value);
  const example = phoneNumberExample(country);
  if (!example) {
    // No numbering plan of its own (Antarctica, Bouvet Island…): any valid international number will do.
    return parsePhone(country, value)?.isValid()
      ? undefined
      : 'is not a valid international phone number (start it with + and the calling code)';
  }
  const phone = parsePhone(country, value);
  if (phone?.isValid() && phone.country === country) return undefined;
  if (phone?.isValid() && phone.country)
    return `is a phone number of ${countryName(phone.country)}, not of ${name}`;
  return `is not a valid phone number of ${name} (like ${example})`;
}

// ── the address ──

export interface AddressIssueOptions {
  /** Prepended to each field name (`billingProfile.defaultAddress` → `billingProfile.defaultAddress.city`). */
  fieldPrefix: string;
  /** First and last name required (1–50), as for a contact's address. */
  requireContactName?: boolean;
}

const fieldName = (prefix: string, field: string) => (prefix ? `${prefix}.${field}` : field);

/** Every rule the address breaks, one issue per field, in field order. Empty when the address is valid. */
export function addressIssues(address: AddressInput, opts: AddressIssueOptions): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const add = (field: AddressField, reason: string | undefined) => {
    if (reason) issues.push({ field: fieldName(opts.fieldPrefix, field), reason });
  };
  const v = Object.fromEntries(ADDRESS_FIELDS.map((f) => [f, text(address[f])])) as Record<
    AddressField,
    string
  >;

  const countryReason = countryIssue(v.country);
  add('country', countryReason);
  const country = countryReason ? undefined : v.country.toUpperCase();

  add('addressLine1', v.addressLine1 === '' ? 'is required' : undefined);
  for (const f of ['addressLine1', 'addressLine2', 'addressLine3'] as const)
    if (length(v[f]) > LIMITS.addressLine) add(f, tooLong(LIMITS.addressLine, v[f]));

  add(
    'city',
    v.city === '' ? 'is required' : length(v.city) > LIMITS.city ? tooLong(LIMITS.city, v.city) : undefined,
  );
  add('region', length(v.region) > LIMITS.region ? tooLong(LIMITS.region, v.region) : undefined);

  if (country) {
    add('state', stateIssue(country, v.state));
    add('postalCode', postalCodeIssue(country, v.postalCode));
    add('phoneNumber', phoneIssue(country, v.phoneNumber));
  } else {
    // Without a country only the lengths can be judged.
    add('state', length(v.state) > LIMITS.state ? tooLong(LIMITS.state, v.state) : undefined);
    add(
      'postalCode',
      length(v.postalCode) > LIMITS.postalCode ? tooLong(LIMITS.postalCode, v.postalCode) : undefined,
    );
    add(
      'phoneNumber',
      length(v.phoneNumber) > LIMITS.phoneNumber ? tooLong(LIMITS.phoneNumber, v.phoneNumber) : undefined,
    );
  }

  for (const f of ['firstName', 'middleName', 'lastName'] as const) {
    if (v[f] === '' && opts.requireContactName && f !== 'middleName') add(f, 'is required');
    else if (length(v[f]) > LIMITS.name) add(f, tooLong(LIMITS.name, v[f]));
  }
  return issues.sort((a, b) => order(a.field) - order(b.field));
}

const order = (field: string) =>
  ADDRESS_FIELDS.indexOf(field.slice(field.lastIndexOf('.') + 1) as AddressField);

/**
 * The address normalised: spaces trimmed and collapsed, the country as its code, a state's name as its code
 * (US, CA, MX, CN), the postal code and phone number written the way the country writes them. Undefined when
 * that changes nothing. It may still have issues (a missing city stays missing).
 */
export function suggestAddress(address: AddressInput): Address | undefined {
  const v = Object.fromEntries(
    ADDRESS_FIELDS.map((f) => [f, text(address[f]).replace(/\s+/g, ' ')]),
  ) as Record<AddressField, string>;
  const country = countryFromText(v.country);
  if (country) {
    v.country = country;
    if (isStateRequired(country)) v.state = stateFromText(country, v.state) ?? v.state;
    v.postalCode = formatPostalCode(country, v.postalCode) ?? v.postalCode;
    v.phoneNumber = formatPhoneNumber(country, v.phoneNumber) ?? v.phoneNumber;
  } else {
    v.country = v.country.toUpperCase();
  }
  const changed = ADDRESS_FIELDS.some((f) => v[f] !== (address[f] ?? ''));
  return changed ? toAddress(v) : undefined;
}

/** The address as it should be stored: the suggestion where there is one, else the address as sent. */
export function normalizeAddress(address: AddressInput): Address {
  return suggestAddress(address) ?? toAddress(address);
}

/** The address with empty optional parts left out (required ones stay, empty, for the issues to name). */
export function toAddress(input: AddressInput): Address {
  const out: Record<string, string> = {};
  for (const f of ADDRESS_FIELDS) {
    const value = text(input[f]);
    if (value !== '' || f === 'country' || f === 'city' || f === 'addressLine1') out[f] = value;
  }
  return out as unknown as Address;
}

// ── registration number ──

export const REGISTRATION_NUMBER_FIELD = 'organizationRegistrationNumber';

/**
 * Partner Center's organisation registration number (INN and the like): required in the countries that use it
 * (1–50 letters, digits, spaces or hyphens) and refused everywhere else. The issue's field is
 * `${fieldPrefix}.organizationRegistrationNumber`. Nothing is said while the country itself is not valid.
 */
export function registrationNumberIssues(
  country: string,
  value: string | null | undefined,
  fieldPrefix: string,
): FieldIssue[] {
  const code = /^[A-Za-z]{2}$/.test(country.trim()) ? toCountryCode(country) : undefined;
  if (!code) return [];
  const field = fieldName(fieldPrefix, REGISTRATION_NUMBER_FIELD);
  const v = text(value);
  const name = countryName(code);
  if (!isRegistrationNumberRequired(code))
    return v === '' ? [] : [{ field, reason: `is not used for customers in ${name}; leave it empty` }];
  if (v === '') return [{ field, reason: `is required for customers in ${name}` }];
  if (length(v) > LIMITS.registrationNumber)
    return [{ field, reason: tooLong(LIMITS.registrationNumber, v) }];
  if (!/^[\p{L}\p{N}][\p{L}\p{N} -]*$/u.test(v))
    return [{ field, reason: 'may only contain letters, digits, spaces and hyphens' }];
  return [];
}
