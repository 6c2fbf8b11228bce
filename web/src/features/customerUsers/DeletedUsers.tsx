// The customer's deleted users (/customers/:customerId/users/deleted): each restorable for 30 days after its
// deletion, with the day it was deleted and the last day it can come back. Search and sort as on the users
// list. For those who may change the directory: select users → Restore, whose per-user results (including
// licences that could not come back, and why) stay above the list until dismissed.
import { useId, useState } from 'react';
import { Link } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { SortHeader } from '../../components/SortHeader.tsx';
import { PagedList } from '../../components/states.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { useCustomerOfPage } from '../customers/CustomerPage.tsx';
import { useDate } from '../customers/display.tsx';
import { useDirectoryAccess } from './access.ts';
import type { CustomerUser, RestoreResult } from './customerUsers.queries.ts';
import { useDirectoryMutations, useUserList } from './customerUsers.queries.ts';
import { MAX_BATCH, RESTORE_DAYS } from './model.ts';
import { MixedCheckbox } from './MixedCheckbox.tsx';
import { RestoreResults } from './RestoreResults.tsx';
import { useListControls, useSelection } from './useListControls.ts';

const PAGE_SIZE = 50;

export function DeletedUsers() {
  const { t, number } = useI18n();
  const date = useDate();
  const c = useCustomerOfPage();
  const access = useDirectoryAccess();
  const searchId = useId();
  const controls = useListControls();
  const selection = useSelection();
  const { restore } = useDirectoryMutations(c.id);
  const [results, setResults] = useState<{ items: RestoreResult[]; users: CustomerUser[] }>();
  const query = useUserList(
    c.id,
    {
      state: 'inactive',
      q: controls.q || undefined,
      sort: controls.sort.by,
      sortDirection: controls.sort.order,
    },
    PAGE_SIZE,
  );
  const users = query.data?.pages.flatMap((p) => p.items) ?? [];
  const total = query.data?.pages[0]?.totalCount;
  const shownSelected = users.filter((u) => selection.has(u.id)).length;
  const count = selection.selected.size;
  const tooMany = count > MAX_BATCH;

  const onRestore = () => {
    const chosen = selection.users;
    restore.mutate(
      chosen.map((u) => u.id),
      {
        onSuccess: (r) => {
          setResults({ items: r.items, users: chosen });
          selection.clear();
        },
      },
    );
  };

  return (
    <section>
      <div className="toolbar">
        <h2 id="deleted-heading">{t('customerUsers.deleted.title')}</h2>
        {access.canManage && (
          <button
            type="button"
            className="button primary"
            disabled={count === 0 || tooMany || restore.isPending}
            onClick={onRestore}
          >
            {restore.isPending
              ? t('common.saving')
              : count > 0
                ? t('customerUsers.restore.manyCount', { count: number(count) })
                : t('customerUsers.restore.many')}
          </button>
        )}
      </div>
      <p className="hint">{t('customerUsers.deleted.intro', { days: RESTORE_DAYS })}</p>
      {access.canManage && (
        <p className="hint" role="status">
          {tooMany
            ? t('customerUsers.selection.tooMany', { max: number(MAX_BATCH) })
            : count > 0
              ? t('customerUsers.selection.count', { count: number(count) })
              : ''}
        </p>
      )}
      {restore.isError && <ErrorAlert error={restore.error} />}
      {results && (
        <section className="panel results-panel" aria-labelledby="restore-results-heading">
          <div className="toolbar">
            <h2 id="restore-results-heading">{t('customerUsers.restore.resultsTitle')}</h2>
            <button type="button" className="button secondary" onClick={() => setResults(undefined)}>
              {t('customerUsers.result.dismiss')}
            </button>
          </div>
          <RestoreResults items={results.items} users={results.users} />
        </section>
      )}
      <div className="search-row">
        <div className="field search">
          <label htmlFor={searchId}>{t('customerUsers.search')}</label>
          <input
            id={searchId}
            type="search"
            autoComplete="off"
            value={controls.search}
            aria-describedby={`${searchId}-hint`}
            onChange={(e) => controls.setSearch(e.target.value)}
          />
          <p id={`${searchId}-hint`} className="hint">
            {t('customerUsers.searchHint')}
          </p>
        </div>
      </div>
      <p className="muted" role="status">
        {total !== undefined ? t('customerUsers.deleted.total', { count: number(total) }) : ''}
      </p>
      <PagedList
        query={query}
        count={users.length}
        empty={controls.q ? t('customerUsers.noMatch', { q: controls.q }) : t('customerUsers.deleted.none')}
      >
        <div className="table-wrap" role="region" aria-labelledby="deleted-heading" tabIndex={0}>
          <table>
            <thead>
              <tr>
                {access.canManage && (
                  <th scope="col" className="select-cell">
                    <MixedCheckbox
                      aria-label={t('customerUsers.selectShown')}
                      checked={users.length > 0 && shownSelected === users.length}
                      indeterminate={shownSelected > 0 && shownSelected < users.length}
                      onChange={(e) => selection.setMany(users, e.target.checked)}
                    />
                  </th>
                )}
                <SortHeader
                  field="displayName"
                  label={t('customerUsers.column.displayName')}
                  sort={controls.sort}
                  onSort={controls.onSort}
                />
                <SortHeader
                  field="userPrincipalName"
                  label={t('customerUsers.column.userName')}
                  sort={controls.sort}
                  onSort={controls.onSort}
                />
                <th scope="col">{t('customerUsers.column.deletedOn')}</th>
                <th scope="col">{t('customerUsers.column.restorableUntil')}</th>
              </tr>
            </thead>
            <tbody>
              {users.map((u) => (
                <tr key={u.id}>
                  {access.canManage && (
                    <td className="select-cell">
                      <input
                        type="checkbox"
                        aria-label={t('customerUsers.select', { name: u.displayName })}
                        checked={selection.has(u.id)}
                        onChange={(e) => selection.toggle(u, e.target.checked)}
                      />
                    </td>
                  )}
                  <td data-label={t('customerUsers.column.displayName')}>
                    <Link to={`/customers/${c.id}/users/${u.id}`} className="strong">
                      {u.displayName}
                    </Link>
                  </td>
                  <td data-label={t('customerUsers.column.userName')}>{u.userPrincipalName}</td>
                  <td data-label={t('customerUsers.column.deletedOn')}>
                    {u.softDeletionTime ? date(u.softDeletionTime) : ''}
                  </td>
                  <td data-label={t('customerUsers.column.restorableUntil')}>
                    {u.restorableUntil ? date(u.restorableUntil) : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </PagedList>
    </section>
  );
}
