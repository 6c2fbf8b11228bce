// The address part of the customer forms, driven by the chosen country's rules: the country picker in the
// console's language, the state as a select where the country requires one, the postal code and phone with
// the country's hints, and "Check address", which asks the API (/v1/validations/address) and shows its issues
// next to the fields and its normalised suggestion with "Use suggested address".
import { useMutation } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import type { AddressValidation, CountryRules } from './customers.queries.ts';
import type { AddressValue } from './model.ts';
import { addressBody } from './model.ts';
import { useCountries, useCountryRules, validateAddress } from './customers.queries.ts';
import { AddressBlock } from './display.tsx';
import type { FieldErrors } from './forms.ts';
import { SelectField } from './SelectField.tsx';

export function useAddressLabels(): Record<keyof AddressValue, string> {
  const { t } = useI18n();
  return {
    country: t('address.country'),
    state: t('address.state'),
    city: t('address.city'),
    addressLine1: t('address.addressLine1'),
    addressLine2: t('address.addressLine2'),
    postalCode: t('address.postalCode'),
    phoneNumber: t('address.phoneNumber'),
  };
}

export function AddressFields(props: {
  value: AddressValue;
  onChange: (patch: Partial<AddressValue>) => void;
  /** Reasons by input (the form's own and the API's). */
  errors: FieldErrors;
}) {
  const { t, language } = useI18n();
  const labels = useAddressLabels();
  const countries = useCountries(language);
  const rules = useCountryRules(props.value.country || undefined).data;
  const [check, setCheck] = useState<{ result: AddressValidation; issues: FieldErrors }>();
  const [applied, setApplied] = useState(false);
  const checkButton = useRef<HTMLButtonElement>(null);
  const validation = useMutation({
    mutationFn: () => validateAddress(addressBody(props.value)),
    onSuccess: (result) => {
      const issues: FieldErrors = {};
      for (const i of result.issues)
        issues[i.field] = issues[i.field] ? `${issues[i.field]}; ${i.reason}` : i.reason;
      setCheck({ result, issues });
      setApplied(false);
    },
  });
  const a = props.value;
  const countryName = (code: string) => countries.data?.items.find((c) => c.iso2Code === code)?.name ?? code;
  // Editing a field takes back what the last check said about it.
  const change = (patch: Partial<AddressValue>) => {
    setCheck((c) => {
      if (!c) return c;
      const issues = { ...c.issues };
      for (const k of Object.keys(patch)) delete issues[k];
      return { ...c, issues };
    });
    setApplied(false);
    props.onChange(patch);
  };
  const error = (k: keyof AddressValue) => props.errors[k] ?? check?.issues[k];
  const field = (
    k: keyof AddressValue,
    extra: { hint?: string; required?: boolean; autoComplete?: string },
  ) => (
    <TextField
      label={labels[k]}
      name={k}
      value={a[k]}
      error={error(k)}
      onChange={(e) => change({ [k]: e.target.value })}
      {...extra}
    />
  );
  const suggestion = check?.result.suggestedAddresses[0];
  const applySuggestion = () => {
    if (!suggestion) return;
    change({
      country: suggestion.country,
      state: suggestion.state ?? '',
      city: suggestion.city,
      addressLine1: suggestion.addressLine1,
      addressLine2: suggestion.addressLine2 ?? '',
      postalCode: suggestion.postalCode ?? '',
      phoneNumber: suggestion.phoneNumber ?? '',
    });
    setCheck(undefined);
    setApplied(true);
    // The suggestion's button goes away with it: the focus goes back to the check.
    checkButton.current?.focus();
  };
  const name = countryName(a.country);
  let status = '';
  if (applied) status = t('address.suggestionApplied');
  else if (check?.result.status === 'verified') status = t('address.verified');
  else if (check?.result.status === 'verifiedWithSuggestions') status = t('address.verifiedWithSuggestions');
  else if (check?.result.status === 'invalid')
    status = t('address.invalid', { count: check.result.issues.length });

  return (
    <fieldset className="form-section">
      <legend>{t('address.legend')}</legend>
      {countries.isError && <ErrorAlert error={countries.error} onRetry={() => void countries.refetch()} />}
      <SelectField
        label={labels.country}
        name="country"
        required
        value={a.country}
        error={error('country')}
        placeholder={t('address.chooseCountry')}
        options={(countries.data?.items ?? []).map((c) => ({ value: c.iso2Code, label: c.name }))}
        // Another country has other states: the state is chosen again.
        onChange={(e) => change({ country: e.target.value, state: '' })}
      />
      {field('addressLine1', { required: true, autoComplete: 'address-line1' })}
      {field('addressLine2', { autoComplete: 'address-line2' })}
      {field('city', { required: true, autoComplete: 'address-level2' })}
      {rules?.isStateRequired ? (
        <SelectField
          label={labels.state}
          name="state"
          required
          value={a.state}
          error={error('state')}
          hint={t('address.stateRequired', { country: name })}
          placeholder={t('address.chooseState')}
          options={rules.states.map((s) => ({ value: s.code, label: `${s.name} (${s.code})` }))}
          onChange={(e) => change({ state: e.target.value })}
        />
      ) : (
        field('state', { hint: t('address.stateOptional'), autoComplete: 'address-level1' })
      )}
      {field('postalCode', {
        required: rules?.isPostalCodeRequired,
        autoComplete: 'postal-code',
        hint: rules
          ? rules.isPostalCodeRequired
            ? t('address.postalCodeRequired', { country: name })
            : t('address.postalCodeOptional', { country: name })
          : undefined,
      })}
      {field('phoneNumber', {
        required: rules?.phoneNumberRequired,
        autoComplete: 'tel',
        hint: rules ? phoneHint(t, rules, name) : undefined,
      })}
      <div className="actions">
        <button
          ref={checkButton}
          type="button"
          className="button secondary"
          disabled={validation.isPending || a.country === ''}
          onClick={() => validation.mutate()}
        >
          {validation.isPending ? t('address.checking') : t('address.check')}
        </button>
      </div>
      {validation.isError && <ErrorAlert error={validation.error} />}
      <p role="status" className={check?.result.status === 'invalid' ? 'field-error' : 'success'}>
        {status}
      </p>
      {suggestion && (
        <div className="panel suggestion">
          <h3>{t('address.suggested')}</h3>
          <AddressBlock address={suggestion} />
          {suggestion.phoneNumber && <p className="address">{suggestion.phoneNumber}</p>}
          {!check.result.suggestedAddressValid && (
            <p className="hint">{t('address.suggestedStillInvalid')}</p>
          )}
          <button type="button" className="button secondary" onClick={applySuggestion}>
            {t('address.useSuggested')}
          </button>
        </div>
      )}
    </fieldset>
  );
}

function phoneHint(t: ReturnType<typeof useI18n>['t'], rules: CountryRules, country: string): string {
  const example = rules.phoneNumberExample
    ? t('address.phoneExample', { example: rules.phoneNumberExample })
    : '';
  const need = rules.phoneNumberRequired
    ? t('address.phoneRequired', { country })
    : t('address.phoneOptional');
  return `${need} ${example}`.trim();
}
