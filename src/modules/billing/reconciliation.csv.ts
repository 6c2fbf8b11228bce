// The reconciliation file of an invoice: every line with its customer, subscription, offer, quantity, unit
// price, days, dates and amount, streamed (any number of lines, one batch in memory). Money is in major units
// (`6.58`, or `658` for JPY), written exactly, so the Amount column adds up to the invoice's total to the cent.
// Text cells a spreadsheet would read as a formula are neutralised by src/lib/csv.ts.
import type { Readable } from 'node:stream';
import type { CsvCell } from '../../lib/csv.ts';
import { CsvDecimal, csvStream } from '../../lib/csv.ts';
import { currencyExponent, formatMinor, trimDecimal } from './billing.money.ts';

export const RECONCILIATION_COLUMNS = [
  'InvoiceNumber',
  'LineNumber',
  'CustomerId',
  'CustomerName',
  'SubscriptionId',
  'SubscriptionName',
  'OfferId',
  'OfferName',
  'MeterName',
  'ChargeType',
  'Quantity',
  'UnitPrice',
  'Days',
  'ChargeStartDate',
  'ChargeEndDate',
  'BillingPeriodStart',
  'BillingPeriodEnd',
  'Amount',
  'Currency',
] as const;

/** What the file needs of one invoice line (a row of invoice_line_items with its invoice's period). */
export interface ReconciliationLine {
  invoiceId: string;
  lineNumber: number;
  customerId: string;
  customerName: string;
  subscriptionId: string;
  subscriptionName: string;
  offerId: string;
  offerName: string;
  meterName: string | null;
  chargeType: string;
  /** Exact decimal, e.g. '5.000000'. */
  quantity: string;
  /** Exact decimal in minor units per unit, e.g. '1250.000000' or '0.52'. */
  unitPrice: string;
  days: number | null;
  chargeStartDate: string;
  chargeEndDate: string;
  billingPeriodStart: string;
  billingPeriodEnd: string;
  /** Minor units. */
  amount: number;
  currency: string;
}

/**
 * An exact decimal in minor units as a decimal in major units: the currency's own number of decimals at
 * least, more only where the price has them ('1250' USD → '12.50', '0.52' USD → '0.0052', '658' JPY → '658').
 */
export function minorToMajor(minor: string, currency: string): string {
  const exp = currencyExponent(currency);
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(minor.trim());
  if (!m) throw new Error(`not a decimal: ${minor}`);
  const [, sign, whole, frac = ''] = m;
  const digits = `${whole}${frac}`.padStart(exp + frac.length + 1, '0');
  const cut = digits.length - exp - frac.length;
  const intPart = digits.slice(0, cut).replace(/^0+(?=\d)/, '');
  const fracPart = digits.slice(cut).replace(/0+$/, '').padEnd(exp, '0');
  const isZero = /^0*$/.test(intPart + fracPart);
  return `${sign && !isZero ? '-' : ''}${intPart}${fracPart ? `.${fracPart}` : ''}`;
}

export function reconciliationRow(line: ReconciliationLine): CsvCell[] {
  return [
    line.invoiceId,
    line.lineNumber,
    line.customerId,
    line.customerName,
    line.subscriptionId,
    line.subscriptionName,
    line.offerId,
    line.offerName,
    line.meterName ?? '',
    line.chargeType,
    new CsvDecimal(trimDecimal(line.quantity)),
    new CsvDecimal(minorToMajor(line.unitPrice, line.currency)),
    line.days,
    line.chargeStartDate,
    line.chargeEndDate,
    line.billingPeriodStart,
    line.billingPeriodEnd,
    new CsvDecimal(formatMinor(line.amount, line.currency)),
    line.currency,
  ];
}

/** The CSV document of the lines as `lines` yields them (pulled only as fast as the reader reads). */
export function reconciliationCsv(lines: AsyncIterable<ReconciliationLine>): Readable {
  async function* rows() {
    for await (const line of lines) yield reconciliationRow(line);
  }
  return csvStream(RECONCILIATION_COLUMNS, rows());
}
