// Activity records as a list of cards (dashboard) — readable at any width without a table.
import type { AuditRecord } from '../../api/client.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { actionLabel } from './actions.ts';

export function ActivityList(props: { records: AuditRecord[] }) {
  const { t, dateTime } = useI18n();
  return (
    <ul className="activity-list">
      {props.records.map((r) => (
        <li key={r.id}>
          <span className="activity-action" title={r.action}>
            {actionLabel(t, r.action)}
          </span>
          <span className="muted">{r.partnerUser.name}</span>
          <span className={`badge ${r.status}`}>{t(`activity.status.${r.status}`)}</span>
          <time dateTime={r.occurredAt} className="muted small">
            {dateTime(r.occurredAt)}
          </time>
        </li>
      ))}
    </ul>
  );
}
