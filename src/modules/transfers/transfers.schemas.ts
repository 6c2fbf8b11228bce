// Request and response shapes of transfers between partners, in Partner Center's resource model
// (TransferEntity, TransferLineItem, TransferEligibility), with what its users missed: explicit states, a
// reason per line item, the customer's consent, progress fields and a timeline.
import { Type } from 'typebox';
import { Attributes, Collection, DateTime, PageQuery, Uuid } from '../../http/schemas.ts';
import { errors } from '../partners/partners.schemas.ts';

export { errors };

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const TRANSFER_STATUSES = [
  'pending',
  'inProgress',
  'completed',
  'partiallyCompleted',
  'failed',
  'rejected',
  'cancelled',
  'expired',
] as const;
/** Statuses in which a request still holds its subscriptions. */
export const OPEN_TRANSFER_STATUSES = ['pending', 'inProgress'] as const;
export const LINE_ITEM_STATUSES = [
  'pending',
  'accepted',
  'completed',
  'failed',
  'notAccepted',
  'rejected',
  'cancelled',
  'expired',
] as const;
export const TIMELINE_EVENTS = [
  'created',
  'consented',
  'consentDeclined',
  'accepted',
  'rejected',
  'cancelled',
  'expired',
  'lineCompleted',
  'lineFailed',
  'completed',
  'partiallyCompleted',
  'failed',
] as const;

/**
 * Why a subscription cannot move, one stable code each. Whole-request conditions (your instance refuses
 * transfers, you have no relationship with the customer) are refused as errors instead.
 */
export const INELIGIBILITY_REASONS = [
  'alreadyYours', // you are its partner of record
  'notAzureUsage', // license-based (Office 365, EMS, Dynamics): only usage-based Azure subscriptions move
  'reservation', // Azure reservations never move
  'software', // software purchases never move
  'notActive', // suspended, cancelled: only active subscriptions move
  'pendingTransfer', // already in an open transfer request
  'differentCountry', // source, target and customer must be in the same country
  'differentInstance', // source, target and customer must be in the same cloud instance
  'partnerKind', // indirect resellers transfer through their provider, never themselves
  'sourceRelationshipEnded', // its partner of record no longer has a reseller relationship with the customer
] as const;
export type IneligibilityReason = (typeof INELIGIBILITY_REASONS)[number];

// ── params and queries ──

export const CustomerParams = Type.Object({ customerId: Uuid });
export const CustomerTransferParams = Type.Object({ customerId: Uuid, transferId: Uuid });
export const TransferParams = Type.Object({ transferId: Uuid });

export const EligibilityQuery = Type.Object({
  sourcePartnerId: Type.Optional(
    Type.String({
      format: 'uuid',
      description: 'Only the subscriptions of this partner of record (the would-be source)',
    }),
  ),
  eligibleOnly: Type.Optional(Type.Boolean({ description: 'Only the eligible ones' })),
});

const Direction = Type.Enum(['sent', 'received'], {
  description: 'sent: requests you created (you are the target); received: requests to you (the source)',
});

export const TransferListQuery = Type.Object({
  ...PageQuery,
  direction: Type.Optional(Direction),
  status: Type.Optional(Type.Enum([...TRANSFER_STATUSES])),
});

export const AllTransfersQuery = Type.Object({
  ...PageQuery,
  direction: Type.Optional(Direction),
  status: Type.Optional(Type.Enum([...TRANSFER_STATUSES])),
  customerId: Type.Optional(Type.String({ format: 'uuid', description: 'Only this customer’s requests' })),
});

// ── eligibility ──

export const EligibilitySchema = Type.Object({
  id: Uuid,
  subscriptionId: Uuid,
  azureSubscriptionId: Nullable(Type.String()),
  offerId: Type.String(),
  offerName: Type.String(),
  friendlyName: Type.String(),
  productKind: Type.Enum(['onlineService', 'azure', 'azurePlan', 'reservation', 'software']),
  billingType: Type.Enum(['license', 'usage']),
  status: Type.String({ description: 'The subscription’s status' }),
  partnerIdOnRecord: Uuid,
  partnerNameOnRecord: Type.String(),
  isEligible: Type.Boolean(),
  reason: Nullable(Type.Enum([...INELIGIBILITY_REASONS])),
  description: Nullable(Type.String({ description: 'The reason in words, with what to do if anything' })),
  openTransferId: Nullable(
    Type.String({ description: 'The open request it is in (only when that request is yours)' }),
  ),
  attributes: Type.Object({ objectType: Type.Literal('TransferEligibility') }),
});
export const EligibilityList = Collection(EligibilitySchema);

// ── creating ──

export const CreateTransferBody = Type.Object(
  {
    sourcePartnerTenantId: Type.Optional(
      Type.String({
        format: 'uuid',
        description:
          'The partner of record to take the subscriptions from. Required with allEligible; otherwise it ' +
          'must be the partner of record of every subscription named',
      }),
    ),
    subscriptionIds: Type.Optional(
      Type.Array(Type.String({ format: 'uuid' }), {
        minItems: 1,
        maxItems: 100,
        uniqueItems: true,
        description: '1–100 subscriptions, all of one partner of record',
      }),
    ),
    allEligible: Type.Optional(
      Type.Boolean({ description: 'Every eligible subscription of the source partner, instead of a list' }),
    ),
    note: Type.Optional(
      Type.String({ maxLength: 1000, description: 'For the source partner and the customer' }),
    ),
    attributes: Type.Optional(Type.Unknown({ description: 'Ignored' })),
  },
  { additionalProperties: false },
);

export const AcceptTransferBody = Type.Object(
  {
    subscriptionIds: Type.Optional(
      Type.Array(Type.String({ format: 'uuid' }), {
        minItems: 1,
        maxItems: 100,
        uniqueItems: true,
        description: 'The line items to transfer, by subscription; default: all of them',
      }),
    ),
  },
  { additionalProperties: false },
);

export const RejectTransferBody = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 1000, description: 'Shown to the target partner' }) },
  { additionalProperties: false },
);

// ── the request ──

const PartySchema = Type.Object({ id: Uuid, name: Type.String() });

export const TransferLineItemSchema = Type.Object({
  id: Type.Integer({ minimum: 1, description: 'The line number' }),
  subscriptionId: Uuid,
  azureSubscriptionId: Nullable(Type.String({ description: 'Kept across the transfer' })),
  offerId: Type.String(),
  offerName: Type.String(),
  friendlyName: Type.String(),
  quantity: Type.Integer(),
  billingCycle: Type.String(),
  partnerIdOnRecord: Uuid,
  status: Type.Enum([...LINE_ITEM_STATUSES]),
  transferError: Nullable(Type.Object({ code: Type.String(), description: Type.String() })),
  newSubscriptionId: Nullable(
    Type.String({ description: 'The target’s new billing subscription id, once completed; target only' }),
  ),
  completedTime: Nullable(DateTime),
});

export const TimelineEntrySchema = Type.Object({
  occurredAt: DateTime,
  event: Type.Enum([...TIMELINE_EVENTS]),
  actor: Type.Object({
    side: Type.Enum(['target', 'source', 'customer', 'system']),
    name: Type.String(),
  }),
  details: Type.Record(Type.String(), Type.Unknown()),
});

export const TransferSchema = Type.Object({
  id: Uuid,
  customerTenantId: Uuid,
  customerName: Type.String(),
  sourcePartnerTenantId: Uuid,
  sourcePartnerName: Type.String(),
  targetPartnerTenantId: Uuid,
  targetPartnerName: Type.String(),
  direction: Direction,
  status: Type.Enum([...TRANSFER_STATUSES]),
  note: Type.String(),
  customerConsent: Type.Object({
    status: Type.Enum(['pending', 'given', 'declined']),
    consentedAt: Nullable(DateTime),
    consentedBy: Nullable(Type.String()),
    url: Type.String({
      description: 'The customer-facing page where a Global admin of the customer consents',
    }),
  }),
  rejection: Nullable(
    Type.Object({ by: Type.Enum(['source', 'customer']), reason: Type.String(), rejectedAt: DateTime }),
  ),
  createdTime: DateTime,
  createdBy: PartySchema,
  lastModifiedTime: DateTime,
  expiresAt: Nullable(
    Type.String({ format: 'date-time', description: 'While pending: 30 days after creation' }),
  ),
  acceptedTime: Nullable(DateTime),
  acceptedBy: Nullable(Type.String()),
  completedTime: Nullable(DateTime),
  progress: Type.Object({
    total: Type.Integer({ description: 'Line items accepted for transfer' }),
    completed: Type.Integer(),
    failed: Type.Integer(),
    percent: Type.Integer({ minimum: 0, maximum: 100 }),
  }),
  lineItems: Type.Array(TransferLineItemSchema),
  timeline: Type.Optional(
    Type.Array(TimelineEntrySchema, { description: 'Oldest first; on a single request' }),
  ),
  attributes: Attributes('Transfer'),
});
export const TransferList = Collection(TransferSchema);

export const TransferSummarySchema = Type.Object({
  receivedPending: Type.Integer({ description: 'Received requests waiting for your answer' }),
  receivedAwaitingConsent: Type.Integer({ description: 'Received, the customer has not consented yet' }),
  sentPending: Type.Integer(),
  inProgress: Type.Integer(),
  attributes: Type.Object({ objectType: Type.Literal('TransferSummary') }),
});

// ── the customer's side ──

export const CustomerTransferSchema = Type.Object({
  id: Uuid,
  status: Type.Enum([...TRANSFER_STATUSES]),
  customerConsent: Type.Enum(['pending', 'given', 'declined']),
  consentedAt: Nullable(DateTime),
  consentedBy: Nullable(Type.String()),
  note: Type.String(),
  sourcePartnerName: Type.String({ description: 'The partner the subscriptions leave' }),
  targetPartnerName: Type.String({ description: 'The partner they move to' }),
  createdTime: DateTime,
  expiresAt: Nullable(DateTime),
  completedTime: Nullable(DateTime),
  lineItems: Type.Array(
    Type.Object({
      id: Type.Integer(),
      subscriptionId: Uuid,
      azureSubscriptionId: Nullable(Type.String()),
      offerName: Type.String(),
      friendlyName: Type.String(),
      status: Type.Enum([...LINE_ITEM_STATUSES]),
    }),
  ),
  attributes: Type.Object({ objectType: Type.Literal('CustomerTransfer') }),
});
export const CustomerTransferList = Type.Object({
  totalCount: Type.Integer(),
  items: Type.Array(CustomerTransferSchema),
  attributes: Type.Object({ objectType: Type.Literal('Collection') }),
});
