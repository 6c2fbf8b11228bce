// The customer's deleted users (/customers/:customerId/users/deleted): each restorable for 30 days after its
// deletion, with the day it was deleted and the last day it can come back. Search and sort as on the users
// list. For those who may change the directory: select users → Restore, whose per-user results (including
// licences that could not come back, and why) stay above the list until dismissed.
import { useState } from 'react';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PagedList } from '../../components/states.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { useCustomerOfPage } from '../customers/CustomerPage.tsx';
import { useDate } from '../customers/display.tsx';
import { useDirectoryAccess } from './access.ts';
import type { CustomerUser, RestoreResult } from './customerUsers.queries.ts';
import { useDirectoryMutations, useUserList } from './customerUsers.queries.ts';
import { MAX_BATCH, RESTORE_DAYS } from './model.ts';
import { RestoreResults } from './RestoreResults.tsx';
import { useListControls, useSelection } from './useListControls.ts';
import { SelectionStatus, UserSearchField, UsersTable } from './UsersTable.tsx';

const PAGE_SIZE = 50;

export function DeletedUsers() {
  const { t, number } = useI18n();
  const date = useDate();
  const c = useCustomerOfPage();
  const access = useDirectoryAccess();
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
      {access.canManage && <SelectionStatus count={count} idle="" />}
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
        <UserSearchField controls={controls} />
      </div>
      <p className="muted" role="status">
        {total !== undefined ? t('customerUsers.deleted.total', { count: number(total) }) : ''}
      </p>
      <PagedList
        query={query}
        count={users.length}
        empty={controls.q ? t('customerUsers.noMatch', { q: controls.q }) : t('customerUsers.deleted.none')}
      >
        <UsersTable
          customerId={c.id}
          users={users}
          labelledBy="deleted-heading"
          controls={controls}
          selection={access.canManage ? selection : undefined}
          columns={[
            {
              label: t('customerUsers.column.deletedOn'),
              cell: (u) => (u.softDeletionTime ? date(u.softDeletionTime) : ''),
            },
            {
              label: t('customerUsers.column.restorableUntil'),
              cell: (u) => (u.restorableUntil ? date(u.restorableUntil) : ''),
            },
          ]}
        />
      </PagedList>
    </section>
  );
}
