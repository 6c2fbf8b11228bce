// Corrections to an issued invoice are credit notes: documents of their own that name the invoice they amend,
// in its currency, type and period, with one negative line per credited line. The invoice itself never changes.
// A line is never credited beyond its amount, counting every earlier credit note. Operator task
// (`partnerdesk billing credit-note`), on the owner connection.
import type { Db } from '../../db/database.ts';
import type { FieldIssue } from '../../lib/errors.ts';
import { AppError } from '../../lib/errors.ts';
import { recordAs } from '../activity/activity.record.ts';
import { formatMinor } from './billing.money.ts';
import { nextDocumentId } from './invoices.close.ts';

export interface CreditNoteInput {
  invoiceId: string;
  /** Lines to credit; `amount` (minor units, > 0) defaults to what is left of the line. */
  lines: { lineNumber: number; amount?: number }[];
  reason: string;
}

export async function createCreditNote(
  owner: Db,
  input: CreditNoteInput,
  now: Date,
): Promise<{ id: string; totalCharges: number; currencyCode: string }> {
  const reason = input.reason.trim();
  const issues: FieldIssue[] = [];
  if (reason.length === 0 || reason.length > 500)
    issues.push({ field: 'reason', reason: 'Give a reason of 1–500 characters.' });
  if (input.lines.length === 0) issues.push({ field: 'lines', reason: 'Name at least one line to credit.' });
  const seen = new Set<number>();
  input.lines.forEach((l, i) => {
    if (!Number.isInteger(l.lineNumber) || l.lineNumber < 1)
      issues.push({ field: `lines[${i}].lineNumber`, reason: 'A line number is a whole number from 1.' });
    else if (seen.has(l.lineNumber))
      issues.push({ field: `lines[${i}].lineNumber`, reason: 'This line is named twice.' });
    seen.add(l.lineNumber);
    if (l.amount !== undefined && (!Number.isSafeInteger(l.amount) || l.amount <= 0)) {
      issues.push({
        field: `lines[${i}].amount`,
        reason: 'An amount is a whole number of minor units above 0.',
      });
    }
  });
  if (issues.length > 0) throw new AppError('validationFailed', { details: issues });

  return owner.transaction().execute(async (trx) => {
    const invoice = await trx
      .selectFrom('invoices')
      .selectAll()
      .where('id', '=', input.invoiceId)
      .forUpdate()
      .executeTakeFirst();
    if (!invoice) throw new AppError('invoiceNotFound');
    if (invoice.document_type !== 'invoice') {
      throw new AppError('validationFailed', {
        details: [
          { field: 'invoiceId', reason: 'A credit note amends an invoice, not another credit note.' },
        ],
      });
    }
    const numbers = input.lines.map((l) => l.lineNumber);
    const originals = await trx
      .selectFrom('invoice_line_items')
      .selectAll()
      .where('invoice_id', '=', invoice.id)
      .where('line_number', 'in', numbers)
      .execute();
    const credited = await trx
      .selectFrom('invoice_line_items as l')
      .innerJoin('invoices as i', 'i.id', 'l.invoice_id')
      .select(['l.amends_line', (eb) => eb.fn.sum<string>('l.amount').as('credited')])
      .where('i.amends_of', '=', invoice.id)
      .where('l.amends_line', 'in', numbers)
      .groupBy('l.amends_line')
      .execute();
    const byNumber = new Map(originals.map((o) => [o.line_number, o]));
    const creditedBy = new Map(credited.map((c) => [c.amends_line!, -Number(c.credited)]));
    const problems: FieldIssue[] = [];
    const rows = input.lines.map((l, i) => {
      const original = byNumber.get(l.lineNumber);
      if (!original) {
        problems.push({
          field: `lines[${i}].lineNumber`,
          reason: `Invoice ${invoice.id} has no line ${l.lineNumber}.`,
        });
        return undefined;
      }
      const left = Math.max(0, original.amount - (creditedBy.get(l.lineNumber) ?? 0));
      const amount = l.amount ?? left;
      if (amount <= 0 || amount > left) {
        problems.push({
          field: `lines[${i}].amount`,
          reason: `Line ${l.lineNumber} has ${formatMinor(left, invoice.currency)} ${invoice.currency} left to credit.`,
        });
        return undefined;
      }
      return { original, amount };
    });
    if (problems.length > 0) {
      const onlyAmounts = problems.every((p) => p.field.endsWith('.amount'));
      throw new AppError(onlyAmounts ? 'creditNoteExceedsLine' : 'validationFailed', { details: problems });
    }
    const id = await nextDocumentId(trx, 'CN');
    const lines = rows.map((r, i) => ({
      ...r!.original,
      invoice_id: id,
      line_number: i + 1,
      charge_type: 'creditNote' as const,
      amount: -r!.amount,
      amends_line: r!.original.line_number,
    }));
    const total = lines.reduce((sum, l) => sum + l.amount, 0);
    await trx.insertInto('invoice_line_items').values(lines).execute();
    await trx
      .insertInto('invoices')
      .values({
        id,
        partner_id: invoice.partner_id,
        document_type: 'creditNote',
        invoice_type: invoice.invoice_type,
        currency: invoice.currency,
        billing_period_start: invoice.billing_period_start,
        billing_period_end: invoice.billing_period_end,
        invoice_date: now,
        amends_of: invoice.id,
        reason,
        total_charges: total,
        line_count: lines.length,
        created_by: 'operator',
        created_at: now,
      })
      .execute();
    await recordAs(
      trx,
      invoice.partner_id,
      { kind: 'operator', name: 'Operator' },
      {
        action: 'creditNote.issued',
        resourceType: 'Invoice',
        resourceId: id,
        details: {
          amends: invoice.id,
          reason,
          totalCharges: formatMinor(total, invoice.currency),
          currencyCode: invoice.currency,
        },
      },
    );
    return { id, totalCharges: total, currencyCode: invoice.currency };
  });
}
