// /customers: the partner's customers a page at a time. Search as you type (a pause in typing asks the API) by
// company name or domain, from the start or anywhere ("contains"); sort by name or creation through the API;
// the search and the sort live in the URL (?q=…&match=contains&sort=createdAt&order=desc), so a reload or a
// shared link shows the same list, and "Export customers" downloads the same selection (the whole list without
// a search). Each row expands to the customer's Microsoft ID and quick links to the customer page's tabs.
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { Link, useLocation, useSearchParams } from 'react-router';
import { canOpen } from '../../app/access.ts';
import { useProfile } from '../../app/auth.tsx';
import { oneOf, withParams } from '../../app/searchParams.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { SortHeader, nextSort } from '../../components/SortHeader.tsx';
import type { SortState } from '../../components/SortHeader.tsx';
import { EmptyState, PagedList } from '../../components/states.tsx';
import { allows } from '../../../../src/modules/partners/roles.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { RequestRelationshipDialog } from '../relationships/index.ts';
import { nextToken } from '../activity/activity.queries.ts';
import { CopyButton } from './CopyButton.tsx';
import { useDate } from './display.tsx';
import type { Customer, CustomerFilters, CustomerSort } from './customers.queries.ts';
import { CUSTOMERS_KEY, CUSTOMER_SORTS, exportHref, fetchCustomers } from './customers.queries.ts';
import { useDebounced } from './useDebounced.ts';
import { customerTabs } from './tabs.ts';

const PAGE_SIZE = 25;
const SEARCH_PAUSE_MS = 300;
const COLUMNS = 6;
/** The history state of the page's own URL writes (search, contains, sort). */
const OWN_WRITE = { customersList: true };
const isOwnWrite = (state: unknown) =>
  typeof state === 'object' && state !== null && 'customersList' in state;

function CustomerRows(props: { customer: Customer; open: boolean; onToggle: () => void }) {
  const { t } = useI18n();
  const { roles } = useProfile();
  const date = useDate();
  const c = props.customer;
  const name = c.billingProfile.companyName;
  const detailsId = useId();
  return (
    <>
      <tr>
        <td data-label={t('customers.column.name')}>
          <Link to={`/customers/${c.id}`} className="strong">
            {name}
          </Link>
        </td>
        <td data-label={t('customers.column.domain')}>{c.companyProfile.domain}</td>
        <td data-label={t('customers.column.relationship')}>
          {t(`customer.relationship.${c.relationshipToPartner}`)}
        </td>
        <td data-label={t('customers.column.dap')}>
          {c.allowDelegatedAccess ? t('customer.dap.yes') : t('customer.dap.no')}
        </td>
        <td data-label={t('customers.column.created')}>{date(c.createdAt)}</td>
        <td className="disclosure-cell">
          <button
            type="button"
            className="button secondary disclosure"
            aria-expanded={props.open}
            aria-controls={props.open ? detailsId : undefined}
            onClick={props.onToggle}
          >
            <span aria-hidden="true">{props.open ? '▾ ' : '▸ '}</span>
            <span className="visually-hidden">{t('customers.detailsOf', { name })}</span>
            <span aria-hidden="true">{t('customers.details')}</span>
          </button>
        </td>
      </tr>
      {props.open && (
        <tr id={detailsId} className="details-row">
          <td colSpan={COLUMNS}>
            <dl className="details">
              <dt>{t('customer.microsoftId')}</dt>
              <dd className="copy-value">
                <code>{c.id}</code>
                <CopyButton value={c.id} label={t('customers.copyIdOf', { name })} />
              </dd>
            </dl>
            <ul className="quick-links" aria-label={t('customers.quickLinksOf', { name })}>
              {customerTabs(roles).map((tab) => (
                <li key={tab.id}>
                  <Link to={tab.path ? `/customers/${c.id}/${tab.path}` : `/customers/${c.id}`}>
                    {t(tab.label)}
                  </Link>
                </li>
              ))}
            </ul>
          </td>
        </tr>
      )}
    </>
  );
}

export function CustomersPage() {
  const { t, number } = useI18n();
  const profile = useProfile();
  const searchId = useId();
  const [params, setParams] = useSearchParams();
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const location = useLocation();
  // The field keeps its own text: a field whose value came back from the URL would drop keys typed while the
  // router is still applying the previous one. Every keystroke is written to the URL (marked as ours), and
  // only a navigation from elsewhere (Back, a link, the Customers entry) puts the URL's search into the field.
  const [search, setSearch] = useState(() => params.get('q') ?? '');
  // The "contains" box likewise: the router applies a URL change in a transition, and a box showing only the
  // URL would spring back unticked until then (on a busy machine, long enough to be seen).
  const [containsBox, setContainsBox] = useState(() => params.get('match') === 'contains');
  const [seen, setSeen] = useState(location.key);
  if (location.key !== seen) {
    setSeen(location.key);
    if (!isOwnWrite(location.state)) {
      setSearch(params.get('q') ?? '');
      setContainsBox(params.get('match') === 'contains');
    }
  }
  const contains = params.get('match') === 'contains';
  const q = useDebounced(search.trim(), SEARCH_PAUSE_MS);
  const sort: SortState<CustomerSort> = {
    by: oneOf(params, 'sort', CUSTOMER_SORTS) ?? 'name',
    order: oneOf(params, 'order', ['asc', 'desc'] as const) ?? 'asc',
  };
  const filters: CustomerFilters = {
    q: q || undefined,
    match: q && contains ? 'contains' : undefined,
    sort: sort.by === 'name' ? undefined : sort.by,
    order: sort.order === 'asc' ? undefined : sort.order,
  };
  // Typing and sorting replace the history entry: Back leaves the page instead of undoing each keystroke.
  const setParam = (patch: Record<string, string | undefined>) =>
    setParams((p) => withParams(p, patch), { replace: true, state: OWN_WRITE });
  const onSort = (by: CustomerSort) => {
    const next = nextSort(sort, by);
    setParam({
      sort: next.by === 'name' ? undefined : next.by,
      order: next.order === 'asc' ? undefined : 'desc',
    });
  };
  const query = useInfiniteQuery({
    queryKey: [...CUSTOMERS_KEY, 'list', filters],
    queryFn: ({ pageParam }) => fetchCustomers({ ...filters, size: PAGE_SIZE, continuationToken: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => nextToken(last.links),
    // The table (and the focused search field or sort button) stays while the next selection loads.
    placeholderData: keepPreviousData,
  });
  const customers = query.data?.pages.flatMap((p) => p.items) ?? [];
  const total = query.data?.pages[0]?.totalCount;
  const canAdd = canOpen(profile.roles, 'addCustomer') && profile.instance.policy['customers.create'];
  // Existing customers are invited, not added; not offered where the instance does not allow it.
  const canRequest =
    allows(profile.roles, 'relationships.request') &&
    profile.instance.policy['relationships.requestExisting'];
  const [requesting, setRequesting] = useState(false);
  const toggle = (id: string) =>
    setOpen((s) => {
      const next = new Set(s);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const noCustomersAtAll = query.isSuccess && !query.isPlaceholderData && customers.length === 0 && !q;

  return (
    <section>
      <PageHeader title={t('customers.title')}>
        <div className="toolbar page-actions">
          <p className="muted">{t('customers.intro')}</p>
          <div className="actions">
            {canAdd && (
              <Link to="/customers/new" className="button primary">
                {t('customers.add')}
              </Link>
            )}
            {canRequest && (
              <button type="button" className="button secondary" onClick={() => setRequesting(true)}>
                {t('relationships.request.open')}
              </button>
            )}
            <a className="button secondary" href={exportHref(filters)} download>
              {q ? t('customers.exportFiltered') : t('customers.export')}
            </a>
          </div>
        </div>
      </PageHeader>
      {requesting && <RequestRelationshipDialog onClose={() => setRequesting(false)} />}
      {noCustomersAtAll ? (
        <EmptyState>
          <p>{t('customers.none')}</p>
          {canAdd ? (
            <p>
              <Link to="/customers/new" className="button primary">
                {t('customers.addFirst')}
              </Link>
            </p>
          ) : (
            <p>{t('customers.noneCannotAdd')}</p>
          )}
        </EmptyState>
      ) : (
        <>
          <div className="search-row">
            <div className="field search">
              <label htmlFor={searchId}>{t('customers.search')}</label>
              <input
                id={searchId}
                type="search"
                autoComplete="off"
                value={search}
                aria-describedby={`${searchId}-hint`}
                onChange={(e) => {
                  setSearch(e.target.value);
                  setParam({ q: e.target.value });
                }}
              />
              <p id={`${searchId}-hint`} className="hint">
                {t('customers.searchHint')}
              </p>
            </div>
            <label className="checkbox">
              <input
                type="checkbox"
                checked={containsBox}
                onChange={(e) => {
                  setContainsBox(e.target.checked);
                  setParam({ match: e.target.checked ? 'contains' : undefined });
                }}
              />
              {t('customers.contains')}
            </label>
          </div>
          <p className="muted" role="status">
            {total !== undefined ? t('customers.total', { count: number(total) }) : ''}
          </p>
          <h2 id="customers-results" className="visually-hidden">
            {t('customers.results')}
          </h2>
          <PagedList
            query={query}
            count={customers.length}
            empty={q ? t('customers.noMatch', { q }) : t('customers.none')}
          >
            <div className="table-wrap" role="region" aria-labelledby="customers-results" tabIndex={0}>
              <table>
                <thead>
                  <tr>
                    <SortHeader field="name" label={t('customers.column.name')} sort={sort} onSort={onSort} />
                    <th scope="col">{t('customers.column.domain')}</th>
                    <th scope="col">{t('customers.column.relationship')}</th>
                    <th scope="col">{t('customers.column.dap')}</th>
                    <SortHeader
                      field="createdAt"
                      label={t('customers.column.created')}
                      sort={sort}
                      onSort={onSort}
                    />
                    <th scope="col">{t('customers.column.details')}</th>
                  </tr>
                </thead>
                <tbody>
                  {customers.map((c) => (
                    <CustomerRows
                      key={c.id}
                      customer={c}
                      open={open.has(c.id)}
                      onToggle={() => toggle(c.id)}
                    />
                  ))}
                </tbody>
              </table>
            </div>
          </PagedList>
        </>
      )}
    </section>
  );
}
