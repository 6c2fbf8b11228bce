// Confirm that a customer accepted the customer agreement: the signer's names, email, optional phone and the
// date of acceptance (typed in the console language's format; the API refuses a future one). Orders wait for
// this confirmation.
import { useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { ApiError } from '../../api/client.ts';
import { DateField } from '../../components/DateField.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { FormActions } from '../../components/FormActions.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import type { Customer } from './customers.queries.ts';
import { useCustomerMutations } from './customers.queries.ts';
import { ErrorSummary } from './ErrorSummary.tsx';
import type { FieldErrors, Problem } from './forms.ts';
import { agreementInput, apiProblems, inFormOrder } from './forms.ts';

const INPUTS = [
  'agreementFirstName',
  'agreementLastName',
  'agreementEmail',
  'agreementPhoneNumber',
  'dateAgreed',
];

export function ConfirmAgreementDialog(props: { customer: Customer; onClose: (confirmed: boolean) => void }) {
  const { t } = useI18n();
  const form = useRef<HTMLFormElement>(null);
  const { confirmAgreement } = useCustomerMutations();
  const b = props.customer.billingProfile;
  // The billing contact is the usual signer: offered as a start.
  const [value, setValue] = useState({
    firstName: b.firstName,
    lastName: b.lastName,
    email: b.email,
    phoneNumber: '',
  });
  const [date, setDate] = useState<{ day: string | undefined; valid: boolean }>({
    day: undefined,
    valid: true,
  });
  const [tried, setTried] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [problems, setProblems] = useState<Problem[]>([]);
  const [focusKey, setFocusKey] = useState<object>();
  const labels = {
    agreementFirstName: t('customer.agreement.signerFirstName'),
    agreementLastName: t('customer.agreement.signerLastName'),
    agreementEmail: t('customer.agreement.signerEmail'),
    agreementPhoneNumber: t('customer.agreement.signerPhone'),
    dateAgreed: t('customer.agreement.dateAgreed'),
  };
  const refuse = (byInput: FieldErrors, list: Problem[]) => {
    setErrors(byInput);
    setProblems(list);
    setFocusKey({});
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (confirmAgreement.isPending) return;
    const message = t('customers.form.required');
    const missing: FieldErrors = {};
    if (!value.firstName.trim()) missing.agreementFirstName = message;
    if (!value.lastName.trim()) missing.agreementLastName = message;
    if (!value.email.trim()) missing.agreementEmail = message;
    if (!date.valid) missing.dateAgreed = t('customer.agreement.dateUnreadable');
    else if (!date.day) missing.dateAgreed = message;
    if (Object.keys(missing).length > 0) return refuse(missing, inFormOrder(missing, INPUTS));
    confirmAgreement.mutate(
      {
        customerId: props.customer.id,
        body: {
          firstName: value.firstName.trim(),
          lastName: value.lastName.trim(),
          email: value.email.trim(),
          phoneNumber: value.phoneNumber.trim() || null,
          dateAgreed: date.day!,
        },
      },
      {
        onSuccess: () => props.onClose(true),
        onError: (error) => {
          if (error instanceof ApiError && error.details.length > 0) {
            const { errors: byInput, problems: list } = apiProblems(error, agreementInput);
            refuse(byInput, [...inFormOrder(byInput, INPUTS), ...list.filter((p) => !p.input)]);
            confirmAgreement.reset();
          }
        },
      },
    );
  };
  const text = (
    input: 'firstName' | 'lastName' | 'email' | 'phoneNumber',
    name: keyof typeof labels,
    type = 'text',
  ) => (
    <TextField
      label={labels[name]}
      name={name}
      type={type}
      required={input !== 'phoneNumber'}
      value={value[input]}
      error={errors[name]}
      onChange={(e) => {
        setValue((v) => ({ ...v, [input]: e.target.value }));
        setErrors((er) => ({ ...er, [name]: undefined }));
      }}
    />
  );
  return (
    <Dialog title={t('customer.agreement.confirmTitle')} onClose={() => props.onClose(false)}>
      <form ref={form} onSubmit={onSubmit} noValidate>
        <ErrorSummary problems={problems} labels={labels} focusKey={focusKey} form={form} />
        {confirmAgreement.isError && <ErrorAlert error={confirmAgreement.error} />}
        <p className="hint">{t('customer.agreement.confirmIntro')}</p>
        {text('firstName', 'agreementFirstName')}
        {text('lastName', 'agreementLastName')}
        {text('email', 'agreementEmail', 'email')}
        {text('phoneNumber', 'agreementPhoneNumber', 'tel')}
        <p className="hint">{t('customer.agreement.dateHint')}</p>
        <DateField
          label={labels.dateAgreed}
          name="dateAgreed"
          initial={undefined}
          showInvalid={tried}
          error={errors.dateAgreed}
          onChange={(v) => {
            setDate(v);
            setErrors((er) => ({ ...er, dateAgreed: undefined }));
          }}
        />
        <FormActions
          pending={confirmAgreement.isPending}
          actionLabel={t('customer.agreement.confirm')}
          onCancel={() => props.onClose(false)}
        />
      </form>
    </Dialog>
  );
}
