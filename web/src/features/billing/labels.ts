// Billing values (providers, line item types, charge types, document and invoice types) in the console's
// language; a value the catalogs do not name yet shows as the API sends it rather than as a key.
import type { MessageKey } from '../../i18n/catalogs.ts';
import { CATALOGS } from '../../i18n/catalogs.ts';
import { useI18n } from '../../i18n/i18n.tsx';

type Family = 'provider' | 'lineType' | 'chargeType' | 'documentType' | 'invoiceType';

export function useBillingLabels(): (family: Family, value: string) => string {
  const { t } = useI18n();
  return (family, value) => {
    const key = `billing.${family}.${value}`;
    return key in CATALOGS.en ? t(key as MessageKey) : value;
  };
}

/** A billing month ('YYYY-MM-01') as people read it: "November 2026", "ноябрь 2026 г.", or short ("Nov 26"). */
export function useMonth(): (period: string, style?: 'long' | 'short') => string {
  const { locale } = useI18n();
  const long = new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' });
  const short = new Intl.DateTimeFormat(locale, { month: 'short', year: '2-digit', timeZone: 'UTC' });
  return (period, style = 'long') =>
    (style === 'long' ? long : short).format(new Date(`${period.slice(0, 7)}-01T00:00:00Z`));
}
