// Settings → API tokens: every API token of the organisation with its owner, roles and use, sortable; create
// one of your own (its secret shown once) and revoke any.
import { useState } from 'react';
import { nextSort } from '../../../components/SortHeader.tsx';
import type { SortState } from '../../../components/SortHeader.tsx';
import { PagedList } from '../../../components/states.tsx';
import { useI18n } from '../../../i18n/i18n.tsx';
import { CreateTokenDialog } from './CreateTokenDialog.tsx';
import { RevokeTokenDialog } from './RevokeTokenDialog.tsx';
import { TokensTable } from './TokensTable.tsx';
import type { ApiToken, TokenSort } from './apitokens.queries.ts';
import { useTokensQuery } from './apitokens.queries.ts';

const PAGE_SIZE = 50;

export function ApiTokensPage() {
  const { t, number } = useI18n();
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiToken>();
  const [sort, setSort] = useState<SortState<TokenSort>>({ by: 'createdAt', order: 'asc' });
  const query = useTokensQuery(false, sort, PAGE_SIZE);
  const tokens = query.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section aria-labelledby="tokens-heading">
      <div className="toolbar">
        <h2 id="tokens-heading">{t('settings.apiTokens')}</h2>
        <button type="button" className="button primary" onClick={() => setCreating(true)}>
          {t('tokens.create')}
        </button>
      </div>
      {query.data && (
        <p className="muted">{t('tokens.total', { count: number(query.data.pages[0]?.totalCount ?? 0) })}</p>
      )}
      <PagedList query={query} count={tokens.length} empty={t('tokens.empty')}>
        <TokensTable
          tokens={tokens}
          labelledBy="tokens-heading"
          showOwner
          sort={sort}
          onSort={(field) => setSort((s) => nextSort(s, field))}
          onRevoke={setRevoking}
        />
      </PagedList>
      {creating && <CreateTokenDialog onClose={() => setCreating(false)} />}
      {revoking && <RevokeTokenDialog token={revoking} own={false} onClose={() => setRevoking(undefined)} />}
    </section>
  );
}
