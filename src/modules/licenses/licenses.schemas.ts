// Request and response shapes of licences, in Partner Center's resource model: SubscribedSku, License,
// LicenseUpdate, plus the many-users update's per-user results. Limits here only keep absurd input out; the
// service answers each real problem with the request item it concerns (`licensesToAssign[0]`).
import { Type } from 'typebox';
import { DateTime, Links, Uuid } from '../../http/schemas.ts';
import { errors } from '../partners/partners.schemas.ts';

export { errors };

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

/** A collection that is answered whole (a customer's seat subscriptions, one user's licences): no paging. */
const WholeCollection = <T extends Parameters<typeof Type.Array>[0]>(item: T) =>
  Type.Object({
    totalCount: Type.Integer({ minimum: 0 }),
    items: Type.Array(item),
    links: Links,
    attributes: Type.Object({ objectType: Type.Literal('Collection') }),
  });

export const ProductSkuSchema = Type.Object({
  id: Type.String({ description: 'The offer id' }),
  name: Type.String({ description: 'The product’s name as it was sold' }),
});

const SUBSCRIPTION_STATUSES = ['active', 'suspended', 'deleted', 'cancelled', 'transferred'] as const;

export const SubscribedSkuSchema = Type.Object({
  subscriptionId: Uuid,
  friendlyName: Type.String(),
  productSku: ProductSkuSchema,
  status: Type.Enum([...SUBSCRIPTION_STATUSES]),
  capabilityStatus: Type.Enum(['enabled', 'suspended'], {
    description: 'suspended while the subscription is: its users cannot use it, and no seat can be assigned',
  }),
  totalUnits: Type.Integer({ description: 'Seats bought: the subscription’s quantity' }),
  consumedUnits: Type.Integer({ description: 'Seats assigned to users' }),
  availableUnits: Type.Integer({ description: 'Seats left to assign' }),
  attributes: Type.Object({ objectType: Type.Literal('SubscribedSku') }),
});
export const SubscribedSkuList = WholeCollection(SubscribedSkuSchema);

export const LicenseSchema = Type.Object({
  productSku: ProductSkuSchema,
  subscriptionId: Nullable(
    Type.String({ format: 'uuid', description: 'Null when another partner sold the licence' }),
  ),
  soldByYou: Type.Boolean(),
  state: Type.Enum(['active', 'released'], {
    description:
      'released: the seat was freed when the user was deleted and not taken back when it was restored (no ' +
      'seat was left, or the subscription was suspended); assign it again to take one',
  }),
  capabilityStatus: Type.Enum(['enabled', 'suspended'], {
    description: 'suspended while its subscription is: the user cannot use it',
  }),
  assignedTime: DateTime,
  releasedTime: Nullable(DateTime),
  attributes: Type.Object({ objectType: Type.Literal('License') }),
});
export const LicenseList = WholeCollection(LicenseSchema);

const LicenseToAssignSchema = Type.Object(
  {
    skuId: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        description:
          'The product (offer id): a seat of the oldest of your active subscriptions of it with one free',
      }),
    ),
    subscriptionId: Type.Optional(
      Type.String({ minLength: 1, maxLength: 100, description: 'A seat of this subscription of yours' }),
    ),
    excludedPlans: Type.Optional(
      Type.Array(Type.String({ maxLength: 100 }), {
        maxItems: 100,
        description: 'Accepted as Partner Center clients send it; service plans are not modelled',
      }),
    ),
  },
  { additionalProperties: false },
);

const licenseChanges = {
  licensesToAssign: Type.Optional(
    Type.Array(LicenseToAssignSchema, { maxItems: 100, description: 'Each names skuId or subscriptionId' }),
  ),
  licensesToRemove: Type.Optional(
    Type.Array(Type.String({ minLength: 1, maxLength: 100 }), {
      maxItems: 100,
      description: 'Product (offer) ids or subscription ids; only licences you sold',
    }),
  ),
};

export const LicenseUpdateBody = Type.Object(
  {
    ...licenseChanges,
    attributes: Type.Optional(Type.Unknown({ description: 'Ignored' })),
  },
  { additionalProperties: false },
);

export const BulkLicenseUpdateBody = Type.Object(
  {
    userIds: Type.Array(Uuid, {
      minItems: 1,
      maxItems: 1000,
      description: 'Taken in this order: when seats run out, the later users fail',
    }),
    ...licenseChanges,
  },
  { additionalProperties: false },
);

const PRODUCT_STATUSES = ['succeeded', 'failed', 'unchanged'] as const;

export const ProductResultSchema = Type.Object({
  field: Type.String({ description: 'The request item answered, e.g. licensesToAssign[0]' }),
  productSku: Nullable(ProductSkuSchema),
  subscriptionId: Nullable(Type.String({ format: 'uuid' })),
  action: Type.Enum(['assign', 'remove']),
  status: Type.Enum([...PRODUCT_STATUSES]),
  code: Type.Optional(
    Type.String({
      description:
        'Why it failed: noLicensesAvailable, usageLocationRequired, subscriptionSuspended, subscriptionEnded, ' +
        'productNotAssignable, userDeleted, subscriptionNotFound, offerNotFound, licenseAlreadyAssigned, ' +
        'customerUserNotFound, or licenseUpdateFailed (not changed because another product of the user failed)',
    }),
  ),
  reason: Type.Optional(Type.String()),
});

export const LicenseUpdateSchema = Type.Object({
  licensesToAssign: Type.Array(LicenseToAssignSchema),
  licensesToRemove: Type.Array(Type.String()),
  licenseWarnings: Type.Array(Type.Unknown(), { maxItems: 0, description: 'Always empty' }),
  results: Type.Array(ProductResultSchema),
  attributes: Type.Object({ objectType: Type.Literal('LicenseUpdate') }),
});

export const BulkLicenseUpdateSchema = Type.Object({
  items: Type.Array(
    Type.Object({
      userId: Uuid,
      userPrincipalName: Nullable(Type.String()),
      displayName: Nullable(Type.String()),
      status: Type.Enum([...PRODUCT_STATUSES]),
      code: Type.Optional(Type.String({ description: 'customerUserNotFound when the user is not there' })),
      reason: Type.Optional(Type.String()),
      products: Type.Array(ProductResultSchema),
    }),
  ),
  succeeded: Type.Integer({ description: 'Users changed' }),
  failed: Type.Integer({ description: 'Users left as they were because a product failed' }),
  attributes: Type.Object({ objectType: Type.Literal('LicenseUpdateBatch') }),
});

export const CustomerParams = Type.Object({ customerId: Uuid });
export const CustomerUserParams = Type.Object({ customerId: Uuid, userId: Uuid });
