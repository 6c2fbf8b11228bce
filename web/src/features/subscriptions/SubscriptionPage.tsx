// /customers/:customerId/subscriptions/:subscriptionId: one subscription on the customer page. Its status (and,
// when suspended, the day it will be deleted, in plain sight), offer, quantity and friendly name (each changed
// in place, If-Match guarded), auto-renew, term, dates, price, partner of record, order and Azure ids, and its
// support contact. Suspend (with a reason and a confirmation naming the loss of access and the deletion day),
// reactivate, and cancel for reservations and software — for the roles that may manage subscriptions.
import { useEffect, useId, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { allows } from '../../../../src/modules/partners/roles.ts';
import { ApiError } from '../../api/client.ts';
import { useProfile } from '../../app/auth.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Loading } from '../../components/states.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { CopyButton } from '../customers/CopyButton.tsx';
import { useCustomerOfPage } from '../customers/CustomerPage.tsx';
import { useDate } from '../customers/display.tsx';
import { EditValueForm } from './EditValueForm.tsx';
import { useLabels } from './labels.ts';
import { MAX_FRIENDLY_NAME, isFixedQuantity, quantityProblem } from './model.ts';
import { StatusBadge } from './StatusBadge.tsx';
import { CancelDialog, SuspendDialog } from './SubscriptionDialogs.tsx';
import type { Subscription } from './subscriptions.queries.ts';
import {
  subscriptionKey,
  useOffer,
  useSubscription,
  useSubscriptionMutations,
} from './subscriptions.queries.ts';
import { SupportContactPanel } from './SupportContactPanel.tsx';
import { SubscriptionTransferNotice } from '../transfers/SubscriptionTransferNotice.tsx';
import './subscriptions.css';

type Editing = 'quantity' | 'friendlyName';
type Done = Editing | 'autoRenew' | 'suspended' | 'reactivated' | 'cancelled';

function SuspendedNotice(props: { subscription: Subscription }) {
  const { t } = useI18n();
  const date = useDate();
  const label = useLabels();
  const s = props.subscription;
  return (
    <div className="alert alert-warning deletion-notice">
      <p className="alert-title">
        {s.deletionDate
          ? t('subscriptions.suspended.deletionOn', { date: date(s.deletionDate) })
          : t('subscriptions.suspended.title')}
      </p>
      <p>
        {t('subscriptions.suspended.body', {
          since: s.suspendedAt ? date(s.suspendedAt) : '',
        })}
      </p>
      {s.suspensionReasons.length > 0 && (
        <p>
          {t('subscriptions.suspended.reasons', {
            reasons: s.suspensionReasons.map((r) => label('reason', r)).join(', '),
          })}
        </p>
      )}
    </div>
  );
}

function AutoRenew(props: { subscription: Subscription; canManage: boolean; onSaved: () => void }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const s = props.subscription;
  const { update } = useSubscriptionMutations(s.customerId);
  // The choice shows at once (set in the same event, so the box does not spring back) while it is saved;
  // once settled the stored value shows again: the new one, or the old one after a refusal.
  const [wanted, setWanted] = useState<boolean>();
  const stale = update.error instanceof ApiError && update.error.status === 412;
  if (!s.termDuration) return <>{t('subscriptions.autoRenew.notApplicable')}</>;
  const ended = s.status === 'deleted' || s.status === 'cancelled' || s.status === 'transferred';
  return (
    <>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={wanted ?? s.autoRenewEnabled}
          disabled={!props.canManage || ended || update.isPending}
          onChange={(e) => {
            const value = e.target.checked;
            setWanted(value);
            update.mutate(
              { subscription: s, body: { autoRenewEnabled: value } },
              {
                onSuccess: props.onSaved,
                onError: (error) => {
                  // Changed meanwhile: show the subscription as it is now.
                  const current =
                    error instanceof ApiError && error.status === 412 ? error.data[0] : undefined;
                  if (current) queryClient.setQueryData(subscriptionKey(s.customerId, s.id), current);
                },
                onSettled: () => setWanted(undefined),
              },
            );
          }}
        />
        {t('subscriptions.autoRenew.label')}
      </label>
      {stale ? (
        <p className="field-error">{t('subscriptions.autoRenew.stale')}</p>
      ) : (
        update.isError && <ErrorAlert error={update.error} />
      )}
    </>
  );
}

export function SubscriptionPage() {
  const { t, number, money } = useI18n();
  const date = useDate();
  const label = useLabels();
  const profile = useProfile();
  const c = useCustomerOfPage();
  const { subscriptionId = '' } = useParams();
  const subscription = useSubscription(c.id, subscriptionId);
  const offer = useOffer(subscription.data?.offerId ?? '', c.billingProfile.defaultAddress.country);
  const { update } = useSubscriptionMutations(c.id);
  const heading = useRef<HTMLHeadingElement>(null);
  const quantityHint = useId();
  const [editing, setEditing] = useState<Editing>();
  const [done, setDone] = useState<Done>();
  const [dialog, setDialog] = useState<'suspend' | 'cancel'>();
  const canManage = allows(profile.roles, 'subscriptions.manage');
  const listLink = `/customers/${c.id}/subscriptions`;
  const loaded = subscription.isSuccess;
  useEffect(() => {
    if (loaded) heading.current?.focus();
  }, [loaded]);

  if (!allows(profile.roles, 'subscriptions.view'))
    return <p className="empty">{t('subscriptions.notAllowed')}</p>;
  if (subscription.isPending) return <Loading />;
  if (subscription.isError) {
    const e = subscription.error;
    if (e instanceof ApiError && (e.status === 404 || e.status === 400))
      return (
        <section className="notice">
          <h2>{t('subscriptions.notFound.title')}</h2>
          <p>{t('subscriptions.notFound.body')}</p>
          <p>
            <Link to={listLink}>{t('subscriptions.backToList')}</Link>
          </p>
        </section>
      );
    return <ErrorAlert error={e} onRetry={() => void subscription.refetch()} />;
  }
  const s = subscription.data;
  const ended = s.status === 'deleted' || s.status === 'cancelled' || s.status === 'transferred';
  const fixed = isFixedQuantity(s);
  const quantityBlocked =
    s.status === 'suspended'
      ? t('subscriptions.quantity.suspended')
      : fixed
        ? t('subscriptions.field.quantityFixed')
        : undefined;
  const limits = offer.data;
  const finish = (which: Done) => (saved: boolean) => {
    setEditing(undefined);
    setDone(saved ? which : undefined);
  };
  const edit = (which: Editing) => {
    setEditing(which);
    setDone(undefined);
  };
  const doneText: Record<Done, string> = {
    quantity: t('subscriptions.saved.quantity'),
    friendlyName: t('subscriptions.saved.friendlyName'),
    autoRenew: t('subscriptions.saved.autoRenew'),
    suspended: t('subscriptions.saved.suspended'),
    reactivated: t('subscriptions.saved.reactivated'),
    cancelled: t('subscriptions.saved.cancelled'),
  };
  const none = <span className="muted">{t('customer.none')}</span>;

  return (
    <section className="subscription-page" aria-labelledby="subscription-heading">
      <p>
        <Link to={listLink}>{t('subscriptions.backToList')}</Link>
      </p>
      <div className="toolbar">
        <h2 id="subscription-heading" ref={heading} tabIndex={-1} className="step-heading">
          {s.friendlyName}
        </h2>
        <StatusBadge status={s.status} />
      </div>
      {s.status === 'suspended' && <SuspendedNotice subscription={s} />}
      <SubscriptionTransferNotice subscription={s} />
      <p role="status" className="success">
        {done ? doneText[done] : ''}
      </p>

      {canManage && !ended && (
        <section className="panel" aria-labelledby="subscription-actions">
          <h3 id="subscription-actions">{t('subscriptions.actions.title')}</h3>
          {update.isError && <ErrorAlert error={update.error} />}
          <div className="actions">
            {s.status === 'active' && !s.cancellable && (
              <button type="button" className="button danger" onClick={() => setDialog('suspend')}>
                {t('subscriptions.suspend.open')}
              </button>
            )}
            {s.status === 'suspended' && (
              <button
                type="button"
                className="button primary"
                disabled={update.isPending}
                onClick={() =>
                  update.mutate(
                    { subscription: s, body: { status: 'active' } },
                    { onSuccess: () => setDone('reactivated') },
                  )
                }
              >
                {update.isPending ? t('common.saving') : t('subscriptions.reactivate')}
              </button>
            )}
            {s.cancellable && s.status === 'active' && (
              <button type="button" className="button danger" onClick={() => setDialog('cancel')}>
                {t('subscriptions.cancel.open')}
              </button>
            )}
          </div>
          {s.status === 'active' && !s.cancellable && (
            <p className="hint">{t('subscriptions.suspend.hint')}</p>
          )}
        </section>
      )}
      {dialog === 'suspend' && (
        <SuspendDialog
          subscription={s}
          onClose={(ok) => {
            setDialog(undefined);
            if (ok) setDone('suspended');
          }}
        />
      )}
      {dialog === 'cancel' && (
        <CancelDialog
          subscription={s}
          onClose={(ok) => {
            setDialog(undefined);
            if (ok) setDone('cancelled');
          }}
        />
      )}

      <section className="panel" aria-labelledby="subscription-details">
        <h3 id="subscription-details">{t('subscriptions.details.title')}</h3>
        <dl className="details">
          <dt>{t('subscriptions.column.status')}</dt>
          <dd>
            <StatusBadge status={s.status} />
          </dd>
          <dt>{t('subscriptions.column.offer')}</dt>
          <dd>
            {s.offerName}
            <span className="block muted small">{`${s.offerId} · ${label('kind', s.productKind)}`}</span>
          </dd>
          <dt>{t('subscriptions.field.quantity')}</dt>
          <dd>
            {editing === 'quantity' ? (
              <EditValueForm
                subscription={s}
                name="quantity"
                label={t('subscriptions.field.quantity')}
                hint={
                  limits
                    ? t('subscriptions.field.quantityHint', {
                        min: number(limits.minimumQuantity),
                        max: number(limits.maximumQuantity),
                        unit: s.unitType,
                      })
                    : undefined
                }
                input={{
                  type: 'number',
                  inputMode: 'numeric',
                  min: limits?.minimumQuantity ?? 1,
                  max: limits?.maximumQuantity,
                  step: 1,
                }}
                valueOf={(x) => String(x.quantity)}
                check={(text) => {
                  const problem = quantityProblem(
                    limits ?? {
                      minimumQuantity: 1,
                      maximumQuantity: Number.MAX_SAFE_INTEGER,
                      billingType: s.billingType,
                    },
                    text,
                  );
                  if (!problem) return undefined;
                  if (problem.kind === 'required') return t('customers.form.required');
                  if (problem.kind === 'notWhole') return t('subscriptions.field.quantityWhole');
                  return t('subscriptions.field.quantityRange', {
                    min: number(problem.min),
                    max: number(problem.max),
                  });
                }}
                body={(text) => ({ quantity: Number(text.trim()) })}
                onDone={finish('quantity')}
              />
            ) : (
              <div className="copy-value">
                <span>{`${number(s.quantity)} ${s.unitType}`}</span>
                {canManage && !ended && (
                  <button
                    type="button"
                    className="button secondary small-button"
                    disabled={Boolean(quantityBlocked)}
                    aria-describedby={quantityBlocked ? quantityHint : undefined}
                    onClick={() => edit('quantity')}
                  >
                    {t('subscriptions.quantity.change')}
                  </button>
                )}
                {canManage && !ended && quantityBlocked && (
                  <span id={quantityHint} className="hint block">
                    {quantityBlocked}
                  </span>
                )}
              </div>
            )}
          </dd>
          <dt>{t('subscriptions.field.friendlyName')}</dt>
          <dd>
            {editing === 'friendlyName' ? (
              <EditValueForm
                subscription={s}
                name="friendlyName"
                label={t('subscriptions.field.friendlyName')}
                input={{ maxLength: MAX_FRIENDLY_NAME }}
                valueOf={(x) => x.friendlyName}
                check={(text) => (text.trim() === '' ? t('customers.form.required') : undefined)}
                body={(text) => ({ friendlyName: text.trim() })}
                onDone={finish('friendlyName')}
              />
            ) : (
              <div className="copy-value">
                <span>{s.friendlyName}</span>
                {canManage && !ended && (
                  <button
                    type="button"
                    className="button secondary small-button"
                    onClick={() => edit('friendlyName')}
                  >
                    {t('subscriptions.friendlyName.change')}
                  </button>
                )}
              </div>
            )}
          </dd>
          <dt>{t('subscriptions.autoRenew.title')}</dt>
          <dd>
            <AutoRenew subscription={s} canManage={canManage} onSaved={() => setDone('autoRenew')} />
          </dd>
          <dt>{t('subscriptions.field.term')}</dt>
          <dd>{s.termDuration ? label('term', s.termDuration) : t('subscriptions.term.none')}</dd>
          <dt>{t('subscriptions.field.billingCycle')}</dt>
          <dd>{label('cycle', s.billingCycle)}</dd>
          <dt>{t('subscriptions.details.price')}</dt>
          <dd>
            {s.unitPrice !== null
              ? t('subscriptions.line.price', {
                  price: money(s.unitPrice, s.currency),
                  unit: s.unitType,
                  cycle: label('cycle', s.billingCycle),
                })
              : t('subscriptions.offer.usagePriced')}
          </dd>
          <dt>{t('subscriptions.column.commitmentEnd')}</dt>
          <dd>{s.commitmentEndDate ? date(s.commitmentEndDate) : t('subscriptions.noCommitment')}</dd>
          {s.status === 'suspended' && (
            <>
              <dt>{t('subscriptions.column.deletion')}</dt>
              <dd className="strong deletion">{s.deletionDate ? date(s.deletionDate) : none}</dd>
            </>
          )}
          {s.cancellationDate && (
            <>
              <dt>{t('subscriptions.details.cancelled')}</dt>
              <dd>{date(s.cancellationDate)}</dd>
            </>
          )}
          <dt>{t('subscriptions.details.created')}</dt>
          <dd>{date(s.creationDate)}</dd>
          <dt>{t('subscriptions.details.effective')}</dt>
          <dd>{date(s.effectiveStartDate)}</dd>
          <dt>{t('subscriptions.details.partnerOfRecord')}</dt>
          <dd>{s.partnerName}</dd>
          {s.parentSubscriptionId && (
            <>
              <dt>{t('subscriptions.field.base')}</dt>
              <dd>
                <Link to={`/customers/${c.id}/subscriptions/${s.parentSubscriptionId}`}>
                  {t('subscriptions.details.openBase')}
                </Link>
              </dd>
            </>
          )}
          <dt>{t('subscriptions.details.id')}</dt>
          <dd className="copy-value">
            <code>{s.id}</code>
            <CopyButton value={s.id} label={t('subscriptions.details.copyId', { name: s.friendlyName })} />
          </dd>
          <dt>{t('subscriptions.details.orderId')}</dt>
          <dd>
            <code>{s.orderId}</code>
          </dd>
          {s.azureSubscriptionId && (
            <>
              <dt>{t('subscriptions.details.azureId')}</dt>
              <dd className="copy-value">
                <code>{s.azureSubscriptionId}</code>
                <CopyButton
                  value={s.azureSubscriptionId}
                  label={t('subscriptions.details.copyAzureId', { name: s.friendlyName })}
                />
              </dd>
            </>
          )}
        </dl>
      </section>

      <SupportContactPanel subscription={s} canManage={canManage} />
    </section>
  );
}
