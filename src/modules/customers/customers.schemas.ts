// Request and response shapes of customer accounts, in Partner Center's resource model: a Customer with its
// companyProfile and billingProfile (defaultAddress), domains, the relationship to the calling partner and the
// customer agreement. Field limits here are generous on purpose: the service checks the real rules and answers
// each broken one as a field-level reason (PRODUCT.md feature 2), which a schema error could not say as well.
import { Type } from 'typebox';
import { Attributes, Collection, DateTime, PageQuery, Uuid } from '../../http/schemas.ts';
import { INSTANCE_IDS } from '../instances/instances.ts';
import { errors } from '../partners/partners.schemas.ts';
import { LineItemsSchema, OrderSchema } from '../subscriptions/subscriptions.schemas.ts';

export { errors };

const Text = (maxLength: number, description?: string) =>
  Type.String({ maxLength, ...(description ? { description } : {}) });
const OptionalText = (maxLength: number, description?: string) =>
  Type.Optional(Type.Union([Text(maxLength, description), Type.Null()]));

export const AddressSchema = Type.Object(
  {
    country: Text(100, 'ISO 3166-1 alpha-2 country code, e.g. US'),
    region: OptionalText(1000),
    city: Text(1000),
    state: OptionalText(1000, 'Required in US, CA, MX and CN: the state or province code, e.g. WA'),
    addressLine1: Text(1000, '1–200 characters'),
    addressLine2: OptionalText(1000, 'Up to 200 characters'),
    addressLine3: OptionalText(1000, 'Up to 200 characters'),
    postalCode: OptionalText(1000, 'Required where the country has postal codes, in its format'),
    firstName: OptionalText(1000, 'Primary contact, 1–50 characters'),
    middleName: OptionalText(1000),
    lastName: OptionalText(1000, 'Primary contact, 1–50 characters'),
    phoneNumber: OptionalText(1000, 'Required in AM, AZ, BY, HU, KZ, KG, MD, RU, TJ, UZ, UA'),
  },
  { description: 'A postal address with its contact (Partner Center `Address`)' },
);

const AddressView = Type.Object({
  country: Type.String(),
  region: Type.Union([Type.String(), Type.Null()]),
  city: Type.String(),
  state: Type.Union([Type.String(), Type.Null()]),
  addressLine1: Type.String(),
  addressLine2: Type.Union([Type.String(), Type.Null()]),
  addressLine3: Type.Union([Type.String(), Type.Null()]),
  postalCode: Type.Union([Type.String(), Type.Null()]),
  firstName: Type.Union([Type.String(), Type.Null()]),
  middleName: Type.Union([Type.String(), Type.Null()]),
  lastName: Type.Union([Type.String(), Type.Null()]),
  phoneNumber: Type.Union([Type.String(), Type.Null()]),
});

export const CompanyProfileSchema = Type.Object({
  tenantId: Uuid,
  domain: Type.String({ description: 'The primary domain, <prefix>.<instance domain suffix>' }),
  companyName: Type.String(),
  organizationRegistrationNumber: Type.Union([Type.String(), Type.Null()]),
  attributes: Attributes('CustomerCompanyProfile'),
});

export const BillingProfileSchema = Type.Object({
  id: Uuid,
  firstName: Type.String({ description: 'Billing contact' }),
  lastName: Type.String(),
  email: Type.String(),
  culture: Type.String({ description: 'e.g. en-US' }),
  language: Type.String({ description: 'Two-letter code, e.g. en' }),
  companyName: Type.String({ description: 'Bill-to company name; the name the customer list shows' }),
  defaultAddress: AddressView,
  attributes: Attributes('CustomerBillingProfile'),
});

export const AgreementSchema = Type.Object({
  id: Uuid,
  agreementType: Type.Literal('customerAgreement'),
  primaryContact: Type.Object({
    firstName: Type.String(),
    lastName: Type.String(),
    email: Type.String(),
    phoneNumber: Type.Union([Type.String(), Type.Null()]),
  }),
  dateAgreed: Type.String({ format: 'date' }),
  confirmedBy: Type.Union([Type.Literal('partner'), Type.Literal('customer')]),
  createdAt: DateTime,
  attributes: Type.Object({ objectType: Type.Literal('Agreement') }),
});

const RelationshipToPartner = Type.Union([Type.Literal('reseller'), Type.Literal('none')]);

export const CustomerSchema = Type.Object({
  id: Uuid,
  commerceId: Uuid,
  companyProfile: CompanyProfileSchema,
  billingProfile: BillingProfileSchema,
  relationshipToPartner: RelationshipToPartner,
  allowDelegatedAccess: Type.Boolean({ description: 'Delegated admin privileges (DAP) for your partner' }),
  customDomains: Type.Array(Type.String(), { description: 'Domains other than the primary one' }),
  instance: Type.Enum([...INSTANCE_IDS]),
  customerAgreement: Type.Object({
    confirmed: Type.Boolean({ description: 'Orders are refused until the customer agreement is confirmed' }),
    dateAgreed: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
  }),
  createdAt: DateTime,
  relationshipEstablishedAt: DateTime,
  attributes: Attributes('Customer'),
});

export const CreatedCustomerSchema = Type.Intersect([
  CustomerSchema,
  Type.Object({
    userCredentials: Type.Object(
      {
        userName: Type.String({ description: "The customer's first Global admin" }),
        password: Type.String({
          description: 'Temporary password, shown only now; changed at first sign-in',
        }),
      },
      { description: 'Shown once' },
    ),
    orders: Type.Array(OrderSchema, { description: 'The order placed with the customer, if any' }),
  }),
]);

const AgreementInput = Type.Object({
  firstName: Text(1000, "The signer's first name, 1–50 characters"),
  lastName: Text(1000, "The signer's last name, 1–50 characters"),
  email: Text(1000),
  phoneNumber: OptionalText(1000),
  dateAgreed: Text(100, 'YYYY-MM-DD, not in the future'),
});

export const CreateAgreementBody = Type.Intersect([
  AgreementInput,
  Type.Object({ agreementType: Type.Optional(Type.Literal('customerAgreement')) }),
]);

export const CreateCustomerBody = Type.Object({
  companyProfile: Type.Object({
    domain: Text(
      1000,
      'The full primary domain: <prefix>.<your instance domain suffix>, e.g. contoso.onpartnerdesk.com',
    ),
    companyName: OptionalText(1000, 'Defaults to the billing profile company name'),
    organizationRegistrationNumber: OptionalText(
      1000,
      'Required in AM, AZ, BY, HU, KZ, KG, MD, RU, TJ, UZ, UA; refused elsewhere',
    ),
  }),
  billingProfile: Type.Object({
    firstName: OptionalText(1000),
    lastName: OptionalText(1000),
    email: Text(1000),
    culture: Text(100, 'e.g. en-US'),
    language: Text(100, 'Two-letter code, e.g. en'),
    companyName: Text(1000, 'The registered company name, 1–200 characters'),
    defaultAddress: AddressSchema,
  }),
  customerAgreement: Type.Optional(AgreementInput),
  // Subscriptions to order with the customer, in the same transaction (needs customerAgreement).
  lineItems: Type.Optional(LineItemsSchema(0)),
});

export const UpdateBillingProfileBody = Type.Object({
  firstName: OptionalText(1000),
  lastName: OptionalText(1000),
  email: Text(1000),
  culture: Text(100),
  language: Text(100),
  companyName: Text(1000),
  defaultAddress: AddressSchema,
  id: Type.Optional(Type.String({ maxLength: 100 })),
  attributes: Type.Optional(Type.Object({}, { additionalProperties: true })),
});

export const UpdateCompanyProfileBody = Type.Object({
  companyName: Text(1000),
  organizationRegistrationNumber: OptionalText(1000),
  tenantId: Type.Optional(Type.String({ maxLength: 100 })),
  domain: Type.Optional(Type.String({ maxLength: 1000 })),
  attributes: Type.Optional(Type.Object({}, { additionalProperties: true })),
});

export const CUSTOMER_SORTS = ['name', 'createdAt'] as const;

export const CustomerListQuery = Type.Object({
  ...PageQuery,
  q: Type.Optional(
    Type.String({ maxLength: 200, description: 'Company name or any domain of the customer' }),
  ),
  match: Type.Optional(
    Type.Union([Type.Literal('prefix'), Type.Literal('contains')], {
      description: 'How q matches: from the start of the name or a domain (default) or anywhere in it',
    }),
  ),
  filter: Type.Optional(
    Type.String({
      maxLength: 1000,
      description:
        'Partner Center filter, e.g. {"Field":"CompanyName","Value":"con","Operator":"starts_with"}; fields CompanyName, Domain; operators starts_with, substring',
    }),
  ),
  customerId: Type.Optional(Uuid),
  relationship: Type.Optional(Type.Literal('reseller')),
  delegatedAdmin: Type.Optional(Type.Boolean({ description: 'Only customers with (true) or without DAP' })),
  sort: Type.Optional(Type.Enum([...CUSTOMER_SORTS], { description: 'name (default) or createdAt' })),
  order: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')])),
});

export const CustomerExportQuery = Type.Omit(CustomerListQuery, ['size', 'continuationToken']);

export const exportSchema = {
  tags: ['Customers'],
  summary: 'Export customers as CSV',
  description:
    'The whole list, or the selection the list’s filters make, streamed: ' +
    '`Microsoft ID,Company name,Primary domain name,Relationship`. Cells that a spreadsheet would read as a ' +
    'formula are prefixed with an apostrophe.',
  querystring: CustomerExportQuery,
  produces: ['text/csv'],
  response: {
    200: Type.String({ description: 'CSV document (text/csv)' }),
    400: errors(400)[400]!,
    401: errors(401)[401]!,
    403: errors(403)[403]!,
  },
};

export const CustomerList = Collection(CustomerSchema);
export const AgreementList = Collection(AgreementSchema);

export const CustomerParams = Type.Object({ customerId: Uuid });

export const DomainParams = Type.Object({ domain: Type.String({ minLength: 1, maxLength: 300 }) });
export const DomainSchema = Type.Object({
  domain: Type.String(),
  attributes: Type.Object({ objectType: Type.Literal('Domain') }),
});
