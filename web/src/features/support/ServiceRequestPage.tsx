// /service-requests/:id (the reference number or the id): one service request. The header names it with its
// status, severity and — while no one has responded — when the first response is due, marked overdue once that
// time has passed. Then what can be done to it (for the roles that manage support), a note, its details, its
// files and its history in order. A closed request is read-only: only its reopening is offered. A change
// refused because someone else changed the request meanwhile (412) says so, with a button to read it again.
import { useEffect, useRef, useState } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { NotFoundNotice } from '../../components/NotFoundNotice.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Loading } from '../../components/states.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { useSupportAccess } from './access.ts';
import { Attachments } from './Attachments.tsx';
import { OverdueBadge, SeverityBadge, StatusBadge, useDuration } from './Badges.tsx';
import { actionsFor, awaitingResponse } from './model.ts';
import { NoteComposer, RequestActions } from './RequestActions.tsx';
import type { ServiceRequest } from './support.queries.ts';
import { useRequestMutations, useServiceRequest } from './support.queries.ts';
import { Timeline } from './Timeline.tsx';
import './support.css';

/** Someone changed the request since it was read: nothing was saved; read it again, then try again. */
function ConflictNotice(props: { onReload: () => void }) {
  const { t } = useI18n();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <div ref={ref} tabIndex={-1} className="alert alert-warning" role="alert">
      <p className="alert-title">{t('support.conflict.title')}</p>
      <p>{t('support.conflict.body')}</p>
      <button type="button" className="button secondary" onClick={props.onReload}>
        {t('support.conflict.reload')}
      </button>
    </div>
  );
}

function ResponseState(props: { request: ServiceRequest }) {
  const { t, dateTime } = useI18n();
  const r = props.request;
  if (r.isOverdue) return <OverdueBadge due={r.firstResponseDueDate} />;
  if (awaitingResponse(r))
    return <span>{t('support.one.dueAt', { time: dateTime(r.firstResponseDueDate) })}</span>;
  if (r.firstResponseDate)
    return <span className="muted">{t('support.respondedAt', { time: dateTime(r.firstResponseDate) })}</span>;
  return null;
}

function Details(props: { request: ServiceRequest; canOpenCustomers: boolean }) {
  const { t, dateTime, number } = useI18n();
  const duration = useDuration();
  const r = props.request;
  const c = r.primaryContact;
  const none = <span className="muted">{t('customer.none')}</span>;
  return (
    <section className="panel" aria-labelledby="sr-details">
      <h2 id="sr-details">{t('support.details.title')}</h2>
      <dl className="details">
        <dt>{t('support.details.customer')}</dt>
        <dd>
          {props.canOpenCustomers ? (
            <Link to={`/customers/${r.customerId}`}>{r.organization.name}</Link>
          ) : (
            r.organization.name
          )}
        </dd>
        <dt>{t('support.details.contact')}</dt>
        <dd>
          <span className="block">{`${c.firstName} ${c.lastName}`}</span>
          <span className="block">{c.email}</span>
          {c.phoneNumber && <span className="block">{c.phoneNumber}</span>}
        </dd>
        <dt>{t('support.details.topic')}</dt>
        <dd>{r.supportTopicName}</dd>
        <dt>{t('support.details.product')}</dt>
        <dd>{r.productName ?? r.productId ?? none}</dd>
        <dt>{t('support.details.createdBy')}</dt>
        <dd>{r.createdBy.name}</dd>
        <dt>{t('support.details.assignedTo')}</dt>
        <dd>{r.assignedTo ? r.assignedTo.name : <span className="muted">{t('support.unassigned')}</span>}</dd>
        <dt>{t('support.details.created')}</dt>
        <dd>{dateTime(r.createdDate)}</dd>
        <dt>{t('support.details.modified')}</dt>
        <dd>{t('support.details.by', { time: dateTime(r.lastModifiedDate), name: r.lastUpdatedBy.name })}</dd>
        <dt>{t('support.details.target')}</dt>
        <dd>
          {t('support.details.targetValue', {
            duration: duration(r.responseTargetMinutes),
            time: dateTime(r.firstResponseDueDate),
          })}
        </dd>
        <dt>{t('support.details.responded')}</dt>
        <dd>{r.firstResponseDate ? dateTime(r.firstResponseDate) : none}</dd>
        <dt>{t(r.status === 'closed' ? 'support.details.closed' : 'support.details.lastClosed')}</dt>
        <dd>{r.lastClosedDate ? dateTime(r.lastClosedDate) : none}</dd>
        <dt>{t('support.details.reopenCount')}</dt>
        <dd>{number(r.reopenCount)}</dd>
      </dl>
      <h3>{t('support.details.description')}</h3>
      <p className="sr-note-text">{r.description}</p>
    </section>
  );
}

export function ServiceRequestPage() {
  const { t } = useI18n();
  const { id = '' } = useParams();
  const location = useLocation();
  const created = (location.state as { created?: boolean } | null)?.created === true;
  const access = useSupportAccess();
  const request = useServiceRequest(id);
  const { reload } = useRequestMutations(id);
  const [done, setDone] = useState('');
  const [conflict, setConflict] = useState(false);

  if (request.isPending) return <Loading />;
  if (request.isError) {
    const e = request.error;
    if (e instanceof ApiError && (e.status === 404 || e.status === 400))
      return (
        <NotFoundNotice
          title={t('support.notFound.title')}
          body={t('support.notFound.body')}
          backTo="/service-requests"
          backLabel={t('support.backToList')}
        />
      );
    return <ErrorAlert error={e} onRetry={() => void request.refetch()} />;
  }
  const r = request.data;
  const actions = actionsFor(r, access.canManage);
  const change = {
    request: r,
    idOrNumber: id,
    onDone: (message: string) => {
      setConflict(false);
      setDone(message);
    },
    onConflict: () => {
      setDone('');
      setConflict(true);
    },
  };
  return (
    <section className="sr-request">
      <PageHeader title={`${r.referenceNumber} · ${r.title}`}>
        <p className="muted">
          <Link to="/service-requests">{t('support.backToList')}</Link>
        </p>
      </PageHeader>
      <p className="sr-summary">
        <StatusBadge status={r.status} /> <SeverityBadge severity={r.severity} />{' '}
        <ResponseState request={r} />
      </p>
      {created && !done && (
        <p className="alert alert-success" role="note">
          {t('support.one.created', { reference: r.referenceNumber })}
        </p>
      )}
      <p role="status" className="success">
        {done}
      </p>
      {conflict && (
        <ConflictNotice
          onReload={() => {
            setConflict(false);
            void reload();
          }}
        />
      )}
      {r.status === 'closed' && (
        <p className="alert alert-warning" role="note">
          {t('support.one.closedNote')}
        </p>
      )}
      <RequestActions {...change} access={access} />
      {actions.edit && <NoteComposer {...change} />}
      <Details request={r} canOpenCustomers={access.canOpenCustomers} />
      <Attachments
        request={r}
        idOrNumber={id}
        canAttach={actions.edit}
        onAttached={(name) => change.onDone(t('support.done.attached', { name }))}
      />
      <Timeline entries={r.history} />
    </section>
  );
}
