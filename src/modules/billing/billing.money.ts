// Money: integer minor units plus an ISO 4217 currency code. Exact amounts (usage quantities × fractional meter
// prices, prorated seats) are kept as fractions of big integers until the one rounding each charge line gets:
// half away from zero, to a whole minor unit. Totals are sums of rounded lines; nothing else rounds.

const ZERO_DECIMALS = new Set([
  'BIF',
  'CLP',
  'DJF',
  'GNF',
  'ISK',
  'JPY',
  'KMF',
  'KRW',
  'PYG',
  'RWF',
  'UGX',
  'UYI',
  'VND',
  'VUV',
  'XAF',
  'XOF',
  'XPF',
]);
const THREE_DECIMALS = new Set(['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND']);

/** How many digits the currency's minor unit has after the decimal point (ISO 4217). */
export function currencyExponent(code: string): number {
  if (ZERO_DECIMALS.has(code)) return 0;
  if (THREE_DECIMALS.has(code)) return 3;
  return 2;
}

const SYMBOLS: Record<string, string> = {
  USD: '$',
  CAD: 'CA$',
  MXN: 'MX$',
  GBP: '£',
  EUR: '€',
  CHF: 'CHF',
  SEK: 'kr',
  JPY: '¥',
  AUD: 'A$',
  NZD: 'NZ$',
  RUB: '₽',
};

export function currencySymbol(code: string): string {
  return SYMBOLS[code] ?? code;
}

/** Minor units as a plain decimal in major units: 658 USD → '6.58', 658 JPY → '658', -5 USD → '-0.05'. */
export function formatMinor(amount: number | bigint, code: string): string {
  const exp = currencyExponent(code);
  const n = BigInt(amount);
  const neg = n < 0n;
  const digits = (neg ? -n : n).toString().padStart(exp + 1, '0');
  const whole = exp === 0 ? digits : digits.slice(0, -exp);
  const frac = exp === 0 ? '' : `.${digits.slice(-exp)}`;
  return `${neg ? '-' : ''}${whole}${frac}`;
}

/** An exact non-negative-or-negative fraction of big integers. */
export interface Fraction {
  num: bigint;
  den: bigint;
}

/** A decimal string ('12.5', '0.000001', '-3') as an exact fraction. */
export function parseDecimal(value: string): Fraction {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(value.trim());
  if (!m) throw new Error(`not a decimal: ${value}`);
  const frac = m[3] ?? '';
  const num = BigInt(`${m[2]}${frac}`) * (m[1] === '-' ? -1n : 1n);
  return { num, den: 10n ** BigInt(frac.length) };
}

/** Rounds num/den half away from zero to an integer (den > 0). */
export function roundHalfAwayFromZero(num: bigint, den: bigint): bigint {
  if (den <= 0n) throw new Error('denominator must be positive');
  const neg = num < 0n;
  const abs = neg ? -num : num;
  const q = (abs * 2n + den) / (den * 2n);
  return neg ? -q : q;
}

/** The one rounding of a charge line: an exact amount in minor units to a whole minor unit, as a number. */
export function roundLine(exact: Fraction): number {
  return Number(roundHalfAwayFromZero(exact.num, exact.den));
}

/** A decimal string with at most `places` decimals, trailing zeros trimmed ('12.500000' → '12.5'). */
export function trimDecimal(value: string): string {
  if (!value.includes('.')) return value;
  const t = value.replace(/0+$/, '').replace(/\.$/, '');
  return t === '-0' ? '0' : t;
}
