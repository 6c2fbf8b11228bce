// /transfers: the partner's transfer requests, newest first, a page at a time. Received (other partners ask for
// subscriptions of yours; you accept or reject) and Sent (you asked) are two tabs, each its own URL
// (?direction=sent), with a status filter (?status=pending). How many received requests wait for an answer is
// said above the tabs, as in the navigation's badge.
import { Link, useSearchParams } from 'react-router';
import { oneOf, withParams } from '../../app/searchParams.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { PagedList } from '../../components/states.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { SelectField } from '../customers/SelectField.tsx';
import { useTransferAccess } from './access.ts';
import { useTransferLabels } from './labels.ts';
import type { Direction } from './model.ts';
import { DIRECTIONS, TRANSFER_STATUSES } from './model.ts';
import { useTransferList, useTransferSummary } from './transfers.queries.ts';
import { TransferTable } from './TransferTable.tsx';
import './transfers.css';

const PAGE_SIZE = 25;

export function TransfersPage() {
  const { t, number } = useI18n();
  const label = useTransferLabels();
  const access = useTransferAccess();
  const [params, setParams] = useSearchParams();
  const direction: Direction = oneOf(params, 'direction', DIRECTIONS) ?? 'received';
  const status = oneOf(params, 'status', TRANSFER_STATUSES);
  const summary = useTransferSummary();
  const query = useTransferList({ direction, status, size: PAGE_SIZE });
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];
  const total = query.data?.pages[0]?.totalCount;
  const waiting = summary.data?.receivedPending;
  const tabHref = (d: Direction) => {
    const next = withParams(params, { direction: d === 'received' ? undefined : d });
    const qs = next.toString();
    return qs ? `/transfers?${qs}` : '/transfers';
  };
  return (
    <section className="transfers-page">
      <PageHeader title={t('transfers.page.title')}>
        <p className="muted">{t('transfers.page.intro')}</p>
      </PageHeader>
      {access.refusedHere && (
        <p className="alert alert-warning" role="note">
          {t('transfers.refusedHere')}
        </p>
      )}
      <p role="status" className="strong">
        {waiting !== undefined
          ? waiting > 0
            ? t('transfers.summary.waiting', { count: number(waiting) })
            : t('transfers.summary.none')
          : ''}
      </p>
      <nav aria-label={t('transfers.tabs')} className="subnav">
        {DIRECTIONS.map((d) => (
          <Link key={d} to={tabHref(d)} aria-current={d === direction ? 'page' : undefined}>
            {t(d === 'received' ? 'transfers.tab.received' : 'transfers.tab.sent')}
          </Link>
        ))}
      </nav>
      <p className="hint">
        {t(direction === 'received' ? 'transfers.tab.receivedHint' : 'transfers.tab.sentHint')}
      </p>
      <div className="search-row">
        <SelectField
          label={t('transfers.filter.status')}
          value={status ?? ''}
          placeholder={t('transfers.filter.all')}
          options={TRANSFER_STATUSES.map((s) => ({ value: s, label: label('status', s) }))}
          onChange={(e) => setParams((p) => withParams(p, { status: e.target.value }), { replace: true })}
        />
      </div>
      <p className="muted" role="status">
        {total !== undefined ? t('transfers.total', { count: number(total) }) : ''}
      </p>
      <PagedList
        query={query}
        count={items.length}
        empty={
          status
            ? t('transfers.noneWithStatus', { status: label('status', status) })
            : t(direction === 'received' ? 'transfers.noneReceived' : 'transfers.noneSent')
        }
      >
        <TransferTable
          items={items}
          label={t(direction === 'received' ? 'transfers.table.received' : 'transfers.table.sent')}
        />
      </PagedList>
    </section>
  );
}
