// What can be done to an open request, each sent with If-Match of the version on screen (a change made
// meanwhile is refused with 412, which the page turns into "changed — reload"): a note (the first one after the
// request was opened or reopened is its first response), marking it as waiting on the customer or open again,
// closing it (with an optional closing note, said before it happens), its severity, and who it is assigned to —
// anyone who may work on support for those who may list partner users, else oneself or nobody. A closed
// request offers only its reopening.
import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { ApiError } from '../../api/client.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { SelectField } from '../customers/SelectField.tsx';
import type { SupportAccess } from './access.ts';
import { useSupportLabels } from './labels.ts';
import type { Severity } from './model.ts';
import { SEVERITIES, actionsFor, closeBody } from './model.ts';
import type { RequestPatch, ServiceRequest } from './support.queries.ts';
import { useAssignees, useRequestMutations } from './support.queries.ts';

/** What a change needs from the page: the request as shown, where to report a done change or a 412. */
export interface ChangeProps {
  request: ServiceRequest;
  idOrNumber: string;
  onDone: (message: string) => void;
  onConflict: () => void;
}

/** One PATCH with If-Match; a 412 goes to the page, any other refusal stays with the control that sent it. */
function useChange(props: ChangeProps) {
  const { update } = useRequestMutations(props.idOrNumber);
  const send = (body: RequestPatch, done: string, after?: () => void) =>
    update.mutate(
      { request: props.request, body },
      {
        onSuccess: () => {
          after?.();
          props.onDone(done);
        },
        onError: (error) => {
          if (error instanceof ApiError && error.status === 412) props.onConflict();
        },
      },
    );
  const shown = update.error instanceof ApiError && update.error.status === 412 ? null : update.error;
  return { send, pending: update.isPending, error: shown };
}

export function NoteComposer(props: ChangeProps) {
  const { t } = useI18n();
  const id = useId();
  const change = useChange(props);
  const [text, setText] = useState('');
  const [missing, setMissing] = useState(false);
  const reason =
    (missing ? t('support.note.required') : undefined) ??
    (change.error instanceof ApiError ? change.error.fieldError('newNote.text') : undefined);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (change.pending) return;
    if (text.trim() === '') return setMissing(true);
    change.send({ newNote: { text: text.trim() } }, t('support.done.note'), () => setText(''));
  };
  return (
    <section className="panel" aria-labelledby="sr-compose">
      <h2 id="sr-compose">{t('support.note.title')}</h2>
      <form noValidate onSubmit={submit}>
        {change.error != null && <ErrorAlert error={change.error} />}
        <div className="field">
          <label htmlFor={id}>{t('support.note.label')}</label>
          <p id={`${id}-hint`} className="hint">
            {t('support.note.hint')}
          </p>
          <textarea
            id={id}
            name="note"
            rows={4}
            maxLength={5000}
            value={text}
            aria-invalid={reason ? true : undefined}
            aria-describedby={reason ? `${id}-hint ${id}-error` : `${id}-hint`}
            onChange={(e) => {
              setText(e.target.value);
              setMissing(false);
            }}
          />
          {reason && (
            <p id={`${id}-error`} className="field-error">
              {reason}
            </p>
          )}
        </div>
        <button type="submit" className="button primary" disabled={change.pending}>
          {change.pending ? t('common.saving') : t('support.note.submit')}
        </button>
      </form>
    </section>
  );
}

function CloseDialog(props: ChangeProps & { onClose: () => void }) {
  const { t } = useI18n();
  const id = useId();
  const change = useChange({
    ...props,
    onConflict: () => {
      props.onClose();
      props.onConflict();
    },
  });
  const [note, setNote] = useState('');
  return (
    <ConfirmDialog
      title={t('support.close.title', { reference: props.request.referenceNumber })}
      onCancel={props.onClose}
      onConfirm={() => change.send(closeBody(note), t('support.done.closed'), props.onClose)}
      confirmLabel={t('support.close.confirm')}
      cancelLabel={t('support.close.keep')}
      pending={change.pending}
      error={change.error}
    >
      <p>{t('support.close.body')}</p>
      <div className="field">
        <label htmlFor={id}>{t('support.close.note')}</label>
        <p id={`${id}-hint`} className="hint">
          {t('support.close.noteHint')}
        </p>
        <textarea
          id={id}
          name="closingNote"
          rows={3}
          maxLength={5000}
          value={note}
          aria-describedby={`${id}-hint`}
          onChange={(e) => setNote(e.target.value)}
        />
      </div>
    </ConfirmDialog>
  );
}

function SeverityControl(props: ChangeProps) {
  const { t } = useI18n();
  const label = useSupportLabels();
  const change = useChange(props);
  const [severity, setSeverity] = useState<Severity>(props.request.severity);
  const [seen, setSeen] = useState(props.request.severity);
  // The request changed (here or after a reload): the choice follows it.
  if (seen !== props.request.severity) {
    setSeen(props.request.severity);
    setSeverity(props.request.severity);
  }
  return (
    <form
      className="sr-inline-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        change.send({ severity }, t('support.done.severity', { severity: label('severity', severity) }));
      }}
    >
      {change.error != null && <ErrorAlert error={change.error} />}
      <SelectField
        label={t('support.field.severity')}
        name="severity"
        value={severity}
        hint={t('support.changeSeverity.hint')}
        options={SEVERITIES.map((s) => ({ value: s, label: label('severity', s) }))}
        onChange={(e) => setSeverity(e.target.value as Severity)}
      />
      <button
        type="submit"
        className="button secondary"
        disabled={change.pending || severity === props.request.severity}
      >
        {t('support.changeSeverity.submit')}
      </button>
    </form>
  );
}

function AssignmentControl(props: ChangeProps & { access: SupportAccess }) {
  const { t } = useI18n();
  const change = useChange(props);
  const users = useAssignees(props.access.canListUsers);
  const current = props.request.assignedTo?.contactId ?? '';
  const [chosen, setChosen] = useState(current);
  const [seen, setSeen] = useState(current);
  if (seen !== current) {
    setSeen(current);
    setChosen(current);
  }
  const assign = (to: string) => {
    const name = users.data?.find((u) => u.id === to)?.displayName ?? props.access.displayName;
    change.send(
      { assignedTo: to || null },
      to ? t('support.done.assigned', { name }) : t('support.done.unassigned'),
    );
  };
  if (props.access.canListUsers && !users.isError)
    return (
      <form
        className="sr-inline-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          assign(chosen);
        }}
      >
        {change.error != null && <ErrorAlert error={change.error} />}
        <SelectField
          label={t('support.field.assignedTo')}
          name="assignedTo"
          value={chosen}
          placeholder={users.isPending ? t('common.loading') : t('support.unassigned')}
          hint={t('support.assign.hint')}
          error={change.error instanceof ApiError ? change.error.fieldError('assignedTo') : undefined}
          options={(users.data ?? []).map((u) => ({
            value: u.id,
            label: `${u.displayName} (${u.userName})`,
          }))}
          onChange={(e) => setChosen(e.target.value)}
        />
        <button type="submit" className="button secondary" disabled={change.pending || chosen === current}>
          {t('support.assign.submit')}
        </button>
      </form>
    );
  // Without the list of partner users: oneself or nobody.
  return (
    <div className="sr-inline-form">
      {change.error != null && <ErrorAlert error={change.error} />}
      <p>
        {t('support.field.assignedTo')}:{' '}
        {props.request.assignedTo ? (
          <span className="strong">{props.request.assignedTo.name}</span>
        ) : (
          <span className="muted">{t('support.unassigned')}</span>
        )}
      </p>
      <div className="actions">
        {current !== props.access.userId && (
          <button
            type="button"
            className="button secondary"
            disabled={change.pending}
            onClick={() => assign(props.access.userId)}
          >
            {t('support.assign.me')}
          </button>
        )}
        {current && (
          <button
            type="button"
            className="button secondary"
            disabled={change.pending}
            onClick={() => assign('')}
          >
            {t('support.assign.none')}
          </button>
        )}
      </div>
    </div>
  );
}

export function RequestActions(props: ChangeProps & { access: SupportAccess }) {
  const { t } = useI18n();
  const r = props.request;
  const actions = actionsFor(r, props.access.canManage);
  const status = useChange(props);
  const [closing, setClosing] = useState(false);
  if (!actions.edit && !actions.reopen) return null;
  return (
    <section className="panel" aria-labelledby="sr-actions">
      <h2 id="sr-actions">{t('support.actions.title')}</h2>
      {status.error != null && <ErrorAlert error={status.error} />}
      <div className="actions">
        {actions.toggleStatus === 'attentionNeeded' && (
          <button
            type="button"
            className="button secondary"
            disabled={status.pending}
            onClick={() => status.send({ status: 'attentionNeeded' }, t('support.done.attentionNeeded'))}
          >
            {t('support.actions.attentionNeeded')}
          </button>
        )}
        {actions.toggleStatus === 'open' && (
          <button
            type="button"
            className="button secondary"
            disabled={status.pending}
            onClick={() => status.send({ status: 'open' }, t('support.done.open'))}
          >
            {t('support.actions.open')}
          </button>
        )}
        {actions.close && (
          <button type="button" className="button danger" onClick={() => setClosing(true)}>
            {t('support.actions.close')}
          </button>
        )}
        {actions.reopen && (
          <button
            type="button"
            className="button primary"
            disabled={status.pending}
            onClick={() => status.send({ status: 'open' }, t('support.done.reopened'))}
          >
            {t('support.actions.reopen')}
          </button>
        )}
      </div>
      {actions.toggleStatus === 'attentionNeeded' && (
        <p className="hint">{t('support.actions.attentionHint')}</p>
      )}
      {actions.reopen && <p className="hint">{t('support.actions.reopenHint')}</p>}
      {closing && <CloseDialog {...props} onClose={() => setClosing(false)} />}
      {actions.edit && (
        <div className="sr-controls">
          <SeverityControl {...props} />
          <AssignmentControl {...props} />
        </div>
      )}
    </section>
  );
}
