// SQL for MS-RequestId idempotency (see idempotency.plugin.ts). A row's `expires_at` has two meanings that
// share one rule: while `pending` it is the lease of the request that claimed the id (a crashed process's
// claim lapses), once `done` it is the end of the replay window. Either way a row past `expires_at` is dead:
// it is never replayed, the next request with the id takes it over, and the sweeper deletes it.
import { sql } from 'kysely';
import type { Db, Trx } from '../db/database.ts';

export interface StoredResponse {
  statusCode: number;
  headers: Record<string, string>;
  /** Sealed by the plugin; null for an empty body. */
  body: string | null;
}

export interface KeyRow {
  bodyHash: string;
  state: 'pending' | 'done';
  response: StoredResponse | undefined;
}

export interface Claim {
  partnerId: string;
  /** The stored form of the MS-RequestId (a hash; see idempotency.plugin.ts). */
  requestId: string;
  method: string;
  url: string;
  bodyHash: string;
  /** Lease end; also identifies this claim when it is settled (a fencing token). */
  leaseUntil: Date;
}

/**
 * Claims the id for this request: inserts a pending row, or takes over a dead one (expired, or a lapsed
 * lease). Returns true when the caller now owns the id and must run the handler. The unique key decides
 * between concurrent identical requests: exactly one gets true.
 */
export async function claimKey(trx: Trx, claim: Claim, now: Date): Promise<boolean> {
  const row = await trx
    .insertInto('idempotency_keys')
    .values({
      partner_id: claim.partnerId,
      request_id: claim.requestId,
      method: claim.method,
      url: claim.url,
      body_hash: claim.bodyHash,
      state: 'pending',
      status_code: null,
      response_headers: null,
      response_body: null,
      expires_at: claim.leaseUntil,
    })
    .onConflict((oc) =>
      oc
        .columns(['partner_id', 'request_id'])
        .doUpdateSet({
          method: claim.method,
          url: claim.url,
          body_hash: claim.bodyHash,
          state: 'pending',
          status_code: null,
          response_headers: null,
          response_body: null,
          expires_at: claim.leaseUntil,
        })
        .where('idempotency_keys.expires_at', '<=', now),
    )
    .returning('request_id')
    .executeTakeFirst();
  return row !== undefined;
}

/** The live row for an id, or undefined when there is none (or it is dead). */
export async function findKey(
  trx: Trx,
  partnerId: string,
  requestId: string,
  now: Date,
): Promise<KeyRow | undefined> {
  const row = await trx
    .selectFrom('idempotency_keys')
    .select(['body_hash', 'state', 'status_code', 'response_headers', 'response_body'])
    .where('partner_id', '=', partnerId)
    .where('request_id', '=', requestId)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    bodyHash: row.body_hash,
    state: row.state,
    response:
      row.state === 'done' && row.status_code !== null
        ? { statusCode: row.status_code, headers: row.response_headers ?? {}, body: row.response_body }
        : undefined,
  };
}

/** Stores the response of a claim; false when the claim was lost (its lease lapsed and was taken over). */
export async function completeKey(
  trx: Trx,
  claim: Claim,
  response: StoredResponse,
  expiresAt: Date,
): Promise<boolean> {
  const r = await trx
    .updateTable('idempotency_keys')
    .set({
      state: 'done',
      status_code: response.statusCode,
      response_headers: JSON.stringify(response.headers),
      response_body: response.body,
      expires_at: expiresAt,
    })
    .where('partner_id', '=', claim.partnerId)
    .where('request_id', '=', claim.requestId)
    .where('state', '=', 'pending')
    .where('expires_at', '=', claim.leaseUntil)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/** Gives up a claim so that a retry runs the handler again (after a 5xx, or a response we cannot store). */
export async function releaseKey(trx: Trx, claim: Claim): Promise<void> {
  await trx
    .deleteFrom('idempotency_keys')
    .where('partner_id', '=', claim.partnerId)
    .where('request_id', '=', claim.requestId)
    .where('state', '=', 'pending')
    .where('expires_at', '=', claim.leaseUntil)
    .execute();
}

const PURGE_BATCH = 5000;

/**
 * Sweeper for the job runner: deletes dead rows of every partner (owner connection, no partner context),
 * in batches so a large backlog never holds one long lock. Returns how many were deleted.
 */
export async function purgeExpiredIdempotencyKeys(owner: Db, now: Date): Promise<number> {
  let total = 0;
  for (;;) {
    const batch = owner
      .selectFrom('idempotency_keys')
      .select(['partner_id', 'request_id'])
      .where('expires_at', '<=', now)
      .limit(PURGE_BATCH);
    const r = await owner
      .deleteFrom('idempotency_keys')
      .where(sql<boolean>`(partner_id, request_id) in (${batch})`)
      .executeTakeFirst();
    const n = Number(r.numDeletedRows);
    total += n;
    if (n < PURGE_BATCH) return total;
  }
}
