// The language chosen on the sign-in page, before any profile says which one to use: kept in this browser's
// localStorage so it survives reloads and the next visit, and observable so that choosing one re-renders the
// console at once. A profile language, once signed in, takes precedence (pickLanguage).
import { useSyncExternalStore } from 'react';
import type { Language } from './catalogs.ts';
import { isLanguage } from './catalogs.ts';

const KEY = 'partnerdesk.language';
const listeners = new Set<() => void>();

function read(): Language | null {
  try {
    const value = localStorage.getItem(KEY);
    return isLanguage(value) ? value : null;
  } catch {
    // Storage can be switched off (privacy settings); the browser's languages then decide.
    return null;
  }
}

export function setChosenLanguage(language: Language): void {
  try {
    localStorage.setItem(KEY, language);
  } catch {
    // Not stored, but still applied for this page's lifetime below.
  }
  current = language;
  for (const listener of listeners) listener();
}

let current = typeof localStorage === 'undefined' ? null : read();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  // Another tab choosing a language applies here too.
  const onStorage = (event: StorageEvent) => {
    if (event.key !== KEY) return;
    current = read();
    listener();
  };
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
}

export function useChosenLanguage(): Language | null {
  return useSyncExternalStore(
    subscribe,
    () => current,
    () => null,
  );
}
