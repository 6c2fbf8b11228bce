// SQL for licences: a customer's users and the seats of the caller's subscriptions assigned to them. Every
// function runs in a transaction opened by inPartnerTransaction, so row-level security limits writes to the
// caller's own assignments; what crosses partners (a user's licences from other partners, releasing and
// restoring a deleted user's seats) goes through the SECURITY DEFINER functions of migration
// 20261204T1000_license_seats.
import { sql } from 'kysely';
import type { Trx } from '../../db/database.ts';
import type { ProductKind, SubscriptionStatus } from '../../db/schema.ts';

export interface LicenseUserRow {
  id: string;
  user_name: string;
  display_name: string;
  usage_location: string | null;
  state: 'active' | 'inactive';
}

const USER_COLUMNS = ['id', 'user_name', 'display_name', 'usage_location', 'state'] as const;

export function getUser(trx: Trx, customerId: string, userId: string): Promise<LicenseUserRow | undefined> {
  return trx
    .selectFrom('customer_users')
    .select(USER_COLUMNS)
    .where('customer_id', '=', customerId)
    .where('id', '=', userId)
    .executeTakeFirst();
}

/**
 * The customer's users with these ids, share-locked in id order until the transaction ends: deleting a user
 * (which releases its seats) waits for a licence change in flight, and a change that comes second sees the
 * user deleted.
 */
export function lockUsers(trx: Trx, customerId: string, ids: readonly string[]): Promise<LicenseUserRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return trx
    .selectFrom('customer_users')
    .select(USER_COLUMNS)
    .where('customer_id', '=', customerId)
    .where('id', '=', sql<string>`any(${sql.val([...ids])}::uuid[])`)
    .orderBy('id')
    .forShare()
    .execute();
}

/** A licence a user holds, whoever sold it. */
export interface HeldLicenseRow {
  user_id: string;
  /** Null where another partner sold it. */
  subscription_id: string | null;
  sold_by_caller: boolean;
  offer_id: string;
  offer_name: string;
  subscription_status: SubscriptionStatus;
  state: 'active' | 'released';
  assigned_at: Date;
  released_at: Date | null;
}

/** The licences of these users from every partner, per user by product name. */
export async function userLicenses(trx: Trx, userIds: readonly string[]): Promise<HeldLicenseRow[]> {
  if (userIds.length === 0) return [];
  const r = await sql<HeldLicenseRow>`
    select * from customer_user_licenses(${sql.val([...userIds])}::uuid[])`.execute(trx);
  return r.rows;
}

export interface OfferRow {
  id: string;
  name: string;
  billing_type: 'license' | 'usage';
  product_kind: ProductKind;
}

/** Catalog offers whose ids match these without regard to case. */
export function offersByIds(trx: Trx, ids: readonly string[]): Promise<OfferRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return trx
    .selectFrom('offers')
    .select(['id', 'name', 'billing_type', 'product_kind'])
    .where(sql<string>`lower(id)`, '=', sql<string>`any(${sql.val(ids.map((i) => i.toLowerCase()))}::text[])`)
    .execute();
}

export interface SeatSubscriptionRow {
  id: string;
  offer_id: string;
  offer_name: string;
  friendly_name: string;
  status: SubscriptionStatus;
  quantity: number;
  billing_type: 'license' | 'usage';
  product_kind: ProductKind;
  creation_date: Date;
}

const SEAT_COLUMNS = [
  'id',
  'offer_id',
  'offer_name',
  'friendly_name',
  'status',
  'quantity',
  'billing_type',
  'product_kind',
  'creation_date',
] as const;

/**
 * The partner's subscriptions of the customer with these ids or of these offers, locked in id order (as the
 * restore function locks them) before their seats are counted, so that two requests for the last seat take
 * turns and the second sees the first's assignment.
 */
export function lockSubscriptions(
  trx: Trx,
  partnerId: string,
  customerId: string,
  ids: readonly string[],
  offerIds: readonly string[],
): Promise<SeatSubscriptionRow[]> {
  if (ids.length === 0 && offerIds.length === 0) return Promise.resolve([]);
  return trx
    .selectFrom('subscriptions')
    .select(SEAT_COLUMNS)
    .where('partner_id', '=', partnerId)
    .where('customer_id', '=', customerId)
    .where((eb) =>
      eb.or([
        eb('id', '=', sql<string>`any(${sql.val([...ids])}::uuid[])`),
        eb('offer_id', '=', sql<string>`any(${sql.val([...offerIds])}::text[])`),
      ]),
    )
    .orderBy('id')
    .forUpdate()
    .execute();
}

/** Seats assigned (active assignments) per subscription. */
export async function assignedCounts(
  trx: Trx,
  subscriptionIds: readonly string[],
): Promise<Map<string, number>> {
  if (subscriptionIds.length === 0) return new Map();
  const rows = await trx
    .selectFrom('license_assignments')
    .select(['subscription_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('subscription_id', '=', sql<string>`any(${sql.val([...subscriptionIds])}::uuid[])`)
    .where('state', '=', 'active')
    .groupBy('subscription_id')
    .execute();
  return new Map(rows.map((r) => [r.subscription_id, Number(r.n)]));
}

export async function assignedCount(trx: Trx, subscriptionId: string): Promise<number> {
  return (await assignedCounts(trx, [subscriptionId])).get(subscriptionId) ?? 0;
}

export interface AssignmentKey {
  userId: string;
  subscriptionId: string;
}

/** Removes the partner's assignments named by (user, subscription). */
export async function deleteAssignments(
  trx: Trx,
  partnerId: string,
  keys: readonly AssignmentKey[],
): Promise<void> {
  if (keys.length === 0) return;
  await trx
    .deleteFrom('license_assignments')
    .where('partner_id', '=', partnerId)
    .where(
      sql<boolean>`(user_id, subscription_id) in (select * from unnest(${sql.val(keys.map((k) => k.userId))}::uuid[], ${sql.val(keys.map((k) => k.subscriptionId))}::uuid[]))`,
    )
    .execute();
}

/** Assigns seats; an assignment that was released (its user deleted and restored without it) becomes active. */
export async function upsertAssignments(
  trx: Trx,
  partnerId: string,
  customerId: string,
  keys: readonly AssignmentKey[],
  now: Date,
): Promise<void> {
  if (keys.length === 0) return;
  await trx
    .insertInto('license_assignments')
    .values(
      keys.map((k) => ({
        customer_id: customerId,
        user_id: k.userId,
        subscription_id: k.subscriptionId,
        partner_id: partnerId,
        state: 'active' as const,
        assigned_at: now,
        released_at: null,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['user_id', 'subscription_id']).doUpdateSet({
        state: 'active',
        assigned_at: now,
        released_at: null,
      }),
    )
    .execute();
}

export interface SubscribedSkuRow extends SeatSubscriptionRow {
  consumed: number;
}

/** The partner's subscriptions of the customer that have seats to assign, with how many are assigned. */
export async function subscribedSkus(
  trx: Trx,
  partnerId: string,
  customerId: string,
): Promise<SubscribedSkuRow[]> {
  const rows = await trx
    .selectFrom('subscriptions as s')
    .select(SEAT_COLUMNS.map((c) => `s.${c}` as const))
    .select((eb) =>
      eb
        .selectFrom('license_assignments as a')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('a.subscription_id', '=', 's.id')
        .where('a.state', '=', 'active')
        .as('consumed'),
    )
    .where('s.partner_id', '=', partnerId)
    .where('s.customer_id', '=', customerId)
    .where('s.billing_type', '=', 'license')
    .where('s.product_kind', '=', 'onlineService')
    .where('s.status', 'in', ['active', 'suspended'])
    .orderBy('s.offer_name')
    .orderBy('s.creation_date')
    .orderBy('s.id')
    .execute();
  return rows.map((r) => ({ ...r, consumed: Number(r.consumed ?? 0) }));
}

/** Releases a deleted user's seats (every partner's); answers how many. */
export async function releaseUser(trx: Trx, userId: string, now: Date): Promise<number> {
  const r = await sql<{ n: number }>`select license_release_user(${userId}::uuid, ${now}) as n`.execute(trx);
  return Number(r.rows[0]?.n ?? 0);
}

export interface RestoredRow {
  subscription_id: string;
  offer_id: string;
  offer_name: string;
  restored: boolean;
  reason: 'noLicensesAvailable' | 'subscriptionSuspended' | 'subscriptionEnded' | null;
}

/** Takes a restored user's released seats back where it can (every partner's). */
export async function restoreUser(trx: Trx, userId: string, now: Date): Promise<RestoredRow[]> {
  const r = await sql<RestoredRow>`
    select * from license_restore_user(${userId}::uuid, ${now})`.execute(trx);
  return r.rows;
}
