// Edit a customer user's names, usage location and phone in place. If-Match: a change made meanwhile by someone
// else is refused (412); the form then shows the user as it is now and lists the values that were not saved,
// so they can be applied again. The API's reasons show next to their fields.
import { useQueryClient } from '@tanstack/react-query';
import { useRef } from 'react';
import type { FormEvent } from 'react';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { FormActions } from '../../components/FormActions.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { ConflictAlert } from '../customers/ConflictAlert.tsx';
import { ErrorSummary } from '../customers/ErrorSummary.tsx';
import type { FieldErrors } from '../customers/forms.ts';
import { inFormOrder } from '../customers/forms.ts';
import { showRefusedUpdate } from '../customers/refusedUpdate.ts';
import { useEditForm } from '../customers/useEditForm.ts';
import type { CustomerUser } from './customerUsers.queries.ts';
import { directoryKey, fetchUser, useDirectoryMutations } from './customerUsers.queries.ts';
import { UsageLocationField } from './fields.tsx';
import { MAX_NAME, MAX_PHONE } from './model.ts';

const INPUTS = ['firstName', 'lastName', 'displayName', 'usageLocation', 'phoneNumber'] as const;
type Input = (typeof INPUTS)[number];

const draftOf = (u: CustomerUser): Record<Input, string> => ({
  firstName: u.firstName ?? '',
  lastName: u.lastName ?? '',
  displayName: u.displayName,
  usageLocation: u.usageLocation ?? '',
  phoneNumber: u.phoneNumber ?? '',
});

export function EditUserForm(props: {
  customerId: string;
  user: CustomerUser;
  onDone: (saved: boolean) => void;
}) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const form = useRef<HTMLFormElement>(null);
  const { update } = useDirectoryMutations(props.customerId);
  const edit = useEditForm(props.user, draftOf);
  const { base, draft, errors, problems, focusKey, conflict, set, refuse } = edit;
  const labels: Record<Input, string> = {
    firstName: t('customerUsers.field.firstName'),
    lastName: t('customerUsers.field.lastName'),
    displayName: t('customerUsers.field.displayName'),
    usageLocation: t('customerUsers.field.usageLocation'),
    phoneNumber: t('customerUsers.field.phone'),
  };
  const showCurrent = (current: CustomerUser) => {
    edit.showCurrent(current, labels, (d) => d);
    queryClient.setQueryData([...directoryKey(props.customerId), 'one', current.id], current);
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (update.isPending) return;
    const missing: FieldErrors = {};
    const tooLong = t('customerUsers.field.tooLong', { max: MAX_NAME });
    for (const input of ['firstName', 'lastName', 'displayName'] as const)
      if (draft[input].trim().length > MAX_NAME) missing[input] = tooLong;
    if (draft.displayName.trim() === '') missing.displayName = t('customers.form.required');
    if (draft.phoneNumber.trim().length > MAX_PHONE)
      missing.phoneNumber = t('customerUsers.field.tooLong', { max: MAX_PHONE });
    if (Object.keys(missing).length > 0) return refuse(missing, inFormOrder(missing, INPUTS));
    // Only what changed is sent; an emptied optional field is cleared (null).
    const before = draftOf(base);
    const changed = INPUTS.filter((i) => draft[i].trim() !== before[i].trim());
    if (changed.length === 0) return props.onDone(false);
    const body: Record<string, string | null> = {};
    for (const input of changed) body[input] = draft[input].trim() || null;
    update.mutate(
      { user: base, body },
      {
        onSuccess: () => props.onDone(true),
        onError: (error) =>
          showRefusedUpdate<CustomerUser>(error, {
            showCurrent,
            readCurrent: () => fetchUser(props.customerId, base.id),
            refuse,
            inputs: INPUTS,
            reset: update.reset,
            inputFor: (field) => INPUTS.find((i) => i.toLowerCase() === field.toLowerCase()),
          }),
      },
    );
  };
  return (
    <form ref={form} onSubmit={onSubmit} noValidate aria-label={t('customerUsers.edit.title')}>
      {conflict && <ConflictAlert conflict={conflict} />}
      <ErrorSummary problems={problems} labels={labels} focusKey={focusKey} form={form} />
      {update.isError && <ErrorAlert error={update.error} />}
      <div className="form-grid">
        <TextField
          label={labels.firstName}
          name="firstName"
          autoComplete="off"
          value={draft.firstName}
          error={errors.firstName}
          onChange={(e) => set('firstName', e.target.value)}
        />
        <TextField
          label={labels.lastName}
          name="lastName"
          autoComplete="off"
          value={draft.lastName}
          error={errors.lastName}
          onChange={(e) => set('lastName', e.target.value)}
        />
      </div>
      <TextField
        label={labels.displayName}
        name="displayName"
        required
        autoComplete="off"
        value={draft.displayName}
        error={errors.displayName}
        onChange={(e) => set('displayName', e.target.value)}
      />
      <UsageLocationField
        value={draft.usageLocation}
        error={errors.usageLocation}
        onChange={(v) => set('usageLocation', v)}
      />
      <TextField
        label={labels.phoneNumber}
        name="phoneNumber"
        type="tel"
        autoComplete="off"
        value={draft.phoneNumber}
        error={errors.phoneNumber}
        onChange={(e) => set('phoneNumber', e.target.value)}
      />
      <FormActions pending={update.isPending} onCancel={() => props.onDone(false)} />
    </form>
  );
}
