// The confirmations of a subscription's status changes. Suspending says what it does before it happens: the
// users lose access at once, its add-ons are suspended with it, and it is deleted on a named day (90 days on)
// unless reactivated. Cancelling (reservations, software) cannot be undone.
import { useId, useState } from 'react';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { useDate } from '../customers/display.tsx';
import { useLabels } from './labels.ts';
import type { SuspensionReason } from './model.ts';
import { DELETION_DAYS, SUSPENSION_REASONS, deletionDateFrom } from './model.ts';
import type { Subscription } from './subscriptions.queries.ts';
import { useSubscriptionMutations } from './subscriptions.queries.ts';

export function SuspendDialog(props: { subscription: Subscription; onClose: (done: boolean) => void }) {
  const { t } = useI18n();
  const date = useDate();
  const label = useLabels();
  const legendId = useId();
  const s = props.subscription;
  const { update } = useSubscriptionMutations(s.customerId);
  const [reason, setReason] = useState<SuspensionReason>('partnerInitiated');
  const deletion = date(deletionDateFrom(new Date()).toISOString());
  return (
    <ConfirmDialog
      title={t('subscriptions.suspend.title', { name: s.friendlyName })}
      onCancel={() => props.onClose(false)}
      onConfirm={() =>
        update.mutate(
          { subscription: s, body: { status: 'suspended', suspensionReasons: [reason] } },
          { onSuccess: () => props.onClose(true) },
        )
      }
      confirmLabel={t('subscriptions.suspend.confirm')}
      danger
      pending={update.isPending}
      error={update.error}
    >
      <div className="alert alert-warning">
        <p className="alert-title">{t('subscriptions.suspend.lossTitle')}</p>
        <p>{t('subscriptions.suspend.loss', { name: s.friendlyName })}</p>
        <p className="strong">
          {t('subscriptions.suspend.deletion', { date: deletion, days: DELETION_DAYS })}
        </p>
        {!s.isAddOn && <p>{t('subscriptions.suspend.addOns')}</p>}
      </div>
      <fieldset className="roles" aria-labelledby={legendId}>
        <legend id={legendId}>{t('subscriptions.suspend.reason')}</legend>
        {SUSPENSION_REASONS.map((r) => (
          <label key={r} className="checkbox">
            <input
              type="radio"
              name="suspensionReason"
              value={r}
              checked={reason === r}
              onChange={() => setReason(r)}
            />
            {label('reason', r)}
          </label>
        ))}
      </fieldset>
    </ConfirmDialog>
  );
}

export function CancelDialog(props: { subscription: Subscription; onClose: (done: boolean) => void }) {
  const { t } = useI18n();
  const s = props.subscription;
  const { cancel } = useSubscriptionMutations(s.customerId);
  return (
    <ConfirmDialog
      title={t('subscriptions.cancel.title', { name: s.friendlyName })}
      onCancel={() => props.onClose(false)}
      onConfirm={() => cancel.mutate(s, { onSuccess: () => props.onClose(true) })}
      confirmLabel={t('subscriptions.cancel.confirm')}
      cancelLabel={t('subscriptions.cancel.keep')}
      danger
      pending={cancel.isPending}
      error={cancel.error}
    >
      <p>{t('subscriptions.cancel.body', { name: s.friendlyName })}</p>
    </ConfirmDialog>
  );
}
