// A calendar day typed in the console's language format (MM/DD/YYYY in English, DD.MM.YYYY in Russian and
// German) instead of <input type="date">, which shows the browser's locale rather than the profile's. The
// format is the field's hint; a day that cannot be read is a field error (aria-invalid, described by it) once
// the form was submitted, until it is corrected. Not on leaving the field: the error appearing then would move
// the form under the pointer of someone on their way to its button. The owner gets the day as YYYY-MM-DD, or
// knows it is unreadable.
import { useMemo, useState } from 'react';
import { dayFormat, formatDay, parseDay } from '../i18n/dates.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { TextField } from './TextField.tsx';

/** What the field holds: a day (YYYY-MM-DD), nothing (empty), or text that is not a day. */
export type DayValue = { day: string | undefined; valid: boolean };

export function DateField(props: {
  label: string;
  name: string;
  /** The initial day, YYYY-MM-DD (the owner remounts the field to set another). */
  initial: string | undefined;
  onChange: (value: DayValue) => void;
  /** The API's reason for this field, if it gave one. */
  error?: string;
  /** Show an unreadable day as an error (the form was submitted). */
  showInvalid?: boolean;
}) {
  const { t, locale } = useI18n();
  const format = useMemo(() => dayFormat(locale), [locale]);
  const [text, setText] = useState(() => (props.initial ? formatDay(props.initial, format) : ''));
  const pattern = format.order.map((p) => t(`dateField.${p}`)).join(format.separator);
  const invalid = text.trim() !== '' && parseDay(text, format) === undefined;
  const ownError = invalid && props.showInvalid ? t('dateField.invalid', { format: pattern }) : undefined;
  return (
    <TextField
      label={props.label}
      name={props.name}
      inputMode="numeric"
      autoComplete="off"
      hint={t('dateField.hint', { format: pattern })}
      value={text}
      error={ownError ?? props.error}
      onChange={(e) => {
        const next = e.target.value;
        setText(next);
        const day = next.trim() === '' ? undefined : parseDay(next, format);
        props.onChange({ day, valid: next.trim() === '' || day !== undefined });
      }}
    />
  );
}
