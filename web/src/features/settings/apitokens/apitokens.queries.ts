// The organisation's API tokens (Settings → API tokens): list, create one of your own, revoke any.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Role } from '../../../api/client.ts';
import { api, unwrap } from '../../../api/client.ts';

export const TOKENS_KEY = ['apitokens'] as const;

export function fetchTokens(opts: { size: number; continuationToken?: string }) {
  return unwrap(api.GET('/v1/apitokens', { params: { query: opts } }));
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
    revoke: useMutation({
      mutationFn: (id: string) => unwrap(api.DELETE('/v1/apitokens/{id}', { params: { path: { id } } })),
      onSuccess: refresh,
    }),
  };
}
