// The charges of a license-based subscription for one billing period (a calendar month in UTC), worked out
// from its state history. Pure: no I/O, so every rule is tested on its own and the invoice job, the unbilled
// charges and the per-customer charges all use the same arithmetic.
//
// Days are whole UTC days. A change takes effect from the UTC day it happens on (that day belongs to the new
// state; of several changes in one day the last counts).
// - monthly billing cycle: in arrears, one line per stretch of constant quantity and price while active:
//   quantity × monthly price × days / days in the month.
// - annual / triennial billing cycle: in advance. At each cycle start (the effective start day and its
//   anniversaries) the whole cycle is charged; a change within the cycle is charged or credited for the days
//   left: Δ(billable quantity × price) × days left / days in the cycle (billable quantity: 0 unless active).
// - one-time: quantity × price once, in the month the subscription starts (nothing if cancelled that same
//   day; a later cancellation refunds nothing).
// Each line is rounded once (billing.money.ts).
import type { BillingCycle, ChargeType, SubscriptionStatus } from '../../db/schema.ts';
import { roundLine } from './billing.money.ts';

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 (UTC) of an instant. */
export function dayOf(t: Date): number {
  return Math.floor(t.getTime() / DAY_MS);
}

/** Days since 1970-01-01 of a 'YYYY-MM-DD' date. */
export function dayFromIso(iso: string): number {
  return Math.floor(Date.parse(`${iso}T00:00:00Z`) / DAY_MS);
}

export function isoFromDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The day `months` calendar months after `day`, the day of month clamped (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(day: number, months: number): number {
  const d = new Date(day * DAY_MS);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return dayOf(new Date(Date.UTC(y, m, Math.min(d.getUTCDate(), last))));
}

export interface StateChange {
  validFrom: Date;
  quantity: number;
  status: SubscriptionStatus;
  unitPrice: number | null;
}

export interface LicenseSubscription {
  billingCycle: BillingCycle;
  /** Ordered by validFrom; the first is the subscription's start. */
  states: readonly StateChange[];
}

/** A license line before it is dressed with the subscription's names. */
export interface LicenseCharge {
  chargeType: ChargeType;
  quantity: number;
  unitPrice: number;
  days: number | null;
  startDay: number;
  /** Inclusive. */
  endDay: number;
  amount: number;
  oneTime: boolean;
}

interface DayState {
  day: number;
  quantity: number;
  active: boolean;
  price: number;
}

/** One state per day (the day's last), consecutive equal ones merged. */
function dayStates(states: readonly StateChange[]): DayState[] {
  const out: DayState[] = [];
  for (const s of states) {
    const next: DayState = {
      day: dayOf(s.validFrom),
      quantity: s.quantity,
      active: s.status === 'active',
      price: s.unitPrice ?? 0,
    };
    if (out.length > 0 && out[out.length - 1]!.day === next.day) out.pop();
    const prev = out[out.length - 1];
    if (prev && prev.quantity === next.quantity && prev.active === next.active && prev.price === next.price) {
      continue;
    }
    out.push(next);
  }
  return out;
}

function stateOn(states: readonly DayState[], day: number): DayState | undefined {
  let found: DayState | undefined;
  for (const s of states) {
    if (s.day > day) break;
    found = s;
  }
  return found;
}

const billable = (s: DayState | undefined): number => (s && s.active ? s.quantity * s.price : 0);

/**
 * The license charges of one subscription in the period starting `periodStart` (a 'YYYY-MM-01' day number),
 * up to `upToDay` (exclusive; the period's end when absent or later).
 */
export function licenseCharges(
  sub: LicenseSubscription,
  periodStart: number,
  upToDay?: number,
): LicenseCharge[] {
  const periodEnd = addMonths(periodStart, 1);
  const until = upToDay === undefined ? periodEnd : Math.min(upToDay, periodEnd);
  if (until <= periodStart) return [];
  const states = dayStates(sub.states);
  if (states.length === 0) return [];
  switch (sub.billingCycle) {
    case 'monthly':
      return inArrears(states, periodStart, periodEnd, until);
    case 'annual':
      return inAdvance(states, 12, periodStart, until);
    case 'triennial':
      return inAdvance(states, 36, periodStart, until);
    case 'oneTime':
      return oneTime(states, periodStart, until);
    default:
      return [];
  }
}

function inArrears(
  states: DayState[],
  periodStart: number,
  periodEnd: number,
  until: number,
): LicenseCharge[] {
  const daysInMonth = periodEnd - periodStart;
  const lines: LicenseCharge[] = [];
  for (let i = 0; i < states.length; i++) {
    const s = states[i]!;
    const from = Math.max(s.day, periodStart);
    const to = Math.min(states[i + 1]?.day ?? Number.MAX_SAFE_INTEGER, until);
    if (to <= from || !s.active || s.quantity === 0) continue;
    const days = to - from;
    lines.push({
      chargeType: days === daysInMonth ? 'cycleCharge' : 'prorateCharge',
      quantity: s.quantity,
      unitPrice: s.price,
      days,
      startDay: from,
      endDay: to - 1,
      amount: roundLine({
        num: BigInt(s.quantity) * BigInt(s.price) * BigInt(days),
        den: BigInt(daysInMonth),
      }),
      oneTime: false,
    });
  }
  return lines;
}

function inAdvance(
  states: DayState[],
  cycleMonths: number,
  periodStart: number,
  until: number,
): LicenseCharge[] {
  const anchor = states[0]!.day;
  const lines: LicenseCharge[] = [];
  // Cycle k runs from addMonths(anchor, k × cycleMonths) to the next one.
  const cycleAt = (day: number): { start: number; end: number } => {
    let k = 0;
    while (addMonths(anchor, (k + 1) * cycleMonths) <= day) k++;
    return { start: addMonths(anchor, k * cycleMonths), end: addMonths(anchor, (k + 1) * cycleMonths) };
  };
  // Every day in the period on which something can happen: a state change or a cycle start.
  const days = new Set<number>();
  for (const s of states) if (s.day >= periodStart && s.day < until) days.add(s.day);
  for (let k = 0; ; k++) {
    const start = addMonths(anchor, k * cycleMonths);
    if (start >= until) break;
    if (start >= periodStart) days.add(start);
  }
  for (const day of [...days].sort((a, b) => a - b)) {
    const cycle = cycleAt(day);
    const now = stateOn(states, day);
    if (day === cycle.start) {
      if (now && now.active && now.quantity > 0) {
        lines.push({
          chargeType: 'cycleCharge',
          quantity: now.quantity,
          unitPrice: now.price,
          days: cycle.end - cycle.start,
          startDay: cycle.start,
          endDay: cycle.end - 1,
          amount: now.quantity * now.price,
          oneTime: false,
        });
      }
      continue;
    }
    const before = stateOn(states, day - 1);
    const delta = billable(now) - billable(before);
    if (delta === 0) continue;
    const left = cycle.end - day;
    const cycleDays = cycle.end - cycle.start;
    // Shown as seats × price when only the seats changed, else as one unit of the price difference.
    const samePrice = !before || !now || before.price === now.price || !before.active || !now.active;
    const price = samePrice ? (now?.active ? now.price : (before?.price ?? 0)) : delta;
    const quantity = samePrice ? delta / (price || 1) : 1;
    lines.push({
      chargeType: delta > 0 ? 'prorateCharge' : 'prorateCredit',
      quantity,
      unitPrice: price,
      days: left,
      startDay: day,
      endDay: cycle.end - 1,
      amount: roundLine({ num: BigInt(delta) * BigInt(left), den: BigInt(cycleDays) }),
      oneTime: false,
    });
  }
  return lines;
}

function oneTime(states: DayState[], periodStart: number, until: number): LicenseCharge[] {
  // dayStates keeps the start day's last state: a purchase cancelled on the day it was made is not charged.
  const first = states[0]!;
  if (first.day < periodStart || first.day >= until || !first.active) return [];
  return [
    {
      chargeType: 'oneTime',
      quantity: first.quantity,
      unitPrice: first.price,
      days: null,
      startDay: first.day,
      endDay: first.day,
      amount: first.quantity * first.price,
      oneTime: true,
    },
  ];
}
