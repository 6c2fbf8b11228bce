// Service request values (statuses, severities, timeline entries) in the console's language; a value the
// catalogs do not name yet shows as the API sends it rather than as a key.
import type { MessageKey } from '../../i18n/catalogs.ts';
import { CATALOGS } from '../../i18n/catalogs.ts';
import { useI18n } from '../../i18n/i18n.tsx';

type Family = 'status' | 'severity';

export function useSupportLabels(): (family: Family, value: string) => string {
  const { t } = useI18n();
  return (family, value) => {
    const key = `support.${family}.${value}`;
    return key in CATALOGS.en ? t(key as MessageKey) : value;
  };
}
