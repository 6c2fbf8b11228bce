// SQL for long-lived API tokens. Only the SHA-256 of a token is stored; the secret is shown once at creation.
import { sql } from 'kysely';
import type { Trx } from '../../db/database.ts';
import type { TokenSort, TokenSortOrder } from './apitokens.schemas.ts';

export interface ApiTokenRow {
  id: string;
  partner_id: string;
  user_id: string;
  owner_user_name: string;
  name: string;
  token_prefix: string;
  roles: string[];
  created_at: Date;
  expires_at: Date | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
  /** created_at at full microsecond precision, for keyset paging. */
  cursor_at: string;
}

const CURSOR_AT = sql<string>`to_char(t.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

function tokens(trx: Trx, partnerId: string, userId: string | undefined) {
  let qb = trx
    .selectFrom('api_tokens as t')
    .innerJoin('partner_users as u', 'u.id', 't.user_id')
    .where('t.partner_id', '=', partnerId);
  if (userId) qb = qb.where('t.user_id', '=', userId);
  return qb;
}

const COLUMNS = [
  't.id',
  't.partner_id',
  't.user_id',
  'u.user_name as owner_user_name',
  't.name',
  't.token_prefix',
  't.roles',
  't.created_at',
  't.expires_at',
  't.revoked_at',
  't.last_used_at',
] as const;

export async function insertToken(
  trx: Trx,
  values: {
    partnerId: string;
    userId: string;
    name: string;
    tokenHash: Buffer;
    prefix: string;
    roles: string[];
    createdAt: Date;
    expiresAt: Date | null;
  },
): Promise<string> {
  const row = await trx
    .insertInto('api_tokens')
    .values({
      partner_id: values.partnerId,
      user_id: values.userId,
      name: values.name,
      token_hash: values.tokenHash,
      token_prefix: values.prefix,
      roles: values.roles,
      created_at: values.createdAt,
      expires_at: values.expiresAt,
      revoked_at: null,
      last_used_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** One token of the partner, optionally only if `userId` owns it. */
export function getToken(
  trx: Trx,
  partnerId: string,
  id: string,
  userId?: string,
): Promise<ApiTokenRow | undefined> {
  return tokens(trx, partnerId, userId)
    .select([...COLUMNS, CURSOR_AT.as('cursor_at')])
    .where('t.id', '=', id)
    .executeTakeFirst();
}

/** A listed token with the text of its sort key, for the continuation token. */
export type ListedTokenRow = ApiTokenRow & {
  /** The sort column as text (times at microsecond precision); null for a never-used or never-expiring token. */
  sort_key: string | null;
};

const microsUtc = (column: 'created_at' | 'last_used_at' | 'expires_at') =>
  sql<string | null>`to_char(${sql.ref(`t.${column}`)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * Per sort: the expression rows are ordered by, the cursor value cast to compare with it, and the key's text.
 * Nulls take a fixed place by standing in for an infinity: a never-used token was "last used" before any other
 * (-infinity), a token without expiry expires after any other (+infinity). The row comparison then never meets
 * a NULL, so a page boundary among never-used tokens is as exact as anywhere else. Names compare byte-wise
 * (collate "C"), independent of the database's locale, in ORDER BY and in the cursor comparison alike.
 */
const SORT_SQL = {
  name: {
    key: sql`t.name collate "C"`,
    value: (v: string | null) => sql`${v}::text collate "C"`,
    text: sql<string | null>`t.name`,
  },
  createdAt: {
    key: sql`t.created_at`,
    value: (v: string | null) => sql`${v}::timestamptz`,
    text: microsUtc('created_at'),
  },
  lastUsedAt: {
    key: sql`coalesce(t.last_used_at, '-infinity'::timestamptz)`,
    value: (v: string | null) => sql`coalesce(${v}::timestamptz, '-infinity'::timestamptz)`,
    text: microsUtc('last_used_at'),
  },
  expiresAt: {
    key: sql`coalesce(t.expires_at, 'infinity'::timestamptz)`,
    value: (v: string | null) => sql`coalesce(${v}::timestamptz, 'infinity'::timestamptz)`,
    text: microsUtc('expires_at'),
  },
} as const;

/**
 * Tokens in (sort key, id) order after the cursor key: all of the partner's, or one user's. Keyset paging stays
 * stable while tokens are created.
 */
export function listTokens(
  trx: Trx,
  partnerId: string,
  userId: string | undefined,
  sort: { by: TokenSort; order: TokenSortOrder },
  after: [string | null, string] | undefined,
  limit: number,
): Promise<ListedTokenRow[]> {
  const s = SORT_SQL[sort.by];
  let qb = tokens(trx, partnerId, userId).select([
    ...COLUMNS,
    CURSOR_AT.as('cursor_at'),
    s.text.as('sort_key'),
  ]);
  if (after) {
    const cmp = sort.order === 'desc' ? sql`<` : sql`>`;
    qb = qb.where(sql<boolean>`(${s.key}, t.id) ${cmp} (${s.value(after[0])}, ${after[1]}::uuid)`);
  }
  const dir = sort.order === 'desc' ? sql`desc` : sql`asc`;
  return qb
    .orderBy(sql`${s.key} ${dir}`)
    .orderBy(sql`t.id ${dir}`)
    .limit(limit)
    .execute();
}

export async function countTokens(trx: Trx, partnerId: string, userId: string | undefined): Promise<number> {
  const row = await tokens(trx, partnerId, userId)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Marks the token revoked; false when it already was (revoking twice changes nothing). */
export async function revokeToken(trx: Trx, partnerId: string, id: string, now: Date): Promise<boolean> {
  const r = await trx
    .updateTable('api_tokens')
    .set({ revoked_at: now })
    .where('partner_id', '=', partnerId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}
