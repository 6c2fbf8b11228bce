// Update a customer's company details: company name and, where the customer's country requires one, the
// registration number. If-Match as for the billing profile: a change made meanwhile by someone else is refused
// (412), and the form then shows the current values and lists what was not saved.
import { useRef } from 'react';
import type { FormEvent } from 'react';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { FormActions } from '../../components/FormActions.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { ConflictAlert } from './ConflictAlert.tsx';
import type { CompanyProfile } from './customers.queries.ts';
import { fetchCompanyProfile, useCountryRules, useCustomerMutations } from './customers.queries.ts';
import { ErrorSummary } from './ErrorSummary.tsx';
import type { FieldErrors } from './forms.ts';
import { inFormOrder } from './forms.ts';
import { showRefusedUpdate } from './refusedUpdate.ts';
import { useEditForm } from './useEditForm.ts';

const INPUTS = ['companyName', 'registrationNumber'] as const;

const draftOf = (p: CompanyProfile) => ({
  companyName: p.companyName,
  registrationNumber: p.organizationRegistrationNumber ?? '',
});

export function EditCompanyForm(props: {
  customerId: string;
  profile: CompanyProfile;
  /** The customer's country (its billing address's), whose rules say whether a registration number is used. */
  country: string;
  onDone: (saved: boolean) => void;
}) {
  const { t } = useI18n();
  const form = useRef<HTMLFormElement>(null);
  const { updateCompany } = useCustomerMutations();
  const rules = useCountryRules(props.country || undefined).data;
  const edit = useEditForm(props.profile, draftOf);
  const { base, draft, errors, problems, focusKey, conflict, set, refuse } = edit;
  const labels = {
    companyName: t('customer.company.name'),
    registrationNumber: t('customer.company.registrationNumber'),
  };
  // Shown where the country uses one, and wherever one is stored (so it can be seen and removed).
  const showRegistration = Boolean(
    rules?.isRegistrationNumberRequired || base.organizationRegistrationNumber,
  );

  const showCurrent = (current: CompanyProfile) => edit.showCurrent(current, labels, (d) => d);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (updateCompany.isPending) return;
    const missing: FieldErrors = {};
    if (draft.companyName.trim() === '') missing.companyName = t('customers.form.required');
    if (rules?.isRegistrationNumberRequired && draft.registrationNumber.trim() === '')
      missing.registrationNumber = t('customers.form.required');
    if (Object.keys(missing).length > 0) return refuse(missing, inFormOrder(missing, INPUTS));
    updateCompany.mutate(
      {
        customerId: props.customerId,
        etag: base.attributes.etag,
        body: {
          companyName: draft.companyName.trim(),
          organizationRegistrationNumber: draft.registrationNumber.trim() || null,
        },
      },
      {
        onSuccess: () => props.onDone(true),
        onError: (error) =>
          showRefusedUpdate<CompanyProfile>(error, {
            showCurrent,
            readCurrent: () => fetchCompanyProfile(props.customerId),
            refuse,
            inputs: INPUTS,
            reset: updateCompany.reset,
          }),
      },
    );
  };
  return (
    <form ref={form} onSubmit={onSubmit} noValidate aria-label={t('customer.company.edit')}>
      {conflict && <ConflictAlert conflict={conflict} />}
      <ErrorSummary problems={problems} labels={labels} focusKey={focusKey} form={form} />
      {updateCompany.isError && <ErrorAlert error={updateCompany.error} />}
      <TextField
        label={labels.companyName}
        name="companyName"
        required
        autoComplete="organization"
        value={draft.companyName}
        error={errors.companyName}
        onChange={(e) => set('companyName', e.target.value)}
      />
      {showRegistration && (
        <TextField
          label={labels.registrationNumber}
          name="registrationNumber"
          required={rules?.isRegistrationNumberRequired}
          value={draft.registrationNumber}
          error={errors.registrationNumber}
          onChange={(e) => set('registrationNumber', e.target.value)}
        />
      )}
      <FormActions pending={updateCompany.isPending} onCancel={() => props.onDone(false)} />
    </form>
  );
}
