// Credential look-ups that happen before the partner is known. They go through SECURITY DEFINER functions
// (see the foundation migration), the only cross-partner paths the app role has.
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';

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
