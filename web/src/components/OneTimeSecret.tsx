// A secret the API shows only once (a temporary password, an API token), with a copy button.
import { useId, useState } from 'react';
import { useI18n } from '../i18n/i18n.tsx';

export function OneTimeSecret(props: { label: string; value: string; hint: string }) {
  const { t } = useI18n();
  const id = useId();
  const [copied, setCopied] = useState(false);
  return (
    <div className="one-time-secret">
      <label htmlFor={id}>{props.label}</label>
      <div className="copy-row">
        <input id={id} readOnly value={props.value} onFocus={(e) => e.target.select()} />
        <button
          type="button"
          className="button secondary"
          onClick={() => void navigator.clipboard?.writeText(props.value).then(() => setCopied(true))}
        >
          {t('users.copy')}
        </button>
      </div>
      <p className="hint">{props.hint}</p>
      <p role="status" className="success">
        {copied ? t('users.copied') : ''}
      </p>
    </div>
  );
}

/** A new temporary password for `userName`. */
export function TemporaryPassword(props: { password: string; userName: string }) {
  const { t } = useI18n();
  return (
    <OneTimeSecret
      label={t('users.temporaryPassword')}
      value={props.password}
      hint={t('users.temporaryPasswordOnce', { name: props.userName })}
    />
  );
}
