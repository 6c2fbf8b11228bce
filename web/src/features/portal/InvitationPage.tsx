// /invitations/:token — the page a partner's invitation link opens. It shows the partner and what it asks
// (or says plainly that the link is unknown, expired or withdrawn), then leads the customer's admin through
// signing in with the organisation's own account, replacing a temporary password, confirming the customer
// agreement if the organisation has not yet, and accepting; then a confirmation.
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../api/client.ts';
import type { DayValue } from '../../components/DateField.tsx';
import { DateField } from '../../components/DateField.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { TextField } from '../../components/TextField.tsx';
import { Loading } from '../../components/states.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { CustomerPasswordForm } from './CustomerPasswordForm.tsx';
import { CustomerSignInForm } from './CustomerSignInForm.tsx';
import { useCustomerMe, useInvitationPreview, usePortalActions } from './portal.queries.ts';
import type { Acceptance, CustomerMe, InvitationPreview } from './portalClient.ts';
import { useCustomerSession } from './portalClient.ts';

/** A country's name in the page's language (ISO code when the browser does not know it). */
function useCountryName(code: string): string {
  const { locale } = useI18n();
  return useMemo(() => {
    try {
      return new Intl.DisplayNames([locale], { type: 'region' }).of(code) ?? code;
    } catch {
      return code;
    }
  }, [locale, code]);
}

function Unavailable(props: { error: unknown; onRetry: () => void }) {
  const { t } = useI18n();
  const name = props.error instanceof ApiError ? props.error.name : '';
  const known =
    name === 'invitationNotFound'
      ? (['invitation.notFound.title', 'invitation.notFound.body'] as const)
      : name === 'invitationExpired'
        ? (['invitation.expired.title', 'invitation.expired.body'] as const)
        : name === 'invitationRevoked'
          ? (['invitation.revoked.title', 'invitation.revoked.body'] as const)
          : undefined;
  if (!known)
    return (
      <>
        <PageHeader title={t('invitation.pageTitle')} />
        <ErrorAlert error={props.error} onRetry={props.onRetry} />
      </>
    );
  return (
    <>
      <PageHeader title={t(known[0])} />
      <div className="portal-card">
        <p>{t(known[1])}</p>
      </div>
    </>
  );
}

function Summary(props: { invitation: InvitationPreview }) {
  const { t, dateTime } = useI18n();
  const headingId = useId();
  const { partner, includesDelegatedAdminPrivileges: dap } = props.invitation;
  const country = useCountryName(partner.country);
  return (
    <section className="portal-card" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('invitation.asked')}</h2>
      <dl className="details">
        <dt>{t('invitation.partner')}</dt>
        <dd>{partner.name}</dd>
        <dt>{t('invitation.country')}</dt>
        <dd>{country}</dd>
        <dt>{t('invitation.instance')}</dt>
        <dd>{t(`instance.${partner.instance}`)}</dd>
        <dt>{t('invitation.request')}</dt>
        <dd>{dap ? t('invitation.request.withDap') : t('invitation.request.withoutDap')}</dd>
        <dt>{t('invitation.validUntil')}</dt>
        <dd>{dateTime(props.invitation.expiresAt)}</dd>
      </dl>
      <p>{t('invitation.reseller', { partner: partner.name })}</p>
      <p>
        {dap
          ? t('invitation.dapExplained', { partner: partner.name })
          : t('invitation.noDapExplained', { partner: partner.name })}
      </p>
    </section>
  );
}

const AGREEMENT_FIELDS = ['firstName', 'lastName', 'email', 'phoneNumber'] as const;
type AgreementText = Record<(typeof AGREEMENT_FIELDS)[number], string>;

function AcceptForm(props: {
  token: string;
  invitation: InvitationPreview;
  me: CustomerMe;
  onAccepted: (acceptance: Acceptance) => void;
}) {
  const { t } = useI18n();
  const headingId = useId();
  const { accept } = usePortalActions();
  const needsAgreement = !props.me.customerAgreement.confirmed;
  const isGlobalAdmin = props.me.user.roles.includes('globalAdmin');
  const [fields, setFields] = useState<AgreementText>({
    firstName: '',
    lastName: '',
    email: '',
    phoneNumber: '',
  });
  const [date, setDate] = useState<DayValue>({ day: undefined, valid: true });
  const [submitted, setSubmitted] = useState(false);
  const error = accept.error instanceof ApiError ? accept.error : undefined;
  const fieldError = (name: string) => error?.fieldError(`customerAgreement.${name}`);
  const partner = props.invitation.partner.name;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (needsAgreement && !date.valid) return;
    accept.mutate(
      {
        token: props.token,
        customerAgreement: needsAgreement
          ? {
              firstName: fields.firstName.trim(),
              lastName: fields.lastName.trim(),
              email: fields.email.trim(),
              phoneNumber: fields.phoneNumber.trim() || null,
              dateAgreed: date.day ?? '',
            }
          : undefined,
      },
      { onSuccess: props.onAccepted },
    );
  };

  const label: Record<(typeof AGREEMENT_FIELDS)[number], string> = {
    firstName: t('invitation.agreement.firstName'),
    lastName: t('invitation.agreement.lastName'),
    email: t('invitation.agreement.email'),
    phoneNumber: t('invitation.agreement.phoneNumber'),
  };

  return (
    <section className="portal-card" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('invitation.accept.title')}</h2>
      {!isGlobalAdmin ? (
        <div className="alert alert-error">
          <p className="alert-title">{t('invitation.notGlobalAdmin.title')}</p>
          <p>{t('invitation.notGlobalAdmin.body', { organisation: props.me.customer.name })}</p>
        </div>
      ) : (
        <form onSubmit={onSubmit} noValidate>
          <p>{t('invitation.accept.intro', { partner, organisation: props.me.customer.name })}</p>
          {accept.isError && <ErrorAlert error={accept.error} />}
          {needsAgreement && (
            <fieldset className="portal-fields">
              <legend>{t('invitation.agreement.legend')}</legend>
              <p className="hint">{t('invitation.agreement.intro')}</p>
              {AGREEMENT_FIELDS.map((name) => (
                <TextField
                  key={name}
                  label={label[name]}
                  name={name}
                  type={name === 'email' ? 'email' : name === 'phoneNumber' ? 'tel' : 'text'}
                  autoComplete={
                    name === 'firstName'
                      ? 'given-name'
                      : name === 'lastName'
                        ? 'family-name'
                        : name === 'email'
                          ? 'email'
                          : 'tel'
                  }
                  required={name !== 'phoneNumber'}
                  value={fields[name]}
                  error={fieldError(name)}
                  onChange={(e) => setFields((f) => ({ ...f, [name]: e.target.value }))}
                />
              ))}
              <DateField
                label={t('invitation.agreement.dateAgreed')}
                name="dateAgreed"
                initial={undefined}
                onChange={setDate}
                showInvalid={submitted}
                error={fieldError('dateAgreed')}
              />
            </fieldset>
          )}
          <button type="submit" className="button primary" disabled={accept.isPending}>
            {accept.isPending ? t('invitation.accept.submitting') : t('invitation.accept.submit')}
          </button>
        </form>
      )}
    </section>
  );
}

function Accepted(props: { acceptance: Acceptance }) {
  const { t } = useI18n();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const { partner, outcome, delegatedAdminPrivileges: dap } = props.acceptance;
  const what =
    outcome === 'unchanged'
      ? t('invitation.done.unchanged', { partner: partner.name })
      : outcome === 'delegatedAdminGranted'
        ? t('invitation.done.granted', { partner: partner.name })
        : t('invitation.done.created', { partner: partner.name });
  return (
    <section className="portal-card portal-done" aria-labelledby="invitation-done">
      <h2 id="invitation-done" ref={heading} tabIndex={-1}>
        {t('invitation.done.title')}
      </h2>
      <p>{what}</p>
      <p>
        {dap
          ? t('invitation.done.withDap', { partner: partner.name })
          : t('invitation.done.withoutDap', { partner: partner.name })}
      </p>
      <p>
        <Link to="/customer/partners">{t('invitation.done.managePartners')}</Link>
      </p>
    </section>
  );
}

function Flow(props: { token: string; invitation: InvitationPreview }) {
  const { t } = useI18n();
  const session = useCustomerSession();
  const me = useCustomerMe();
  const [acceptance, setAcceptance] = useState<Acceptance>();
  const partner = props.invitation.partner.name;
  let step;
  if (acceptance) step = <Accepted acceptance={acceptance} />;
  else if (!session) step = <CustomerSignInForm intro={t('invitation.signInIntro', { partner })} />;
  else if (me.isPending) step = <Loading />;
  else if (me.isError) step = <ErrorAlert error={me.error} onRetry={() => void me.refetch()} />;
  else if (me.data.user.mustChangePassword) step = <CustomerPasswordForm userName={me.data.user.userName} />;
  else
    step = (
      <AcceptForm token={props.token} invitation={props.invitation} me={me.data} onAccepted={setAcceptance} />
    );
  return (
    <>
      <PageHeader title={t('invitation.title', { partner })} />
      <Summary invitation={props.invitation} />
      {step}
    </>
  );
}

export function InvitationPage() {
  const { token = '' } = useParams();
  const { t } = useI18n();
  const preview = useInvitationPreview(token);
  if (preview.isPending)
    return (
      <>
        <PageHeader title={t('invitation.pageTitle')} />
        <Loading />
      </>
    );
  if (preview.isError) return <Unavailable error={preview.error} onRetry={() => void preview.refetch()} />;
  return <Flow token={token} invitation={preview.data} />;
}
