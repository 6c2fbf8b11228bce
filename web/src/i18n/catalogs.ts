// The message catalogs by language, and message formatting. No React here, so tests can import it.
import { de } from './messages/de.ts';
import type { MessageKey, Messages } from './messages/en.ts';
import { en } from './messages/en.ts';
import { ru } from './messages/ru.ts';

export const LANGUAGES = ['en', 'ru', 'de'] as const;
export type Language = (typeof LANGUAGES)[number];
export type { MessageKey, Messages };

export const CATALOGS: Record<Language, Messages> = { en, ru, de };

export type Params = Record<string, string | number>;
/** A message lookup in one language (I18n's `t`). */
export type Translate = (key: MessageKey, params?: Params) => string;

/** Fills `{name}` placeholders; an unknown placeholder stays visible rather than vanishing. */
export function format(template: string, params: Params = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/**
 * The console's language: the profile's, else the one chosen on the sign-in page in this browser, else the
 * first supported browser language, else English. Also the locale for dates and numbers: the browser's own tag
 * when it is of that language (de-AT stays de-AT), otherwise the bare language.
 */
export function pickLanguage(
  profileLanguage: string | null | undefined,
  browserLanguages: readonly string[],
  chosenLanguage?: string | null,
): { language: Language; locale: string } {
  const base = (tag: string) => tag.toLowerCase().split('-')[0];
  const language = isLanguage(profileLanguage)
    ? profileLanguage
    : isLanguage(chosenLanguage)
      ? chosenLanguage
      : (browserLanguages.map(base).find(isLanguage) ?? 'en');
  const locale = browserLanguages.find((tag) => base(tag) === language) ?? language;
  return { language, locale };
}
