// What the customer-facing pages read and write outside any partner's context: invitation links by their
// token's hash, customer sign-in, customer sessions, and the signed-in customer's own organisation and partners.
// All of it goes through the SECURITY DEFINER functions of the relationships migration (why: see there), keyed
// by a token hash — except sign-in, keyed by the user name and then the id it answered.
import { sql } from 'kysely';
import type { Db, Trx } from '../../db/database.ts';
import type { InstanceId } from '../instances/instances.ts';
import type { ListKeys } from './relationships.repository.ts';

type Conn = Db | Trx;

const first = async <T>(query: Promise<{ rows: T[] }>): Promise<T | undefined> => (await query).rows[0];

export interface InvitationByToken {
  id: string;
  partner_id: string;
  include_dap: boolean;
  expires_at: Date;
  revoked_at: Date | null;
  partner_name: string;
  partner_instance: InstanceId;
  partner_country: string;
  partner_state: 'active' | 'inactive';
}

export function invitationByToken(db: Conn, hash: Buffer): Promise<InvitationByToken | undefined> {
  return first(sql<InvitationByToken>`select * from relationship_invitation_by_token(${hash})`.execute(db));
}

// ── sign-in ──

export interface SignInCandidate {
  id: string;
  customer_id: string;
  password_hash: string;
  locked_until: Date | null;
}

export function findUser(db: Conn, userName: string): Promise<SignInCandidate | undefined> {
  return first(sql<SignInCandidate>`select * from customer_auth_find_user(${userName})`.execute(db));
}

export interface SignInState {
  id: string;
  customer_id: string;
  user_name: string;
  state: 'active' | 'inactive';
  failed_sign_ins: number;
  locked_until: Date | null;
  must_change_password: boolean;
}

/** The user's sign-in counters, locked until `trx` ends. */
export function lockUser(trx: Trx, userId: string): Promise<SignInState | undefined> {
  return first(sql<SignInState>`select * from customer_auth_lock_user(${userId}::uuid)`.execute(trx));
}

export async function recordAttempt(
  trx: Trx,
  userId: string,
  values: { failedSignIns: number; lockedUntil: Date | null; signedInAt: Date | null },
): Promise<void> {
  await sql`select customer_auth_record_attempt(${userId}::uuid, ${values.failedSignIns}::int,
    ${values.lockedUntil}::timestamptz, ${values.signedInAt}::timestamptz)`.execute(trx);
}

export async function startSession(
  trx: Trx,
  values: { tokenHash: Buffer; userId: string; createdAt: Date; expiresAt: Date },
): Promise<void> {
  await sql`select customer_session_start(${values.tokenHash}, ${values.userId}::uuid,
    ${values.createdAt}::timestamptz, ${values.expiresAt}::timestamptz)`.execute(trx);
}

// ── a signed-in customer ──

export interface ResolvedCustomerSession {
  user_id: string;
  customer_id: string;
  user_name: string;
  display_name: string;
  roles: string[];
  must_change_password: boolean;
  expires_at: Date;
  customer_name: string;
  customer_domain: string;
  instance: InstanceId;
}

export function resolveCustomerSession(db: Conn, hash: Buffer): Promise<ResolvedCustomerSession | undefined> {
  return first(sql<ResolvedCustomerSession>`select * from customer_session_resolve(${hash})`.execute(db));
}

export async function endSession(db: Conn, hash: Buffer): Promise<boolean> {
  const r = await first(sql<{ ended: boolean }>`select customer_session_end(${hash}) as ended`.execute(db));
  return r?.ended === true;
}

export async function passwordHash(db: Conn, session: Buffer): Promise<string | undefined> {
  const r = await first(
    sql<{ hash: string | null }>`select customer_auth_password_hash(${session}) as hash`.execute(db),
  );
  return r?.hash ?? undefined;
}

/** Sets the new password if the old one is still in place; null when it is not. Answers sessions ended. */
export async function setPassword(
  db: Conn,
  session: Buffer,
  oldHash: string,
  newHash: string,
  at: Date,
): Promise<number | null> {
  const r = await first(
    sql<{ ended: number | null }>`select customer_auth_set_password(${session}, ${oldHash}, ${newHash},
      ${at}::timestamptz) as ended`.execute(db),
  );
  return r?.ended ?? null;
}

export interface PortalCustomer {
  id: string;
  instance: InstanceId;
  company_name: string;
  primary_domain: string;
  country: string | null;
  agreement_date: string | null;
}

export function portalCustomer(db: Conn, session: Buffer): Promise<PortalCustomer | undefined> {
  return first(sql<PortalCustomer>`select * from customer_portal_customer(${session})`.execute(db));
}

/** The session's organisation's list keys, share-locked until `trx` ends. */
export function relationshipKeys(trx: Trx, session: Buffer): Promise<ListKeys | undefined> {
  return first(sql<ListKeys>`select * from customer_relationship_keys(${session})`.execute(trx));
}

export interface PortalPartner {
  partner_id: string;
  partner_name: string;
  partner_country: string;
  instance: InstanceId;
  delegated_admin: boolean;
  established_at: Date;
}

export async function portalPartners(db: Conn, session: Buffer): Promise<PortalPartner[]> {
  return (await sql<PortalPartner>`select * from customer_portal_partners(${session})`.execute(db)).rows;
}

// ── housekeeping (owner connection) ──

const CHUNK = 5_000;

/** Deletes customer sessions that expired before `now`, in bounded chunks; returns how many. */
export async function purgeExpiredCustomerSessions(owner: Db, now: Date): Promise<number> {
  let total = 0;
  for (;;) {
    const r = await owner
      .deleteFrom('customer_sessions')
      .where('token_hash', 'in', (eb) =>
        eb.selectFrom('customer_sessions').select('token_hash').where('expires_at', '<', now).limit(CHUNK),
      )
      .executeTakeFirst();
    const n = Number(r.numDeletedRows);
    total += n;
    if (n < CHUNK) return total;
  }
}
