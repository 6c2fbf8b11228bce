// The partner's side of reseller relationships over the console's API client: the invitation link for a
// choice of DAP, the invitations list and revoking, the removal preflight and the removal.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client.ts';
import type { paths } from '../../api/schema';
import { nextToken } from '../activity/activity.queries.ts';

export type RelationshipRequest =
  paths['/v1/customers/relationshiprequests']['get']['responses'][200]['content']['application/json'];
export type Invitation =
  paths['/v1/relationshipinvitations']['get']['responses'][200]['content']['application/json']['items'][number];
export type RemovalCheck =
  paths['/v1/customers/{customerId}/relationship/removal-check']['get']['responses'][200]['content']['application/json'];

export const RELATIONSHIPS_KEY = ['relationships'] as const;
const INVITATIONS_KEY = [...RELATIONSHIPS_KEY, 'invitations'] as const;

/** The partner's current link for this choice (made on first request, so the invitations list refreshes). */
export function useRelationshipRequest(includeDap: boolean, enabled: boolean) {
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: [...RELATIONSHIPS_KEY, 'request', includeDap],
    queryFn: async () => {
      const link = await unwrap(
        api.GET('/v1/customers/relationshiprequests', {
          params: { query: { includeDelegatedAdminPrivileges: includeDap } },
        }),
      );
      void queryClient.invalidateQueries({ queryKey: INVITATIONS_KEY });
      return link;
    },
    enabled,
    staleTime: 0,
  });
}

export function useInvitations(size: number) {
  return useInfiniteQuery({
    queryKey: [...INVITATIONS_KEY, size],
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/v1/relationshipinvitations', { params: { query: { size, continuationToken: pageParam } } }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => nextToken(last.links),
  });
}

export function useRevokeInvitation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      unwrap(api.DELETE('/v1/relationshipinvitations/{id}', { params: { path: { id } } })),
    // A revoked link is no longer the current one: the next request makes a new link.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: RELATIONSHIPS_KEY }),
  });
}

export function useRemovalCheck(customerId: string) {
  return useQuery({
    queryKey: [...RELATIONSHIPS_KEY, 'removal-check', customerId],
    queryFn: () =>
      unwrap(
        api.GET('/v1/customers/{customerId}/relationship/removal-check', {
          params: { path: { customerId } },
        }),
      ),
    staleTime: 0,
  });
}

export function useRemoveRelationship(customerId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () =>
      unwrap(
        api.PATCH('/v1/customers/{customerId}', {
          params: { path: { customerId } },
          body: { relationshipToPartner: 'none' },
        }),
      ),
    // The customer left the list, its pages and every count: mark them stale, to be read again where they are
    // next shown. Not refetched now: the customer's own page is still open and would turn into "not found"
    // under the confirmation before it leads to the list.
    onSuccess: () =>
      queryClient.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'profile', refetchType: 'none' }),
  });
}
