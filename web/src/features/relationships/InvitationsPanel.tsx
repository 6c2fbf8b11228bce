// Where it is mounted: on /customers/invitations (InvitationsPage, this feature's "manage invitations" page);
// the customers pages (web/src/features/customers/) may mount it too. The partner's invitation links, newest
// first, with what each asks, its state, how many customers accepted it and who made it; an active one can be
// revoked after a confirmation.
import { useId, useState } from 'react';
import { Dialog } from '../../components/Dialog.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PagedList } from '../../components/states.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import type { Invitation } from './relationships.queries.ts';
import { useInvitations, useRevokeInvitation } from './relationships.queries.ts';
import './relationships.css';

const PAGE_SIZE = 50;
/** How every link's token begins (pdi_…): the token format, the same in every language, not a message. */
const LINK_PREFIX = 'pdi_';

function RevokeDialog(props: { invitation: Invitation; onClose: () => void }) {
  const { t } = useI18n();
  const revoke = useRevokeInvitation();
  const name = `${LINK_PREFIX}${props.invitation.tokenPrefix}…`;
  return (
    <Dialog title={t('relationships.invitations.revokeTitle', { link: name })} onClose={props.onClose}>
      <p>{t('relationships.invitations.revokeBody')}</p>
      {revoke.isError && <ErrorAlert error={revoke.error} />}
      <div className="actions">
        <button
          type="button"
          className="button primary"
          disabled={revoke.isPending}
          onClick={() => revoke.mutate(props.invitation.id, { onSuccess: props.onClose })}
        >
          {t('relationships.invitations.revoke')}
        </button>
        <button type="button" className="button secondary" onClick={props.onClose}>
          {t('common.cancel')}
        </button>
      </div>
    </Dialog>
  );
}

export function InvitationsPanel() {
  const { t, dateTime, number } = useI18n();
  const headingId = useId();
  const query = useInvitations(PAGE_SIZE);
  const [revoking, setRevoking] = useState<Invitation>();
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId}>{t('relationships.invitations.title')}</h2>
      <p className="muted">{t('relationships.invitations.intro')}</p>
      <PagedList query={query} count={items.length} empty={t('relationships.invitations.empty')}>
        <div className="table-wrap" role="region" aria-labelledby={headingId} tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('relationships.invitations.link')}</th>
                <th scope="col">{t('relationships.invitations.dap')}</th>
                <th scope="col">{t('relationships.invitations.state')}</th>
                <th scope="col">{t('relationships.invitations.created')}</th>
                <th scope="col">{t('relationships.invitations.expires')}</th>
                <th scope="col">{t('relationships.invitations.accepted')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('relationships.invitations.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((inv) => {
                const name = `${LINK_PREFIX}${inv.tokenPrefix}…`;
                return (
                  <tr key={inv.id}>
                    <td data-label={t('relationships.invitations.link')}>
                      <code>{name}</code>
                      {inv.createdBy.userName && (
                        <>
                          <br />
                          <span className="muted small">
                            {t('relationships.invitations.createdBy', { user: inv.createdBy.userName })}
                          </span>
                        </>
                      )}
                    </td>
                    <td data-label={t('relationships.invitations.dap')}>
                      {inv.includeDelegatedAdminPrivileges
                        ? t('relationships.invitations.dapYes')
                        : t('relationships.invitations.dapNo')}
                    </td>
                    <td data-label={t('relationships.invitations.state')}>
                      <span className={`badge ${inv.state === 'active' ? 'active' : 'inactive'}`}>
                        {t(`relationships.invitations.state.${inv.state}`)}
                      </span>
                    </td>
                    <td data-label={t('relationships.invitations.created')}>{dateTime(inv.createdAt)}</td>
                    <td data-label={t('relationships.invitations.expires')}>
                      {inv.state === 'revoked' && inv.revokedAt
                        ? t('relationships.invitations.revokedAt', { date: dateTime(inv.revokedAt) })
                        : dateTime(inv.expiresAt)}
                    </td>
                    <td data-label={t('relationships.invitations.accepted')}>{number(inv.acceptedCount)}</td>
                    <td
                      data-label={inv.state === 'active' ? t('relationships.invitations.actions') : undefined}
                    >
                      {inv.state === 'active' && (
                        <button
                          type="button"
                          className="link-button"
                          aria-label={t('relationships.invitations.revokeNamed', { link: name })}
                          onClick={() => setRevoking(inv)}
                        >
                          {t('relationships.invitations.revoke')}
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </PagedList>
      {revoking && <RevokeDialog invitation={revoking} onClose={() => setRevoking(undefined)} />}
    </section>
  );
}
