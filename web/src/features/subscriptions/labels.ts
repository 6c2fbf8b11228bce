// Catalog values (terms, billing cycles, statuses, reasons, product kinds) in the console's language; a value
// the catalogs do not name yet (a new billing cycle) shows as the API sends it rather than as a key.
import type { MessageKey } from '../../i18n/catalogs.ts';
import { CATALOGS } from '../../i18n/catalogs.ts';
import { useI18n } from '../../i18n/i18n.tsx';

type Family = 'term' | 'cycle' | 'status' | 'reason' | 'kind';

export function useLabels(): (family: Family, value: string) => string {
  const { t } = useI18n();
  return (family, value) => {
    const key = `subscriptions.${family}.${value}`;
    return key in CATALOGS.en ? t(key as MessageKey) : value;
  };
}
