// Partner-user reads and writes for Settings → Users. Every write refreshes the list.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { PartnerUser, Role } from '../../../api/client.ts';
import { api, unwrap } from '../../../api/client.ts';

export const USERS_KEY = ['partnerusers'] as const;

export const USER_SORTS = ['displayName', 'userName', 'createdAt'] as const;
export type UserSort = (typeof USER_SORTS)[number];
export type SortOrder = 'asc' | 'desc';

export function fetchUsers(opts: {
  q?: string;
  size: number;
  continuationToken?: string;
  sort?: UserSort;
  order?: SortOrder;
}) {
  return unwrap(api.GET('/v1/partnerusers', { params: { query: opts } }));
}

export function useUserMutations() {
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: USERS_KEY });
  // If-Match: a change made meanwhile by someone else is refused (412) rather than overwritten.
  const update = (user: PartnerUser, body: { roles?: Role[]; state?: 'active' | 'inactive' }) =>
    unwrap(
      api.PATCH('/v1/partnerusers/{id}', {
        params: { path: { id: user.id } },
        body,
        headers: { 'If-Match': user.attributes.etag },
      }),
    );
  return {
    create: useMutation({
      mutationFn: (body: { userName: string; displayName: string; roles: Role[] }) =>
        unwrap(api.POST('/v1/partnerusers', { body })),
      onSuccess: refresh,
    }),
    update: useMutation({
      mutationFn: (args: { user: PartnerUser; roles?: Role[]; state?: 'active' | 'inactive' }) =>
        update(args.user, { roles: args.roles, state: args.state }),
      onSuccess: refresh,
    }),
    resetPassword: useMutation({
      mutationFn: (user: PartnerUser) =>
        unwrap(api.POST('/v1/partnerusers/{id}/resetpassword', { params: { path: { id: user.id } } })),
      onSuccess: refresh,
    }),
  };
}
