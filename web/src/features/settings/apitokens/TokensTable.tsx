// API tokens as a table (the organisation's with their owners, or your own), each active one revocable. The
// revoke button names its token, so a screen reader's list of buttons tells them apart.
import { useState } from 'react';
import { useI18n } from '../../../i18n/i18n.tsx';
import type { ApiToken } from './apitokens.queries.ts';

function stateOf(token: ApiToken, now: number): 'active' | 'revoked' | 'expired' {
  if (token.revokedAt) return 'revoked';
  if (token.expiresAt && Date.parse(token.expiresAt) <= now) return 'expired';
  return 'active';
}

export function TokensTable(props: {
  tokens: ApiToken[];
  labelledBy: string;
  showOwner: boolean;
  onRevoke: (token: ApiToken) => void;
}) {
  const { t, dateTime } = useI18n();
  const [now] = useState(() => Date.now());
  return (
    <div className="table-wrap" role="region" aria-labelledby={props.labelledBy} tabIndex={0}>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('tokens.name')}</th>
            {props.showOwner && <th scope="col">{t('tokens.owner')}</th>}
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
          {props.tokens.map((token) => {
            const state = stateOf(token, now);
            return (
              <tr key={token.id}>
                <td>
                  <span className="strong">{token.name}</span>
                  <br />
                  <code className="muted small">pdk_{token.prefix}…</code>
                </td>
                {props.showOwner && <td>{token.owner.userName}</td>}
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
