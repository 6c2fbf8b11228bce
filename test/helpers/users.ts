// Customer directories for tests: a customer with its first Global admin at its own domain, calls to the users
// API, and plain users written with the directory's own insert for tests that are not about the directory
// (licences).
import { randomBytes } from 'node:crypto';
import type { App } from '../../src/app.ts';
import type { Store } from '../../src/db/database.ts';
import { hashGeneratedPassword, hashPassword } from '../../src/lib/passwords.ts';
import type { DirectoryRole } from '../../src/modules/customerUsers/customerUsers.directory.ts';
import {
  insertDirectoryUsers,
  searchKeyOf,
} from '../../src/modules/customerUsers/customerUsers.directory.ts';
import { insertCustomer } from './customers.ts';
import { TEST_PASSWORD, bearer } from './factories.ts';

let cachedHash: Promise<string> | undefined;
const testPasswordHash = () => (cachedHash ??= hashPassword(TEST_PASSWORD));

export interface DirectoryCustomer {
  id: string;
  name: string;
  domain: string;
  /** Its first Global admin (password TEST_PASSWORD). */
  adminId: string;
}

/** A user written straight into the store, at the customer's domain, password TEST_PASSWORD. */
export async function insertDirectoryUser(
  store: Store,
  customerId: string,
  userName: string,
  over: { displayName?: string; roles?: string[]; createdAt?: Date } = {},
): Promise<string> {
  const displayName = over.displayName ?? userName.split('@')[0]!;
  const at = over.createdAt ?? new Date();
  const row = await store.owner
    .insertInto('customer_users')
    .values({
      customer_id: customerId,
      user_name: userName,
      first_name: null,
      last_name: null,
      display_name: displayName,
      password_hash: await testPasswordHash(),
      must_change_password: false,
      roles: over.roles ?? [],
      usage_location: 'US',
      search_key: searchKeyOf({ displayName, firstName: null, lastName: null, userName }),
      created_at: at,
      updated_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A customer of the partner (active relationship) whose directory holds its Global admin. */
export async function directoryCustomer(
  store: Store,
  partnerId: string,
  opts: Parameters<typeof insertCustomer>[2] = {},
): Promise<DirectoryCustomer> {
  const c = await insertCustomer(store, partnerId, opts);
  const adminId = await insertDirectoryUser(store, c.id, `admin@${c.domain}`, {
    displayName: 'Tenant Admin',
    roles: ['globalAdmin'],
  });
  return { ...c, adminId };
}

export const usersUrl = (customerId: string, userId = '') =>
  `/v1/customers/${customerId}/users${userId ? `/${userId}` : ''}`;

/** POST a user; answers the raw response. */
export function postUser(
  app: App,
  token: string,
  customerId: string,
  payload: Record<string, unknown>,
  headers: Record<string, string> = {},
) {
  return app.inject({
    method: 'POST',
    url: usersUrl(customerId),
    headers: { ...bearer(token), ...headers },
    payload,
  });
}

/** A user made through the API (generated password); throws unless created. */
export async function createDirectoryUser(
  app: App,
  token: string,
  customer: { id: string; domain: string },
  local: string,
  extra: Record<string, unknown> = {},
): Promise<
  { id: string; userPrincipalName: string; passwordProfile?: { password: string } } & Record<string, unknown>
> {
  const r = await postUser(app, token, customer.id, {
    userPrincipalName: `${local}@${customer.domain}`,
    displayName: local,
    ...extra,
  });
  if (r.statusCode !== 201) throw new Error(`createDirectoryUser: ${r.statusCode} ${r.body}`);
  return r.json();
}

// ── plain users for tests of other features ──

export interface TestUserSpec {
  displayName?: string;
  /** Default US; null: none (such a user cannot be given licences). */
  usageLocation?: string | null;
  roles?: DirectoryRole[];
}

export interface TestCustomerUser {
  id: string;
  userName: string;
  displayName: string;
}

/** Users of the customer (one per spec, or `count` plain ones), in the order given. */
export async function insertTestUsers(
  store: Store,
  customer: { id: string; domain: string },
  specs: number | TestUserSpec[] = 1,
): Promise<TestCustomerUser[]> {
  const list: TestUserSpec[] = typeof specs === 'number' ? Array.from({ length: specs }, () => ({})) : specs;
  const batch = randomBytes(3).toString('hex');
  const users = list.map((spec, i) => {
    const displayName = spec.displayName ?? `User ${batch} ${i + 1}`;
    return {
      customerId: customer.id,
      userName: `user-${batch}-${i + 1}@${customer.domain}`,
      firstName: null,
      lastName: null,
      displayName,
      usageLocation: spec.usageLocation === undefined ? 'US' : spec.usageLocation,
      passwordHash: hashGeneratedPassword(randomBytes(12).toString('base64url')),
      mustChangePassword: true,
      roles: spec.roles ?? [],
    };
  });
  const created = await store.owner
    .transaction()
    .execute((trx) => insertDirectoryUsers(trx, users, new Date()));
  const byName = new Map(created.map((c) => [c.userName, c.id]));
  return users.map((u) => ({
    id: byName.get(u.userName)!,
    userName: u.userName,
    displayName: u.displayName,
  }));
}
