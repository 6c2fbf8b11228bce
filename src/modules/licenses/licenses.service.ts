// Licences (PRODUCT.md feature 7): the seats of a partner's subscriptions assigned to a customer's users. A
// subscription's quantity is its seats; the assigned ones are its active assignments. Only license-based online
// services have seats to assign; only an active subscription gives new ones (removing is always allowed);
// a partner gives and takes only seats of subscriptions it is the partner of record of, while every related
// partner sees all of a user's licences.
//
// Seats are counted with the subscriptions locked (FOR UPDATE, in id order) after the users (FOR SHARE, in id
// order): two requests for the last seat take turns, and the second is refused. One user's change is all or
// nothing; many users are taken in the order sent, so when seats run out exactly the later ones fail.
//
// Also for other modules: assignedSeats (the subscriptions service keeps a quantity from dropping below it),
// releaseUserLicenses and restoreUserLicenses (deleting and restoring a customer user).
import type { Db, Trx } from '../../db/database.ts';
import { inPartnerTransaction } from '../../db/database.ts';
import type { SubscriptionStatus } from '../../db/schema.ts';
import type { Clock } from '../../lib/clock.ts';
import type { CallerContext } from '../../lib/context.ts';
import { actorOf } from '../../lib/context.ts';
import type { ErrorName, FieldIssue } from '../../lib/errors.ts';
import { AppError, invalid } from '../../lib/errors.ts';
import { recordAllAs } from '../activity/activity.record.ts';
import type { InstanceService } from '../instances/instances.ts';
import type { CustomerAccess, OrderCustomer } from '../subscriptions/subscriptions.access.ts';
import { customerForRead } from '../subscriptions/subscriptions.access.ts';
import * as repo from './licenses.repository.ts';
import type { HeldLicenseRow, LicenseUserRow, OfferRow, SeatSubscriptionRow } from './licenses.repository.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ENDED: readonly SubscriptionStatus[] = ['deleted', 'cancelled'];

export interface ProductSku {
  id: string;
  name: string;
}

export interface SubscribedSkuView {
  subscriptionId: string;
  friendlyName: string;
  productSku: ProductSku;
  status: SubscriptionStatus;
  capabilityStatus: 'enabled' | 'suspended';
  totalUnits: number;
  consumedUnits: number;
  availableUnits: number;
  attributes: { objectType: 'SubscribedSku' };
}

export interface LicenseView {
  productSku: ProductSku;
  /** Null where another partner sold it. */
  subscriptionId: string | null;
  soldByYou: boolean;
  /** `released`: the seat was freed when the user was deleted and not taken back on restore. */
  state: 'active' | 'released';
  /** `suspended` while its subscription is: the user cannot use it. */
  capabilityStatus: 'enabled' | 'suspended';
  assignedTime: string;
  releasedTime: string | null;
  attributes: { objectType: 'License' };
}

export interface LicenseToAssign {
  skuId?: string;
  subscriptionId?: string;
  /** Partner Center's service plans to leave out; plans are not modelled, so they change nothing. */
  excludedPlans?: string[];
}

export interface LicenseUpdateInput {
  licensesToAssign: LicenseToAssign[];
  /** Each a product (offer) id or a subscription id. */
  licensesToRemove: string[];
}

export type ProductStatus = 'succeeded' | 'failed' | 'unchanged';

/** What became of one product of an update for one user. */
export interface ProductResult {
  /** The request item it answers, e.g. `licensesToAssign[0]`. */
  field: string;
  /** Null when the item names neither a product nor a subscription of yours. */
  productSku: ProductSku | null;
  subscriptionId: string | null;
  action: 'assign' | 'remove';
  status: ProductStatus;
  code?: string;
  reason?: string;
}

export interface LicenseUpdateView {
  licensesToAssign: LicenseToAssign[];
  licensesToRemove: string[];
  licenseWarnings: never[];
  results: ProductResult[];
  attributes: { objectType: 'LicenseUpdate' };
}

export interface UserLicenseResult {
  userId: string;
  userPrincipalName: string | null;
  displayName: string | null;
  status: ProductStatus;
  /** Why the user failed as a whole (not found), when it did. */
  code?: string;
  reason?: string;
  products: ProductResult[];
}

export interface BulkLicenseUpdateView {
  items: UserLicenseResult[];
  succeeded: number;
  failed: number;
  attributes: { objectType: 'LicenseUpdateBatch' };
}

export interface RestoredLicense {
  subscriptionId: string;
  productSku: ProductSku;
  restored: boolean;
  /** Why not, when not: noLicensesAvailable, subscriptionSuspended or subscriptionEnded. */
  code?: string;
  reason?: string;
}

export interface Collection<T> {
  totalCount: number;
  items: T[];
}

export interface LicensesService {
  subscribedSkus(ctx: CallerContext, customerId: string): Promise<Collection<SubscribedSkuView>>;
  userLicenses(ctx: CallerContext, customerId: string, userId: string): Promise<Collection<LicenseView>>;
  /** One user, all or nothing: any product refused → 409 licenseUpdateFailed with a reason per product. */
  updateUserLicenses(
    ctx: CallerContext,
    customerId: string,
    userId: string,
    input: LicenseUpdateInput,
  ): Promise<LicenseUpdateView>;
  /** Many users in the order given, each all or nothing. */
  updateLicenses(
    ctx: CallerContext,
    customerId: string,
    userIds: string[],
    input: LicenseUpdateInput,
  ): Promise<BulkLicenseUpdateView>;
}

// ── for other modules ──

/** Seats of a subscription assigned to users. Call with the subscription locked to keep the count true. */
export function assignedSeats(trx: Trx, subscriptionId: string): Promise<number> {
  return repo.assignedCount(trx, subscriptionId);
}

/**
 * Frees every seat a deleted user holds, whoever sold it: its assignments become `released`. Call in the
 * deleting transaction after the user is marked deleted (the caller's partner must be related to its
 * customer; the database refuses otherwise).
 */
export async function releaseUserLicenses(trx: Trx, userId: string, now: Date): Promise<void> {
  await repo.releaseUser(trx, userId, now);
}

const RESTORE_REASONS = {
  noLicensesAvailable: (name: string) => `Every licence of ${name} is assigned to other users.`,
  subscriptionSuspended: (name: string) => `The subscription of ${name} is suspended.`,
  subscriptionEnded: (name: string) => `The subscription of ${name} has ended.`,
};

/**
 * Takes a restored user's released seats back where the subscription is active and has a seat free; the others
 * stay released, each with why. Call in the restoring transaction after the user is active again.
 */
export async function restoreUserLicenses(trx: Trx, userId: string, now: Date): Promise<RestoredLicense[]> {
  const rows = await repo.restoreUser(trx, userId, now);
  return rows
    .map((r) => ({
      subscriptionId: r.subscription_id,
      productSku: { id: r.offer_id, name: r.offer_name },
      restored: r.restored,
      ...(r.reason ? { code: r.reason, reason: RESTORE_REASONS[r.reason](r.offer_name) } : {}),
    }))
    .sort((a, b) => a.productSku.name.localeCompare(b.productSku.name));
}

// ── views ──

const capability = (status: SubscriptionStatus) => (status === 'active' ? 'enabled' : 'suspended');

function subscribedSkuView(row: repo.SubscribedSkuRow): SubscribedSkuView {
  return {
    subscriptionId: row.id,
    friendlyName: row.friendly_name,
    productSku: { id: row.offer_id, name: row.offer_name },
    status: row.status,
    capabilityStatus: capability(row.status),
    totalUnits: row.quantity,
    consumedUnits: row.consumed,
    availableUnits: Math.max(0, row.quantity - row.consumed),
    attributes: { objectType: 'SubscribedSku' },
  };
}

function licenseView(row: HeldLicenseRow): LicenseView {
  return {
    productSku: { id: row.offer_id, name: row.offer_name },
    subscriptionId: row.subscription_id,
    soldByYou: row.sold_by_caller,
    state: row.state,
    capabilityStatus: capability(row.subscription_status),
    assignedTime: row.assigned_at.toISOString(),
    releasedTime: row.released_at ? row.released_at.toISOString() : null,
    attributes: { objectType: 'License' },
  };
}

// ── planning an update ──

type Failure = { code: ErrorName; reason: string };

/** An item of licensesToAssign, resolved against the catalog and the caller's subscriptions. */
type AssignTarget = { field: string; productSku: ProductSku | null; requested: string | null } & (
  | { kind: 'failed'; failure: Failure }
  | { kind: 'subscription'; sub: SeatSubscriptionRow }
  | { kind: 'sku'; offer: OfferRow; candidates: SeatSubscriptionRow[] }
);

/** An item of licensesToRemove, resolved likewise. */
type RemoveTarget = { field: string; productSku: ProductSku | null } & (
  | { kind: 'failed'; failure: Failure }
  | { kind: 'subscription'; sub: SeatSubscriptionRow }
  | { kind: 'sku'; offer: OfferRow }
);

const seatProduct = (p: { billing_type: string; product_kind: string }) =>
  p.billing_type === 'license' && p.product_kind === 'onlineService';

function notAssignable(p: OfferRow | SeatSubscriptionRow, name: string): Failure {
  const what =
    p.billing_type === 'usage'
      ? 'is usage-based'
      : p.product_kind === 'reservation'
        ? 'is a reservation'
        : p.product_kind === 'software'
          ? 'is software'
          : 'is not sold per user';
  return { code: 'productNotAssignable', reason: `${name} ${what}: it has no licences to assign to users.` };
}

/** Why a subscription gives no new seats now (ended, suspended, or not a product with seats), if it does not. */
function subscriptionRefusal(sub: SeatSubscriptionRow): Failure | undefined {
  if (!seatProduct(sub)) return notAssignable(sub, sub.offer_name);
  if (ENDED.includes(sub.status))
    return { code: 'subscriptionEnded', reason: `The subscription ${sub.friendly_name} is ${sub.status}.` };
  if (sub.status !== 'active')
    return {
      code: 'subscriptionSuspended',
      reason: `The subscription ${sub.friendly_name} is suspended; reactivate it first.`,
    };
  return undefined;
}

const NOT_CHANGED: Failure = {
  code: 'licenseUpdateFailed',
  reason: 'Not changed: another licence in this update was refused for this user.',
};

interface UserPlan {
  results: ProductResult[];
  failed: boolean;
  remove: repo.AssignmentKey[];
  assign: repo.AssignmentKey[];
  /** Seats taken (+) and freed (−) per subscription, applied only if the plan holds. */
  seatDelta: Map<string, number>;
  assignedNames: string[];
  removedNames: string[];
}

/**
 * What an update does for one user given the seats in use: removals first (a seat freed may be given again in
 * the same update), then assignments. Pure: the caller applies it only when no product failed.
 */
function planUser(
  user: LicenseUserRow,
  held: readonly HeldLicenseRow[],
  assigns: readonly AssignTarget[],
  removes: readonly RemoveTarget[],
  used: ReadonlyMap<string, number>,
): UserPlan {
  const plan: UserPlan = {
    results: [],
    failed: false,
    remove: [],
    assign: [],
    seatDelta: new Map(),
    assignedNames: [],
    removedNames: [],
  };
  const seatsFree = (sub: SeatSubscriptionRow) =>
    sub.quantity - (used.get(sub.id) ?? 0) - (plan.seatDelta.get(sub.id) ?? 0);
  const take = (subscriptionId: string, n: number) =>
    plan.seatDelta.set(subscriptionId, (plan.seatDelta.get(subscriptionId) ?? 0) + n);
  // What the user holds as the plan goes: the caller's by subscription id, and every product it has.
  let current = held.map((h) => ({ ...h }));
  const removeResults: ProductResult[] = [];
  const assignResults: ProductResult[] = [];

  /** Removes the caller's licences of the user that match; `named`: the removal was asked for. */
  const dropMine = (match: (h: HeldLicenseRow) => boolean, offerName: string, named: boolean) => {
    const mine = current.filter((h) => h.sold_by_caller && match(h));
    for (const h of mine) {
      plan.remove.push({ userId: user.id, subscriptionId: h.subscription_id! });
      if (h.state === 'active') take(h.subscription_id!, -1);
    }
    current = current.filter((h) => !mine.includes(h));
    if (named && mine.length > 0) plan.removedNames.push(offerName);
    return mine;
  };

  for (const r of removes) {
    const base = { field: r.field, productSku: r.productSku, action: 'remove' as const };
    if (r.kind === 'failed') {
      removeResults.push({ ...base, subscriptionId: null, status: 'failed', ...r.failure });
      continue;
    }
    if (r.kind === 'subscription') {
      const gone = dropMine((h) => h.subscription_id === r.sub.id, r.sub.offer_name, true);
      removeResults.push({
        ...base,
        subscriptionId: r.sub.id,
        status: gone.length > 0 ? 'succeeded' : 'unchanged',
      });
      continue;
    }
    const gone = dropMine((h) => h.offer_id === r.offer.id, r.offer.name, true);
    if (gone.length > 0) {
      removeResults.push({
        ...base,
        subscriptionId: gone[0]!.subscription_id,
        status: 'succeeded',
      });
    } else if (current.some((h) => !h.sold_by_caller && h.offer_id === r.offer.id)) {
      removeResults.push({
        ...base,
        subscriptionId: null,
        status: 'failed',
        code: 'subscriptionNotFound',
        reason: `${r.offer.name} was assigned from another partner’s subscription; only that partner can remove it.`,
      });
    } else removeResults.push({ ...base, subscriptionId: null, status: 'unchanged' });
  }

  for (const a of assigns) {
    const base = { field: a.field, productSku: a.productSku, action: 'assign' as const };
    const fail = (f: Failure, subscriptionId: string | null = null) =>
      assignResults.push({ ...base, subscriptionId, status: 'failed', ...f });
    if (user.state !== 'active') {
      fail({ code: 'userDeleted', reason: 'The user is deleted; restore it first.' });
      continue;
    }
    if (a.kind === 'failed') {
      fail(a.failure, a.requested);
      continue;
    }
    const offerId = a.kind === 'subscription' ? a.sub.offer_id : a.offer.id;
    const name = a.productSku!.name;
    const active = current.filter((h) => h.state === 'active' && h.offer_id === offerId);
    if (a.kind === 'subscription') {
      if (active.some((h) => h.subscription_id === a.sub.id)) {
        assignResults.push({ ...base, subscriptionId: a.sub.id, status: 'unchanged' });
        continue;
      }
      const refusal = subscriptionRefusal(a.sub);
      if (refusal) {
        fail(refusal, a.sub.id);
        continue;
      }
      if (active.length > 0) {
        fail(
          {
            code: 'licenseAlreadyAssigned',
            reason: `The user already has ${name} from another subscription.`,
          },
          a.sub.id,
        );
        continue;
      }
    } else if (active.length > 0) {
      // The user has the product already, from whichever subscription: nothing to do.
      assignResults.push({
        ...base,
        subscriptionId: active.find((h) => h.sold_by_caller)?.subscription_id ?? null,
        status: 'unchanged',
      });
      continue;
    }
    if (!user.usage_location) {
      fail({
        code: 'usageLocationRequired',
        reason: 'The user has no usage location; set one before assigning licences.',
      });
      continue;
    }
    let sub: SeatSubscriptionRow | undefined;
    if (a.kind === 'subscription') {
      if (seatsFree(a.sub) <= 0) {
        fail(
          {
            code: 'noLicensesAvailable',
            reason: `All ${a.sub.quantity} licences of ${a.sub.friendly_name} are assigned.`,
          },
          a.sub.id,
        );
        continue;
      }
      sub = a.sub;
    } else {
      const usable = a.candidates.filter((c) => !subscriptionRefusal(c));
      if (usable.length === 0) {
        fail(
          a.candidates.some((c) => c.status === 'suspended')
            ? {
                code: 'subscriptionSuspended',
                reason: `Your subscriptions of ${name} for this customer are suspended; reactivate one first.`,
              }
            : {
                code: 'subscriptionNotFound',
                reason: `You have no active subscription of ${name} for this customer.`,
              },
        );
        continue;
      }
      // The oldest with a seat free.
      sub = usable.find((c) => seatsFree(c) > 0);
      if (!sub) {
        const total = usable.reduce((n, c) => n + c.quantity, 0);
        fail({
          code: 'noLicensesAvailable',
          reason: `All ${total} licences of ${name} are assigned.`,
        });
        continue;
      }
    }
    // A seat of the same product released earlier (the user was restored without it) is superseded.
    const chosen = sub.id;
    dropMine(
      (h) => h.state === 'released' && h.offer_id === offerId && h.subscription_id !== chosen,
      name,
      false,
    );
    plan.assign.push({ userId: user.id, subscriptionId: sub.id });
    take(sub.id, 1);
    current.push({
      user_id: user.id,
      subscription_id: sub.id,
      sold_by_caller: true,
      offer_id: offerId,
      offer_name: name,
      subscription_status: sub.status,
      state: 'active',
      assigned_at: new Date(0),
      released_at: null,
    });
    plan.assignedNames.push(name);
    assignResults.push({ ...base, subscriptionId: sub.id, status: 'succeeded' });
  }

  plan.results = [...assignResults, ...removeResults];
  plan.failed = plan.results.some((r) => r.status === 'failed');
  if (plan.failed)
    plan.results = plan.results.map((r) =>
      r.status === 'succeeded' ? { ...r, status: 'failed', ...NOT_CHANGED } : r,
    );
  return plan;
}

/** Field-level problems of an update's shape, before anything is read. */
function inputIssues(input: LicenseUpdateInput): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (input.licensesToAssign.length === 0 && input.licensesToRemove.length === 0)
    issues.push({
      field: 'body',
      reason: 'name at least one licence in licensesToAssign or licensesToRemove',
    });
  const seen = new Map<string, string>();
  const note = (key: string, field: string) => {
    const first = seen.get(key);
    if (first) issues.push({ field, reason: `repeats ${first}` });
    else seen.set(key, field);
  };
  input.licensesToAssign.forEach((a, i) => {
    const field = `licensesToAssign[${i}]`;
    if (a.skuId === undefined && a.subscriptionId === undefined)
      issues.push({ field, reason: 'name the product (skuId) or the subscription (subscriptionId)' });
    if (a.subscriptionId !== undefined && !UUID.test(a.subscriptionId))
      issues.push({ field: `${field}.subscriptionId`, reason: 'must be a GUID' });
    if (a.subscriptionId !== undefined) note(a.subscriptionId.toLowerCase(), field);
    else if (a.skuId !== undefined) note(a.skuId.toLowerCase(), field);
  });
  input.licensesToRemove.forEach((id, i) => {
    const field = `licensesToRemove[${i}]`;
    const first = seen.get(id.toLowerCase());
    if (first?.startsWith('licensesToAssign'))
      issues.push({ field, reason: `is also in ${first}: assign or remove it, not both` });
    else note(id.toLowerCase(), field);
  });
  return issues;
}

export function createLicensesService(deps: {
  db: Db;
  clock: Clock;
  customers: CustomerAccess;
  instances: Pick<InstanceService, 'assert'>;
}): LicensesService {
  const { db, clock, customers, instances } = deps;

  /**
   * Writes: the customer must be visible (404), the instance must allow managing users and licences (403
   * naming it), and the relationship must still be active (403 noResellerRelationship).
   */
  async function customerForWrite(trx: Trx, ctx: CallerContext, customerId: string): Promise<OrderCustomer> {
    const state = await customers.relationshipState(trx, ctx, customerId);
    if (state === undefined) throw new AppError('customerNotFound');
    instances.assert(ctx.instance, 'customerUsers.write');
    if (state !== 'active') throw new AppError('noResellerRelationship');
    return customerForRead(customers, trx, ctx, customerId);
  }

  /**
   * Applies an update to the users, in the order given: each user's plan is made against the seats as the
   * users before it left them, and kept only when none of its products failed.
   */
  async function apply(
    trx: Trx,
    ctx: CallerContext,
    customer: OrderCustomer,
    userIds: readonly string[],
    input: LicenseUpdateInput,
  ): Promise<UserLicenseResult[]> {
    const ids = userIds.map((id) => id.toLowerCase());
    const users = new Map((await repo.lockUsers(trx, customer.id, ids)).map((u) => [u.id, u]));
    const skuIds = [
      ...input.licensesToAssign.flatMap((a) => (a.skuId !== undefined ? [a.skuId] : [])),
      ...input.licensesToRemove,
    ];
    const offers = new Map((await repo.offersByIds(trx, skuIds)).map((o) => [o.id.toLowerCase(), o]));
    const offerOf = (id: string | undefined) => (id === undefined ? undefined : offers.get(id.toLowerCase()));
    const subIds = [
      ...input.licensesToAssign.flatMap((a) => (a.subscriptionId !== undefined ? [a.subscriptionId] : [])),
      ...input.licensesToRemove.filter((r) => UUID.test(r)),
    ].map((s) => s.toLowerCase());
    const assignOffers = input.licensesToAssign.flatMap((a) =>
      a.subscriptionId === undefined && offerOf(a.skuId) ? [offerOf(a.skuId)!.id] : [],
    );
    const subs = await repo.lockSubscriptions(trx, ctx.partnerId, customer.id, subIds, assignOffers);
    const subById = new Map(subs.map((s) => [s.id, s]));
    const used = await repo.assignedCounts(
      trx,
      subs.map((s) => s.id),
    );

    const issues: FieldIssue[] = [];
    const assigns: AssignTarget[] = input.licensesToAssign.map((a, i) => {
      const field = `licensesToAssign[${i}]`;
      if (a.subscriptionId !== undefined) {
        const sub = subById.get(a.subscriptionId.toLowerCase());
        if (!sub)
          return {
            field,
            productSku: null,
            requested: a.subscriptionId,
            kind: 'failed',
            failure: {
              code: 'subscriptionNotFound',
              reason: 'You have no subscription with this id for this customer.',
            },
          };
        if (a.skuId !== undefined && a.skuId.toLowerCase() !== sub.offer_id.toLowerCase())
          issues.push({ field: `${field}.skuId`, reason: `the subscription is of ${sub.offer_id}` });
        return {
          field,
          productSku: { id: sub.offer_id, name: sub.offer_name },
          requested: sub.id,
          kind: 'subscription',
          sub,
        };
      }
      const offer = offerOf(a.skuId);
      if (!offer)
        return {
          field,
          productSku: null,
          requested: null,
          kind: 'failed',
          failure: { code: 'offerNotFound', reason: `No product ${a.skuId} in the catalog.` },
        };
      const productSku = { id: offer.id, name: offer.name };
      if (!seatProduct(offer))
        return {
          field,
          productSku,
          requested: null,
          kind: 'failed',
          failure: notAssignable(offer, offer.name),
        };
      const candidates = subs
        .filter((s) => s.offer_id === offer.id)
        .sort((x, y) => x.creation_date.getTime() - y.creation_date.getTime() || x.id.localeCompare(y.id));
      return { field, productSku, requested: null, kind: 'sku', offer, candidates };
    });
    if (issues.length > 0) throw invalid(...issues);
    const removes: RemoveTarget[] = input.licensesToRemove.map((r, i) => {
      const field = `licensesToRemove[${i}]`;
      const sub = UUID.test(r) ? subById.get(r.toLowerCase()) : undefined;
      if (sub)
        return { field, productSku: { id: sub.offer_id, name: sub.offer_name }, kind: 'subscription', sub };
      const offer = offerOf(r);
      if (offer) return { field, productSku: { id: offer.id, name: offer.name }, kind: 'sku', offer };
      return {
        field,
        productSku: null,
        kind: 'failed',
        failure: UUID.test(r)
          ? {
              code: 'subscriptionNotFound',
              reason: 'You have no subscription with this id for this customer.',
            }
          : { code: 'offerNotFound', reason: `No product ${r} in the catalog.` },
      };
    });

    const held = new Map<string, HeldLicenseRow[]>();
    for (const h of await repo.userLicenses(trx, [...users.keys()]))
      held.set(h.user_id, [...(held.get(h.user_id) ?? []), h]);

    const seatsUsed = new Map(used);
    const results: UserLicenseResult[] = [];
    const toRemove: repo.AssignmentKey[] = [];
    const toAssign: repo.AssignmentKey[] = [];
    const changed: { user: LicenseUserRow; plan: UserPlan }[] = [];
    for (const id of ids) {
      const user = users.get(id);
      if (!user) {
        const failure = {
          code: 'customerUserNotFound',
          reason: 'No user with this id in the customer’s directory.',
        };
        results.push({
          userId: id,
          userPrincipalName: null,
          displayName: null,
          status: 'failed',
          ...failure,
          products: [
            ...assigns.map((a) => ({
              field: a.field,
              productSku: a.productSku,
              subscriptionId: null,
              action: 'assign' as const,
              status: 'failed' as const,
              ...failure,
            })),
            ...removes.map((r) => ({
              field: r.field,
              productSku: r.productSku,
              subscriptionId: null,
              action: 'remove' as const,
              status: 'failed' as const,
              ...failure,
            })),
          ],
        });
        continue;
      }
      const plan = planUser(user, held.get(id) ?? [], assigns, removes, seatsUsed);
      const didChange = !plan.failed && (plan.assign.length > 0 || plan.remove.length > 0);
      if (didChange) {
        for (const [subId, n] of plan.seatDelta) seatsUsed.set(subId, (seatsUsed.get(subId) ?? 0) + n);
        toRemove.push(...plan.remove);
        toAssign.push(...plan.assign);
        changed.push({ user, plan });
      }
      results.push({
        userId: user.id,
        userPrincipalName: user.user_name,
        displayName: user.display_name,
        status: plan.failed ? 'failed' : didChange ? 'succeeded' : 'unchanged',
        products: plan.results,
      });
    }

    const now = clock.now();
    await repo.deleteAssignments(trx, ctx.partnerId, toRemove);
    await repo.upsertAssignments(trx, ctx.partnerId, customer.id, toAssign, now);
    await recordAllAs(
      trx,
      actorOf(ctx),
      changed.map(({ user, plan }) => ({
        partnerId: ctx.partnerId,
        entry: {
          action: 'customerUser.updateLicenses',
          resourceType: 'CustomerUser',
          resourceId: user.id,
          customer: { id: customer.id, name: customer.name },
          details: {
            userPrincipalName: user.user_name,
            assigned: plan.assignedNames,
            removed: plan.removedNames,
          },
        },
      })),
      { requestId: ctx.requestId, correlationId: ctx.correlationId },
    );
    return results;
  }

  return {
    subscribedSkus: (ctx, customerId) =>
      inPartnerTransaction(db, ctx.partnerId, async (trx) => {
        const customer = await customerForRead(customers, trx, ctx, customerId);
        const items = (await repo.subscribedSkus(trx, ctx.partnerId, customer.id)).map(subscribedSkuView);
        return { totalCount: items.length, items };
      }),

    userLicenses: (ctx, customerId, userId) =>
      inPartnerTransaction(db, ctx.partnerId, async (trx) => {
        const customer = await customerForRead(customers, trx, ctx, customerId);
        const user = await repo.getUser(trx, customer.id, userId);
        if (!user) throw new AppError('customerUserNotFound');
        const items = (await repo.userLicenses(trx, [user.id])).map(licenseView);
        return { totalCount: items.length, items };
      }),

    updateUserLicenses: (ctx, customerId, userId, input) =>
      inPartnerTransaction(db, ctx.partnerId, async (trx) => {
        const customer = await customerForWrite(trx, ctx, customerId);
        const issues = inputIssues(input);
        if (issues.length > 0) throw invalid(...issues);
        if (!(await repo.getUser(trx, customer.id, userId))) throw new AppError('customerUserNotFound');
        const [result] = await apply(trx, ctx, customer, [userId], input);
        if (result!.status === 'failed')
          throw new AppError('licenseUpdateFailed', {
            details: result!.products
              .filter((p) => p.code && p.code !== NOT_CHANGED.code)
              .map((p) => ({ field: p.field, reason: p.reason! })),
            data: result!.products,
          });
        return {
          licensesToAssign: input.licensesToAssign,
          licensesToRemove: input.licensesToRemove,
          licenseWarnings: [],
          results: result!.products,
          attributes: { objectType: 'LicenseUpdate' },
        };
      }),

    updateLicenses: (ctx, customerId, userIds, input) =>
      inPartnerTransaction(db, ctx.partnerId, async (trx) => {
        const customer = await customerForWrite(trx, ctx, customerId);
        const issues = inputIssues(input);
        const firstOf = new Map<string, number>();
        userIds.forEach((id, i) => {
          const first = firstOf.get(id.toLowerCase());
          if (first !== undefined)
            issues.push({ field: `userIds[${i}]`, reason: `repeats userIds[${first}]` });
          else firstOf.set(id.toLowerCase(), i);
        });
        if (issues.length > 0) throw invalid(...issues);
        const items = await apply(trx, ctx, customer, userIds, input);
        return {
          items,
          succeeded: items.filter((i) => i.status === 'succeeded').length,
          failed: items.filter((i) => i.status === 'failed').length,
          attributes: { objectType: 'LicenseUpdateBatch' },
        };
      }),
  };
}
