// Shown when an update was refused because someone else changed the profile since the form was opened (412):
// nothing was saved, the form now holds the current values, and the values the user had typed are listed so
// they can be applied again. It takes the focus when it appears.
import { useEffect, useId, useRef } from 'react';
import { useI18n } from '../../i18n/i18n.tsx';

export interface Unsaved {
  label: string;
  value: string;
}

export function ConflictAlert(props: { conflict: { unsaved: Unsaved[] } }) {
  const { t } = useI18n();
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();
  useEffect(() => {
    ref.current?.focus();
  }, [props.conflict]);
  return (
    <div ref={ref} tabIndex={-1} className="alert alert-warning" role="group" aria-labelledby={titleId}>
      <p id={titleId} className="alert-title">
        {t('customer.conflict.title')}
      </p>
      <p>{t('customer.conflict.body')}</p>
      {props.conflict.unsaved.length > 0 && (
        <>
          <p>{t('customer.conflict.yourValues')}</p>
          <ul>
            {props.conflict.unsaved.map((u) => (
              <li key={u.label}>
                <span className="strong">{u.label}</span>: {u.value || t('customer.none')}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

/** The user's values that differ from the current ones, with their labels. */
export function unsavedValues(
  mine: Record<string, string>,
  current: Record<string, string>,
  labels: Partial<Record<string, string>>,
): Unsaved[] {
  return Object.keys(mine)
    .filter((k) => (mine[k] ?? '').trim() !== (current[k] ?? '').trim())
    .map((k) => ({ label: labels[k] ?? k, value: mine[k] ?? '' }));
}
