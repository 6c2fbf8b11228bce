// The invoice job: closes each partner's ended months. For one partner and month it locks the billing period
// (usage ingestion holds it FOR SHARE, so no usage slips in meanwhile), works out the month's charges and
// writes one invoice per currency and invoice type that has lines, then marks the period closed — all in one
// transaction on the owner connection. A closed period is never invoiced again, and an issued invoice never
// changes (the database refuses it), so running the job again, or in two processes at once, adds nothing.
import { sql } from 'kysely';
import type { Db, Trx } from '../../db/database.ts';
import { AppError } from '../../lib/errors.ts';
import { recordAllAs } from '../activity/activity.record.ts';
import { formatMinor } from './billing.money.ts';
import type { ChargeLine } from './charges.service.ts';
import { periodEnd, periodOf, previousPeriod, streamCharges } from './charges.service.ts';

const SYSTEM = { kind: 'system', name: 'Partnerdesk billing' } as const;
const INSERT_BATCH = 5000;

/** Formats a number from `invoice_numbers` as an invoice ('PD…') or credit note ('CN…') id. */
export function documentId(prefix: 'PD' | 'CN', n: number | string): string {
  return `${prefix}${String(n).padStart(10, '0')}`;
}

export async function nextDocumentId(trx: Trx, prefix: 'PD' | 'CN'): Promise<string> {
  const r = await sql<{ n: string }>`select nextval('invoice_numbers')::text as n`.execute(trx);
  return documentId(prefix, r.rows[0]!.n);
}

export interface CloseResult {
  /** Ids of the invoices written. */
  invoices: string[];
  /** False when the period was already closed (nothing written). */
  closed: boolean;
}

/** Closes one partner's month: its invoices, then the period. Refuses a month that has not ended. */
export async function closePeriod(
  owner: Db,
  partnerId: string,
  period: string,
  now: Date,
): Promise<CloseResult> {
  if (period >= periodOf(now)) {
    throw new AppError('validationFailed', {
      details: [{ field: 'period', reason: `The billing period ${period.slice(0, 7)} has not ended yet.` }],
    });
  }
  return owner.transaction().execute(async (trx) => {
    await trx
      .insertInto('billing_periods')
      .values({ partner_id: partnerId, period_start: period })
      .onConflict((oc) => oc.doNothing())
      .execute();
    const row = await trx
      .selectFrom('billing_periods')
      .select('status')
      .where('partner_id', '=', partnerId)
      .where('period_start', '=', period)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (row.status === 'closed') return { invoices: [], closed: false };

    const invoices = new Map<
      string,
      { id: string; line: number; total: number; currency: string; type: string }
    >();
    let pending: LineRow[] = [];
    const flush = async () => {
      await insertLines(trx, pending);
      pending = [];
    };
    for await (const page of streamCharges(trx, { partnerId, periodStart: period })) {
      for (const line of page) {
        const key = `${line.currency}|${line.invoiceType}`;
        let inv = invoices.get(key);
        if (!inv) {
          inv = {
            id: await nextDocumentId(trx, 'PD'),
            line: 0,
            total: 0,
            currency: line.currency,
            type: line.invoiceType,
          };
          invoices.set(key, inv);
        }
        inv.line += 1;
        inv.total += line.amount;
        pending.push(lineRow(inv.id, inv.line, partnerId, line));
        if (pending.length >= INSERT_BATCH) await flush();
      }
    }
    await flush();

    const docs = [...invoices.values()].sort((a, b) => a.id.localeCompare(b.id));
    if (docs.length > 0) {
      await trx
        .insertInto('invoices')
        .values(
          docs.map((d) => ({
            id: d.id,
            partner_id: partnerId,
            document_type: 'invoice' as const,
            invoice_type: d.type as 'recurring' | 'oneTime',
            currency: d.currency,
            billing_period_start: period,
            billing_period_end: periodEnd(period),
            invoice_date: now,
            amends_of: null,
            reason: null,
            total_charges: d.total,
            line_count: d.line,
            created_by: 'system',
            created_at: now,
          })),
        )
        .execute();
      await recordAllAs(
        trx,
        SYSTEM,
        docs.map((d) => ({
          partnerId,
          entry: {
            action: 'invoice.issued',
            resourceType: 'Invoice',
            resourceId: d.id,
            details: {
              billingPeriod: period.slice(0, 7),
              invoiceType: d.type,
              currencyCode: d.currency,
              totalCharges: formatMinor(d.total, d.currency),
              lineCount: d.line,
            },
          },
        })),
      );
    }
    await trx
      .updateTable('billing_periods')
      .set({ status: 'closed', closed_at: now })
      .where('partner_id', '=', partnerId)
      .where('period_start', '=', period)
      .execute();
    return { invoices: docs.map((d) => d.id), closed: true };
  });
}

type LineRow = [
  string,
  number,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  string | null,
  string | null,
  string,
  string,
  string,
  number | null,
  string,
  string,
  number,
];

function lineRow(invoiceId: string, lineNumber: number, partnerId: string, l: ChargeLine): LineRow {
  return [
    invoiceId,
    lineNumber,
    partnerId,
    l.provider,
    l.lineItemType,
    l.chargeType,
    l.customerId,
    l.customerName,
    l.subscriptionId,
    l.subscriptionName,
    l.offerId,
    l.offerName,
    l.meterId,
    l.meterName,
    l.unit,
    l.quantity,
    l.unitPrice,
    l.days,
    l.chargeStartDate,
    l.chargeEndDate,
    l.amount,
  ];
}

const LINE_COLUMNS: [string, string][] = [
  ['invoice_id', 'text'],
  ['line_number', 'int'],
  ['partner_id', 'uuid'],
  ['provider', 'text'],
  ['line_item_type', 'text'],
  ['charge_type', 'text'],
  ['customer_id', 'uuid'],
  ['customer_name', 'text'],
  ['subscription_id', 'uuid'],
  ['subscription_name', 'text'],
  ['offer_id', 'text'],
  ['offer_name', 'text'],
  ['meter_id', 'text'],
  ['meter_name', 'text'],
  ['unit', 'text'],
  ['quantity', 'numeric'],
  ['unit_price', 'numeric'],
  ['days', 'int'],
  ['charge_start_date', 'date'],
  ['charge_end_date', 'date'],
  ['amount', 'bigint'],
];

/**
 * Writes lines as one column array per column (`insert … select from unnest(…)`): 21 parameters a batch
 * rather than 21 a line, which is what makes a 100,000-line month quick to write.
 */
async function insertLines(trx: Trx, rows: readonly LineRow[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = LINE_COLUMNS.map(([, type], c) => sql`${rows.map((r) => r[c])}::${sql.raw(type)}[]`);
  await sql`insert into invoice_line_items (${sql.raw(LINE_COLUMNS.map(([name]) => name).join(', '))})
    select * from unnest(${sql.join(columns)})`.execute(trx);
}

/** Which (partner, month) pairs have ended and are not closed, from each partner's first subscription on. */
export async function duePeriods(
  owner: Db,
  now: Date,
  only?: { period?: string; partnerId?: string },
  delayHours = 0,
): Promise<{ partnerId: string; period: string }[]> {
  // A month is due once it ended `delayHours` ago.
  const lastEnded = previousPeriod(periodOf(new Date(now.getTime() - delayHours * 3_600_000)));
  const r = await sql<{ partner_id: string; period: string }>`
    select p.partner_id, to_char(m, 'YYYY-MM-DD') as period
      from (select partner_id, min(effective_start_date) as first from subscriptions
             ${only?.partnerId ? sql`where partner_id = ${only.partnerId}` : sql``}
             group by partner_id) p
     cross join lateral generate_series(date_trunc('month', p.first at time zone 'UTC'),
                                        ${lastEnded}::date, interval '1 month') m
     where not exists (select 1 from billing_periods b
                        where b.partner_id = p.partner_id and b.period_start = m::date and b.status = 'closed')
       ${only?.period ? sql`and m::date = ${only.period}::date` : sql``}
     order by m, p.partner_id`.execute(owner);
  return r.rows.map((x) => ({ partnerId: x.partner_id, period: x.period }));
}

/**
 * Closes every ended month not yet closed, one partner and month per transaction, oldest month first. The
 * maintenance job runs it `delayHours` after a month ends (BILLING_CLOSE_DELAY_HOURS), so usage reported late
 * still lands in its month; `partnerdesk billing close` runs it at once.
 */
export async function closeDuePeriods(
  owner: Db,
  now: Date,
  only?: { period?: string; partnerId?: string },
  opts: {
    delayHours?: number;
    /** Called after each partner's month, for progress: how many of how many are done. */
    onClosed?: (
      done: number,
      total: number,
      due: { partnerId: string; period: string },
      invoices: number,
    ) => void;
  } = {},
): Promise<{ invoices: number; periods: number }> {
  let invoices = 0;
  let periods = 0;
  const due = await duePeriods(owner, now, only, opts.delayHours ?? 0);
  for (const [i, d] of due.entries()) {
    const r = await closePeriod(owner, d.partnerId, d.period, now);
    if (r.closed) periods += 1;
    invoices += r.invoices.length;
    opts.onClosed?.(i + 1, due.length, d, r.invoices.length);
  }
  return { invoices, periods };
}
