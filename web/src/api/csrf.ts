// The CSRF token of the console session, answered by sign-in and sent as X-CSRF-Token on writes.
// Kept in localStorage rather than sessionStorage: the HttpOnly session cookie is shared by every tab, so a
// tab opened later must be able to write too, and a new sign-in in one tab replaces the token for all.
// It is not a credential on its own (useless without the cookie, which scripts cannot read).
const KEY = 'partnerdesk.csrf';

function storage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined; // storage disabled: the token lives in memory for this page only
  }
}

let memory: string | undefined;

export const csrfToken = {
  get(): string | undefined {
    return storage()?.getItem(KEY) ?? memory;
  },
  set(token: string): void {
    memory = token;
    storage()?.setItem(KEY, token);
  },
  clear(): void {
    memory = undefined;
    storage()?.removeItem(KEY);
  },
};
