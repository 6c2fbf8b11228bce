// /profile: who you are, your partner and roles, your console language (saved on your profile, so it
// follows you to any browser), your own API tokens and a password change.
import { useMutation } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { Language } from '../../api/client.ts';
import { api, unwrap } from '../../api/client.ts';
import { useAuthActions, useProfile } from '../../app/auth.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { LANGUAGES, isLanguage, pickLanguage } from '../../i18n/catalogs.ts';
import { useChosenLanguage } from '../../i18n/chosenLanguage.ts';
import { browserLanguages, useI18n } from '../../i18n/i18n.tsx';
import { PasswordForm } from '../auth/PasswordForm.tsx';
import { MyApiTokens } from './MyApiTokens.tsx';

export function ProfilePage() {
  const { t } = useI18n();
  const profile = useProfile();
  const { setProfile, refreshProfile } = useAuthActions();
  const languageId = useId();
  const [passwordChanged, setPasswordChanged] = useState(false);
  const save = useMutation({
    mutationFn: (language: Language | null) =>
      unwrap(
        api.PATCH('/v1/profiles/me', {
          body: { language },
          headers: { 'If-Match': profile.attributes.etag },
        }),
      ),
    onSuccess: setProfile,
  });
  // What applies without a profile language: this browser's sign-in choice, else its languages.
  const chosen = useChosenLanguage();
  const browserLanguage = pickLanguage(null, browserLanguages(), chosen).language;
  return (
    <section>
      <PageHeader title={t('profile.title')} />
      <dl className="details">
        <dt>{t('profile.displayName')}</dt>
        <dd>{profile.displayName}</dd>
        <dt>{t('profile.userName')}</dt>
        <dd>{profile.userName}</dd>
        <dt>{t('profile.partner')}</dt>
        <dd>{profile.partner.name}</dd>
        <dt>{t('profile.instance')}</dt>
        <dd>{t(`instance.${profile.instance.id}`)}</dd>
        <dt>{t('profile.roles')}</dt>
        <dd>{profile.roles.map((r) => t(`role.${r}`)).join(', ')}</dd>
      </dl>
      <div className="field">
        <label htmlFor={languageId}>{t('profile.language')}</label>
        <select
          id={languageId}
          value={profile.language ?? ''}
          disabled={save.isPending}
          onChange={(e) => save.mutate(isLanguage(e.target.value) ? e.target.value : null)}
        >
          <option value="">
            {t('profile.languageBrowser', { language: t(`language.${browserLanguage}`) })}
          </option>
          {LANGUAGES.map((l) => (
            <option key={l} value={l} lang={l}>
              {t(`language.${l}`)}
            </option>
          ))}
        </select>
      </div>
      {save.isError && <ErrorAlert error={save.error} />}
      {save.isSuccess && (
        <p role="status" className="success">
          {t('common.saved')}
        </p>
      )}
      <MyApiTokens />
      <section className="panel" aria-labelledby="change-password">
        <h2 id="change-password">{t('profile.changePassword')}</h2>
        <PasswordForm
          currentLabel={t('profile.currentPassword')}
          onChanged={async () => {
            setPasswordChanged(true);
            // The change gives the profile a new ETag; the language select needs it for its next save.
            await refreshProfile();
          }}
        />
        <p role="status" className="success">
          {passwordChanged ? t('profile.passwordChanged') : ''}
        </p>
      </section>
    </section>
  );
}
