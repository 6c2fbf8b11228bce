// The filtered list of service requests, the same on the Service requests page and a customer's tab: a search
// (title, customer, reference number), status, severity, "overdue only" and "assigned to me", kept in the URL
// (?status=active&overdue=true&q=…) so a reload or a shared link shows the same list; the total, the table a
// page at a time with "Load more", and what to say when nothing matches.
import { useId, useState } from 'react';
import { useLocation, useSearchParams } from 'react-router';
import { withParams } from '../../app/searchParams.ts';
import { PagedList } from '../../components/states.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { SelectField } from '../customers/SelectField.tsx';
import { useDebounced } from '../customers/useDebounced.ts';
import { useSupportLabels } from './labels.ts';
import type { ListFilters } from './model.ts';
import { SEVERITIES, STATUS_FILTERS, anyFilter, filterParams, listQuery, readFilters } from './model.ts';
import { RequestTable } from './RequestTable.tsx';
import { useServiceRequestList } from './support.queries.ts';

const SEARCH_PAUSE_MS = 300;
/** The history state of the list's own URL writes. */
const OWN_WRITE = { serviceRequestList: true };
const isOwnWrite = (state: unknown) =>
  typeof state === 'object' && state !== null && 'serviceRequestList' in state;

export function RequestList(props: {
  /** One customer's requests; all the partner's without. */
  customer?: { id: string; name: string };
  pageSize: number;
}) {
  const { t, number } = useI18n();
  const label = useSupportLabels();
  const searchId = useId();
  const location = useLocation();
  const [params, setParams] = useSearchParams();
  // The controls keep their own state, written to the URL on each change (marked as ours): a control showing
  // only the URL would spring back while the router applies the change. A navigation from elsewhere (Back, a
  // link such as the dashboard's "overdue") puts the URL's filters into them.
  const [filters, setFilters] = useState<ListFilters>(() => readFilters(params));
  const [seen, setSeen] = useState(location.key);
  if (location.key !== seen) {
    setSeen(location.key);
    if (!isOwnWrite(location.state)) setFilters(readFilters(params));
  }
  const change = (patch: Partial<ListFilters>) => {
    const next = { ...filters, ...patch };
    setFilters(next);
    setParams((p) => withParams(p, filterParams(next)), { replace: true, state: OWN_WRITE });
  };
  const q = useDebounced(filters.q.trim(), SEARCH_PAUSE_MS);
  const applied = { ...filters, q };
  const query = useServiceRequestList({
    customerId: props.customer?.id,
    query: listQuery(applied),
    size: props.pageSize,
  });
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];
  const total = query.data?.pages[0]?.totalCount;
  const empty = anyFilter(applied)
    ? t('support.list.noMatch')
    : props.customer
      ? t('support.list.noneForCustomer', { name: props.customer.name })
      : t('support.list.none');

  return (
    <>
      <div className="filters sr-filters">
        <div className="field search">
          <label htmlFor={searchId}>{t('support.filter.search')}</label>
          <input
            id={searchId}
            type="search"
            autoComplete="off"
            maxLength={100}
            value={filters.q}
            aria-describedby={`${searchId}-hint`}
            onChange={(e) => change({ q: e.target.value })}
          />
          <p id={`${searchId}-hint`} className="hint">
            {props.customer ? t('support.filter.searchHintCustomer') : t('support.filter.searchHint')}
          </p>
        </div>
        <SelectField
          label={t('support.filter.status')}
          value={filters.status ?? ''}
          placeholder={t('support.filter.allStatuses')}
          options={STATUS_FILTERS.map((s) => ({
            value: s,
            label: s === 'active' ? t('support.filter.notClosed') : label('status', s),
          }))}
          onChange={(e) => change({ status: (e.target.value || undefined) as ListFilters['status'] })}
        />
        <SelectField
          label={t('support.filter.severity')}
          value={filters.severity ?? ''}
          placeholder={t('support.filter.allSeverities')}
          options={SEVERITIES.map((s) => ({ value: s, label: label('severity', s) }))}
          onChange={(e) => change({ severity: (e.target.value || undefined) as ListFilters['severity'] })}
        />
        <fieldset className="sr-toggles">
          <legend className="visually-hidden">{t('support.filter.more')}</legend>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={filters.overdue}
              onChange={(e) => change({ overdue: e.target.checked })}
            />
            {t('support.filter.overdue')}
          </label>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={filters.mine}
              onChange={(e) => change({ mine: e.target.checked })}
            />
            {t('support.filter.mine')}
          </label>
        </fieldset>
      </div>
      <p className="muted" role="status">
        {total !== undefined ? t('support.list.total', { count: number(total) }) : ''}
      </p>
      <PagedList query={query} count={items.length} empty={empty}>
        <RequestTable
          items={items}
          showCustomer={!props.customer}
          label={
            props.customer
              ? t('support.list.tableCustomer', { name: props.customer.name })
              : t('support.list.table')
          }
        />
      </PagedList>
    </>
  );
}
