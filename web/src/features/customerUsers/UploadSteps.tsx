// The steps of adding users from a file as a visible list, the current one marked for screen readers
// (aria-current="step"): choose and check the file, choose the location, add the users, take the passwords.
import { StepList } from '../../components/StepList.tsx';
import { useI18n } from '../../i18n/i18n.tsx';

export const UPLOAD_STEPS = ['file', 'location', 'progress', 'passwords'] as const;
export type UploadStep = (typeof UPLOAD_STEPS)[number];

export function UploadSteps(props: { current: UploadStep }) {
  const { t } = useI18n();
  return (
    <StepList
      steps={UPLOAD_STEPS}
      current={props.current}
      label={t('customerUsers.upload.steps')}
      name={(step) => t(`customerUsers.upload.step.${step}`)}
    />
  );
}
