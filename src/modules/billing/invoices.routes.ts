// /v1/invoices: the partner's invoices and credit notes, their lines, the month's unbilled charges, the monthly
// totals for a chart, and each invoice's statement (PDF) and reconciliation file (CSV).
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { attachmentDisposition } from '../../http/content-disposition.ts';
import { collection, pageRequest } from '../../http/schemas.ts';
import {
  InvoiceLineItemList,
  InvoiceList,
  InvoiceListQuery,
  InvoiceParams,
  InvoiceSchema,
  LINE_QUERY_ENUMS,
  LIST_QUERY_ENUMS,
  LineItemsQuery,
  MAX_LINES_PAGE,
  SummariesQuery,
  SummariesSchema,
  UnbilledList,
  UnbilledQuery,
  canonicalQuery,
  documentSchema,
  errors,
} from './invoices.schemas.ts';
import type { InvoicesService } from './invoices.service.ts';

const TAGS = ['Invoices'];
const OPERATION = { operation: 'billing.manage' } as const;

/** Paging of line lists: up to 2000 lines a page (other lists stop at 1000). */
const linePage = (request: FastifyRequest, query: { size?: number; continuationToken?: string }) =>
  pageRequest(request, query, MAX_LINES_PAGE);

export const invoicesRoutes: FastifyPluginAsyncTypebox<{ invoices: InvoicesService }> = async (
  app,
  { invoices },
) => {
  app.get(
    '/v1/invoices',
    {
      config: OPERATION,
      schema: {
        tags: TAGS,
        summary: 'List invoices and credit notes',
        description:
          'Your invoices and credit notes, newest first, each with its total, period, currency and its lines ' +
          'per provider (`invoiceDetails`, with the link to read them). Filter by billing `period` (YYYY-MM), ' +
          '`documentType` and `currencyCode`. Amounts are whole minor units of the currency ' +
          '(`currencyDecimals` digits: 1234 USD is 12.34).',
        querystring: InvoiceListQuery,
        response: { 200: InvoiceList, ...errors(400, 401, 403) },
      },
      preValidation: async (request) => canonicalQuery(request, LIST_QUERY_ENUMS),
    },
    async (request) => {
      const { period, documentType, currencyCode } = request.query;
      return collection(
        request,
        await invoices.list(
          request.ctx,
          { period, documentType, currencyCode },
          pageRequest(request, request.query),
        ),
      );
    },
  );

  app.get(
    '/v1/invoices/summaries',
    {
      config: OPERATION,
      schema: {
        tags: TAGS,
        summary: 'Monthly totals of the last months',
        description:
          'Per currency, the total of each of the last `months` ended months (default 12), oldest first: ' +
          'invoices less the credit notes against them, with the documents’ ids; a month without any is 0.',
        querystring: SummariesQuery,
        response: { 200: SummariesSchema, ...errors(400, 401, 403) },
      },
    },
    async (request) => invoices.summaries(request.ctx, request.query.months ?? 12),
  );

  app.get(
    '/v1/invoices/unbilled/lineitems',
    {
      config: OPERATION,
      schema: {
        tags: TAGS,
        summary: 'Charges of the current month so far (unbilled)',
        description:
          'What the current month (UTC) has cost so far, today included, as the lines its invoice would have ' +
          'if it closed now: licences prorated by day, usage as recorded. `totals` gives each currency’s sum ' +
          'over every matching line. Filter by `provider`, `invoicelineitemtype`, `customerId` and ' +
          '`currencyCode`; 100 lines a page by default, up to 2000.',
        querystring: UnbilledQuery,
        response: { 200: UnbilledList, ...errors(400, 401, 403) },
      },
      preValidation: async (request) => canonicalQuery(request, LINE_QUERY_ENUMS),
    },
    async (request) => {
      const { provider, invoicelineitemtype, customerId, currencyCode } = request.query;
      const page = await invoices.unbilled(
        request.ctx,
        { provider, invoiceLineItemType: invoicelineitemtype, customerId, currencyCode },
        linePage(request, request.query),
      );
      return {
        ...collection(request, page),
        totals: page.totals,
        billingPeriodStartDate: page.billingPeriodStartDate,
        billingPeriodEndDate: page.billingPeriodEndDate,
      };
    },
  );

  app.get(
    '/v1/invoices/:id',
    {
      config: OPERATION,
      schema: {
        tags: TAGS,
        summary: 'Get an invoice or credit note',
        description:
          'With its lines per provider, the credit notes issued against it (`amendments`), and its totals by ' +
          'customer and by offer. 404 invoiceNotFound for an id that is not one of yours.',
        params: InvoiceParams,
        response: { 200: InvoiceSchema, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => invoices.get(request.ctx, request.params.id),
  );

  app.get(
    '/v1/invoices/:id/lineitems',
    {
      config: OPERATION,
      schema: {
        tags: TAGS,
        summary: 'List an invoice’s lines',
        description:
          'In line number order, 100 a page by default, up to 2000. Filter by `provider` (office, azure, ' +
          'onetime) and `invoicelineitemtype` (billinglineitems, usagelineitems), in any case, and ' +
          '`customerId`. `quantity` and `unitPrice` are exact decimals (the unit price in minor units); ' +
          '`amount` is the line rounded once, half away from zero.',
        params: InvoiceParams,
        querystring: LineItemsQuery,
        response: { 200: InvoiceLineItemList, ...errors(400, 401, 403, 404) },
      },
      preValidation: async (request) => canonicalQuery(request, LINE_QUERY_ENUMS),
    },
    async (request) => {
      const { provider, invoicelineitemtype, customerId } = request.query;
      return collection(
        request,
        await invoices.lineItems(
          request.ctx,
          request.params.id,
          { provider, invoiceLineItemType: invoicelineitemtype, customerId },
          linePage(request, request.query),
        ),
      );
    },
  );

  app.get(
    '/v1/invoices/:id/documents/statement',
    {
      config: OPERATION,
      schema: documentSchema(
        'Download the invoice statement (PDF)',
        'An A4 statement: your name and country, the invoice’s number, type, dates, period and currency, the ' +
          'total, the charges per provider and per customer, and the lines (the first 500; the reconciliation ' +
          'file has them all). Pages are numbered; names print in any script.',
        'application/pdf',
      ),
    },
    async (request, reply) => {
      const { filename, stream } = await invoices.statement(request.ctx, request.params.id);
      return reply
        .type('application/pdf')
        .header('content-disposition', attachmentDisposition(filename))
        .send(stream);
    },
  );

  app.get(
    '/v1/invoices/:id/documents/reconciliation',
    {
      config: OPERATION,
      schema: documentSchema(
        'Download the reconciliation file (CSV)',
        'Every line of the invoice, streamed: `InvoiceNumber,LineNumber,CustomerId,CustomerName,' +
          'SubscriptionId,SubscriptionName,OfferId,OfferName,MeterName,ChargeType,Quantity,UnitPrice,Days,' +
          'ChargeStartDate,ChargeEndDate,BillingPeriodStart,BillingPeriodEnd,Amount,Currency`. UnitPrice and ' +
          'Amount are in major units (12.34, or 1234 for JPY); the Amount column adds up to the invoice’s ' +
          'total. Cells that a spreadsheet would read as a formula are prefixed with an apostrophe.',
        'text/csv',
      ),
    },
    async (request, reply) => {
      const { filename, stream } = await invoices.reconciliation(request.ctx, request.params.id);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', attachmentDisposition(filename))
        .send(stream);
    },
  );
};
