// SQL for transfers between partners. Request-path functions run in a transaction opened by
// inPartnerTransaction: row-level security shows a request, its line items and its events to its two parties
// only, and each query also names the caller as source or target (the first wall). Another partner's name,
// country and kind come through the definer function transfer_partner; a customer's subscriptions of every
// partner through transfer_candidates. The job's functions (claiming, completing a line item, expiry) run on
// the owner connection, for every partner at once.
import type { Insertable, Selectable } from 'kysely';
import { sql } from 'kysely';
import type { Db, Trx } from '../../db/database.ts';
import type {
  OrderLineItem,
  SubscriptionsTable,
  TransferEvent,
  TransferEventsTable,
  TransferLineItemsTable,
  TransferLineStatus,
  TransferStatus,
  TransfersTable,
} from '../../db/schema.ts';

export type TransferRow = Selectable<TransfersTable>;
export type LineRow = Selectable<TransferLineItemsTable>;
export type EventRow = Selectable<TransferEventsTable>;

/** A request with its parties' and customer's names, and its creation instant at µs for keyset paging. */
export type TransferViewRow = TransferRow & {
  customer_name: string;
  source_partner_name: string;
  target_partner_name: string;
  position_at: string;
};

const POSITION = sql<string>`to_char(t.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

function transfers(trx: Trx) {
  return trx
    .selectFrom('transfers as t')
    .selectAll('t')
    .select([
      // The customer's name as the caller knows it (its own relationship row, ended ones included), else
      // the billing name through the counterpart's view: the customers table shows only active relations.
      sql<string>`coalesce((select r.company_name from customer_relationships r
                             where r.customer_id = t.customer_id
                               and r.partner_id = nullif(current_setting('app.partner_id', true), '')::uuid),
                           (select c.billing_company_name from customers c where c.id = t.customer_id), '')`.as(
        'customer_name',
      ),
      sql<string>`coalesce((select p.name from transfer_partner(t.source_partner_id) p), '')`.as(
        'source_partner_name',
      ),
      sql<string>`coalesce((select p.name from transfer_partner(t.target_partner_id) p), '')`.as(
        'target_partner_name',
      ),
      POSITION.as('position_at'),
    ]);
}

// ── eligibility ──

export interface CandidateRow {
  subscription_id: string;
  partner_id: string;
  partner_name: string;
  partner_country: string;
  partner_instance: string;
  partner_kind: string;
  partner_related: boolean;
  offer_id: string;
  offer_name: string;
  friendly_name: string;
  product_kind: SubscriptionsTable['product_kind'];
  billing_type: 'license' | 'usage';
  status: string;
  azure_subscription_id: string | null;
  quantity: number;
  billing_cycle: string;
  creation_date: Date;
  /** In an open request, whoever's. */
  in_open_transfer: boolean;
  /** That request's id, only when the caller is its target. */
  open_transfer_id: string | null;
}

/** Every live subscription of the customer, whoever sold it (empty unless the caller is related to it). */
export async function candidates(trx: Trx, customerId: string): Promise<CandidateRow[]> {
  const r = await sql<CandidateRow>`select * from transfer_candidates(${customerId}::uuid)`.execute(trx);
  return r.rows;
}

export interface PartnerInfo {
  id: string;
  name: string;
  country: string;
  instance: string;
  kind: string;
  state: string;
}

export async function partnerInfo(trx: Trx, partnerId: string): Promise<PartnerInfo | undefined> {
  const r = await sql<PartnerInfo>`select * from transfer_partner(${partnerId}::uuid)`.execute(trx);
  return r.rows[0];
}

/** The customer's instance, billing country and name (a customer the caller has an active relationship with). */
export async function customerFacts(
  trx: Trx,
  customerId: string,
): Promise<{ instance: string; country: string; name: string } | undefined> {
  const r = await sql<{ instance: string; country: string; name: string }>`
    select instance, coalesce(default_address->>'country', '') as country, billing_company_name as name
      from customers where id = ${customerId}::uuid`.execute(trx);
  return r.rows[0];
}

/** Does the partner have an active reseller relationship with the customer (asked of another partner)? */
export async function partnerRelated(trx: Trx, customerId: string, partnerId: string): Promise<boolean> {
  const r = await sql<{
    partner_id: string;
  }>`select partner_id from support_contact_candidate(${customerId}::uuid, ${partnerId}::uuid)`.execute(trx);
  return r.rows.length > 0;
}

// ── writing requests ──

export async function insertTransfer(trx: Trx, row: Insertable<TransfersTable>): Promise<void> {
  await trx.insertInto('transfers').values(row).execute();
}

export async function insertLines(trx: Trx, rows: Insertable<TransferLineItemsTable>[]): Promise<void> {
  if (rows.length === 0) return;
  await trx.insertInto('transfer_line_items').values(rows).execute();
}

export interface NewEvent {
  transfer: Pick<TransferRow, 'id' | 'source_partner_id' | 'target_partner_id'>;
  at: Date;
  event: TransferEvent;
  actorKind: EventRow['actor_kind'];
  actorName: string;
  actorSide: EventRow['actor_side'];
  details?: Record<string, unknown>;
}

export async function insertEvents(trx: Trx, events: readonly NewEvent[]): Promise<void> {
  if (events.length === 0) return;
  await trx
    .insertInto('transfer_events')
    .values(
      events.map((e) => ({
        transfer_id: e.transfer.id,
        source_partner_id: e.transfer.source_partner_id,
        target_partner_id: e.transfer.target_partner_id,
        occurred_at: e.at,
        event: e.event,
        actor_kind: e.actorKind,
        actor_name: e.actorName,
        actor_side: e.actorSide,
        details: JSON.stringify(e.details ?? {}),
      })),
    )
    .execute();
}

/** An activity record for the other party of the request (the definer function checks the caller is one). */
export async function recordCounterpart(
  trx: Trx,
  transferId: string,
  actor: { kind: string; name: string },
  action: string,
  status: 'succeeded' | 'failed',
  details: Record<string, unknown>,
  ids: { requestId?: string; correlationId?: string },
): Promise<void> {
  await sql`select transfer_record_counterpart(${transferId}::uuid, ${actor.kind}, ${actor.name}, ${action},
              ${status}, ${JSON.stringify(details)}::jsonb, ${ids.requestId ?? null}, ${ids.correlationId ?? null})`.execute(
    trx,
  );
}

// ── reading requests ──

/** The request if the partner is one of its parties (and, given a customer, it is that customer's). */
function partyTransfer(trx: Trx, partnerId: string, id: string, customerId?: string) {
  const qb = transfers(trx)
    .where('t.id', '=', id)
    .where((eb) =>
      eb.or([eb('t.source_partner_id', '=', partnerId), eb('t.target_partner_id', '=', partnerId)]),
    );
  return customerId ? qb.where('t.customer_id', '=', customerId) : qb;
}

export function getTransfer(
  trx: Trx,
  partnerId: string,
  id: string,
  customerId?: string,
): Promise<TransferViewRow | undefined> {
  return partyTransfer(trx, partnerId, id, customerId).executeTakeFirst();
}

/** The request locked for a change by one of its parties. */
export function lockTransfer(
  trx: Trx,
  partnerId: string,
  id: string,
  customerId?: string,
): Promise<TransferViewRow | undefined> {
  return partyTransfer(trx, partnerId, id, customerId).forUpdate('t').executeTakeFirst();
}

export function linesOf(trx: Trx, transferIds: readonly string[]): Promise<LineRow[]> {
  if (transferIds.length === 0) return Promise.resolve([]);
  return trx
    .selectFrom('transfer_line_items')
    .selectAll()
    .where('transfer_id', 'in', [...transferIds])
    .orderBy('transfer_id')
    .orderBy('line_number')
    .execute();
}

export function eventsOf(trx: Trx, transferId: string): Promise<EventRow[]> {
  return trx
    .selectFrom('transfer_events')
    .selectAll()
    .where('transfer_id', '=', transferId)
    .orderBy('id')
    .execute();
}

export interface TransferQuery {
  partnerId: string;
  customerId?: string;
  direction?: 'sent' | 'received';
  status?: TransferStatus;
  /** A pending request past its expiry counts as expired (the job may not have run yet). */
  now: Date;
}

/** `status = wanted` as the caller sees statuses (a lapsed pending request is expired). */
function statusIs(wanted: TransferStatus, now: Date) {
  if (wanted === 'pending') return sql<boolean>`(t.status = 'pending' and t.expires_at > ${now})`;
  if (wanted === 'expired')
    return sql<boolean>`(t.status = 'expired' or (t.status = 'pending' and t.expires_at <= ${now}))`;
  return sql<boolean>`t.status = ${wanted}`;
}

function whereQuery<T extends ReturnType<typeof transfers>>(qb: T, q: TransferQuery): T {
  let out = qb;
  if (q.direction === 'sent') out = out.where('t.target_partner_id', '=', q.partnerId) as T;
  else if (q.direction === 'received') out = out.where('t.source_partner_id', '=', q.partnerId) as T;
  else
    out = out.where((eb) =>
      eb.or([eb('t.source_partner_id', '=', q.partnerId), eb('t.target_partner_id', '=', q.partnerId)]),
    ) as T;
  if (q.customerId) out = out.where('t.customer_id', '=', q.customerId) as T;
  if (q.status) out = out.where(statusIs(q.status, q.now)) as T;
  return out;
}

/** Up to `limit` requests matching `q`, newest first, after the position `after`. */
export function findTransfers(
  trx: Trx,
  q: TransferQuery,
  after: [string, string] | undefined,
  limit: number,
): Promise<TransferViewRow[]> {
  let qb = whereQuery(transfers(trx), q);
  if (after)
    qb = qb.where(sql<boolean>`(t.created_at, t.id) < (${after[0]}::timestamptz, ${after[1]}::uuid)`);
  return qb.orderBy('t.created_at', 'desc').orderBy('t.id', 'desc').limit(limit).execute();
}

export async function countTransfers(trx: Trx, q: TransferQuery): Promise<number> {
  let qb = trx.selectFrom('transfers as t').select((eb) => eb.fn.countAll<number>().as('n'));
  if (q.direction === 'sent') qb = qb.where('t.target_partner_id', '=', q.partnerId);
  else if (q.direction === 'received') qb = qb.where('t.source_partner_id', '=', q.partnerId);
  else
    qb = qb.where((eb) =>
      eb.or([eb('t.source_partner_id', '=', q.partnerId), eb('t.target_partner_id', '=', q.partnerId)]),
    );
  if (q.customerId) qb = qb.where('t.customer_id', '=', q.customerId);
  if (q.status) qb = qb.where(statusIs(q.status, q.now));
  const r = await qb.executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function summary(
  trx: Trx,
  partnerId: string,
  now: Date,
): Promise<{
  received_pending: number;
  received_awaiting_consent: number;
  sent_pending: number;
  in_progress: number;
}> {
  const r = await sql<{
    received_pending: number;
    received_awaiting_consent: number;
    sent_pending: number;
    in_progress: number;
  }>`
    select count(*) filter (where source_partner_id = ${partnerId}::uuid and status = 'pending')::int
             as received_pending,
           count(*) filter (where source_partner_id = ${partnerId}::uuid and status = 'pending'
                              and customer_consent = 'pending')::int as received_awaiting_consent,
           count(*) filter (where target_partner_id = ${partnerId}::uuid and status = 'pending')::int
             as sent_pending,
           count(*) filter (where status = 'inProgress')::int as in_progress
      from transfers
     where (source_partner_id = ${partnerId}::uuid or target_partner_id = ${partnerId}::uuid)
       and (status = 'inProgress' or (status = 'pending' and expires_at > ${now}))`.execute(trx);
  return r.rows[0]!;
}

// ── answering a request ──

export type TransferChange = Partial<
  Pick<
    TransferRow,
    | 'status'
    | 'accepted_at'
    | 'accepted_by_name'
    | 'closed_at'
    | 'rejection_reason'
    | 'rejected_by'
    | 'target_order_id'
    | 'lease_owner'
    | 'lease_until'
  >
>;

/**
 * Moves a pending request on: only while it is still `pending` (the conditional update that decides a race of
 * accept, reject and cancel). False when another answer came first.
 */
export async function updatePending(
  trx: Trx,
  id: string,
  change: TransferChange,
  now: Date,
): Promise<boolean> {
  const r = await trx
    .updateTable('transfers')
    .set((eb) => ({ ...change, updated_at: now, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function updateTransfer(trx: Trx, id: string, change: TransferChange, now: Date): Promise<void> {
  await trx
    .updateTable('transfers')
    .set((eb) => ({ ...change, updated_at: now, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .execute();
}

/** Sets the status of the request's line items that are in `from` (all of them, or those with `lineNumbers`). */
export async function setLineStatus(
  trx: Trx,
  transferId: string,
  from: TransferLineStatus,
  to: TransferLineStatus,
  lineNumbers?: readonly number[],
): Promise<void> {
  if (lineNumbers && lineNumbers.length === 0) return;
  let qb = trx
    .updateTable('transfer_line_items')
    .set({ status: to })
    .where('transfer_id', '=', transferId)
    .where('status', '=', from);
  if (lineNumbers) qb = qb.where('line_number', 'in', [...lineNumbers]);
  await qb.execute();
}

export async function failLine(
  trx: Trx,
  transferId: string,
  lineNumber: number,
  code: string,
  description: string,
): Promise<void> {
  await trx
    .updateTable('transfer_line_items')
    .set({ status: 'failed', error_code: code, error_description: description })
    .where('transfer_id', '=', transferId)
    .where('line_number', '=', lineNumber)
    .execute();
}

export type LockedSubscription = Pick<
  Selectable<SubscriptionsTable>,
  | 'id'
  | 'partner_id'
  | 'customer_id'
  | 'status'
  | 'product_kind'
  | 'billing_type'
  | 'azure_subscription_id'
  | 'order_id'
  | 'offer_id'
  | 'offer_name'
  | 'unit_type'
  | 'friendly_name'
  | 'quantity'
  | 'term'
  | 'billing_cycle'
  | 'auto_renew'
  | 'currency'
>;

const LOCKED_COLUMNS = [
  'id',
  'partner_id',
  'customer_id',
  'status',
  'product_kind',
  'billing_type',
  'azure_subscription_id',
  'order_id',
  'offer_id',
  'offer_name',
  'unit_type',
  'friendly_name',
  'quantity',
  'term',
  'billing_cycle',
  'auto_renew',
  'currency',
] as const;

/** The subscriptions with these ids that the transaction can see, locked (in id order, against deadlocks). */
export function lockSubscriptions(trx: Trx, ids: readonly string[]): Promise<LockedSubscription[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return trx
    .selectFrom('subscriptions')
    .select([...LOCKED_COLUMNS])
    .where('id', 'in', [...new Set(ids)])
    .orderBy('id')
    .forUpdate()
    .execute();
}

/** Is the subscription in an accepted line item (its request is being completed)? */
export async function inTransferInProgress(trx: Trx, subscriptionId: string): Promise<boolean> {
  const r = await trx
    .selectFrom('transfer_line_items')
    .select('transfer_id')
    .where('subscription_id', '=', subscriptionId)
    .where('status', '=', 'accepted')
    .executeTakeFirst();
  return r !== undefined;
}

/** The caller's open requests (either side) for the customer: what blocks removing the relationship. */
export function openTransfers(
  trx: Trx,
  partnerId: string,
  customerId: string,
): Promise<
  Pick<
    TransferViewRow,
    'id' | 'status' | 'source_partner_id' | 'source_partner_name' | 'target_partner_name'
  >[]
> {
  return transfers(trx)
    .where('t.customer_id', '=', customerId)
    .where('t.status', 'in', ['pending', 'inProgress'])
    .where((eb) =>
      eb.or([eb('t.source_partner_id', '=', partnerId), eb('t.target_partner_id', '=', partnerId)]),
    )
    .orderBy('t.created_at')
    .orderBy('t.id')
    .execute();
}

// ── the completion job (owner connection, every partner) ──

export interface Claimed {
  id: string;
  attempts: number;
}

/** Leases the oldest accepted request no live worker holds (none held, or its lease lapsed). */
export async function claimTransfer(
  owner: Db,
  workerId: string,
  now: Date,
  leaseUntil: Date,
): Promise<Claimed | undefined> {
  const r = await sql<Claimed>`
    update transfers
       set lease_owner = ${workerId}, lease_until = ${leaseUntil}, attempts = attempts + 1
     where id = (select id from transfers
                  where status = 'inProgress' and (lease_until is null or lease_until < ${now})
                  order by accepted_at, id
                  for update skip locked
                  limit 1)
    returning id, attempts`.execute(owner);
  return r.rows[0];
}

export async function releaseLease(owner: Db, id: string, workerId: string): Promise<void> {
  await owner
    .updateTable('transfers')
    .set((eb) => ({ lease_owner: null, lease_until: null, attempts: eb('attempts', '-', 1) }))
    .where('id', '=', id)
    .where('lease_owner', '=', workerId)
    .where('status', '=', 'inProgress')
    .execute();
}

export type JobHead = TransferRow & { customer_name: string };

export async function lockForStep(trx: Trx, id: string): Promise<JobHead | undefined> {
  return trx
    .selectFrom('transfers as t')
    .innerJoin('customers as c', 'c.id', 't.customer_id')
    .selectAll('t')
    .select('c.billing_company_name as customer_name')
    .where('t.id', '=', id)
    .forUpdate('t')
    .executeTakeFirst();
}

export async function renewLease(trx: Trx, id: string, leaseUntil: Date): Promise<void> {
  await trx.updateTable('transfers').set({ lease_until: leaseUntil }).where('id', '=', id).execute();
}

export function nextAcceptedLine(trx: Trx, transferId: string): Promise<LineRow | undefined> {
  return trx
    .selectFrom('transfer_line_items')
    .selectAll()
    .where('transfer_id', '=', transferId)
    .where('status', '=', 'accepted')
    .orderBy('line_number')
    .limit(1)
    .executeTakeFirst();
}

export async function lineCounts(trx: Trx, transferId: string): Promise<Record<TransferLineStatus, number>> {
  const rows = await trx
    .selectFrom('transfer_line_items')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('transfer_id', '=', transferId)
    .groupBy('status')
    .execute();
  const out = {
    pending: 0,
    accepted: 0,
    completed: 0,
    failed: 0,
    notAccepted: 0,
    rejected: 0,
    cancelled: 0,
    expired: 0,
  } as Record<TransferLineStatus, number>;
  for (const r of rows) out[r.status] = Number(r.n);
  return out;
}

export async function insertOrder(
  trx: Trx,
  order: {
    id: string;
    partner_id: string;
    customer_id: string;
    currency: string;
    created_by: string;
    created_at: Date;
  },
  item: OrderLineItem,
): Promise<void> {
  await trx
    .insertInto('orders')
    .values({ ...order, line_items: JSON.stringify([item]) })
    .execute();
}

/** Appends a line to the order, answering its line item number. */
export async function nextOrderLine(trx: Trx, orderId: string): Promise<number> {
  const r = await sql<{ n: number }>`
    select coalesce((select max(line_item_number) + 1 from subscriptions where order_id = ${orderId}::uuid), 0)::int
      as n`.execute(trx);
  return r.rows[0]!.n;
}

export async function appendOrderLine(trx: Trx, orderId: string, item: OrderLineItem): Promise<void> {
  await sql`update orders set line_items = line_items || ${JSON.stringify([item])}::jsonb
             where id = ${orderId}::uuid`.execute(trx);
}

export async function insertSubscription(trx: Trx, row: Insertable<SubscriptionsTable>): Promise<void> {
  await trx.insertInto('subscriptions').values(row).execute();
}

export async function closeTransferred(
  trx: Trx,
  id: string,
  transferId: string,
  newId: string,
  now: Date,
): Promise<void> {
  await trx
    .updateTable('subscriptions')
    .set((eb) => ({
      status: 'transferred',
      transferred_at: now,
      transferred_to_subscription_id: newId,
      transfer_id: transferId,
      updated_at: now,
      version: eb('version', '+', 1),
    }))
    .where('id', '=', id)
    .execute();
}

export async function setAzureId(trx: Trx, id: string, azureId: string | null): Promise<void> {
  if (azureId === null) return;
  await trx
    .updateTable('subscriptions')
    .set({ azure_subscription_id: azureId })
    .where('id', '=', id)
    .execute();
}

export async function completeLine(
  trx: Trx,
  transferId: string,
  lineNumber: number,
  newSubscriptionId: string,
  now: Date,
): Promise<void> {
  await trx
    .updateTable('transfer_line_items')
    .set({ status: 'completed', new_subscription_id: newSubscriptionId, completed_at: now })
    .where('transfer_id', '=', transferId)
    .where('line_number', '=', lineNumber)
    .execute();
}

// ── expiry (owner connection) ──

export function lockExpiring(trx: Trx, now: Date, limit: number, customerId?: string): Promise<JobHead[]> {
  let query = trx
    .selectFrom('transfers as t')
    .innerJoin('customers as c', 'c.id', 't.customer_id')
    .selectAll('t')
    .select('c.billing_company_name as customer_name')
    .where('t.status', '=', 'pending')
    .where('t.expires_at', '<=', now);
  if (customerId) query = query.where('t.customer_id', '=', customerId);
  return query.orderBy('t.expires_at').orderBy('t.id').limit(limit).forUpdate('t').skipLocked().execute();
}

export async function markExpired(trx: Trx, ids: readonly string[], now: Date): Promise<void> {
  if (ids.length === 0) return;
  await trx
    .updateTable('transfers')
    .set((eb) => ({ status: 'expired', closed_at: now, updated_at: now, version: eb('version', '+', 1) }))
    .where('id', 'in', [...ids])
    .where('status', '=', 'pending')
    .execute();
  await trx
    .updateTable('transfer_line_items')
    .set({ status: 'expired' })
    .where('transfer_id', 'in', [...ids])
    .where('status', '=', 'pending')
    .execute();
}
