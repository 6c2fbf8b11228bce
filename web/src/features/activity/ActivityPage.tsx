// /activity: the activity log for a date range (default: the last month) and filters, newest or oldest first,
// a page at a time, with the CSV export of the same selection. The range, the filters and the order live in
// the URL (?startDate=…&endDate=…&action=…&status=…&q=…&order=asc), so a reload, Back or a shared link shows
// the same records; without a range in the URL the last month up to today applies.
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { oneOf, withParams } from '../../app/searchParams.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { PagedList } from '../../components/states.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { ActivityFiltersForm, defaultRange } from './ActivityFiltersForm.tsx';
import { ActivityTable } from './ActivityTable.tsx';
import type { ActivityFilters } from './activity.queries.ts';
import { exportHref, fetchActivity, nextToken } from './activity.queries.ts';

const PAGE_SIZE = 50;
const FILTER_KEYS = ['startDate', 'endDate', 'action', 'status', 'q'] as const;

/** The view a URL names; a value the page does not know is left out (the API's default applies). */
function filtersOf(params: URLSearchParams, defaults: Pick<ActivityFilters, 'startDate' | 'endDate'>) {
  const text = (key: string) => params.get(key)?.trim() || undefined;
  const ranged = params.has('startDate') || params.has('endDate');
  const filters: ActivityFilters = {
    startDate: ranged ? text('startDate') : defaults.startDate,
    endDate: ranged ? text('endDate') : defaults.endDate,
    action: text('action'),
    status: oneOf(params, 'status', ['succeeded', 'failed'] as const),
    q: text('q'),
    order: oneOf(params, 'order', ['asc', 'desc'] as const),
  };
  return filters;
}

export function ActivityPage() {
  const { t, number, locale } = useI18n();
  const [params, setParams] = useSearchParams();
  const [defaults] = useState(() => defaultRange());
  const filters = filtersOf(params, defaults);
  const order = filters.order ?? 'desc';
  const query = useInfiniteQuery({
    queryKey: ['auditrecords', 'list', filters],
    queryFn: ({ pageParam }) => fetchActivity({ ...filters, size: PAGE_SIZE, continuationToken: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => nextToken(last.links),
    // The table (and the focused sort button) stays while the newly ordered first page loads.
    placeholderData: keepPreviousData,
  });
  const records = query.data?.pages.flatMap((p) => p.items) ?? [];
  const total = query.data?.pages[0]?.totalCount;
  const { order: _order, ...formValue } = filters;
  // Applying filters is a new view (a history entry, Back returns to the previous one); the order stays.
  const apply = (next: Omit<ActivityFilters, 'order'>) =>
    setParams((p) => withParams(p, Object.fromEntries(FILTER_KEYS.map((k) => [k, next[k] ?? '']))));
  const toggleOrder = () =>
    setParams((p) => withParams(p, { order: order === 'desc' ? 'asc' : undefined }), { replace: true });
  return (
    <section>
      <PageHeader title={t('activity.title')}>
        <p className="muted">{t(`activity.order.${order}`)}</p>
      </PageHeader>
      <ActivityFiltersForm
        // A new URL (Back, a link) or language shows its own values in the fields.
        key={`${locale} ${JSON.stringify(formValue)}`}
        value={formValue}
        onApply={apply}
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
        <ActivityTable
          records={records}
          labelledBy="activity-results"
          order={order}
          onToggleOrder={toggleOrder}
        />
      </PagedList>
    </section>
  );
}
