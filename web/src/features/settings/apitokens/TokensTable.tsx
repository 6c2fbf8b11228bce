// API tokens as a table (the organisation's with their owners, or your own), each active one revocable. The
// revoke button names its token, so a screen reader's list of buttons tells them apart. Name, creation, expiry
// and last use sort through the API (a header button; the same column again reverses the order).
import { useState } from 'react';
import { SortHeader } from '../../../components/SortHeader.tsx';
import type { SortState } from '../../../components/SortHeader.tsx';
import { useI18n } from '../../../i18n/i18n.tsx';
import type { ApiToken, TokenSort } from './apitokens.queries.ts';
import { SECRET_PREFIX } from './apitokens.queries.ts';

function stateOf(token: ApiToken, now: number): 'active' | 'revoked' | 'expired' {
  if (token.revokedAt) return 'revoked';
  if (token.expiresAt && Date.parse(token.expiresAt) <= now) return 'expired';
  return 'active';
}

export function TokensTable(props: {
  tokens: ApiToken[];
  labelledBy: string;
  showOwner: boolean;
  sort: SortState<TokenSort>;
  onSort: (field: TokenSort) => void;
  onRevoke: (token: ApiToken) => void;
}) {
  const { t, dateTime } = useI18n();
  const [now] = useState(() => Date.now());
  const header = (field: TokenSort, label: string) => (
    <SortHeader field={field} label={label} sort={props.sort} onSort={props.onSort} />
  );
  return (
    <div className="table-wrap" role="region" aria-labelledby={props.labelledBy} tabIndex={0}>
      <table>
        <thead>
          <tr>
            {header('name', t('tokens.name'))}
            {props.showOwner && <th scope="col">{t('tokens.owner')}</th>}
            <th scope="col">{t('tokens.roles')}</th>
            {header('createdAt', t('tokens.created'))}
            {header('expiresAt', t('tokens.expires'))}
            {header('lastUsedAt', t('tokens.lastUsed'))}
            <th scope="col">{t('tokens.state')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('users.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {props.tokens.map((token) => {
            const state = stateOf(token, now);
            return (
              <tr key={token.id}>
                <td data-label={t('tokens.name')}>
                  <span className="strong">{token.name}</span>
                  <br />
                  <code className="muted small">{`${SECRET_PREFIX}${token.prefix}…`}</code>
                </td>
                {props.showOwner && <td data-label={t('tokens.owner')}>{token.owner.userName}</td>}
                <td data-label={t('tokens.roles')}>{token.roles.map((r) => t(`role.${r}`)).join(', ')}</td>
                <td data-label={t('tokens.created')}>{dateTime(token.createdAt)}</td>
                <td data-label={t('tokens.expires')}>
                  {token.expiresAt ? dateTime(token.expiresAt) : t('tokens.noExpiry')}
                </td>
                <td data-label={t('tokens.lastUsed')}>
                  {token.lastUsedAt ? dateTime(token.lastUsedAt) : t('tokens.never')}
                </td>
                <td data-label={t('tokens.state')}>
                  <span className={`badge ${state === 'active' ? 'active' : 'inactive'}`}>
                    {t(`tokens.state.${state}`)}
                  </span>
                </td>
                <td data-label={state === 'active' ? t('users.actions') : undefined}>
                  {state === 'active' && (
                    <button
                      type="button"
                      className="link-button"
                      aria-label={t('tokens.revokeNamed', { name: token.name })}
                      onClick={() => props.onRevoke(token)}
                    >
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
  );
}
