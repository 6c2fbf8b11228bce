// Usage records (PRODUCT.md feature 10): batches of metered usage of usage-based subscriptions, checked whole
// (every broken rule of every record answered at once, nothing written unless all are sound), rated at insert
// with the meter price of the usage day in the subscription's currency, and kept exactly (quantity × price,
// unrounded: each invoice line rounds its sum once). A client record id makes re-sending harmless: the same
// content again is a duplicate that writes nothing, other content a 409. The batch holds the billing periods
// of its months FOR SHARE, so none is invoiced while it writes, and usage for a closed period is refused.
// Recording usage may take a customer past 80% of its monthly budget: the alert is raised in the same
// transaction.
import { randomUUID } from 'node:crypto';
import type { Insertable } from 'kysely';
import type { Db, Trx } from '../../db/database.ts';
import { inPartnerTransaction } from '../../db/database.ts';
import type { UsageRecordsTable } from '../../db/schema.ts';
import type { Clock } from '../../lib/clock.ts';
import type { CallerContext } from '../../lib/context.ts';
import { actorOf } from '../../lib/context.ts';
import type { FieldIssue } from '../../lib/errors.ts';
import { AppError, invalid } from '../../lib/errors.ts';
import { groupBy } from '../../lib/group.ts';
import type { Page, PageRequest } from '../../lib/paging.ts';
import { decodeCursor, pageOf } from '../../lib/paging.ts';
import { recordAllAs } from '../activity/activity.record.ts';
import type { CustomersService } from '../customers/customers.service.ts';
import { decimalText, isDayText } from '../offers/offers.service.ts';
import { trimDecimal } from './billing.money.ts';
import { statesOf } from './charges.repository.ts';
import { dayAfter } from './charges.service.ts';
import * as repo from './usage.repository.ts';
import type { MeterPriceRow, UsageRecordRow, UsageSubscriptionRow } from './usage.repository.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_CLIENT_RECORD_ID = 100;

export interface UsageItemInput {
  clientRecordId: string;
  subscriptionId: string;
  meterId: string;
  usageDate: string;
  quantity: number | string;
  customerId?: string | null;
}

export interface UsageItemResult {
  clientRecordId: string;
  id: string;
  status: 'accepted' | 'duplicate';
  unitPrice: string;
  amount: string;
  currencyCode: string;
}

export interface UsageBatchResult {
  accepted: number;
  duplicates: number;
  items: UsageItemResult[];
}

export interface UsageRecordView {
  id: string;
  clientRecordId: string;
  customerId: string;
  subscriptionId: string;
  offerId: string;
  meterId: string;
  usageDate: string;
  quantity: string;
  unitPrice: string;
  amount: string;
  currencyCode: string;
  createdBy: string;
  createdAt: string;
  attributes: { objectType: 'UsageRecord' };
}

export interface UsageFilters {
  subscriptionId?: string;
  customerId?: string;
  from?: string;
  to?: string;
}

/** Raises the 80% budget alerts of customers whose usage was just recorded, in the same transaction. */
export type BudgetAlertCheck = (
  trx: Trx,
  ctx: CallerContext,
  customerIds: readonly string[],
  periods: readonly string[],
) => Promise<void>;

export interface UsageService {
  record(ctx: CallerContext, items: readonly UsageItemInput[]): Promise<UsageBatchResult>;
  list(ctx: CallerContext, filters: UsageFilters, page: PageRequest): Promise<Page<UsageRecordView>>;
}

// ── exact decimals: quantities and prices have at most 6 decimals, so their product has at most 12 ──

const MICRO = 6;

function micros(text: string): bigint {
  const [whole, frac = ''] = text.split('.');
  return BigInt(`${whole}${frac.padEnd(MICRO, '0').slice(0, MICRO)}`);
}

function decimalOf(scaled: bigint, places: number): string {
  const digits = scaled.toString().padStart(places + 1, '0');
  return trimDecimal(`${digits.slice(0, -places)}.${digits.slice(-places)}`);
}

/** quantity × unit price, exactly (minor units, unrounded). */
export function exactAmount(quantity: string, unitPrice: string): string {
  return decimalOf(micros(quantity) * micros(unitPrice), 2 * MICRO);
}

// ── the day rule ──

const dayOf = (at: Date) => at.toISOString().slice(0, 10);
const monthOf = (day: string) => `${day.slice(0, 7)}-01`;

/**
 * The subscription's status on a UTC day: its state's whose change happened on that day or before (a change
 * takes effect from the UTC day it happens on; of several on one day the last counts); undefined before its
 * first state.
 */
export function statusOn(states: readonly { valid_from: Date; status: string }[], day: string) {
  let status: string | undefined;
  for (const s of states) {
    if (dayOf(s.valid_from) > day) break;
    status = s.status;
  }
  return status;
}

/** The price of the day: the one with the latest `effective_from` on or before it (prices oldest first). */
function priceOn(prices: readonly MeterPriceRow[] | undefined, day: string): MeterPriceRow | undefined {
  let found: MeterPriceRow | undefined;
  for (const p of prices ?? []) {
    if (p.effective_from > day) break;
    found = p;
  }
  return found;
}

export function usageRecordView(row: UsageRecordRow): UsageRecordView {
  return {
    id: row.id,
    clientRecordId: row.client_record_id,
    customerId: row.customer_id,
    subscriptionId: row.subscription_id,
    offerId: row.offer_id,
    meterId: row.meter_id,
    usageDate: row.usage_date,
    quantity: trimDecimal(row.quantity),
    unitPrice: trimDecimal(row.unit_price),
    amount: trimDecimal(row.amount),
    currencyCode: row.currency,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    attributes: { objectType: 'UsageRecord' },
  };
}

/** A record that passed every check, rated. */
interface Rated {
  index: number;
  item: UsageItemInput;
  sub: UsageSubscriptionRow;
  quantity: string;
  unitPrice: string;
  amount: string;
  row: Insertable<UsageRecordsTable>;
}

export function createUsageService(deps: {
  db: Db;
  clock: Clock;
  customers: Pick<CustomersService, 'getInTransaction'>;
  budgetAlerts: BudgetAlertCheck;
}): UsageService {
  const { db, clock, customers, budgetAlerts } = deps;

  /** Every record checked against the store; the rated records, or usageRecordsRejected with every issue. */
  async function checkAndRate(
    trx: Trx,
    ctx: CallerContext,
    items: readonly UsageItemInput[],
    now: Date,
  ): Promise<Rated[]> {
    const issues: FieldIssue[] = [];
    const today = dayOf(now);
    const at = (i: number, field: string) => `items[${i}].${field}`;

    // What needs no store: the record's own fields.
    const firstOf = new Map<string, number>();
    const quantities: (string | undefined)[] = [];
    items.forEach((item, i) => {
      const id = item.clientRecordId;
      if (id.trim() === '' || id.length > MAX_CLIENT_RECORD_ID)
        issues.push({
          field: at(i, 'clientRecordId'),
          reason: `must be 1–${MAX_CLIENT_RECORD_ID} characters`,
        });
      else if (firstOf.has(id))
        issues.push({
          field: at(i, 'clientRecordId'),
          reason: `repeats items[${firstOf.get(id)}] of this batch: each record needs its own id`,
        });
      else firstOf.set(id, i);
      if (!UUID.test(item.subscriptionId))
        issues.push({ field: at(i, 'subscriptionId'), reason: 'No such subscription' });
      if (item.customerId != null && !UUID.test(item.customerId))
        issues.push({
          field: at(i, 'customerId'),
          reason: 'must be the subscription’s customer id (a GUID)',
        });
      if (!isDayText(item.usageDate))
        issues.push({ field: at(i, 'usageDate'), reason: 'must be a date as YYYY-MM-DD, like 2026-11-30' });
      else if (item.usageDate > today)
        issues.push({
          field: at(i, 'usageDate'),
          reason: `must not be in the future (today is ${today}, UTC)`,
        });
      const quantity = decimalText(item.quantity);
      quantities.push(quantity);
      if (quantity === undefined)
        issues.push({
          field: at(i, 'quantity'),
          reason: /^\s*-/.test(String(item.quantity))
            ? 'must be 0 or more'
            : 'must be a number, 0 or more, with at most 6 decimals and 14 digits before the point',
        });
    });

    // The store, read for the whole batch at once.
    const subIds = items.map((i) => i.subscriptionId.toLowerCase()).filter((id) => UUID.test(id));
    const subs = new Map((await repo.subscriptionsOf(trx, ctx.partnerId, subIds)).map((s) => [s.id, s]));
    const usageSubs = [...subs.values()].filter((s) => s.billing_type === 'usage');
    const offerIds = [...new Set(usageSubs.map((s) => s.offer_id))];
    const [states, meters, prices] = await Promise.all([
      // Every state up to the end of today: usage is never dated later.
      statesOf(
        trx,
        ctx.partnerId,
        usageSubs.map((s) => s.id),
        dayAfter(clock.now()),
      ),
      repo.metersOf(trx, offerIds),
      repo.pricesOf(trx, offerIds, [...new Set(usageSubs.map((s) => s.currency))]),
    ]);
    const statesBy = groupBy(states, (s) => s.subscription_id);
    const meterSet = new Set(meters.map((m) => `${m.offer_id}\u0000${m.meter_id}`));
    const pricesBy = groupBy(prices, (p) => `${p.offer_id}\u0000${p.meter_id}\u0000${p.currency}`);

    const rated: Rated[] = [];
    items.forEach((item, i) => {
      if (!UUID.test(item.subscriptionId)) return;
      const sub = subs.get(item.subscriptionId.toLowerCase());
      // Another partner's subscription reads exactly as one that does not exist.
      if (!sub) return issues.push({ field: at(i, 'subscriptionId'), reason: 'No such subscription' });
      if (
        item.customerId != null &&
        UUID.test(item.customerId) &&
        item.customerId.toLowerCase() !== sub.customer_id
      )
        issues.push({ field: at(i, 'customerId'), reason: 'is not the customer of this subscription' });
      if (sub.billing_type !== 'usage')
        return issues.push({
          field: at(i, 'subscriptionId'),
          reason: `is licence-based (${sub.offer_id}): only usage-based subscriptions record usage`,
        });
      // Rated whenever a price is found: any issue of the batch discards every rating anyway.
      const dayOk = isDayText(item.usageDate) && item.usageDate <= today;
      if (dayOk) {
        const status = statusOn(statesBy.get(sub.id) ?? [], item.usageDate);
        if (status !== 'active')
          issues.push({
            field: at(i, 'usageDate'),
            reason:
              status === undefined
                ? `the subscription did not exist yet on ${item.usageDate}`
                : `the subscription was not active on ${item.usageDate} (it was ${status})`,
          });
      }
      const meterKey = `${sub.offer_id}\u0000${item.meterId}`;
      if (!meterSet.has(meterKey)) {
        issues.push({ field: at(i, 'meterId'), reason: `is not a meter of the offer ${sub.offer_id}` });
      } else if (dayOk) {
        const price = priceOn(pricesBy.get(`${meterKey}\u0000${sub.currency}`), item.usageDate);
        if (!price) {
          issues.push({
            field: at(i, 'meterId'),
            reason: `has no ${sub.currency} price on ${item.usageDate}`,
          });
        } else if (quantities[i] !== undefined) {
          const quantity = quantities[i]!;
          const unitPrice = trimDecimal(price.unit_price);
          const amount = exactAmount(quantity, unitPrice);
          rated.push({
            index: i,
            item,
            sub,
            quantity,
            unitPrice,
            amount,
            row: {
              id: randomUUID(),
              partner_id: ctx.partnerId,
              customer_id: sub.customer_id,
              subscription_id: sub.id,
              offer_id: sub.offer_id,
              meter_id: item.meterId,
              usage_date: item.usageDate,
              quantity,
              unit_price: unitPrice,
              currency: sub.currency,
              amount,
              client_record_id: item.clientRecordId,
              created_by: ctx.userName,
              created_at: now,
            },
          });
        }
      }
    });
    if (issues.length > 0) throw new AppError('usageRecordsRejected', { details: issues });
    return rated;
  }

  /** Does a stored record say what this one says? */
  function sameContent(row: UsageRecordRow, r: Rated): boolean {
    return (
      row.subscription_id === r.sub.id &&
      row.meter_id === r.item.meterId &&
      row.usage_date === r.item.usageDate &&
      trimDecimal(row.quantity) === r.quantity
    );
  }

  function describe(row: UsageRecordRow): string {
    return (
      `subscription ${row.subscription_id}, meter ${row.meter_id}, usage date ${row.usage_date}, ` +
      `quantity ${trimDecimal(row.quantity)}`
    );
  }

  return {
    record: (ctx, items) =>
      inPartnerTransaction(db, ctx.partnerId, async (trx) => {
        const now = clock.now();
        const rated = await checkAndRate(trx, ctx, items, now);

        // Held until commit: the invoice job cannot close these months meanwhile.
        const periods = await repo.holdPeriods(
          trx,
          ctx.partnerId,
          rated.map((r) => monthOf(r.item.usageDate)),
        );
        const isOpen = (r: Rated) => periods.get(monthOf(r.item.usageDate)) === 'open';
        const written = await repo.insertRecords(
          trx,
          rated.filter(isOpen).map((r) => r.row),
        );

        // The rest were recorded before (or just now by a concurrent request, whose commit the insert waited
        // for): the same content is a duplicate, other content a conflict; never recorded and in a closed
        // period, refused.
        const rest = rated.filter((r) => !written.has(r.item.clientRecordId));
        const existing = new Map(
          (
            await repo.recordsByClientId(
              trx,
              ctx.partnerId,
              rest.map((r) => r.item.clientRecordId),
            )
          ).map((row) => [row.client_record_id, row]),
        );
        const conflicts: FieldIssue[] = [];
        const closed: FieldIssue[] = [];
        const results: UsageItemResult[] = [];
        for (const r of rated) {
          const field = `items[${r.index}]`;
          if (written.has(r.item.clientRecordId)) {
            results.push({
              clientRecordId: r.item.clientRecordId,
              id: r.row.id,
              status: 'accepted',
              unitPrice: r.unitPrice,
              amount: r.amount,
              currencyCode: r.sub.currency,
            });
            continue;
          }
          const row = existing.get(r.item.clientRecordId);
          if (!row) {
            closed.push({
              field: `${field}.usageDate`,
              reason: `the billing period ${r.item.usageDate.slice(0, 7)} is closed (invoiced)`,
            });
          } else if (!sameContent(row, r)) {
            conflicts.push({
              field: `${field}.clientRecordId`,
              reason: `was recorded on ${row.created_at.toISOString()} with other content: ${describe(row)}`,
            });
          } else {
            results.push({
              clientRecordId: row.client_record_id,
              id: row.id,
              status: 'duplicate',
              unitPrice: trimDecimal(row.unit_price),
              amount: trimDecimal(row.amount),
              currencyCode: row.currency,
            });
          }
        }
        if (conflicts.length > 0) throw new AppError('usageRecordConflict', { details: conflicts });
        if (closed.length > 0) throw new AppError('billingPeriodClosed', { details: closed });

        // One activity record per customer whose usage was written.
        const accepted = rated.filter((r) => written.has(r.item.clientRecordId));
        const byCustomer = groupBy(accepted, (r) => r.sub.customer_id);
        await recordAllAs(
          trx,
          actorOf(ctx),
          [...byCustomer.values()].map((records) => {
            const days = records.map((r) => r.item.usageDate).sort();
            const sub = records[0]!.sub;
            return {
              partnerId: ctx.partnerId,
              entry: {
                action: 'usage.recorded',
                resourceType: 'UsageRecords',
                customer: { id: sub.customer_id, name: sub.customer_name },
                details: {
                  records: records.length,
                  subscriptions: new Set(records.map((r) => r.sub.id)).size,
                  firstUsageDate: days[0],
                  lastUsageDate: days[days.length - 1],
                },
              },
            };
          }),
          { requestId: ctx.requestId, correlationId: ctx.correlationId },
        );
        if (accepted.length > 0)
          await budgetAlerts(
            trx,
            ctx,
            [...byCustomer.keys()],
            [...new Set(accepted.map((r) => monthOf(r.item.usageDate)))],
          );

        const duplicates = results.filter((r) => r.status === 'duplicate').length;
        return { accepted: results.length - duplicates, duplicates, items: results };
      }),

    list(ctx, filters, page) {
      const query: repo.UsageQuery = { partnerId: ctx.partnerId };
      if (filters.subscriptionId) query.subscriptionId = filters.subscriptionId.toLowerCase();
      if (filters.customerId) query.customerId = filters.customerId.toLowerCase();
      const issues: FieldIssue[] = [];
      for (const field of ['from', 'to'] as const) {
        const v = filters[field];
        if (v === undefined) continue;
        if (!isDayText(v))
          issues.push({ field: `querystring.${field}`, reason: 'must be a date as YYYY-MM-DD' });
        else query[field] = v;
      }
      if (query.from && query.to && query.from > query.to)
        issues.push({ field: 'querystring.to', reason: 'must not be before from' });
      if (issues.length > 0) throw invalid(...issues);
      const scope = { list: 'usageRecords', ...query };
      const cursor = decodeCursor(page.cursor, scope, 2);
      let after: repo.UsagePosition | undefined;
      if (cursor) {
        const [day, id] = cursor;
        if (!isDayText(day) || typeof id !== 'string' || !UUID.test(id))
          throw new AppError('invalidContinuationToken');
        after = [day, id];
      }
      return inPartnerTransaction(db, ctx.partnerId, async (trx) => {
        // A customer named: one the caller sees, else 404 as on every customer route.
        if (query.customerId) await customers.getInTransaction(trx, ctx, query.customerId);
        return pageOf(
          page.size,
          scope,
          (limit) => repo.findRecords(trx, query, after, limit),
          (row) => [row.usage_date, row.id],
          usageRecordView,
          () => repo.countRecords(trx, query),
        );
      });
    },
  };
}
