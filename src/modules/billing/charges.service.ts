// A partner's charges for a month (or the month so far): license lines worked out from state history
// (billing.charges.ts) and usage lines summed per subscription, meter and price. The invoice job writes them
// into invoices; the unbilled and per-customer views show them before that.
import type { Trx } from '../../db/database.ts';
import type { BillingProvider, ChargeType, InvoiceLineItemType, InvoiceType } from '../../db/schema.ts';
import { groupBy } from '../../lib/group.ts';
import { dayFromIso, isoFromDay, addMonths, licenseCharges } from './billing.charges.ts';
import { parseDecimal, roundLine, trimDecimal } from './billing.money.ts';
import type { ChargeableSubscription } from './charges.repository.ts';
import { chargeableSubscriptions, statesOf, usageOf } from './charges.repository.ts';

export interface ChargeLine {
  provider: BillingProvider;
  lineItemType: InvoiceLineItemType;
  chargeType: ChargeType;
  invoiceType: InvoiceType;
  customerId: string;
  customerName: string;
  subscriptionId: string;
  subscriptionName: string;
  offerId: string;
  offerName: string;
  meterId: string | null;
  meterName: string | null;
  unit: string;
  quantity: string;
  unitPrice: string;
  days: number | null;
  /** 'YYYY-MM-DD'. */
  chargeStartDate: string;
  /** 'YYYY-MM-DD', inclusive. */
  chargeEndDate: string;
  amount: number;
  currency: string;
}

export interface ChargeQuery {
  partnerId: string;
  /** 'YYYY-MM-01'. */
  periodStart: string;
  /** 'YYYY-MM-DD', exclusive: charges to date stop here (the period's end when absent or later). */
  upToDay?: string;
  customerId?: string;
}

/** The month that contains `now`, in UTC, as 'YYYY-MM-01'. */
export function periodOf(now: Date): string {
  return `${now.toISOString().slice(0, 7)}-01`;
}

export function nextPeriod(period: string): string {
  return isoFromDay(addMonths(dayFromIso(period), 1));
}

export function previousPeriod(period: string): string {
  return isoFromDay(addMonths(dayFromIso(period), -1));
}

/** The period's last day, inclusive. */
export function periodEnd(period: string): string {
  return isoFromDay(addMonths(dayFromIso(period), 1) - 1);
}

/** Whether a string names a period ('YYYY-MM-01' or 'YYYY-MM') and which. */
export function parsePeriod(value: string): string | undefined {
  const m = /^(\d{4})-(0[1-9]|1[0-2])(?:-01)?$/.exec(value);
  return m ? `${m[1]}-${m[2]}-01` : undefined;
}

/** The day after `now` (UTC), for "charges to date" including today. */
export function dayAfter(now: Date): string {
  return isoFromDay(Math.floor(now.getTime() / 86_400_000) + 1);
}

const PAGE = 2000;

/**
 * The charge lines in pages of subscriptions, ordered by customer name, customer, subscription, start date,
 * so a large partner's month is never held in memory at once.
 */
export async function* streamCharges(
  trx: Trx,
  q: ChargeQuery,
  pageSize = PAGE,
): AsyncGenerator<ChargeLine[]> {
  let after: ChargesCursor | undefined;
  for (;;) {
    const page = await chargesPage(trx, q, { after, subscriptions: pageSize });
    if (page.lines.length > 0) yield page.lines;
    if (!page.next) return;
    after = page.next;
  }
}

/** Where a page of charges ended: the last subscription's sort key. */
export interface ChargesCursor {
  customerName: string;
  customerId: string;
  id: string;
}

/**
 * The charge lines of up to `subscriptions` subscriptions after `after`, and the cursor to the next page
 * (absent on the last): paged views of a large partner's charges.
 */
export async function chargesPage(
  trx: Trx,
  q: ChargeQuery,
  page: { after?: ChargesCursor; subscriptions: number },
): Promise<{ lines: ChargeLine[]; next?: ChargesCursor }> {
  const from = q.periodStart;
  const end = nextPeriod(from);
  const until = q.upToDay && q.upToDay < end ? q.upToDay : end;
  if (until <= from) return { lines: [] };
  const subs = await chargeableSubscriptions(trx, {
    partnerId: q.partnerId,
    from,
    until,
    customerId: q.customerId,
    after: page.after,
    limit: page.subscriptions,
  });
  if (subs.length === 0) return { lines: [] };
  const license = subs.filter((s) => s.billing_type === 'license').map((s) => s.id);
  const usage = subs.filter((s) => s.billing_type === 'usage').map((s) => s.id);
  const [states, sums] = await Promise.all([
    statesOf(trx, q.partnerId, license, until),
    usageOf(trx, q.partnerId, usage, from, until),
  ]);
  const statesBy = groupBy(states, (s) => s.subscription_id);
  const usageBy = groupBy(sums, (u) => u.subscription_id);
  const lines: ChargeLine[] = [];
  const periodDay = dayFromIso(from);
  const untilDay = dayFromIso(until);
  for (const sub of subs) {
    if (sub.billing_type === 'license') {
      const history = (statesBy.get(sub.id) ?? []).map((s) => ({
        validFrom: s.valid_from,
        quantity: s.quantity,
        status: s.status,
        unitPrice: s.unit_price,
      }));
      for (const c of licenseCharges(
        { billingCycle: sub.billing_cycle, states: history },
        periodDay,
        untilDay,
      )) {
        lines.push({
          ...names(sub),
          provider: c.oneTime ? 'oneTime' : 'office',
          lineItemType: 'billingLineItems',
          chargeType: c.chargeType,
          invoiceType: c.oneTime ? 'oneTime' : 'recurring',
          meterId: null,
          meterName: null,
          unit: sub.unit_type,
          quantity: String(c.quantity),
          unitPrice: String(c.unitPrice),
          days: c.days,
          chargeStartDate: isoFromDay(c.startDay),
          chargeEndDate: isoFromDay(c.endDay),
          amount: c.amount,
        });
      }
    } else {
      for (const u of usageBy.get(sub.id) ?? []) {
        lines.push({
          ...names(sub),
          currency: u.currency,
          provider: 'azure',
          lineItemType: 'usageLineItems',
          chargeType: 'usage',
          invoiceType: 'recurring',
          meterId: u.meter_id,
          meterName: u.meter_name,
          unit: u.unit,
          quantity: trimDecimal(u.quantity),
          unitPrice: trimDecimal(u.unit_price),
          days: null,
          chargeStartDate: u.first_day,
          chargeEndDate: u.last_day,
          amount: roundLine(parseDecimal(u.amount)),
        });
      }
    }
  }
  if (subs.length < page.subscriptions) return { lines };
  const last = subs[subs.length - 1]!;
  return { lines, next: { customerName: last.customer_name, customerId: last.customer_id, id: last.id } };
}

/** Every charge line of the query, for views small enough to hold (one customer, or a page's worth). */
export async function computeCharges(trx: Trx, q: ChargeQuery): Promise<ChargeLine[]> {
  const out: ChargeLine[] = [];
  for await (const page of streamCharges(trx, q)) out.push(...page);
  return out;
}

function names(sub: ChargeableSubscription) {
  return {
    customerId: sub.customer_id,
    customerName: sub.customer_name,
    subscriptionId: sub.id,
    subscriptionName: sub.friendly_name,
    offerId: sub.offer_id,
    offerName: sub.offer_name,
    currency: sub.currency,
  };
}
