// The billing contact of the customer forms: names, email, and the culture and language the customer is written
// to in, chosen among those the address's country supports. An empty culture or language stands for the
// country's default (its defaultCulture, and that culture's language), so choosing another country moves both
// to its defaults without an effect copying them into the form.
import { TextField } from '../../components/TextField.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import type { CountryRules } from './customers.queries.ts';
import type { ContactValue } from './model.ts';
import { effectiveLocale } from './model.ts';
import type { FieldErrors } from './forms.ts';
import { SelectField } from './SelectField.tsx';

/** "English (United States) · en-US", in the console's language. */
export function localeLabel(code: string, displayLocale: string): string {
  try {
    const name = new Intl.DisplayNames([displayLocale], { type: 'language', languageDisplay: 'standard' }).of(
      code,
    );
    return name && name !== code ? `${name} · ${code}` : code;
  } catch {
    return code;
  }
}

export function useContactLabels(): Record<keyof ContactValue, string> {
  const { t } = useI18n();
  return {
    firstName: t('customer.billing.firstName'),
    lastName: t('customer.billing.lastName'),
    email: t('customer.billing.email'),
    culture: t('customer.billing.culture'),
    language: t('customer.billing.language'),
  };
}

export function BillingContactFields(props: {
  value: ContactValue;
  rules: CountryRules | undefined;
  onChange: (patch: Partial<ContactValue>) => void;
  errors: FieldErrors;
}) {
  const { t, locale } = useI18n();
  const labels = useContactLabels();
  const { culture, language } = effectiveLocale(props.value, props.rules);
  // The current value stays offered even where the country's list lacks it, so opening a form changes nothing.
  const withCurrent = (list: string[] | undefined, current: string) =>
    [...new Set([...(list ?? []), ...(current ? [current] : [])])].map((code) => ({
      value: code,
      label: localeLabel(code, locale),
    }));
  const text = (k: 'firstName' | 'lastName' | 'email', autoComplete: string, type = 'text') => (
    <TextField
      label={labels[k]}
      name={k}
      type={type}
      required
      autoComplete={autoComplete}
      value={props.value[k]}
      error={props.errors[k]}
      onChange={(e) => props.onChange({ [k]: e.target.value })}
    />
  );
  return (
    <fieldset className="form-section">
      <legend>{t('customer.billing.contact')}</legend>
      {text('firstName', 'given-name')}
      {text('lastName', 'family-name')}
      {text('email', 'email', 'email')}
      <SelectField
        label={labels.culture}
        name="culture"
        required
        hint={t('customer.billing.cultureHint')}
        value={culture}
        error={props.errors.culture}
        placeholder={culture ? undefined : t('customer.billing.chooseCountryFirst')}
        options={withCurrent(props.rules?.supportedCultures, culture)}
        onChange={(e) => props.onChange({ culture: e.target.value })}
      />
      <SelectField
        label={labels.language}
        name="language"
        required
        hint={t('customer.billing.languageHint')}
        value={language}
        error={props.errors.language}
        placeholder={language ? undefined : t('customer.billing.chooseCountryFirst')}
        options={withCurrent(props.rules?.supportedLanguages, language)}
        onChange={(e) => props.onChange({ language: e.target.value })}
      />
    </fieldset>
  );
}
