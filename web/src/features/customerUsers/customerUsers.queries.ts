// A customer's directory for the console: its users (active or deleted, searched, sorted, a page at a time,
// each with the licences it holds), one user and its licences, the partner's seats (subscribed SKUs), and the
// writes — add, edit (If-Match), reset a password, delete, restore, directory roles, licence updates for many
// users. Every write refreshes what shows the directory and the seats.
import type { InfiniteData } from '@tanstack/react-query';
import {
  keepPreviousData,
  useInfiniteQuery,
  useIsFetching,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { api, unwrap, type Json } from '../../api/client.ts';
import type { paths } from '../../api/schema';
import { nextToken } from '../activity/activity.queries.ts';
import type { DirectoryRole } from './model.ts';

type UsersPath = paths['/v1/customers/{customerId}/users'];
type UserPath = paths['/v1/customers/{customerId}/users/{userId}'];

export type CustomerUser = Json<UserPath['get']['responses'][200]>;
type UserPage = Json<UsersPath['get']['responses'][200]>;
export type CreateUserBody = Json<UsersPath['post']['requestBody']>;
export type CreatedUser = Json<UsersPath['post']['responses'][201]>;
export type UserPatch = Json<UserPath['patch']['requestBody']>;
export type UpdatedUser = Json<UserPath['patch']['responses'][200]>;
export type RestoreResult = Json<
  paths['/v1/customers/{customerId}/users/restore']['post']['responses'][200]
>['items'][number];
export type SubscribedSku = Json<
  paths['/v1/customers/{customerId}/subscribedskus']['get']['responses'][200]
>['items'][number];
type ManyLicensesPath = paths['/v1/customers/{customerId}/licenseupdates'];
export type LicenseUpdateResults = Json<ManyLicensesPath['post']['responses'][200]>;
export type LicenseUpdateBody = Omit<Json<ManyLicensesPath['post']['requestBody']>, 'userIds'>;

export const USER_SORTS = ['displayName', 'userPrincipalName', 'createdTime'] as const;
export type UserSort = (typeof USER_SORTS)[number];
export type UserState = 'active' | 'inactive';

export interface UserFilters {
  state: UserState;
  q?: string;
  sort?: UserSort;
  sortDirection?: 'asc' | 'desc';
}

const DIRECTORY_KEY = ['customerUsers'] as const;
export const directoryKey = (customerId: string) => [...DIRECTORY_KEY, customerId] as const;
const userKey = (customerId: string, userId: string) => [...directoryKey(customerId), 'one', userId] as const;

// ── reads ──

export function fetchUsers(
  customerId: string,
  opts: UserFilters & { size: number; continuationToken?: string },
) {
  return unwrap(
    api.GET('/v1/customers/{customerId}/users', { params: { path: { customerId }, query: opts } }),
  );
}

export function useUserList(customerId: string, filters: UserFilters, size: number, enabled = true) {
  return useInfiniteQuery({
    enabled,
    queryKey: [...directoryKey(customerId), 'list', filters, size],
    queryFn: ({ pageParam }) => fetchUsers(customerId, { ...filters, size, continuationToken: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => nextToken(last.links),
    // The table (and the focused search field or sort button) stays while the next selection loads.
    placeholderData: keepPreviousData,
  });
}

/** How many deleted (still restorable) users the customer has: one item asked, the total read. */
export function useDeletedCount(customerId: string, enabled: boolean) {
  return useQuery({
    enabled,
    queryKey: [...directoryKey(customerId), 'deletedCount'],
    queryFn: async () => (await fetchUsers(customerId, { state: 'inactive', size: 1 })).totalCount,
  });
}

export function fetchUser(customerId: string, userId: string) {
  return unwrap(
    api.GET('/v1/customers/{customerId}/users/{userId}', { params: { path: { customerId, userId } } }),
  );
}

export function useUser(customerId: string, userId: string) {
  return useQuery({ queryKey: userKey(customerId, userId), queryFn: () => fetchUser(customerId, userId) });
}

export function fetchLicenses(customerId: string, userId: string) {
  return unwrap(
    api.GET('/v1/customers/{customerId}/users/{userId}/licenses', {
      params: { path: { customerId, userId } },
    }),
  );
}

export function useUserLicenses(customerId: string, userId: string, enabled = true) {
  return useQuery({
    enabled,
    queryKey: [...userKey(customerId, userId), 'licenses'],
    queryFn: () => fetchLicenses(customerId, userId),
  });
}

/**
 * The newest copy of each of these users that the console has read (a page of a list, or the user's own page),
 * else the one given. A selection keeps its users as they were when picked; a read since (a refresh after a
 * change, another tab's change seen on returning) knows their licences better. Nothing is requested: the
 * CustomerUser carries its licences (assignedLicenses), so a selection of hundreds costs no request per user.
 * Re-renders when a read of the customer's directory lands.
 */
export function useLatestUsers(customerId: string, users: readonly CustomerUser[]): CustomerUser[] {
  const queryClient = useQueryClient();
  useIsFetching({ queryKey: directoryKey(customerId) });
  const wanted = new Set(users.map((u) => u.id));
  const newest = new Map<string, { user: CustomerUser; at: number }>();
  const consider = (user: CustomerUser, at: number) => {
    if (!wanted.has(user.id)) return;
    const seen = newest.get(user.id);
    if (!seen || at > seen.at) newest.set(user.id, { user, at });
  };
  for (const q of queryClient.getQueryCache().findAll({ queryKey: directoryKey(customerId) })) {
    const { data, dataUpdatedAt } = q.state;
    if (data === undefined) continue;
    const kind = q.queryKey[2];
    if (kind === 'list')
      for (const page of (data as InfiniteData<UserPage>).pages)
        for (const u of page.items) consider(u, dataUpdatedAt);
    else if (kind === 'one' && q.queryKey.length === 4) consider(data as CustomerUser, dataUpdatedAt);
  }
  return users.map((u) => newest.get(u.id)?.user ?? u);
}

export function useSubscribedSkus(customerId: string, enabled = true) {
  return useQuery({
    enabled,
    queryKey: [...directoryKey(customerId), 'subscribedskus'],
    queryFn: () =>
      unwrap(api.GET('/v1/customers/{customerId}/subscribedskus', { params: { path: { customerId } } })),
    staleTime: 0,
  });
}

// ── writes ──

export function useDirectoryMutations(customerId: string) {
  const queryClient = useQueryClient();
  // The lists, the counts, every user and licences of the customer; the seats; the subscriptions' seat use.
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: directoryKey(customerId) }),
      queryClient.invalidateQueries({ queryKey: ['subscriptions', customerId] }),
    ]);
  const show = (u: CustomerUser) => queryClient.setQueryData(userKey(customerId, u.id), u);
  return {
    create: useMutation({
      mutationFn: (args: { body: CreateUserBody; requestId: string }) =>
        unwrap(
          api.POST('/v1/customers/{customerId}/users', {
            params: { path: { customerId } },
            headers: { 'MS-RequestId': args.requestId },
            body: args.body,
          }),
        ),
      onSuccess: refresh,
    }),
    // If-Match: a change made meanwhile by someone else is refused (412, with the current user).
    update: useMutation({
      mutationFn: (args: { user: CustomerUser; body: UserPatch }) =>
        unwrap(
          api.PATCH('/v1/customers/{customerId}/users/{userId}', {
            params: { path: { customerId, userId: args.user.id } },
            body: args.body,
            headers: { 'If-Match': args.user.attributes.etag },
          }),
        ),
      onSuccess: (u) => {
        show(u);
        return refresh();
      },
    }),
    resetPassword: useMutation({
      mutationFn: (args: { user: CustomerUser; forceChangePassword: boolean }) =>
        unwrap(
          api.PATCH('/v1/customers/{customerId}/users/{userId}', {
            params: { path: { customerId, userId: args.user.id } },
            body: { passwordProfile: { forceChangePassword: args.forceChangePassword } },
          }),
        ),
      onSuccess: (u) => {
        show(u);
        return refresh();
      },
    }),
    remove: useMutation({
      mutationFn: (user: CustomerUser) =>
        unwrap(
          api.DELETE('/v1/customers/{customerId}/users/{userId}', {
            params: { path: { customerId, userId: user.id } },
          }),
        ),
      onSuccess: refresh,
    }),
    restore: useMutation({
      mutationFn: (userIds: string[]) =>
        unwrap(
          api.POST('/v1/customers/{customerId}/users/restore', {
            params: { path: { customerId } },
            body: { userIds },
          }),
        ),
      onSuccess: refresh,
    }),
    setRole: useMutation({
      mutationFn: (args: { user: CustomerUser; role: DirectoryRole; member: boolean }) =>
        args.member
          ? unwrap(
              api.POST('/v1/customers/{customerId}/directoryroles/{roleId}/usermembers', {
                params: { path: { customerId, roleId: args.role } },
                body: { id: args.user.id },
              }),
            )
          : unwrap(
              api.DELETE('/v1/customers/{customerId}/directoryroles/{roleId}/usermembers/{userId}', {
                params: { path: { customerId, roleId: args.role, userId: args.user.id } },
              }),
            ),
      onSettled: refresh,
    }),
    updateLicenses: useMutation({
      mutationFn: (args: { userIds: string[]; body: LicenseUpdateBody; requestId: string }) =>
        unwrap(
          api.POST('/v1/customers/{customerId}/licenseupdates', {
            params: { path: { customerId } },
            headers: { 'MS-RequestId': args.requestId },
            body: { userIds: args.userIds, ...args.body },
          }),
        ),
      onSettled: refresh,
    }),
  };
}
