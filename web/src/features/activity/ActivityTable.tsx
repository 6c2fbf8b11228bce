// Activity records as a table, newest or oldest first: the When column's header button asks the API for the
// other order (sorting only the loaded pages would not show the other end of the range). On narrow screens
// each row is a card, every value labelled with its column (data-label).
import { Link } from 'react-router';
import type { AuditRecord } from '../../api/client.ts';
import { canOpen } from '../../app/access.ts';
import { useProfile } from '../../app/auth.tsx';
import { SortHeader } from '../../components/SortHeader.tsx';
import type { SortOrder } from '../../components/SortHeader.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { actionLabel } from './actions.ts';
import { summarizeDetails } from './details.ts';

export function ActivityTable(props: {
  records: AuditRecord[];
  labelledBy: string;
  order: SortOrder;
  onToggleOrder: () => void;
}) {
  const { t, dateTime } = useI18n();
  // The customer's page, for roles that open customers (a billing admin reads the log but not customers).
  const seesCustomers = canOpen(useProfile().roles, 'customers');
  return (
    // Focusable, so that keyboard users can scroll it where it is wider than the screen.
    <div className="table-wrap" role="region" aria-labelledby={props.labelledBy} tabIndex={0}>
      <table>
        <thead>
          <tr>
            <SortHeader
              field="occurredAt"
              label={t('activity.when')}
              sort={{ by: 'occurredAt', order: props.order }}
              onSort={props.onToggleOrder}
            />
            <th scope="col">{t('activity.action')}</th>
            <th scope="col">{t('activity.user')}</th>
            <th scope="col">{t('activity.customer')}</th>
            <th scope="col">{t('activity.status')}</th>
            <th scope="col">{t('activity.details')}</th>
          </tr>
        </thead>
        <tbody>
          {props.records.map((r) => (
            <tr key={r.id}>
              <td data-label={t('activity.when')}>
                <time dateTime={r.occurredAt}>{dateTime(r.occurredAt)}</time>
              </td>
              <td data-label={t('activity.action')} title={r.action}>
                {actionLabel(t, r.action)}
              </td>
              <td data-label={t('activity.user')}>{r.partnerUser.name}</td>
              <td data-label={r.customer ? t('activity.customer') : undefined}>
                {r.customer && seesCustomers ? (
                  <Link to={`/customers/${r.customer.id}`}>{r.customer.name}</Link>
                ) : (
                  r.customer?.name
                )}
              </td>
              <td data-label={t('activity.status')}>
                <span className={`badge ${r.status}`}>{t(`activity.status.${r.status}`)}</span>
              </td>
              <td data-label={t('activity.details')} className="small">
                {summarizeDetails(t, r.additionalInformation)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
