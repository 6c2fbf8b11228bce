// The customer's active users (/customers/:customerId/users), a page at a time: search by name or user name,
// filter by whether they hold licences, sort by display name or user name through the API, each row with its
// licence count, directory roles and state, and a link to the user's page. For those who may change the
// directory: Add user, and select users (one by one or every one shown) → Manage licenses, whose per-user
// results then stay above the list until dismissed.
import { useState } from 'react';
import { useLocation } from 'react-router';
import { PagedList } from '../../components/states.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { useCustomerOfPage } from '../customers/CustomerPage.tsx';
import { SelectField } from '../customers/SelectField.tsx';
import { useDirectoryAccess } from './access.ts';
import { AddUserDialog } from './AddUserDialog.tsx';
import type { LicenseUpdateResults } from './customerUsers.queries.ts';
import { useUserList } from './customerUsers.queries.ts';
import { useRoleLabels } from './labels.ts';
import { LicenseResults } from './LicenseResults.tsx';
import { ManageLicensesDialog } from './ManageLicensesDialog.tsx';
import { MAX_BATCH, RESTORE_DAYS } from './model.ts';
import { useListControls, useSelection } from './useListControls.ts';
import { SelectionStatus, UserSearchField, UsersTable } from './UsersTable.tsx';

const PAGE_SIZE = 50;
const LICENSE_FILTERS = ['true', 'false'] as const;

export function UsersList() {
  const { t, number } = useI18n();
  const c = useCustomerOfPage();
  const access = useDirectoryAccess();
  const roles = useRoleLabels();
  const controls = useListControls();
  const selection = useSelection();
  const hasLicenses = LICENSE_FILTERS.find((v) => v === controls.params.get('licenses'));
  const query = useUserList(
    c.id,
    {
      state: 'active',
      q: controls.q || undefined,
      sort: controls.sort.by,
      sortDirection: controls.sort.order,
      ...(hasLicenses ? { hasLicenses: hasLicenses === 'true' } : {}),
    },
    PAGE_SIZE,
  );
  const [adding, setAdding] = useState(false);
  const [managing, setManaging] = useState(false);
  const [results, setResults] = useState<LicenseUpdateResults>();
  // Arrived here from deleting a user on its page.
  const state: unknown = useLocation().state;
  const deletedUser =
    typeof state === 'object' && state !== null && 'deletedUser' in state
      ? String(state.deletedUser)
      : undefined;
  const users = query.data?.pages.flatMap((p) => p.items) ?? [];
  const total = query.data?.pages[0]?.totalCount;
  const count = selection.selected.size;
  const tooMany = count > MAX_BATCH;

  return (
    <section>
      <div className="toolbar">
        <h2 id="users-heading">{t('customerUsers.title')}</h2>
        {access.canManage && (
          <div className="actions">
            <button type="button" className="button primary" onClick={() => setAdding(true)}>
              {t('customerUsers.add.open')}
            </button>
            <button
              type="button"
              className="button secondary"
              disabled={count === 0 || tooMany}
              onClick={() => {
                setResults(undefined);
                setManaging(true);
              }}
            >
              {count > 0
                ? t('customerUsers.licenses.manageCount', { count: number(count) })
                : t('customerUsers.licenses.manage')}
            </button>
          </div>
        )}
      </div>
      {access.canManage && <SelectionStatus count={count} idle={t('customerUsers.selection.hint')} />}
      <p role="status" className="success">
        {deletedUser ? t('customerUsers.delete.done', { name: deletedUser, days: RESTORE_DAYS }) : ''}
      </p>
      {results && <LicenseResults results={results} onDismiss={() => setResults(undefined)} />}
      <div className="search-row">
        <UserSearchField controls={controls} />
        <SelectField
          label={t('customerUsers.filter.licenses')}
          value={hasLicenses ?? ''}
          placeholder={t('customerUsers.filter.any')}
          options={[
            { value: 'true', label: t('customerUsers.filter.withLicenses') },
            { value: 'false', label: t('customerUsers.filter.withoutLicenses') },
          ]}
          onChange={(e) => controls.setParam({ licenses: e.target.value })}
        />
      </div>
      <p className="muted" role="status">
        {total !== undefined ? t('customerUsers.total', { count: number(total) }) : ''}
      </p>
      <PagedList
        query={query}
        count={users.length}
        empty={controls.q ? t('customerUsers.noMatch', { q: controls.q }) : t('customerUsers.none')}
      >
        <UsersTable
          customerId={c.id}
          users={users}
          labelledBy="users-heading"
          controls={controls}
          selection={access.canManage ? selection : undefined}
          columns={[
            { label: t('customerUsers.column.licenses'), cell: (u) => number(u.licenseCount) },
            { label: t('customerUsers.column.roles'), cell: (u) => roles(u.directoryRoles) },
            {
              label: t('customerUsers.column.state'),
              cell: (u) => (
                <>
                  <span className={`badge ${u.state}`}>{t(`customerUsers.state.${u.state}`)}</span>
                  {u.mustChangePassword && (
                    <span className="muted small block">{t('customerUsers.mustChangePassword')}</span>
                  )}
                </>
              ),
            },
          ]}
        />
      </PagedList>
      {adding && <AddUserDialog customer={c} onClose={() => setAdding(false)} />}
      {managing && (
        <ManageLicensesDialog
          customer={c}
          users={selection.users}
          onClose={(done) => {
            setManaging(false);
            if (done) {
              setResults(done);
              selection.clear();
            }
          }}
        />
      )}
    </section>
  );
}
