// Request and response shapes of invoices, in Partner Center's resource model: Invoice with its
// invoiceDetails per provider, InvoiceLineItem, and the unbilled line items of the current month. Filter values
// are taken in any case (`provider=Office`, `invoicelineitemtype=BillingLineItems`), as Partner Center's clients
// send them: canonicalQuery() turns them into the enum's spelling before validation.
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { Collection, DateTime, PageQuery, Uuid, pageQuery } from '../../http/schemas.ts';
import { errors } from '../partners/partners.schemas.ts';

export { errors };

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const PROVIDERS = ['office', 'azure', 'oneTime'] as const;
export const LINE_ITEM_TYPES = ['billingLineItems', 'usageLineItems'] as const;
export const DOCUMENT_TYPES = ['invoice', 'creditNote'] as const;
const INVOICE_TYPES = ['recurring', 'oneTime'] as const;
const CHARGE_TYPES = [
  'cycleCharge',
  'prorateCharge',
  'prorateCredit',
  'usage',
  'oneTime',
  'creditNote',
] as const;
/** Lines per page: Partner Center's clients ask for up to 2000. */
export const MAX_LINES_PAGE = 2000;

const Day = (description: string) => Type.String({ format: 'date', description });
const Minor = (description: string) =>
  Type.Integer({ description: `${description}, in minor units of the currency (cents; yen for JPY)` });
const Link = Type.Object({ uri: Type.String(), method: Type.Literal('GET') });

const CurrencyCode = Type.String({
  pattern: '^[A-Za-z]{3}$',
  description: 'An ISO 4217 currency code, e.g. USD',
});

/**
 * The query with each enum-valued parameter in its canonical spelling when it matches one ignoring case, so
 * `provider=OFFICE` is `office`; anything else is left for validation to refuse with the allowed values.
 */
export function canonicalQuery(request: FastifyRequest, enums: Record<string, readonly string[]>): void {
  const query = request.query as Record<string, unknown> | undefined;
  if (!query) return;
  for (const [name, values] of Object.entries(enums)) {
    const value = query[name];
    if (typeof value !== 'string') continue;
    const found = values.find((v) => v.toLowerCase() === value.trim().toLowerCase());
    if (found) query[name] = found;
  }
}

export const InvoiceParams = Type.Object({
  id: Type.String({
    minLength: 1,
    maxLength: 40,
    description: 'An invoice or credit note id, e.g. PD0000000042',
  }),
});

export const InvoiceListQuery = Type.Object({
  ...PageQuery,
  period: Type.Optional(
    Type.String({
      pattern: '^\\d{4}-(0[1-9]|1[0-2])$',
      description: 'Only documents of this billing period, YYYY-MM',
    }),
  ),
  documentType: Type.Optional(
    Type.Enum([...DOCUMENT_TYPES], { description: 'Invoices or credit notes only' }),
  ),
  currencyCode: Type.Optional(CurrencyCode),
});

const LinePageQuery = pageQuery(MAX_LINES_PAGE);
const LineFilterQuery = {
  provider: Type.Optional(Type.Enum([...PROVIDERS], { description: 'office, azure or onetime (any case)' })),
  invoicelineitemtype: Type.Optional(
    Type.Enum([...LINE_ITEM_TYPES], { description: 'billinglineitems or usagelineitems (any case)' }),
  ),
  customerId: Type.Optional(Uuid),
};

export const LineItemsQuery = Type.Object({ ...LinePageQuery, ...LineFilterQuery });
export const UnbilledQuery = Type.Object({
  ...LinePageQuery,
  ...LineFilterQuery,
  currencyCode: Type.Optional(CurrencyCode),
});
export const LINE_QUERY_ENUMS = { provider: PROVIDERS, invoicelineitemtype: LINE_ITEM_TYPES };
export const LIST_QUERY_ENUMS = { documentType: DOCUMENT_TYPES };

export const SummariesQuery = Type.Object({
  months: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 36, default: 12, description: 'How many ended months (1–36)' }),
  ),
});

const InvoiceDetail = Type.Object({
  invoiceLineItemType: Type.Enum([...LINE_ITEM_TYPES]),
  billingProvider: Type.Enum([...PROVIDERS]),
  lineCount: Type.Integer({ minimum: 0 }),
  totalCharges: Minor('The lines’ total'),
  links: Type.Object({ self: Link }),
});

const invoiceFields = {
  id: Type.String({ description: 'PD… for an invoice, CN… for a credit note' }),
  documentType: Type.Enum([...DOCUMENT_TYPES]),
  invoiceType: Type.Enum([...INVOICE_TYPES], {
    description: 'recurring: licences and usage; oneTime: software and reservations',
  }),
  invoiceDate: DateTime,
  billingPeriodStartDate: Day('The billing period’s first day'),
  billingPeriodEndDate: Day('The billing period’s last day (inclusive)'),
  totalCharges: Minor('The sum of the lines (negative on a credit note)'),
  paidAmount: Minor('Paid so far (Partnerdesk takes no payments: 0)'),
  currencyCode: Type.String(),
  currencySymbol: Type.String(),
  currencyDecimals: Type.Integer({
    description: 'Digits after the decimal point: 2, or 0 for JPY, 3 for KWD',
  }),
  amendsOf: Nullable(Type.String({ description: 'A credit note: the invoice it corrects' })),
  reason: Nullable(Type.String({ description: 'A credit note: why it was issued' })),
  lineCount: Type.Integer({ minimum: 0 }),
  invoiceDetails: Type.Array(InvoiceDetail, {
    description: 'The lines per provider and line item type, with the link to read them',
  }),
  links: Type.Object({ self: Link, statement: Link, reconciliation: Link }),
  attributes: Type.Object({ objectType: Type.Literal('Invoice'), etag: Type.String() }),
};

export const InvoiceSummarySchema = Type.Object(invoiceFields);

export const InvoiceSchema = Type.Object({
  ...invoiceFields,
  amendments: Type.Array(
    Type.Object({ id: Type.String(), invoiceDate: DateTime, totalCharges: Minor('Its total') }),
    { description: 'The credit notes issued against this invoice' },
  ),
  totalsByCustomer: Type.Array(
    Type.Object({
      customerId: Uuid,
      customerName: Type.String(),
      totalCharges: Minor('The customer’s total'),
    }),
  ),
  totalsByOffer: Type.Array(
    Type.Object({
      offerId: Type.String(),
      offerName: Type.String(),
      totalCharges: Minor('The offer’s total'),
    }),
  ),
});

export const InvoiceList = Collection(InvoiceSummarySchema);

const chargeFields = {
  provider: Type.Enum([...PROVIDERS]),
  invoiceLineItemType: Type.Enum([...LINE_ITEM_TYPES]),
  chargeType: Type.Enum([...CHARGE_TYPES]),
  customerId: Uuid,
  customerName: Type.String(),
  subscriptionId: Uuid,
  subscriptionName: Type.String(),
  offerId: Type.String(),
  offerName: Type.String(),
  meterId: Nullable(Type.String()),
  meterName: Nullable(Type.String()),
  unit: Type.String(),
  quantity: Type.String({ description: 'Exact decimal' }),
  unitPrice: Type.String({
    description: 'Exact decimal, in minor units per unit (may be fractional: 0.52 cents per hour)',
  }),
  days: Nullable(Type.Integer({ description: 'Licences: days charged; usage: null' })),
  chargeStartDate: Day('First day charged'),
  chargeEndDate: Day('Last day charged (inclusive)'),
  amount: Minor('The line, rounded once half away from zero'),
  currencyCode: Type.String(),
  billingPeriodStartDate: Day('The billing period’s first day'),
  billingPeriodEndDate: Day('The billing period’s last day'),
  attributes: Type.Object({ objectType: Type.Literal('InvoiceLineItem') }),
};

export const InvoiceLineItemSchema = Type.Object({
  invoiceNumber: Type.String(),
  lineNumber: Type.Integer({ minimum: 1 }),
  ...chargeFields,
});
export const InvoiceLineItemList = Collection(InvoiceLineItemSchema);

const UnbilledLineItem = Type.Object(chargeFields);
export const UnbilledList = Type.Object({
  ...Collection(UnbilledLineItem).properties,
  totals: Type.Array(Type.Object({ currencyCode: Type.String(), totalCharges: Minor('Charges to date') }), {
    description: 'Charges to date per currency, over every line that matches (not only this page)',
  }),
  billingPeriodStartDate: Day('The current month’s first day (UTC)'),
  billingPeriodEndDate: Day('The current month’s last day'),
});

export const SummariesSchema = Type.Object({
  items: Type.Array(
    Type.Object({
      currencyCode: Type.String(),
      months: Type.Array(
        Type.Object({
          billingPeriodStartDate: Day('The month’s first day'),
          totalCharges: Minor('Invoices less credit notes'),
          invoiceIds: Type.Array(Type.String()),
        }),
      ),
    }),
  ),
});

/** A document download: its schema says what it is, the body is the file. */
export const documentSchema = (summary: string, description: string, mediaType: string) => ({
  tags: ['Invoices'],
  summary,
  description,
  params: InvoiceParams,
  produces: [mediaType],
  response: {
    200: Type.String({ description: `${mediaType} document` }),
    400: errors(400)[400]!,
    401: errors(401)[401]!,
    403: errors(403)[403]!,
    404: errors(404)[404]!,
  },
});
