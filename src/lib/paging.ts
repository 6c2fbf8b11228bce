// Cursor paging. A continuation token is opaque to callers: base64url of the last row's sort key plus a
// fingerprint of the query (filters and sort), so a token used with another query is refused instead of
// silently returning the wrong page. Keyset paging (WHERE (k1, id) > (…)) keeps pages stable while rows are
// inserted concurrently: a page never repeats or skips rows that existed when the first page was read.
import { createHash } from 'node:crypto';
import { AppError } from './errors.ts';

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

export type CursorKey = (string | number | null)[];

function fingerprint(scope: unknown): string {
  return createHash('sha256').update(JSON.stringify(scope)).digest('base64url').slice(0, 12);
}

export function encodeCursor(key: CursorKey, scope: unknown): string {
  return Buffer.from(JSON.stringify({ k: key, f: fingerprint(scope) })).toString('base64url');
}

/** Decodes a token made by encodeCursor for the same scope; anything else is invalidContinuationToken. */
export function decodeCursor(
  token: string | undefined,
  scope: unknown,
  arity: number,
): CursorKey | undefined {
  if (token === undefined || token === '') return undefined;
  try {
    if (token.length > 2000) throw new Error('too long');
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
      k?: unknown;
      f?: unknown;
    };
    if (parsed.f !== fingerprint(scope) || !Array.isArray(parsed.k) || parsed.k.length !== arity)
      throw new Error('mismatch');
    if (!parsed.k.every((v) => v === null || typeof v === 'string' || typeof v === 'number'))
      throw new Error('bad key');
    return parsed.k as CursorKey;
  } catch {
    throw new AppError('invalidContinuationToken');
  }
}

/** Milliseconds as Date#toISOString writes them (an expanded year past 9999); microseconds as our SQL does. */
const INSTANT: Record<3 | 6, RegExp> = {
  3: /^(\d{4}|[+-]\d{6})-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/,
  6: /^(\d{4})-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/,
};

/**
 * Is `value` a UTC instant as our cursors write it (`digits` fraction digits), naming a real moment that
 * PostgreSQL can compare (years 1 to 10000: a range may end at the close of 9999-12-31)? A cursor's fingerprint
 * only binds it to its query and is no secret, so a caller can hand-craft one: a month 13 or the year 0 must
 * be refused here, or the query fails as a 500.
 */
export function isCursorInstant(value: unknown, digits: 3 | 6): value is string {
  if (typeof value !== 'string') return false;
  const m = INSTANT[digits].exec(value);
  const year = m ? Number(m[1]) : NaN;
  if (!(year >= 1 && year <= 10_000)) return false;
  const millis = digits === 3 ? value : `${value.slice(0, 23)}Z`;
  const at = new Date(millis);
  return !Number.isNaN(at.getTime()) && at.toISOString() === millis;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The position in a list kept in creation order: `scope`'s token decoded to [created_at at µs precision, id].
 * A hand-crafted key (a bad instant, an id that is no GUID) is invalidContinuationToken, not a failing query.
 */
export function decodeCreatedCursor(token: string | undefined, scope: unknown): [string, string] | undefined {
  const key = decodeCursor(token, scope, 2);
  if (!key) return undefined;
  const [at, id] = key;
  if (!isCursorInstant(at, 6) || typeof id !== 'string' || !UUID.test(id))
    throw new AppError('invalidContinuationToken');
  return [at, id];
}

/** Page request from query parameters and the MS-ContinuationToken header (the query wins). */
export interface PageRequest {
  size: number;
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  /** Token for the next page, absent on the last page. */
  next?: string;
  totalCount: number;
}

/**
 * Fetches one page: `fetch(limit)` must return rows in sort order after the cursor; one extra row tells
 * whether a next page exists.
 */
export async function pageOf<Row, Item>(
  size: number,
  scope: unknown,
  fetch: (limit: number) => Promise<Row[]>,
  keyOf: (row: Row) => CursorKey,
  map: (row: Row) => Item,
  count: () => Promise<number>,
): Promise<Page<Item>> {
  const [rows, totalCount] = await Promise.all([fetch(size + 1), count()]);
  const more = rows.length > size;
  const pageRows = more ? rows.slice(0, size) : rows;
  const last = pageRows[pageRows.length - 1];
  return {
    items: pageRows.map(map),
    next: more && last !== undefined ? encodeCursor(keyOf(last), scope) : undefined,
    totalCount,
  };
}

/** How many rows a streamed export reads per query. */
export const EXPORT_BATCH = 1000;

/**
 * The rows of a keyset-ordered selection, for a streamed export, mapped one by one. The first batch is read
 * before this resolves, so a failing query is a clean error response rather than a cut file; each next batch
 * starts after the last row of the one before, in its own short query (`fetch` opens its own transaction), so
 * a long export holds no transaction open and its memory stays one batch.
 */
export async function keysetRows<Row, Out>(
  fetch: (after: Row | undefined, limit: number) => Promise<Row[]>,
  map: (row: Row) => Out,
  batchSize = EXPORT_BATCH,
): Promise<AsyncGenerator<Out>> {
  const first = await fetch(undefined, batchSize);
  return (async function* () {
    let batch = first;
    for (;;) {
      for (const row of batch) yield map(row);
      const last = batch[batch.length - 1];
      if (batch.length < batchSize || last === undefined) return;
      batch = await fetch(last, batchSize);
    }
  })();
}
