// Credential look-ups that happen before the partner is known. They go through SECURITY DEFINER functions
// (see the foundation migration), the only cross-partner paths the app role has.
import { sql } from 'kysely';
import type { Db, Trx } from '../../db/database.ts';

export interface ResolvedCredential {
  kind: 'bearer' | 'console' | 'apiToken';
  credential_id: string;
  partner_id: string;
  user_id: string;
  roles: string[];
  expires_at: Date | null;
  csrf_hash: Buffer | null;
  user_name: string;
  display_name: string;
  must_change_password: boolean;
  language: string | null;
  partner_name: string;
  instance: 'global' | 'usgov' | 'germany';
  partner_kind: string;
  partner_country: string;
}

export async function resolveCredential(db: Db, hash: Buffer): Promise<ResolvedCredential | undefined> {
  const r = await sql<ResolvedCredential>`select * from auth_resolve_credential(${hash})`.execute(db);
  return r.rows[0];
}

export interface SignInCandidate {
  id: string;
  partner_id: string;
  password_hash: string;
  state: 'active' | 'inactive';
  failed_sign_ins: number;
  locked_until: Date | null;
  must_change_password: boolean;
  partner_state: 'active' | 'inactive';
}

export async function findUserForSignIn(db: Db, userName: string): Promise<SignInCandidate | undefined> {
  const r = await sql<SignInCandidate>`select * from auth_find_user(${userName})`.execute(db);
  return r.rows[0];
}

// ── after the partner is known (inside inPartnerTransaction) ──

export interface SignInState {
  id: string;
  user_name: string;
  roles: string[];
  state: 'active' | 'inactive';
  must_change_password: boolean;
  failed_sign_ins: number;
  locked_until: Date | null;
}

/** The user's sign-in counters, locked so that concurrent attempts count one after the other. */
export function lockSignInState(
  trx: Trx,
  partnerId: string,
  userId: string,
): Promise<SignInState | undefined> {
  return trx
    .selectFrom('partner_users')
    .select(['id', 'user_name', 'roles', 'state', 'must_change_password', 'failed_sign_ins', 'locked_until'])
    .where('partner_id', '=', partnerId)
    .where('id', '=', userId)
    .forUpdate()
    .executeTakeFirst();
}

/** Counters only: a sign-in is not a change of the user resource, so its version (ETag) stays. */
export async function setSignInCounters(
  trx: Trx,
  partnerId: string,
  userId: string,
  values: { failedSignIns: number; lockedUntil: Date | null; lastSignInAt?: Date },
): Promise<void> {
  await trx
    .updateTable('partner_users')
    .set({
      failed_sign_ins: values.failedSignIns,
      locked_until: values.lockedUntil,
      ...(values.lastSignInAt ? { last_sign_in_at: values.lastSignInAt } : {}),
    })
    .where('partner_id', '=', partnerId)
    .where('id', '=', userId)
    .execute();
}

export async function insertSession(
  trx: Trx,
  values: {
    tokenHash: Buffer;
    partnerId: string;
    userId: string;
    kind: 'bearer' | 'console';
    csrfHash: Buffer | null;
    createdAt: Date;
    expiresAt: Date;
  },
): Promise<void> {
  await trx
    .insertInto('auth_sessions')
    .values({
      token_hash: values.tokenHash,
      partner_id: values.partnerId,
      user_id: values.userId,
      kind: values.kind,
      csrf_hash: values.csrfHash,
      created_at: values.createdAt,
      expires_at: values.expiresAt,
      last_used_at: null,
    })
    .execute();
}

export async function deleteSession(trx: Trx, partnerId: string, tokenHash: Buffer): Promise<boolean> {
  const r = await trx
    .deleteFrom('auth_sessions')
    .where('partner_id', '=', partnerId)
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
  return r.numDeletedRows > 0n;
}
