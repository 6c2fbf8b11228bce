// Factories: partners, partner users and their credentials, written straight into the store with the owner
// connection (tests of sign-in itself go through the API). Each call makes unique names, so tests never
// depend on shared seed rows.
import { randomBytes } from 'node:crypto';
import type { Store } from '../../src/db/database.ts';
import { hashPassword } from '../../src/lib/passwords.ts';
import { hashSecret, newSecret } from '../../src/lib/tokens.ts';
import type { InstanceId } from '../../src/modules/instances/instances.ts';
import type { Role } from '../../src/modules/partners/roles.ts';

export const TEST_PASSWORD = 'Test-password-42';
let cachedHash: Promise<string> | undefined;
const testPasswordHash = () => (cachedHash ??= hashPassword(TEST_PASSWORD));

const unique = () => randomBytes(4).toString('hex');

export interface TestPartner {
  id: string;
  name: string;
  instance: InstanceId;
}

export async function createPartner(
  store: Store,
  over: Partial<{
    name: string;
    country: string;
    instance: InstanceId;
    kind: 'direct' | 'indirectProvider' | 'indirectReseller';
  }> = {},
): Promise<TestPartner> {
  const row = await store.owner
    .insertInto('partners')
    .values({
      name: over.name ?? `Partner ${unique()}`,
      country: over.country ?? 'US',
      instance: over.instance ?? 'global',
      kind: over.kind ?? 'direct',
      updated_at: new Date(),
    })
    .returning(['id', 'name', 'instance'])
    .executeTakeFirstOrThrow();
  return row;
}

export interface TestUser {
  id: string;
  partnerId: string;
  userName: string;
  roles: Role[];
  /** A bearer access token for this user. */
  token: string;
}

export async function createUser(
  store: Store,
  partnerId: string,
  over: Partial<{ roles: Role[]; userName: string; mustChangePassword: boolean; displayName: string }> = {},
): Promise<TestUser> {
  const userName = (over.userName ?? `user-${unique()}@partner.example`).toLowerCase();
  const roles = over.roles ?? ['globalAdmin'];
  const row = await store.owner
    .insertInto('partner_users')
    .values({
      partner_id: partnerId,
      user_name: userName,
      display_name: over.displayName ?? userName.split('@')[0]!,
      password_hash: await testPasswordHash(),
      must_change_password: over.mustChangePassword ?? false,
      roles,
      language: null,
      locked_until: null,
      last_sign_in_at: null,
      password_changed_at: null,
      updated_at: new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const token = await issueToken(store, partnerId, row.id);
  return { id: row.id, partnerId, userName, roles, token };
}

/** A bearer access token, as sign-in would issue, valid for an hour. */
export async function issueToken(store: Store, partnerId: string, userId: string): Promise<string> {
  const token = newSecret('pds');
  await store.owner
    .insertInto('auth_sessions')
    .values({
      token_hash: hashSecret(token),
      partner_id: partnerId,
      user_id: userId,
      kind: 'bearer',
      csrf_hash: null,
      expires_at: new Date(Date.now() + 3600_000),
      last_used_at: null,
    })
    .execute();
  return token;
}

/** A partner with a Global admin, the usual start of a test. */
export async function createPartnerWithAdmin(store: Store, over: Parameters<typeof createPartner>[1] = {}) {
  const partner = await createPartner(store, over);
  const admin = await createUser(store, partner.id, { roles: ['globalAdmin'] });
  return { partner, admin };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
