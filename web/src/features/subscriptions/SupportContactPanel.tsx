// A subscription's designated support contact: the partner of record unless another partner with a reseller
// relationship with the customer was named. Those who may manage subscriptions change it by Partner ID (the
// API checks the relationship and says when the partner cannot be the contact).
import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { ApiError } from '../../api/client.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { FormActions } from '../../components/FormActions.tsx';
import { Loading } from '../../components/states.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import type { Subscription } from './subscriptions.queries.ts';
import { useSubscriptionMutations, useSupportContact } from './subscriptions.queries.ts';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function SupportContactPanel(props: { subscription: Subscription; canManage: boolean }) {
  const { t } = useI18n();
  const headingId = useId();
  const s = props.subscription;
  const contact = useSupportContact(s.customerId, s.id);
  const { setSupportContact } = useSubscriptionMutations(s.customerId);
  const [editing, setEditing] = useState(false);
  const [partnerId, setPartnerId] = useState('');
  const [error, setError] = useState<string>();
  const [saved, setSaved] = useState(false);
  const ended = s.status === 'deleted' || s.status === 'cancelled';
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (setSupportContact.isPending) return;
    const value = partnerId.trim();
    if (!GUID.test(value)) return setError(t('subscriptions.support.notAnId'));
    setSupportContact.mutate(
      { subscriptionId: s.id, supportPartnerId: value },
      {
        onSuccess: () => {
          setEditing(false);
          setSaved(true);
        },
        onError: (e) => {
          const reason = e instanceof ApiError ? e.fieldError('supportPartnerId') : undefined;
          if (reason) {
            setError(reason);
            setSupportContact.reset();
          }
        },
      },
    );
  };
  return (
    <section className="panel" aria-labelledby={headingId}>
      <div className="toolbar">
        <h3 id={headingId}>{t('subscriptions.support.title')}</h3>
        {props.canManage && !ended && !editing && (
          <button
            type="button"
            className="button secondary"
            onClick={() => {
              setEditing(true);
              setSaved(false);
              setPartnerId('');
              setError(undefined);
              setSupportContact.reset();
            }}
          >
            {t('subscriptions.support.change')}
          </button>
        )}
      </div>
      {contact.isPending && <Loading />}
      {contact.isError && <ErrorAlert error={contact.error} onRetry={() => void contact.refetch()} />}
      {contact.data && (
        <dl className="details">
          <dt>{t('subscriptions.support.partner')}</dt>
          <dd>
            {contact.data.name}
            {contact.data.isPartnerOfRecord && (
              <span className="block muted small">{t('subscriptions.support.isPartnerOfRecord')}</span>
            )}
          </dd>
          <dt>{t('subscriptions.support.partnerId')}</dt>
          <dd>
            <code>{contact.data.supportPartnerId}</code>
          </dd>
        </dl>
      )}
      {editing && (
        <form onSubmit={onSubmit} noValidate aria-label={t('subscriptions.support.change')}>
          {setSupportContact.isError && <ErrorAlert error={setSupportContact.error} />}
          <TextField
            label={t('subscriptions.support.newPartnerId')}
            name="supportPartnerId"
            hint={t('subscriptions.support.hint')}
            autoComplete="off"
            spellCheck={false}
            value={partnerId}
            error={error}
            onChange={(e) => {
              setPartnerId(e.target.value);
              setError(undefined);
            }}
          />
          <FormActions pending={setSupportContact.isPending} onCancel={() => setEditing(false)} />
        </form>
      )}
      <p role="status" className="success">
        {saved ? t('common.saved') : ''}
      </p>
    </section>
  );
}
