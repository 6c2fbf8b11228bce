// My profile → API tokens: the user's own tokens (any role may have them, unlike Settings → API tokens):
// create one with roles the user holds, its secret shown once, and revoke; the table sorts like the
// organisation's.
import { useState } from 'react';
import { nextSort } from '../../components/SortHeader.tsx';
import type { SortState } from '../../components/SortHeader.tsx';
import { PagedList } from '../../components/states.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { CreateTokenDialog } from '../settings/apitokens/CreateTokenDialog.tsx';
import { RevokeTokenDialog } from '../settings/apitokens/RevokeTokenDialog.tsx';
import { TokensTable } from '../settings/apitokens/TokensTable.tsx';
import type { ApiToken, TokenSort } from '../settings/apitokens/apitokens.queries.ts';
import { useTokensQuery } from '../settings/apitokens/apitokens.queries.ts';

const PAGE_SIZE = 25;

export function MyApiTokens() {
  const { t } = useI18n();
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiToken>();
  const [sort, setSort] = useState<SortState<TokenSort>>({ by: 'createdAt', order: 'asc' });
  const query = useTokensQuery(true, sort, PAGE_SIZE);
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
        <TokensTable
          tokens={tokens}
          labelledBy="my-tokens"
          showOwner={false}
          sort={sort}
          onSort={(field) => setSort((s) => nextSort(s, field))}
          onRevoke={setRevoking}
        />
      </PagedList>
      {creating && <CreateTokenDialog onClose={() => setCreating(false)} />}
      {revoking && <RevokeTokenDialog token={revoking} own onClose={() => setRevoking(undefined)} />}
    </section>
  );
}
