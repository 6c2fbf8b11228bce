// Views that can be bookmarked keep their state (filters, search, sort) in the URL's query string. These
// helpers read a value only when it is one the page knows, so a hand-edited link falls back to the default
// rather than breaking the page, and write only what differs from the default, so links stay short.

/** `params` with `patch` applied: a value sets its key, undefined or '' removes it. */
export function withParams(
  params: URLSearchParams,
  patch: Record<string, string | undefined>,
): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const [key, value] of Object.entries(patch))
    if (value === undefined || value === '') next.delete(key);
    else next.set(key, value);
  return next;
}

/** The value of `key` when it is one of `allowed`, else undefined. */
export function oneOf<T extends string>(
  params: URLSearchParams,
  key: string,
  allowed: readonly T[],
): T | undefined {
  const value = params.get(key);
  return value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : undefined;
}
