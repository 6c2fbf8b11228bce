// Settings → Users: the partner's users a page at a time (search by name), with adding a user and, per user,
// changing roles, resetting the password and deactivating or activating. Display name, user name and created
// sort through the API (a header button; the same column again reverses the order); a new sort starts again at
// the first page. The search and the sort live in the URL (?q=…&sort=…&order=…), so a reload or a shared link
// shows the same list.
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useDeferredValue, useId, useState } from 'react';
import { useSearchParams } from 'react-router';
import type { PartnerUser } from '../../../api/client.ts';
import { oneOf, withParams } from '../../../app/searchParams.ts';
import { SortHeader, nextSort } from '../../../components/SortHeader.tsx';
import type { SortState } from '../../../components/SortHeader.tsx';
import { PagedList } from '../../../components/states.tsx';
import { useI18n } from '../../../i18n/i18n.tsx';
import { nextToken } from '../../activity/activity.queries.ts';
import { AddUserDialog } from './AddUserDialog.tsx';
import type { UserAction } from './UserDialogs.tsx';
import { UserActionDialog } from './UserDialogs.tsx';
import type { UserSort } from './users.queries.ts';
import { USERS_KEY, USER_SORTS, fetchUsers } from './users.queries.ts';

const PAGE_SIZE = 25;

function UserRow(props: { user: PartnerUser; onAction: (action: UserAction) => void }) {
  const { t, dateTime } = useI18n();
  const u = props.user;
  return (
    <tr>
      <td data-label={t('users.displayName')}>
        <span className="strong">{u.displayName}</span>
      </td>
      <td data-label={t('users.column.userName')}>{u.userName}</td>
      <td data-label={t('users.roles')}>{u.roles.map((r) => t(`role.${r}`)).join(', ')}</td>
      <td data-label={t('users.state')}>
        <span className={`badge ${u.state}`}>{t(`users.state.${u.state}`)}</span>
        {u.mustChangePassword && <span className="muted small block">{t('users.temporary')}</span>}
      </td>
      <td data-label={t('users.column.created')}>{dateTime(u.createdAt)}</td>
      <td data-label={t('users.lastSignIn')}>
        {u.lastSignInAt ? dateTime(u.lastSignInAt) : t('users.never')}
      </td>
      <td data-label={t('users.actions')}>
        <div className="row-actions" role="group" aria-label={t('users.actionsFor', { name: u.displayName })}>
          <button
            type="button"
            className="link-button"
            aria-label={t('users.changeRolesNamed', { name: u.displayName })}
            onClick={() => props.onAction('roles')}
          >
            {t('users.changeRoles')}
          </button>
          <button
            type="button"
            className="link-button"
            aria-label={t('users.resetPasswordNamed', { name: u.displayName })}
            onClick={() => props.onAction('reset')}
          >
            {t('users.resetPassword')}
          </button>
          <button
            type="button"
            className="link-button"
            aria-label={t(u.state === 'active' ? 'users.deactivateNamed' : 'users.activateNamed', {
              name: u.displayName,
            })}
            onClick={() => props.onAction(u.state === 'active' ? 'deactivate' : 'activate')}
          >
            {u.state === 'active' ? t('users.deactivate') : t('users.activate')}
          </button>
        </div>
      </td>
    </tr>
  );
}

export function UsersPage() {
  const { t, number } = useI18n();
  const searchId = useId();
  const [params, setParams] = useSearchParams();
  const search = params.get('q') ?? '';
  const q = useDeferredValue(search.trim());
  const [adding, setAdding] = useState(false);
  const [acting, setActing] = useState<{ user: PartnerUser; action: UserAction }>();
  const sort: SortState<UserSort> = {
    by: oneOf(params, 'sort', USER_SORTS) ?? 'createdAt',
    order: oneOf(params, 'order', ['asc', 'desc'] as const) ?? 'asc',
  };
  // Typing and sorting replace the history entry: Back leaves the page instead of undoing each keystroke.
  const setSearch = (value: string) => setParams((p) => withParams(p, { q: value }), { replace: true });
  const onSort = (by: UserSort) => {
    const next = nextSort(sort, by);
    setParams(
      (p) =>
        withParams(p, {
          sort: next.by === 'createdAt' ? undefined : next.by,
          order: next.order === 'asc' ? undefined : next.order,
        }),
      { replace: true },
    );
  };
  // The sort is part of the query key: a new sort is a new list, read again from its first page.
  const query = useInfiniteQuery({
    queryKey: [...USERS_KEY, 'list', q, sort.by, sort.order],
    queryFn: ({ pageParam }) =>
      fetchUsers({
        q: q || undefined,
        size: PAGE_SIZE,
        continuationToken: pageParam,
        sort: sort.by,
        order: sort.order,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => nextToken(last.links),
    // The table (and the focused header button) stays while the newly sorted first page loads.
    placeholderData: keepPreviousData,
  });
  const users = query.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section aria-labelledby="users-heading">
      <div className="toolbar">
        <h2 id="users-heading">{t('settings.users')}</h2>
        <button type="button" className="button primary" onClick={() => setAdding(true)}>
          {t('users.add')}
        </button>
      </div>
      <div className="field search">
        <label htmlFor={searchId}>{t('users.search')}</label>
        <input id={searchId} type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
      </div>
      {query.data && (
        <p className="muted">{t('users.total', { count: number(query.data.pages[0]?.totalCount ?? 0) })}</p>
      )}
      <PagedList query={query} count={users.length} empty={t('users.empty')}>
        <div className="table-wrap" role="region" aria-labelledby="users-heading" tabIndex={0}>
          <table>
            <thead>
              <tr>
                <SortHeader field="displayName" label={t('users.displayName')} sort={sort} onSort={onSort} />
                <SortHeader field="userName" label={t('users.column.userName')} sort={sort} onSort={onSort} />
                <th scope="col">{t('users.roles')}</th>
                <th scope="col">{t('users.state')}</th>
                <SortHeader field="createdAt" label={t('users.column.created')} sort={sort} onSort={onSort} />
                <th scope="col">{t('users.lastSignIn')}</th>
                <th scope="col">{t('users.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {users.map((user) => (
                <UserRow key={user.id} user={user} onAction={(action) => setActing({ user, action })} />
              ))}
            </tbody>
          </table>
        </div>
      </PagedList>
      {adding && <AddUserDialog onClose={() => setAdding(false)} />}
      {acting && <UserActionDialog {...acting} onClose={() => setActing(undefined)} />}
    </section>
  );
}
