// The Account info step's data: what the form holds, the inputs it checks itself (only that required ones are
// filled), and the POST /v1/customers body it becomes.
import type { FieldErrors } from './forms.ts';
import type { AddressValue, ContactValue, RulesLike } from './model.ts';
import { addressBody, effectiveLocale, emptyAddress, missingAddressParts } from './model.ts';

export interface AgreementValue {
  firstName: string;
  lastName: string;
  email: string;
  phoneNumber: string;
  /** YYYY-MM-DD, or undefined while empty or unreadable (then `dateValid` tells which). */
  dateAgreed: string | undefined;
  dateValid: boolean;
}

export interface AccountInfo {
  companyName: string;
  domainPrefix: string;
  contact: ContactValue;
  address: AddressValue;
  registrationNumber: string;
  /** The partner attests that the customer accepted the customer agreement; else the customer is asked later. */
  agreementAccepted: boolean;
  agreement: AgreementValue;
}

export function emptyAccountInfo(country: string): AccountInfo {
  return {
    companyName: '',
    domainPrefix: '',
    contact: { firstName: '', lastName: '', email: '', culture: '', language: '' },
    address: emptyAddress(country),
    registrationNumber: '',
    agreementAccepted: false,
    agreement: {
      firstName: '',
      lastName: '',
      email: '',
      phoneNumber: '',
      dateAgreed: undefined,
      dateValid: true,
    },
  };
}

/** Every input of the step, in the order the form shows them (the error summary's order). */
export const ACCOUNT_INPUTS = [
  'companyName',
  'domainPrefix',
  'registrationNumber',
  'firstName',
  'lastName',
  'email',
  'culture',
  'language',
  'country',
  'addressLine1',
  'addressLine2',
  'city',
  'state',
  'postalCode',
  'phoneNumber',
  'agreementFirstName',
  'agreementLastName',
  'agreementEmail',
  'agreementPhoneNumber',
  'dateAgreed',
] as const;

/** The required inputs still empty, each with `message`. An unreadable date is the date field's own error. */
export function missingInputs(info: AccountInfo, rules: RulesLike | undefined, message: string): FieldErrors {
  const empty = (s: string) => s.trim() === '';
  const errors: FieldErrors = {};
  const need = (input: string, value: string) => {
    if (empty(value)) errors[input] = message;
  };
  need('companyName', info.companyName);
  need('domainPrefix', info.domainPrefix);
  need('firstName', info.contact.firstName);
  need('lastName', info.contact.lastName);
  need('email', info.contact.email);
  const locale = effectiveLocale(info.contact, rules);
  need('culture', locale.culture);
  need('language', locale.language);
  for (const part of missingAddressParts(info.address, rules)) errors[part] = message;
  if (rules?.isRegistrationNumberRequired) need('registrationNumber', info.registrationNumber);
  if (info.agreementAccepted) {
    need('agreementFirstName', info.agreement.firstName);
    need('agreementLastName', info.agreement.lastName);
    need('agreementEmail', info.agreement.email);
    if (info.agreement.dateValid && !info.agreement.dateAgreed) errors.dateAgreed = message;
  }
  return errors;
}

/** The POST /v1/customers body. */
export function createBody(info: AccountInfo, rules: RulesLike | undefined, suffix: string) {
  const trim = (s: string) => s.trim();
  const { culture, language } = effectiveLocale(info.contact, rules);
  const a = info.agreement;
  return {
    companyProfile: {
      domain: `${trim(info.domainPrefix).toLowerCase()}.${suffix}`,
      // Refused by the API where the country does not use one: sent only where it is asked for.
      ...(rules?.isRegistrationNumberRequired
        ? { organizationRegistrationNumber: trim(info.registrationNumber) }
        : {}),
    },
    billingProfile: {
      firstName: trim(info.contact.firstName),
      lastName: trim(info.contact.lastName),
      email: trim(info.contact.email),
      culture,
      language,
      companyName: trim(info.companyName),
      // The address's contact is the billing contact (the form asks for one person).
      defaultAddress: {
        ...addressBody(info.address),
        firstName: trim(info.contact.firstName),
        lastName: trim(info.contact.lastName),
      },
    },
    ...(info.agreementAccepted
      ? {
          customerAgreement: {
            firstName: trim(a.firstName),
            lastName: trim(a.lastName),
            email: trim(a.email),
            ...(trim(a.phoneNumber) ? { phoneNumber: trim(a.phoneNumber) } : {}),
            dateAgreed: a.dateAgreed ?? '',
          },
        }
      : {}),
  };
}
