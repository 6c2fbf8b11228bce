// A dialog that says what an action will do before it happens (delete a user, suspend or cancel a
// subscription): what it does, the API's error if the attempt failed, then the action and a way out. The
// action says "Saving…" and cannot be pressed twice while the request is on its way.
import type { ReactNode } from 'react';
import { useI18n } from '../i18n/i18n.tsx';
import { Dialog } from './Dialog.tsx';
import { ErrorAlert } from './ErrorAlert.tsx';

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
  const { t } = useI18n();
  return (
    <Dialog title={props.title} onClose={props.onCancel}>
      {props.children}
      {props.error != null && <ErrorAlert error={props.error} />}
      <div className="actions">
        <button
          type="button"
          className={props.danger ? 'button danger' : 'button primary'}
          disabled={props.pending}
          onClick={props.onConfirm}
        >
          {props.pending ? t('common.saving') : props.confirmLabel}
        </button>
        <button type="button" className="button secondary" onClick={props.onCancel}>
          {props.cancelLabel ?? t('common.cancel')}
        </button>
      </div>
    </Dialog>
  );
}
