// Shapes of the country reference data and address validation API, after Partner Center's
// `countryvalidationrules` and `validations/address` resources (camelCase).
import { Type } from 'typebox';
import { Collection } from '../../http/schemas.ts';
import { LANGUAGES, errors } from '../partners/partners.schemas.ts';
import { ADDRESS_FIELDS, LIMITS } from './countries.address.ts';

const TAGS = ['Countries'];

const literals = <T extends string>(values: readonly T[], description?: string) =>
  Type.Enum([...values] as T[], description ? { description } : {});

const FIELD_DESCRIPTIONS: Record<(typeof ADDRESS_FIELDS)[number], string> = {
  country: 'ISO 3166-1 alpha-2 code, e.g. US',
  region: `Region (at most ${LIMITS.region} characters)`,
  city: `City (required, at most ${LIMITS.city} characters)`,
  state: 'State: for US, CA, MX and CN its code from the country’s rules (e.g. WA); elsewhere free text',
  addressLine1: `First line (required, 1–${LIMITS.addressLine} characters)`,
  addressLine2: `At most ${LIMITS.addressLine} characters`,
  addressLine3: `At most ${LIMITS.addressLine} characters`,
  postalCode: 'Postal code; required where the country has them, and must match its pattern',
  firstName: `Contact’s first name (at most ${LIMITS.name} characters)`,
  middleName: `Contact’s middle name (at most ${LIMITS.name} characters)`,
  lastName: `Contact’s last name (at most ${LIMITS.name} characters)`,
  phoneNumber:
    'Phone number of the country, national or international format; required in the countries that ' +
    'require a registration number',
};

// Generous on purpose: the field rules (countries.address.ts) answer with reasons people understand, which a
// schema's maxLength would pre-empt with a terse 400.
const InputText = (description: string) =>
  Type.Optional(Type.Union([Type.String({ maxLength: 1000 }), Type.Null()], { description }));

export const AddressInputSchema = Type.Object(
  Object.fromEntries(ADDRESS_FIELDS.map((f) => [f, InputText(FIELD_DESCRIPTIONS[f])])) as Record<
    (typeof ADDRESS_FIELDS)[number],
    ReturnType<typeof InputText>
  >,
  {
    additionalProperties: false,
    description:
      'An address as sent: any part may be missing; the rules, not the schema, say what is required',
  },
);

export const AddressSchema = Type.Object(
  {
    country: Type.String({ description: FIELD_DESCRIPTIONS.country }),
    region: Type.Optional(Type.String()),
    city: Type.String(),
    state: Type.Optional(Type.String()),
    addressLine1: Type.String(),
    addressLine2: Type.Optional(Type.String()),
    addressLine3: Type.Optional(Type.String()),
    postalCode: Type.Optional(Type.String()),
    firstName: Type.Optional(Type.String()),
    middleName: Type.Optional(Type.String()),
    lastName: Type.Optional(Type.String()),
    phoneNumber: Type.Optional(Type.String()),
  },
  { description: 'An address, trimmed, with empty optional parts left out' },
);

export const FieldIssueSchema = Type.Object({
  field: Type.String({ description: 'The field, e.g. `postalCode`' }),
  reason: Type.String({ description: 'What is wrong, as a sentence' }),
});

export const AddressValidationSchema = Type.Object({
  originalAddress: AddressInputSchema,
  suggestedAddresses: Type.Array(AddressSchema, {
    maxItems: 1,
    description: 'The address normalised (codes, spacing, postal code and phone formats), if that changes it',
  }),
  status: literals(
    ['verified', 'verifiedWithSuggestions', 'invalid'] as const,
    '`verified`: valid as sent; `verifiedWithSuggestions`: valid, and a normalised form is suggested; ' +
      '`invalid`: see `issues` (a suggestion may still be offered)',
  ),
  issues: Type.Array(FieldIssueSchema, { description: 'What is wrong with the address as sent' }),
  suggestedAddressValid: Type.Boolean({
    description: 'True when a suggestion is offered and it has no issues, so it can be used as it is',
  }),
  suggestedAddressIssues: Type.Array(FieldIssueSchema, {
    description: 'What would still be wrong with the suggestion (e.g. a missing city)',
  }),
  attributes: Type.Object({ objectType: Type.Literal('AddressValidation') }),
});

const StateSchema = Type.Object({
  code: Type.String({ description: 'ISO 3166-2 code without the country prefix, e.g. WA' }),
  name: Type.String(),
});

export const CountryRulesSchema = Type.Object({
  iso2Code: Type.String({ description: 'ISO 3166-1 alpha-2 code' }),
  name: Type.String({ description: 'English name' }),
  defaultCulture: Type.String({ description: 'll-CC, from the country’s likely language, e.g. en-US' }),
  isStateRequired: Type.Boolean(),
  states: Type.Array(StateSchema, { description: 'The valid states where one is required; else empty' }),
  isPostalCodeRequired: Type.Boolean(),
  postalCodeRegex: Type.Optional(
    Type.String({ description: 'Anchored pattern of the country’s postal codes, where it has one' }),
  ),
  isCityRequired: Type.Boolean(),
  phoneNumberRequired: Type.Boolean(),
  phoneNumberExample: Type.Optional(Type.String({ description: 'An example number, international format' })),
  countryCallingCodes: Type.Array(Type.String(), { description: 'e.g. ["1"]' }),
  isRegistrationNumberRequired: Type.Boolean({
    description: 'Organisation registration number required; in other countries it must not be given',
  }),
  supportedLanguages: Type.Array(Type.String(), { description: 'Two-letter codes; English always' }),
  supportedCultures: Type.Array(Type.String(), { description: 'll-CC cultures; the first is the default' }),
  attributes: Type.Object({ objectType: Type.Literal('CountryValidationRules') }),
});

export const CountrySummarySchema = Type.Object({
  iso2Code: Type.String(),
  name: Type.String({ description: 'In the requested language' }),
  isStateRequired: Type.Boolean(),
  isRegistrationNumberRequired: Type.Boolean(),
});

export const rulesSchema = {
  tags: TAGS,
  summary: 'A country’s address and profile rules',
  description:
    'Partner Center’s country validation rules: whether a state is required and the valid states (US, CA, ' +
    'MX, CN), the postal code pattern, phone and registration number requirements, calling codes, and the ' +
    'languages and cultures a customer there may choose. The code is matched case-insensitively.',
  params: Type.Object({
    iso2: Type.String({ pattern: '^[A-Za-z]{2}$', description: 'ISO 3166-1 alpha-2 code, e.g. US' }),
  }),
  response: { 200: CountryRulesSchema, ...errors(400, 401, 403, 404) },
};

export const listSchema = {
  tags: TAGS,
  summary: 'Every country, for country pickers',
  description:
    'All ISO 3166-1 countries with their names in the requested language, sorted by that name, and whether ' +
    'an address there needs a state and a customer a registration number. One page holds them all.',
  querystring: Type.Object({
    language: Type.Optional(literals(LANGUAGES, 'Language of the names (default en)')),
  }),
  response: { 200: Collection(CountrySummarySchema), ...errors(400, 401, 403) },
};

export const validateAddressSchema = {
  tags: TAGS,
  summary: 'Check an address and get a normalised suggestion',
  description:
    'Checks the address against its country’s rules and answers 200 with `status` for any well-formed body, ' +
    'valid or not: `issues` names each field that breaks a rule, with the reason. A normalised address ' +
    '(state names as codes, postal codes and phone numbers written as the country writes them, spacing) is ' +
    'offered in `suggestedAddresses`; `suggestedAddressValid` says whether it can be used as it is. Nothing ' +
    'is looked up: the suggestion never adds a city or street. A 400 only for a body that is not an address.',
  body: AddressInputSchema,
  response: { 200: AddressValidationSchema, ...errors(400, 401, 403, 409, 413, 415) },
};
