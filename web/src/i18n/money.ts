// Money as the API carries it (integer minor units and an ISO 4217 currency) written in the reader's locale:
// the currency's own number of decimals (USD 2, JPY 0, KWD 3), the locale's separators and symbol placement.
// No React here, so tests can import it.

const formats = new Map<string, Intl.NumberFormat>();

function formatFor(locale: string, currency: string): Intl.NumberFormat {
  const key = `${locale} ${currency}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, { style: 'currency', currency });
    formats.set(key, f);
  }
  return f;
}

/** The number of decimals of `currency` (its minor unit), as Intl knows it. */
export function minorDigits(currency: string): number {
  return formatFor('en', currency).resolvedOptions().maximumFractionDigits ?? 2;
}

/**
 * 123456 minor units of USD → "$1,234.56" (en-US), "1 234,56 $" (ru), "1.234,56 $" (de). The minor units are
 * shifted as text, never through a binary fraction, so large amounts keep every cent.
 */
export function formatMoney(minor: number | bigint, currency: string, locale: string): string {
  const digits = minorDigits(currency);
  const value = BigInt(minor);
  const negative = value < 0n;
  const text = (negative ? -value : value).toString().padStart(digits + 1, '0');
  const decimal = digits === 0 ? text : `${text.slice(0, -digits)}.${text.slice(-digits)}`;
  // Intl formats a decimal string exactly (ES2023 "string numeric literal" input).
  return formatFor(locale, currency).format(`${negative ? '-' : ''}${decimal}` as unknown as number);
}
