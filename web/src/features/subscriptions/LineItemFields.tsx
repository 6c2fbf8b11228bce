// One order line's choices for a chosen offer: term and billing cycle from the offer, the quantity within its
// limits (fixed at one for usage-based offers), an optional friendly name, and for an add-on the base
// subscription it is bought on. The price for the chosen term and cycle shows with the estimated total. Input
// names are the API's field names (lineItems[0].quantity), so the API's reasons land next to their inputs.
import type { ReactNode } from 'react';
import { TextField } from '../../components/TextField.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { SelectField } from '../customers/SelectField.tsx';
import type { FieldErrors } from '../customers/forms.ts';
import { useLabels } from './labels.ts';
import type { LineDraft } from './model.ts';
import {
  MAX_FRIENDLY_NAME,
  cyclesFor,
  isFixedQuantity,
  lineInput,
  priceOf,
  quantityProblem,
} from './model.ts';

export function LinePrice(props: { line: LineDraft }) {
  const { t, money } = useI18n();
  const label = useLabels();
  const { line } = props;
  const price = priceOf(line.offer, line.term, line.billingCycle);
  if (!price) return <p className="hint">{t('subscriptions.offer.usagePriced')}</p>;
  const quantity = Number(line.quantity);
  const valid = Number.isInteger(quantity) && quantity > 0;
  return (
    <p className="hint">
      {t('subscriptions.line.price', {
        price: money(price.unitPrice, price.currency),
        unit: line.offer.unitType,
        cycle: label('cycle', price.billingCycle),
      })}
      {valid &&
        ` ${t('subscriptions.line.total', {
          total: money(BigInt(price.unitPrice) * BigInt(quantity), price.currency),
        })}`}
    </p>
  );
}

export function LineItemFields(props: {
  line: LineDraft;
  index: number;
  errors: FieldErrors;
  onChange: (patch: Partial<LineDraft>) => void;
  /** For an add-on: how its base is chosen (the dialog's choice of subscription, or the step's note). */
  base?: ReactNode;
}) {
  const { t, number } = useI18n();
  const label = useLabels();
  const { line, index, errors } = props;
  const o = line.offer;
  const name = (input: string) => lineInput(index, input);
  const fixed = isFixedQuantity(o);
  return (
    <>
      {o.terms.length > 0 && (
        <SelectField
          label={t('subscriptions.field.term')}
          name={name('termDuration')}
          value={line.term}
          error={errors[name('termDuration')]}
          options={o.terms.map((term) => ({ value: term, label: label('term', term) }))}
          onChange={(e) => {
            const term = e.target.value;
            const cycles = cyclesFor(o, term);
            props.onChange({
              term,
              billingCycle: cycles.includes(line.billingCycle)
                ? line.billingCycle
                : (cycles[0] ?? line.billingCycle),
            });
          }}
        />
      )}
      {o.billingCycles.length > 1 && (
        <SelectField
          label={t('subscriptions.field.billingCycle')}
          name={name('billingCycle')}
          value={line.billingCycle}
          error={errors[name('billingCycle')]}
          options={cyclesFor(o, line.term).map((c) => ({ value: c, label: label('cycle', c) }))}
          onChange={(e) => props.onChange({ billingCycle: e.target.value })}
        />
      )}
      <TextField
        label={t('subscriptions.field.quantity')}
        name={name('quantity')}
        type="number"
        inputMode="numeric"
        min={fixed ? 1 : o.minimumQuantity}
        max={fixed ? 1 : o.maximumQuantity}
        step={1}
        required
        readOnly={fixed}
        hint={
          fixed
            ? t('subscriptions.field.quantityFixed')
            : t('subscriptions.field.quantityHint', {
                min: number(o.minimumQuantity),
                max: number(o.maximumQuantity),
                unit: o.unitType,
              })
        }
        value={fixed ? '1' : line.quantity}
        error={errors[name('quantity')]}
        onChange={(e) => props.onChange({ quantity: e.target.value })}
      />
      <LinePrice line={line} />
      <TextField
        label={t('subscriptions.field.friendlyName')}
        name={name('friendlyName')}
        hint={t('subscriptions.field.friendlyNameHint', { name: o.name })}
        maxLength={MAX_FRIENDLY_NAME}
        value={line.friendlyName}
        error={errors[name('friendlyName')]}
        onChange={(e) => props.onChange({ friendlyName: e.target.value })}
      />
      {o.isAddOn && props.base}
    </>
  );
}

/**
 * What the console checks before an order is sent, by input name: each quantity within its offer's limits, and
 * (when `needsBase`) an add-on's base subscription chosen. Everything else is the API's to say.
 */
export function useLineChecks(): (lines: LineDraft[], opts: { needsBase: boolean }) => FieldErrors {
  const { t, number } = useI18n();
  return (lines, opts) => {
    const errors: FieldErrors = {};
    lines.forEach((line, index) => {
      const problem = isFixedQuantity(line.offer) ? undefined : quantityProblem(line.offer, line.quantity);
      if (problem)
        errors[lineInput(index, 'quantity')] =
          problem.kind === 'required'
            ? t('customers.form.required')
            : problem.kind === 'notWhole'
              ? t('subscriptions.field.quantityWhole')
              : t('subscriptions.field.quantityRange', {
                  min: number(problem.min),
                  max: number(problem.max),
                });
      if (opts.needsBase && line.offer.isAddOn && !line.parentSubscriptionId)
        errors[lineInput(index, 'parentSubscriptionId')] = t('subscriptions.field.baseRequired');
    });
    return errors;
  };
}
