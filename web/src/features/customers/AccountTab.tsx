// The customer page's Account tab: company profile, billing profile, the relationship with its delegated admin
// privileges, and the customer agreement. "Update" opens each profile's form in place, for the roles the API
// allows: company details for customers.update (helpdesk agents too), the billing profile and the agreement for
// customers.updateBilling.
import { useState } from 'react';
import { allows } from '../../../../src/modules/partners/roles.ts';
import { useProfile } from '../../app/auth.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Loading } from '../../components/states.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { RemoveRelationshipPanel } from '../relationships/index.ts';
import { localeLabel } from './BillingContactFields.tsx';
import { ConfirmAgreementDialog } from './ConfirmAgreementDialog.tsx';
import { CopyButton } from './CopyButton.tsx';
import { useCustomerOfPage } from './CustomerPage.tsx';
import { useAgreements } from './customers.queries.ts';
import { AddressBlock, useDate, useDay } from './display.tsx';
import { EditBillingForm } from './EditBillingForm.tsx';
import { EditCompanyForm } from './EditCompanyForm.tsx';

function SavedNote(props: { shown: boolean }) {
  const { t } = useI18n();
  return (
    <p role="status" className="success">
      {props.shown ? t('common.saved') : ''}
    </p>
  );
}

function PanelHeader(props: {
  id: string;
  title: string;
  action?: { label: string; named: string; onClick: () => void };
}) {
  return (
    <div className="toolbar">
      <h2 id={props.id}>{props.title}</h2>
      {props.action && (
        <button
          type="button"
          className="button secondary"
          aria-label={props.action.named}
          onClick={props.action.onClick}
        >
          {props.action.label}
        </button>
      )}
    </div>
  );
}

function AgreementPanel(props: { canConfirm: boolean }) {
  const { t } = useI18n();
  const day = useDay();
  const c = useCustomerOfPage();
  const agreements = useAgreements(c.id);
  const [confirming, setConfirming] = useState(false);
  const [confirmed, setConfirmed] = useState(false);
  const latest = agreements.data?.items[0];
  return (
    <section className="panel" aria-labelledby="agreement-heading">
      <PanelHeader id="agreement-heading" title={t('customer.agreement.title')} />
      {agreements.isPending && <Loading />}
      {agreements.isError && (
        <ErrorAlert error={agreements.error} onRetry={() => void agreements.refetch()} />
      )}
      {agreements.isSuccess &&
        (latest ? (
          <dl className="details">
            <dt>{t('customer.agreement.status')}</dt>
            <dd>
              <span className="badge succeeded">{t('customer.agreement.confirmed')}</span>
            </dd>
            <dt>{t('customer.agreement.dateAgreed')}</dt>
            <dd>{day(latest.dateAgreed)}</dd>
            <dt>{t('customer.agreement.signer')}</dt>
            <dd>
              {`${latest.primaryContact.firstName} ${latest.primaryContact.lastName}`}
              <span className="block muted">{latest.primaryContact.email}</span>
              {latest.primaryContact.phoneNumber && (
                <span className="block muted">{latest.primaryContact.phoneNumber}</span>
              )}
            </dd>
            <dt>{t('customer.agreement.confirmedByLabel')}</dt>
            <dd>{t(`customer.agreement.by.${latest.confirmedBy}`)}</dd>
          </dl>
        ) : (
          <>
            <p>
              <span className="badge failed">{t('customer.agreement.notConfirmed')}</span>
            </p>
            <p>{t('customer.agreement.notConfirmedBody')}</p>
            {props.canConfirm && (
              <button type="button" className="button primary" onClick={() => setConfirming(true)}>
                {t('customer.agreement.confirm')}
              </button>
            )}
          </>
        ))}
      <p role="status" className="success">
        {confirmed ? t('customer.agreement.confirmedNow') : ''}
      </p>
      {confirming && (
        <ConfirmAgreementDialog
          customer={c}
          onClose={(done) => {
            setConfirming(false);
            if (done) setConfirmed(true);
          }}
        />
      )}
    </section>
  );
}

export function AccountTab() {
  const { t, locale } = useI18n();
  const date = useDate();
  const profile = useProfile();
  const c = useCustomerOfPage();
  const [editing, setEditing] = useState<'company' | 'billing'>();
  const [saved, setSaved] = useState<'company' | 'billing'>();
  const canUpdateCompany = allows(profile.roles, 'customers.update');
  const canUpdateBilling = allows(profile.roles, 'customers.updateBilling');
  const name = c.billingProfile.companyName;
  const done = (which: 'company' | 'billing') => (ok: boolean) => {
    setEditing(undefined);
    setSaved(ok ? which : undefined);
  };
  const open = (which: 'company' | 'billing') => {
    setEditing(which);
    setSaved(undefined);
  };
  const company = c.companyProfile;
  const billing = c.billingProfile;
  const none = <span className="muted">{t('customer.none')}</span>;
  return (
    <div className="account-tab">
      <section className="panel" aria-labelledby="company-heading">
        <PanelHeader
          id="company-heading"
          title={t('customer.company.title')}
          action={
            canUpdateCompany && editing !== 'company'
              ? {
                  label: t('customer.update'),
                  named: t('customer.company.updateNamed', { name }),
                  onClick: () => open('company'),
                }
              : undefined
          }
        />
        {editing === 'company' ? (
          <EditCompanyForm
            customerId={c.id}
            profile={company}
            country={billing.defaultAddress.country}
            onDone={done('company')}
          />
        ) : (
          <dl className="details">
            <dt>{t('customer.company.name')}</dt>
            <dd>{company.companyName}</dd>
            <dt>{t('customer.company.domain')}</dt>
            <dd>{company.domain}</dd>
            <dt>{t('customer.microsoftId')}</dt>
            <dd className="copy-value">
              <code>{company.tenantId}</code>
              <CopyButton value={company.tenantId} label={t('customers.copyIdOf', { name })} />
            </dd>
            <dt>{t('customer.company.registrationNumber')}</dt>
            <dd>{company.organizationRegistrationNumber || none}</dd>
          </dl>
        )}
        <SavedNote shown={saved === 'company'} />
      </section>

      <section className="panel" aria-labelledby="billing-heading">
        <PanelHeader
          id="billing-heading"
          title={t('customer.billing.title')}
          action={
            canUpdateBilling && editing !== 'billing'
              ? {
                  label: t('customer.update'),
                  named: t('customer.billing.updateNamed', { name }),
                  onClick: () => open('billing'),
                }
              : undefined
          }
        />
        {editing === 'billing' ? (
          <EditBillingForm customerId={c.id} profile={billing} onDone={done('billing')} />
        ) : (
          <dl className="details">
            <dt>{t('customer.billing.contact')}</dt>
            <dd>{`${billing.firstName} ${billing.lastName}`}</dd>
            <dt>{t('customer.billing.email')}</dt>
            <dd>{billing.email}</dd>
            <dt>{t('customer.billing.culture')}</dt>
            <dd>{localeLabel(billing.culture, locale)}</dd>
            <dt>{t('customer.billing.language')}</dt>
            <dd>{localeLabel(billing.language, locale)}</dd>
            <dt>{t('customer.billing.companyName')}</dt>
            <dd>{billing.companyName}</dd>
            <dt>{t('customer.billing.address')}</dt>
            <dd>
              <AddressBlock address={billing.defaultAddress} />
            </dd>
            <dt>{t('address.phoneNumber')}</dt>
            <dd>{billing.defaultAddress.phoneNumber || none}</dd>
          </dl>
        )}
        <SavedNote shown={saved === 'billing'} />
      </section>

      <section className="panel" aria-labelledby="relationship-heading">
        <PanelHeader id="relationship-heading" title={t('customer.relationship.title')} />
        <dl className="details">
          <dt>{t('customers.column.relationship')}</dt>
          <dd>{t(`customer.relationship.${c.relationshipToPartner}`)}</dd>
          <dt>{t('customer.dap')}</dt>
          <dd>{c.allowDelegatedAccess ? t('customer.dap.granted') : t('customer.dap.notGranted')}</dd>
          <dt>{t('customer.relationship.since')}</dt>
          <dd>{date(c.relationshipEstablishedAt)}</dd>
        </dl>
      </section>

      <RemoveRelationshipPanel customerId={c.id} customerName={c.billingProfile.companyName} />

      <AgreementPanel canConfirm={canUpdateBilling} />
    </div>
  );
}
