// My profile → API tokens: the user's own tokens (any role may have them, unlike Settings → API tokens):
// create one with roles the user holds, its secret shown once, and revoke.
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { PagedList } from '../../components/states.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { nextToken } from '../activity/activity.queries.ts';
import { CreateTokenDialog } from '../settings/apitokens/CreateTokenDialog.tsx';
import { RevokeTokenDialog } from '../settings/apitokens/RevokeTokenDialog.tsx';
import { TokensTable } from '../settings/apitokens/TokensTable.tsx';
import type { ApiToken } from '../settings/apitokens/apitokens.queries.ts';
import { TOKENS_KEY, fetchOwnTokens } from '../settings/apitokens/apitokens.queries.ts';

const PAGE_SIZE = 25;

export function MyApiTokens() {
  const { t } = useI18n();
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiToken>();
  const query = useInfiniteQuery({
    queryKey: [...TOKENS_KEY, 'own'],
    queryFn: ({ pageParam }) => fetchOwnTokens({ size: PAGE_SIZE, continuationToken: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => nextToken(last.links),
  });
  const tokens = query.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section className="panel" aria-labelledby="my-tokens">
      <div className="toolbar">
        <h2 id="my-tokens">{t('profile.apiTokens')}</h2>
        <button type="button" className="button primary" onClick={() => setCreating(true)}>
          {t('tokens.create')}
        </button>
      </div>
      <PagedList query={query} count={tokens.length} empty={t('profile.noTokens')}>
        <TokensTable tokens={tokens} labelledBy="my-tokens" showOwner={false} onRevoke={setRevoking} />
      </PagedList>
      {creating && <CreateTokenDialog onClose={() => setCreating(false)} />}
      {revoking && <RevokeTokenDialog token={revoking} own onClose={() => setRevoking(undefined)} />}
    </section>
  );
}
