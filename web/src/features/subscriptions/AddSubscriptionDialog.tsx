// Add a subscription to a customer: find an offer sold in the customer's country, choose its term, billing cycle
// and quantity (checked against the offer's limits before sending), a friendly name, and for an add-on the base
// subscription it is bought on. One request-id sequence per opening of the dialog: a double click or a retry of
// the same order reuses the id and can never order twice. Orders wait for the customer agreement: the dialog
// says so up front and offers its confirmation (for those who may confirm it). Opened for an offer (buying more
// seats of a product from the users tab), it starts with that offer chosen.
import { useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { allows } from '../../../../src/modules/partners/roles.ts';
import { ApiError } from '../../api/client.ts';
import { useProfile } from '../../app/auth.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { ConfirmAgreementDialog } from '../customers/ConfirmAgreementDialog.tsx';
import type { Customer } from '../customers/customers.queries.ts';
import { useAgreements } from '../customers/customers.queries.ts';
import { ErrorSummary } from '../customers/ErrorSummary.tsx';
import type { FieldErrors, Problem } from '../customers/forms.ts';
import { inFormOrder, requestIdSequence } from '../customers/forms.ts';
import { SelectField } from '../customers/SelectField.tsx';
import { LineItemFields, useLineChecks } from './LineItemFields.tsx';
import type { LineDraft } from './model.ts';
import { lineInput, lineItemBody, newLine } from './model.ts';
import { OfferPrices, OfferSearch } from './OfferSearch.tsx';
import { lineInputs, orderProblems } from './orderErrors.ts';
import type { Order } from './subscriptions.queries.ts';
import { useActiveSubscriptions, useOffer, useSubscriptionMutations } from './subscriptions.queries.ts';

function AgreementNeeded(props: { canConfirm: boolean; onConfirm: () => void }) {
  const { t } = useI18n();
  return (
    <div className="alert alert-warning" role="alert">
      <p className="alert-title">{t('subscriptions.agreement.title')}</p>
      <p>{t('subscriptions.agreement.body')}</p>
      {props.canConfirm ? (
        <button type="button" className="button secondary" onClick={props.onConfirm}>
          {t('customer.agreement.confirm')}
        </button>
      ) : (
        <p>{t('subscriptions.agreement.askAdmin')}</p>
      )}
    </div>
  );
}

export function AddSubscriptionDialog(props: {
  customer: Customer;
  /** Start with this offer chosen (when it is sold in the customer's country). */
  offerId?: string;
  onClose: (order?: Order) => void;
}) {
  const { t } = useI18n();
  const profile = useProfile();
  const c = props.customer;
  const form = useRef<HTMLFormElement>(null);
  const { order } = useSubscriptionMutations(c.id);
  const agreements = useAgreements(c.id);
  const checkLines = useLineChecks();
  const [line, setLine] = useState<LineDraft>();
  const preset = useOffer(props.offerId ?? '', c.billingProfile.defaultAddress.country);
  // Chosen once, when it arrives (set during render, so the search never flashes first).
  const [presetTaken, setPresetTaken] = useState(false);
  if (preset.data && !presetTaken) {
    setPresetTaken(true);
    setLine(newLine(preset.data));
  }
  const [errors, setErrors] = useState<FieldErrors>({});
  const [problems, setProblems] = useState<Problem[]>([]);
  const [focusKey, setFocusKey] = useState<object>();
  const [confirming, setConfirming] = useState(false);
  const [requestIdFor] = useState(requestIdSequence);
  // A synchronous guard as well as the disabled button: two clicks in one frame send one request.
  const sending = useRef(false);
  const canConfirm = allows(profile.roles, 'customers.updateBilling');
  const noAgreement = agreements.isSuccess && agreements.data.items.length === 0;
  const refusedForAgreement =
    order.error instanceof ApiError && order.error.name === 'customerAgreementRequired';

  const active = useActiveSubscriptions(c.id, Boolean(line?.offer.isAddOn));
  const bases = (active.data?.items ?? []).filter((s) => line?.offer.prerequisiteOffers.includes(s.offerId));
  // One possible base: it is the one.
  const parent = line?.parentSubscriptionId || (bases.length === 1 ? bases[0]!.id : '');

  const labels = {
    [lineInput(0, 'termDuration')]: t('subscriptions.field.term'),
    [lineInput(0, 'billingCycle')]: t('subscriptions.field.billingCycle'),
    [lineInput(0, 'quantity')]: t('subscriptions.field.quantity'),
    [lineInput(0, 'friendlyName')]: t('subscriptions.field.friendlyName'),
    [lineInput(0, 'parentSubscriptionId')]: t('subscriptions.field.base'),
  };
  const refuse = (byInput: FieldErrors, list: Problem[]) => {
    setErrors(byInput);
    setProblems(list);
    setFocusKey({});
  };
  const change = (patch: Partial<LineDraft>) => {
    setLine((l) => l && { ...l, ...patch });
    const touched = Object.keys(patch).map((k) => lineInput(0, k === 'term' ? 'termDuration' : k));
    if (touched.some((k) => errors[k])) {
      setErrors((e) => Object.fromEntries(Object.entries(e).filter(([k]) => !touched.includes(k))));
      setProblems((list) => list.filter((p) => !p.input || !touched.includes(p.input)));
    }
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!line || sending.current) return;
    const chosen = { ...line, parentSubscriptionId: parent };
    const missing = checkLines([chosen], { needsBase: true });
    if (Object.keys(missing).length > 0) return refuse(missing, inFormOrder(missing, lineInputs(1)));
    const lineItems = [lineItemBody(chosen)];
    sending.current = true;
    order.mutate(
      { lineItems, requestId: requestIdFor(lineItems) },
      {
        onSuccess: (placed) => props.onClose(placed),
        onError: (error) => {
          const refused = orderProblems(error);
          if (refused) {
            refuse(refused.errors, [
              ...inFormOrder(refused.errors, lineInputs(1)),
              ...refused.problems.filter((p) => !p.input),
            ]);
            order.reset();
          }
        },
        onSettled: () => {
          sending.current = false;
        },
      },
    );
  };

  const baseField = line?.offer.isAddOn ? (
    bases.length > 0 ? (
      <SelectField
        label={labels[lineInput(0, 'parentSubscriptionId')]!}
        name={lineInput(0, 'parentSubscriptionId')}
        hint={t('subscriptions.field.baseHint')}
        value={parent}
        placeholder={bases.length > 1 ? t('subscriptions.field.chooseBase') : undefined}
        error={errors[lineInput(0, 'parentSubscriptionId')]}
        options={bases.map((s) => ({
          value: s.id,
          label: t('subscriptions.field.baseOption', {
            name: s.friendlyName,
            offer: s.offerName,
            quantity: s.quantity,
          }),
        }))}
        onChange={(e) => change({ parentSubscriptionId: e.target.value })}
      />
    ) : active.isSuccess ? (
      <p className="field-error" id="no-base">
        {t('subscriptions.field.noBase', { offers: line.offer.prerequisiteOffers.join(', ') })}
      </p>
    ) : null
  ) : null;
  const noBase = Boolean(line?.offer.isAddOn && active.isSuccess && bases.length === 0);

  return (
    <Dialog
      title={t('subscriptions.add.title', { name: c.billingProfile.companyName })}
      onClose={() => props.onClose()}
    >
      <form ref={form} onSubmit={onSubmit} noValidate className="add-subscription">
        <ErrorSummary problems={problems} labels={labels} focusKey={focusKey} form={form} />
        {(noAgreement || refusedForAgreement) && (
          <AgreementNeeded canConfirm={canConfirm} onConfirm={() => setConfirming(true)} />
        )}
        {order.isError && !refusedForAgreement && <ErrorAlert error={order.error} />}
        {line ? (
          <>
            <section className="chosen-offer" aria-labelledby="chosen-offer">
              <h3 id="chosen-offer">{line.offer.name}</h3>
              <p className="muted small">{line.offer.id}</p>
              <OfferPrices offer={line.offer} />
              <button
                type="button"
                className="link-button"
                onClick={() => {
                  setLine(undefined);
                  setErrors({});
                  setProblems([]);
                }}
              >
                {t('subscriptions.add.otherOffer')}
              </button>
            </section>
            <LineItemFields
              line={{ ...line, parentSubscriptionId: parent }}
              index={0}
              errors={errors}
              onChange={change}
              base={baseField}
            />
          </>
        ) : (
          <OfferSearch
            country={c.billingProfile.defaultAddress.country}
            onChoose={(o) => setLine(newLine(o))}
          />
        )}
        <div className="actions">
          <button type="submit" className="button primary" disabled={!line || noBase || order.isPending}>
            {order.isPending ? t('subscriptions.add.ordering') : t('subscriptions.add.submit')}
          </button>
          <button type="button" className="button secondary" onClick={() => props.onClose()}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
      {confirming && (
        <ConfirmAgreementDialog
          customer={c}
          onClose={(done) => {
            setConfirming(false);
            if (done) {
              order.reset();
              void agreements.refetch();
            }
          }}
        />
      )}
    </Dialog>
  );
}
