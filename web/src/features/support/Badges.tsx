// A request's status, severity and overdue flag as badges: the word always, the colour only as a help. The
// overdue badge says since when the first response is due.
import { useI18n } from '../../i18n/i18n.tsx';
import { useSupportLabels } from './labels.ts';
import { durationText } from './model.ts';
import './support.css';

export function StatusBadge(props: { status: string }) {
  const label = useSupportLabels();
  return <span className={`badge sr-status-${props.status}`}>{label('status', props.status)}</span>;
}

export function SeverityBadge(props: { severity: string }) {
  const label = useSupportLabels();
  return <span className={`badge sr-severity-${props.severity}`}>{label('severity', props.severity)}</span>;
}

export function OverdueBadge(props: { due: string }) {
  const { t, dateTime } = useI18n();
  return (
    <span className="sr-overdue">
      <span className="badge sr-overdue-badge">{t('support.overdue')}</span>{' '}
      <span className="small">{t('support.overdueSince', { time: dateTime(props.due) })}</span>
    </span>
  );
}

/** A response target in the reader's language (see durationText). */
export function useDuration(): (minutes: number) => string {
  const { locale } = useI18n();
  return (minutes) => durationText(locale, minutes);
}
