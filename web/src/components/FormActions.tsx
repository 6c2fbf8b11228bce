// The two buttons under a form or a confirmation: the action, which says "Saving…" and cannot be pressed again
// while its request is on its way, and a way out. One component, so every form in the console acts alike.
import { useI18n } from '../i18n/i18n.tsx';

export function FormActions(props: {
  pending: boolean;
  onCancel: () => void;
  /** Without it the action submits the form it is in. */
  onAction?: () => void;
  /** Save unless the action calls for other words. */
  actionLabel?: string;
  /** Cancel unless the way out calls for other words. */
  cancelLabel?: string;
  /** An action that removes or stops something is shown as dangerous. */
  danger?: boolean;
}) {
  const { t } = useI18n();
  return (
    <div className="actions">
      <button
        type={props.onAction ? 'button' : 'submit'}
        className={props.danger ? 'button danger' : 'button primary'}
        disabled={props.pending}
        onClick={props.onAction}
      >
        {props.pending ? t('common.saving') : (props.actionLabel ?? t('common.save'))}
      </button>
      <button type="button" className="button secondary" onClick={props.onCancel}>
        {props.cancelLabel ?? t('common.cancel')}
      </button>
    </div>
  );
}
