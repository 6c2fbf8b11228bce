// The Transfer requests section of a customer's Subscriptions tab: this customer's requests, sent and
// received, newest first, with their status; "New transfer request" for the roles that may make one where the
// instance allows transfers.
import { Link } from 'react-router';
import { PagedList } from '../../components/states.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { useTransferAccess } from './access.ts';
import { useTransferList } from './transfers.queries.ts';
import { TransferTable } from './TransferTable.tsx';
import './transfers.css';

const PAGE_SIZE = 10;

export function CustomerTransfers(props: { customerId: string; customerName: string }) {
  const { t } = useI18n();
  const access = useTransferAccess();
  const query = useTransferList({ customerId: props.customerId, size: PAGE_SIZE }, access.canView);
  if (!access.canView) return null;
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section className="customer-transfers" aria-labelledby="customer-transfers-heading">
      <div className="toolbar">
        <h2 id="customer-transfers-heading">{t('transfers.customer.title')}</h2>
        {access.canManage && (
          <Link
            className="button secondary"
            to={`/customers/${props.customerId}/subscriptions/transfers/new`}
          >
            {t('transfers.new.open')}
          </Link>
        )}
      </div>
      {access.refusedHere && <p className="hint">{t('transfers.refusedHere')}</p>}
      <PagedList
        query={query}
        count={items.length}
        empty={t('transfers.customer.none', { name: props.customerName })}
      >
        <TransferTable items={items} label={t('transfers.customer.table', { name: props.customerName })} />
      </PagedList>
    </section>
  );
}
