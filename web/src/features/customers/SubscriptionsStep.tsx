// Add customer, step 2 — Subscriptions: offers and license counts to order with the new customer, from the offers
// sold in its billing country (the same search as the Add subscription dialog), or none. An add-on is bought on
// a line of its base offer in the same order (a new customer has no subscriptions yet). Orders need the customer
// agreement: without the attestation the step says so and offers the way back to it instead of offers.
import { useRef } from 'react';
import { useI18n } from '../../i18n/i18n.tsx';
import { LineItemFields, useLineChecks } from '../subscriptions/LineItemFields.tsx';
import type { LineDraft } from '../subscriptions/model.ts';
import { lineInput, newLine } from '../subscriptions/model.ts';
import { OfferSearch } from '../subscriptions/OfferSearch.tsx';
import { lineInputs } from '../subscriptions/orderErrors.ts';
import '../subscriptions/subscriptions.css';
import { ErrorSummary } from './ErrorSummary.tsx';
import type { FieldErrors, Problem } from './forms.ts';
import { inFormOrder } from './forms.ts';
import { StepHeading } from './Stepper.tsx';

/** The lines' problems the console sees itself: quantities, and add-ons without their base in the order. */
export function useOrderLineChecks(): (lines: LineDraft[]) => FieldErrors {
  const { t } = useI18n();
  const checkLines = useLineChecks();
  return (lines) => {
    const errors = checkLines(lines, { needsBase: false });
    lines.forEach((line, i) => {
      const o = line.offer;
      if (o.isAddOn && !lines.some((l) => o.prerequisiteOffers.includes(l.offer.id)))
        errors[lineInput(i, 'quantity')] ??= t('addCustomer.lines.baseMissing', {
          offers: o.prerequisiteOffers.join(', '),
        });
    });
    return errors;
  };
}

export function lineLabels(lines: LineDraft[], t: ReturnType<typeof useI18n>['t']): Record<string, string> {
  const labels: Record<string, string> = {};
  lines.forEach((line, i) => {
    const of = (field: string) => t('addCustomer.lines.fieldOf', { field, offer: line.offer.name });
    labels[lineInput(i, 'termDuration')] = of(t('subscriptions.field.term'));
    labels[lineInput(i, 'billingCycle')] = of(t('subscriptions.field.billingCycle'));
    labels[lineInput(i, 'quantity')] = of(t('subscriptions.field.quantity'));
    labels[lineInput(i, 'friendlyName')] = of(t('subscriptions.field.friendlyName'));
    labels[lineInput(i, 'parentSubscriptionId')] = of(t('subscriptions.field.base'));
  });
  return labels;
}

export function SubscriptionsStep(props: {
  country: string;
  agreementAccepted: boolean;
  lines: LineDraft[];
  errors: FieldErrors;
  problems: Problem[];
  focusKey: object | undefined;
  onLines: (lines: LineDraft[], touched: string[]) => void;
  onRefuse: (errors: FieldErrors, problems: Problem[]) => void;
  onAgreement: () => void;
  onBack: () => void;
  onNext: () => void;
}) {
  const { t } = useI18n();
  const section = useRef<HTMLElement>(null);
  const check = useOrderLineChecks();
  const { lines, errors } = props;
  const onNext = () => {
    if (props.agreementAccepted) {
      const found = check(lines);
      if (Object.keys(found).length > 0)
        return props.onRefuse(found, inFormOrder(found, lineInputs(lines.length)));
    }
    props.onNext();
  };
  const change = (index: number, patch: Partial<LineDraft>) =>
    props.onLines(
      lines.map((l, i) => (i === index ? { ...l, ...patch } : l)),
      Object.keys(patch).map((k) => lineInput(index, k === 'term' ? 'termDuration' : k)),
    );
  // Inputs are named by their line's position: removing a line renames the later ones, so its reasons go.
  const remove = (index: number) =>
    props.onLines(
      lines.filter((_, i) => i !== index),
      lineInputs(lines.length),
    );
  return (
    <section aria-labelledby="step-heading" ref={section}>
      <StepHeading>{t('addCustomer.step.subscriptions')}</StepHeading>
      <ErrorSummary
        problems={props.problems}
        labels={lineLabels(lines, t)}
        focusKey={props.focusKey}
        form={section}
      />
      {props.agreementAccepted ? (
        <>
          <p className="hint">{t('addCustomer.lines.intro')}</p>
          <OfferSearch
            country={props.country}
            chosen={lines.map((l) => l.offer.id)}
            // A new line may be the base an add-on lacked: the lines' reasons are checked again on Next.
            onChoose={(offer) => props.onLines([...lines, newLine(offer)], lineInputs(lines.length))}
          />
          <h3>{t('addCustomer.lines.title', { count: lines.length })}</h3>
          {lines.length === 0 && <p>{t('addCustomer.noSubscriptions')}</p>}
          {lines.map((line, i) => {
            const base = lines.find((l) => line.offer.prerequisiteOffers.includes(l.offer.id));
            return (
              <fieldset key={line.key} className="order-line">
                <legend>{line.offer.name}</legend>
                <LineItemFields
                  line={line}
                  index={i}
                  errors={errors}
                  onChange={(patch) => change(i, patch)}
                  base={
                    base ? (
                      <p className="hint">{t('addCustomer.lines.baseInOrder', { name: base.offer.name })}</p>
                    ) : undefined
                  }
                />
                <button
                  type="button"
                  className="button secondary"
                  aria-label={t('addCustomer.lines.removeNamed', { name: line.offer.name })}
                  onClick={() => remove(i)}
                >
                  {t('addCustomer.lines.remove')}
                </button>
              </fieldset>
            );
          })}
        </>
      ) : (
        <div className="alert alert-warning">
          <p className="alert-title">{t('addCustomer.lines.agreementTitle')}</p>
          <p>{t('addCustomer.lines.agreementBody')}</p>
          {lines.length > 0 && <p>{t('addCustomer.lines.notOrdered', { count: lines.length })}</p>}
          <button type="button" className="button secondary" onClick={props.onAgreement}>
            {t('addCustomer.lines.toAgreement')}
          </button>
        </div>
      )}
      <div className="actions step-actions">
        <button type="button" className="button primary" onClick={onNext}>
          {t('addCustomer.next.review')}
        </button>
        <button type="button" className="button secondary" onClick={props.onBack}>
          {t('addCustomer.back')}
        </button>
      </div>
    </section>
  );
}
