// Change one value of a subscription in place (its quantity, its friendly name) with If-Match: a change made
// meanwhile by someone else is refused (412) — the form then shows the current value and the one the user
// had typed, nothing overwritten. The API's reason about the field shows next to it.
import { useRef, useState } from 'react';
import type { FormEvent, InputHTMLAttributes } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../../api/client.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { FormActions } from '../../components/FormActions.tsx';
import { TextField } from '../../components/TextField.tsx';
import type { Unsaved } from '../customers/ConflictAlert.tsx';
import { ConflictAlert } from '../customers/ConflictAlert.tsx';
import type { Subscription, SubscriptionPatch } from './subscriptions.queries.ts';
import { fetchSubscription, subscriptionKey, useSubscriptionMutations } from './subscriptions.queries.ts';

export function EditValueForm(props: {
  subscription: Subscription;
  name: 'quantity' | 'friendlyName';
  label: string;
  hint?: string;
  input?: Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'name' | 'value' | 'onChange'>;
  valueOf: (s: Subscription) => string;
  /** The reason the value cannot be sent, if any. */
  check: (text: string) => string | undefined;
  body: (text: string) => SubscriptionPatch;
  onDone: (saved: boolean) => void;
}) {
  const queryClient = useQueryClient();
  const s = props.subscription;
  const { update } = useSubscriptionMutations(s.customerId);
  const field = useRef<HTMLDivElement>(null);
  const [text, setText] = useState(() => props.valueOf(s));
  const [error, setError] = useState<string>();
  const [conflict, setConflict] = useState<{ unsaved: Unsaved[] }>();
  const showCurrent = (current: Subscription) => {
    queryClient.setQueryData(subscriptionKey(s.customerId, s.id), current);
    setConflict({ unsaved: [{ label: props.label, value: text }] });
    setText(props.valueOf(current));
    setError(undefined);
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (update.isPending) return;
    const problem = props.check(text);
    if (problem) {
      setError(problem);
      field.current?.querySelector('input')?.focus();
      return;
    }
    update.mutate(
      { subscription: s, body: props.body(text) },
      {
        onSuccess: () => props.onDone(true),
        onError: (e) => {
          if (!(e instanceof ApiError)) return;
          if (e.status === 412) {
            const current = e.data[0] as Subscription | undefined;
            if (current) showCurrent(current);
            else void fetchSubscription(s.customerId, s.id).then(showCurrent);
            update.reset();
          } else {
            const reason = e.fieldError(props.name);
            if (reason) {
              setError(reason);
              update.reset();
              field.current?.querySelector('input')?.focus();
            }
          }
        },
      },
    );
  };
  return (
    <form onSubmit={onSubmit} noValidate className="edit-value">
      {conflict && <ConflictAlert conflict={conflict} />}
      {update.isError && <ErrorAlert error={update.error} />}
      <div ref={field}>
        <TextField
          label={props.label}
          name={props.name}
          hint={props.hint}
          required
          {...props.input}
          value={text}
          error={error}
          onChange={(e) => {
            setText(e.target.value);
            setError(undefined);
          }}
        />
      </div>
      <FormActions pending={update.isPending} onCancel={() => props.onDone(false)} />
    </form>
  );
}
