// Where it is mounted: on a customer's account page of the customers feature (web/src/features/customers/),
// as its "Remove reseller relationship" section. It loads the removal preflight and lists what blocks removal,
// each with its fix (an active subscription with a link to its page, where it can be suspended); the Remove
// button opens only for a Global admin once nothing blocks, and a confirmation names the consequences
// (PRODUCT.md feature 5) before anything happens. Afterwards it goes to /customers, where the customer no longer
// appears.
import { useId, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { allows } from '../../../../src/modules/partners/roles.ts';
import { useProfile } from '../../app/auth.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Loading } from '../../components/states.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { useRemovalCheck, useRemoveRelationship } from './relationships.queries.ts';
import './relationships.css';

function Consequences(props: { customerName: string }) {
  const { t } = useI18n();
  const name = props.customerName;
  return (
    <ul className="relationship-list">
      <li>{t('relationships.remove.effectList', { customer: name })}</li>
      <li>{t('relationships.remove.effectDap', { customer: name })}</li>
      <li>{t('relationships.remove.effectSupport', { customer: name })}</li>
      <li>{t('relationships.remove.effectOrders', { customer: name })}</li>
      <li>{t('relationships.remove.effectStays', { customer: name })}</li>
      <li>{t('relationships.remove.effectAgain', { customer: name })}</li>
    </ul>
  );
}

function ConfirmDialog(props: { customerId: string; customerName: string; onClose: () => void }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const remove = useRemoveRelationship(props.customerId);
  return (
    <Dialog
      title={t('relationships.remove.confirmTitle', { customer: props.customerName })}
      onClose={props.onClose}
    >
      <p>{t('relationships.remove.confirmIntro')}</p>
      <Consequences customerName={props.customerName} />
      {remove.isError && <ErrorAlert error={remove.error} />}
      <div className="actions">
        <button
          type="button"
          className="button primary"
          disabled={remove.isPending}
          onClick={() =>
            remove.mutate(undefined, {
              onSuccess: () => navigate('/customers', { state: { removedCustomer: props.customerName } }),
            })
          }
        >
          {remove.isPending ? t('common.saving') : t('relationships.remove.confirm')}
        </button>
        <button type="button" className="button secondary" onClick={props.onClose}>
          {t('common.cancel')}
        </button>
      </div>
    </Dialog>
  );
}

export function RemoveRelationshipPanel(props: { customerId: string; customerName: string }) {
  const { t } = useI18n();
  const profile = useProfile();
  const headingId = useId();
  const hintId = useId();
  const check = useRemovalCheck(props.customerId);
  const [confirming, setConfirming] = useState(false);
  const isGlobalAdmin = allows(profile.roles, 'relationships.remove');
  const allowedHere = profile.instance.policy['relationships.remove'];
  const clear = check.data?.canRemove === true;
  const reason = !allowedHere
    ? t('relationships.remove.notInInstance', { instance: t(`instance.${profile.instance.id}`) })
    : !isGlobalAdmin
      ? t('relationships.remove.globalAdminOnly')
      : check.data && !clear
        ? t('relationships.remove.blockedHint')
        : undefined;
  return (
    <section className="panel" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('relationships.remove.title')}</h2>
      <p>{t('relationships.remove.intro', { customer: props.customerName })}</p>
      <Consequences customerName={props.customerName} />
      {check.isPending && <Loading />}
      {check.isError && <ErrorAlert error={check.error} onRetry={() => void check.refetch()} />}
      {check.data && !clear && (
        <>
          <h3>{t('relationships.remove.blockersTitle')}</h3>
          <ul className="relationship-list blockers">
            {check.data.blockers.map((b, i) => (
              <li key={`${b.code}-${b.resourceId ?? i}`}>
                <p className="strong" id={`${headingId}-blocker-${i}`}>
                  {b.description}
                </p>
                <p>{t('relationships.remove.fix', { fix: b.fix })}</p>
                {b.code === 'activeSubscription' && b.resourceId && (
                  <p>
                    <Link
                      to={`/customers/${props.customerId}/subscriptions/${b.resourceId}`}
                      aria-describedby={`${headingId}-blocker-${i}`}
                    >
                      {t('relationships.remove.openSubscription')}
                    </Link>
                  </p>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      {check.data && clear && <p className="success">{t('relationships.remove.clear')}</p>}
      <div className="actions">
        {check.data && !clear && (
          // Blockers are cleared elsewhere (a subscription suspended in another tab): look again without a reload.
          <button
            type="button"
            className="button secondary"
            disabled={check.isFetching}
            onClick={() => void check.refetch()}
          >
            {t('relationships.remove.checkAgain')}
          </button>
        )}
        <button
          type="button"
          className="button primary"
          disabled={!clear || !isGlobalAdmin || !allowedHere}
          aria-describedby={reason ? hintId : undefined}
          onClick={() => setConfirming(true)}
        >
          {t('relationships.remove.button')}
        </button>
      </div>
      {reason && (
        <p id={hintId} className="hint">
          {reason}
        </p>
      )}
      {confirming && (
        <ConfirmDialog
          customerId={props.customerId}
          customerName={props.customerName}
          onClose={() => setConfirming(false)}
        />
      )}
    </section>
  );
}
