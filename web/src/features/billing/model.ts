// Billing values without React or the API client, so that they can be tested on their own: the months a chart
// shows and the height of each bar, an amount typed in major units read as integer minor units (with the
// currency's own decimals: 0 for JPY), a budget's state (the 80% alert), the line item filters and their query,
// decimal strings (quantities, fractional unit prices) in the reader's format, and where a customer's billing
// opens for the user's roles.
import { allows } from '../../../../src/modules/partners/roles.ts';
import { minorDigits } from '../../i18n/money.ts';

// ── months ──

/** 'YYYY-MM-01' of the month `delta` months after the month of `period` ('YYYY-MM-DD'). */
export function addMonths(period: string, delta: number): string {
  const [y, m] = period.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + delta;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-01`;
}

export interface MonthTotal {
  /** 'YYYY-MM-01' */
  period: string;
  total: number;
}

/**
 * `count` consecutive months ending with the latest month the data names, or `through` when that is later,
 * each with its total from `months` (0 for a month the API left out), oldest first.
 */
export function monthSeries(
  months: readonly { billingPeriodStartDate: string; totalCharges: number }[],
  count: number,
  through?: string,
): MonthTotal[] {
  const byMonth = new Map<string, number>();
  for (const m of months) {
    const key = addMonths(m.billingPeriodStartDate, 0);
    byMonth.set(key, (byMonth.get(key) ?? 0) + m.totalCharges);
  }
  const last = [...byMonth.keys(), ...(through ? [addMonths(through, 0)] : [])].sort().at(-1);
  if (!last) return [];
  return Array.from({ length: count }, (_, i) => {
    const period = addMonths(last, i - (count - 1));
    return { period, total: byMonth.get(period) ?? 0 };
  });
}

export interface Bar {
  /** Top edge, in chart units from the top (0..height). */
  y: number;
  height: number;
}

/**
 * Bars for `values` in a chart `height` units tall: zero is the baseline (at the bottom unless some value is
 * negative), the largest magnitude fills the height; a value other than zero is at least 1 unit tall so it
 * never looks like nothing.
 */
export function barLayout(values: readonly number[], height: number): { baseline: number; bars: Bar[] } {
  const max = Math.max(0, ...values);
  const min = Math.min(0, ...values);
  const span = max - min;
  if (span === 0) return { baseline: height, bars: values.map(() => ({ y: height, height: 0 })) };
  const scale = height / span;
  const baseline = max * scale;
  const bars = values.map((v) => {
    const h = v === 0 ? 0 : Math.max(1, Math.abs(v) * scale);
    return { y: v >= 0 ? baseline - h : baseline, height: h };
  });
  return { baseline, bars };
}

// ── money typed in major units ──

export type AmountProblem = 'empty' | 'notANumber' | 'tooManyDecimals' | 'notPositive' | 'tooLarge';

export type AmountReading =
  { minor: number; problem?: undefined } | { minor?: undefined; problem: AmountProblem };

/** The locale's decimal and grouping characters (en: '.' and ','; de: ',' and '.'; ru: ',' and a space). */
export function separators(locale: string): { decimal: string; group: string } {
  const parts = new Intl.NumberFormat(locale).formatToParts(1234567.5);
  return {
    decimal: parts.find((p) => p.type === 'decimal')?.value ?? '.',
    group: parts.find((p) => p.type === 'group')?.value ?? ',',
  };
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const isSpace = (s: string) => /^[\s\u00a0\u202f]$/.test(s);

/**
 * An amount typed in major units (as the locale writes numbers: "1,234.56" in English, "1.234,56" in German,
 * "1 234,56" in Russian; without grouping too) → integer minor units of `currency`, with the currency's own
 * number of decimals: "1500" USD → 150000, "1500" JPY → 1500, "12.345" USD is refused (too many decimals).
 * Spaces are ignored. Where the locale's decimal sign is a comma and its grouping is no point (Russian), a
 * point is read as a decimal sign too; in German "1.234" is 1234. Exact: no binary fraction on the way.
 */
export function parseMajorAmount(text: string, currency: string, locale: string): AmountReading {
  const { decimal, group } = separators(locale);
  const value = text.replace(/[\s\u00a0\u202f]/g, '');
  if (value === '') return { problem: 'empty' };
  if (value.startsWith('-')) return { problem: 'notPositive' };
  const d = escape(decimal);
  const patterns: { re: RegExp; group?: string }[] = [{ re: new RegExp(`^(\\d+)(?:${d}(\\d*))?$`) }];
  if (!isSpace(group))
    patterns.push({ re: new RegExp(`^(\\d{1,3}(?:${escape(group)}\\d{3})+)(?:${d}(\\d*))?$`), group });
  if (decimal !== '.' && group !== '.') patterns.push({ re: /^(\d+)(?:\.(\d*))?$/ });
  for (const { re, group: g } of patterns) {
    const m = re.exec(value);
    if (!m) continue;
    const whole = g ? m[1]!.split(g).join('') : m[1]!;
    const fraction = (m[2] ?? '').replace(/0+$/, '');
    const digits = minorDigits(currency);
    if (fraction.length > digits) return { problem: 'tooManyDecimals' };
    const minor = BigInt(whole + fraction.padEnd(digits, '0'));
    if (minor <= 0n) return { problem: 'notPositive' };
    if (minor > BigInt(Number.MAX_SAFE_INTEGER)) return { problem: 'tooLarge' };
    return { minor: Number(minor) };
  }
  return { problem: 'notANumber' };
}

/** Minor units as the amount field shows them to be edited: 150000 USD → "1500.00" (en), "1500,00" (de). */
export function majorInputText(minor: number, currency: string, locale: string): string {
  const digits = minorDigits(currency);
  const text = BigInt(minor)
    .toString()
    .padStart(digits + 1, '0');
  if (digits === 0) return text;
  return `${text.slice(0, -digits)}${separators(locale).decimal}${text.slice(-digits)}`;
}

/** What a typical amount looks like in the locale and currency ("1,234.56", "1.234,56", "1,234" for JPY). */
export function amountExample(currency: string, locale: string): string {
  const digits = minorDigits(currency);
  return new Intl.NumberFormat(locale, {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(digits === 0 ? 1234 : 1234.56);
}

// ── decimal strings ──

/**
 * A decimal string shifted `places` digits to the right of the point, exactly ('658.5', 2 → '6.585'): a unit
 * price in minor units becomes one in major units.
 */
export function shiftDecimal(value: string, places: number): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(value.trim());
  if (!m) return value;
  const [, sign, whole, frac = ''] = m as unknown as [string, string, string, string | undefined];
  const digits = (whole + frac).padStart(places + frac.length + 1, '0');
  const point = digits.length - (places + frac.length);
  const int = digits.slice(0, point).replace(/^0+(?=\d)/, '');
  const rest = digits.slice(point).replace(/0+$/, '');
  return `${sign}${int}${rest ? `.${rest}` : ''}`;
}

/** A unit price in minor units (possibly fractional: '0.52' cents) as money: "$0.0052", "0,0052 $". */
export function formatUnitPrice(minor: string, currency: string, locale: string): string {
  const digits = minorDigits(currency);
  const major = shiftDecimal(minor, digits);
  const decimals = major.split('.')[1]?.length ?? 0;
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: Math.min(20, Math.max(digits, decimals)),
  }).format(major as unknown as number);
}

/** A decimal quantity ('12.500000') in the reader's format, every decimal kept ("12.5", "12,5"). */
export function formatQuantity(quantity: string, locale: string): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 20 }).format(quantity as unknown as number);
}

// ── budgets ──

export interface BudgetLike {
  amount: number | null;
  spend: number;
  /** Null without a budget. */
  percentUsed: number | null;
  alertThresholdPercent: number;
  alertRaisedAt: string | null;
}

export type BudgetLevel = 'none' | 'ok' | 'alert' | 'over';

/**
 * How the month's usage spend stands against the budget: no budget, under the alert threshold, at or past it
 * (or an alert was raised this month), or past the whole budget. The bar never draws beyond full.
 */
export function budgetState(b: BudgetLike): { level: BudgetLevel; barPercent: number } {
  if (b.amount === null) return { level: 'none', barPercent: 0 };
  const percent = b.percentUsed ?? 0;
  const barPercent = Math.max(0, Math.min(100, percent));
  if (percent >= 100) return { level: 'over', barPercent };
  if (percent >= b.alertThresholdPercent || b.alertRaisedAt !== null) return { level: 'alert', barPercent };
  return { level: 'ok', barPercent };
}

// ── line items ──

export const PROVIDERS = ['office', 'azure', 'oneTime'] as const;
export type Provider = (typeof PROVIDERS)[number];
export const LINE_ITEM_TYPES = ['billingLineItems', 'usageLineItems'] as const;
export type LineItemType = (typeof LINE_ITEM_TYPES)[number];

export interface LineFilter {
  provider: Provider;
  lineItemType: LineItemType;
}

/** A filter as one URL value: 'office.billingLineItems'. */
export const filterValue = (f: LineFilter) => `${f.provider}.${f.lineItemType}`;

/** A URL value back as a filter, if it names a provider and a line item type. */
export function parseFilter(value: string | null): LineFilter | undefined {
  const [provider, lineItemType, ...rest] = (value ?? '').split('.');
  if (
    rest.length === 0 &&
    (PROVIDERS as readonly string[]).includes(provider ?? '') &&
    (LINE_ITEM_TYPES as readonly string[]).includes(lineItemType ?? '')
  )
    return { provider: provider as Provider, lineItemType: lineItemType as LineItemType };
  return undefined;
}

// ── navigation ──

/**
 * Where a customer's billing opens: its Billing tab for those who may open the customer page, else the billing
 * area's own page of the customer (a Billing admin sees billing, not customers).
 */
export function customerBillingPath(roles: readonly string[], customerId: string): string {
  const id = encodeURIComponent(customerId);
  return allows(roles, 'customers.view') ? `/customers/${id}/billing` : `/billing/customers/${id}`;
}
