// Calendar days as people type them in the console's language: the order of day, month and year and the
// separator come from Intl for the active locale (en-US: MM/DD/YYYY, ru and de: DD.MM.YYYY), so the field
// reads like the dates the console shows elsewhere. No React here, so tests can import it.

export type DayPart = 'day' | 'month' | 'year';

export interface DayFormat {
  /** The parts in the locale's order. */
  order: DayPart[];
  /** What the locale writes between them ("/", "."). */
  separator: string;
}

const isPart = (type: string): type is DayPart => type === 'day' || type === 'month' || type === 'year';

export function dayFormat(locale: string): DayFormat {
  const parts = new Intl.DateTimeFormat(locale, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    timeZone: 'UTC',
  }).formatToParts(new Date(Date.UTC(2026, 10, 28)));
  const order = parts.map((p) => p.type).filter(isPart);
  const literal = parts.find((p) => p.type === 'literal');
  // A locale outside what the console offers might spell a part differently; the ISO order then keeps the
  // field usable rather than guessing.
  if (order.length !== 3 || new Set(order).size !== 3)
    return { order: ['year', 'month', 'day'], separator: '-' };
  return { order, separator: literal?.value ?? '/' };
}

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function isRealDay(y: number, m: number, d: number): boolean {
  if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1) return false;
  const at = new Date(Date.UTC(2000, m - 1, d));
  at.setUTCFullYear(y);
  return at.getUTCFullYear() === y && at.getUTCMonth() === m - 1 && at.getUTCDate() === d;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** YYYY-MM-DD as the locale writes it (28.11.2026); anything that is not such a day comes back unchanged. */
export function formatDay(iso: string, format: DayFormat): string {
  const m = ISO_DAY.exec(iso);
  if (!m) return iso;
  const values: Record<DayPart, string> = { year: m[1]!, month: m[2]!, day: m[3]! };
  return format.order.map((p) => values[p]).join(format.separator);
}

/**
 * A typed day → YYYY-MM-DD, or undefined when it is not a real day. The parts must come in the locale's
 * order, with one or two digits for day and month and four for the year; any non-digits separate them (a
 * Russian user typing 1/2/2026 still means 1 February). A date written the ISO way (2026-02-01) is taken
 * too: a four-digit first part cannot be a day or a month, so it is never ambiguous.
 */
export function parseDay(text: string, format: DayFormat): string | undefined {
  const value = text.trim();
  const groups = value.split(/\D+/).filter(Boolean);
  if (groups.length !== 3 || !/^\d/.test(value) || !/\d$/.test(value)) return undefined;
  const order: DayPart[] = groups[0]!.length === 4 ? ['year', 'month', 'day'] : format.order;
  const parts = {} as Record<DayPart, string>;
  order.forEach((p, i) => (parts[p] = groups[i]!));
  if (parts.year.length !== 4 || parts.month.length > 2 || parts.day.length > 2) return undefined;
  const [y, m, d] = [Number(parts.year), Number(parts.month), Number(parts.day)];
  if (!isRealDay(y, m, d)) return undefined;
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
}
