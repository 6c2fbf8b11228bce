// Copies a value (a customer's Microsoft ID) to the clipboard and says so politely.
import { useState } from 'react';
import { useI18n } from '../../i18n/i18n.tsx';

export function CopyButton(props: { value: string; label: string }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  return (
    <>
      <button
        type="button"
        className="button secondary small-button"
        aria-label={props.label}
        onClick={() => void navigator.clipboard?.writeText(props.value).then(() => setCopied(true))}
      >
        {t('customers.copy')}
      </button>
      <span role="status" className="success small">
        {copied ? t('customers.copied') : ''}
      </span>
    </>
  );
}
