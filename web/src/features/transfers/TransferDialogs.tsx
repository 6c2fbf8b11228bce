// The answers to a transfer request, each said before it happens. Accepting (the source) names what it
// costs: the subscriptions chosen leave you for the target partner, you lose access to them, billing to you
// stops at the transfer time, and reservations never move. Rejecting (the source) needs a reason, which the
// target partner reads. Cancelling (the target) withdraws the request.
import { useId, useState } from 'react';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { acceptIds } from './model.ts';
import type { Transfer } from './transfers.queries.ts';
import { useTransferMutations } from './transfers.queries.ts';

export function AcceptDialog(props: { transfer: Transfer; onClose: (done: boolean) => void }) {
  const { t, number } = useI18n();
  const x = props.transfer;
  const legendId = useId();
  const hintId = useId();
  const { accept } = useTransferMutations(x.customerTenantId);
  const [chosen, setChosen] = useState<string[]>(() => x.lineItems.map((l) => l.subscriptionId));
  const [tried, setTried] = useState(false);
  const none = chosen.length === 0;
  return (
    <ConfirmDialog
      title={t('transfers.accept.title', { customer: x.customerName })}
      onCancel={() => props.onClose(false)}
      onConfirm={() => {
        setTried(true);
        if (none) return;
        accept.mutate(
          { transferId: x.id, subscriptionIds: acceptIds(x.lineItems, chosen) },
          { onSuccess: () => props.onClose(true) },
        );
      }}
      confirmLabel={t('transfers.accept.confirm', { count: number(chosen.length) })}
      danger
      pending={accept.isPending}
      error={accept.error}
    >
      <div className="alert alert-warning">
        <p className="alert-title">{t('transfers.accept.warningTitle', { partner: x.targetPartnerName })}</p>
        <ul>
          <li>{t('transfers.accept.loseAccess')}</li>
          <li>{t('transfers.accept.billing')}</li>
          <li>{t('transfers.accept.reservations')}</li>
        </ul>
      </div>
      <fieldset
        className="roles"
        aria-labelledby={legendId}
        aria-describedby={tried && none ? hintId : undefined}
      >
        <legend id={legendId}>{t('transfers.accept.choose')}</legend>
        {x.lineItems.map((l) => (
          <label key={l.id} className="checkbox">
            <input
              type="checkbox"
              checked={chosen.includes(l.subscriptionId)}
              onChange={(e) =>
                setChosen((c) =>
                  e.target.checked ? [...c, l.subscriptionId] : c.filter((id) => id !== l.subscriptionId),
                )
              }
            />
            <span>
              {l.friendlyName}
              <span className="block muted small">{l.azureSubscriptionId ?? l.subscriptionId}</span>
            </span>
          </label>
        ))}
        {tried && none && (
          <p id={hintId} className="field-error">
            {t('transfers.accept.noneChosen')}
          </p>
        )}
      </fieldset>
      {chosen.length < x.lineItems.length && !none && <p className="hint">{t('transfers.accept.partial')}</p>}
    </ConfirmDialog>
  );
}

export function RejectDialog(props: { transfer: Transfer; onClose: (done: boolean) => void }) {
  const { t } = useI18n();
  const x = props.transfer;
  const id = useId();
  const { reject } = useTransferMutations(x.customerTenantId);
  const [reason, setReason] = useState('');
  const [tried, setTried] = useState(false);
  const missing = reason.trim() === '';
  return (
    <ConfirmDialog
      title={t('transfers.reject.title', { customer: x.customerName })}
      onCancel={() => props.onClose(false)}
      onConfirm={() => {
        setTried(true);
        if (missing) return;
        reject.mutate({ transferId: x.id, reason: reason.trim() }, { onSuccess: () => props.onClose(true) });
      }}
      confirmLabel={t('transfers.reject.confirm')}
      cancelLabel={t('transfers.reject.keep')}
      danger
      pending={reject.isPending}
      error={reject.error}
    >
      <p>{t('transfers.reject.body', { partner: x.targetPartnerName })}</p>
      <div className="field">
        <label htmlFor={id}>{t('transfers.reject.reason')}</label>
        <p id={`${id}-hint`} className="hint">
          {t('transfers.reject.reasonHint')}
        </p>
        <textarea
          id={id}
          name="reason"
          rows={3}
          maxLength={1000}
          required
          value={reason}
          aria-invalid={tried && missing ? true : undefined}
          aria-describedby={tried && missing ? `${id}-hint ${id}-error` : `${id}-hint`}
          onChange={(e) => setReason(e.target.value)}
        />
        {tried && missing && (
          <p id={`${id}-error`} className="field-error">
            {t('transfers.reject.reasonRequired')}
          </p>
        )}
      </div>
    </ConfirmDialog>
  );
}

export function CancelRequestDialog(props: { transfer: Transfer; onClose: (done: boolean) => void }) {
  const { t } = useI18n();
  const x = props.transfer;
  const { cancel } = useTransferMutations(x.customerTenantId);
  return (
    <ConfirmDialog
      title={t('transfers.cancel.title', { customer: x.customerName })}
      onCancel={() => props.onClose(false)}
      onConfirm={() => cancel.mutate(x.id, { onSuccess: () => props.onClose(true) })}
      confirmLabel={t('transfers.cancel.confirm')}
      cancelLabel={t('transfers.cancel.keep')}
      danger
      pending={cancel.isPending}
      error={cancel.error}
    >
      <p>{t('transfers.cancel.body', { partner: x.sourcePartnerName })}</p>
    </ConfirmDialog>
  );
}
