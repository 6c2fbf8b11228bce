// Small text helpers shared by modules: email syntax, and the folded form of names that search compares.

// Pragmatic email syntax: a local part, an @, and a dotted host name of letters, digits and hyphens.
export const EMAIL =
  /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

export function isEmail(value: string): boolean {
  return value.length >= 3 && value.length <= 254 && EMAIL.test(value);
}

/**
 * The form search compares: compatibility-decomposed, accents and other combining marks dropped, lower-cased,
 * runs of white space as one space. "Café  Zürich" and "CAFE ZURICH" fold to the same "cafe zurich"; ß stays
 * (it lower-cases to itself), ё folds to е, й to и — what a Russian user typing without diacritics expects.
 */
export function foldForSearch(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/\s+/gu, ' ')
    .trim();
}

/** `text` for use inside a LIKE pattern: its own %, _ and \ match literally. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
