// Reading invoices (PRODUCT.md feature 10): the partner's invoices and credit notes with their totals per
// provider, customer and offer; their lines, paged and filtered as Partner Center's clients ask for them; the
// charges of the current month so far (unbilled); the last months' totals for the console's chart; and two
// documents per invoice, the statement (PDF) and the reconciliation file (CSV). Invoices are written only by the
// invoice job and never change; every read here is the caller's partner's own, under row-level security and an
// explicit partner filter, so another partner's invoice id is simply not found.
import type { Readable } from 'node:stream';
import type { Db, Trx } from '../../db/database.ts';
import { inPartnerTransaction } from '../../db/database.ts';
import type {
  BillingProvider,
  ChargeType,
  InvoiceDocumentType,
  InvoiceLineItemType,
  InvoiceType,
} from '../../db/schema.ts';
import { etagOf } from '../../http/etag.ts';
import type { Clock } from '../../lib/clock.ts';
import type { CallerContext } from '../../lib/context.ts';
import { AppError } from '../../lib/errors.ts';
import { groupBy } from '../../lib/group.ts';
import type { Page, PageRequest } from '../../lib/paging.ts';
import { decodeCursor, encodeCursor, isCursorInstant, keysetRows, pageOf } from '../../lib/paging.ts';
import type { CustomersService } from '../customers/customers.service.ts';
import { countryName } from '../countries/countries.data.ts';
import type { PartnersService } from '../partners/partners.service.ts';
import { currencyExponent, currencySymbol, trimDecimal } from './billing.money.ts';
import type { ChargeLine, ChargeQuery, ChargesCursor } from './charges.service.ts';
import {
  dayAfter,
  parsePeriod,
  periodEnd,
  periodOf,
  previousPeriod,
  chargesPage,
} from './charges.service.ts';
import * as repo from './invoices.repository.ts';
import type { DetailRow, InvoiceLineRow, InvoiceRow } from './invoices.repository.ts';
import type { ReconciliationLine } from './reconciliation.csv.ts';
import { reconciliationCsv } from './reconciliation.csv.ts';
import type { StatementData } from './statement.pdf.ts';
import { STATEMENT_MAX_CUSTOMERS, STATEMENT_MAX_LINES, renderStatement } from './statement.pdf.ts';

/** Provider names as Partner Center's clients write them in a line items URL. */
const PROVIDER_PARAM: Record<BillingProvider, string> = {
  office: 'office',
  azure: 'azure',
  oneTime: 'onetime',
};
const LINE_TYPE_PARAM: Record<InvoiceLineItemType, string> = {
  billingLineItems: 'billinglineitems',
  usageLineItems: 'usagelineitems',
};

interface Link {
  uri: string;
  method: 'GET';
}

export interface InvoiceDetailView {
  invoiceLineItemType: InvoiceLineItemType;
  billingProvider: BillingProvider;
  lineCount: number;
  totalCharges: number;
  links: { self: Link };
}

/** An invoice as listed: everything but its amendments and its totals per customer and offer. */
export interface InvoiceSummaryView {
  id: string;
  documentType: InvoiceDocumentType;
  invoiceType: InvoiceType;
  invoiceDate: string;
  billingPeriodStartDate: string;
  billingPeriodEndDate: string;
  totalCharges: number;
  paidAmount: number;
  currencyCode: string;
  currencySymbol: string;
  currencyDecimals: number;
  amendsOf: string | null;
  reason: string | null;
  lineCount: number;
  invoiceDetails: InvoiceDetailView[];
  links: { self: Link; statement: Link; reconciliation: Link };
  attributes: { objectType: 'Invoice'; etag: string };
}

export interface InvoiceView extends InvoiceSummaryView {
  amendments: { id: string; invoiceDate: string; totalCharges: number }[];
  totalsByCustomer: { customerId: string; customerName: string; totalCharges: number }[];
  totalsByOffer: { offerId: string; offerName: string; totalCharges: number }[];
}

/** A charge line, as billed (on an invoice) or not yet (unbilled). */
export interface ChargeLineView {
  provider: BillingProvider;
  invoiceLineItemType: InvoiceLineItemType;
  chargeType: ChargeType;
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
  chargeStartDate: string;
  chargeEndDate: string;
  amount: number;
  currencyCode: string;
  billingPeriodStartDate: string;
  billingPeriodEndDate: string;
  attributes: { objectType: 'InvoiceLineItem' };
}

export interface InvoiceLineView extends ChargeLineView {
  invoiceNumber: string;
  lineNumber: number;
}

export interface InvoiceFilters {
  /** 'YYYY-MM'. */
  period?: string;
  documentType?: InvoiceDocumentType;
  currencyCode?: string;
}

export interface LineFilters {
  provider?: BillingProvider;
  invoiceLineItemType?: InvoiceLineItemType;
  customerId?: string;
}

export interface UnbilledFilters extends LineFilters {
  currencyCode?: string;
}

export interface UnbilledPage extends Page<ChargeLineView> {
  totals: { currencyCode: string; totalCharges: number }[];
  billingPeriodStartDate: string;
  billingPeriodEndDate: string;
}

export interface MonthlySummaries {
  items: {
    currencyCode: string;
    months: { billingPeriodStartDate: string; totalCharges: number; invoiceIds: string[] }[];
  }[];
}

export interface InvoicesService {
  list(ctx: CallerContext, filters: InvoiceFilters, page: PageRequest): Promise<Page<InvoiceSummaryView>>;
  get(ctx: CallerContext, id: string): Promise<InvoiceView>;
  lineItems(
    ctx: CallerContext,
    id: string,
    filters: LineFilters,
    page: PageRequest,
  ): Promise<Page<InvoiceLineView>>;
  unbilled(ctx: CallerContext, filters: UnbilledFilters, page: PageRequest): Promise<UnbilledPage>;
  summaries(ctx: CallerContext, months: number): Promise<MonthlySummaries>;
  statement(ctx: CallerContext, id: string): Promise<{ filename: string; stream: Readable }>;
  reconciliation(ctx: CallerContext, id: string): Promise<{ filename: string; stream: Readable }>;
}

const invoiceUri = (id: string) => `/v1/invoices/${encodeURIComponent(id)}`;

function detailView(id: string, d: DetailRow): InvoiceDetailView {
  const query = `provider=${PROVIDER_PARAM[d.provider]}&invoicelineitemtype=${LINE_TYPE_PARAM[d.line_item_type]}`;
  return {
    invoiceLineItemType: d.line_item_type,
    billingProvider: d.provider,
    lineCount: d.line_count,
    totalCharges: Number(d.total_charges),
    links: { self: { uri: `${invoiceUri(id)}/lineitems?${query}`, method: 'GET' } },
  };
}

function summaryView(row: InvoiceRow, details: DetailRow[]): InvoiceSummaryView {
  const currency = row.currency.trim();
  const self = invoiceUri(row.id);
  return {
    id: row.id,
    documentType: row.document_type,
    invoiceType: row.invoice_type,
    invoiceDate: row.invoice_date.toISOString(),
    billingPeriodStartDate: row.billing_period_start,
    billingPeriodEndDate: row.billing_period_end,
    totalCharges: Number(row.total_charges),
    paidAmount: 0,
    currencyCode: currency,
    currencySymbol: currencySymbol(currency),
    currencyDecimals: currencyExponent(currency),
    amendsOf: row.amends_of,
    reason: row.reason,
    lineCount: row.line_count,
    invoiceDetails: details.map((d) => detailView(row.id, d)),
    links: {
      self: { uri: self, method: 'GET' },
      statement: { uri: `${self}/documents/statement`, method: 'GET' },
      reconciliation: { uri: `${self}/documents/reconciliation`, method: 'GET' },
    },
    // The invoice never changes; a credit note issued against it changes its amendments.
    attributes: { objectType: 'Invoice', etag: etagOf(row.id, 1 + row.amendment_count) },
  };
}

function lineView(
  row: InvoiceLineRow,
  invoice: Pick<InvoiceRow, 'currency' | 'billing_period_start' | 'billing_period_end'>,
): InvoiceLineView {
  return {
    invoiceNumber: row.invoice_id,
    lineNumber: row.line_number,
    provider: row.provider,
    invoiceLineItemType: row.line_item_type,
    chargeType: row.charge_type,
    customerId: row.customer_id,
    customerName: row.customer_name,
    subscriptionId: row.subscription_id,
    subscriptionName: row.subscription_name,
    offerId: row.offer_id,
    offerName: row.offer_name,
    meterId: row.meter_id,
    meterName: row.meter_name,
    unit: row.unit,
    quantity: trimDecimal(row.quantity),
    unitPrice: trimDecimal(row.unit_price),
    days: row.days,
    chargeStartDate: row.charge_start_date,
    chargeEndDate: row.charge_end_date,
    amount: Number(row.amount),
    currencyCode: invoice.currency.trim(),
    billingPeriodStartDate: invoice.billing_period_start,
    billingPeriodEndDate: invoice.billing_period_end,
    attributes: { objectType: 'InvoiceLineItem' },
  };
}

function chargeView(line: ChargeLine, periodStart: string): ChargeLineView {
  return {
    provider: line.provider,
    invoiceLineItemType: line.lineItemType,
    chargeType: line.chargeType,
    customerId: line.customerId,
    customerName: line.customerName,
    subscriptionId: line.subscriptionId,
    subscriptionName: line.subscriptionName,
    offerId: line.offerId,
    offerName: line.offerName,
    meterId: line.meterId,
    meterName: line.meterName,
    unit: line.unit,
    quantity: trimDecimal(line.quantity),
    unitPrice: trimDecimal(line.unitPrice),
    days: line.days,
    chargeStartDate: line.chargeStartDate,
    chargeEndDate: line.chargeEndDate,
    amount: line.amount,
    currencyCode: line.currency,
    billingPeriodStartDate: periodStart,
    billingPeriodEndDate: periodEnd(periodStart),
    attributes: { objectType: 'InvoiceLineItem' },
  };
}

export function createInvoicesService(deps: {
  db: Db;
  clock: Clock;
  partners: Pick<PartnersService, 'myPartner'>;
  customers: Pick<CustomersService, 'relationshipState'>;
}): InvoicesService {
  const { db, clock, partners, customers } = deps;

  /** Ids are 'PD…'/'CN…' in capitals; anything else names no invoice (404, not 400, like an unknown one). */
  const normaliseId = (id: string) => id.trim().toUpperCase();

  async function invoiceOf(trx: Trx, ctx: CallerContext, id: string): Promise<InvoiceRow> {
    const row = await repo.getInvoice(trx, ctx.partnerId, normaliseId(id));
    if (!row) throw new AppError('invoiceNotFound');
    return row;
  }

  return {
    async list(ctx, filters, page) {
      const query: repo.InvoiceQuery = {
        partnerId: ctx.partnerId,
        periodStart: filters.period ? parsePeriod(filters.period) : undefined,
        documentType: filters.documentType,
        currency: filters.currencyCode?.toUpperCase(),
      };
      const scope = { list: 'invoices', ...query };
      const key = decodeCursor(page.cursor, scope, 2);
      if (key && (!isCursorInstant(key[0], 6) || typeof key[1] !== 'string'))
        throw new AppError('invalidContinuationToken');
      const after = key as repo.InvoicePosition | undefined;
      return inPartnerTransaction(db, ctx.partnerId, async (trx) => {
        const result = await pageOf(
          page.size,
          scope,
          (limit) => repo.findInvoices(trx, query, after, limit),
          (row) => [row.position_at, row.id],
          (row) => row,
          () => repo.countInvoices(trx, query),
        );
        const details = groupBy(
          await repo.invoiceDetails(
            trx,
            ctx.partnerId,
            result.items.map((r) => r.id),
          ),
          (r) => r.invoice_id,
        );
        return { ...result, items: result.items.map((r) => summaryView(r, details.get(r.id) ?? [])) };
      });
    },

    async get(ctx, id) {
      return inPartnerTransaction(db, ctx.partnerId, async (trx) => {
        const row = await invoiceOf(trx, ctx, id);
        const [details, amendments, customers, offers] = await Promise.all([
          repo.invoiceDetails(trx, ctx.partnerId, [row.id]),
          repo.amendmentsOf(trx, ctx.partnerId, row.id),
          repo.totalsByCustomer(trx, ctx.partnerId, row.id),
          repo.totalsByOffer(trx, ctx.partnerId, row.id),
        ]);
        return {
          ...summaryView(row, details),
          amendments: amendments.map((a) => ({
            id: a.id,
            invoiceDate: a.invoice_date.toISOString(),
            totalCharges: Number(a.total_charges),
          })),
          totalsByCustomer: customers.map((c) => ({
            customerId: c.customer_id,
            customerName: c.customer_name,
            totalCharges: Number(c.total_charges),
          })),
          totalsByOffer: offers.map((o) => ({
            offerId: o.offer_id,
            offerName: o.offer_name,
            totalCharges: Number(o.total_charges),
          })),
        };
      });
    },

    async lineItems(ctx, id, filters, page) {
      return inPartnerTransaction(db, ctx.partnerId, async (trx) => {
        const invoice = await invoiceOf(trx, ctx, id);
        const query: repo.LineQuery = {
          partnerId: ctx.partnerId,
          invoiceId: invoice.id,
          provider: filters.provider,
          lineItemType: filters.invoiceLineItemType,
          customerId: filters.customerId?.toLowerCase(),
        };
        const scope = { list: 'invoiceLines', ...query };
        const key = decodeCursor(page.cursor, scope, 1);
        if (key && !(Number.isSafeInteger(key[0]) && (key[0] as number) >= 0))
          throw new AppError('invalidContinuationToken');
        return pageOf(
          page.size,
          scope,
          (limit) => repo.findLines(trx, query, key?.[0] as number | undefined, limit),
          (row) => [row.line_number],
          (row) => lineView(row, invoice),
          () => repo.countLines(trx, query),
        );
      });
    },

    async unbilled(ctx, filters, page) {
      const now = clock.now();
      const periodStart = periodOf(now);
      const currency = filters.currencyCode?.toUpperCase();
      const scope = { list: 'unbilled', periodStart, ...filters, currency };
      const resume = decodeUnbilledCursor(page.cursor, scope);
      const query: ChargeQuery = {
        partnerId: ctx.partnerId,
        periodStart,
        upToDay: dayAfter(now),
        customerId: filters.customerId?.toLowerCase(),
      };
      const matches = (line: ChargeLine) =>
        (!filters.provider || line.provider === filters.provider) &&
        (!filters.invoiceLineItemType || line.lineItemType === filters.invoiceLineItemType) &&
        (!currency || line.currency === currency);
      const found = await inPartnerTransaction(db, ctx.partnerId, async (trx) => {
        // A customer the partner never had is not found, as on every customer route.
        if (
          query.customerId &&
          (await customers.relationshipState(trx, ctx, query.customerId)) === undefined
        ) {
          throw new AppError('customerNotFound');
        }
        return unbilledLines(trx, query, matches, page.size, resume);
      });
      return {
        items: found.lines.map((l) => chargeView(l, periodStart)),
        next: found.next && encodeUnbilledCursor(found.next, scope),
        totalCount: found.count,
        totals: [...found.totals]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([currencyCode, totalCharges]) => ({ currencyCode, totalCharges })),
        billingPeriodStartDate: periodStart,
        billingPeriodEndDate: periodEnd(periodStart),
      };
    },

    async summaries(ctx, months) {
      // The last `months` months that have ended, oldest first; a month without invoices is a 0.
      const last = previousPeriod(periodOf(clock.now()));
      const periods: string[] = [last];
      while (periods.length < months) periods.unshift(previousPeriod(periods[0]!));
      const rows = await inPartnerTransaction(db, ctx.partnerId, (trx) =>
        repo.monthTotals(trx, ctx.partnerId, periods[0]!, last),
      );
      const byCurrency = new Map<string, Map<string, repo.MonthTotalRow>>();
      for (const r of rows) {
        const currency = r.currency.trim();
        const m = byCurrency.get(currency) ?? new Map<string, repo.MonthTotalRow>();
        m.set(r.billing_period_start, r);
        byCurrency.set(currency, m);
      }
      return {
        items: [...byCurrency]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([currencyCode, m]) => ({
            currencyCode,
            months: periods.map((p) => {
              const r = m.get(p);
              return {
                billingPeriodStartDate: p,
                totalCharges: r ? Number(r.total_charges) : 0,
                invoiceIds: r ? r.invoice_ids : [],
              };
            }),
          })),
      };
    },

    async statement(ctx, id) {
      const partner = await partners.myPartner(ctx);
      const data = await inPartnerTransaction(db, ctx.partnerId, async (trx): Promise<StatementData> => {
        const row = await invoiceOf(trx, ctx, id);
        const [details, amendments, customers, customerCount, lines] = await Promise.all([
          repo.invoiceDetails(trx, ctx.partnerId, [row.id]),
          repo.amendmentsOf(trx, ctx.partnerId, row.id),
          repo.totalsByCustomer(trx, ctx.partnerId, row.id, STATEMENT_MAX_CUSTOMERS),
          repo.countCustomers(trx, ctx.partnerId, row.id),
          repo.findLines(
            trx,
            { partnerId: ctx.partnerId, invoiceId: row.id },
            undefined,
            STATEMENT_MAX_LINES,
          ),
        ]);
        return {
          partner: { name: partner.name, country: countryName(partner.country) },
          invoice: {
            id: row.id,
            documentType: row.document_type,
            invoiceType: row.invoice_type,
            invoiceDate: row.invoice_date,
            billingPeriodStartDate: row.billing_period_start,
            billingPeriodEndDate: row.billing_period_end,
            currency: row.currency.trim(),
            totalCharges: Number(row.total_charges),
            lineCount: row.line_count,
            amendsOf: row.amends_of,
            reason: row.reason,
          },
          details: details.map((d) => ({
            provider: d.provider,
            lineItemType: d.line_item_type,
            lineCount: d.line_count,
            totalCharges: Number(d.total_charges),
          })),
          amendments: amendments.map((a) => ({
            id: a.id,
            invoiceDate: a.invoice_date,
            totalCharges: Number(a.total_charges),
          })),
          customers: customers.map((c) => ({
            customerId: c.customer_id,
            customerName: c.customer_name,
            totalCharges: Number(c.total_charges),
          })),
          customerCount,
          lines: lines.map((l) => ({
            lineNumber: l.line_number,
            customerName: l.customer_name,
            subscriptionName: l.subscription_name,
            offerName: l.offer_name,
            meterName: l.meter_name,
            chargeType: l.charge_type,
            chargeStartDate: l.charge_start_date,
            chargeEndDate: l.charge_end_date,
            days: l.days,
            quantity: l.quantity,
            unitPrice: l.unit_price,
            amount: Number(l.amount),
            amendsLine: l.amends_line,
          })),
        };
      });
      return { filename: `${data.invoice.id}.pdf`, stream: renderStatement(data) };
    },

    async reconciliation(ctx, id) {
      // Existence first, as its own short transaction: an unknown invoice is a 404, not an empty file.
      const invoice = await inPartnerTransaction(db, ctx.partnerId, (trx) => invoiceOf(trx, ctx, id));
      const query: repo.LineQuery = { partnerId: ctx.partnerId, invoiceId: invoice.id };
      const currency = invoice.currency.trim();
      const lines = await keysetRows(
        (last: InvoiceLineRow | undefined, limit) =>
          inPartnerTransaction(db, ctx.partnerId, (trx) =>
            repo.findLines(trx, query, last?.line_number, limit),
          ),
        (l): ReconciliationLine => ({
          invoiceId: l.invoice_id,
          lineNumber: l.line_number,
          customerId: l.customer_id,
          customerName: l.customer_name,
          subscriptionId: l.subscription_id,
          subscriptionName: l.subscription_name,
          offerId: l.offer_id,
          offerName: l.offer_name,
          meterName: l.meter_name,
          chargeType: l.charge_type,
          quantity: l.quantity,
          unitPrice: l.unit_price,
          days: l.days,
          chargeStartDate: l.charge_start_date,
          chargeEndDate: l.charge_end_date,
          billingPeriodStart: invoice.billing_period_start,
          billingPeriodEnd: invoice.billing_period_end,
          amount: Number(l.amount),
          currency,
        }),
      );
      return { filename: `${invoice.id}-reconciliation.csv`, stream: reconciliationCsv(lines) };
    },
  };
}

// ── unbilled charges, paged ──
// Charges exist only as worked out (charges.service.ts), a page of subscriptions at a time. The first page
// works out the whole month once, for the total count and the totals per currency (memory stays one page of
// subscriptions); the continuation token then carries those figures and where the page ended, so every next
// page works out only the subscriptions it shows. Later pages thus show the totals as of the first.

/** How many subscriptions' charges are worked out per query. */
const CHARGE_PAGE = 1000;

/** Where a page of unbilled lines ended, and the figures of the whole month from the first page. */
interface UnbilledPosition {
  /** The last subscription whose lines were all shown (none: from the start). */
  after?: ChargesCursor;
  /** How many matching lines of the subscriptions after it were already shown. */
  skip: number;
  count: number;
  totals: Map<string, number>;
}

function encodeUnbilledCursor(p: UnbilledPosition, scope: unknown): string {
  const totals = [...p.totals].map(([c, v]) => `${c}:${v}`).join(';');
  return encodeCursor(
    [
      p.after?.customerName ?? null,
      p.after?.customerId ?? null,
      p.after?.id ?? null,
      p.skip,
      p.count,
      totals,
    ],
    scope,
  );
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const count = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

/** A token made by encodeUnbilledCursor for this query; anything else is invalidContinuationToken. */
function decodeUnbilledCursor(token: string | undefined, scope: unknown): UnbilledPosition | undefined {
  const key = decodeCursor(token, scope, 6);
  if (!key) return undefined;
  const [name, customerId, id, skip, total, totals] = key;
  const after =
    name === null && customerId === null && id === null
      ? undefined
      : typeof name === 'string' &&
          typeof customerId === 'string' &&
          typeof id === 'string' &&
          GUID.test(customerId) &&
          GUID.test(id)
        ? { customerName: name, customerId, id }
        : null;
  if (
    after === null ||
    !count(skip) ||
    !count(total) ||
    typeof totals !== 'string' ||
    !/^([A-Z]{3}:-?\d{1,16}(;[A-Z]{3}:-?\d{1,16})*)?$/.test(totals)
  )
    throw new AppError('invalidContinuationToken');
  const sums = new Map<string, number>();
  for (const part of totals ? totals.split(';') : []) {
    const [c, v] = part.split(':');
    sums.set(c!, Number(v));
  }
  return { after, skip, count: total, totals: sums };
}

/**
 * Up to `size` matching lines from `resume` (or the start), and where the next page starts. Without `resume`
 * the whole month is worked out for the count and totals; with it, only as far as the page needs.
 */
async function unbilledLines(
  trx: Trx,
  query: ChargeQuery,
  matches: (line: ChargeLine) => boolean,
  size: number,
  resume: UnbilledPosition | undefined,
): Promise<{ lines: ChargeLine[]; next?: UnbilledPosition; count: number; totals: Map<string, number> }> {
  const whole = resume === undefined;
  const lines: ChargeLine[] = [];
  const totals = resume?.totals ?? new Map<string, number>();
  let matched = 0;
  let toSkip = resume?.skip ?? 0;
  // The position: the last subscription whose lines are all behind, and the lines of the current one behind.
  let done: ChargesCursor | undefined = resume?.after;
  let current: ChargesCursor | undefined;
  let behind = 0;
  let next: { after?: ChargesCursor; skip: number } | undefined;
  let after = resume?.after;
  for (;;) {
    const page = await chargesPage(trx, query, { after, subscriptions: CHARGE_PAGE });
    for (const line of page.lines) {
      if (!matches(line)) continue;
      if (current?.id !== line.subscriptionId) {
        if (current) done = current;
        current = { customerName: line.customerName, customerId: line.customerId, id: line.subscriptionId };
        behind = 0;
      }
      if (whole) {
        matched += 1;
        totals.set(line.currency, (totals.get(line.currency) ?? 0) + line.amount);
      }
      if (toSkip > 0) {
        toSkip -= 1;
        behind += 1;
      } else if (lines.length < size) {
        lines.push(line);
        behind += 1;
      } else if (!next) {
        next = { after: done, skip: behind };
        if (!whole) break;
      }
    }
    if (!page.next || (next && !whole)) break;
    after = page.next;
  }
  return {
    lines,
    next: next && { ...next, count: whole ? matched : resume.count, totals },
    count: whole ? matched : resume.count,
    totals,
  };
}
