// Request and response shapes of orders and subscriptions, in Partner Center's resource model: an Order with
// its lineItems, a Subscription, a subscription's SupportContact. Limits here only keep absurd input out; the
// service checks the real rules (the offer's quantity limits, terms, cycles, add-on parents) and answers each
// broken one as a field-level reason.
import { Type } from 'typebox';
import { Attributes, Collection, DateTime, PageQuery, Uuid } from '../../http/schemas.ts';
import { errors } from '../partners/partners.schemas.ts';

export { errors };

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

const OfferId = Type.String({
  minLength: 1,
  maxLength: 100,
  description: 'A catalog offer id, e.g. M365-E3',
});
// Any number: the service answers a fraction or one outside the offer's limits as a field reason named as
// the contract names it (`lineItems[1].quantity`), which a schema error would name otherwise.
const Quantity = (description: string) => Type.Number({ description: `A whole number. ${description}` });
const TERMS = ['P1M', 'P1Y', 'P3Y'] as const;
const CYCLES = ['monthly', 'annual', 'triennial', 'oneTime', 'none'] as const;
// transferred: moved to another partner (PRODUCT.md feature 6); the source keeps it as history, read-only.
const STATUSES = ['active', 'suspended', 'deleted', 'cancelled', 'transferred'] as const;
export const SUSPENSION_REASONS = [
  'partnerInitiated',
  'customerRequest',
  'nonPayment',
  'fraud',
  'other',
] as const;

export const LineItemInputSchema = Type.Object(
  {
    offerId: OfferId,
    quantity: Type.Optional(
      Quantity('Within the offer’s minimum and maximum; 1 (the default) for usage-based offers'),
    ),
    friendlyName: Type.Optional(
      Nullable(
        Type.String({ maxLength: 1000, description: 'Up to 200 characters; default: the offer’s name' }),
      ),
    ),
    termDuration: Type.Optional(
      Nullable(
        Type.String({
          maxLength: 10,
          description:
            'P1M, P1Y or P3Y, one of the offer’s terms; default: its first. Leave out for offers without one',
        }),
      ),
    ),
    billingCycle: Type.Optional(
      Nullable(
        Type.String({
          maxLength: 20,
          description: 'monthly, annual, triennial, oneTime or none, one of the offer’s; default: its first',
        }),
      ),
    ),
    parentSubscriptionId: Type.Optional(
      Nullable(
        Type.String({
          maxLength: 100,
          description:
            'For an add-on: an active subscription of one of its prerequisite offers. Without it, a line item of ' +
            'a prerequisite offer in the same order is the parent',
        }),
      ),
    ),
    autoRenewEnabled: Type.Optional(
      Nullable(
        Type.Boolean({ description: 'Default true for offers with a term; offers without one never renew' }),
      ),
    ),
    lineItemNumber: Type.Optional(
      Nullable(
        Type.Number({
          description:
            'As Partner Center clients number lines: 0, 1, 2… in order. Lines are numbered so anyway',
        }),
      ),
    ),
  },
  { additionalProperties: false },
);

export const LineItemsSchema = (minItems: number) =>
  Type.Array(LineItemInputSchema, {
    minItems,
    maxItems: 50,
    description: '1–50 line items; each becomes a subscription',
  });

export const CreateOrderBody = Type.Object(
  {
    lineItems: LineItemsSchema(1),
    // Partner Center's Order also carries these; taken so that its clients' bodies work as they are.
    referenceCustomerId: Type.Optional(
      Nullable(Type.String({ maxLength: 100, description: 'If given, the customer id of the path' })),
    ),
    billingCycle: Type.Optional(
      Nullable(Type.String({ maxLength: 20, description: 'The billing cycle of lines that name none' })),
    ),
    attributes: Type.Optional(Type.Unknown({ description: 'Ignored' })),
  },
  { additionalProperties: false },
);

export const OrderSchema = Type.Object({
  id: Uuid,
  customerId: Uuid,
  currencyCode: Type.String({ description: 'The currency of the customer’s market, e.g. USD' }),
  creationDate: DateTime,
  status: Type.Literal('completed'),
  lineItems: Type.Array(
    Type.Object({
      lineItemNumber: Type.Integer({ minimum: 0 }),
      offerId: Type.String(),
      subscriptionId: Uuid,
      parentSubscriptionId: Nullable(Uuid),
      friendlyName: Type.String(),
      quantity: Type.Integer(),
      termDuration: Nullable(Type.Enum([...TERMS])),
      billingCycle: Type.Enum([...CYCLES]),
    }),
    { description: 'As ordered (the subscriptions may have changed since)' },
  ),
  attributes: Type.Object({ objectType: Type.Literal('Order') }),
});

export const OrderList = Collection(OrderSchema);
export const OrderListQuery = Type.Object({ ...PageQuery });

export const SubscriptionSchema = Type.Object({
  id: Uuid,
  customerId: Uuid,
  offerId: Type.String(),
  offerName: Type.String({ description: 'The offer’s name when it was sold' }),
  friendlyName: Type.String(),
  quantity: Type.Integer(),
  unitType: Type.String(),
  status: Type.Enum([...STATUSES]),
  productKind: Type.Enum(['onlineService', 'azure', 'azurePlan', 'reservation', 'software']),
  billingType: Type.Enum(['license', 'usage']),
  billingCycle: Type.Enum([...CYCLES]),
  termDuration: Nullable(Type.Enum([...TERMS])),
  autoRenewEnabled: Type.Boolean(),
  creationDate: DateTime,
  effectiveStartDate: DateTime,
  commitmentEndDate: Nullable(DateTime),
  partnerId: Uuid,
  partnerName: Type.String({ description: 'The partner of record' }),
  orderId: Uuid,
  parentSubscriptionId: Nullable(Uuid),
  isAddOn: Type.Boolean(),
  suspensionReasons: Type.Array(Type.String(), {
    description:
      'Why it is suspended: the reasons given, or parentSuspended for an add-on of a suspended one',
  }),
  suspendedAt: Nullable(DateTime),
  deletionDate: Nullable(
    Type.String({
      format: 'date-time',
      description: 'While suspended: when it is deleted unless reactivated (90 days after suspension)',
    }),
  ),
  cancellationDate: Nullable(DateTime),
  azureSubscriptionId: Nullable(
    Type.String({ description: 'Azure and Azure plan subscriptions: the Azure subscription’s own id' }),
  ),
  currency: Type.String(),
  unitPrice: Nullable(
    Type.Integer({ description: 'Minor units of the currency, at order time; null for usage' }),
  ),
  cancellable: Type.Boolean({ description: 'Reservations and software: cancelled rather than suspended' }),
  transferredAt: Nullable(
    Type.String({
      format: 'date-time',
      description: 'Transferred to another partner: when (billing splits there); history only afterwards',
    }),
  ),
  transferId: Nullable(
    Type.String({ description: 'The transfer request that moved it (to you, or away from you)' }),
  ),
  transferredFromSubscriptionId: Nullable(
    Type.String({ description: 'Moved to you: the previous partner’s billing subscription id' }),
  ),
  attributes: Attributes('Subscription'),
});

export const SubscriptionList = Collection(SubscriptionSchema);

export const SubscriptionListQuery = Type.Object({
  ...PageQuery,
  status: Type.Optional(Type.Enum([...STATUSES])),
  offerId: Type.Optional(OfferId),
  orderId: Type.Optional(Uuid),
});

export const SubscriptionExportQuery = Type.Object({ status: Type.Optional(Type.Enum([...STATUSES])) });

const WRITABLE = ['quantity', 'friendlyName', 'autoRenewEnabled', 'status', 'suspensionReasons'] as const;

/**
 * The Subscription's other fields, which a Partner Center client sends back with the whole resource: taken
 * when they equal the subscription's current values (the service checks), refused as read-only otherwise.
 */
export const READ_ONLY_SUBSCRIPTION_FIELDS = Object.keys(SubscriptionSchema.properties).filter(
  (k) => !(WRITABLE as readonly string[]).includes(k),
);

export const UpdateSubscriptionBody = Type.Object(
  {
    quantity: Type.Optional(Quantity('Within the offer’s limits; usage-based subscriptions stay at 1')),
    friendlyName: Type.Optional(Type.String({ maxLength: 1000, description: '1–200 characters' })),
    autoRenewEnabled: Type.Optional(Type.Boolean()),
    status: Type.Optional(
      Type.Enum(['active', 'suspended'], {
        description: 'suspended suspends it (and its active add-ons); active reactivates it',
      }),
    ),
    suspensionReasons: Type.Optional(
      Type.Array(Type.Enum([...SUSPENSION_REASONS]), {
        maxItems: SUSPENSION_REASONS.length,
        description: 'With status suspended; default partnerInitiated. Empty: none given.',
      }),
    ),
    ...Object.fromEntries(
      READ_ONLY_SUBSCRIPTION_FIELDS.map((k) => [
        k,
        Type.Optional(Type.Unknown({ description: 'Read-only: accepted only unchanged' })),
      ]),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const SupportContactSchema = Type.Object({
  supportPartnerId: Uuid,
  name: Type.String(),
  isPartnerOfRecord: Type.Boolean(),
  attributes: Type.Object({ objectType: Type.Literal('SupportContact') }),
});

export const SupportContactBody = Type.Object(
  {
    supportPartnerId: Type.String({
      format: 'uuid',
      description: 'You, or a partner with a reseller relationship with the customer',
    }),
  },
  { additionalProperties: false },
);

export const CustomerParams = Type.Object({ customerId: Uuid });
export const OrderParams = Type.Object({ customerId: Uuid, orderId: Uuid });
export const SubscriptionParams = Type.Object({ customerId: Uuid, subscriptionId: Uuid });

export const exportSchema = {
  tags: ['Subscriptions'],
  summary: 'Export a customer’s subscriptions as CSV',
  description:
    'Every subscription of yours for the customer (or those with `status`), oldest first, streamed: ' +
    '`Subscription ID,Subscription,Quantity,Status,Reseller` (Subscription is the friendly name, Reseller the ' +
    'partner of record). Cells that a spreadsheet would read as a formula are prefixed with an apostrophe.',
  params: CustomerParams,
  querystring: SubscriptionExportQuery,
  produces: ['text/csv'],
  response: {
    200: Type.String({ description: 'CSV document (text/csv)' }),
    400: errors(400)[400]!,
    401: errors(401)[401]!,
    403: errors(403)[403]!,
    404: errors(404)[404]!,
  },
};
