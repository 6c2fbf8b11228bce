// /billing/invoices/:invoiceId: one invoice (or credit note). Its header with the total, the two documents to
// download (the statement PDF and the reconciliation CSV, saved under the API's file names), the credit notes
// that amend it (or, for a credit note, the invoice it amends and why), the partner's totals of the last 12
// months as a chart with this month marked, the totals by customer and by offer, and the line items — all, or
// one provider and line type (in the URL: ?lines=azure.usageLineItems) — a page at a time.
import { useMutation } from '@tanstack/react-query';
import { Fragment } from 'react';
import type { ReactNode } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { withParams } from '../../app/searchParams.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { NotFoundNotice } from '../../components/NotFoundNotice.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Loading, PagedList } from '../../components/states.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { SelectField } from '../customers/SelectField.tsx';
import { useDate, useDay } from '../customers/display.tsx';
import type { Invoice } from './billing.queries.ts';
import {
  CHART_MONTHS,
  downloadDocument,
  useInvoice,
  useInvoiceLines,
  useSummaries,
} from './billing.queries.ts';
import { CustomerLink } from './CustomerLink.tsx';
import { useBillingLabels, useMonth } from './labels.ts';
import { LineItemsTable } from './LineItemsTable.tsx';
import { filterValue, monthSeries, parseFilter } from './model.ts';
import { MonthlyChart } from './MonthlyChart.tsx';
import './billing.css';

const LINES_PAGE = 100;

function Documents(props: { invoice: Invoice }) {
  const { t } = useI18n();
  const download = useMutation({
    mutationFn: (which: 'statement' | 'reconciliation') => downloadDocument(props.invoice, which),
  });
  return (
    <section className="panel" aria-labelledby="invoice-documents">
      <h2 id="invoice-documents">{t('billing.documents.title')}</h2>
      <div className="actions">
        <button
          type="button"
          className="button secondary"
          disabled={download.isPending}
          onClick={() => download.mutate('statement')}
        >
          {t('billing.documents.statement')}
        </button>
        <button
          type="button"
          className="button secondary"
          disabled={download.isPending}
          onClick={() => download.mutate('reconciliation')}
        >
          {t('billing.documents.reconciliation')}
        </button>
      </div>
      <p role="status" className="success">
        {download.isPending
          ? t('billing.documents.downloading')
          : download.isSuccess
            ? t('billing.documents.saved', { name: download.data })
            : ''}
      </p>
      {download.isError && <ErrorAlert error={download.error} />}
    </section>
  );
}

/** A credit note: the invoice it amends, and why. */
function AmendsNote(props: { invoice: Invoice }) {
  const { t } = useI18n();
  const x = props.invoice;
  return (
    <div className="alert alert-warning" role="note">
      <p className="alert-title">
        {t('billing.amends.title')}{' '}
        <Link to={`/billing/invoices/${encodeURIComponent(x.amendsOf ?? '')}`}>{x.amendsOf}</Link>
      </p>
      {x.reason && <p>{t('billing.amends.reason', { reason: x.reason })}</p>}
    </div>
  );
}

/** An invoice: the credit notes that amend it. */
function Amendments(props: { invoice: Invoice }) {
  const { t, money } = useI18n();
  const date = useDate();
  const x = props.invoice;
  if (x.amendments.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="invoice-amendments">
      <h2 id="invoice-amendments">{t('billing.amendments.title')}</h2>
      <p className="hint">{t('billing.amendments.intro')}</p>
      <ul className="amendments">
        {x.amendments.map((a) => (
          <li key={a.id}>
            <Link to={`/billing/invoices/${encodeURIComponent(a.id)}`} className="strong">
              {a.id}
            </Link>{' '}
            <span className="muted">
              {t('billing.amendments.line', {
                date: date(a.invoiceDate),
                amount: money(a.totalCharges, x.currencyCode),
              })}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function History(props: { invoice: Invoice }) {
  const { t } = useI18n();
  const summaries = useSummaries();
  const x = props.invoice;
  const months = summaries.data?.items.find((i) => i.currencyCode === x.currencyCode)?.months ?? [];
  const series = monthSeries(months, CHART_MONTHS, x.billingPeriodStartDate);
  return (
    <section className="panel" aria-labelledby="invoice-history">
      <h2 id="invoice-history">{t('billing.history.title')}</h2>
      {summaries.isPending && <Loading />}
      {summaries.isError && <ErrorAlert error={summaries.error} onRetry={() => void summaries.refetch()} />}
      {summaries.isSuccess && (
        <MonthlyChart
          series={series}
          currency={x.currencyCode}
          caption={t('billing.history.caption', { currency: x.currencyCode })}
          highlight={x.billingPeriodStartDate}
        />
      )}
    </section>
  );
}

/** One table of an invoice's totals: a row per customer or offer, its name and total charges. */
function TotalsTable(props: {
  id: string;
  title: string;
  column: string;
  currencyCode: string;
  rows: { key: string; name: ReactNode; totalCharges: number }[];
}) {
  const { t, money } = useI18n();
  return (
    <section aria-labelledby={props.id}>
      <h2 id={props.id}>{props.title}</h2>
      <div className="table-wrap" role="region" aria-label={props.title} tabIndex={0}>
        <table>
          <thead>
            <tr>
              <th scope="col">{props.column}</th>
              <th scope="col" className="money">
                {t('billing.column.total')}
              </th>
            </tr>
          </thead>
          <tbody>
            {props.rows.map((r) => (
              <tr key={r.key}>
                <td data-label={props.column}>{r.name}</td>
                <td data-label={t('billing.column.total')} className="money">
                  {money(r.totalCharges, props.currencyCode)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Totals(props: { invoice: Invoice }) {
  const { t } = useI18n();
  const x = props.invoice;
  return (
    <div className="totals">
      <TotalsTable
        id="invoice-by-customer"
        title={t('billing.byCustomer.title')}
        column={t('billing.column.customer')}
        currencyCode={x.currencyCode}
        rows={x.totalsByCustomer.map((c) => ({
          key: c.customerId,
          name: <CustomerLink customerId={c.customerId} customerName={c.customerName} />,
          totalCharges: c.totalCharges,
        }))}
      />
      <TotalsTable
        id="invoice-by-offer"
        title={t('billing.byOffer.title')}
        column={t('billing.column.offer')}
        currencyCode={x.currencyCode}
        rows={x.totalsByOffer.map((o) => ({
          key: o.offerId,
          name: o.offerName,
          totalCharges: o.totalCharges,
        }))}
      />
    </div>
  );
}

function Lines(props: { invoice: Invoice }) {
  const { t, money, number } = useI18n();
  const label = useBillingLabels();
  const [params, setParams] = useSearchParams();
  const x = props.invoice;
  // Only a filter the invoice has lines for (a hand-edited link falls back to every line).
  const wanted = parseFilter(params.get('lines'));
  const filter = x.invoiceDetails.some(
    (d) => wanted && d.billingProvider === wanted.provider && d.invoiceLineItemType === wanted.lineItemType,
  )
    ? wanted
    : undefined;
  const query = useInvoiceLines(x.id, filter, LINES_PAGE);
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];
  const total = query.data?.pages[0]?.totalCount;
  return (
    <section aria-labelledby="invoice-lines">
      <h2 id="invoice-lines">{t('billing.lines.title')}</h2>
      {x.invoiceDetails.length > 1 && (
        <div className="search-row">
          <SelectField
            label={t('billing.lines.filter')}
            value={filter ? filterValue(filter) : ''}
            placeholder={t('billing.lines.all', { count: number(x.lineCount) })}
            options={x.invoiceDetails.map((d) => ({
              value: filterValue({ provider: d.billingProvider, lineItemType: d.invoiceLineItemType }),
              label: t('billing.lines.option', {
                provider: label('provider', d.billingProvider),
                type: label('lineType', d.invoiceLineItemType),
                count: number(d.lineCount),
                total: money(d.totalCharges, x.currencyCode),
              }),
            }))}
            onChange={(e) => setParams((p) => withParams(p, { lines: e.target.value }), { replace: true })}
          />
        </div>
      )}
      <p className="muted" role="status">
        {total !== undefined ? t('billing.lines.total', { count: number(total) }) : ''}
      </p>
      <PagedList query={query} count={items.length} empty={t('billing.lines.none')}>
        <LineItemsTable items={items} label={t('billing.lines.table', { id: x.id })} />
      </PagedList>
    </section>
  );
}

export function InvoicePage() {
  const { t, money, number, dateTime } = useI18n();
  const label = useBillingLabels();
  const month = useMonth();
  const day = useDay();
  const { invoiceId = '' } = useParams();
  const invoice = useInvoice(invoiceId);
  if (invoice.isPending) return <Loading />;
  if (invoice.isError) {
    const e = invoice.error;
    if (e instanceof ApiError && (e.status === 404 || e.status === 400))
      return (
        <NotFoundNotice
          title={t('billing.invoice.notFound.title')}
          body={t('billing.invoice.notFound.body')}
          backTo="/billing"
          backLabel={t('billing.backToInvoices')}
        />
      );
    return <ErrorAlert error={e} onRetry={() => void invoice.refetch()} />;
  }
  const x = invoice.data;
  return (
    <section className="invoice-page">
      <PageHeader
        title={t(x.documentType === 'creditNote' ? 'billing.creditNote.title' : 'billing.invoice.title', {
          id: x.id,
        })}
      >
        <p className="muted">
          <Link to="/billing">{t('billing.backToInvoices')}</Link>
        </p>
      </PageHeader>
      {x.documentType === 'creditNote' && <AmendsNote invoice={x} />}
      <section className="panel" aria-labelledby="invoice-summary">
        <h2 id="invoice-summary">{t('billing.summary.title')}</h2>
        <dl className="stats invoice-stats">
          <div className="stat">
            <dt>{t('billing.summary.total')}</dt>
            <dd>{money(x.totalCharges, x.currencyCode)}</dd>
          </div>
          <div className="stat">
            <dt>{t('billing.summary.period')}</dt>
            <dd className="stat-text">{month(x.billingPeriodStartDate)}</dd>
          </div>
        </dl>
        <dl className="details">
          <dt>{t('billing.summary.dates')}</dt>
          <dd>
            {t('billing.range', { from: day(x.billingPeriodStartDate), to: day(x.billingPeriodEndDate) })}
          </dd>
          <dt>{t('billing.summary.issued')}</dt>
          <dd>{dateTime(x.invoiceDate)}</dd>
          <dt>{t('billing.column.documentType')}</dt>
          <dd>{label('documentType', x.documentType)}</dd>
          <dt>{t('billing.column.invoiceType')}</dt>
          <dd>{label('invoiceType', x.invoiceType)}</dd>
          <dt>{t('billing.column.currency')}</dt>
          <dd>{x.currencyCode}</dd>
          <dt>{t('billing.summary.lines')}</dt>
          <dd>{number(x.lineCount)}</dd>
          <dt>{t('billing.summary.paid')}</dt>
          <dd>{money(x.paidAmount, x.currencyCode)}</dd>
          {x.invoiceDetails.map((d) => (
            <Fragment key={`${d.billingProvider} ${d.invoiceLineItemType}`}>
              <dt>
                {t('billing.summary.detail', {
                  provider: label('provider', d.billingProvider),
                  type: label('lineType', d.invoiceLineItemType),
                })}
              </dt>
              <dd>
                {t('billing.summary.detailValue', {
                  total: money(d.totalCharges, x.currencyCode),
                  count: number(d.lineCount),
                })}
              </dd>
            </Fragment>
          ))}
        </dl>
      </section>
      <Documents invoice={x} />
      {x.documentType === 'invoice' && <Amendments invoice={x} />}
      <History invoice={x} />
      <Totals invoice={x} />
      <Lines invoice={x} />
    </section>
  );
}
