// SQL of service requests: per-partner numbers, the requests with what their views show (topic, people, counts),
// their filtered lists and summary counts, their timeline events and their attachments (metadata and content).
import type { ExpressionBuilder, Insertable, Selectable } from 'kysely';
import { sql } from 'kysely';
import type { Trx } from '../../db/database.ts';
import type {
  DB,
  ServiceRequestAttachmentsTable,
  ServiceRequestEventsTable,
  ServiceRequestSeverity,
  ServiceRequestStatus,
  ServiceRequestsTable,
} from '../../db/schema.ts';
import { escapeLike } from '../../lib/text.ts';

export type RequestRow = Selectable<ServiceRequestsTable>;
export type EventRow = Selectable<ServiceRequestEventsTable>;
export type AttachmentMeta = Omit<Selectable<ServiceRequestAttachmentsTable>, 'content'>;

/** A request with what its view shows beside its own columns. */
export type RequestViewRow = RequestRow & {
  topic_name: string;
  created_by_email: string | null;
  last_updated_by_email: string | null;
  assigned_to_name: string | null;
  assigned_to_email: string | null;
  note_count: number;
  attachment_count: number;
  /** created_at at microsecond precision, the list's cursor key. */
  position_at: string;
};

const POSITION = sql<string>`to_char(r.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

// ── topics ──

export function topics(trx: Trx) {
  return trx.selectFrom('support_topics').selectAll().orderBy('sort_order').orderBy('id').execute();
}

/** The topic by its id in any case (billing, Billing). */
export function topic(trx: Trx, id: string): Promise<{ id: string } | undefined> {
  return trx
    .selectFrom('support_topics')
    .select('id')
    .where(sql<boolean>`lower(id) = lower(${id})`)
    .executeTakeFirst();
}

// ── what a new request refers to ──

/** The partner's next request number: the counter row is taken (and held) until the transaction ends. */
export async function nextNumber(trx: Trx, partnerId: string): Promise<number> {
  const row = await trx
    .insertInto('service_request_counters')
    .values({ partner_id: partnerId, last_number: 1 })
    .onConflict((oc) =>
      oc
        .column('partner_id')
        .doUpdateSet((eb) => ({ last_number: eb('service_request_counters.last_number', '+', 1) })),
    )
    .returning('last_number')
    .executeTakeFirstOrThrow();
  return row.last_number;
}

/** One of the customer's subscriptions with the partner, any status. */
export function customerSubscription(
  trx: Trx,
  partnerId: string,
  customerId: string,
  subscriptionId: string,
): Promise<{ id: string; offer_id: string; friendly_name: string } | undefined> {
  return trx
    .selectFrom('subscriptions')
    .select(['id', 'offer_id', 'friendly_name'])
    .where('partner_id', '=', partnerId)
    .where('customer_id', '=', customerId)
    .where('id', '=', subscriptionId)
    .executeTakeFirst();
}

export function offer(trx: Trx, offerId: string): Promise<{ id: string; name: string } | undefined> {
  return trx.selectFrom('offers').select(['id', 'name']).where('id', '=', offerId).executeTakeFirst();
}

export function partnerUser(
  trx: Trx,
  partnerId: string,
  userId: string,
): Promise<
  | { id: string; display_name: string; user_name: string; roles: string[]; state: 'active' | 'inactive' }
  | undefined
> {
  return trx
    .selectFrom('partner_users')
    .select(['id', 'display_name', 'user_name', 'roles', 'state'])
    .where('partner_id', '=', partnerId)
    .where('id', '=', userId)
    .executeTakeFirst();
}

// ── requests ──

export async function insertRequest(trx: Trx, values: Insertable<ServiceRequestsTable>): Promise<void> {
  await trx.insertInto('service_requests').values(values).execute();
}

/** The request, by id or by number. */
export type RequestKey = { id: string } | { number: number };

const byKey = (key: RequestKey) => (eb: ExpressionBuilder<DB, 'service_requests'>) =>
  'id' in key ? eb('service_requests.id', '=', key.id) : eb('service_requests.number', '=', key.number);

/** The request's own row (no lock): to check it is the caller's. */
export function findRequest(trx: Trx, partnerId: string, key: RequestKey): Promise<RequestRow | undefined> {
  return trx
    .selectFrom('service_requests')
    .selectAll()
    .where('partner_id', '=', partnerId)
    .where(byKey(key))
    .executeTakeFirst();
}

/** The request locked for a change: concurrent changes of it wait for this transaction. */
export function lockRequest(trx: Trx, partnerId: string, key: RequestKey): Promise<RequestRow | undefined> {
  return trx
    .selectFrom('service_requests')
    .selectAll()
    .where('partner_id', '=', partnerId)
    .where(byKey(key))
    .forUpdate()
    .executeTakeFirst();
}

/**
 * Writes a change of the request as read in `current`, under its lock (lockRequest), so the version is still
 * current's. Should it not be (a change made without the lock), nothing is written and this throws, rather than
 * one of two changes being lost without a word.
 */
export async function updateRequest(
  trx: Trx,
  current: RequestRow,
  values: Partial<Omit<RequestRow, 'id' | 'partner_id' | 'customer_id' | 'number' | 'version'>>,
): Promise<void> {
  const r = await trx
    .updateTable('service_requests')
    .set({ ...values, version: current.version + 1 })
    .where('partner_id', '=', current.partner_id)
    .where('id', '=', current.id)
    .where('version', '=', current.version)
    .executeTakeFirst();
  if (r.numUpdatedRows !== 1n)
    throw new Error(`service request ${current.id} is no longer at version ${current.version}`);
}

// Views of requests (lists, counts, one request) read service_request_list (the partner's requests, the tenant
// rule in its WHERE) rather than the table: under the table's row-level security ILIKE could not use the trigram
// index, so every search read all of the partner's requests (see migration 20261209T0900). Writes and locks go
// to the table under its policy.
function requestViews(trx: Trx) {
  return trx
    .selectFrom('service_request_list as r')
    .innerJoin('support_topics as t', 't.id', 'r.support_topic_id')
    .leftJoin('partner_users as cu', 'cu.id', 'r.created_by_id')
    .leftJoin('partner_users as uu', 'uu.id', 'r.last_updated_by_id')
    .leftJoin('partner_users as au', 'au.id', 'r.assigned_to_id')
    .selectAll('r')
    .select([
      't.name as topic_name',
      'cu.user_name as created_by_email',
      'uu.user_name as last_updated_by_email',
      'au.display_name as assigned_to_name',
      'au.user_name as assigned_to_email',
      sql<number>`(select count(*) from service_request_events e
                    where e.request_id = r.id and e.kind = 'note')::int`.as('note_count'),
      sql<number>`(select count(*) from service_request_attachments a where a.request_id = r.id)::int`.as(
        'attachment_count',
      ),
      POSITION.as('position_at'),
    ]);
}

export function requestView(
  trx: Trx,
  partnerId: string,
  key: RequestKey,
): Promise<RequestViewRow | undefined> {
  return requestViews(trx)
    .where('r.partner_id', '=', partnerId)
    .where('id' in key ? sql<boolean>`r.id = ${key.id}::uuid` : sql<boolean>`r.number = ${key.number}`)
    .executeTakeFirst();
}

export interface RequestQuery {
  partnerId: string;
  customerId?: string;
  statuses?: readonly ServiceRequestStatus[];
  severities?: readonly ServiceRequestSeverity[];
  overdue?: boolean;
  /** A partner user's id, or null: nobody. */
  assignedTo?: string | null;
  /** Text in the title or organization name. */
  text?: string;
  /** A reference number the text may also be. */
  number?: number;
  now: Date;
}

function overdueAt(now: Date) {
  return sql<boolean>`(r.status <> 'closed' and r.first_response_at is null and r.response_due_at <= ${now})`;
}

function whereQuery(eb: ExpressionBuilder<DB & { r: ServiceRequestsTable }, 'r'>, q: RequestQuery) {
  const and = [eb('r.partner_id', '=', q.partnerId)];
  if (q.customerId) and.push(eb('r.customer_id', '=', q.customerId));
  if (q.statuses?.length) and.push(eb('r.status', 'in', [...q.statuses]));
  if (q.severities?.length) and.push(eb('r.severity', 'in', [...q.severities]));
  if (q.overdue === true) and.push(eb(overdueAt(q.now), '=', true));
  if (q.overdue === false) and.push(eb(overdueAt(q.now), '=', false));
  if (q.assignedTo === null) and.push(eb('r.assigned_to_id', 'is', null));
  else if (q.assignedTo !== undefined) and.push(eb('r.assigned_to_id', '=', q.assignedTo));
  if (q.text !== undefined) {
    // Each arm has its index (trigrams for the texts, the unique (partner_id, number) for the number), which
    // PostgreSQL ORs together: a reference number costs a few index look-ups, not a read of every request.
    const pattern = `%${escapeLike(q.text)}%`;
    const or = [eb('r.title', 'ilike', pattern), eb('r.organization_name', 'ilike', pattern)];
    if (q.number !== undefined) or.push(eb('r.number', '=', q.number));
    and.push(eb.or(or));
  }
  return eb.and(and);
}

/** Up to `limit` requests matching `q`, newest first, after the position `after`. */
export function findRequests(
  trx: Trx,
  q: RequestQuery,
  after: [string, string] | undefined,
  limit: number,
): Promise<RequestViewRow[]> {
  let qb = requestViews(trx).where((eb) => whereQuery(eb, q));
  if (after)
    qb = qb.where(sql<boolean>`(r.created_at, r.id) < (${after[0]}::timestamptz, ${after[1]}::uuid)`);
  return qb.orderBy('r.created_at', 'desc').orderBy('r.id', 'desc').limit(limit).execute();
}

export async function countRequests(trx: Trx, q: RequestQuery): Promise<number> {
  const r = await trx
    .selectFrom('service_request_list as r')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where((eb) => whereQuery(eb, q))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export interface SummaryRow {
  open: number;
  attention_needed: number;
  overdue: number;
  closed_recently: number;
  overdue_critical: number;
  overdue_moderate: number;
  overdue_minimal: number;
}

/**
 * The partner's counts: by status, overdue (by severity) at `now`, closed since `closedSince`. Each comes from the
 * one set of requests it needs, read from that set's partial index alone (every column it counts by is in the
 * index): requests open or waiting on the customer, those waiting for a first response (by due time), those
 * closed (by closing time). The closed history, which only grows, is never read.
 */
export async function summary(
  trx: Trx,
  partnerId: string,
  now: Date,
  closedSince: Date,
): Promise<SummaryRow> {
  const r = await sql<SummaryRow>`
    select s.open, s.attention_needed, o.overdue, o.overdue_critical, o.overdue_moderate, o.overdue_minimal,
           c.closed_recently
      from (select count(*) filter (where r.status = 'open')::int as open,
                   count(*) filter (where r.status = 'attentionNeeded')::int as attention_needed
              from service_requests r
             where r.partner_id = ${partnerId}::uuid and r.status in ('open', 'attentionNeeded')) s,
           (select count(*)::int as overdue,
                   count(*) filter (where r.severity = 'critical')::int as overdue_critical,
                   count(*) filter (where r.severity = 'moderate')::int as overdue_moderate,
                   count(*) filter (where r.severity = 'minimal')::int as overdue_minimal
              from service_requests r
             where r.partner_id = ${partnerId}::uuid and ${overdueAt(now)}) o,
           (select count(*)::int as closed_recently
              from service_requests r
             where r.partner_id = ${partnerId}::uuid and r.status = 'closed' and r.closed_at >= ${closedSince}) c`.execute(
    trx,
  );
  return r.rows[0]!;
}

/** The overdue request whose first response was due longest ago. */
export function oldestOverdue(
  trx: Trx,
  partnerId: string,
  now: Date,
): Promise<Pick<RequestRow, 'id' | 'number' | 'title' | 'response_due_at'> | undefined> {
  return trx
    .selectFrom('service_requests as r')
    .select(['r.id', 'r.number', 'r.title', 'r.response_due_at'])
    .where('r.partner_id', '=', partnerId)
    .where(overdueAt(now))
    .orderBy('r.response_due_at')
    .orderBy('r.number')
    .limit(1)
    .executeTakeFirst();
}

// ── timeline ──

export type NewEvent = Omit<Insertable<ServiceRequestEventsTable>, 'id' | 'details'> & {
  details?: Record<string, unknown>;
};

export async function insertEvents(trx: Trx, events: readonly NewEvent[]): Promise<void> {
  if (events.length === 0) return;
  await trx
    .insertInto('service_request_events')
    .values(events.map((e) => ({ ...e, details: JSON.stringify(e.details ?? {}) })))
    .execute();
}

export function eventsOf(trx: Trx, requestId: string): Promise<EventRow[]> {
  return trx
    .selectFrom('service_request_events')
    .selectAll()
    .where('request_id', '=', requestId)
    .orderBy('id')
    .execute();
}

// ── attachments ──

export async function insertAttachment(
  trx: Trx,
  values: Insertable<ServiceRequestAttachmentsTable>,
): Promise<void> {
  await trx.insertInto('service_request_attachments').values(values).execute();
}

export function attachmentsOf(trx: Trx, requestId: string): Promise<AttachmentMeta[]> {
  return trx
    .selectFrom('service_request_attachments')
    .select([
      'id',
      'request_id',
      'partner_id',
      'file_name',
      'content_type',
      'size_bytes',
      'sha256',
      'created_at',
      'created_by_id',
      'created_by_name',
    ])
    .where('request_id', '=', requestId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function attachmentCount(trx: Trx, requestId: string): Promise<number> {
  const r = await trx
    .selectFrom('service_request_attachments')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('request_id', '=', requestId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export function attachmentContent(
  trx: Trx,
  requestId: string,
  attachmentId: string,
): Promise<
  Pick<Selectable<ServiceRequestAttachmentsTable>, 'file_name' | 'content_type' | 'content'> | undefined
> {
  return trx
    .selectFrom('service_request_attachments')
    .select(['file_name', 'content_type', 'content'])
    .where('request_id', '=', requestId)
    .where('id', '=', attachmentId)
    .executeTakeFirst();
}
