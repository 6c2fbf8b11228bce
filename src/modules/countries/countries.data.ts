// Country reference data, taken from maintained sources instead of tables of our own: ISO 3166-1 countries and
// ISO 3166-2 subdivisions (iso-3166), postal code patterns (postcode-validator), calling codes and example
// numbers (libphonenumber-js), and names, languages and likely cultures from the runtime's ICU (Intl). What is
// ours is Partner Center's rules: which countries require a state or a registration number, and the shape of
// its "country validation rules" resource. Pure: no I/O, safe to import anywhere.
import { iso31661, iso31662 } from 'iso-3166';
import { getCountryCallingCode, getExampleNumber, isSupportedCountry } from 'libphonenumber-js/max';
import examples from 'libphonenumber-js/mobile/examples';
import { postcodeValidator, postcodeValidatorExistsForCountry } from 'postcode-validator';
// The package exports no regex from its entry point; its compiled map is a stable file of the pinned version.
import { POSTCODE_REGEXES } from 'postcode-validator/lib/cjs/postcode-regexes.js';

export type CountryLanguage = 'en' | 'ru' | 'de';

export interface State {
  /** The ISO 3166-2 code without the country prefix (`WA` for US-WA). */
  code: string;
  name: string;
}

/** Partner Center's "country validation rules" resource, camelCase. */
export interface CountryRules {
  iso2Code: string;
  name: string;
  defaultCulture: string;
  isStateRequired: boolean;
  states: State[];
  isPostalCodeRequired: boolean;
  postalCodeRegex?: string;
  isCityRequired: boolean;
  phoneNumberRequired: boolean;
  phoneNumberExample?: string;
  countryCallingCodes: string[];
  isRegistrationNumberRequired: boolean;
  supportedLanguages: string[];
  supportedCultures: string[];
}

export interface CountrySummary {
  iso2Code: string;
  name: string;
  isStateRequired: boolean;
  isRegistrationNumberRequired: boolean;
}

/** Every assigned ISO 3166-1 alpha-2 code, in code order. */
export const COUNTRIES: readonly string[] = iso31661.map((c) => c.alpha2).sort();
const COUNTRY_SET = new Set(COUNTRIES);

/** Whether `code` is an assigned ISO 3166-1 alpha-2 code (any case, surrounding spaces ignored). */
export function isCountry(code: string): boolean {
  return COUNTRY_SET.has(code.trim().toUpperCase());
}

/** The canonical (upper-case) alpha-2 code, or undefined for anything that is not one. */
export function toCountryCode(text: string): string | undefined {
  const code = text.trim().toUpperCase();
  return COUNTRY_SET.has(code) ? code : undefined;
}

// ── Partner Center's rules (PRODUCT.md feature 2, reference §8.2–8.4) ──

/** Where the state is checked against a list: "United States, Canada, China, or Mexico". */
export const STATE_REQUIRED_COUNTRIES: readonly string[] = ['US', 'CA', 'MX', 'CN'];
/** "Only required for … these countries. For other countries this should not be specified." */
export const REGISTRATION_NUMBER_COUNTRIES: readonly string[] = [
  'AM',
  'AZ',
  'BY',
  'HU',
  'KZ',
  'KG',
  'MD',
  'RU',
  'TJ',
  'UZ',
  'UA',
];
/**
 * ISO 3166-2 lists the US outlying areas among the US subdivisions, but ISO 3166-1 also gives each its own
 * country code, and an address there names that country (PR, GU…): Partner Center's own US list is the 50
 * states and DC. Keeping them out means one way, not two, to write such an address.
 */
export const US_OUTLYING_AREAS: readonly string[] = ['AS', 'GU', 'MP', 'PR', 'UM', 'VI'];

export const isStateRequired = (country: string) => STATE_REQUIRED_COUNTRIES.includes(country);
export const isRegistrationNumberRequired = (country: string) =>
  REGISTRATION_NUMBER_COUNTRIES.includes(country);

// ── names ──

const displayNames = new Map<string, Intl.DisplayNames>();
function regionNames(language: string): Intl.DisplayNames {
  let names = displayNames.get(language);
  if (!names) {
    names = new Intl.DisplayNames([language], { type: 'region', fallback: 'none' });
    displayNames.set(language, names);
  }
  return names;
}

const ISO_NAMES = new Map(iso31661.map((c) => [c.alpha2, c.name]));

/** The country's name in `language` (ICU's everyday name, e.g. "United States"); ISO's name as a fallback. */
export function countryName(country: string, language: CountryLanguage = 'en'): string {
  return regionNames(language).of(country) ?? ISO_NAMES.get(country) ?? country;
}

// ── states ──

const STATES = new Map<string, State[]>(
  STATE_REQUIRED_COUNTRIES.map((country) => [
    country,
    iso31662
      .filter((s) => s.parent === country)
      .map((s) => ({ code: s.code.slice(country.length + 1), name: s.name }))
      .filter((s) => country !== 'US' || !US_OUTLYING_AREAS.includes(s.code)),
  ]),
);

/** The states an address in `country` must use (empty where the state is free text). */
export function statesOf(country: string): State[] {
  return STATES.get(country) ?? [];
}

// ── postal codes ──

function postalPattern(country: string): RegExp | undefined {
  return postcodeValidatorExistsForCountry(country)
    ? POSTCODE_REGEXES.get(country as Parameters<typeof POSTCODE_REGEXES.get>[0])
    : undefined;
}

/** Whether the country has postal codes that we can check. */
export const hasPostalCodePattern = (country: string) => postalPattern(country) !== undefined;

/** Required where the country has a pattern that an empty code does not match (some make the code optional). */
export function isPostalCodeRequired(country: string): boolean {
  const pattern = postalPattern(country);
  return pattern !== undefined && !pattern.test('');
}

/** Whether `code` is a postal code of `country`; true where the country has no pattern to check against. */
export function isPostalCode(country: string, code: string): boolean {
  return hasPostalCodePattern(country) ? postcodeValidator(code, country) : true;
}

/**
 * The pattern as a plain, anchored regular expression string that means the same without flags: clients
 * apply it without our flags, so a case-insensitive pattern (GB, CA) spells out both cases of each letter.
 */
export function postalCodeRegex(country: string): string | undefined {
  const pattern = postalPattern(country);
  if (!pattern) return undefined;
  const source = pattern.flags.includes('i') ? caseInsensitiveSource(pattern.source) : pattern.source;
  return source.startsWith('^') && source.endsWith('$') ? source : `^(?:${source})$`;
}

const isLetter = (ch: string) => /^[A-Za-z]$/.test(ch);
const otherCase = (ch: string) => (ch === ch.toUpperCase() ? ch.toLowerCase() : ch.toUpperCase());

/** Rewrites a regex source so that, without the `i` flag, it matches what it matched with it (ASCII letters). */
export function caseInsensitiveSource(source: string): string {
  let out = '';
  for (let i = 0; i < source.length; i++) {
    const ch = source[i]!;
    if (ch === '\\') {
      out += ch + (source[i + 1] ?? '');
      i++;
    } else if (ch === '[') {
      // A character class: keep it, and add the other case of each letter and letter range before its end.
      let j = i + 1;
      let body = '';
      let extra = '';
      if (source[j] === '^') body += source[j++];
      for (; j < source.length && source[j] !== ']'; j++) {
        const c = source[j]!;
        if (c === '\\') {
          body += c + (source[j + 1] ?? '');
          j++;
        } else if (isLetter(c) && source[j + 1] === '-' && isLetter(source[j + 2] ?? '')) {
          const to = source[j + 2]!;
          body += `${c}-${to}`;
          extra += `${otherCase(c)}-${otherCase(to)}`;
          j += 2;
        } else {
          body += c;
          if (isLetter(c)) extra += otherCase(c);
        }
      }
      out += `[${body}${extra}]`;
      i = j;
    } else if (isLetter(ch)) {
      out += `[${ch}${otherCase(ch)}]`;
    } else {
      out += ch;
    }
  }
  return out;
}

/**
 * A format mask of the country's postal codes for people (`A9A 9A9` for Canada: A a letter, 9 a digit), read
 * from the first alternative of its pattern; undefined where the pattern uses more than this reader knows.
 */
export function postalCodeFormat(country: string): string | undefined {
  const pattern = postalPattern(country);
  if (!pattern) return undefined;
  try {
    const mask = maskOf(pattern.source.replace(/^\^/, '').replace(/\$$/, ''));
    return mask && /[A9]/.test(mask) ? mask : undefined;
  } catch {
    return undefined;
  }
}

const SEPARATORS = new Set([' ', '-']);

/** The mask of a regex source: first alternative, optional parts left out except separators. */
function maskOf(source: string): string {
  const alternatives = splitTopLevel(source);
  const first = alternatives[0] ?? '';
  let out = '';
  let i = 0;
  while (i < first.length) {
    let atom: string;
    let next: number;
    const ch = first[i]!;
    if (ch === '\\') {
      const e = first[i + 1] ?? '';
      atom = e === 'd' ? '9' : e === 's' ? ' ' : /[A-Za-z]/.test(e) ? fail() : e;
      next = i + 2;
    } else if (ch === '[') {
      const end = first.indexOf(']', i + 1);
      if (end < 0) fail();
      atom = classMask(first.slice(i + 1, end));
      next = end + 1;
    } else if (ch === '(') {
      const end = closingParen(first, i);
      let inner = first.slice(i + 1, end);
      if (inner.startsWith('?=') || inner.startsWith('?!')) {
        i = end + 1;
        continue; // a lookahead adds no characters
      }
      if (inner.startsWith('?:')) inner = inner.slice(2);
      else if (inner.startsWith('?')) fail();
      atom = maskOf(inner);
      next = end + 1;
    } else if ('^$|)]{}*+?.'.includes(ch)) {
      fail();
    } else {
      atom = ch;
      next = i + 1;
    }
    const quantifier = /^(?:\?|\*|\+|\{(\d+)(?:,\d*)?\})/.exec(first.slice(next));
    let times = 1;
    if (quantifier) {
      next += quantifier[0].length;
      if (quantifier[0] === '?' || quantifier[0] === '*')
        times = atom !== '' && [...atom].every((c) => SEPARATORS.has(c)) ? 1 : 0;
      else if (quantifier[1] !== undefined) times = Number(quantifier[1]);
    }
    out += atom!.repeat(times);
    i = next!;
  }
  return out;
}

function fail(): never {
  throw new Error('unsupported pattern');
}

function classMask(body: string): string {
  if (body.startsWith('^')) fail();
  const plain = body.replace(/\\-/g, '-').replace(/\\d/g, '0-9');
  if (/^[ -]+$/.test(plain)) return plain[0]!;
  if (/^[0-9-]+$/.test(plain) && /[0-9]/.test(plain)) return '9';
  if (/^[A-Za-z-]+$/.test(plain) && /[A-Za-z]/.test(plain)) return 'A';
  return fail();
}

function closingParen(source: string, open: number): number {
  let depth = 0;
  let inClass = false;
  for (let i = open; i < source.length; i++) {
    const ch = source[i]!;
    if (ch === '\\') i++;
    else if (inClass) inClass = ch !== ']';
    else if (ch === '[') inClass = true;
    else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return i;
  }
  return fail();
}

function splitTopLevel(source: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let inClass = false;
  let start = 0;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i]!;
    if (ch === '\\') i++;
    else if (inClass) inClass = ch !== ']';
    else if (ch === '[') inClass = true;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === '|' && depth === 0) {
      parts.push(source.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(source.slice(start));
  return parts;
}

// ── phone numbers ──

/** Calling codes of the country (`["1"]` for US); empty where the numbering plan has none. */
export function callingCodes(country: string): string[] {
  return isSupportedCountry(country) ? [getCountryCallingCode(country)] : [];
}

/** An example number of the country in international format, where libphonenumber has one. */
export function phoneNumberExample(country: string): string | undefined {
  return isSupportedCountry(country) ? getExampleNumber(country, examples)?.formatInternational() : undefined;
}

// ── languages and cultures ──

const languageNames = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });
const isKnownLanguage = (code: string) => languageNames.of(code) !== undefined;

/** Canonical form of a tag, or undefined where Intl refuses it. */
function canonical(tag: string): Intl.Locale | undefined {
  try {
    const [first] = Intl.getCanonicalLocales(tag);
    return first ? new Intl.Locale(first) : undefined;
  } catch {
    return undefined;
  }
}

/** A two-letter language code that Intl knows (`En` → `en`, `iw` → `he`), or undefined. */
export function normalizeLanguage(text: string): string | undefined {
  const t = text.trim();
  if (!/^[A-Za-z]{2}$/.test(t)) return undefined;
  const locale = canonical(t);
  if (!locale || locale.language.length !== 2 || !isKnownLanguage(locale.language)) return undefined;
  return locale.language;
}

/**
 * A culture as `ll-CC` (`EN-US` → `en-US`, `de_de` → `de-DE`): a two-letter language Intl knows and an ISO
 * 3166-1 country; undefined for anything else (scripts, variants, numeric regions, made-up codes).
 */
export function normalizeCulture(text: string): string | undefined {
  const t = text.trim().replace('_', '-');
  if (!/^[A-Za-z]{2}-[A-Za-z]{2}$/.test(t)) return undefined;
  const locale = canonical(t);
  if (!locale || !locale.region || locale.language.length !== 2) return undefined;
  if (!isKnownLanguage(locale.language) || !COUNTRY_SET.has(locale.region)) return undefined;
  return `${locale.language}-${locale.region}`;
}

/**
 * The country's likely language from ICU's likely subtags (`und-RU` → `ru`). Where that language has no
 * two-letter code (Filipino in PH, Papiamento in CW) it is English, which the billing profile's two-letter
 * `language` field can hold.
 */
function likelyLanguage(country: string): string {
  const language = new Intl.Locale(`und-${country}`).maximize().language;
  return language.length === 2 && isKnownLanguage(language) ? language : 'en';
}

/**
 * Languages a customer in `country` may choose: its likely language and English (Partner Center always
 * corresponds in English). Intl exposes no list of a country's official languages, so no others are guessed.
 */
export function supportedLanguages(country: string): string[] {
  return [...new Set([likelyLanguage(country), 'en'])];
}

/** Cultures: each supported language with the country (`ru-RU`, `en-RU`); the first is the default. */
export function supportedCultures(country: string): string[] {
  return supportedLanguages(country).map((language) => `${language}-${country}`);
}

// ── the rules resource ──

const rulesCache = new Map<string, CountryRules>();

/** Partner Center's validation rules of a country, or undefined for a code that is not a country. */
export function countryRules(iso2: string): CountryRules | undefined {
  const country = toCountryCode(iso2);
  if (!country) return undefined;
  let rules = rulesCache.get(country);
  if (!rules) {
    const regex = postalCodeRegex(country);
    const example = phoneNumberExample(country);
    const cultures = supportedCultures(country);
    rules = {
      iso2Code: country,
      name: countryName(country),
      defaultCulture: cultures[0]!,
      isStateRequired: isStateRequired(country),
      states: statesOf(country),
      isPostalCodeRequired: isPostalCodeRequired(country),
      ...(regex ? { postalCodeRegex: regex } : {}),
      isCityRequired: true,
      phoneNumberRequired: isRegistrationNumberRequired(country),
      ...(example ? { phoneNumberExample: example } : {}),
      countryCallingCodes: callingCodes(country),
      isRegistrationNumberRequired: isRegistrationNumberRequired(country),
      supportedLanguages: supportedLanguages(country),
      supportedCultures: cultures,
    };
    rulesCache.set(country, rules);
  }
  return rules;
}

const listCache = new Map<CountryLanguage, CountrySummary[]>();

/** Every country with the flags a country picker needs, sorted by its name in `language`. */
export function listCountries(language: CountryLanguage = 'en'): CountrySummary[] {
  let list = listCache.get(language);
  if (!list) {
    const collator = new Intl.Collator([language]);
    list = COUNTRIES.map((country) => ({
      iso2Code: country,
      name: countryName(country, language),
      isStateRequired: isStateRequired(country),
      isRegistrationNumberRequired: isRegistrationNumberRequired(country),
    })).sort((a, b) => collator.compare(a.name, b.name));
    listCache.set(language, list);
  }
  return list;
}
