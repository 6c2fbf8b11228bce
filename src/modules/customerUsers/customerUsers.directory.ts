// The directory's core writes and lookups, shared by adding one user (customerUsers.service.ts) and adding
// many from a file (the userImports module): the customer's domains, which user names are taken, and inserting
// new users. Everything runs in the caller's transaction, under its partner's row-level security.
import { sql } from 'kysely';
import type { Trx } from '../../db/database.ts';
import { foldForSearch } from '../../lib/text.ts';

/** Directory roles a customer user may hold (PRODUCT.md feature 7). No role: "can use licenses and services". */
export const DIRECTORY_ROLES = ['globalAdmin', 'helpdeskAdmin', 'userAdmin', 'billingAdmin'] as const;
export type DirectoryRole = (typeof DIRECTORY_ROLES)[number];

/** A deleted user may be restored this long after its deletion, then it is purged. */
export const RESTORE_DAYS = 30;

export interface NewDirectoryUser {
  customerId: string;
  /** Lower-cased, at one of the customer's domains. */
  userName: string;
  firstName: string | null;
  lastName: string | null;
  displayName: string;
  phoneNumber?: string | null;
  usageLocation: string | null;
  /** argon2id for a chosen password, hashGeneratedPassword for a temporary one. */
  passwordHash: string;
  mustChangePassword: boolean;
  roles: DirectoryRole[];
  importId?: string | null;
}

/** What `q` searches: names and user name, folded as foldForSearch folds the query. */
export function searchKeyOf(u: {
  displayName: string;
  firstName: string | null;
  lastName: string | null;
  userName: string;
}): string {
  return foldForSearch([u.displayName, u.firstName, u.lastName, u.userName].filter(Boolean).join(' '));
}

/** The customer's domains, lower-cased, the primary one first. */
export async function customerDomains(trx: Trx, customerId: string): Promise<string[]> {
  const rows = await trx
    .selectFrom('customer_domains')
    .select('domain')
    .where('customer_id', '=', customerId)
    .orderBy('is_primary', 'desc')
    .orderBy('domain')
    .execute();
  return rows.map((r) => r.domain);
}

/** Which of these lower-cased user names the customer's directory already has (deleted users included). */
export async function existingUserNames(
  trx: Trx,
  customerId: string,
  userNames: string[],
): Promise<Set<string>> {
  if (userNames.length === 0) return new Set();
  const rows = await trx
    .selectFrom('customer_users')
    .select('user_name')
    .where('customer_id', '=', customerId)
    .where('user_name', '=', sql<string>`any(${sql.val(userNames)}::text[])`)
    .execute();
  return new Set(rows.map((r) => r.user_name));
}

/**
 * Inserts users in one statement. A user name taken meanwhile (another request won the race) is skipped, not
 * an error: the result lists only the users created, so the caller can say which rows lost.
 */
export async function insertDirectoryUsers(
  trx: Trx,
  users: readonly NewDirectoryUser[],
  now: Date,
): Promise<{ id: string; userName: string }[]> {
  if (users.length === 0) return [];
  const rows = await trx
    .insertInto('customer_users')
    .values(
      users.map((u) => ({
        customer_id: u.customerId,
        user_name: u.userName,
        first_name: u.firstName,
        last_name: u.lastName,
        display_name: u.displayName,
        phone_number: u.phoneNumber ?? null,
        usage_location: u.usageLocation,
        password_hash: u.passwordHash,
        must_change_password: u.mustChangePassword,
        roles: u.roles,
        search_key: searchKeyOf(u),
        import_id: u.importId ?? null,
        created_at: now,
        updated_at: now,
      })),
    )
    .onConflict((oc) => oc.column('user_name').doNothing())
    .returning(['id', 'user_name'])
    .execute();
  return rows.map((r) => ({ id: r.id, userName: r.user_name }));
}
