// The add-customer steps as a visible list, the current one marked for screen readers (aria-current="step"),
// and each step's heading, which takes the focus when the step opens so that keyboard and screen-reader users
// start at its top.
import { useEffect, useRef } from 'react';
import type { ReactNode } from 'react';
import { StepList } from '../../components/StepList.tsx';
import { useI18n } from '../../i18n/i18n.tsx';

export const STEPS = ['account', 'subscriptions', 'review', 'confirmation'] as const;
export type Step = (typeof STEPS)[number];

export function Stepper(props: { current: Step }) {
  const { t } = useI18n();
  return (
    <StepList
      steps={STEPS}
      current={props.current}
      label={t('addCustomer.steps')}
      name={(step) => t(`addCustomer.step.${step}`)}
    />
  );
}

/** `focus`: take the focus when shown (not on the page's first step, where the page's own heading has it). */
export function StepHeading(props: { children: ReactNode; focus?: boolean }) {
  const ref = useRef<HTMLHeadingElement>(null);
  const focus = props.focus ?? true;
  useEffect(() => {
    if (focus) ref.current?.focus();
  }, [focus]);
  return (
    <h2 id="step-heading" className="step-heading" ref={ref} tabIndex={-1}>
      {props.children}
    </h2>
  );
}
