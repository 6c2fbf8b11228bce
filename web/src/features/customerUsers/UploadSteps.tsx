// The steps of adding users from a file as a visible list, the current one marked for screen readers
// (aria-current="step"): choose and check the file, choose the location, add the users, take the passwords.
import { useI18n } from '../../i18n/i18n.tsx';

export const UPLOAD_STEPS = ['file', 'location', 'progress', 'passwords'] as const;
export type UploadStep = (typeof UPLOAD_STEPS)[number];

export function UploadSteps(props: { current: UploadStep }) {
  const { t } = useI18n();
  const at = UPLOAD_STEPS.indexOf(props.current);
  return (
    <ol className="stepper" aria-label={t('customerUsers.upload.steps')}>
      {UPLOAD_STEPS.map((step, i) => (
        <li
          key={step}
          aria-current={i === at ? 'step' : undefined}
          className={i < at ? 'done' : i === at ? 'current' : undefined}
        >
          <span className="step-number" aria-hidden="true">
            {i + 1}
          </span>
          <span>{t(`customerUsers.upload.step.${step}`)}</span>
          {i < at && <span className="visually-hidden">{t('addCustomer.stepDone')}</span>}
        </li>
      ))}
    </ol>
  );
}
