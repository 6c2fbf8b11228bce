// The navigation's count of overdue service requests, next to "Service requests": the number for the eye, a
// sentence for screen readers; nothing while none is overdue (or the count cannot be read).
import { useI18n } from '../../i18n/i18n.tsx';
import { useSupportSummary } from './support.queries.ts';
import './support.css';

export function ServiceRequestsNavBadge() {
  const { t, number } = useI18n();
  const summary = useSupportSummary();
  const overdue = summary.data?.overdue ?? 0;
  if (overdue === 0) return null;
  return (
    <>
      {' '}
      <span className="nav-badge sr-nav-overdue" aria-hidden="true">
        {number(overdue)}
      </span>
      <span className="visually-hidden">{t('support.nav.overdue', { count: number(overdue) })}</span>
    </>
  );
}
