// The search, sort and selection the directory lists share. The search and the sort live in the URL
// (?q=…&sort=…&order=desc), so a reload or a shared link shows the same list; typing and sorting replace the
// history entry, so Back leaves the page instead of undoing each keystroke. The selection is kept by id with
// the user it stands for, so it survives loading more pages and a new search.
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { oneOf, withParams } from '../../app/searchParams.ts';
import type { SortState } from '../../components/SortHeader.tsx';
import { nextSort } from '../../components/SortHeader.tsx';
import { useDebounced } from '../customers/useDebounced.ts';
import type { CustomerUser, UserSort } from './customerUsers.queries.ts';
import { USER_SORTS } from './customerUsers.queries.ts';

const SEARCH_PAUSE_MS = 300;

export function useListControls() {
  const [params, setParams] = useSearchParams();
  // The field keeps its own text; the URL follows it (a field fed back from the URL would drop keys typed while
  // the router applies the previous one).
  const [search, setSearch] = useState(() => params.get('q') ?? '');
  const q = useDebounced(search.trim(), SEARCH_PAUSE_MS);
  const sort: SortState<UserSort> = {
    by: oneOf(params, 'sort', USER_SORTS) ?? 'displayName',
    order: oneOf(params, 'order', ['asc', 'desc'] as const) ?? 'asc',
  };
  const setParam = (patch: Record<string, string | undefined>) =>
    setParams((p) => withParams(p, patch), { replace: true });
  return {
    search,
    setSearch: (value: string) => {
      setSearch(value);
      setParam({ q: value });
    },
    q,
    sort,
    onSort: (by: UserSort) => {
      const next = nextSort(sort, by);
      setParam({
        sort: next.by === 'displayName' ? undefined : next.by,
        order: next.order === 'asc' ? undefined : 'desc',
      });
    },
    params,
    setParam,
  };
}

export function useSelection() {
  const [selected, setSelected] = useState<ReadonlyMap<string, CustomerUser>>(new Map());
  return {
    selected,
    users: [...selected.values()],
    has: (id: string) => selected.has(id),
    toggle: (user: CustomerUser, on: boolean) =>
      setSelected((s) => {
        const next = new Map(s);
        if (on) next.set(user.id, user);
        else next.delete(user.id);
        return next;
      }),
    setMany: (users: readonly CustomerUser[], on: boolean) =>
      setSelected((s) => {
        const next = new Map(s);
        for (const u of users) {
          if (on) next.set(u.id, u);
          else next.delete(u.id);
        }
        return next;
      }),
    clear: () => setSelected(new Map()),
  };
}
