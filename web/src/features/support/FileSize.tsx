// A file's size as people read it ("4.2 MB", "812 kB", "120 byte"), in the reader's language and number format.
import { useI18n } from '../../i18n/i18n.tsx';
import { sizeParts } from './model.ts';

export function FileSize(props: { bytes: number }) {
  const { locale } = useI18n();
  const { unit, value } = sizeParts(props.bytes);
  const text = new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'short' }).format(value);
  return <span className="muted small">{text}</span>;
}
