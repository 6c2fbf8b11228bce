// Settings → API tokens: every API token of the organisation with its owner, roles and use; create one of
// your own (its secret shown once) and revoke any.
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { paths } from '../../../api/schema';
import { Dialog } from '../../../components/Dialog.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { EmptyState, Loading } from '../../../components/states.tsx';
import { useI18n } from '../../../i18n/i18n.tsx';
import { nextToken } from '../../activity/activity.queries.ts';
import { CreateTokenDialog } from './CreateTokenDialog.tsx';
import { TOKENS_KEY, fetchTokens, useTokenMutations } from './apitokens.queries.ts';

type ApiToken =
  paths['/v1/apitokens']['get']['responses'][200]['content']['application/json']['items'][number];

const PAGE_SIZE = 50;

function stateOf(token: ApiToken, now: number): 'active' | 'revoked' | 'expired' {
  if (token.revokedAt) return 'revoked';
  if (token.expiresAt && Date.parse(token.expiresAt) <= now) return 'expired';
  return 'active';
}

function RevokeDialog(props: { token: ApiToken; onClose: () => void }) {
  const { t } = useI18n();
  const { revoke } = useTokenMutations();
  return (
    <Dialog title={t('tokens.revokeOf', { name: props.token.name })} onClose={props.onClose}>
      <p>{t('tokens.revokeBody')}</p>
      {revoke.isError && <ErrorAlert error={revoke.error} />}
      <div className="actions">
        <button
          type="button"
          className="button primary"
          disabled={revoke.isPending}
          onClick={() => revoke.mutate(props.token.id, { onSuccess: props.onClose })}
        >
          {t('tokens.revoke')}
        </button>
        <button type="button" className="button secondary" onClick={props.onClose}>
          {t('common.cancel')}
        </button>
      </div>
    </Dialog>
  );
}

export function ApiTokensPage() {
  const { t, dateTime, number } = useI18n();
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiToken>();
  const [now] = useState(() => Date.now());
  const query = useInfiniteQuery({
    queryKey: [...TOKENS_KEY, 'list'],
    queryFn: ({ pageParam }) => fetchTokens({ size: PAGE_SIZE, continuationToken: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => nextToken(last.links),
  });
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
      {query.isPending && <Loading />}
      {query.isError && <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />}
      {query.isSuccess && tokens.length === 0 && (
        <EmptyState>
          <p>{t('tokens.empty')}</p>
        </EmptyState>
      )}
      {tokens.length > 0 && (
        <div className="table-wrap" role="region" aria-labelledby="tokens-heading" tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('tokens.name')}</th>
                <th scope="col">{t('tokens.owner')}</th>
                <th scope="col">{t('tokens.roles')}</th>
                <th scope="col">{t('tokens.created')}</th>
                <th scope="col">{t('tokens.expires')}</th>
                <th scope="col">{t('tokens.lastUsed')}</th>
                <th scope="col">{t('tokens.state')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('users.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((token) => {
                const state = stateOf(token, now);
                return (
                  <tr key={token.id}>
                    <td>
                      <span className="strong">{token.name}</span>
                      <br />
                      <code className="muted small">pdk_{token.prefix}…</code>
                    </td>
                    <td>{token.owner.userName}</td>
                    <td>{token.roles.map((r) => t(`role.${r}`)).join(', ')}</td>
                    <td>{dateTime(token.createdAt)}</td>
                    <td>{token.expiresAt ? dateTime(token.expiresAt) : t('tokens.noExpiry')}</td>
                    <td>{token.lastUsedAt ? dateTime(token.lastUsedAt) : t('tokens.never')}</td>
                    <td>
                      <span className={`badge ${state === 'active' ? 'active' : 'inactive'}`}>
                        {t(`tokens.state.${state}`)}
                      </span>
                    </td>
                    <td>
                      {state === 'active' && (
                        <button type="button" className="link-button" onClick={() => setRevoking(token)}>
                          {t('tokens.revoke')}
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {query.hasNextPage && (
        <button
          type="button"
          className="button secondary"
          disabled={query.isFetchingNextPage}
          onClick={() => void query.fetchNextPage()}
        >
          {query.isFetchingNextPage ? t('common.loading') : t('common.loadMore')}
        </button>
      )}
      {creating && <CreateTokenDialog onClose={() => setCreating(false)} />}
      {revoking && <RevokeDialog token={revoking} onClose={() => setRevoking(undefined)} />}
    </section>
  );
}
