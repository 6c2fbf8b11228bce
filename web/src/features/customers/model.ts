// The customer forms' values and the rules they follow, without React or the API client, so that they can be
// tested on their own: an address and a billing contact as the forms hold them, what a country's rules make
// required, and the culture and language that apply when none is chosen.

/** What the forms read of a country's validation rules (GET /v1/countryvalidationrules/{iso2}). */
export interface RulesLike {
  name: string;
  defaultCulture: string;
  supportedLanguages: string[];
  isStateRequired: boolean;
  isPostalCodeRequired: boolean;
  phoneNumberRequired: boolean;
  isRegistrationNumberRequired: boolean;
}

export interface AddressValue {
  country: string;
  state: string;
  city: string;
  addressLine1: string;
  addressLine2: string;
  postalCode: string;
  phoneNumber: string;
}

export const emptyAddress = (country = ''): AddressValue => ({
  country,
  state: '',
  city: '',
  addressLine1: '',
  addressLine2: '',
  postalCode: '',
  phoneNumber: '',
});

/** The address as the API takes it: empty parts left out. */
export function addressBody(a: AddressValue) {
  const v = (s: string) => (s.trim() === '' ? undefined : s.trim());
  return {
    country: a.country,
    state: v(a.state),
    city: a.city.trim(),
    addressLine1: a.addressLine1.trim(),
    addressLine2: v(a.addressLine2),
    postalCode: v(a.postalCode),
    phoneNumber: v(a.phoneNumber),
  };
}

/** The inputs the country's rules require that are still empty. */
export function missingAddressParts(a: AddressValue, rules: RulesLike | undefined): (keyof AddressValue)[] {
  const required: (keyof AddressValue)[] = ['country', 'addressLine1', 'city'];
  if (rules?.isStateRequired) required.push('state');
  if (rules?.isPostalCodeRequired) required.push('postalCode');
  if (rules?.phoneNumberRequired) required.push('phoneNumber');
  return required.filter((k) => a[k].trim() === '');
}

export interface ContactValue {
  firstName: string;
  lastName: string;
  email: string;
  /** '' = the country's default. */
  culture: string;
  /** '' = the chosen culture's language. */
  language: string;
}

/** The culture and language that apply: the chosen ones, else the country's defaults. */
export function effectiveLocale(
  value: Pick<ContactValue, 'culture' | 'language'>,
  rules: RulesLike | undefined,
): { culture: string; language: string } {
  const culture = value.culture || rules?.defaultCulture || '';
  const fromCulture = culture.split('-')[0] ?? '';
  const language =
    value.language ||
    (rules
      ? rules.supportedLanguages.includes(fromCulture)
        ? fromCulture
        : rules.supportedLanguages[0]
      : '') ||
    '';
  return { culture, language };
}
