// /portal/transfers/:transferId — the page a partner's transfer request link opens. The customer's admin signs
// in with the organisation's own account (replacing a temporary password first), reads who asks to take over
// which Azure subscriptions from which partner, and consents or declines (after a confirmation); or reads why
// the request can no longer be answered (not a Global admin, answered already, expired, withdrawn, done).
import { useId, useState } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Loading } from '../../components/states.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { useCustomerTransfers, usePortalActions } from './portal.queries.ts';
import type { CustomerMe, CustomerTransfer } from './portalClient.ts';
import { SignedInCustomerPage } from './SignedInCustomerPage.tsx';
import { REFUSED_TITLE, STATE_MESSAGE, consentState, refusal, statusTone } from './transfers.model.ts';

export function TransferStatusBadge(props: { status: CustomerTransfer['status'] }) {
  const { t } = useI18n();
  return (
    <span className={`badge ${statusTone(props.status)}`}>{t(`portalTransfers.status.${props.status}`)}</span>
  );
}

function Subscriptions(props: { transfer: CustomerTransfer }) {
  const { t } = useI18n();
  const headingId = useId();
  return (
    <>
      <h3 id={headingId}>{t('portalTransfers.subscriptions')}</h3>
      <div className="table-wrap" role="region" aria-labelledby={headingId} tabIndex={0}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('portalTransfers.subscription')}</th>
              <th scope="col">{t('portalTransfers.offer')}</th>
              <th scope="col">{t('portalTransfers.azureId')}</th>
              <th scope="col">{t('portalTransfers.lineStatus')}</th>
            </tr>
          </thead>
          <tbody>
            {props.transfer.lineItems.map((line) => (
              <tr key={line.id}>
                <td data-label={t('portalTransfers.subscription')}>
                  <span className="strong">{line.friendlyName}</span>
                </td>
                <td data-label={t('portalTransfers.offer')}>{line.offerName}</td>
                <td data-label={t('portalTransfers.azureId')}>
                  <code>{line.azureSubscriptionId ?? t('portalTransfers.noAzureId')}</code>
                </td>
                <td data-label={t('portalTransfers.lineStatus')}>
                  {t(`portalTransfers.line.${line.status}`)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function DeclineDialog(props: {
  transfer: CustomerTransfer;
  pending: boolean;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const { targetPartnerName: target, sourcePartnerName: source } = props.transfer;
  return (
    <ConfirmDialog
      title={t('portalTransfers.decline.title', { target })}
      onCancel={props.onClose}
      onConfirm={props.onConfirm}
      confirmLabel={t('portalTransfers.decline.confirm')}
      danger
      pending={props.pending}
      // The page shows a refused answer itself (AnswerError), in its own words.
      error={null}
    >
      <ul>
        <li>{t('portalTransfers.decline.effectRejected', { target })}</li>
        <li>{t('portalTransfers.decline.effectStay', { source })}</li>
      </ul>
    </ConfirmDialog>
  );
}

/** Why an answer was refused, in the page's words; other errors as the API says them. */
function AnswerError(props: { error: unknown; organisation: string }) {
  const { t } = useI18n();
  const kind = props.error instanceof ApiError ? refusal(props.error.name) : undefined;
  if (!kind) return <ErrorAlert error={props.error} />;
  return (
    <div className="alert alert-error" role="alert">
      <p className="alert-title">{t(`portalTransfers.refused.${kind}.title`)}</p>
      <p>{t(`portalTransfers.refused.${kind}.body`, { organisation: props.organisation })}</p>
    </div>
  );
}

function Answer(props: { transfer: CustomerTransfer; me: CustomerMe }) {
  const { t, dateTime } = useI18n();
  const headingId = useId();
  const { answerTransfer } = usePortalActions();
  const [declining, setDeclining] = useState(false);
  const [done, setDone] = useState<'consented' | 'declined'>();
  const transfer = props.transfer;
  const isGlobalAdmin = props.me.user.roles.includes('globalAdmin');
  const state = consentState(transfer, isGlobalAdmin);
  // The day the state's explanation speaks of: the answer's, the expiry's, or the end's.
  const day =
    state === 'consented' || state === 'declined'
      ? transfer.consentedAt
      : state === 'expired'
        ? transfer.expiresAt
        : transfer.completedTime;
  const params = {
    source: transfer.sourcePartnerName,
    target: transfer.targetPartnerName,
    organisation: props.me.customer.name,
    by: transfer.consentedBy ?? '',
    date: day ? dateTime(day) : '',
  };
  const answer = (decision: 'consent' | 'decline') =>
    answerTransfer.mutate(
      { transferId: transfer.id, decision },
      {
        onSuccess: () => setDone(decision === 'consent' ? 'consented' : 'declined'),
        onSettled: () => setDeclining(false),
      },
    );
  const pending = (decision: 'consent' | 'decline') =>
    answerTransfer.isPending && answerTransfer.variables?.decision === decision;
  return (
    <section className="portal-card" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('portalTransfers.answer.title')}</h2>
      <p role="status" className="success">
        {done ? t(`portalTransfers.done.${done}`, params) : ''}
      </p>
      {answerTransfer.isError && (
        <AnswerError error={answerTransfer.error} organisation={props.me.customer.name} />
      )}
      {state === 'answer' ? (
        <>
          <p>{t('portalTransfers.answer.consentMeans', params)}</p>
          <p>{t('portalTransfers.answer.declineMeans', params)}</p>
          <div className="actions">
            <button
              type="button"
              className="button primary"
              disabled={answerTransfer.isPending}
              onClick={() => {
                setDone(undefined);
                answer('consent');
              }}
            >
              {pending('consent')
                ? t('portalTransfers.consent.submitting')
                : t('portalTransfers.consent.button')}
            </button>
            <button
              type="button"
              className="button secondary"
              disabled={answerTransfer.isPending}
              onClick={() => {
                answerTransfer.reset();
                setDone(undefined);
                setDeclining(true);
              }}
            >
              {t('portalTransfers.decline.button')}
            </button>
          </div>
        </>
      ) : REFUSED_TITLE[state] ? (
        <div className="alert alert-warning">
          <p className="alert-title">{t(REFUSED_TITLE[state])}</p>
          <p>{t(STATE_MESSAGE[state], params)}</p>
        </div>
      ) : (
        <p className="notice">{t(STATE_MESSAGE[state], params)}</p>
      )}
      {declining && (
        <DeclineDialog
          transfer={transfer}
          pending={pending('decline')}
          onConfirm={() => answer('decline')}
          onClose={() => setDeclining(false)}
        />
      )}
    </section>
  );
}

function Request(props: { transfer: CustomerTransfer; me: CustomerMe }) {
  const { t, dateTime } = useI18n();
  const headingId = useId();
  const transfer = props.transfer;
  const target = transfer.targetPartnerName;
  const source = transfer.sourcePartnerName;
  return (
    <>
      <section className="portal-card" aria-labelledby={headingId}>
        <h2 id={headingId}>{t('portalTransfers.asks', { target, source })}</h2>
        <dl className="details">
          <dt>{t('portalTransfers.from')}</dt>
          <dd>{source}</dd>
          <dt>{t('portalTransfers.to')}</dt>
          <dd>{target}</dd>
          <dt>{t('portalTransfers.status')}</dt>
          <dd>
            <TransferStatusBadge status={transfer.status} />
          </dd>
          <dt>{t('portalTransfers.requestedOn')}</dt>
          <dd>{dateTime(transfer.createdTime)}</dd>
          {transfer.expiresAt && (
            <>
              <dt>
                {transfer.status === 'expired'
                  ? t('portalTransfers.expiredOn')
                  : t('portalTransfers.answerBy')}
              </dt>
              <dd>{dateTime(transfer.expiresAt)}</dd>
            </>
          )}
          {transfer.consentedAt && (
            <>
              <dt>
                {transfer.customerConsent === 'declined'
                  ? t('portalTransfers.declinedBy')
                  : t('portalTransfers.consentedBy')}
              </dt>
              <dd>
                {t('portalTransfers.byOn', {
                  by: transfer.consentedBy ?? '',
                  date: dateTime(transfer.consentedAt),
                })}
              </dd>
            </>
          )}
        </dl>
        {transfer.note && (
          <>
            <h3>{t('portalTransfers.note', { target })}</h3>
            <p className="portal-note">{transfer.note}</p>
          </>
        )}
        <Subscriptions transfer={transfer} />
        <p className="muted">{t('portalTransfers.whatMoves')}</p>
      </section>
      <Answer transfer={transfer} me={props.me} />
    </>
  );
}

function Review(props: { transferId: string; me: CustomerMe }) {
  const { t } = useI18n();
  const transfers = useCustomerTransfers(true);
  if (transfers.isPending) return <Loading />;
  if (transfers.isError)
    return <ErrorAlert error={transfers.error} onRetry={() => void transfers.refetch()} />;
  const transfer = transfers.data.items.find((item) => item.id === props.transferId);
  if (!transfer)
    return (
      <section className="portal-card" aria-labelledby="transfer-not-found">
        <h2 id="transfer-not-found">{t('portalTransfers.notFound.title')}</h2>
        <p>{t('portalTransfers.notFound.body', { organisation: props.me.customer.name })}</p>
        <p>
          <Link to="/portal/transfers">{t('portalTransfers.toList')}</Link>
        </p>
      </section>
    );
  return (
    <>
      <Request transfer={transfer} me={props.me} />
      <p>
        <Link to="/portal/transfers">{t('portalTransfers.toList')}</Link>
      </p>
    </>
  );
}

export function TransferConsentPage() {
  const { transferId = '' } = useParams();
  const { t } = useI18n();
  return (
    <SignedInCustomerPage
      title={t('portalTransfers.pageTitle')}
      signInIntro={t('portalTransfers.signInIntro')}
    >
      {(me) => <Review transferId={transferId} me={me} />}
    </SignedInCustomerPage>
  );
}
