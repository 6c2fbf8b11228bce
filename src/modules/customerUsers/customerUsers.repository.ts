// SQL for a customer's directory. Request-path functions run in a transaction opened by inPartnerTransaction:
// row-level security shows a customer's users to every partner with an active relationship with it, and each
// query also names the customer (the first wall). Lists read customer_directory, the same rule as a view, so
// that search and sort reach their indexes (see migration 20261204T1100). Purging deleted users runs on the
// owner connection, for every customer at once.
//
// A user's licences come from every partner that sold it one, but subscriptions are visible only to their
// partner of record; the SECURITY DEFINER function customer_user_licenses (migration 20261204T1200) reads them
// across that wall for a related partner. It is called once for a page of users (never once per user), and the
// licence count is taken from the same rows, so the two never disagree.
import type { Selectable } from 'kysely';
import { sql } from 'kysely';
import type { Db, Trx } from '../../db/database.ts';
import type { CustomerDirectoryView, CustomerUsersTable } from '../../db/schema.ts';
import { escapeLike } from '../../lib/text.ts';

/** An active licence of a user, whoever sold it: the product as it was sold. */
export interface AssignedLicenseRow {
  offer_id: string;
  offer_name: string;
  sold_by_caller: boolean;
}

/** A user as the API shows it: no password hash, with the licences it holds (and how many). */
export type UserViewRow = CustomerDirectoryView & {
  /** By product name. */
  assigned_licenses: AssignedLicenseRow[];
  license_count: number;
  /** The value of the list's sort key for this row, for its cursor. */
  position: string;
};

type DirectoryRow = CustomerDirectoryView & { position: string };

export type UserSort = 'displayName' | 'userPrincipalName' | 'createdTime';
export type SortDirection = 'asc' | 'desc';

const CREATED_POSITION = sql<string>`to_char(u.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** The key column of each sort order, as its index has it. */
const SORT_KEY = {
  displayName: sql<string>`lower(u.display_name)`,
  userPrincipalName: sql<string>`u.user_name`,
  createdTime: sql<string>`u.created_at`,
} as const;

const POSITION = {
  displayName: sql<string>`lower(u.display_name)`,
  userPrincipalName: sql<string>`u.user_name`,
  createdTime: CREATED_POSITION,
} as const;

function directory(trx: Trx, sort: UserSort = 'displayName') {
  return trx.selectFrom('customer_directory as u').selectAll('u').select(POSITION[sort].as('position'));
}

/**
 * The active licences of these users from every partner, in one query whatever their number: by user, each
 * user's by product name (the function's order). Released ones (a deleted user's) are not held.
 */
export async function assignedLicenses(
  trx: Trx,
  userIds: readonly string[],
): Promise<Map<string, AssignedLicenseRow[]>> {
  const byUser = new Map<string, AssignedLicenseRow[]>();
  if (userIds.length === 0) return byUser;
  const r = await sql<AssignedLicenseRow & { user_id: string }>`
    select l.user_id, l.offer_id, l.offer_name, l.sold_by_caller
      from customer_user_licenses(${sql.val([...userIds])}::uuid[]) l
     where l.state = 'active'`.execute(trx);
  for (const { user_id, ...license } of r.rows) {
    const held = byUser.get(user_id);
    if (held) held.push(license);
    else byUser.set(user_id, [license]);
  }
  return byUser;
}

/** The rows with their users' licences, read together. */
async function withLicenses(trx: Trx, rows: DirectoryRow[]): Promise<UserViewRow[]> {
  const held = await assignedLicenses(
    trx,
    rows.map((r) => r.id),
  );
  return rows.map((r) => {
    const assigned = held.get(r.id) ?? [];
    return { ...r, assigned_licenses: assigned, license_count: assigned.length };
  });
}

export interface UserQuery {
  customerId: string;
  state: 'active' | 'inactive';
  /** Folded search text: contained in the names or the user name. */
  text?: string;
  hasLicenses?: boolean;
}

/** The list's conditions, shared by the page and its count. */
function matching(q: UserQuery) {
  const and = [sql<boolean>`u.customer_id = ${q.customerId}::uuid`, sql<boolean>`u.state = ${q.state}`];
  if (q.text) and.push(sql<boolean>`u.search_key like ${`%${escapeLike(q.text)}%`}`);
  if (q.hasLicenses !== undefined) {
    const held = sql<boolean>`exists (select 1 from license_assignments la
      where la.user_id = u.id and la.state = 'active')`;
    and.push(q.hasLicenses ? held : sql<boolean>`not ${held}`);
  }
  return sql<boolean>`${sql.join(and, sql` and `)}`;
}

function counted(trx: Trx) {
  return trx.selectFrom('customer_directory as u').select((eb) => eb.fn.countAll<number>().as('n'));
}

/** Up to `limit` users matching `q` in `sort` order (ties by id), after `after` ([key, id]). */
export async function findUsers(
  trx: Trx,
  q: UserQuery,
  sort: UserSort,
  direction: SortDirection,
  after: [string, string] | undefined,
  limit: number,
): Promise<UserViewRow[]> {
  const key = SORT_KEY[sort];
  let qb = directory(trx, sort).where(matching(q));
  if (after) {
    const value = sort === 'createdTime' ? sql`${after[0]}::timestamptz` : sql`${after[0]}::text`;
    qb =
      direction === 'asc'
        ? qb.where(sql<boolean>`(${key}, u.id) > (${value}, ${after[1]}::uuid)`)
        : qb.where(sql<boolean>`(${key}, u.id) < (${value}, ${after[1]}::uuid)`);
  }
  const rows = await qb.orderBy(key, direction).orderBy('u.id', direction).limit(limit).execute();
  return withLicenses(trx, rows);
}

export async function countUsers(trx: Trx, q: UserQuery): Promise<number> {
  const r = await counted(trx).where(matching(q)).executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function getUser(
  trx: Trx,
  customerId: string,
  userId: string,
): Promise<UserViewRow | undefined> {
  const row = await directory(trx)
    .where('u.customer_id', '=', customerId)
    .where('u.id', '=', userId)
    .executeTakeFirst();
  return row && (await withLicenses(trx, [row]))[0];
}

export type UserRow = Selectable<CustomerUsersTable>;

/** The user locked for a change (row-level security: only a related partner's transaction finds it). */
export function lockUser(trx: Trx, customerId: string, userId: string): Promise<UserRow | undefined> {
  return trx
    .selectFrom('customer_users')
    .selectAll()
    .where('customer_id', '=', customerId)
    .where('id', '=', userId)
    .forUpdate()
    .executeTakeFirst();
}

/** These users of the customer, locked in id order (two bulk calls over the same users cannot deadlock). */
export function lockUsers(trx: Trx, customerId: string, userIds: readonly string[]): Promise<UserRow[]> {
  if (userIds.length === 0) return Promise.resolve([]);
  return trx
    .selectFrom('customer_users')
    .selectAll()
    .where('customer_id', '=', customerId)
    .where('id', '=', sql<string>`any(${sql.val([...userIds])}::uuid[])`)
    .orderBy('id')
    .forUpdate()
    .execute();
}

/**
 * The customer's active holders of a directory role, locked in id order. Taken before any change that could
 * remove the last Global admin, so two such changes run one after the other and the second sees the first.
 */
export async function lockRoleHolders(trx: Trx, customerId: string, role: string): Promise<string[]> {
  const rows = await trx
    .selectFrom('customer_users')
    .select('id')
    .where('customer_id', '=', customerId)
    .where('state', '=', 'active')
    .where(sql<boolean>`${role}::text = any(roles)`)
    .orderBy('id')
    .forUpdate()
    .execute();
  return rows.map((r) => r.id);
}

export type UserChange = Partial<
  Pick<
    UserRow,
    | 'user_name'
    | 'first_name'
    | 'last_name'
    | 'display_name'
    | 'usage_location'
    | 'phone_number'
    | 'roles'
    | 'state'
    | 'soft_deleted_at'
    | 'password_hash'
    | 'must_change_password'
    | 'password_changed_at'
    | 'failed_sign_ins'
    | 'locked_until'
    | 'search_key'
  >
>;

/** Applies `change` if the user is still at `expectedVersion`; false when another change came first. */
export async function updateUser(
  trx: Trx,
  userId: string,
  expectedVersion: number,
  change: UserChange,
  now: Date,
): Promise<boolean> {
  const r = await trx
    .updateTable('customer_users')
    .set((eb) => ({ ...change, updated_at: now, version: eb('version', '+', 1) }))
    .where('id', '=', userId)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Ends the user's customer sessions (a definer function: the app role cannot reach the table); how many. */
export async function endSessions(trx: Trx, userId: string): Promise<number> {
  const r = await sql<{ n: number }>`select customer_user_end_sessions(${userId}::uuid) as n`.execute(trx);
  return Number(r.rows[0]?.n ?? 0);
}

/** The customer's user holding this (lower-cased) user name, deleted ones included. */
export function findByUserName(
  trx: Trx,
  customerId: string,
  userName: string,
): Promise<{ id: string; state: 'active' | 'inactive' } | undefined> {
  return trx
    .selectFrom('customer_users')
    .select(['id', 'state'])
    .where('customer_id', '=', customerId)
    .where('user_name', '=', userName)
    .executeTakeFirst();
}

// ── directory roles ──

/**
 * Up to `limit` active holders of `role`, by display name, after `after` ([lower(display name), id]). A member
 * is shown by its names only: no licences are read.
 */
export function findRoleMembers(
  trx: Trx,
  customerId: string,
  role: string,
  after: [string, string] | undefined,
  limit: number,
): Promise<DirectoryRow[]> {
  let qb = directory(trx)
    .where('u.customer_id', '=', customerId)
    .where('u.state', '=', 'active')
    .where(sql<boolean>`${role}::text = any(u.roles)`);
  if (after)
    qb = qb.where(sql<boolean>`(lower(u.display_name), u.id) > (${after[0]}::text, ${after[1]}::uuid)`);
  return qb
    .orderBy(sql`lower(u.display_name)`)
    .orderBy('u.id')
    .limit(limit)
    .execute();
}

export async function countRoleMembers(trx: Trx, customerId: string, role: string): Promise<number> {
  const r = await counted(trx)
    .where('u.customer_id', '=', customerId)
    .where('u.state', '=', 'active')
    .where(sql<boolean>`${role}::text = any(u.roles)`)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

// ── the purge job (owner connection, every customer) ──

export interface PurgeableUser {
  id: string;
  customer_id: string;
  customer_name: string | null;
  user_name: string;
  display_name: string;
  soft_deleted_at: Date;
}

/**
 * Up to `limit` users deleted before `deletedBefore`, locked; rows another process holds are skipped (it is
 * purging them, or a partner is restoring them).
 */
export function lockPurgeable(trx: Trx, deletedBefore: Date, limit: number): Promise<PurgeableUser[]> {
  return trx
    .selectFrom('customer_users as u')
    .leftJoin('customers as c', 'c.id', 'u.customer_id')
    .select([
      'u.id',
      'u.customer_id',
      'c.billing_company_name as customer_name',
      'u.user_name',
      'u.display_name',
      sql<Date>`u.soft_deleted_at`.as('soft_deleted_at'),
    ])
    .where('u.state', '=', 'inactive')
    .where('u.soft_deleted_at', '<', deletedBefore)
    .orderBy('u.soft_deleted_at')
    .orderBy('u.id')
    .limit(limit)
    .forUpdate('u')
    .skipLocked()
    .execute();
}

/** The partners with an active relationship with each of these customers (who is told of a purge). */
export function relatedPartners(
  trx: Trx,
  customerIds: readonly string[],
): Promise<{ customer_id: string; partner_id: string }[]> {
  if (customerIds.length === 0) return Promise.resolve([]);
  return trx
    .selectFrom('customer_relationships')
    .select(['customer_id', 'partner_id'])
    .where('customer_id', 'in', [...new Set(customerIds)])
    .where('state', '=', 'active')
    .execute();
}

/** Deletes the users and their sessions (their licence assignments go with them: on delete cascade). */
export async function deleteUsers(owner: Trx, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await owner
    .deleteFrom('customer_sessions')
    .where('user_id', 'in', [...ids])
    .execute();
  await owner
    .deleteFrom('customer_users')
    .where('id', 'in', [...ids])
    .execute();
}

export type { Db };
