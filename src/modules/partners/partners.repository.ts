// SQL for partners, partner users and their sign-in sessions. Request-path functions take a Transaction
// opened by inPartnerTransaction, so row-level security scopes them to the caller's partner; each query also
// filters by partner id explicitly (the first wall).
import type { Selectable } from 'kysely';
import { sql } from 'kysely';
import type { Db, Trx } from '../../db/database.ts';
import type { PartnersTable, PartnerUsersTable } from '../../db/schema.ts';

export type PartnerRow = Selectable<PartnersTable>;
export type PartnerUserRow = Omit<Selectable<PartnerUsersTable>, 'password_hash'> & {
  /** created_at at full microsecond precision, for keyset paging (a JS Date keeps only milliseconds). */
  cursor_at: string;
};

const CURSOR_AT = sql<string>`to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

const USER_COLUMNS = [
  'id',
  'partner_id',
  'user_name',
  'display_name',
  'must_change_password',
  'roles',
  'state',
  'language',
  'failed_sign_ins',
  'locked_until',
  'last_sign_in_at',
  'password_changed_at',
  'created_at',
  'updated_at',
  'version',
] as const;

// ── partners ──

export async function insertPartner(
  trx: Trx,
  values: Pick<PartnerRow, 'id' | 'name' | 'country' | 'instance' | 'kind'> & { now: Date },
): Promise<PartnerRow> {
  const { now, ...rest } = values;
  return trx
    .insertInto('partners')
    .values({ ...rest, created_at: now, updated_at: now })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function getPartner(db: Db | Trx, partnerId: string): Promise<PartnerRow | undefined> {
  return db.selectFrom('partners').selectAll().where('id', '=', partnerId).executeTakeFirst();
}

/** Operator listing across partners (owner connection). */
export function listPartners(owner: Db): Promise<PartnerRow[]> {
  return owner.selectFrom('partners').selectAll().orderBy('name').orderBy('id').execute();
}

export function findPartnersByName(owner: Db, name: string): Promise<PartnerRow[]> {
  return owner
    .selectFrom('partners')
    .selectAll()
    .where(sql<boolean>`lower(name) = lower(${name})`)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/**
 * Serialises changes to a partner's users (roles, state): the "keep one active Global admin" check reads
 * the other admins, so two concurrent demotions must not both pass it. Taken before any user row lock, so
 * the lock order is always partner → user. FOR NO KEY UPDATE does not block inserts that reference the
 * partner.
 */
export async function lockPartnerForUserChanges(trx: Trx, partnerId: string): Promise<boolean> {
  const row = await trx
    .selectFrom('partners')
    .select('id')
    .where('id', '=', partnerId)
    .forNoKeyUpdate()
    .executeTakeFirst();
  return row !== undefined;
}

// ── partner users ──

export async function insertUser(
  trx: Trx,
  values: {
    partnerId: string;
    userName: string;
    displayName: string;
    passwordHash: string;
    mustChangePassword: boolean;
    roles: string[];
    now: Date;
  },
): Promise<PartnerUserRow | undefined> {
  // A taken user name (in any partner: names are unique across the installation) inserts nothing.
  // created_at is left to the database (transaction time): keyset paging then follows insertion order even
  // when a test clock stands still.
  return trx
    .insertInto('partner_users')
    .values({
      partner_id: values.partnerId,
      user_name: values.userName,
      display_name: values.displayName,
      password_hash: values.passwordHash,
      must_change_password: values.mustChangePassword,
      roles: values.roles,
      language: null,
      locked_until: null,
      last_sign_in_at: null,
      password_changed_at: values.mustChangePassword ? null : values.now,
      updated_at: values.now,
    })
    .onConflict((oc) => oc.column('user_name').doNothing())
    .returning([...USER_COLUMNS, CURSOR_AT.as('cursor_at')])
    .executeTakeFirst();
}

export function getUser(trx: Trx, partnerId: string, id: string): Promise<PartnerUserRow | undefined> {
  return trx
    .selectFrom('partner_users')
    .select([...USER_COLUMNS, CURSOR_AT.as('cursor_at')])
    .where('partner_id', '=', partnerId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** The profile read: the user and the few partner fields a profile shows, in one round trip. */
export async function getUserWithPartner(
  trx: Trx,
  partnerId: string,
  id: string,
): Promise<{ user: PartnerUserRow; partner: ProfilePartner } | undefined> {
  const row = await trx
    .selectFrom('partner_users as u')
    .innerJoin('partners as p', 'p.id', 'u.partner_id')
    .select(USER_COLUMNS.map((c) => `u.${c}` as const))
    .select([
      sql<string>`to_char(u.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('cursor_at'),
      'p.id as p_id',
      'p.name as p_name',
      'p.instance as p_instance',
      'p.kind as p_kind',
      'p.country as p_country',
    ])
    .where('u.partner_id', '=', partnerId)
    .where('u.id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  const { p_id, p_name, p_instance, p_kind, p_country, ...user } = row;
  return {
    user: user as PartnerUserRow,
    partner: { id: p_id, name: p_name, instance: p_instance, kind: p_kind, country: p_country },
  };
}

export type ProfilePartner = Pick<PartnerRow, 'id' | 'name' | 'instance' | 'kind' | 'country'>;

/** The user row, locked for the rest of the transaction. */
export function lockUser(trx: Trx, partnerId: string, id: string): Promise<PartnerUserRow | undefined> {
  return trx
    .selectFrom('partner_users')
    .select([...USER_COLUMNS, CURSOR_AT.as('cursor_at')])
    .where('partner_id', '=', partnerId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export async function getPasswordHash(trx: Trx, partnerId: string, id: string): Promise<string | undefined> {
  const row = await trx
    .selectFrom('partner_users')
    .select('password_hash')
    .where('partner_id', '=', partnerId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  return row?.password_hash;
}

export interface UserFilter {
  q?: string;
  role?: string;
  state?: 'active' | 'inactive';
}

const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function filteredUsers(trx: Trx, partnerId: string, f: UserFilter) {
  let qb = trx.selectFrom('partner_users').where('partner_id', '=', partnerId);
  if (f.q) {
    const pattern = likePattern(f.q);
    qb = qb.where((eb) => eb.or([eb('user_name', 'ilike', pattern), eb('display_name', 'ilike', pattern)]));
  }
  if (f.role) qb = qb.where(sql<boolean>`${f.role} = any(roles)`);
  if (f.state) qb = qb.where('state', '=', f.state);
  return qb;
}

export type UserSort = 'displayName' | 'userName' | 'createdAt';
export type SortOrder = 'asc' | 'desc';

/**
 * Users in (sort key, id) order after the cursor key; keyset paging stays stable under inserts. Text keys
 * compare byte-wise (collate "C") both in ORDER BY and in the cursor comparison, so the order does not depend
 * on the database's locale and a page boundary is exactly where the previous page ended.
 */
export function listUsers(
  trx: Trx,
  partnerId: string,
  f: UserFilter,
  sort: { by: UserSort; order: SortOrder },
  after: [string, string] | undefined,
  limit: number,
): Promise<PartnerUserRow[]> {
  let qb = filteredUsers(trx, partnerId, f).select([...USER_COLUMNS, CURSOR_AT.as('cursor_at')]);
  const key =
    sort.by === 'createdAt'
      ? sql`created_at`
      : sort.by === 'displayName'
        ? sql`display_name collate "C"`
        : sql`user_name collate "C"`;
  const dir = sort.order === 'desc' ? sql`desc` : sql`asc`;
  if (after) {
    const value =
      sort.by === 'createdAt' ? sql`${after[0]}::timestamptz` : sql`${after[0]}::text collate "C"`;
    const cmp = sort.order === 'desc' ? sql`<` : sql`>`;
    qb = qb.where(sql<boolean>`(${key}, id) ${cmp} (${value}, ${after[1]}::uuid)`);
  }
  return qb
    .orderBy(sql`${key} ${dir}`)
    .orderBy(sql`id ${dir}`)
    .limit(limit)
    .execute();
}

export async function countUsers(trx: Trx, partnerId: string, f: UserFilter): Promise<number> {
  const row = await filteredUsers(trx, partnerId, f)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Active Global admins of the partner other than `exceptId`. */
export async function countOtherActiveGlobalAdmins(
  trx: Trx,
  partnerId: string,
  exceptId: string,
): Promise<number> {
  const row = await trx
    .selectFrom('partner_users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('partner_id', '=', partnerId)
    .where('id', '<>', exceptId)
    .where('state', '=', 'active')
    .where(sql<boolean>`'globalAdmin' = any(roles)`)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface UserChanges {
  displayName?: string;
  roles?: string[];
  state?: 'active' | 'inactive';
  language?: string | null;
  passwordHash?: string;
  mustChangePassword?: boolean;
  passwordChangedAt?: Date | null;
  /** Clears a lockout (after an operator's or admin's password reset). */
  unlock?: boolean;
}

/**
 * Applies changes when the row is still at `expectedVersion` (when given) and bumps the version; undefined
 * when the row is gone or its version moved on.
 */
export function updateUser(
  trx: Trx,
  partnerId: string,
  id: string,
  expectedVersion: number | undefined,
  changes: UserChanges,
  now: Date,
): Promise<PartnerUserRow | undefined> {
  let qb = trx
    .updateTable('partner_users')
    .set((eb) => ({
      updated_at: now,
      version: eb('version', '+', 1),
      ...(changes.displayName !== undefined ? { display_name: changes.displayName } : {}),
      ...(changes.roles !== undefined ? { roles: changes.roles } : {}),
      ...(changes.state !== undefined ? { state: changes.state } : {}),
      ...(changes.language !== undefined ? { language: changes.language } : {}),
      ...(changes.passwordHash !== undefined ? { password_hash: changes.passwordHash } : {}),
      ...(changes.mustChangePassword !== undefined
        ? { must_change_password: changes.mustChangePassword }
        : {}),
      ...(changes.passwordChangedAt !== undefined ? { password_changed_at: changes.passwordChangedAt } : {}),
      ...(changes.unlock ? { failed_sign_ins: 0, locked_until: null } : {}),
    }))
    .where('partner_id', '=', partnerId)
    .where('id', '=', id);
  if (expectedVersion !== undefined) qb = qb.where('version', '=', expectedVersion);
  return qb.returning([...USER_COLUMNS, CURSOR_AT.as('cursor_at')]).executeTakeFirst();
}

/** Operator look-up across partners, for the CLI. */
export function listUsersOfPartner(trx: Trx, partnerId: string): Promise<PartnerUserRow[]> {
  return trx
    .selectFrom('partner_users')
    .select([...USER_COLUMNS, CURSOR_AT.as('cursor_at')])
    .where('partner_id', '=', partnerId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function findUserIdByName(
  trx: Trx,
  partnerId: string,
  userName: string,
): Promise<string | undefined> {
  const row = await trx
    .selectFrom('partner_users')
    .select('id')
    .where('partner_id', '=', partnerId)
    .where('user_name', '=', userName.toLowerCase())
    .executeTakeFirst();
  return row?.id;
}

// ── sessions ──

/** Revokes every live API token of a user (deactivation: reactivating must not revive them). */
export async function revokeUserApiTokens(
  trx: Trx,
  partnerId: string,
  userId: string,
  now: Date,
): Promise<number> {
  const r = await trx
    .updateTable('api_tokens')
    .set({ revoked_at: now })
    .where('partner_id', '=', partnerId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Ends a user's sign-in sessions and access tokens, optionally keeping one (the caller's own). */
export async function revokeUserSessions(
  trx: Trx,
  partnerId: string,
  userId: string,
  keepTokenHash?: Buffer,
): Promise<number> {
  let qb = trx.deleteFrom('auth_sessions').where('partner_id', '=', partnerId).where('user_id', '=', userId);
  if (keepTokenHash) qb = qb.where('token_hash', '<>', keepTokenHash);
  const r = await qb.executeTakeFirst();
  return Number(r.numDeletedRows);
}
