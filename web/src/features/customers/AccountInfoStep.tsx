// Add customer, step 1 — Account info: company details with the domain prefix (checked live), the billing
// contact, the address by the country's rules, the registration number where the country requires one, and the
// customer-agreement attestation. "Next" only checks that required fields are filled; every other rule is the
// API's, whose reasons come back next to these fields after Submit.
import { useId, useRef } from 'react';
import type { FormEvent } from 'react';
import { DateField } from '../../components/DateField.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import type { AccountInfo, AgreementValue } from './accountInfo.ts';
import { AddressFields, useAddressLabels } from './AddressFields.tsx';
import { BillingContactFields, useContactLabels } from './BillingContactFields.tsx';
import type { CountryRules } from './customers.queries.ts';
import { DomainPrefixField } from './DomainPrefixField.tsx';
import { ErrorSummary } from './ErrorSummary.tsx';
import type { FieldErrors, Problem } from './forms.ts';
import { StepHeading } from './Stepper.tsx';
import type { AddressValue, ContactValue } from './model.ts';

export function useAccountLabels(): Partial<Record<string, string>> {
  const { t } = useI18n();
  return {
    ...useContactLabels(),
    ...useAddressLabels(),
    companyName: t('customer.company.name'),
    domainPrefix: t('addCustomer.domainPrefix'),
    registrationNumber: t('customer.company.registrationNumber'),
    agreementFirstName: t('customer.agreement.signerFirstName'),
    agreementLastName: t('customer.agreement.signerLastName'),
    agreementEmail: t('customer.agreement.signerEmail'),
    agreementPhoneNumber: t('customer.agreement.signerPhone'),
    dateAgreed: t('customer.agreement.dateAgreed'),
  };
}

export function AccountInfoStep(props: {
  info: AccountInfo;
  rules: CountryRules | undefined;
  suffix: string;
  errors: FieldErrors;
  problems: Problem[];
  /** A new object per refusal: the error summary takes the focus. */
  focusKey: object | undefined;
  /** Whether "Next" was tried, so that an unreadable date shows as an error. */
  tried: boolean;
  /** Whether the step's heading takes the focus (not when the page has just opened on it). */
  focusHeading: boolean;
  onChange: (patch: Partial<AccountInfo>, inputs: string[]) => void;
  onNext: () => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const form = useRef<HTMLFormElement>(null);
  const hintId = useId();
  const labels = useAccountLabels();
  const { info, errors } = props;
  const setContact = (patch: Partial<ContactValue>) =>
    props.onChange({ contact: { ...info.contact, ...patch } }, Object.keys(patch));
  const setAddress = (patch: Partial<AddressValue>) =>
    props.onChange(
      {
        address: { ...info.address, ...patch },
        // Another country: its default culture and language apply until chosen otherwise.
        ...(patch.country !== undefined && patch.country !== info.address.country
          ? { contact: { ...info.contact, culture: '', language: '' } }
          : {}),
      },
      Object.keys(patch),
    );
  const setAgreement = (patch: Partial<AgreementValue>, inputs: string[]) =>
    props.onChange({ agreement: { ...info.agreement, ...patch } }, inputs);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    props.onNext();
  };
  const a = info.agreement;
  return (
    <form ref={form} onSubmit={onSubmit} noValidate aria-labelledby="step-heading">
      <StepHeading focus={props.focusHeading}>{t('addCustomer.step.account')}</StepHeading>
      <ErrorSummary problems={props.problems} labels={labels} focusKey={props.focusKey} form={form} />
      <p className="hint">{t('addCustomer.accountIntro')}</p>
      <fieldset className="form-section">
        <legend>{t('customer.company.title')}</legend>
        <TextField
          label={labels.companyName!}
          name="companyName"
          required
          autoComplete="organization"
          hint={t('addCustomer.companyNameHint')}
          value={info.companyName}
          error={errors.companyName}
          onChange={(e) => props.onChange({ companyName: e.target.value }, ['companyName'])}
        />
        <DomainPrefixField
          value={info.domainPrefix}
          suffix={props.suffix}
          error={errors.domainPrefix}
          onChange={(domainPrefix) => props.onChange({ domainPrefix }, ['domainPrefix'])}
        />
        {props.rules?.isRegistrationNumberRequired && (
          <TextField
            label={labels.registrationNumber!}
            name="registrationNumber"
            required
            hint={t('addCustomer.registrationNumberHint', { country: props.rules.name })}
            value={info.registrationNumber}
            error={errors.registrationNumber}
            onChange={(e) => props.onChange({ registrationNumber: e.target.value }, ['registrationNumber'])}
          />
        )}
      </fieldset>
      <BillingContactFields value={info.contact} rules={props.rules} errors={errors} onChange={setContact} />
      <AddressFields value={info.address} errors={errors} onChange={setAddress} />
      <fieldset className="form-section">
        <legend>{t('customer.agreement.title')}</legend>
        <label className="checkbox">
          <input
            type="checkbox"
            name="agreementAccepted"
            checked={info.agreementAccepted}
            aria-describedby={hintId}
            onChange={(e) => {
              const accepted = e.target.checked;
              // The signer is usually the billing contact: offered as a start, changeable.
              const start =
                accepted && !a.firstName && !a.lastName && !a.email
                  ? {
                      firstName: info.contact.firstName,
                      lastName: info.contact.lastName,
                      email: info.contact.email,
                    }
                  : {};
              props.onChange({ agreementAccepted: accepted, agreement: { ...a, ...start } }, []);
            }}
          />
          {t('customer.agreement.accepted')}
        </label>
        <p id={hintId} className="hint">
          {t('addCustomer.agreementLater')}
        </p>
        {info.agreementAccepted && (
          <div className="reveal">
            <TextField
              label={labels.agreementFirstName!}
              name="agreementFirstName"
              required
              value={a.firstName}
              error={errors.agreementFirstName}
              onChange={(e) => setAgreement({ firstName: e.target.value }, ['agreementFirstName'])}
            />
            <TextField
              label={labels.agreementLastName!}
              name="agreementLastName"
              required
              value={a.lastName}
              error={errors.agreementLastName}
              onChange={(e) => setAgreement({ lastName: e.target.value }, ['agreementLastName'])}
            />
            <TextField
              label={labels.agreementEmail!}
              name="agreementEmail"
              type="email"
              required
              value={a.email}
              error={errors.agreementEmail}
              onChange={(e) => setAgreement({ email: e.target.value }, ['agreementEmail'])}
            />
            <TextField
              label={labels.agreementPhoneNumber!}
              name="agreementPhoneNumber"
              type="tel"
              value={a.phoneNumber}
              error={errors.agreementPhoneNumber}
              onChange={(e) => setAgreement({ phoneNumber: e.target.value }, ['agreementPhoneNumber'])}
            />
            <p className="hint">{t('customer.agreement.dateHint')}</p>
            <DateField
              label={labels.dateAgreed!}
              name="dateAgreed"
              initial={a.dateAgreed}
              showInvalid={props.tried}
              error={errors.dateAgreed}
              onChange={(v) => setAgreement({ dateAgreed: v.day, dateValid: v.valid }, ['dateAgreed'])}
            />
          </div>
        )}
      </fieldset>
      <p className="hint">{t('addCustomer.subscriptionsNext')}</p>
      <div className="actions">
        <button type="submit" className="button primary">
          {t('addCustomer.next.subscriptions')}
        </button>
        <button type="button" className="button secondary" onClick={props.onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
