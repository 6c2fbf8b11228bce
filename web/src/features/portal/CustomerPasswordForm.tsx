// The forced change of a customer user's temporary password (the API refuses everything else until then).
import { useId } from 'react';
import { PasswordChangeForm } from '../../components/PasswordChangeForm.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { usePortalActions } from './portal.queries.ts';

export function CustomerPasswordForm(props: { userName: string }) {
  const { t } = useI18n();
  const headingId = useId();
  const { changePassword } = usePortalActions();
  return (
    <section className="portal-card" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('portal.password.title')}</h2>
      <p className="muted">{t('portal.password.intro')}</p>
      <PasswordChangeForm
        userName={props.userName}
        currentLabel={t('changePassword.current')}
        change={(body) => changePassword.mutateAsync(body)}
        // The profile re-read by the mutation moves the page on to its next step.
        onChanged={() => undefined}
      />
    </section>
  );
}
