// The confirmations of a subscription's status changes. Suspending says what it does before it happens: the
// users lose access at once, its add-ons are suspended with it, and it is deleted on a named day (90 days on)
// unless reactivated. Cancelling (reservations, software) cannot be undone.
import { useId, useState } from 'react';
import { Dialog } from '../../components/Dialog.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
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
    <Dialog
      title={t('subscriptions.suspend.title', { name: s.friendlyName })}
      onClose={() => props.onClose(false)}
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
      {update.isError && <ErrorAlert error={update.error} />}
      <div className="actions">
        <button
          type="button"
          className="button danger"
          disabled={update.isPending}
          onClick={() =>
            update.mutate(
              { subscription: s, body: { status: 'suspended', suspensionReasons: [reason] } },
              { onSuccess: () => props.onClose(true) },
            )
          }
        >
          {update.isPending ? t('common.saving') : t('subscriptions.suspend.confirm')}
        </button>
        <button type="button" className="button secondary" onClick={() => props.onClose(false)}>
          {t('common.cancel')}
        </button>
      </div>
    </Dialog>
  );
}

export function CancelDialog(props: { subscription: Subscription; onClose: (done: boolean) => void }) {
  const { t } = useI18n();
  const s = props.subscription;
  const { cancel } = useSubscriptionMutations(s.customerId);
  return (
    <Dialog
      title={t('subscriptions.cancel.title', { name: s.friendlyName })}
      onClose={() => props.onClose(false)}
    >
      <p>{t('subscriptions.cancel.body', { name: s.friendlyName })}</p>
      {cancel.isError && <ErrorAlert error={cancel.error} />}
      <div className="actions">
        <button
          type="button"
          className="button danger"
          disabled={cancel.isPending}
          onClick={() => cancel.mutate(s, { onSuccess: () => props.onClose(true) })}
        >
          {cancel.isPending ? t('common.saving') : t('subscriptions.cancel.confirm')}
        </button>
        <button type="button" className="button secondary" onClick={() => props.onClose(false)}>
          {t('subscriptions.cancel.keep')}
        </button>
      </div>
    </Dialog>
  );
}
