// /customers/:customerId/service-requests/new: open a service request for this customer. Title, description,
// severity (each with its first-response target), the support topic, optionally the subscription it is about,
// the customer's contact for it (the billing contact to begin with) and up to three files, sent with the
// request. The targets, the file size limit, the number of files and the types offered are the server's
// settings. The form checks only that the required fields are filled and that no file is over the limit (it
// would be read and sent in full first); every other rule (file types among them) is the API's, whose reasons
// show next to their fields. Sent: the request's page opens.
import { useId, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { FormActions } from '../../components/FormActions.tsx';
import { TextField } from '../../components/TextField.tsx';
import { EmptyState, Loading } from '../../components/states.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { useCustomerOfPage } from '../customers/CustomerPage.tsx';
import type { Customer } from '../customers/customers.queries.ts';
import { ErrorSummary } from '../customers/ErrorSummary.tsx';
import type { FieldErrors, Problem } from '../customers/forms.ts';
import { inFormOrder, requestIdSequence } from '../customers/forms.ts';
import { SelectField } from '../customers/SelectField.tsx';
import { useSupportAccess } from './access.ts';
import { FileSize } from './FileSize.tsx';
import type { Draft, FileBody, SupportSettings } from './model.ts';
import {
  REQUIRED_INPUTS,
  SEVERITIES,
  acceptOf,
  attachmentIndex,
  contentTypeOf,
  createBody,
  filesHint,
  inputForField,
  missingInputs,
  severityChoiceText,
  toBase64,
  tooLarge,
} from './model.ts';
import {
  useCreateServiceRequest,
  useCustomerSubscriptions,
  useSupportSettings,
  useSupportTopics,
} from './support.queries.ts';
import './support.css';

const FORM_ORDER = [...REQUIRED_INPUTS, 'subscriptionId', 'phoneNumber', 'attachments'] as const;

const draftOf = (c: Customer): Draft => ({
  title: '',
  description: '',
  severity: '',
  supportTopicId: '',
  subscriptionId: '',
  firstName: c.billingProfile.firstName,
  lastName: c.billingProfile.lastName,
  email: c.billingProfile.email,
  phoneNumber: c.billingProfile.defaultAddress.phoneNumber ?? '',
});

async function fileBody(file: File, settings: SupportSettings): Promise<FileBody> {
  return {
    fileName: file.name,
    contentType: contentTypeOf(file, settings),
    content: toBase64(new Uint8Array(await file.arrayBuffer())),
  };
}

function SeverityChoice(props: {
  value: Draft['severity'];
  settings: SupportSettings;
  error?: string;
  onChange: (s: Draft['severity']) => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const legendId = useId();
  return (
    <fieldset
      className="field sr-severity-choice"
      aria-labelledby={legendId}
      aria-describedby={props.error ? `${legendId}-error` : `${legendId}-hint`}
      aria-invalid={props.error ? true : undefined}
    >
      <legend id={legendId}>{t('support.field.severity')}</legend>
      <p id={`${legendId}-hint`} className="hint">
        {t('support.field.severityHint')}
      </p>
      {SEVERITIES.map((s) => (
        <label key={s} className="checkbox">
          <input
            type="radio"
            name="severity"
            value={s}
            checked={props.value === s}
            onChange={() => props.onChange(s)}
          />
          {severityChoiceText(i18n, props.settings, s)}
        </label>
      ))}
      {props.error && (
        <p id={`${legendId}-error`} className="field-error">
          {props.error}
        </p>
      )}
    </fieldset>
  );
}

function TextArea(props: {
  name: string;
  label: string;
  hint?: string;
  value: string;
  maxLength: number;
  rows: number;
  error?: string;
  onChange: (value: string) => void;
}) {
  const id = useId();
  const describedBy = [props.hint ? `${id}-hint` : '', props.error ? `${id}-error` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      {props.hint && (
        <p id={`${id}-hint`} className="hint">
          {props.hint}
        </p>
      )}
      <textarea
        id={id}
        name={props.name}
        rows={props.rows}
        maxLength={props.maxLength}
        value={props.value}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={describedBy || undefined}
        onChange={(e) => props.onChange(e.target.value)}
      />
      {props.error && (
        <p id={`${id}-error`} className="field-error">
          {props.error}
        </p>
      )}
    </div>
  );
}

function FilesField(props: {
  files: File[];
  settings: SupportSettings;
  error?: string;
  onChange: (files: File[]) => void;
}) {
  const i18n = useI18n();
  const { t, number } = i18n;
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const max = props.settings.maxAttachmentsAtCreate;
  const full = props.files.length >= max;
  return (
    <div className="field">
      <label htmlFor={id}>{t('support.field.attachments')}</label>
      <p id={`${id}-hint`} className="hint">
        {filesHint(i18n, props.settings)}
      </p>
      <input
        ref={input}
        id={id}
        name="attachments"
        type="file"
        multiple
        accept={acceptOf(props.settings)}
        disabled={full}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={props.error ? `${id}-hint ${id}-error` : `${id}-hint`}
        onChange={(e) => {
          const chosen = [...(e.target.files ?? [])];
          props.onChange([...props.files, ...chosen].slice(0, max));
          // The same file can be chosen again after being removed.
          e.target.value = '';
        }}
      />
      {props.files.length > 0 && (
        <ul className="sr-chosen-files" aria-label={t('support.field.chosenFiles')}>
          {props.files.map((f, i) => (
            <li key={`${f.name}${i}`}>
              <span className="strong">{f.name}</span> <FileSize bytes={f.size} />{' '}
              <button
                type="button"
                className="link-button"
                onClick={() => {
                  props.onChange(props.files.filter((_, j) => j !== i));
                  input.current?.focus();
                }}
              >
                {t('support.field.removeFile', { name: f.name })}
              </button>
            </li>
          ))}
        </ul>
      )}
      {full && <p className="hint">{t('support.field.filesFull', { count: number(max) })}</p>}
      {props.error && (
        <p id={`${id}-error`} className="field-error">
          {props.error}
        </p>
      )}
    </div>
  );
}

export function NewServiceRequestPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const c = useCustomerOfPage();
  const navigate = useNavigate();
  const access = useSupportAccess();
  const topics = useSupportTopics(access.canManage);
  const settings = useSupportSettings(access.canManage);
  const subscriptions = useCustomerSubscriptions(c.id, access.canManage);
  const create = useCreateServiceRequest(c.id);
  const form = useRef<HTMLFormElement>(null);
  const [requestIdFor] = useState(requestIdSequence);
  const [draft, setDraft] = useState(() => draftOf(c));
  const [files, setFiles] = useState<File[]>([]);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [problems, setProblems] = useState<Problem[]>([]);
  const [focusKey, setFocusKey] = useState<object>();
  const [reading, setReading] = useState(false);
  const back = `/customers/${c.id}/service-requests`;
  const name = c.billingProfile.companyName;

  const labels: Record<(typeof FORM_ORDER)[number], string> = {
    title: t('support.field.title'),
    description: t('support.field.description'),
    severity: t('support.field.severity'),
    supportTopicId: t('support.field.topic'),
    subscriptionId: t('support.field.subscription'),
    firstName: t('support.field.firstName'),
    lastName: t('support.field.lastName'),
    email: t('support.field.email'),
    phoneNumber: t('support.field.phone'),
    attachments: t('support.field.attachments'),
  };
  const refuse = (byInput: FieldErrors, list: Problem[]) => {
    setErrors(byInput);
    setProblems(list);
    setFocusKey({});
  };
  const set = <K extends keyof Draft>(input: K, value: Draft[K]) => {
    setDraft((d) => ({ ...d, [input]: value }));
    if (errors[input]) {
      setErrors(({ [input]: _, ...rest }) => rest);
      setProblems((list) => list.filter((p) => p.input !== input));
    }
  };

  const header = (
    <>
      <p>
        <Link to={back}>{t('support.new.back')}</Link>
      </p>
      <h2 id="new-sr-heading" className="step-heading">
        {t('support.new.title')}
      </h2>
      <p className="muted">{t('support.new.intro', { customer: name })}</p>
    </>
  );
  if (!access.canManage)
    return (
      <section aria-labelledby="new-sr-heading">
        {header}
        <EmptyState>
          <p>{t('support.new.notAllowed')}</p>
        </EmptyState>
      </section>
    );
  // The targets and file rules the form states are the server's: nothing to offer until they are known.
  if (!settings.isSuccess)
    return (
      <section aria-labelledby="new-sr-heading">
        {header}
        {settings.isError ? (
          <ErrorAlert error={settings.error} onRetry={() => void settings.refetch()} />
        ) : (
          <Loading />
        )}
      </section>
    );
  const rules = settings.data;

  /** The API's reasons next to their fields; a file's reason names the file. */
  const showRefusal = (error: unknown, sent: File[]) => {
    if (!(error instanceof ApiError) || error.details.length === 0) return;
    const byInput: FieldErrors = {};
    const unlinked: Problem[] = [];
    for (const d of error.details) {
      const input = inputForField(d.field);
      const index = attachmentIndex(d.field);
      const reason = index !== undefined && sent[index] ? `${sent[index].name}: ${d.reason}` : d.reason;
      if (input) byInput[input] = byInput[input] ? `${byInput[input]}; ${reason}` : reason;
      else unlinked.push({ reason: `${d.field}: ${d.reason}` });
    }
    refuse(byInput, [...inFormOrder(byInput, FORM_ORDER), ...unlinked]);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (create.isPending || reading) return;
    const missing = missingInputs(draft);
    if (missing.length) {
      const byInput: FieldErrors = Object.fromEntries(missing.map((k) => [k, t('customers.form.required')]));
      return refuse(byInput, inFormOrder(byInput, FORM_ORDER));
    }
    const oversized = tooLarge(i18n, rules, files);
    if (oversized) {
      const byInput = { attachments: oversized };
      return refuse(byInput, inFormOrder(byInput, FORM_ORDER));
    }
    setReading(true);
    let attachments: FileBody[];
    try {
      attachments = await Promise.all(files.map((f) => fileBody(f, rules)));
    } catch {
      setReading(false);
      const byInput = { attachments: t('support.field.unreadable') };
      return refuse(byInput, inFormOrder(byInput, FORM_ORDER));
    }
    setReading(false);
    refuse({}, []);
    const body = createBody(draft, attachments);
    const sent = files;
    create.mutate(
      { body, requestId: requestIdFor(body) },
      {
        onSuccess: (x) =>
          void navigate(`/service-requests/${x.referenceNumber}`, { state: { created: true } }),
        onError: (error) => showRefusal(error, sent),
      },
    );
  };

  const topic = topics.data?.items.find((x) => x.id === draft.supportTopicId);
  return (
    <section aria-labelledby="new-sr-heading" className="new-sr">
      {header}
      <form ref={form} noValidate onSubmit={(e) => void submit(e)}>
        {create.isError && <ErrorAlert error={create.error} />}
        <ErrorSummary problems={problems} labels={labels} focusKey={focusKey} form={form} />
        <TextField
          label={labels.title}
          name="title"
          maxLength={200}
          required
          value={draft.title}
          error={errors.title}
          onChange={(e) => set('title', e.target.value)}
        />
        <TextArea
          name="description"
          label={labels.description}
          hint={t('support.field.descriptionHint')}
          rows={6}
          maxLength={10000}
          value={draft.description}
          error={errors.description}
          onChange={(v) => set('description', v)}
        />
        <SeverityChoice
          value={draft.severity}
          settings={rules}
          error={errors.severity}
          onChange={(s) => set('severity', s)}
        />
        {topics.isError ? (
          <ErrorAlert error={topics.error} onRetry={() => void topics.refetch()} />
        ) : (
          <SelectField
            label={labels.supportTopicId}
            name="supportTopicId"
            required
            value={draft.supportTopicId}
            placeholder={topics.isPending ? t('common.loading') : t('support.field.chooseTopic')}
            hint={topic?.description}
            error={errors.supportTopicId}
            options={(topics.data?.items ?? []).map((x) => ({ value: x.id, label: x.name }))}
            onChange={(e) => set('supportTopicId', e.target.value)}
          />
        )}
        <SelectField
          label={labels.subscriptionId}
          name="subscriptionId"
          value={draft.subscriptionId}
          placeholder={t('support.field.noSubscription')}
          hint={t('support.field.subscriptionHint')}
          error={errors.subscriptionId}
          options={(subscriptions.data?.items ?? []).map((s) => ({
            value: s.id,
            label: `${s.friendlyName} (${s.offerName})`,
          }))}
          onChange={(e) => set('subscriptionId', e.target.value)}
        />
        <fieldset className="form-section">
          <legend>{t('support.field.contact')}</legend>
          <p className="hint">{t('support.field.contactHint')}</p>
          <TextField
            label={labels.firstName}
            name="firstName"
            autoComplete="off"
            maxLength={100}
            required
            value={draft.firstName}
            error={errors.firstName}
            onChange={(e) => set('firstName', e.target.value)}
          />
          <TextField
            label={labels.lastName}
            name="lastName"
            autoComplete="off"
            maxLength={100}
            required
            value={draft.lastName}
            error={errors.lastName}
            onChange={(e) => set('lastName', e.target.value)}
          />
          <TextField
            label={labels.email}
            name="email"
            type="email"
            autoComplete="off"
            maxLength={254}
            required
            value={draft.email}
            error={errors.email}
            onChange={(e) => set('email', e.target.value)}
          />
          <TextField
            label={labels.phoneNumber}
            name="phoneNumber"
            type="tel"
            autoComplete="off"
            maxLength={40}
            value={draft.phoneNumber}
            error={errors.phoneNumber}
            onChange={(e) => set('phoneNumber', e.target.value)}
          />
        </fieldset>
        <FilesField
          files={files}
          settings={rules}
          error={errors.attachments}
          onChange={(next) => {
            setFiles(next);
            if (errors.attachments) {
              setErrors(({ attachments: _, ...rest }) => rest);
              setProblems((list) => list.filter((p) => p.input !== 'attachments'));
            }
          }}
        />
        <FormActions
          pending={create.isPending || reading}
          actionLabel={t('support.new.submit')}
          onCancel={() => void navigate(back)}
        />
      </form>
    </section>
  );
}
