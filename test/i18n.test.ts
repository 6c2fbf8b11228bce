// Every console message exists, non-empty, in every language, with the same {placeholders} as English; the
// language choice follows the profile, then the sign-in page's choice, then the browser, then English; and
// days are written and read in the language's format.
import { describe, expect, it } from 'vitest';
import { CATALOGS, LANGUAGES, format, pickLanguage } from '../web/src/i18n/catalogs.ts';
import { dayFormat, formatDay, parseDay } from '../web/src/i18n/dates.ts';
import { formatMoney, minorDigits } from '../web/src/i18n/money.ts';

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
      // Names that stay the same in every language (the product name, "Partner", "Status", "Global"), and
      // German's "MM" for the month in a date format (TT.MM.JJJJ).
      expect(same.length, `${language}: ${same.join(', ')}`).toBeLessThanOrEqual(7);
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

  it('uses the language chosen before sign-in until a profile language applies', () => {
    expect(pickLanguage(null, ['de-DE', 'en'], 'ru')).toEqual({ language: 'ru', locale: 'ru' });
    expect(pickLanguage(undefined, ['en-GB', 'ru-RU'], 'ru')).toEqual({ language: 'ru', locale: 'ru-RU' });
    expect(pickLanguage('de', ['en'], 'ru')).toEqual({ language: 'de', locale: 'de' });
    // Something else in storage is no choice.
    expect(pickLanguage(null, ['de-AT'], 'fr')).toEqual({ language: 'de', locale: 'de-AT' });
  });
});

describe('days in the language format', () => {
  const en = dayFormat('en');
  const ru = dayFormat('ru');
  const de = dayFormat('de');

  it('takes the order and separator from Intl: MM/DD/YYYY in English, DD.MM.YYYY in Russian and German', () => {
    expect(en).toEqual({ order: ['month', 'day', 'year'], separator: '/' });
    expect(ru).toEqual({ order: ['day', 'month', 'year'], separator: '.' });
    expect(de).toEqual({ order: ['day', 'month', 'year'], separator: '.' });
    expect(dayFormat('en-GB').order).toEqual(['day', 'month', 'year']);
  });

  it('writes YYYY-MM-DD in that format and reads it back', () => {
    expect(formatDay('2026-02-01', en)).toBe('02/01/2026');
    expect(formatDay('2026-02-01', ru)).toBe('01.02.2026');
    expect(formatDay('2026-02-01', de)).toBe('01.02.2026');
    for (const f of [en, ru, de]) expect(parseDay(formatDay('2026-11-28', f), f)).toBe('2026-11-28');
  });

  it('reads the parts in the language order, one or two digits for day and month, any separator', () => {
    expect(parseDay('02/01/2026', en)).toBe('2026-02-01');
    expect(parseDay('01.02.2026', ru)).toBe('2026-02-01');
    expect(parseDay(' 1.2.2026 ', de)).toBe('2026-02-01');
    expect(parseDay('1/2/2026', ru)).toBe('2026-02-01');
    expect(parseDay('2026-02-01', ru)).toBe('2026-02-01'); // the ISO way, never ambiguous
    expect(parseDay('29.02.2028', ru)).toBe('2028-02-29');
  });

  it('refuses what is not a real day', () => {
    for (const text of [
      '',
      '31.02.2026',
      '29.02.2027',
      '13/01/2026',
      '01.13.2026',
      '00.01.2026',
      '1.2.26',
      '01.02.20260',
      '001.02.2026',
      '01.02',
      '01.02.2026.05',
      'today',
      '01.02.2026x',
      'x01.02.2026',
      '0000-01-01',
    ])
      expect(parseDay(text, text.includes('/') ? en : ru), text).toBeUndefined();
    // The same text means another day in English, or none.
    expect(parseDay('01.02.2026', en)).toBe('2026-01-02');
    expect(parseDay('28.11.2026', en)).toBeUndefined();
  });
});

describe('money in the reader’s format', () => {
  // Intl separates thousands with a (narrow) no-break space in Russian: compare with plain spaces.
  const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

  it('writes minor units with the currency’s own decimals and the locale’s separators and symbol', () => {
    expect(formatMoney(123456, 'USD', 'en-US')).toBe('$1,234.56');
    expect(plain(formatMoney(123456, 'EUR', 'de'))).toBe('1.234,56 €');
    expect(plain(formatMoney(123456, 'RUB', 'ru'))).toBe('1 234,56 ₽');
    expect(formatMoney(1234, 'JPY', 'en-US')).toBe('¥1,234');
    expect(plain(formatMoney(1234, 'KWD', 'en-US'))).toBe('KWD 1.234');
    expect(formatMoney(5, 'USD', 'en-US')).toBe('$0.05');
    expect(formatMoney(-250, 'USD', 'en-US')).toBe('-$2.50');
    expect(minorDigits('JPY')).toBe(0);
    expect(minorDigits('KWD')).toBe(3);
  });

  it('keeps every cent of amounts beyond what a binary fraction holds', () => {
    expect(formatMoney(9007199254740993n, 'USD', 'en-US')).toBe('$90,071,992,547,409.93');
  });
});
