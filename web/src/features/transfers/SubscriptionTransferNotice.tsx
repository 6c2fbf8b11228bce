// On a subscription's page, its transfer between partners: for the partner it left, when it moved (it is kept
// as history and can no longer change); for the partner it moved to, when it arrived and the billing
// subscription id it had before. Either links to the transfer request.
import { Link } from 'react-router';
import { useI18n } from '../../i18n/i18n.tsx';
import { useTransferAccess } from './access.ts';

export function SubscriptionTransferNotice(props: {
  subscription: {
    status: string;
    transferId: string | null;
    transferredAt: string | null;
    transferredFromSubscriptionId: string | null;
  };
}) {
  const { t, dateTime } = useI18n();
  const access = useTransferAccess();
  const s = props.subscription;
  const when = s.transferredAt ? dateTime(s.transferredAt) : '';
  const link = access.canView && s.transferId && (
    <p>
      <Link to={`/transfers/${s.transferId}`}>{t('transfers.subscription.openRequest')}</Link>
    </p>
  );
  if (s.status === 'transferred')
    return (
      <div className="alert alert-warning">
        <p className="alert-title">{t('transfers.subscription.movedAway', { time: when })}</p>
        <p>{t('transfers.subscription.history')}</p>
        {link}
      </div>
    );
  if (!s.transferId || !s.transferredFromSubscriptionId) return null;
  return (
    <div className="alert">
      <p className="alert-title">{t('transfers.subscription.movedHere', { time: when })}</p>
      <p>
        {t('transfers.subscription.previousId')} <code>{s.transferredFromSubscriptionId}</code>
      </p>
      {link}
    </div>
  );
}
