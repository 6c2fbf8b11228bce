// The console's add-customer logic without a browser: which form input each API field name lands on, the one
// MS-RequestId per attempt sequence, the required fields a country's rules add, and the body Submit sends.
import { describe, expect, it } from 'vitest';
import type { AccountInfo } from '../web/src/features/customers/accountInfo.ts';
import { createBody, emptyAccountInfo, missingInputs } from '../web/src/features/customers/accountInfo.ts';
import type { RulesLike } from '../web/src/features/customers/model.ts';
import {
  agreementInput,
  apiProblems,
  inputForField,
  requestIdSequence,
} from '../web/src/features/customers/forms.ts';

const rules = (over: Partial<RulesLike>): RulesLike => ({
  name: 'United States',
  defaultCulture: 'en-US',
  isStateRequired: true,
  isPostalCodeRequired: true,
  phoneNumberRequired: false,
  isRegistrationNumberRequired: false,
  supportedLanguages: ['en'],
  ...over,
});
const US = rules({});
const RU = rules({
  name: 'Russia',
  defaultCulture: 'ru-RU',
  isStateRequired: false,
  phoneNumberRequired: true,
  isRegistrationNumberRequired: true,
  supportedLanguages: ['ru', 'en'],
});

function filled(): AccountInfo {
  const info = emptyAccountInfo('US');
  return {
    ...info,
    companyName: ' Fourth Coffee ',
    domainPrefix: 'FourthCoffee',
    contact: {
      firstName: 'Bea',
      lastName: 'Billing',
      email: 'bea@fourthcoffee.example',
      culture: '',
      language: '',
    },
    address: {
      ...info.address,
      addressLine1: '1 Coffee Way',
      city: 'Redmond',
      state: 'WA',
      postalCode: '98052',
    },
  };
}

describe('API field names to form inputs', () => {
  it('places every reason of an add-customer, billing or company refusal next to its input', () => {
    const cases: [string, string | undefined][] = [
      ['companyProfile.domain', 'domainPrefix'],
      ['companyProfile.companyName', 'companyName'],
      ['companyProfile.organizationRegistrationNumber', 'registrationNumber'],
      ['organizationRegistrationNumber', 'registrationNumber'],
      ['billingProfile.companyName', 'companyName'],
      ['billingProfile.email', 'email'],
      ['billingProfile.culture', 'culture'],
      ['billingProfile.defaultAddress.postalCode', 'postalCode'],
      ['billingProfile.defaultAddress.addressLine1', 'addressLine1'],
      // The address's contact is the billing contact in these forms.
      ['billingProfile.defaultAddress.firstName', 'firstName'],
      ['BillingProfile.DefaultAddress.PhoneNumber', 'phoneNumber'],
      // A billing-profile update names fields without the prefix.
      ['defaultAddress.state', 'state'],
      ['lastName', 'lastName'],
      ['customerAgreement.dateAgreed', 'dateAgreed'],
      ['customerAgreement.phoneNumber', 'agreementPhoneNumber'],
      ['billingProfile.defaultAddress.region', undefined],
      ['filter', undefined],
    ];
    for (const [field, input] of cases) expect(inputForField(field), field).toBe(input);
    expect(agreementInput('email')).toBe('agreementEmail');
  });

  it('joins several reasons for one input and lists a reason about no input on its own', () => {
    const error = {
      details: [
        { field: 'billingProfile.firstName', reason: 'is required' },
        { field: 'billingProfile.defaultAddress.firstName', reason: 'is required too' },
        { field: 'billingProfile.defaultAddress.region', reason: 'is too long' },
      ],
    };
    const { errors, problems } = apiProblems(error, inputForField);
    expect(errors).toEqual({ firstName: 'is required; is required too' });
    expect(problems).toContainEqual({ reason: 'billingProfile.defaultAddress.region: is too long' });
  });
});

describe('MS-RequestId per attempt sequence', () => {
  it('keeps the id while the same body is sent again, and takes a new one for a changed body', () => {
    const idFor = requestIdSequence();
    const first = idFor({ a: 1 });
    expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(idFor({ a: 1 })).toBe(first);
    const second = idFor({ a: 2 });
    expect(second).not.toBe(first);
    expect(idFor({ a: 2 })).toBe(second);
    expect(requestIdSequence()({ a: 1 })).not.toBe(first);
  });
});

describe('Account info', () => {
  it('asks only for required fields, as the country’s rules say', () => {
    expect(missingInputs(filled(), US, 'req')).toEqual({});
    const empty = missingInputs(emptyAccountInfo('US'), US, 'req');
    expect(Object.keys(empty).sort()).toEqual(
      [
        'addressLine1',
        'city',
        'companyName',
        'domainPrefix',
        'email',
        'firstName',
        'lastName',
        'postalCode',
        'state',
      ].sort(),
    );
    // Russia: no state, but a registration number and a phone.
    const ru = { ...filled(), address: { ...filled().address, country: 'RU', state: '' } };
    expect(Object.keys(missingInputs(ru, RU, 'req')).sort()).toEqual(['phoneNumber', 'registrationNumber']);
    // The agreement's fields, once the partner attests it.
    const attested = { ...filled(), agreementAccepted: true };
    expect(Object.keys(missingInputs(attested, US, 'req')).sort()).toEqual(
      ['agreementEmail', 'agreementFirstName', 'agreementLastName', 'dateAgreed'].sort(),
    );
  });

  it('sends the full domain, the country’s default culture, the billing contact on the address', () => {
    const body = createBody(filled(), US, 'onpartnerdesk.com');
    expect(body).toEqual({
      companyProfile: { domain: 'fourthcoffee.onpartnerdesk.com' },
      billingProfile: {
        firstName: 'Bea',
        lastName: 'Billing',
        email: 'bea@fourthcoffee.example',
        culture: 'en-US',
        language: 'en',
        companyName: 'Fourth Coffee',
        defaultAddress: {
          country: 'US',
          state: 'WA',
          city: 'Redmond',
          addressLine1: '1 Coffee Way',
          addressLine2: undefined,
          postalCode: '98052',
          phoneNumber: undefined,
          firstName: 'Bea',
          lastName: 'Billing',
        },
      },
    });
  });

  it('sends a registration number only where the country asks for one, and the agreement only when attested', () => {
    const info = { ...filled(), registrationNumber: '7707083893' };
    expect(createBody(info, US, 'x.com').companyProfile).not.toHaveProperty('organizationRegistrationNumber');
    const ru = { ...info, address: { ...info.address, country: 'RU' } };
    const body = createBody(ru, RU, 'x.com');
    expect(body.companyProfile.organizationRegistrationNumber).toBe('7707083893');
    expect(body.billingProfile.culture).toBe('ru-RU');
    expect(body.billingProfile.language).toBe('ru');
    expect(body).not.toHaveProperty('customerAgreement');
    const attested = createBody(
      {
        ...info,
        agreementAccepted: true,
        agreement: {
          firstName: 'Sid',
          lastName: 'Signer',
          email: 'sid@x.example',
          phoneNumber: ' ',
          dateAgreed: '2026-01-20',
          dateValid: true,
        },
      },
      US,
      'x.com',
    );
    expect(attested.customerAgreement).toEqual({
      firstName: 'Sid',
      lastName: 'Signer',
      email: 'sid@x.example',
      dateAgreed: '2026-01-20',
    });
  });
});
