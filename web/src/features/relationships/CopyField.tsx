// A read-only value to hand on (an invitation link, an email text) with a Copy button that says when it copied.
import { useId, useState } from 'react';
import { useI18n } from '../../i18n/i18n.tsx';

export function CopyField(props: {
  label: string;
  /** The Copy button's accessible name: starts with its visible text and says what it copies. */
  copyLabel: string;
  value: string;
  /** A text to read (an email), in a tall box; otherwise one line in a monospaced font (a link). */
  multiline?: boolean;
  /** One line of prose (an email subject): the page's font. */
  plain?: boolean;
}) {
  const { t } = useI18n();
  const id = useId();
  const [copied, setCopied] = useState(false);
  const copy = () =>
    void navigator.clipboard
      ?.writeText(props.value)
      .then(() => setCopied(true))
      .catch(() => setCopied(false));
  const button = (
    <button type="button" className="button secondary" aria-label={props.copyLabel} onClick={copy}>
      {t('users.copy')}
    </button>
  );
  return (
    <div className={props.plain ? 'copy-field plain' : 'copy-field'}>
      <label htmlFor={id}>{props.label}</label>
      {props.multiline ? (
        <>
          <textarea id={id} readOnly value={props.value} onFocus={(e) => e.target.select()} />
          {button}
        </>
      ) : (
        <div className="copy-row">
          <input id={id} readOnly value={props.value} onFocus={(e) => e.target.select()} />
          {button}
        </div>
      )}
      <p role="status" className="success">
        {copied ? t('users.copied') : ''}
      </p>
    </div>
  );
}
