// /activity: the last month of the activity log, newest first, a page at a time.
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { EmptyState, Loading } from '../../components/states.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { fetchActivity, nextToken } from './activity.queries.ts';

const PAGE_SIZE = 50;

export function ActivityPage() {
  const { t, dateTime, number } = useI18n();
  // Fixed when the page opens, so paging walks one range.
  const [startDate] = useState(() => new Date(Date.now() - 31 * 86_400_000).toISOString());
  const query = useInfiniteQuery({
    queryKey: ['auditrecords', 'list', startDate],
    queryFn: ({ pageParam }) => fetchActivity({ startDate, size: PAGE_SIZE, continuationToken: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => nextToken(last.links),
  });
  const records = query.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section>
      <PageHeader title={t('activity.title')}>
        <p className="muted">
          {t('activity.range')}
          {query.data && ` ${t('activity.total', { count: number(query.data.pages[0]?.totalCount ?? 0) })}`}
        </p>
      </PageHeader>
      {query.isPending && <Loading />}
      {query.isError && <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />}
      {query.isSuccess && records.length === 0 && (
        <EmptyState>
          <p>{t('activity.empty')}</p>
        </EmptyState>
      )}
      {records.length > 0 && (
        // Scrolls sideways on narrow screens; focusable so that keyboard users can scroll it too.
        <div className="table-wrap" role="region" aria-label={t('activity.title')} tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('activity.when')}</th>
                <th scope="col">{t('activity.action')}</th>
                <th scope="col">{t('activity.user')}</th>
                <th scope="col">{t('activity.customer')}</th>
                <th scope="col">{t('activity.status')}</th>
              </tr>
            </thead>
            <tbody>
              {records.map((r) => (
                <tr key={r.id}>
                  <td>
                    <time dateTime={r.occurredAt}>{dateTime(r.occurredAt)}</time>
                  </td>
                  <td>{r.action}</td>
                  <td>{r.partnerUser.name}</td>
                  <td>{r.customer?.name}</td>
                  <td>
                    <span className={`badge ${r.status}`}>{t(`activity.status.${r.status}`)}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {query.hasNextPage && (
        <button
          type="button"
          className="button secondary"
          disabled={query.isFetchingNextPage}
          onClick={() => void query.fetchNextPage()}
        >
          {query.isFetchingNextPage ? t('common.loading') : t('common.loadMore')}
        </button>
      )}
    </section>
  );
}
