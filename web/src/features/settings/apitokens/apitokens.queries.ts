// API tokens: the organisation's (Settings → API tokens) and your own (My profile). Both lists sit under one
// query key, so a change on either page refreshes both.
import { keepPreviousData, useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import type { Role } from '../../../api/client.ts';
import { api, unwrap } from '../../../api/client.ts';
import type { paths } from '../../../api/schema';
import type { SortState } from '../../../components/SortHeader.tsx';
import { nextToken } from '../../activity/activity.queries.ts';

export type ApiToken =
  paths['/v1/apitokens']['get']['responses'][200]['content']['application/json']['items'][number];

export const TOKENS_KEY = ['apitokens'] as const;

/** How every secret begins (pdk_…): the token format, the same in every language, not a message. */
export const SECRET_PREFIX = 'pdk_';

export type TokenSort = NonNullable<
  NonNullable<paths['/v1/apitokens']['get']['parameters']['query']>['sort']
>;

export interface TokenListOptions {
  size: number;
  continuationToken?: string;
  sort?: TokenSort;
  order?: 'asc' | 'desc';
}

export function fetchTokens(opts: TokenListOptions) {
  return unwrap(api.GET('/v1/apitokens', { params: { query: opts } }));
}

export function fetchOwnTokens(opts: TokenListOptions) {
  return unwrap(api.GET('/v1/profiles/apitokens', { params: { query: opts } }));
}

/**
 * The organisation's tokens (`own` false) or the caller's, in `sort` order, a page at a time. The sort is part
 * of the query key: a new sort is a new list, read again from its first page, while the table (and the header
 * button just pressed) stays in place until that page arrives.
 */
export function useTokensQuery(own: boolean, sort: SortState<TokenSort>, size: number) {
  return useInfiniteQuery({
    queryKey: [...TOKENS_KEY, own ? 'own' : 'list', sort.by, sort.order],
    queryFn: ({ pageParam }) =>
      (own ? fetchOwnTokens : fetchTokens)({
        size,
        continuationToken: pageParam,
        sort: sort.by,
        order: sort.order,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => nextToken(last.links),
    placeholderData: keepPreviousData,
  });
}

export function useTokenMutations() {
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: TOKENS_KEY });
  return {
    create: useMutation({
      mutationFn: (body: { name: string; roles: Role[]; expiresInDays?: number }) =>
        unwrap(api.POST('/v1/profiles/apitokens', { body })),
      onSuccess: refresh,
    }),
    /** `own`: through /v1/profiles (any user may revoke their own; the organisation's needs a user manager). */
    revoke: useMutation({
      mutationFn: ({ id, own }: { id: string; own: boolean }) =>
        unwrap(
          own
            ? api.DELETE('/v1/profiles/apitokens/{id}', { params: { path: { id } } })
            : api.DELETE('/v1/apitokens/{id}', { params: { path: { id } } }),
        ),
      onSuccess: refresh,
    }),
  };
}
