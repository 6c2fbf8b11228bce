// Reading the activity log. Rows are read inside the caller's partner transaction (row-level security) and
// every query also names the partner, so an index on (partner_id, occurred_at desc, id desc) serves it.
import type { ExpressionBuilder } from 'kysely';
import { sql } from 'kysely';
import type { Trx } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';

export type TextMatch = { op: 'equals' | 'starts_with' | 'substring'; value: string };

export interface RecordQuery {
  partnerId: string;
  from: Date;
  /** Exclusive end; undefined = open (up to now and whatever is written meanwhile is cut by the cursor). */
  to?: Date;
  customerId?: string;
  customerName?: TextMatch;
  /** Exact action, or an action family: `partnerUser` matches `partnerUser.create`. */
  actionFamily?: string;
  action?: TextMatch;
  status?: 'succeeded' | 'failed';
  partnerUser?: TextMatch;
  /** Case-insensitive text in the customer name, action or partner user. */
  text?: string;
}

/** Position after which the next page starts: the last row's time (microsecond text) and id. */
export interface RecordPosition {
  at: string;
  id: string;
}

export interface ActivityRow {
  id: string;
  occurred_at: Date;
  /** occurred_at with its full microsecond precision, for the cursor (a JS Date keeps milliseconds only). */
  position_at: string;
  actor_kind: DB['activity_records']['actor_kind'];
  actor_id: string | null;
  actor_name: string;
  customer_id: string | null;
  customer_name: string | null;
  action: string;
  resource_type: string;
  resource_id: string | null;
  status: 'succeeded' | 'failed';
  details: Record<string, unknown>;
  request_id: string | null;
  correlation_id: string | null;
}

type Eb = ExpressionBuilder<DB, 'activity_records'>;

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

function likePattern(m: TextMatch): string {
  const v = escapeLike(m.value);
  return m.op === 'equals' ? v : m.op === 'starts_with' ? `${v}%` : `%${v}%`;
}

function textMatch(eb: Eb, column: 'customer_name' | 'action' | 'actor_name', m: TextMatch) {
  return eb(column, 'ilike', likePattern(m));
}

function where(eb: Eb, q: RecordQuery) {
  const and = [eb('partner_id', '=', q.partnerId), eb('occurred_at', '>=', q.from)];
  if (q.to) and.push(eb('occurred_at', '<', q.to));
  if (q.customerId) and.push(eb('customer_id', '=', q.customerId));
  if (q.customerName) and.push(textMatch(eb, 'customer_name', q.customerName));
  if (q.action) and.push(textMatch(eb, 'action', q.action));
  if (q.actionFamily)
    and.push(
      eb.or([eb('action', '=', q.actionFamily), eb('action', 'like', `${escapeLike(q.actionFamily)}.%`)]),
    );
  if (q.status) and.push(eb('status', '=', q.status));
  if (q.partnerUser) and.push(textMatch(eb, 'actor_name', q.partnerUser));
  if (q.text) {
    const p = `%${escapeLike(q.text)}%`;
    and.push(
      eb.or([eb('customer_name', 'ilike', p), eb('action', 'ilike', p), eb('actor_name', 'ilike', p)]),
    );
  }
  return eb.and(and);
}

/**
 * Up to `limit` records matching `q` in time order (ties by id), newest first unless `order` is asc, after
 * `position` when given. The (partner_id, occurred_at desc, id desc) index serves both directions.
 */
export async function findRecords(
  trx: Trx,
  q: RecordQuery,
  position: RecordPosition | undefined,
  limit: number,
  order: 'asc' | 'desc' = 'desc',
): Promise<ActivityRow[]> {
  let query = trx
    .selectFrom('activity_records')
    .select([
      'id',
      'occurred_at',
      sql<string>`to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('position_at'),
      'actor_kind',
      'actor_id',
      'actor_name',
      'customer_id',
      'customer_name',
      'action',
      'resource_type',
      'resource_id',
      'status',
      'details',
      'request_id',
      'correlation_id',
    ])
    .where((eb) => where(eb, q));
  if (position)
    query = query.where((eb) =>
      eb(
        eb.refTuple('occurred_at', 'id'),
        order === 'asc' ? '>' : '<',
        eb.tuple(sql<Date>`${position.at}::timestamptz`, position.id),
      ),
    );
  return query.orderBy('occurred_at', order).orderBy('id', order).limit(limit).execute();
}

export async function countRecords(trx: Trx, q: RecordQuery): Promise<number> {
  const r = await trx
    .selectFrom('activity_records')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where((eb) => where(eb, q))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
