// /billing: the partner's invoices and credit notes, newest first, a page at a time, filtered by document type
// (in the URL: ?documentType=creditNote). Each row names its billing month, type, document type, total and
// currency, and opens the invoice.
import { Link, useSearchParams } from 'react-router';
import { oneOf, withParams } from '../../app/searchParams.ts';
import { PagedList } from '../../components/states.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { SelectField } from '../customers/SelectField.tsx';
import { useDate } from '../customers/display.tsx';
import type { InvoiceListItem } from './billing.queries.ts';
import { useInvoiceList } from './billing.queries.ts';
import { useBillingLabels, useMonth } from './labels.ts';

const PAGE_SIZE = 25;
const DOCUMENT_TYPES = ['invoice', 'creditNote'] as const;

function InvoiceRow(props: { invoice: InvoiceListItem }) {
  const { t, money } = useI18n();
  const label = useBillingLabels();
  const month = useMonth();
  const date = useDate();
  const x = props.invoice;
  return (
    <tr>
      <td data-label={t('billing.column.invoice')}>
        <Link
          to={`/billing/invoices/${encodeURIComponent(x.id)}`}
          className="strong"
          aria-label={t('billing.list.open', {
            document: label('documentType', x.documentType),
            id: x.id,
            month: month(x.billingPeriodStartDate),
          })}
        >
          {x.id}
        </Link>
        {x.amendsOf && (
          <span className="block muted small">{t('billing.list.amends', { id: x.amendsOf })}</span>
        )}
      </td>
      <td data-label={t('billing.column.period')}>{month(x.billingPeriodStartDate)}</td>
      <td data-label={t('billing.column.invoiceType')}>{label('invoiceType', x.invoiceType)}</td>
      <td data-label={t('billing.column.documentType')}>{label('documentType', x.documentType)}</td>
      <td data-label={t('billing.column.date')}>{date(x.invoiceDate)}</td>
      <td data-label={t('billing.column.total')} className="money">
        {money(x.totalCharges, x.currencyCode)}
      </td>
      <td data-label={t('billing.column.currency')}>{x.currencyCode}</td>
    </tr>
  );
}

export function InvoicesList() {
  const { t, number } = useI18n();
  const label = useBillingLabels();
  const [params, setParams] = useSearchParams();
  const documentType = oneOf(params, 'documentType', DOCUMENT_TYPES);
  const query = useInvoiceList({ documentType, size: PAGE_SIZE });
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];
  const total = query.data?.pages[0]?.totalCount;
  return (
    <section aria-labelledby="invoices-heading">
      <h2 id="invoices-heading">{t('billing.invoices.title')}</h2>
      <p className="hint">{t('billing.invoices.intro')}</p>
      <div className="search-row">
        <SelectField
          label={t('billing.filter.documentType')}
          value={documentType ?? ''}
          placeholder={t('billing.filter.allDocuments')}
          options={DOCUMENT_TYPES.map((d) => ({ value: d, label: label('documentType', d) }))}
          onChange={(e) =>
            setParams((p) => withParams(p, { documentType: e.target.value }), { replace: true })
          }
        />
      </div>
      <p className="muted" role="status">
        {total !== undefined ? t('billing.invoices.total', { count: number(total) }) : ''}
      </p>
      <PagedList
        query={query}
        count={items.length}
        empty={
          documentType === 'creditNote' ? t('billing.invoices.noCreditNotes') : t('billing.invoices.none')
        }
      >
        <div className="table-wrap" role="region" aria-label={t('billing.invoices.table')} tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('billing.column.invoice')}</th>
                <th scope="col">{t('billing.column.period')}</th>
                <th scope="col">{t('billing.column.invoiceType')}</th>
                <th scope="col">{t('billing.column.documentType')}</th>
                <th scope="col">{t('billing.column.date')}</th>
                <th scope="col" className="money">
                  {t('billing.column.total')}
                </th>
                <th scope="col">{t('billing.column.currency')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((x) => (
                <InvoiceRow key={x.id} invoice={x} />
              ))}
            </tbody>
          </table>
        </div>
      </PagedList>
    </section>
  );
}
