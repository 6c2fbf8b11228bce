// Billing from the command line. A partner's commands run over the API of a running Partnerdesk (--url, as a
// partner user with --token, or --user and --password): `partnerdesk invoices list|show|export|statement|
// unbilled` and `partnerdesk usage upload <file.csv>`. The operator's run on the store itself (owner connection,
// like `offers import`): `partnerdesk billing close` (the invoice job, now) and `partnerdesk billing credit-note`.
// Answers go to stdout; progress, notices and errors to stderr, an error as one line with the API's code.
import fs from 'node:fs';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { Option } from 'commander';
import type { Api, ApiOptions } from './api.ts';
import { ApiError, apiOptions, flagValue } from './api.ts';
import type { StoreOptions } from './common.ts';
import {
  collectWords,
  env,
  fail,
  minute,
  note,
  out,
  plural,
  storeOptions,
  table,
  wholeNumber,
  withCliStore,
} from './common.ts';
import type { Collection } from './customer.ts';
import { UUID, printCount, readList, resolveCustomer, withApi } from './customer.ts';
import { saveCsvExport, saveDownload } from './export.ts';
import type { UsageItem } from './usage.file.ts';
import type { CreditNoteInput } from '../modules/billing/invoices.creditnotes.ts';
import type {
  ChargeLineView,
  InvoiceSummaryView,
  InvoiceView,
  UnbilledPage,
} from '../modules/billing/invoices.service.ts';
import { formatMinor } from '../modules/billing/billing.money.ts';

// ── API shapes the commands read (the service's views, as they travel in JSON) ──

type Invoice = InvoiceView;
type InvoiceSummary = InvoiceSummaryView;

interface UnbilledCollection extends Collection<ChargeLineView> {
  billingPeriodStartDate: string;
  totals: UnbilledPage['totals'];
}

interface UsageAnswer {
  accepted: number;
  duplicates: number;
}

// ── helpers ──

const money = (minor: number, currency: string) => `${formatMinor(minor, currency)} ${currency}`;

/** YYYY-MM → the period's first day, YYYY-MM-01. */
export function periodStart(raw: string, option: string): string {
  const text = raw.trim();
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(text))
    throw new Error(`${option} must be a month like 2026-11, not "${raw}"`);
  return `${text}-01`;
}

function invoiceId(raw: string): string {
  const text = raw.trim().toUpperCase();
  if (!/^(PD|CN)\d{10}$/.test(text))
    throw new Error(`"${raw}" is not an invoice id (PD and 10 digits, or CN… for a credit note)`);
  return text;
}

function documentLabel(i: InvoiceSummary): string {
  return `${i.documentType === 'creditNote' ? 'credit note' : 'invoice'} (${i.invoiceType === 'oneTime' ? 'one-time' : 'recurring'})`;
}

function printInvoice(i: Invoice): void {
  const lines: [string, string][] = [
    [i.documentType === 'creditNote' ? 'Credit note' : 'Invoice', i.id],
    ['Document', documentLabel(i)],
    ['Date', minute(i.invoiceDate)],
    ['Period', `${i.billingPeriodStartDate.slice(0, 10)} – ${i.billingPeriodEndDate.slice(0, 10)}`],
    ['Currency', i.currencyCode],
    ['Total charges', money(i.totalCharges, i.currencyCode)],
    ['Paid', money(i.paidAmount, i.currencyCode)],
    ['Lines', i.lineCount.toLocaleString('en-US')],
  ];
  if (i.amendsOf) lines.push(['Amends', i.amendsOf]);
  if (i.reason) lines.push(['Reason', i.reason]);
  for (const a of i.amendments)
    lines.push([
      'Credit note',
      `${a.id} of ${minute(a.invoiceDate)}: ${money(a.totalCharges, i.currencyCode)}`,
    ]);
  const w = Math.max(...lines.map(([k]) => k.length));
  for (const [k, v] of lines) out(`${`${k}:`.padEnd(w + 2)}${v}`);
  const amount = (n: number) => formatMinor(n, i.currencyCode);
  if (i.invoiceDetails.length > 0) {
    out();
    out('Invoice details:');
    table([
      ['  PROVIDER', 'LINE ITEMS', 'LINES', 'TOTAL'],
      ...i.invoiceDetails.map((d) => [
        `  ${d.billingProvider}`,
        d.invoiceLineItemType,
        String(d.lineCount),
        amount(d.totalCharges),
      ]),
    ]);
  }
  if (i.totalsByCustomer.length > 0) {
    out();
    out('Totals by customer:');
    table([
      ['  CUSTOMER', 'CUSTOMER ID', 'TOTAL'],
      ...i.totalsByCustomer.map((c) => [`  ${c.customerName}`, c.customerId, amount(c.totalCharges)]),
    ]);
  }
  if (i.totalsByOffer.length > 0) {
    out();
    out('Totals by offer:');
    table([
      ['  OFFER', 'OFFER ID', 'TOTAL'],
      ...i.totalsByOffer.map((o) => [`  ${o.offerName}`, o.offerId, amount(o.totalCharges)]),
    ]);
  }
}

/**
 * The customer `--customer` names: an id as it is (a Billing admin may not look customers up, and the billing
 * routes say themselves whether it is one of yours), a domain looked up among your customers.
 */
async function customerIdOf(api: Api, raw: string): Promise<string> {
  const text = raw.trim();
  if (UUID.test(text)) return text.toLowerCase();
  try {
    return (await resolveCustomer(api, text)).id;
  } catch (err) {
    if (err instanceof ApiError && err.status === 403)
      throw new Error(
        `--customer: your roles cannot look customers up by domain; give the customer's id instead of ${text}`,
        { cause: err },
      );
    throw err;
  }
}

const outOption = (what: string, dflt: string, variable: string) =>
  new Option('-o, --out <file>', `where to write ${what} (default: ${dflt}; - : stdout)`).env(env(variable));

// ── usage upload ──

interface UsageRun {
  sent: number;
  accepted: number;
  duplicates: number;
}

/**
 * A refused batch as the file's lines: the API names items by their place in the batch (`items[3].usageDate`),
 * the user knows them by line.
 */
function refusedLines(err: ApiError, batch: UsageItem[]): string[] {
  const body = (err.body && typeof err.body === 'object' ? err.body : {}) as {
    details?: { field?: unknown; reason?: unknown }[];
  };
  return (body.details ?? []).map((d) => {
    const field = typeof d.field === 'string' ? d.field : '';
    const m = /^items\[(\d+)\]\.?(.*)$/.exec(field);
    const item = m ? batch[Number(m[1])] : undefined;
    const reason = typeof d.reason === 'string' ? d.reason : 'refused';
    return item
      ? `line ${item.line}: ${m![2] ? `${m![2]}: ` : ''}${reason}`
      : `${field ? `${field}: ` : ''}${reason}`;
  });
}

/**
 * The API's refusal of a batch in a few words, with its code: its description without the per-record details
 * (up to a thousand of them, printed per line already).
 */
function refusal(err: ApiError): string {
  const body = (err.body && typeof err.body === 'object' ? err.body : {}) as {
    description?: unknown;
    name?: unknown;
    code?: unknown;
  };
  const description = typeof body.description === 'string' ? body.description : err.message;
  const code = [body.name, body.code].filter((v) => typeof v === 'string' || typeof v === 'number').join(' ');
  return code ? `${description} [${code}]` : description;
}

async function uploadUsage(api: Api, file: string, total: number, batchSize: number): Promise<UsageRun> {
  const { usageBatches } = await import('./usage.file.ts');
  const run: UsageRun = { sent: 0, accepted: 0, duplicates: 0 };
  const bar = process.stderr.isTTY
    ? new SingleBar({
        format:
          'Uploading usage [{bar}] {percentage}% | {value}/{total} records | {accepted} accepted, {duplicates} duplicates',
        stream: process.stderr,
        hideCursor: true,
      })
    : undefined;
  bar?.start(total, 0, { accepted: 0, duplicates: 0 });
  const batches = Math.ceil(total / batchSize);
  let n = 0;
  let lastTenth = 0;
  try {
    for await (const batch of usageBatches(file, batchSize)) {
      n++;
      try {
        const res = await api.send<UsageAnswer>('POST', '/v1/usage-records', {
          items: batch.map(({ line: _line, ...item }) => item),
        });
        run.accepted += res.body.accepted;
        run.duplicates += res.body.duplicates;
        run.sent += batch.length;
      } catch (err) {
        if (!(err instanceof ApiError) || err.status >= 500) throw err;
        bar?.stop();
        for (const line of refusedLines(err, batch)) note(line);
        const first = batch[0]!.line;
        const last = batch.at(-1)!.line;
        if (run.sent > 0)
          note(
            `The ${plural(run.sent, 'record')} before line ${first} were sent (${run.accepted.toLocaleString('en-US')} ` +
              `accepted, ${run.duplicates.toLocaleString('en-US')} duplicates): fix the file and run it again, ` +
              'they will count as duplicates.',
          );
        throw new Error(
          `batch ${n} of ${batches} (${first === last ? `line ${first}` : `lines ${first}–${last}`}) was refused, ` +
            `nothing of it recorded: ${refusal(err)}`,
          { cause: err },
        );
      }
      bar?.update(run.sent, { accepted: run.accepted, duplicates: run.duplicates });
      const tenth = Math.floor((run.sent / total) * 10);
      if (!bar && (tenth !== lastTenth || run.sent === total)) {
        note(
          `${run.sent.toLocaleString('en-US')}/${total.toLocaleString('en-US')} records ` +
            `(${run.accepted.toLocaleString('en-US')} accepted, ${run.duplicates.toLocaleString('en-US')} duplicates)`,
        );
        lastTenth = tenth;
      }
    }
  } finally {
    bar?.stop();
  }
  return run;
}

// ── the commands ──

export function registerBillingCommands(program: Command): void {
  const invoices = program
    .command('invoices')
    .description(
      'your invoices and credit notes, their files, and the charges not yet invoiced, over the API of a running Partnerdesk',
    );
  const idArg = '<invoiceId>';
  const idHelp = 'the invoice or credit note id, e.g. PD0000000042';

  apiOptions(
    invoices
      .command('list')
      .description('invoices and credit notes, newest first')
      .addOption(new Option('--period <YYYY-MM>', 'only this billing month').env(env('INVOICE_PERIOD')))
      .addOption(
        new Option('--document-type <type>', 'invoice or creditNote (default: both)').env(
          env('DOCUMENT_TYPE'),
        ),
      )
      .addOption(new Option('--currency <code>', 'only this currency, e.g. EUR').env(env('CURRENCY')))
      .addOption(new Option('--size <n>', 'documents per page, 1–1000 (default 100)').env(env('PAGE_SIZE')))
      .addOption(new Option('--all', 'every page, not just the first (variable: 1 or 0)').env(env('ALL')))
      .addOption(new Option('--json', 'print the API items as JSON (variable: 1 or 0)').env(env('JSON'))),
  ).action(
    async (
      opts: ApiOptions & { period?: string; documentType?: string; currency?: string; size?: string },
      cmd: Command,
    ) => {
      const json = flagValue(cmd, 'json', env('JSON'));
      const all = flagValue(cmd, 'all', env('ALL'));
      let query: Record<string, string | undefined> = {};
      try {
        const type = opts.documentType?.trim();
        if (type && type !== 'invoice' && type !== 'creditNote')
          throw new Error(`--document-type must be invoice or creditNote, not "${opts.documentType}"`);
        query = {
          period: opts.period?.trim() ? periodStart(opts.period, '--period').slice(0, 7) : undefined,
          documentType: type || undefined,
          currencyCode: opts.currency?.trim().toUpperCase() || undefined,
          size: opts.size?.trim() ? String(wholeNumber(opts.size, '--size', 1, 1000)) : undefined,
        };
      } catch (err) {
        fail(err);
      }
      await withApi(opts, async (api) => {
        const list = await readList<InvoiceSummary>(api, '/v1/invoices', query, all);
        if (json) {
          out(JSON.stringify(list.items, null, 2));
          return;
        }
        if (list.items.length === 0)
          out(query.period ? `No invoices for ${query.period}.` : 'No invoices yet.');
        else
          table([
            ['ID', 'DATE', 'DOCUMENT', 'PERIOD', 'CURRENCY', 'TOTAL', 'LINES', 'AMENDS'],
            ...list.items.map((i) => [
              i.id,
              i.invoiceDate.slice(0, 10),
              documentLabel(i),
              i.billingPeriodStartDate.slice(0, 7),
              i.currencyCode,
              formatMinor(i.totalCharges, i.currencyCode),
              String(i.lineCount),
              i.amendsOf ?? '',
            ]),
          ]);
        printCount(list);
      });
    },
  );

  apiOptions(
    invoices
      .command('show')
      .description(
        'one invoice or credit note: its dates and totals, invoice details, totals by customer and offer',
      )
      .argument(idArg, idHelp)
      .addOption(new Option('--json', 'print the API resource as JSON (variable: 1 or 0)').env(env('JSON'))),
  ).action(async (raw: string, opts: ApiOptions, cmd: Command) => {
    const json = flagValue(cmd, 'json', env('JSON'));
    await withApi(opts, async (api) => {
      const invoice = await api.get<Invoice>(`/v1/invoices/${invoiceId(raw)}`);
      if (json) out(JSON.stringify(invoice, null, 2));
      else printInvoice(invoice);
    });
  });

  apiOptions(
    invoices
      .command('export')
      .description(
        'the reconciliation CSV of an invoice: every line with customer, subscription, offer, quantity, price, days, amount',
      )
      .argument(idArg, idHelp)
      .addOption(outOption('the CSV', '<invoiceId>-reconciliation.csv', 'INVOICE_EXPORT_OUT')),
  ).action(async (raw: string, opts: ApiOptions & { out?: string }) => {
    await withApi(opts, async (api) => {
      const id = invoiceId(raw);
      const res = await api.stream(`/v1/invoices/${id}/documents/reconciliation`);
      const { rows, file } = await saveCsvExport(res, {
        output: opts.out,
        fallbackName: `${id}-reconciliation.csv`,
        what: 'invoice lines',
      });
      if (!file) note(`${plural(rows, 'line')} of ${id} exported.`);
      else out(`${plural(rows, 'line')} of ${id} exported to ${file}`);
    });
  });

  apiOptions(
    invoices
      .command('statement')
      .description('the PDF statement of an invoice or credit note')
      .argument(idArg, idHelp)
      .addOption(outOption('the PDF', '<invoiceId>.pdf', 'STATEMENT_OUT')),
  ).action(async (raw: string, opts: ApiOptions & { out?: string }) => {
    await withApi(opts, async (api) => {
      const id = invoiceId(raw);
      const res = await api.stream(`/v1/invoices/${id}/documents/statement`);
      const file = await saveDownload(res, {
        output: opts.out,
        fallbackName: `${id}.pdf`,
        extension: '.pdf',
      });
      if (file) {
        const kb = Math.max(1, Math.round(fs.statSync(file).size / 1024));
        out(`Statement of ${id} saved to ${file} (${kb} KB)`);
      }
    });
  });

  apiOptions(
    invoices
      .command('unbilled')
      .description("this month's charges so far, not invoiced yet (they are at the month's end)")
      .addOption(
        new Option('--customer <customer>', "only this customer's (its id or one of its domains)").env(
          env('CUSTOMER'),
        ),
      )
      .addOption(new Option('--currency <code>', 'only this currency, e.g. EUR').env(env('CURRENCY')))
      .addOption(new Option('--json', 'print the API items as JSON (variable: 1 or 0)').env(env('JSON'))),
  ).action(async (opts: ApiOptions & { customer?: string; currency?: string }, cmd: Command) => {
    const json = flagValue(cmd, 'json', env('JSON'));
    await withApi(opts, async (api) => {
      const customerId = opts.customer?.trim() ? await customerIdOf(api, opts.customer) : undefined;
      const first = await api.get<UnbilledCollection>('/v1/invoices/unbilled/lineitems', {
        customerId,
        currencyCode: opts.currency?.trim().toUpperCase() || undefined,
        size: 2000,
      });
      const items = [...first.items];
      for (let page = first; page.links.next;) {
        page = await api.get<UnbilledCollection>(page.links.next.uri);
        items.push(...page.items);
      }
      if (json) {
        out(JSON.stringify(items, null, 2));
        return;
      }
      const month = first.billingPeriodStartDate.slice(0, 7);
      if (items.length === 0) {
        out(`No charges so far in ${month}.`);
        return;
      }
      out(`Charges so far in ${month} (not invoiced yet):`);
      out();
      table([
        [
          'CUSTOMER',
          'SUBSCRIPTION',
          'OFFER',
          'CHARGE',
          'QUANTITY',
          'DAYS',
          'FROM',
          'TO',
          'AMOUNT',
          'CURRENCY',
        ],
        ...items.map((l) => [
          l.customerName,
          l.subscriptionName,
          l.meterName ? `${l.offerName}: ${l.meterName}` : l.offerName,
          l.chargeType,
          `${l.quantity} ${l.unit}`,
          l.days === null ? '—' : String(l.days),
          l.chargeStartDate,
          l.chargeEndDate,
          formatMinor(l.amount, l.currencyCode),
          l.currencyCode,
        ]),
      ]);
      out();
      for (const t of first.totals)
        out(`Total ${t.currencyCode}: ${formatMinor(t.totalCharges, t.currencyCode)}`);
      out(`${plural(items.length, 'line')}`);
    });
  });

  const usage = program
    .command('usage')
    .description('usage of your usage-based subscriptions, over the API of a running Partnerdesk');

  apiOptions(
    usage
      .command('upload')
      .description(
        'record usage from a CSV file (clientRecordId,subscriptionId,meterId,usageDate,quantity; clientRecordId ' +
          'optional): checked first, nothing sent if a row is wrong; safe to run again',
      )
      .argument('<file.csv>', 'the usage file')
      .addOption(
        new Option('--batch-size <n>', 'records per request, 1–1000 (default 1000)').env(
          env('USAGE_BATCH_SIZE'),
        ),
      ),
  ).action(async (file: string, opts: ApiOptions & { batchSize?: string }) => {
    let batchSize = 1000;
    try {
      if (opts.batchSize?.trim()) batchSize = wholeNumber(opts.batchSize, '--batch-size', 1, 1000);
      if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw new Error(`no such file: ${file}`);
    } catch (err) {
      fail(err);
    }
    const { checkUsageFile } = await import('./usage.file.ts');
    let check;
    try {
      check = await checkUsageFile(file, new Date().toISOString().slice(0, 10));
    } catch (err) {
      fail(err);
    }
    if (check.problems.length > 0) {
      for (const p of check.problems) note(`line ${p.line}: ${p.column ? `${p.column} ` : ''}${p.reason}`);
      if (check.moreProblems > 0) note(`…and ${plural(check.moreProblems, 'more problem')}`);
      fail(
        new Error(
          `${file} has ${plural(check.problems.length + check.moreProblems, 'problem')}; nothing was sent`,
        ),
      );
    }
    if (check.rows === 0) fail(new Error(`${file} has no usage records (only its header line)`));
    await withApi(opts, async (api) => {
      const run = await uploadUsage(api, file, check.rows, batchSize);
      out(
        `${plural(run.sent, 'usage record')} from ${file}: ${run.accepted.toLocaleString('en-US')} accepted, ` +
          `${run.duplicates.toLocaleString('en-US')} duplicates (already recorded).`,
      );
    });
  });

  const billing = program
    .command('billing')
    .description('operator tasks: the invoice job and credit notes, on the store itself');

  storeOptions(
    billing
      .command('close')
      .description(
        'the invoice job, now: closes every month that has ended and is not closed yet, for every partner (or ' +
          'one month, or one partner), writing its invoices; a closed month is never invoiced again',
      )
      .addOption(
        new Option('--period <YYYY-MM>', 'only this month (it must have ended)').env(env('BILLING_PERIOD')),
      )
      .addOption(new Option('--partner <id|name>', 'only this partner').env(env('BILLING_PARTNER'))),
  ).action(async (opts: StoreOptions & { period?: string; partner?: string }) => {
    const now = new Date();
    let period: string | undefined;
    try {
      period = opts.period?.trim() ? periodStart(opts.period, '--period') : undefined;
      if (period && period.slice(0, 7) >= now.toISOString().slice(0, 7))
        throw new Error(
          `--period ${period.slice(0, 7)} has not ended yet: a month is invoiced once it is over`,
        );
    } catch (err) {
      fail(err);
    }
    await withCliStore(opts, async (store, config) => {
      let partner: { id: string; name: string } | undefined;
      if (opts.partner?.trim()) {
        const { partnersService, resolvePartner } = await import('./partner.commands.ts');
        partner = await resolvePartner(await partnersService(store, config), opts.partner.trim());
      }
      const { closeDuePeriods } = await import('../modules/billing/invoices.close.ts');
      // One line per partner's month on stderr as it closes: a first run can have many months to invoice.
      const r = await closeDuePeriods(
        store.owner,
        now,
        { period, partnerId: partner?.id },
        {
          onClosed: (done, total, due, issued) =>
            note(
              `[${done}/${total}] ${due.period.slice(0, 7)} of partner ${due.partnerId}: ${plural(issued, 'invoice')}`,
            ),
        },
      );
      const scope = [period ? period.slice(0, 7) : '', partner ? `of ${partner.name}` : '']
        .filter(Boolean)
        .join(' ');
      if (r.periods === 0)
        out(`Nothing to close: every ended month${scope ? ` (${scope})` : ''} is already invoiced.`);
      else
        out(
          `Closed ${plural(r.periods, 'partner month')}${scope ? ` (${scope})` : ''}: ${plural(r.invoices, 'invoice')} issued.`,
        );
    });
  });

  storeOptions(
    billing
      .command('credit-note')
      .description(
        'correct an issued invoice with a credit note for some of its lines (each whole, or --amount of one); ' +
          'the invoice itself never changes, and no line is credited beyond what is left of it',
      )
      .addOption(
        new Option('--invoice <id>', 'the invoice, e.g. PD0000000042')
          .env(env('CREDIT_INVOICE'))
          .makeOptionMandatory(),
      )
      .addOption(
        new Option('--line <n>', 'an invoice line to credit (repeat, or comma-separated, for several)')
          .env(env('CREDIT_LINES'))
          .argParser(collectWords)
          .makeOptionMandatory(),
      )
      .addOption(
        new Option(
          '--amount <minor>',
          'credit this much of the one --line, in minor units (default: what is left of each)',
        ).env(env('CREDIT_AMOUNT')),
      )
      .addOption(
        new Option('--reason <text>', 'why (1–500 characters; shown on the credit note)')
          .env(env('CREDIT_REASON'))
          .makeOptionMandatory(),
      ),
  ).action(
    async (opts: StoreOptions & { invoice: string; line: string[]; amount?: string; reason: string }) => {
      let input!: CreditNoteInput;
      try {
        const lines = opts.line.map((l) => wholeNumber(l, '--line', 1));
        const amount = opts.amount?.trim() ? wholeNumber(opts.amount, '--amount', 1) : undefined;
        if (amount !== undefined && lines.length !== 1)
          throw new Error('--amount credits part of one line: give one --line with it');
        input = {
          invoiceId: invoiceId(opts.invoice),
          lines: lines.map((lineNumber) => (amount === undefined ? { lineNumber } : { lineNumber, amount })),
          reason: opts.reason,
        };
      } catch (err) {
        fail(err);
      }
      await withCliStore(opts, async (store) => {
        const { createCreditNote } = await import('../modules/billing/invoices.creditnotes.ts');
        const cn = await createCreditNote(store.owner, input, new Date());
        out(
          `Credit note ${cn.id} issued for invoice ${input.invoiceId}: ${money(cn.totalCharges, cn.currencyCode)} ` +
            `(${plural(input.lines.length, 'line')}).`,
        );
      });
    },
  );
}
