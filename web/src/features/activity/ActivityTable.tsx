// Activity records as a table. Newest first is the API's order; no sort control is offered, since sorting
// the loaded pages the other way would not show the oldest records of the range.
import type { AuditRecord } from '../../api/client.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { actionLabel } from './actions.ts';
import { summarizeDetails } from './details.ts';

export function ActivityTable(props: { records: AuditRecord[]; labelledBy: string }) {
  const { t, dateTime } = useI18n();
  return (
    // Scrolls sideways on narrow screens; focusable so that keyboard users can scroll it too.
    <div className="table-wrap" role="region" aria-labelledby={props.labelledBy} tabIndex={0}>
      <table>
        <thead>
          <tr>
            <th scope="col" aria-sort="descending">
              {t('activity.when')}
            </th>
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
              <td>
                <time dateTime={r.occurredAt}>{dateTime(r.occurredAt)}</time>
              </td>
              <td title={r.action}>{actionLabel(t, r.action)}</td>
              <td>{r.partnerUser.name}</td>
              <td>{r.customer?.name}</td>
              <td>
                <span className={`badge ${r.status}`}>{t(`activity.status.${r.status}`)}</span>
              </td>
              <td className="small">{summarizeDetails(t, r.additionalInformation)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
