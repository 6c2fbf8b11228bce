// A dialog that says what an action will do before it happens (delete a user, suspend or cancel a
// subscription): what it does, the API's error if the attempt failed, then the action and a way out. The
// action says "Saving…" and cannot be pressed twice while the request is on its way.
import type { ReactNode } from 'react';
import { Dialog } from './Dialog.tsx';
import { ErrorAlert } from './ErrorAlert.tsx';
import { FormActions } from './FormActions.tsx';

export function ConfirmDialog(props: {
  title: string;
  /** Closed without acting (Escape, or the way-out button). */
  onCancel: () => void;
  onConfirm: () => void;
  confirmLabel: string;
  /** The way out's label; Cancel unless the action calls for other words. */
  cancelLabel?: string;
  /** An action that removes or stops something is shown as dangerous. */
  danger?: boolean;
  pending: boolean;
  /** The failed attempt's error; null or undefined before one. */
  error: unknown;
  /** What the action does. */
  children: ReactNode;
}) {
  return (
    <Dialog title={props.title} onClose={props.onCancel}>
      {props.children}
      {props.error != null && <ErrorAlert error={props.error} />}
      <FormActions
        pending={props.pending}
        onAction={props.onConfirm}
        actionLabel={props.confirmLabel}
        onCancel={props.onCancel}
        cancelLabel={props.cancelLabel}
        danger={props.danger}
      />
    </Dialog>
  );
}
