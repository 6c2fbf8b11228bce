// The navigation's count of received transfer requests waiting for an answer, next to "Transfers": the number
// for the eye, a sentence for screen readers; nothing while none waits (or the count cannot be read).
import { useI18n } from '../../i18n/i18n.tsx';
import { useTransferSummary } from './transfers.queries.ts';
import './transfers.css';

export function TransfersNavBadge() {
  const { t, number } = useI18n();
  const summary = useTransferSummary();
  const waiting = summary.data?.receivedPending ?? 0;
  if (waiting === 0) return null;
  return (
    <>
      {' '}
      <span className="nav-badge" aria-hidden="true">
        {number(waiting)}
      </span>
      <span className="visually-hidden">{t('transfers.nav.waiting', { count: number(waiting) })}</span>
    </>
  );
}
