// Country rules and address checks as a service: reference data, the same for every partner, so no caller
// context and no database. The customers module takes it as a dependency for its field-level checks.
import type { FieldIssue } from '../../lib/errors.ts';
import { AppError } from '../../lib/errors.ts';
import type { Page } from '../../lib/paging.ts';
import type { Address, AddressInput } from './countries.address.ts';
import {
  addressIssues,
  normalizeAddress,
  registrationNumberIssues,
  suggestAddress,
} from './countries.address.ts';
import type { CountryLanguage, CountryRules, CountrySummary } from './countries.data.ts';
import { countryRules, listCountries, normalizeCulture, normalizeLanguage } from './countries.data.ts';

export type AddressValidationStatus = 'verified' | 'verifiedWithSuggestions' | 'invalid';

export interface AddressValidation {
  originalAddress: AddressInput;
  /** Zero or one normalised address. */
  suggestedAddresses: Address[];
  status: AddressValidationStatus;
  /** What is wrong with the original address; empty unless `invalid`. */
  issues: FieldIssue[];
  /** True when there is a suggestion and it has no issues: it can be used as it is. */
  suggestedAddressValid: boolean;
  /** What would still be wrong with the suggestion (a missing city stays missing). */
  suggestedAddressIssues: FieldIssue[];
  attributes: { objectType: 'AddressValidation' };
}

export interface CountriesService {
  /** The country's validation rules; AppError countryNotFound for a code that is not an ISO 3166-1 country. */
  rules(iso2: string): CountryRules & { attributes: { objectType: 'CountryValidationRules' } };
  /** Every country, sorted by its name in `language`. */
  list(language?: CountryLanguage): Page<CountrySummary>;
  /** Checks the address and offers a normalised one; field names are `${fieldPrefix}.city` (bare without). */
  validateAddress(address: AddressInput, fieldPrefix?: string): AddressValidation;
  addressIssues: typeof addressIssues;
  suggestAddress: typeof suggestAddress;
  normalizeAddress: typeof normalizeAddress;
  registrationNumberIssues: typeof registrationNumberIssues;
  normalizeCulture: typeof normalizeCulture;
  normalizeLanguage: typeof normalizeLanguage;
}

export function createCountriesService(): CountriesService {
  return {
    rules(iso2) {
      const rules = countryRules(iso2);
      if (!rules) throw new AppError('countryNotFound');
      return { ...rules, attributes: { objectType: 'CountryValidationRules' } };
    },

    list(language = 'en') {
      const items = listCountries(language);
      return { items, totalCount: items.length };
    },

    validateAddress(address, fieldPrefix = '') {
      const issues = addressIssues(address, { fieldPrefix });
      const suggestion = suggestAddress(address);
      const suggestionIssues = suggestion ? addressIssues(suggestion, { fieldPrefix }) : [];
      // A valid address is never answered with a suggestion that is not: normalising cannot break an address,
      // and if it ever did, the address as sent is the better answer.
      const offered =
        suggestion && (issues.length > 0 || suggestionIssues.length === 0) ? suggestion : undefined;
      const status: AddressValidationStatus =
        issues.length > 0 ? 'invalid' : offered ? 'verifiedWithSuggestions' : 'verified';
      return {
        originalAddress: address,
        suggestedAddresses: offered ? [offered] : [],
        status,
        issues,
        suggestedAddressValid: offered !== undefined && suggestionIssues.length === 0,
        suggestedAddressIssues: offered ? suggestionIssues : [],
        attributes: { objectType: 'AddressValidation' },
      };
    },

    addressIssues,
    suggestAddress,
    normalizeAddress,
    registrationNumberIssues,
    normalizeCulture,
    normalizeLanguage,
  };
}
