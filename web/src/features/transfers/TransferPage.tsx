// /transfers/:transferId: one transfer request, for either party. Its status, the parties (which way the
// subscriptions go), the customer's consent (and, while it is awaited, the link to send the customer), the
// subscriptions with both ids — the billing subscription id and the Azure subscription id, and the target's new
// billing subscription id once moved — each with its status and error, and the timeline of everything that
// happened. While the subscriptions move, a progress bar, read again every 2 s until the request ends.
// The source accepts (once the customer has consented; until then the button says why it waits) or rejects;
// the target cancels while pending. Just after creating it (state.created), the target reads what happens next.
import { useId, useState } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { NotFoundNotice } from '../../components/NotFoundNotice.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Loading } from '../../components/states.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { CopyButton } from '../customers/CopyButton.tsx';
import { CopyField } from '../relationships/CopyField.tsx';
import { useTransferAccess } from './access.ts';
import { useTransferLabels } from './labels.ts';
import { actionsFor } from './model.ts';
import { AcceptDialog, CancelRequestDialog, RejectDialog } from './TransferDialogs.tsx';
import type { TimelineEntry, Transfer } from './transfers.queries.ts';
import { useTransfer } from './transfers.queries.ts';
import { TransferStatusBadge } from './TransferStatusBadge.tsx';
import './transfers.css';

type Done = 'accepted' | 'rejected' | 'cancelled';

function Progress(props: { transfer: Transfer }) {
  const { t, number } = useI18n();
  const p = props.transfer.progress;
  const percent = t('transfers.progress.percent', { percent: number(p.percent) });
  return (
    <div className="transfer-progress">
      <progress
        max={100}
        value={p.percent}
        aria-label={t('transfers.progress.label')}
        aria-valuetext={percent}
      />
      <p role="status" className="strong">
        {`${percent} · ${t('transfers.progress.counts', {
          completed: number(p.completed),
          failed: number(p.failed),
          total: number(p.total),
        })}`}
      </p>
    </div>
  );
}

function Consent(props: { transfer: Transfer }) {
  const { t, dateTime } = useI18n();
  const label = useTransferLabels();
  const x = props.transfer;
  const c = x.customerConsent;
  const awaiting = x.status === 'pending' && c.status === 'pending';
  return (
    <section className="panel" aria-labelledby="transfer-consent">
      <h2 id="transfer-consent">{t('transfers.consent.title')}</h2>
      <p>
        <span className={`badge consent-${c.status}`}>{label('consent', c.status)}</span>{' '}
        {c.status === 'given' && c.consentedAt
          ? t('transfers.consent.givenBy', { name: c.consentedBy ?? '', time: dateTime(c.consentedAt) })
          : c.status === 'declined'
            ? t('transfers.consent.declinedBody')
            : awaiting
              ? t('transfers.consent.awaitingBody')
              : ''}
      </p>
      {awaiting && (
        <CopyField
          label={t('transfers.consent.link')}
          copyLabel={t('transfers.consent.copyLink')}
          value={c.url}
        />
      )}
    </section>
  );
}

/** What the target reads just after sending the request. */
function NextSteps(props: { transfer: Transfer }) {
  const { t, dateTime } = useI18n();
  const x = props.transfer;
  return (
    <section className="alert alert-success next-steps" aria-labelledby="transfer-next">
      <h2 id="transfer-next" className="alert-title">
        {t('transfers.next.title')}
      </h2>
      <ol>
        <li>{t('transfers.next.send', { customer: x.customerName })}</li>
        <li>{t('transfers.next.consent')}</li>
        <li>{t('transfers.next.source', { partner: x.sourcePartnerName })}</li>
        <li>{t('transfers.next.move')}</li>
      </ol>
      {x.expiresAt && <p>{t('transfers.next.expires', { time: dateTime(x.expiresAt) })}</p>}
    </section>
  );
}

function LineItems(props: { transfer: Transfer }) {
  const { t } = useI18n();
  const x = props.transfer;
  const copy = (value: string, what: string, name: string) => (
    <span className="copy-value">
      <code>{value}</code>
      <CopyButton
        value={value}
        label={t(
          what === 'azure'
            ? 'transfers.line.copyAzureId'
            : what === 'new'
              ? 'transfers.line.copyNewId'
              : 'transfers.line.copyId',
          { name },
        )}
      />
    </span>
  );
  return (
    <section>
      <h2 id="transfer-lines">{t('transfers.lines.title')}</h2>
      <div className="table-wrap" role="region" aria-labelledby="transfer-lines" tabIndex={0}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('transfers.column.subscription')}</th>
              <th scope="col">{t('transfers.column.billingId')}</th>
              <th scope="col">{t('transfers.column.azureId')}</th>
              <th scope="col">{t('transfers.column.newId')}</th>
              <th scope="col">{t('transfers.column.lineStatus')}</th>
            </tr>
          </thead>
          <tbody>
            {x.lineItems.map((l) => (
              <tr key={l.id}>
                <td data-label={t('transfers.column.subscription')}>
                  <span className="strong">{l.friendlyName}</span>
                  <span className="block muted small">{l.offerName}</span>
                </td>
                <td data-label={t('transfers.column.billingId')}>
                  {copy(l.subscriptionId, 'id', l.friendlyName)}
                </td>
                <td data-label={t('transfers.column.azureId')}>
                  {l.azureSubscriptionId ? (
                    copy(l.azureSubscriptionId, 'azure', l.friendlyName)
                  ) : (
                    <span className="muted">{t('customer.none')}</span>
                  )}
                </td>
                {l.newSubscriptionId ? (
                  <td data-label={t('transfers.column.newId')}>
                    {copy(l.newSubscriptionId, 'new', l.friendlyName)}
                  </td>
                ) : (
                  <td />
                )}
                <td data-label={t('transfers.column.lineStatus')}>
                  <TransferStatusBadge status={l.status} line />
                  {l.transferError && (
                    <span className="block field-error">{l.transferError.description}</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Timeline(props: { transfer: Transfer }) {
  const { t, dateTime } = useI18n();
  const label = useTransferLabels();
  const x = props.transfer;
  const entries = x.timeline ?? [];
  const detail = (e: TimelineEntry): string | undefined => {
    const d = e.details;
    const reason = typeof d.reason === 'string' ? d.reason : undefined;
    const subscriptionId = typeof d.subscriptionId === 'string' ? d.subscriptionId : undefined;
    const line = subscriptionId ? x.lineItems.find((l) => l.subscriptionId === subscriptionId) : undefined;
    const error =
      typeof d.errorDescription === 'string'
        ? d.errorDescription
        : typeof d.description === 'string'
          ? d.description
          : undefined;
    return [line?.friendlyName, reason, error].filter(Boolean).join(' · ') || undefined;
  };
  return (
    <section aria-labelledby="transfer-timeline">
      <h2 id="transfer-timeline">{t('transfers.timeline.title')}</h2>
      {entries.length === 0 ? (
        <p className="muted">{t('transfers.timeline.none')}</p>
      ) : (
        <ol className="transfer-timeline">
          {entries.map((e, i) => (
            <li key={`${e.occurredAt}${i}`}>
              <time dateTime={e.occurredAt} className="muted small block">
                {dateTime(e.occurredAt)}
              </time>
              <span className="strong">{label('event', e.event)}</span>{' '}
              <span className="muted">
                {t('transfers.timeline.by', { name: e.actor.name, side: label('side', e.actor.side) })}
              </span>
              {detail(e) && <span className="block">{detail(e)}</span>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

export function TransferPage() {
  const { t, dateTime } = useI18n();
  const label = useTransferLabels();
  const { transferId = '' } = useParams();
  const location = useLocation();
  const created = (location.state as { created?: boolean } | null)?.created === true;
  const access = useTransferAccess();
  const transfer = useTransfer(transferId);
  const [dialog, setDialog] = useState<'accept' | 'reject' | 'cancel'>();
  const [done, setDone] = useState<Done>();
  const waitId = useId();
  const x = transfer.data;
  const running = x?.status === 'inProgress';
  // Announce the end of the move once the polling sees it.
  const [wasRunning, setWasRunning] = useState(false);
  if (running && !wasRunning) setWasRunning(true);

  if (transfer.isPending) return <Loading />;
  if (transfer.isError) {
    const e = transfer.error;
    if (e instanceof ApiError && (e.status === 404 || e.status === 400))
      return (
        <NotFoundNotice
          title={t('transfers.notFound.title')}
          body={t('transfers.notFound.body')}
          backTo="/transfers"
          backLabel={t('transfers.backToList')}
        />
      );
    return <ErrorAlert error={e} onRetry={() => void transfer.refetch()} />;
  }
  const r = transfer.data;
  const actions = actionsFor(r, access.canManage);
  const doneText: Record<Done, string> = {
    accepted: t('transfers.done.accepted'),
    rejected: t('transfers.done.rejected'),
    cancelled: t('transfers.done.cancelled'),
  };
  const close = (which: Done) => (ok: boolean) => {
    setDialog(undefined);
    if (ok) setDone(which);
  };
  const ended =
    wasRunning && !running ? t('transfers.done.finished', { status: label('status', r.status) }) : '';
  return (
    <section className="transfer-page">
      <PageHeader title={t('transfers.one.title', { customer: r.customerName })}>
        <p className="muted">
          <Link to={r.direction === 'received' ? '/transfers' : '/transfers?direction=sent'}>
            {t('transfers.backToList')}
          </Link>
          {access.canOpenCustomers && (
            <>
              {' · '}
              <Link to={`/customers/${r.customerTenantId}/subscriptions`}>
                {t('transfers.one.customerLink', { customer: r.customerName })}
              </Link>
            </>
          )}
        </p>
      </PageHeader>
      <div className="toolbar">
        <p className="transfer-status">
          {t('transfers.column.status')}: <TransferStatusBadge status={r.status} />
        </p>
      </div>
      {created && r.status === 'pending' && <NextSteps transfer={r} />}
      <p role="status" className="success">
        {ended || (done ? doneText[done] : '')}
      </p>
      {access.refusedHere && isPendingAction(r) && (
        <p className="alert alert-warning" role="note">
          {t('transfers.refusedHere')}
        </p>
      )}
      {running && <Progress transfer={r} />}

      {(actions.accept !== 'hidden' || actions.reject !== 'hidden' || actions.cancel !== 'hidden') && (
        <section className="panel" aria-labelledby="transfer-actions">
          <h2 id="transfer-actions">{t('transfers.actions.title')}</h2>
          <div className="actions">
            {actions.accept !== 'hidden' && (
              <button
                type="button"
                className="button primary"
                disabled={actions.accept !== 'enabled'}
                aria-describedby={actions.accept === 'awaitingConsent' ? waitId : undefined}
                onClick={() => setDialog('accept')}
              >
                {t('transfers.accept.open')}
              </button>
            )}
            {actions.reject !== 'hidden' && (
              <button type="button" className="button danger" onClick={() => setDialog('reject')}>
                {t('transfers.reject.open')}
              </button>
            )}
            {actions.cancel !== 'hidden' && (
              <button type="button" className="button danger" onClick={() => setDialog('cancel')}>
                {t('transfers.cancel.open')}
              </button>
            )}
          </div>
          {actions.accept === 'awaitingConsent' && (
            <p id={waitId} className="hint">
              {t('transfers.accept.awaitingConsent', { customer: r.customerName })}
            </p>
          )}
        </section>
      )}
      {dialog === 'accept' && <AcceptDialog transfer={r} onClose={close('accepted')} />}
      {dialog === 'reject' && <RejectDialog transfer={r} onClose={close('rejected')} />}
      {dialog === 'cancel' && <CancelRequestDialog transfer={r} onClose={close('cancelled')} />}

      <section className="panel" aria-labelledby="transfer-details">
        <h2 id="transfer-details">{t('transfers.details.title')}</h2>
        <dl className="details">
          <dt>{t('transfers.details.customer')}</dt>
          <dd>{r.customerName}</dd>
          <dt>{t('transfers.details.from')}</dt>
          <dd>
            {r.sourcePartnerName}
            {r.direction === 'received' && (
              <span className="muted">{` (${t('transfers.details.you')})`}</span>
            )}
          </dd>
          <dt>{t('transfers.details.to')}</dt>
          <dd>
            {r.targetPartnerName}
            {r.direction === 'sent' && <span className="muted">{` (${t('transfers.details.you')})`}</span>}
          </dd>
          <dt>{t('transfers.details.created')}</dt>
          <dd>
            {t('transfers.details.createdBy', { time: dateTime(r.createdTime), name: r.createdBy.name })}
          </dd>
          {r.status === 'pending' && r.expiresAt && (
            <>
              <dt>{t('transfers.details.expires')}</dt>
              <dd>{dateTime(r.expiresAt)}</dd>
            </>
          )}
          {r.acceptedTime && (
            <>
              <dt>{t('transfers.details.accepted')}</dt>
              <dd>
                {r.acceptedBy
                  ? t('transfers.details.acceptedBy', { time: dateTime(r.acceptedTime), name: r.acceptedBy })
                  : dateTime(r.acceptedTime)}
              </dd>
            </>
          )}
          {r.completedTime && (
            <>
              <dt>{t('transfers.details.completed')}</dt>
              <dd>{dateTime(r.completedTime)}</dd>
            </>
          )}
          {r.rejection && (
            <>
              <dt>{t('transfers.details.rejection')}</dt>
              <dd>
                {t(
                  r.rejection.by === 'customer'
                    ? 'transfers.details.rejectedByCustomer'
                    : 'transfers.details.rejectedBySource',
                  {
                    time: dateTime(r.rejection.rejectedAt),
                  },
                )}
                {r.rejection.reason && <span className="block">{r.rejection.reason}</span>}
              </dd>
            </>
          )}
          <dt>{t('transfers.details.note')}</dt>
          <dd>{r.note ? r.note : <span className="muted">{t('customer.none')}</span>}</dd>
          <dt>{t('transfers.details.id')}</dt>
          <dd>
            <code>{r.id}</code>
          </dd>
        </dl>
      </section>
      <Consent transfer={r} />
      <LineItems transfer={r} />
      <Timeline transfer={r} />
    </section>
  );
}

/** A request still waiting for an answer (the read-only note matters only then). */
const isPendingAction = (x: Transfer) => x.status === 'pending';
