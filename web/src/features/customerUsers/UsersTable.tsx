// What the users list and the deleted users share: the search field, the line that counts the selection, and
// the table — a select-all checkbox that shows "some" when part of what is shown is selected, the two sortable
// name columns with a link to each user's page, then the columns the list adds. One component, so both lists
// select, sort and read alike for keyboard and screen-reader users.
import type { ReactNode } from 'react';
import { useId } from 'react';
import { Link } from 'react-router';
import { SortHeader } from '../../components/SortHeader.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import type { CustomerUser } from './customerUsers.queries.ts';
import { MAX_BATCH } from './model.ts';
import { MixedCheckbox } from './MixedCheckbox.tsx';
import type { useListControls, useSelection } from './useListControls.ts';

type ListControls = ReturnType<typeof useListControls>;
type Selection = ReturnType<typeof useSelection>;

export interface UserColumn {
  label: string;
  cell: (user: CustomerUser) => ReactNode;
}

export function UserSearchField(props: { controls: ListControls }) {
  const { t } = useI18n();
  const id = useId();
  return (
    <div className="field search">
      <label htmlFor={id}>{t('customerUsers.search')}</label>
      <input
        id={id}
        type="search"
        autoComplete="off"
        value={props.controls.search}
        aria-describedby={`${id}-hint`}
        onChange={(e) => props.controls.setSearch(e.target.value)}
      />
      <p id={`${id}-hint`} className="hint">
        {t('customerUsers.searchHint')}
      </p>
    </div>
  );
}

/** How many are selected, or that too many are for one action; `idle` is what it says with none selected. */
export function SelectionStatus(props: { count: number; idle: string }) {
  const { t, number } = useI18n();
  return (
    <p className="hint" role="status">
      {props.count > MAX_BATCH
        ? t('customerUsers.selection.tooMany', { max: number(MAX_BATCH) })
        : props.count > 0
          ? t('customerUsers.selection.count', { count: number(props.count) })
          : props.idle}
    </p>
  );
}

/** The rows to show; with `selection` (for those who may change the directory) each row can be selected. */
export function UsersTable(props: {
  customerId: string;
  users: CustomerUser[];
  labelledBy: string;
  controls: ListControls;
  selection?: Selection;
  columns: UserColumn[];
}) {
  const { t } = useI18n();
  const { users, controls, selection } = props;
  const shownSelected = selection ? users.filter((u) => selection.has(u.id)).length : 0;
  return (
    <div className="table-wrap" role="region" aria-labelledby={props.labelledBy} tabIndex={0}>
      <table>
        <thead>
          <tr>
            {selection && (
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
            {props.columns.map((col) => (
              <th key={col.label} scope="col">
                {col.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id}>
              {selection && (
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
                <Link to={`/customers/${props.customerId}/users/${u.id}`} className="strong">
                  {u.displayName}
                </Link>
              </td>
              <td data-label={t('customerUsers.column.userName')}>{u.userPrincipalName}</td>
              {props.columns.map((col) => (
                <td key={col.label} data-label={col.label}>
                  {col.cell(u)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
