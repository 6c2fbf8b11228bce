// A dialog that creates something whose result is shown only once (a user's temporary password, an API
// token's secret): the form with the API's error above its fields until it succeeds, then the result and a
// Close button, so the one-time value cannot be lost to a second submit.
import type { FormEvent, ReactNode } from 'react';
import { useI18n } from '../i18n/i18n.tsx';
import { Dialog } from './Dialog.tsx';
import { ErrorAlert } from './ErrorAlert.tsx';
import { FormActions } from './FormActions.tsx';

export function OneTimeResultDialog(props: {
  title: string;
  onClose: () => void;
  /** What the API answered, once it did: shown instead of the form. */
  result: ReactNode | undefined;
  onSubmit: () => void;
  /** The failed attempt's error, null or undefined before one (the fields show their own reasons from it). */
  error: unknown;
  pending: boolean;
  submitLabel: string;
  /** The form's fields. */
  children: ReactNode;
}) {
  const { t } = useI18n();
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    props.onSubmit();
  };
  return (
    <Dialog title={props.title} onClose={props.onClose}>
      {props.result !== undefined ? (
        <>
          {props.result}
          <div className="actions">
            <button type="button" className="button primary" onClick={props.onClose}>
              {t('common.close')}
            </button>
          </div>
        </>
      ) : (
        <form onSubmit={onSubmit} noValidate>
          {props.error != null && <ErrorAlert error={props.error} />}
          {props.children}
          <FormActions pending={props.pending} actionLabel={props.submitLabel} onCancel={props.onClose} />
        </form>
      )}
    </Dialog>
  );
}
