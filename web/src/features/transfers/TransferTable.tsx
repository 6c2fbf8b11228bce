// Transfer requests as a table, the same on the Transfers page and a customer's Subscriptions tab: the
// customer (a link to the request), the other partner and which way the subscriptions go, how many, when it
// was created and its status.
import { Link } from 'react-router';
import { useI18n } from '../../i18n/i18n.tsx';
import { useDate } from '../customers/display.tsx';
import type { Transfer } from './transfers.queries.ts';
import { TransferStatusBadge } from './TransferStatusBadge.tsx';

export function TransferTable(props: { items: Transfer[]; label: string }) {
  const { t, number } = useI18n();
  const date = useDate();
  return (
    <div className="table-wrap" role="region" aria-label={props.label} tabIndex={0}>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('transfers.column.customer')}</th>
            <th scope="col">{t('transfers.column.partner')}</th>
            <th scope="col">{t('transfers.column.subscriptions')}</th>
            <th scope="col">{t('transfers.column.created')}</th>
            <th scope="col">{t('transfers.column.status')}</th>
          </tr>
        </thead>
        <tbody>
          {props.items.map((x) => (
            <tr key={x.id}>
              <td data-label={t('transfers.column.customer')}>
                <Link
                  to={`/transfers/${x.id}`}
                  className="strong"
                  aria-label={t('transfers.list.open', {
                    customer: x.customerName,
                    date: date(x.createdTime),
                  })}
                >
                  {x.customerName}
                </Link>
              </td>
              <td data-label={t('transfers.column.partner')}>
                {x.direction === 'received'
                  ? t('transfers.list.toPartner', { name: x.targetPartnerName })
                  : t('transfers.list.fromPartner', { name: x.sourcePartnerName })}
              </td>
              <td data-label={t('transfers.column.subscriptions')}>{number(x.lineItems.length)}</td>
              <td data-label={t('transfers.column.created')}>{date(x.createdTime)}</td>
              <td data-label={t('transfers.column.status')}>
                <TransferStatusBadge status={x.status} />
                {x.status === 'pending' && x.customerConsent.status !== 'given' && (
                  <span className="block muted small">{t('transfers.list.awaitingConsent')}</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
