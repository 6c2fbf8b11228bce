// A file's size as people read it ("4.2 MB", "812 kB", "120 byte"), in the reader's language and number format.
import { useI18n } from '../../i18n/i18n.tsx';
import { sizeText } from './model.ts';

export function FileSize(props: { bytes: number }) {
  const { locale } = useI18n();
  return <span className="muted small">{sizeText(locale, props.bytes)}</span>;
}
