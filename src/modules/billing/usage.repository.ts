// SQL of usage records: what a batch needs to be checked and rated (its subscriptions with their state history,
// the meters and prices of their offers), the billing periods it goes into, the insert, and the list. Every
// query reads a whole batch at once: a batch of 1000 records is a handful of statements, never one per record.
import type { Insertable, Selectable } from 'kysely';
import { sql } from 'kysely';
import type { Trx } from '../../db/database.ts';
import type { MeterPricesTable, OfferMetersTable, UsageRecordsTable } from '../../db/schema.ts';

export type UsageRecordRow = Selectable<UsageRecordsTable>;
export type MeterRow = Selectable<OfferMetersTable>;
export type MeterPriceRow = Selectable<MeterPricesTable>;

/** What rating a record needs of its subscription. */
export interface UsageSubscriptionRow {
  id: string;
  customer_id: string;
  customer_name: string;
  offer_id: string;
  billing_type: 'license' | 'usage';
  currency: string;
}

/** The partner's subscriptions among `ids` (another partner's are simply not found). */
export function subscriptionsOf(
  trx: Trx,
  partnerId: string,
  ids: readonly string[],
): Promise<UsageSubscriptionRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return trx
    .selectFrom('subscriptions as s')
    .leftJoin('customer_relationships as r', (j) =>
      j.onRef('r.customer_id', '=', 's.customer_id').onRef('r.partner_id', '=', 's.partner_id'),
    )
    .select(['s.id', 's.customer_id', 's.offer_id', 's.billing_type', 's.currency'])
    .select((eb) => eb.fn.coalesce('r.company_name', sql<string>`''`).as('customer_name'))
    .where('s.partner_id', '=', partnerId)
    .where('s.id', 'in', [...new Set(ids)])
    .execute();
}

export function metersOf(trx: Trx, offerIds: readonly string[]): Promise<MeterRow[]> {
  if (offerIds.length === 0) return Promise.resolve([]);
  return trx
    .selectFrom('offer_meters')
    .selectAll()
    .where('offer_id', 'in', [...new Set(offerIds)])
    .execute();
}

/** Meter prices of these offers in these currencies, oldest first per meter and currency. */
export function pricesOf(
  trx: Trx,
  offerIds: readonly string[],
  currencies: readonly string[],
): Promise<MeterPriceRow[]> {
  if (offerIds.length === 0 || currencies.length === 0) return Promise.resolve([]);
  return trx
    .selectFrom('meter_prices')
    .selectAll()
    .where('offer_id', 'in', [...new Set(offerIds)])
    .where('currency', 'in', [...new Set(currencies)])
    .orderBy('offer_id')
    .orderBy('meter_id')
    .orderBy('currency')
    .orderBy('effective_from')
    .execute();
}

/**
 * The partner's billing periods of these months, held FOR SHARE until the transaction ends (created open when
 * missing): the invoice job takes them FOR UPDATE, so usage never slips into a period while it is invoiced,
 * and a period closed before this answers `closed`.
 */
export async function holdPeriods(
  trx: Trx,
  partnerId: string,
  periods: readonly string[],
): Promise<Map<string, 'open' | 'closed'>> {
  const unique = [...new Set(periods)].sort();
  if (unique.length === 0) return new Map();
  await trx
    .insertInto('billing_periods')
    .values(unique.map((p) => ({ partner_id: partnerId, period_start: p, status: 'open' as const })))
    .onConflict((oc) => oc.columns(['partner_id', 'period_start']).doNothing())
    .execute();
  const rows = await trx
    .selectFrom('billing_periods')
    .select(['period_start', 'status'])
    .where('partner_id', '=', partnerId)
    .where('period_start', 'in', unique)
    .orderBy('period_start')
    .forShare()
    .execute();
  return new Map(rows.map((r) => [r.period_start, r.status]));
}

/** The partner's records with these client record ids. */
export function recordsByClientId(
  trx: Trx,
  partnerId: string,
  clientRecordIds: readonly string[],
): Promise<UsageRecordRow[]> {
  if (clientRecordIds.length === 0) return Promise.resolve([]);
  return trx
    .selectFrom('usage_records')
    .selectAll()
    .where('partner_id', '=', partnerId)
    .where('client_record_id', 'in', [...new Set(clientRecordIds)])
    .execute();
}

/**
 * Inserts the records in one statement; a client record id the partner already has is skipped (whoever wrote
 * it first, even a concurrent request: the insert waits for it). Answers the client record ids written.
 */
export async function insertRecords(
  trx: Trx,
  rows: readonly Insertable<UsageRecordsTable>[],
): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  // In client record id order: two batches sharing ids in different orders would otherwise wait on each
  // other's rows in opposite orders (a deadlock).
  const ordered = [...rows].sort((a, b) =>
    a.client_record_id < b.client_record_id ? -1 : a.client_record_id > b.client_record_id ? 1 : 0,
  );
  const written = await trx
    .insertInto('usage_records')
    .values(ordered)
    .onConflict((oc) => oc.columns(['partner_id', 'client_record_id']).doNothing())
    .returning('client_record_id')
    .execute();
  return new Set(written.map((r) => r.client_record_id));
}

// ── the list ──

export interface UsageQuery {
  partnerId: string;
  subscriptionId?: string;
  customerId?: string;
  /** Inclusive days. */
  from?: string;
  to?: string;
}

/** Where a page starts: after this (usage date, id), newest first. */
export type UsagePosition = [usageDate: string, id: string];

function filtered(trx: Trx, q: UsageQuery) {
  return trx
    .selectFrom('usage_records')
    .where('partner_id', '=', q.partnerId)
    .$if(q.subscriptionId !== undefined, (qb) => qb.where('subscription_id', '=', q.subscriptionId!))
    .$if(q.customerId !== undefined, (qb) => qb.where('customer_id', '=', q.customerId!))
    .$if(q.from !== undefined, (qb) => qb.where('usage_date', '>=', q.from!))
    .$if(q.to !== undefined, (qb) => qb.where('usage_date', '<=', q.to!));
}

export function findRecords(
  trx: Trx,
  q: UsageQuery,
  after: UsagePosition | undefined,
  limit: number,
): Promise<UsageRecordRow[]> {
  return filtered(trx, q)
    .selectAll()
    .$if(after !== undefined, (qb) =>
      qb.where(sql<boolean>`(usage_date, id) < (${after![0]}::date, ${after![1]}::uuid)`),
    )
    .orderBy('usage_date', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

export async function countRecords(trx: Trx, q: UsageQuery): Promise<number> {
  const r = await filtered(trx, q)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
