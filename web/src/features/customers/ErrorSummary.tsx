// A refused form's summary, above its fields: every problem with the field's name, each a button that moves the
// focus to that field. It takes the focus itself when a new refusal arrives (`focusKey` changes), so keyboard
// and screen-reader users hear what is wrong before looking for it.
import { useEffect, useId, useRef } from 'react';
import type { RefObject } from 'react';
import { useI18n } from '../../i18n/i18n.tsx';
import type { Problem } from './forms.ts';

export function ErrorSummary(props: {
  problems: Problem[];
  /** The visible label of each input, by name. */
  labels: Partial<Record<string, string>>;
  /** A new value (object) per refusal. */
  focusKey: unknown;
  form: RefObject<HTMLElement | null>;
}) {
  const { t } = useI18n();
  const ref = useRef<HTMLElement>(null);
  const titleId = useId();
  useEffect(() => {
    if (props.focusKey) ref.current?.focus();
  }, [props.focusKey]);
  if (props.problems.length === 0) return null;
  const focusInput = (input: string) =>
    props.form.current?.querySelector<HTMLElement>(`[name="${input}"]`)?.focus();
  return (
    <section ref={ref} tabIndex={-1} className="alert alert-error error-summary" aria-labelledby={titleId}>
      <h2 id={titleId} className="alert-title">
        {t('customers.form.problems', { count: props.problems.length })}
      </h2>
      <ul>
        {props.problems.map((p, i) => (
          <li key={`${p.input ?? ''}${i}`}>
            {p.input ? (
              <button type="button" className="link-button" onClick={() => focusInput(p.input!)}>
                {props.labels[p.input] ?? p.input}: {p.reason}
              </button>
            ) : (
              p.reason
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
