// Current and new password (twice), the rules shown, the API's reasons next to the field they concern. The
// owner says which API changes the password: a partner user's (the forced change after a temporary password,
// My profile) or a customer user's (the customer-facing pages).
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { ApiError } from '../api/client.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { ErrorAlert } from './ErrorAlert.tsx';
import { TextField } from './TextField.tsx';

export interface PasswordChange {
  currentPassword: string;
  newPassword: string;
}

export function PasswordChangeForm(props: {
  /** For password managers: the account whose password this is. */
  userName: string;
  currentLabel: string;
  change: (body: PasswordChange) => Promise<unknown>;
  onChanged: () => void | Promise<void>;
  /** Further buttons beside the submit button. */
  children?: ReactNode;
}) {
  const { t } = useI18n();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const mutation = useMutation({
    mutationFn: () => props.change({ currentPassword: current, newPassword: next }),
    onSuccess: async () => {
      setCurrent('');
      setNext('');
      setConfirm('');
      await props.onChanged();
    },
  });
  const error = mutation.error instanceof ApiError ? mutation.error : undefined;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setMismatch(next !== confirm);
    if (next === confirm) mutation.mutate();
  };
  return (
    <form onSubmit={onSubmit} noValidate>
      {mutation.isError && <ErrorAlert error={mutation.error} />}
      <input type="hidden" name="username" autoComplete="username" value={props.userName} readOnly />
      <TextField
        label={props.currentLabel}
        name="currentPassword"
        type="password"
        autoComplete="current-password"
        required
        value={current}
        error={error?.fieldError('currentPassword')}
        onChange={(e) => setCurrent(e.target.value)}
      />
      <TextField
        label={t('changePassword.new')}
        name="newPassword"
        type="password"
        autoComplete="new-password"
        required
        hint={t('changePassword.rules')}
        value={next}
        error={error?.fieldError('newPassword')}
        onChange={(e) => setNext(e.target.value)}
      />
      <TextField
        label={t('changePassword.confirm')}
        name="confirmPassword"
        type="password"
        autoComplete="new-password"
        required
        value={confirm}
        error={mismatch ? t('changePassword.mismatch') : undefined}
        onChange={(e) => setConfirm(e.target.value)}
      />
      <div className="actions">
        <button type="submit" className="button primary" disabled={mutation.isPending}>
          {mutation.isPending ? t('common.saving') : t('changePassword.submit')}
        </button>
        {props.children}
      </div>
    </form>
  );
}
