// /customer/partners — the customer admin's "Partner relationships": every partner the organisation has a
// reseller relationship with and whether it holds delegated admin privileges, which a Global admin may remove
// (after a confirmation naming what changes) while the relationship stays.
import { useId, useState } from 'react';
import { Dialog } from '../../components/Dialog.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PagedList } from '../../components/states.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { useCustomerPartners, usePortalActions } from './portal.queries.ts';
import type { CustomerMe, CustomerPartner } from './portalClient.ts';
import { SignedInCustomerPage } from './SignedInCustomerPage.tsx';

function RemoveDapDialog(props: { partner: CustomerPartner; onClose: () => void; onDone: () => void }) {
  const { t } = useI18n();
  const { removeDelegatedAdmin } = usePortalActions();
  const name = props.partner.name;
  return (
    <Dialog title={t('portal.removeDap.title', { partner: name })} onClose={props.onClose}>
      <ul>
        <li>{t('portal.removeDap.effectAccess', { partner: name })}</li>
        <li>{t('portal.removeDap.effectRelationship', { partner: name })}</li>
        <li>{t('portal.removeDap.effectSupport', { partner: name })}</li>
      </ul>
      {removeDelegatedAdmin.isError && <ErrorAlert error={removeDelegatedAdmin.error} />}
      <div className="actions">
        <button
          type="button"
          className="button primary"
          disabled={removeDelegatedAdmin.isPending}
          onClick={() => removeDelegatedAdmin.mutate(props.partner.id, { onSuccess: props.onDone })}
        >
          {removeDelegatedAdmin.isPending ? t('common.saving') : t('portal.removeDap.confirm')}
        </button>
        <button type="button" className="button secondary" onClick={props.onClose}>
          {t('common.cancel')}
        </button>
      </div>
    </Dialog>
  );
}

function PartnersList(props: { me: CustomerMe }) {
  const { t, dateTime } = useI18n();
  const headingId = useId();
  const partners = useCustomerPartners(true);
  const [removing, setRemoving] = useState<CustomerPartner>();
  const [removed, setRemoved] = useState<string>();
  const isGlobalAdmin = props.me.user.roles.includes('globalAdmin');
  const items = partners.data?.items ?? [];
  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId}>{t('portal.partners.listTitle', { organisation: props.me.customer.name })}</h2>
      <p className="muted">{t('portal.partners.intro')}</p>
      {!isGlobalAdmin && <p className="notice">{t('portal.partners.notGlobalAdmin')}</p>}
      <p role="status" className="success">
        {removed ? t('portal.removeDap.done', { partner: removed }) : ''}
      </p>
      <PagedList query={partners} count={items.length} empty={t('portal.partners.empty')}>
        <div className="table-wrap" role="region" aria-labelledby={headingId} tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('portal.partners.partner')}</th>
                <th scope="col">{t('portal.partners.dap')}</th>
                <th scope="col">{t('portal.partners.since')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('portal.partners.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((p) => (
                <tr key={p.id}>
                  <td data-label={t('portal.partners.partner')}>
                    <span className="strong">{p.name}</span>
                  </td>
                  <td data-label={t('portal.partners.dap')}>
                    <span className={`badge ${p.delegatedAdminPrivileges ? 'active' : 'inactive'}`}>
                      {p.delegatedAdminPrivileges ? t('portal.partners.dapYes') : t('portal.partners.dapNo')}
                    </span>
                  </td>
                  <td data-label={t('portal.partners.since')}>{dateTime(p.relationshipEstablishedAt)}</td>
                  <td
                    data-label={
                      isGlobalAdmin && p.delegatedAdminPrivileges ? t('portal.partners.actions') : undefined
                    }
                  >
                    {isGlobalAdmin && p.delegatedAdminPrivileges && (
                      <button
                        type="button"
                        className="button secondary"
                        aria-label={t('portal.removeDap.buttonNamed', { partner: p.name })}
                        onClick={() => {
                          setRemoved(undefined);
                          setRemoving(p);
                        }}
                      >
                        {t('portal.removeDap.button')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </PagedList>
      {removing && (
        <RemoveDapDialog
          partner={removing}
          onClose={() => setRemoving(undefined)}
          onDone={() => {
            setRemoved(removing.name);
            setRemoving(undefined);
          }}
        />
      )}
    </section>
  );
}

export function CustomerPartnersPage() {
  const { t } = useI18n();
  return (
    <SignedInCustomerPage title={t('portal.partners.title')} signInIntro={t('portal.partners.signInIntro')}>
      {(me) => <PartnersList me={me} />}
    </SignedInCustomerPage>
  );
}
