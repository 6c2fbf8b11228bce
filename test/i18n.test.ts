// Every console message exists, non-empty, in every language, with the same {placeholders} as English; and
// the language choice follows the profile, then the browser, then English.
import { describe, expect, it } from 'vitest';
import { CATALOGS, LANGUAGES, format, pickLanguage } from '../web/src/i18n/catalogs.ts';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('message catalogs', () => {
  const keys = Object.keys(CATALOGS.en);

  it('has messages', () => {
    expect(keys.length).toBeGreaterThan(50);
  });

  for (const language of LANGUAGES) {
    it(`${language}: every key, non-empty, with English's placeholders and nothing extra`, () => {
      const catalog = CATALOGS[language] as Record<string, string>;
      expect(Object.keys(catalog).sort()).toEqual([...keys].sort());
      for (const key of keys) {
        const text = catalog[key];
        expect(typeof text === 'string' && text.trim().length > 0, `${language} ${key} is empty`).toBe(true);
        expect(placeholders(text!), `${language} ${key}`).toEqual(
          placeholders(CATALOGS.en[key as 'app.name']),
        );
      }
    });
  }

  it('ru and de are translations, not copies of English', () => {
    for (const language of ['ru', 'de'] as const) {
      const same = keys.filter(
        (k) =>
          CATALOGS[language][k as 'app.name'] === CATALOGS.en[k as 'app.name'] && !k.startsWith('language.'),
      );
      // Names that stay the same in every language (the product name, "Partner", "Status", "Global").
      expect(same.length, `${language}: ${same.join(', ')}`).toBeLessThanOrEqual(6);
    }
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(format('Welcome, {name}.', { name: 'Ada' })).toBe('Welcome, Ada.');
    expect(format('{a} and {b}', { a: 1 })).toBe('1 and {b}');
  });
});

describe('language choice', () => {
  it('prefers the profile, then the first supported browser language, then English', () => {
    expect(pickLanguage('ru', ['de-DE', 'en'])).toEqual({ language: 'ru', locale: 'ru' });
    expect(pickLanguage(null, ['fr-FR', 'de-AT', 'en'])).toEqual({ language: 'de', locale: 'de-AT' });
    expect(pickLanguage(null, ['fr-FR'])).toEqual({ language: 'en', locale: 'en' });
    expect(pickLanguage('xx', [])).toEqual({ language: 'en', locale: 'en' });
  });
});
