// A flow's steps as a visible numbered list (adding a customer, adding users from a file): the current one
// marked for screen readers (aria-current="step"), the ones before it said to be done.
import { useI18n } from '../i18n/i18n.tsx';

export function StepList<S extends string>(props: {
  steps: readonly S[];
  current: S;
  /** The list's accessible name. */
  label: string;
  name: (step: S) => string;
}) {
  const { t } = useI18n();
  const at = props.steps.indexOf(props.current);
  return (
    <ol className="stepper" aria-label={props.label}>
      {props.steps.map((step, i) => (
        <li
          key={step}
          aria-current={i === at ? 'step' : undefined}
          className={i < at ? 'done' : i === at ? 'current' : undefined}
        >
          <span className="step-number" aria-hidden="true">
            {i + 1}
          </span>
          <span>{props.name(step)}</span>
          {i < at && <span className="visually-hidden">{t('addCustomer.stepDone')}</span>}
        </li>
      ))}
    </ol>
  );
}
