// Request and response shapes of usage records (POST and GET /v1/usage-records). The schema keeps only the
// shape; the service checks each record against its subscription, meter and prices and answers every broken
// rule as a field-level reason named after the record (`items[3].usageDate`).
import { Type } from 'typebox';
import { Collection, DateTime, PageQuery, Uuid } from '../../http/schemas.ts';
import { errors } from '../partners/partners.schemas.ts';

export { errors };

export const MAX_USAGE_BATCH = 1000;

const Day = (description: string) =>
  Type.String({ maxLength: 40, description: `YYYY-MM-DD. ${description}` });
const Decimal = (description: string) =>
  Type.String({ description: `An exact decimal, as a string. ${description}` });

export const UsageItemInput = Type.Object(
  {
    clientRecordId: Type.String({
      maxLength: 200,
      description:
        'Your id of this record, 1–100 characters, unique among your records: sending it again with the same ' +
        'content records nothing (status duplicate); with other content it is a 409',
    }),
    subscriptionId: Type.String({ maxLength: 100, description: 'A usage-based subscription of yours' }),
    meterId: Type.String({ maxLength: 200, description: 'A meter of the subscription’s offer' }),
    usageDate: Day('The UTC day of the usage; the subscription must have been active that day'),
    quantity: Type.Union([Type.Number(), Type.String({ maxLength: 40 })], {
      description:
        'Units of the meter used that day: 0 or more, at most 6 decimals (a string keeps them exact)',
    }),
    customerId: Type.Optional(
      Type.Union([Type.String({ maxLength: 100 }), Type.Null()], {
        description: 'If given, the subscription’s customer',
      }),
    ),
  },
  { additionalProperties: false },
);

export const UsageBatchBody = Type.Object(
  { items: Type.Array(UsageItemInput, { minItems: 1, maxItems: MAX_USAGE_BATCH }) },
  { additionalProperties: false },
);

export const UsageBatchResult = Type.Object({
  accepted: Type.Integer({ minimum: 0, description: 'Records written by this request' }),
  duplicates: Type.Integer({ minimum: 0, description: 'Records sent before with the same content' }),
  items: Type.Array(
    Type.Object({
      clientRecordId: Type.String(),
      id: Uuid,
      status: Type.Enum(['accepted', 'duplicate']),
      unitPrice: Decimal('The meter price the record was rated with: minor units per unit'),
      amount: Decimal(
        'quantity × unitPrice in minor units, unrounded: each invoice line rounds its sum once',
      ),
      currencyCode: Type.String(),
    }),
    { description: 'In the order sent' },
  ),
});

export const UsageRecordSchema = Type.Object({
  id: Uuid,
  clientRecordId: Type.String(),
  customerId: Uuid,
  subscriptionId: Uuid,
  offerId: Type.String(),
  meterId: Type.String(),
  usageDate: Type.String({ format: 'date' }),
  quantity: Decimal('Units of the meter'),
  unitPrice: Decimal('Minor units per unit'),
  amount: Decimal('quantity × unitPrice in minor units, unrounded'),
  currencyCode: Type.String(),
  createdBy: Type.String({ description: 'Who recorded it' }),
  createdAt: DateTime,
  attributes: Type.Object({ objectType: Type.Literal('UsageRecord') }),
});

export const UsageRecordList = Collection(UsageRecordSchema);

export const UsageRecordListQuery = Type.Object({
  ...PageQuery,
  subscriptionId: Type.Optional(Uuid),
  customerId: Type.Optional(Uuid),
  from: Type.Optional(Day('Usage on or after this day')),
  to: Type.Optional(Day('Usage on or before this day')),
});
