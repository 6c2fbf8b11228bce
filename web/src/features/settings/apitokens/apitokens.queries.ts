// API tokens: the organisation's (Settings → API tokens) and your own (My profile). Both lists sit under one
// query key, so a change on either page refreshes both.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Role } from '../../../api/client.ts';
import { api, unwrap } from '../../../api/client.ts';
import type { paths } from '../../../api/schema';

export type ApiToken =
  paths['/v1/apitokens']['get']['responses'][200]['content']['application/json']['items'][number];

export const TOKENS_KEY = ['apitokens'] as const;

export function fetchTokens(opts: { size: number; continuationToken?: string }) {
  return unwrap(api.GET('/v1/apitokens', { params: { query: opts } }));
}

export function fetchOwnTokens(opts: { size: number; continuationToken?: string }) {
  return unwrap(api.GET('/v1/profiles/apitokens', { params: { query: opts } }));
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
