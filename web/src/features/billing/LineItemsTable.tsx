// Charge lines as a table, the same for an invoice's line items and the charges not invoiced yet: the line
// number (invoices only), customer, subscription, offer and meter, charge type, quantity, unit price, days,
// the days charged and the amount, in the line's currency and the reader's format.
import { useI18n } from '../../i18n/i18n.tsx';
import { useDay } from '../customers/display.tsx';
import type { UnbilledLine } from './billing.queries.ts';
import { CustomerLink } from './CustomerLink.tsx';
import { useBillingLabels } from './labels.ts';
import { formatQuantity, formatUnitPrice } from './model.ts';

type Line = Omit<UnbilledLine, 'attributes'> & { lineNumber?: number };

export function LineItemsTable(props: { items: readonly Line[]; label: string }) {
  const { t, money, number, locale } = useI18n();
  const label = useBillingLabels();
  const day = useDay();
  const numbered = props.items.some((l) => l.lineNumber !== undefined);
  return (
    <div className="table-wrap" role="region" aria-label={props.label} tabIndex={0}>
      <table className="line-items">
        <thead>
          <tr>
            {numbered && <th scope="col">{t('billing.column.line')}</th>}
            <th scope="col">{t('billing.column.customer')}</th>
            <th scope="col">{t('billing.column.subscription')}</th>
            <th scope="col">{t('billing.column.offer')}</th>
            <th scope="col">{t('billing.column.chargeType')}</th>
            <th scope="col" className="money">
              {t('billing.column.quantity')}
            </th>
            <th scope="col" className="money">
              {t('billing.column.unitPrice')}
            </th>
            <th scope="col" className="money">
              {t('billing.column.days')}
            </th>
            <th scope="col">{t('billing.column.charged')}</th>
            <th scope="col" className="money">
              {t('billing.column.amount')}
            </th>
          </tr>
        </thead>
        <tbody>
          {props.items.map((l, i) => (
            <tr key={l.lineNumber ?? `${l.subscriptionId} ${l.meterId ?? ''} ${l.chargeStartDate} ${i}`}>
              {numbered && <td data-label={t('billing.column.line')}>{number(l.lineNumber ?? 0)}</td>}
              <td data-label={t('billing.column.customer')}>
                <CustomerLink customerId={l.customerId} customerName={l.customerName} />
              </td>
              <td data-label={t('billing.column.subscription')}>{l.subscriptionName}</td>
              <td data-label={t('billing.column.offer')}>
                {l.offerName}
                {l.meterName && <span className="block muted small">{l.meterName}</span>}
              </td>
              <td data-label={t('billing.column.chargeType')}>{label('chargeType', l.chargeType)}</td>
              <td data-label={t('billing.column.quantity')} className="money">
                {formatQuantity(l.quantity, locale)}
                <span className="block muted small">{l.unit}</span>
              </td>
              <td data-label={t('billing.column.unitPrice')} className="money">
                {formatUnitPrice(l.unitPrice, l.currencyCode, locale)}
              </td>
              <td data-label={t('billing.column.days')} className="money">
                {l.days === null ? '' : number(l.days)}
              </td>
              <td data-label={t('billing.column.charged')}>
                {l.chargeStartDate === l.chargeEndDate
                  ? day(l.chargeStartDate)
                  : t('billing.range', { from: day(l.chargeStartDate), to: day(l.chargeEndDate) })}
              </td>
              <td data-label={t('billing.column.amount')} className="money strong">
                {money(l.amount, l.currencyCode)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
