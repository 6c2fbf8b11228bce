// SQL for long-lived API tokens. Only the SHA-256 of a token is stored; the secret is shown once at creation.
import { sql } from 'kysely';
import type { Trx } from '../../db/database.ts';

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

/** Tokens in (created_at, id) order after the cursor key: all of the partner's, or one user's. */
export function listTokens(
  trx: Trx,
  partnerId: string,
  userId: string | undefined,
  after: [string, string] | undefined,
  limit: number,
): Promise<ApiTokenRow[]> {
  let qb = tokens(trx, partnerId, userId).select([...COLUMNS, CURSOR_AT.as('cursor_at')]);
  if (after)
    qb = qb.where(sql<boolean>`(t.created_at, t.id) > (${after[0]}::timestamptz, ${after[1]}::uuid)`);
  return qb.orderBy('t.created_at').orderBy('t.id').limit(limit).execute();
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
