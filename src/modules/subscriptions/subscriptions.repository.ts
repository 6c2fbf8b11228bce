// SQL for orders and subscriptions. Request-path functions run in a transaction opened by inPartnerTransaction:
// row-level security limits them to the partner of record's rows, and each query also names the partner and
// the customer (the first wall). The deletion of due suspended subscriptions runs on the owner connection, for
// every partner at once.
import type { Selectable } from 'kysely';
import { sql } from 'kysely';
import type { Db, Trx } from '../../db/database.ts';
import type { OrderLineItem, OrdersTable, SubscriptionStatus, SubscriptionsTable } from '../../db/schema.ts';

export type SubscriptionRow = Selectable<SubscriptionsTable>;
export type OrderRow = Selectable<OrdersTable>;

/** A subscription with what its view needs from its offer and its partner of record. */
export type SubscriptionViewRow = SubscriptionRow & {
  cancellable: boolean;
  min_quantity: number;
  max_quantity: number;
  partner_name: string;
  /** creation_date at microsecond precision, for keyset paging. */
  position_at: string;
};

export type OrderViewRow = OrderRow & { position_at: string };

const SUB_POSITION = sql<string>`to_char(s.creation_date at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
const ORDER_POSITION = sql<string>`to_char(o.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

function subscriptions(trx: Trx) {
  return trx
    .selectFrom('subscriptions as s')
    .innerJoin('offers as f', 'f.id', 's.offer_id')
    .selectAll('s')
    .select([
      'f.cancellable',
      'f.min_quantity',
      'f.max_quantity',
      // The partner of record's name through the definer function: the partners table is not the caller's.
      sql<string>`support_contact_name(s.partner_id)`.as('partner_name'),
      SUB_POSITION.as('position_at'),
    ]);
}

export interface SubscriptionQuery {
  partnerId: string;
  customerId: string;
  status?: SubscriptionStatus;
  offerId?: string;
  orderId?: string;
}

function whereQuery<T extends ReturnType<typeof subscriptions>>(qb: T, q: SubscriptionQuery): T {
  let out = qb.where('s.partner_id', '=', q.partnerId).where('s.customer_id', '=', q.customerId);
  // Transferred ones are history: listed only when asked for by status.
  if (q.status) out = out.where('s.status', '=', q.status);
  else out = out.where('s.status', '<>', 'transferred');
  if (q.offerId) out = out.where('s.offer_id', '=', q.offerId);
  if (q.orderId) out = out.where('s.order_id', '=', q.orderId);
  return out as T;
}

/** Where a subscription sits in a list: oldest first, one order's subscriptions as its lines were ordered. */
export type SubscriptionPosition = [at: string, lineItemNumber: number, id: string];

/** Up to `limit` subscriptions matching `q`, in list order, after the position `after`. */
export function findSubscriptions(
  trx: Trx,
  q: SubscriptionQuery,
  after: SubscriptionPosition | undefined,
  limit: number,
): Promise<SubscriptionViewRow[]> {
  let qb = whereQuery(subscriptions(trx), q);
  if (after)
    qb = qb.where(
      sql<boolean>`(s.creation_date, s.line_item_number, s.id) > (${after[0]}::timestamptz, ${after[1]}::integer, ${after[2]}::uuid)`,
    );
  return qb.orderBy('s.creation_date').orderBy('s.line_item_number').orderBy('s.id').limit(limit).execute();
}

export async function countSubscriptions(trx: Trx, q: SubscriptionQuery): Promise<number> {
  let qb = trx
    .selectFrom('subscriptions as s')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('s.partner_id', '=', q.partnerId)
    .where('s.customer_id', '=', q.customerId);
  if (q.status) qb = qb.where('s.status', '=', q.status);
  else qb = qb.where('s.status', '<>', 'transferred');
  if (q.offerId) qb = qb.where('s.offer_id', '=', q.offerId);
  if (q.orderId) qb = qb.where('s.order_id', '=', q.orderId);
  const r = await qb.executeTakeFirstOrThrow();
  return Number(r.n);
}

export function getSubscription(
  trx: Trx,
  partnerId: string,
  customerId: string,
  id: string,
): Promise<SubscriptionViewRow | undefined> {
  return subscriptions(trx)
    .where('s.partner_id', '=', partnerId)
    .where('s.customer_id', '=', customerId)
    .where('s.id', '=', id)
    .executeTakeFirst();
}

/** The subscription locked for an update (its add-ons and parent are locked separately, parent first). */
export function lockSubscription(
  trx: Trx,
  partnerId: string,
  customerId: string,
  id: string,
): Promise<SubscriptionViewRow | undefined> {
  return subscriptions(trx)
    .where('s.partner_id', '=', partnerId)
    .where('s.customer_id', '=', customerId)
    .where('s.id', '=', id)
    .forUpdate('s')
    .executeTakeFirst();
}

/** Active subscriptions of the partner and customer with these ids, locked against a concurrent suspension. */
export function lockActiveSubscriptions(
  trx: Trx,
  partnerId: string,
  customerId: string,
  ids: readonly string[],
): Promise<Pick<SubscriptionRow, 'id' | 'offer_id' | 'status'>[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return trx
    .selectFrom('subscriptions')
    .select(['id', 'offer_id', 'status'])
    .where('partner_id', '=', partnerId)
    .where('customer_id', '=', customerId)
    .where('id', 'in', [...new Set(ids)])
    .orderBy('id')
    .forShare()
    .execute();
}

/** The add-ons of a subscription, locked, oldest first. */
export function lockAddOns(trx: Trx, partnerId: string, parentId: string): Promise<SubscriptionViewRow[]> {
  return subscriptions(trx)
    .where('s.partner_id', '=', partnerId)
    .where('s.parent_subscription_id', '=', parentId)
    .orderBy('s.creation_date')
    .orderBy('s.id')
    .forUpdate('s')
    .execute();
}

export type SubscriptionChange = Partial<
  Pick<
    SubscriptionRow,
    | 'quantity'
    | 'friendly_name'
    | 'auto_renew'
    | 'status'
    | 'suspension_reasons'
    | 'suspended_at'
    | 'deletion_due_at'
    | 'cancelled_at'
    | 'support_partner_id'
  >
>;

/** Applies `change` if the row is still at `expectedVersion`; false when another update came first. */
export async function updateSubscription(
  trx: Trx,
  partnerId: string,
  id: string,
  expectedVersion: number,
  change: SubscriptionChange,
  now: Date,
): Promise<boolean> {
  const r = await trx
    .updateTable('subscriptions')
    .set((eb) => ({ ...change, updated_at: now, version: eb('version', '+', 1) }))
    .where('partner_id', '=', partnerId)
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function insertOrder(
  trx: Trx,
  order: Omit<OrderRow, 'line_items'> & { line_items: OrderLineItem[] },
): Promise<void> {
  await trx
    .insertInto('orders')
    .values({ ...order, line_items: JSON.stringify(order.line_items) })
    .execute();
}

export type NewSubscription = Omit<
  SubscriptionRow,
  | 'status'
  | 'suspension_reasons'
  | 'support_partner_id'
  | 'suspended_at'
  | 'deletion_due_at'
  | 'cancelled_at'
  | 'deleted_at'
  | 'version'
  | 'transfer_id'
  | 'transferred_at'
  | 'transferred_to_subscription_id'
  | 'transferred_from_subscription_id'
> &
  Partial<Pick<SubscriptionRow, 'transfer_id' | 'transferred_from_subscription_id'>>;

/** One statement, so an add-on may name a parent of the same order (foreign keys are checked at its end). */
export async function insertSubscriptions(trx: Trx, rows: NewSubscription[]): Promise<void> {
  if (rows.length === 0) return;
  await trx.insertInto('subscriptions').values(rows).execute();
}

export function findOrders(
  trx: Trx,
  partnerId: string,
  customerId: string,
  after: [string, string] | undefined,
  limit: number,
): Promise<OrderViewRow[]> {
  let qb = trx
    .selectFrom('orders as o')
    .selectAll('o')
    .select(ORDER_POSITION.as('position_at'))
    .where('o.partner_id', '=', partnerId)
    .where('o.customer_id', '=', customerId);
  if (after)
    qb = qb.where(sql<boolean>`(o.created_at, o.id) > (${after[0]}::timestamptz, ${after[1]}::uuid)`);
  return qb.orderBy('o.created_at').orderBy('o.id').limit(limit).execute();
}

export async function countOrders(trx: Trx, partnerId: string, customerId: string): Promise<number> {
  const r = await trx
    .selectFrom('orders')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('partner_id', '=', partnerId)
    .where('customer_id', '=', customerId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export function getOrder(
  trx: Trx,
  partnerId: string,
  customerId: string,
  id: string,
): Promise<OrderViewRow | undefined> {
  return trx
    .selectFrom('orders as o')
    .selectAll('o')
    .select(ORDER_POSITION.as('position_at'))
    .where('o.partner_id', '=', partnerId)
    .where('o.customer_id', '=', customerId)
    .where('o.id', '=', id)
    .executeTakeFirst();
}

/** The active subscriptions of the partner for the customer (what blocks removing the relationship). */
export function activeSubscriptions(
  trx: Trx,
  partnerId: string,
  customerId: string,
): Promise<Pick<SubscriptionViewRow, 'id' | 'friendly_name' | 'offer_name' | 'cancellable'>[]> {
  return trx
    .selectFrom('subscriptions as s')
    .innerJoin('offers as f', 'f.id', 's.offer_id')
    .select(['s.id', 's.friendly_name', 's.offer_name', 'f.cancellable'])
    .where('s.partner_id', '=', partnerId)
    .where('s.customer_id', '=', customerId)
    .where('s.status', '=', 'active')
    .orderBy('s.creation_date')
    .orderBy('s.line_item_number')
    .orderBy('s.id')
    .execute();
}

/** Is this partner a possible support contact for the customer (a reseller relationship with it)? */
export async function supportContactCandidate(
  trx: Trx,
  customerId: string,
  partnerId: string,
): Promise<{ partner_id: string; name: string } | undefined> {
  const r = await sql<{
    partner_id: string;
    name: string;
  }>`select partner_id, name from support_contact_candidate(${customerId}::uuid, ${partnerId}::uuid)`.execute(
    trx,
  );
  return r.rows[0];
}

export async function partnerName(trx: Trx, partnerId: string): Promise<string | null> {
  const r = await sql<{
    name: string | null;
  }>`select support_contact_name(${partnerId}::uuid) as name`.execute(trx);
  return r.rows[0]?.name ?? null;
}

// ── the deletion job (owner connection, every partner) ──

export interface DueSubscription {
  id: string;
  partner_id: string;
  customer_id: string;
  customer_name: string | null;
  friendly_name: string;
  offer_id: string;
  suspended_at: Date | null;
  deletion_due_at: Date | null;
}

/**
 * Up to `limit` suspended subscriptions due for deletion at `now`, locked; rows another process holds are
 * skipped (it is deleting them).
 */
export async function lockDueSubscriptions(trx: Trx, now: Date, limit: number): Promise<DueSubscription[]> {
  return trx
    .selectFrom('subscriptions as s')
    .leftJoin('customers as c', 'c.id', 's.customer_id')
    .select([
      's.id',
      's.partner_id',
      's.customer_id',
      'c.billing_company_name as customer_name',
      's.friendly_name',
      's.offer_id',
      's.suspended_at',
      's.deletion_due_at',
    ])
    .where('s.status', '=', 'suspended')
    .where('s.deletion_due_at', '<=', now)
    .orderBy('s.deletion_due_at')
    .orderBy('s.id')
    .limit(limit)
    .forUpdate('s')
    .skipLocked()
    .execute();
}

export async function markDeleted(trx: Trx, ids: readonly string[], now: Date): Promise<void> {
  if (ids.length === 0) return;
  await trx
    .updateTable('subscriptions')
    .set((eb) => ({
      status: 'deleted',
      deleted_at: now,
      deletion_due_at: null,
      updated_at: now,
      version: eb('version', '+', 1),
    }))
    .where('id', 'in', [...ids])
    .execute();
}

export type { Db };
