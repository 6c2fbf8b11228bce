// SQL for invitation links, their acceptances and partner–customer relationships. Every function runs in a
// transaction opened by inPartnerTransaction for the partner it names: row-level security limits it to that
// partner's rows, and each query also filters by the partner explicitly (the first wall). The customers module
// owns customer_relationships and customer_agreements; the statements that establish, reactivate and remove a
// relationship, and the customer's own agreement confirmation given while accepting, live here because they
// are what this module does.
import type { Selectable } from 'kysely';
import { sql } from 'kysely';
import type { Trx } from '../../db/database.ts';
import type { RelationshipInvitationsTable } from '../../db/schema.ts';

export type InvitationRow = Selectable<RelationshipInvitationsTable>;

/** A listed invitation: who made it, how many customers accepted it, its creation time for the cursor. */
export type ListedInvitationRow = Omit<InvitationRow, 'token_hash' | 'token_sealed'> & {
  created_by_user_name: string | null;
  accepted_count: number;
  /** created_at at microsecond precision, for keyset paging. */
  cursor_at: string;
};

const CURSOR_AT = sql<string>`to_char(i.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * Serialises the requests of one partner for one choice (with or without DAP) until the transaction ends, so
 * that two first requests at once make one link, not two.
 */
export async function lockLinkChoice(trx: Trx, partnerId: string, includeDap: boolean): Promise<void> {
  const key = `relationship-link:${partnerId}:${includeDap}`;
  await sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(trx);
}

/** The newest link of the partner for this choice that is neither revoked nor expired at `now`. */
export function currentInvitation(
  trx: Trx,
  partnerId: string,
  includeDap: boolean,
  now: Date,
): Promise<InvitationRow | undefined> {
  return trx
    .selectFrom('relationship_invitations')
    .selectAll()
    .where('partner_id', '=', partnerId)
    .where('include_dap', '=', includeDap)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function insertInvitation(trx: Trx, row: InvitationRow): Promise<void> {
  await trx.insertInto('relationship_invitations').values(row).execute();
}

function listed(trx: Trx, partnerId: string) {
  return trx
    .selectFrom('relationship_invitations as i')
    .leftJoin('partner_users as u', 'u.id', 'i.created_by')
    .where('i.partner_id', '=', partnerId)
    .select([
      'i.id',
      'i.partner_id',
      'i.token_prefix',
      'i.include_dap',
      'i.created_by',
      'i.created_at',
      'i.expires_at',
      'i.revoked_at',
      'u.user_name as created_by_user_name',
      CURSOR_AT.as('cursor_at'),
      (eb) =>
        eb
          .selectFrom('relationship_acceptances as a')
          .select(sql<number>`count(distinct a.customer_id)::int`.as('n'))
          .whereRef('a.invitation_id', '=', 'i.id')
          .where('a.partner_id', '=', partnerId)
          .as('accepted_count'),
    ]);
}

/** The partner's invitations, newest first, after (created_at, id) `after`. */
export async function listInvitations(
  trx: Trx,
  partnerId: string,
  after: [string, string] | undefined,
  limit: number,
): Promise<ListedInvitationRow[]> {
  let qb = listed(trx, partnerId);
  if (after)
    qb = qb.where(sql<boolean>`(i.created_at, i.id) < (${after[0]}::timestamptz, ${after[1]}::uuid)`);
  const rows = await qb.orderBy('i.created_at', 'desc').orderBy('i.id', 'desc').limit(limit).execute();
  return rows.map((r) => ({ ...r, accepted_count: Number(r.accepted_count ?? 0) }));
}

export async function countInvitations(trx: Trx, partnerId: string): Promise<number> {
  const r = await trx
    .selectFrom('relationship_invitations')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('partner_id', '=', partnerId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function getInvitation(
  trx: Trx,
  partnerId: string,
  id: string,
): Promise<ListedInvitationRow | undefined> {
  const row = await listed(trx, partnerId).where('i.id', '=', id).executeTakeFirst();
  return row && { ...row, accepted_count: Number(row.accepted_count ?? 0) };
}

/** Marks the invitation revoked; false when it already was. */
export async function revokeInvitation(trx: Trx, partnerId: string, id: string, now: Date): Promise<boolean> {
  const r = await trx
    .updateTable('relationship_invitations')
    .set({ revoked_at: now })
    .where('partner_id', '=', partnerId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

// ── relationships ──

export interface RelationshipState {
  state: 'active' | 'removed';
  delegated_admin: boolean;
  established_at: Date;
}

/** The partner's relationship with the customer, locked for a change; undefined when there never was one. */
export function lockRelationship(
  trx: Trx,
  partnerId: string,
  customerId: string,
): Promise<RelationshipState | undefined> {
  return trx
    .selectFrom('customer_relationships')
    .select(['state', 'delegated_admin', 'established_at'])
    .where('partner_id', '=', partnerId)
    .where('customer_id', '=', customerId)
    .forUpdate()
    .executeTakeFirst();
}

/** Ends the relationship: it leaves the partner's list (its indexes cover active rows only) and DAP ends. */
export async function removeRelationship(
  trx: Trx,
  partnerId: string,
  customerId: string,
  now: Date,
): Promise<void> {
  await trx
    .updateTable('customer_relationships')
    .set({ state: 'removed', removed_at: now, delegated_admin: false })
    .where('partner_id', '=', partnerId)
    .where('customer_id', '=', customerId)
    .where('state', '=', 'active')
    .execute();
}

/** The customer's list keys as the relationship row copies them (see customers.repository.ts insertCustomer). */
export interface ListKeys {
  customer_id: string;
  company_name: string;
  name_key: string;
  primary_domain: string;
  domain_key: string;
  created_at: Date;
}

/** A new relationship; false when one (active or removed) already exists, even one committed just now. */
export async function insertRelationship(
  trx: Trx,
  partnerId: string,
  keys: ListKeys,
  delegatedAdmin: boolean,
  now: Date,
): Promise<boolean> {
  const r = await trx
    .insertInto('customer_relationships')
    .values({
      partner_id: partnerId,
      customer_id: keys.customer_id,
      delegated_admin: delegatedAdmin,
      established_at: now,
      removed_at: null,
      company_name: keys.company_name,
      name_key: keys.name_key,
      primary_domain: keys.primary_domain,
      domain_key: keys.domain_key,
      customer_created_at: keys.created_at,
    })
    .onConflict((oc) => oc.columns(['partner_id', 'customer_id']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0n) === 1;
}

/** Makes a removed relationship active again, as new: established now, the list keys copied afresh. */
export async function reactivateRelationship(
  trx: Trx,
  partnerId: string,
  keys: ListKeys,
  delegatedAdmin: boolean,
  now: Date,
): Promise<void> {
  await trx
    .updateTable('customer_relationships')
    .set({
      state: 'active',
      removed_at: null,
      established_at: now,
      delegated_admin: delegatedAdmin,
      company_name: keys.company_name,
      name_key: keys.name_key,
      primary_domain: keys.primary_domain,
      domain_key: keys.domain_key,
      customer_created_at: keys.created_at,
    })
    .where('partner_id', '=', partnerId)
    .where('customer_id', '=', keys.customer_id)
    .execute();
}

export async function setDelegatedAdmin(
  trx: Trx,
  partnerId: string,
  customerId: string,
  delegatedAdmin: boolean,
): Promise<void> {
  await trx
    .updateTable('customer_relationships')
    .set({ delegated_admin: delegatedAdmin })
    .where('partner_id', '=', partnerId)
    .where('customer_id', '=', customerId)
    .where('state', '=', 'active')
    .execute();
}

/** The customer's own confirmation of the customer agreement, given while accepting this partner's invitation. */
export async function insertCustomerAgreement(
  trx: Trx,
  values: {
    customerId: string;
    partnerId: string;
    firstName: string;
    lastName: string;
    email: string;
    phone: string | null;
    dateAgreed: string;
    now: Date;
  },
): Promise<string> {
  const row = await trx
    .insertInto('customer_agreements')
    .values({
      customer_id: values.customerId,
      partner_id: values.partnerId,
      signer_first_name: values.firstName,
      signer_last_name: values.lastName,
      signer_email: values.email,
      signer_phone: values.phone,
      date_agreed: values.dateAgreed,
      confirmed_by: 'customer',
      created_at: values.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function insertAcceptance(
  trx: Trx,
  values: {
    invitationId: string;
    partnerId: string;
    customerId: string;
    acceptedBy: string;
    outcome: 'created' | 'reactivated' | 'delegatedAdminGranted';
    now: Date;
  },
): Promise<void> {
  await trx
    .insertInto('relationship_acceptances')
    .values({
      invitation_id: values.invitationId,
      partner_id: values.partnerId,
      customer_id: values.customerId,
      accepted_by: values.acceptedBy,
      outcome: values.outcome,
      accepted_at: values.now,
    })
    .execute();
}
