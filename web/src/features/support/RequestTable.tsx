// Service requests as a table, the same on the Service requests page and a customer's tab: the reference
// number (a link to the request), title, customer (left out on the customer's own tab), severity, status,
// when it was made, when the first response is due, and who it is assigned to. An overdue request's row is
// marked, with an "Overdue" badge and the time the response was due.
import { Link } from 'react-router';
import { useI18n } from '../../i18n/i18n.tsx';
import { OverdueBadge, SeverityBadge, StatusBadge } from './Badges.tsx';
import { awaitingResponse } from './model.ts';
import type { ServiceRequestItem } from './support.queries.ts';

function FirstResponse(props: { request: ServiceRequestItem }) {
  const { t, dateTime } = useI18n();
  const r = props.request;
  if (r.isOverdue) return <OverdueBadge due={r.firstResponseDueDate} />;
  if (awaitingResponse(r)) return <>{dateTime(r.firstResponseDueDate)}</>;
  return (
    <span className="muted">
      {r.firstResponseDate
        ? t('support.respondedAt', { time: dateTime(r.firstResponseDate) })
        : t('customer.none')}
    </span>
  );
}

export function RequestTable(props: { items: ServiceRequestItem[]; label: string; showCustomer: boolean }) {
  const { t, dateTime } = useI18n();
  return (
    <div className="table-wrap" role="region" aria-label={props.label} tabIndex={0}>
      <table className="sr-table">
        <thead>
          <tr>
            <th scope="col">{t('support.column.reference')}</th>
            <th scope="col">{t('support.column.title')}</th>
            {props.showCustomer && <th scope="col">{t('support.column.customer')}</th>}
            <th scope="col">{t('support.column.severity')}</th>
            <th scope="col">{t('support.column.status')}</th>
            <th scope="col">{t('support.column.created')}</th>
            <th scope="col">{t('support.column.due')}</th>
            <th scope="col">{t('support.column.assignedTo')}</th>
          </tr>
        </thead>
        <tbody>
          {props.items.map((r) => (
            <tr key={r.id} className={r.isOverdue ? 'sr-overdue-row' : undefined}>
              <td data-label={t('support.column.reference')}>
                <Link
                  to={`/service-requests/${r.referenceNumber}`}
                  className="strong"
                  aria-label={t('support.list.open', { reference: r.referenceNumber, title: r.title })}
                >
                  {r.referenceNumber}
                </Link>
              </td>
              <td data-label={t('support.column.title')}>{r.title}</td>
              {props.showCustomer && <td data-label={t('support.column.customer')}>{r.organization.name}</td>}
              <td data-label={t('support.column.severity')}>
                <SeverityBadge severity={r.severity} />
              </td>
              <td data-label={t('support.column.status')}>
                <StatusBadge status={r.status} />
              </td>
              <td data-label={t('support.column.created')}>{dateTime(r.createdDate)}</td>
              <td data-label={t('support.column.due')}>
                <FirstResponse request={r} />
              </td>
              <td data-label={t('support.column.assignedTo')}>
                {r.assignedTo ? r.assignedTo.name : <span className="muted">{t('support.unassigned')}</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
