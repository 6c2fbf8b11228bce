// The active language for components: t(key, params) and Intl formatting by the active locale.
import { createContext, useContext, useEffect, useMemo } from 'react';
import type { ReactNode } from 'react';
import type { Language, MessageKey, Params } from './catalogs.ts';
import { CATALOGS, format, pickLanguage } from './catalogs.ts';
import { useChosenLanguage } from './chosenLanguage.ts';
import { formatMoney } from './money.ts';

export interface I18n {
  language: Language;
  locale: string;
  t(key: MessageKey, params?: Params): string;
  /** Date and time, e.g. "28 Nov 2026, 12:00" / "28 нояб. 2026 г., 12:00". */
  dateTime(value: string | Date): string;
  number(value: number): string;
  /** Money in integer minor units of an ISO currency, e.g. "$1,234.56" / "1 234,56 $" / "1.234,56 $". */
  money(minor: number | bigint, currency: string): string;
}

export function browserLanguages(): readonly string[] {
  return typeof navigator === 'undefined' ? [] : (navigator.languages ?? [navigator.language]);
}

export function makeI18n(profileLanguage: string | null | undefined, chosenLanguage?: string | null): I18n {
  const { language, locale } = pickLanguage(profileLanguage, browserLanguages(), chosenLanguage);
  const messages = CATALOGS[language];
  const dates = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  const numbers = new Intl.NumberFormat(locale);
  return {
    language,
    locale,
    t: (key, params) => format(messages[key], params),
    dateTime: (value) => dates.format(typeof value === 'string' ? new Date(value) : value),
    number: (value) => numbers.format(value),
    money: (minor, currency) => formatMoney(minor, currency, locale),
  };
}

const I18nContext = createContext<I18n>(makeI18n(null));

/** The profile's language when signed in; before that (or when the profile has none), the sign-in page's choice. */
export function I18nProvider(props: { profileLanguage: string | null | undefined; children: ReactNode }) {
  const chosen = useChosenLanguage();
  const i18n = useMemo(() => makeI18n(props.profileLanguage, chosen), [props.profileLanguage, chosen]);
  useEffect(() => {
    // Screen readers pick their voice from it; also what axe checks.
    document.documentElement.lang = i18n.language;
    document.title = i18n.t('app.name');
  }, [i18n]);
  return <I18nContext.Provider value={i18n}>{props.children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  return useContext(I18nContext);
}
