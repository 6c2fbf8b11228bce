// /activity: the activity log for a date range (default: the last month) and filters, newest first, a page at
// a time, with the CSV export of the same selection.
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError } from '../../api/client.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { PagedList } from '../../components/states.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { ActivityFiltersForm, defaultFilters } from './ActivityFiltersForm.tsx';
import { ActivityTable } from './ActivityTable.tsx';
import type { ActivityFilters } from './activity.queries.ts';
import { exportHref, fetchActivity, nextToken } from './activity.queries.ts';

const PAGE_SIZE = 50;

export function ActivityPage() {
  const { t, number } = useI18n();
  const [filters, setFilters] = useState<ActivityFilters>(() => defaultFilters());
  const query = useInfiniteQuery({
    queryKey: ['auditrecords', 'list', filters],
    queryFn: ({ pageParam }) => fetchActivity({ ...filters, size: PAGE_SIZE, continuationToken: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => nextToken(last.links),
  });
  const records = query.data?.pages.flatMap((p) => p.items) ?? [];
  const total = query.data?.pages[0]?.totalCount;
  return (
    <section>
      <PageHeader title={t('activity.title')}>
        <p className="muted">{t('activity.order')}</p>
      </PageHeader>
      <ActivityFiltersForm
        value={filters}
        onApply={setFilters}
        error={query.error instanceof ApiError ? query.error : undefined}
      />
      <div className="toolbar">
        <h2 id="activity-results">{t('activity.results')}</h2>
        <a className="button secondary" href={exportHref(filters)} download>
          {t('activity.export')}
        </a>
      </div>
      {total !== undefined && (
        <p className="muted" role="status">
          {t('activity.shown', { shown: number(records.length), count: number(total) })}
        </p>
      )}
      <PagedList query={query} count={records.length} empty={t('activity.empty')}>
        <ActivityTable records={records} labelledBy="activity-results" />
      </PagedList>
    </section>
  );
}
