// SQL for reading invoices and credit notes and their lines. Every function runs in a transaction opened by
// inPartnerTransaction: row-level security limits it to the caller's partner, and each query also names the
// partner (the first wall). Nothing here writes: the invoice job (invoices.close.ts) owns the writing.
import type { Selectable } from 'kysely';
import { sql } from 'kysely';
import type { Trx } from '../../db/database.ts';
import type {
  BillingProvider,
  InvoiceDocumentType,
  InvoiceLineItemType,
  InvoiceLineItemsTable,
  InvoicesTable,
} from '../../db/schema.ts';

export type InvoiceRow = Selectable<InvoicesTable> & {
  /** invoice_date at microsecond precision, for keyset paging. */
  position_at: string;
  /** How many credit notes amend it: part of its ETag (the amendments are part of the resource). */
  amendment_count: number;
};
export type InvoiceLineRow = Selectable<InvoiceLineItemsTable>;

const POSITION = sql<string>`to_char(i.invoice_date at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** Invoices with their list position and how many credit notes amend each. */
function withColumns(qb: ReturnType<typeof filtered>) {
  return qb
    .selectAll('i')
    .select([
      POSITION.as('position_at'),
      sql<number>`(select count(*) from invoices a where a.amends_of = i.id and a.partner_id = i.partner_id)::int`.as(
        'amendment_count',
      ),
    ]);
}

export interface InvoiceQuery {
  partnerId: string;
  /** 'YYYY-MM-01': documents of that billing period. */
  periodStart?: string;
  documentType?: InvoiceDocumentType;
  currency?: string;
}

/** The partner's documents the query names, before any selection (the list and its count share it). */
function filtered(trx: Trx, q: InvoiceQuery) {
  let qb = trx.selectFrom('invoices as i').where('i.partner_id', '=', q.partnerId);
  if (q.periodStart) qb = qb.where('i.billing_period_start', '=', q.periodStart);
  if (q.documentType) qb = qb.where('i.document_type', '=', q.documentType);
  if (q.currency) qb = qb.where('i.currency', '=', q.currency);
  return qb;
}

/** Where an invoice sits in the list: newest first. */
export type InvoicePosition = [at: string, id: string];

export function findInvoices(
  trx: Trx,
  q: InvoiceQuery,
  after: InvoicePosition | undefined,
  limit: number,
): Promise<InvoiceRow[]> {
  let qb = withColumns(filtered(trx, q));
  if (after)
    qb = qb.where(sql<boolean>`(i.invoice_date, i.id) < (${after[0]}::timestamptz, ${after[1]}::text)`);
  return qb.orderBy('i.invoice_date', 'desc').orderBy('i.id', 'desc').limit(limit).execute();
}

export async function countInvoices(trx: Trx, q: InvoiceQuery): Promise<number> {
  const r = await filtered(trx, q)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export function getInvoice(trx: Trx, partnerId: string, id: string): Promise<InvoiceRow | undefined> {
  return withColumns(filtered(trx, { partnerId })).where('i.id', '=', id).executeTakeFirst();
}

export interface DetailRow {
  invoice_id: string;
  provider: BillingProvider;
  line_item_type: InvoiceLineItemType;
  line_count: number;
  total_charges: number;
}

/** Line counts and totals per provider and line item type, for each of the invoices. */
export function invoiceDetails(trx: Trx, partnerId: string, invoiceIds: string[]): Promise<DetailRow[]> {
  if (invoiceIds.length === 0) return Promise.resolve([]);
  return trx
    .selectFrom('invoice_line_items as l')
    .select([
      'l.invoice_id',
      'l.provider',
      'l.line_item_type',
      sql<number>`count(*)::int`.as('line_count'),
      sql<number>`sum(l.amount)::bigint`.as('total_charges'),
    ])
    .where('l.partner_id', '=', partnerId)
    .where('l.invoice_id', 'in', invoiceIds)
    .groupBy(['l.invoice_id', 'l.provider', 'l.line_item_type'])
    .orderBy('l.invoice_id')
    .orderBy('l.provider')
    .orderBy('l.line_item_type')
    .execute();
}

/** The credit notes that amend an invoice, oldest first. */
export function amendmentsOf(
  trx: Trx,
  partnerId: string,
  invoiceId: string,
): Promise<Pick<InvoiceRow, 'id' | 'invoice_date' | 'total_charges'>[]> {
  return trx
    .selectFrom('invoices as i')
    .select(['i.id', 'i.invoice_date', 'i.total_charges'])
    .where('i.partner_id', '=', partnerId)
    .where('i.amends_of', '=', invoiceId)
    .orderBy('i.invoice_date')
    .orderBy('i.id')
    .execute();
}

export interface CustomerTotalRow {
  customer_id: string;
  customer_name: string;
  total_charges: number;
}

/**
 * An invoice's totals per customer, by customer name; `limit` bounds what a statement holds for an invoice
 * with very many customers (the API's invoice takes them all).
 */
export function totalsByCustomer(
  trx: Trx,
  partnerId: string,
  invoiceId: string,
  limit?: number,
): Promise<CustomerTotalRow[]> {
  let qb = trx
    .selectFrom('invoice_line_items as l')
    .select([
      'l.customer_id',
      // A customer renamed within the period has one name per line; the invoice shows the last one.
      sql<string>`(array_agg(l.customer_name order by l.line_number desc))[1]`.as('customer_name'),
      sql<number>`sum(l.amount)::bigint`.as('total_charges'),
    ])
    .where('l.partner_id', '=', partnerId)
    .where('l.invoice_id', '=', invoiceId)
    .groupBy('l.customer_id')
    .orderBy(sql`2`)
    .orderBy('l.customer_id');
  if (limit !== undefined) qb = qb.limit(limit);
  return qb.execute();
}

export async function countCustomers(trx: Trx, partnerId: string, invoiceId: string): Promise<number> {
  const r = await trx
    .selectFrom('invoice_line_items as l')
    .select(sql<number>`count(distinct l.customer_id)::int`.as('n'))
    .where('l.partner_id', '=', partnerId)
    .where('l.invoice_id', '=', invoiceId)
    .executeTakeFirstOrThrow();
  return r.n;
}

export interface OfferTotalRow {
  offer_id: string;
  offer_name: string;
  total_charges: number;
}

export function totalsByOffer(trx: Trx, partnerId: string, invoiceId: string): Promise<OfferTotalRow[]> {
  return trx
    .selectFrom('invoice_line_items as l')
    .select([
      'l.offer_id',
      sql<string>`(array_agg(l.offer_name order by l.line_number desc))[1]`.as('offer_name'),
      sql<number>`sum(l.amount)::bigint`.as('total_charges'),
    ])
    .where('l.partner_id', '=', partnerId)
    .where('l.invoice_id', '=', invoiceId)
    .groupBy('l.offer_id')
    .orderBy(sql`2`)
    .orderBy('l.offer_id')
    .execute();
}

export interface LineQuery {
  partnerId: string;
  invoiceId: string;
  provider?: BillingProvider;
  lineItemType?: InvoiceLineItemType;
  customerId?: string;
}

function lines(trx: Trx, q: LineQuery) {
  let qb = trx
    .selectFrom('invoice_line_items as l')
    .where('l.partner_id', '=', q.partnerId)
    .where('l.invoice_id', '=', q.invoiceId);
  if (q.provider) qb = qb.where('l.provider', '=', q.provider);
  if (q.lineItemType) qb = qb.where('l.line_item_type', '=', q.lineItemType);
  if (q.customerId) qb = qb.where('l.customer_id', '=', q.customerId);
  return qb;
}

/** Up to `limit` lines in line number order, after line `afterLine`. */
export function findLines(
  trx: Trx,
  q: LineQuery,
  afterLine: number | undefined,
  limit: number,
): Promise<InvoiceLineRow[]> {
  let qb = lines(trx, q).selectAll('l');
  if (afterLine !== undefined) qb = qb.where('l.line_number', '>', afterLine);
  return qb.orderBy('l.line_number').limit(limit).execute();
}

export async function countLines(trx: Trx, q: LineQuery): Promise<number> {
  const r = await lines(trx, q)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export interface MonthTotalRow {
  currency: string;
  billing_period_start: string;
  total_charges: number;
  invoice_ids: string[];
}

/**
 * Each currency's total per billing period from `fromPeriod` to `toPeriod` (inclusive), invoices and the credit
 * notes that amend them together (a credit note's total is negative), with the documents' ids.
 */
export function monthTotals(
  trx: Trx,
  partnerId: string,
  fromPeriod: string,
  toPeriod: string,
): Promise<MonthTotalRow[]> {
  return trx
    .selectFrom('invoices as i')
    .select([
      sql<string>`i.currency::text`.as('currency'),
      'i.billing_period_start',
      sql<number>`sum(i.total_charges)::bigint`.as('total_charges'),
      sql<string[]>`array_agg(i.id order by i.id)`.as('invoice_ids'),
    ])
    .where('i.partner_id', '=', partnerId)
    .where('i.billing_period_start', '>=', fromPeriod)
    .where('i.billing_period_start', '<=', toPeriod)
    .groupBy(['i.currency', 'i.billing_period_start'])
    .orderBy('i.currency')
    .orderBy('i.billing_period_start')
    .execute();
}
