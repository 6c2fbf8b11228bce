// Customer values as people read them: an address in lines with the country's name in the console's language,
// a calendar day in the language's format, a culture or language by its name.
import { dayFormat, formatDay } from '../../i18n/dates.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useCountries } from './customers.queries.ts';

export interface AddressLike {
  country: string;
  city: string;
  addressLine1: string;
  state?: string | null;
  addressLine2?: string | null;
  addressLine3?: string | null;
  postalCode?: string | null;
}

/** The country's name in the console's language (its code until the list is in). */
export function useCountryName(): (code: string) => string {
  const { language } = useI18n();
  const countries = useCountries(language);
  return (code) => countries.data?.items.find((c) => c.iso2Code === code)?.name ?? code;
}

export function AddressBlock(props: { address: AddressLike }) {
  const countryName = useCountryName();
  const a = props.address;
  const lines = [
    a.addressLine1,
    a.addressLine2,
    a.addressLine3,
    [a.city, a.state, a.postalCode].filter(Boolean).join(', '),
    countryName(a.country),
  ].filter(Boolean);
  return (
    <address className="address">
      {lines.map((line, i) => (
        <span key={i} className="block">
          {line}
        </span>
      ))}
    </address>
  );
}

/** An instant as its calendar day in the console's language ("Dec 2, 2026", "2 дек. 2026 г."). */
export function useDate(): (iso: string) => string {
  const { locale } = useI18n();
  const format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });
  return (iso) => format.format(new Date(iso));
}

/** YYYY-MM-DD in the console language's format (28.11.2026, 11/28/2026). */
export function useDay(): (iso: string) => string {
  const { locale } = useI18n();
  const format = dayFormat(locale);
  return (iso) => formatDay(iso, format);
}
