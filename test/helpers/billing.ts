// Invoices written straight into the store with the owner connection, as the invoice job would write them (the
// request-path role may only read them): for tests of reading invoices without working out a month's charges.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../src/db/database.ts';
import type {
  BillingProvider,
  ChargeType,
  InvoiceDocumentType,
  InvoiceLineItemType,
  InvoiceType,
} from '../../src/db/schema.ts';

export interface TestLine {
  amount: number;
  provider?: BillingProvider;
  lineItemType?: InvoiceLineItemType;
  chargeType?: ChargeType;
  customerId?: string;
  customerName?: string;
  subscriptionId?: string;
  subscriptionName?: string;
  offerId?: string;
  offerName?: string;
  meterId?: string | null;
  meterName?: string | null;
  unit?: string;
  quantity?: string;
  unitPrice?: string;
  days?: number | null;
  chargeStartDate?: string;
  chargeEndDate?: string;
  amendsLine?: number | null;
}

export interface TestInvoice {
  id: string;
  totalCharges: number;
  lineCount: number;
}

function lastDay(periodStart: string): string {
  const d = new Date(`${periodStart}T00:00:00Z`);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).toISOString().slice(0, 10);
}

/**
 * An invoice (or, with `amendsOf`, a credit note) of `partnerId` with `lines`, numbered 1… in the order given;
 * its total is the sum of the lines. Defaults: a recurring USD invoice for November 2026, dated 1 December.
 */
export async function insertInvoice(
  owner: Db,
  spec: {
    partnerId: string;
    lines: TestLine[];
    documentType?: InvoiceDocumentType;
    invoiceType?: InvoiceType;
    currency?: string;
    /** 'YYYY-MM-01'. */
    periodStart?: string;
    invoiceDate?: Date;
    amendsOf?: string;
    reason?: string;
  },
): Promise<TestInvoice> {
  const documentType = spec.documentType ?? (spec.amendsOf ? 'creditNote' : 'invoice');
  const periodStart = spec.periodStart ?? '2026-11-01';
  const periodEnd = lastDay(periodStart);
  const invoiceDate =
    spec.invoiceDate ?? new Date(`${periodEnd}T00:00:00Z`).getTime() + 86_400_000 + 3_600_000;
  const n = await sql<{ n: string }>`select nextval('invoice_numbers')::text as n`.execute(owner);
  const id = `${documentType === 'creditNote' ? 'CN' : 'PD'}${n.rows[0]!.n.padStart(10, '0')}`;
  const total = spec.lines.reduce((sum, l) => sum + l.amount, 0);
  await owner.transaction().execute(async (trx) => {
    await trx
      .insertInto('invoices')
      .values({
        id,
        partner_id: spec.partnerId,
        document_type: documentType,
        invoice_type: spec.invoiceType ?? 'recurring',
        currency: spec.currency ?? 'USD',
        billing_period_start: periodStart,
        billing_period_end: periodEnd,
        invoice_date: new Date(invoiceDate),
        amends_of: spec.amendsOf ?? null,
        reason: spec.reason ?? (spec.amendsOf ? 'Correction' : null),
        total_charges: total,
        line_count: spec.lines.length,
        created_by: 'system',
        created_at: new Date(invoiceDate),
      })
      .execute();
    if (spec.lines.length > 0)
      await trx
        .insertInto('invoice_line_items')
        .values(
          spec.lines.map((l, i) => ({
            invoice_id: id,
            line_number: i + 1,
            partner_id: spec.partnerId,
            provider: l.provider ?? 'office',
            line_item_type:
              l.lineItemType ?? (l.provider === 'azure' ? 'usageLineItems' : 'billingLineItems'),
            charge_type: l.chargeType ?? (documentType === 'creditNote' ? 'creditNote' : 'cycleCharge'),
            customer_id: l.customerId ?? randomUUID(),
            customer_name: l.customerName ?? 'Contoso',
            subscription_id: l.subscriptionId ?? randomUUID(),
            subscription_name: l.subscriptionName ?? 'Microsoft 365 E3',
            offer_id: l.offerId ?? 'M365-E3',
            offer_name: l.offerName ?? 'Microsoft 365 E3',
            meter_id: l.meterId ?? null,
            meter_name: l.meterName ?? null,
            unit: l.unit ?? 'Licenses',
            quantity: l.quantity ?? '1',
            unit_price: l.unitPrice ?? String(l.amount),
            days: l.days === undefined ? (l.provider === 'azure' ? null : 30) : l.days,
            charge_start_date: l.chargeStartDate ?? periodStart,
            charge_end_date: l.chargeEndDate ?? periodEnd,
            amount: l.amount,
            amends_line: l.amendsLine ?? null,
          })),
        )
        .execute();
  });
  return { id, totalCharges: total, lineCount: spec.lines.length };
}

/** The text of each page of a PDF, as a reader copying it out would get it (pdf.js). */
export async function pdfText(pdf: Buffer): Promise<string[]> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await pdfjs.getDocument({ data: new Uint8Array(pdf), isEvalSupported: false }).promise;
  const pages: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join(' '));
  }
  await doc.destroy();
  return pages;
}

/** A decimal in major units ('-12.50', '658') as whole minor units, refusing any other number of decimals. */
export function minorUnits(text: string, decimals: number): number {
  const m =
    decimals === 0 ? /^(-?)(\d+)$/.exec(text) : new RegExp(`^(-?)(\\d+)\\.(\\d{${decimals}})$`).exec(text);
  if (!m) throw new Error(`${JSON.stringify(text)} is not an amount with ${decimals} decimals`);
  const value = Number(`${m[2]}${m[3] ?? ''}`);
  return m[1] ? -value : value;
}
