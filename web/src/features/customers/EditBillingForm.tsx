// Update a customer's billing profile: contact, email, culture, language, bill-to company name (the name the
// customer list shows) and address. The whole profile is sent with If-Match of the version the form was opened
// on; if someone changed it meanwhile the API refuses (412) and answers the current profile, which the form then
// shows, listing the values that were not saved. The form checks only that required fields are filled; the
// API's reasons show next to their fields.
import { useRef } from 'react';
import type { FormEvent } from 'react';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { FormActions } from '../../components/FormActions.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { AddressFields, useAddressLabels } from './AddressFields.tsx';
import { BillingContactFields, useContactLabels } from './BillingContactFields.tsx';
import { ConflictAlert } from './ConflictAlert.tsx';
import type { BillingProfile, BillingProfileBody, CountryRules } from './customers.queries.ts';
import { fetchBillingProfile, useCountryRules, useCustomerMutations } from './customers.queries.ts';
import { ErrorSummary } from './ErrorSummary.tsx';
import type { FieldErrors } from './forms.ts';
import { inFormOrder } from './forms.ts';
import { showRefusedUpdate } from './refusedUpdate.ts';
import { useEditForm } from './useEditForm.ts';
import type { AddressValue, ContactValue } from './model.ts';
import { addressBody, effectiveLocale, missingAddressParts } from './model.ts';

interface Draft {
  contact: ContactValue;
  companyName: string;
  address: AddressValue;
}

const INPUTS = [
  'firstName',
  'lastName',
  'email',
  'culture',
  'language',
  'companyName',
  'country',
  'addressLine1',
  'addressLine2',
  'city',
  'state',
  'postalCode',
  'phoneNumber',
] as const;

function draftOf(p: BillingProfile): Draft {
  const a = p.defaultAddress;
  return {
    contact: {
      firstName: p.firstName,
      lastName: p.lastName,
      email: p.email,
      culture: p.culture,
      language: p.language,
    },
    companyName: p.companyName,
    address: {
      country: a.country,
      state: a.state ?? '',
      city: a.city,
      addressLine1: a.addressLine1,
      addressLine2: a.addressLine2 ?? '',
      postalCode: a.postalCode ?? '',
      phoneNumber: a.phoneNumber ?? '',
    },
  };
}

/** The draft as flat values by input, to compare two of them. */
function flat(d: Draft, rules: CountryRules | undefined): Record<string, string> {
  return { ...d.contact, ...effectiveLocale(d.contact, rules), companyName: d.companyName, ...d.address };
}

function bodyOf(d: Draft, base: BillingProfile, rules: CountryRules | undefined): BillingProfileBody {
  const b = base.defaultAddress;
  const firstName = d.contact.firstName.trim();
  const lastName = d.contact.lastName.trim();
  return {
    firstName,
    lastName,
    email: d.contact.email.trim(),
    ...effectiveLocale(d.contact, rules),
    companyName: d.companyName.trim(),
    // The full resource: what this form does not show (the address's own contact, region, third line) is sent
    // back as it was; an address without a contact takes the billing contact's names.
    defaultAddress: {
      ...addressBody(d.address),
      firstName: b.firstName || firstName,
      middleName: b.middleName,
      lastName: b.lastName || lastName,
      region: b.region,
      addressLine3: b.addressLine3,
    },
  };
}

export function EditBillingForm(props: {
  customerId: string;
  profile: BillingProfile;
  onDone: (saved: boolean) => void;
}) {
  const { t } = useI18n();
  const form = useRef<HTMLFormElement>(null);
  const { updateBilling } = useCustomerMutations();
  const edit = useEditForm(props.profile, draftOf);
  const { base, draft, setDraft, errors, problems, focusKey, conflict, clear, refuse } = edit;
  const rules = useCountryRules(draft.address.country || undefined).data;
  const labels: Partial<Record<string, string>> = {
    ...useContactLabels(),
    ...useAddressLabels(),
    companyName: t('customer.billing.companyName'),
  };

  const showCurrent = (current: BillingProfile) => edit.showCurrent(current, labels, (d) => flat(d, rules));

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (updateBilling.isPending) return;
    const message = t('customers.form.required');
    const missing: FieldErrors = {};
    for (const k of ['firstName', 'lastName', 'email'] as const)
      if (draft.contact[k].trim() === '') missing[k] = message;
    if (draft.companyName.trim() === '') missing.companyName = message;
    const locale = effectiveLocale(draft.contact, rules);
    if (!locale.culture) missing.culture = message;
    if (!locale.language) missing.language = message;
    for (const k of missingAddressParts(draft.address, rules)) missing[k] = message;
    if (Object.keys(missing).length > 0) return refuse(missing, inFormOrder(missing, INPUTS));
    updateBilling.mutate(
      { customerId: props.customerId, etag: base.attributes.etag, body: bodyOf(draft, base, rules) },
      {
        onSuccess: () => props.onDone(true),
        onError: (error) =>
          showRefusedUpdate<BillingProfile>(error, {
            showCurrent,
            readCurrent: () => fetchBillingProfile(props.customerId),
            refuse,
            inputs: INPUTS,
            reset: updateBilling.reset,
          }),
      },
    );
  };

  return (
    <form ref={form} onSubmit={onSubmit} noValidate aria-label={t('customer.billing.edit')}>
      {conflict && <ConflictAlert conflict={conflict} />}
      <ErrorSummary problems={problems} labels={labels} focusKey={focusKey} form={form} />
      {updateBilling.isError && <ErrorAlert error={updateBilling.error} />}
      <TextField
        label={labels.companyName!}
        name="companyName"
        required
        hint={t('customer.billing.companyNameHint')}
        value={draft.companyName}
        error={errors.companyName}
        onChange={(e) => {
          setDraft((d) => ({ ...d, companyName: e.target.value }));
          clear(['companyName']);
        }}
      />
      <BillingContactFields
        value={draft.contact}
        rules={rules}
        errors={errors}
        onChange={(patch) => {
          setDraft((d) => ({ ...d, contact: { ...d.contact, ...patch } }));
          clear(Object.keys(patch));
        }}
      />
      <AddressFields
        // A new version (after a 412) starts the address check afresh.
        key={base.attributes.etag}
        value={draft.address}
        errors={errors}
        onChange={(patch) => {
          setDraft((d) => ({
            ...d,
            address: { ...d.address, ...patch },
            ...(patch.country !== undefined && patch.country !== d.address.country
              ? { contact: { ...d.contact, culture: '', language: '' } }
              : {}),
          }));
          clear(Object.keys(patch));
        }}
      />
      <FormActions pending={updateBilling.isPending} onCancel={() => props.onDone(false)} />
    </form>
  );
}
