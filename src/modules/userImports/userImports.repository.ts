// SQL for users-file imports. Request-path functions run in a transaction opened by inPartnerTransaction, so
// row-level security keeps them to the partner's imports, and each query names the partner and customer too.
// The worker claims an import on the owner connection (any partner's; FOR UPDATE SKIP LOCKED), then works on it
// in the import's partner's transactions like a request would. Row outcomes are written a batch per statement.
import type { Selectable } from 'kysely';
import { sql } from 'kysely';
import type { Db, Trx } from '../../db/database.ts';
import type { UserImportRowsTable, UserImportsTable } from '../../db/schema.ts';

export type ImportRow = Selectable<UserImportsTable> & {
  /** created_at at microsecond precision, for keyset paging. */
  position_at: string;
};

const POSITION = sql<string>`to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** The customer's imports, named by partner and customer as well as fenced by row-level security. */
function imports(trx: Trx, partnerId: string, customerId: string) {
  return trx
    .selectFrom('user_imports')
    .selectAll()
    .select(POSITION.as('position_at'))
    .where('partner_id', '=', partnerId)
    .where('customer_id', '=', customerId);
}

export type NewImport = Pick<
  Selectable<UserImportsTable>,
  | 'id'
  | 'partner_id'
  | 'customer_id'
  | 'actor_kind'
  | 'actor_id'
  | 'actor_name'
  | 'file_name'
  | 'file_sha256'
  | 'delimiter'
  | 'header'
  | 'has_bom'
  | 'usage_location'
  | 'total_rows'
  | 'created_at'
  | 'updated_at'
>;

export async function insertImport(trx: Trx, row: NewImport): Promise<void> {
  await trx.insertInto('user_imports').values(row).execute();
}

export type NewImportRow = Selectable<UserImportRowsTable>;

/** One statement for the whole batch. */
export async function insertImportRows(trx: Trx, rows: readonly NewImportRow[]): Promise<void> {
  if (rows.length === 0) return;
  await trx.insertInto('user_import_rows').values(rows).execute();
}

/** The live import of this very file for the customer and location (what user_imports_same_file keeps unique). */
export async function findSameFile(
  trx: Trx,
  partnerId: string,
  customerId: string,
  sha256: string,
  usageLocation: string,
): Promise<ImportRow | undefined> {
  return imports(trx, partnerId, customerId)
    .where('file_sha256', '=', sha256)
    .where('usage_location', '=', usageLocation)
    .where('state', '<>', 'failed')
    .executeTakeFirst();
}

/** The file's identity and form, known once it has been read to the end. */
export async function completeUpload(
  trx: Trx,
  id: string,
  set: Pick<
    Selectable<UserImportsTable>,
    'file_sha256' | 'delimiter' | 'header' | 'has_bom' | 'total_rows' | 'rows_done' | 'failed_count'
  >,
): Promise<void> {
  await trx.updateTable('user_imports').set(set).where('id', '=', id).execute();
}

export function getImport(
  trx: Trx,
  partnerId: string,
  customerId: string,
  id: string,
): Promise<ImportRow | undefined> {
  return imports(trx, partnerId, customerId).where('id', '=', id).executeTakeFirst();
}

/** Locked against a concurrent download of the same passwords. */
export function lockImport(
  trx: Trx,
  partnerId: string,
  customerId: string,
  id: string,
): Promise<ImportRow | undefined> {
  return imports(trx, partnerId, customerId).where('id', '=', id).forUpdate().executeTakeFirst();
}

export type ImportPosition = [at: string, id: string];

/** The customer's imports, newest first, after `after`. */
export function findImports(
  trx: Trx,
  partnerId: string,
  customerId: string,
  after: ImportPosition | undefined,
  limit: number,
): Promise<ImportRow[]> {
  let qb = imports(trx, partnerId, customerId);
  if (after) qb = qb.where(sql<boolean>`(created_at, id) < (${after[0]}::timestamptz, ${after[1]}::uuid)`);
  return qb.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

export async function countImports(trx: Trx, partnerId: string, customerId: string): Promise<number> {
  const r = await trx
    .selectFrom('user_imports')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('partner_id', '=', partnerId)
    .where('customer_id', '=', customerId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export type ResultRow = Pick<Selectable<UserImportRowsTable>, 'row_number' | 'cells' | 'status' | 'message'>;

/** Rows of an import in file order after row `after`, for the results file. */
export function resultRows(trx: Trx, importId: string, after: number, limit: number): Promise<ResultRow[]> {
  return trx
    .selectFrom('user_import_rows')
    .select(['row_number', 'cells', 'status', 'message'])
    .where('import_id', '=', importId)
    .where('row_number', '>', after)
    .orderBy('row_number')
    .limit(limit)
    .execute();
}

export type PasswordRow = Pick<
  Selectable<UserImportRowsTable>,
  'row_number' | 'display_name' | 'user_name' | 'temporary_password'
>;

/**
 * The next `limit` sealed passwords of an import after row `after`, erased by the same statement: the caller's
 * transaction commits the erasure only once the whole file has been sent.
 */
export async function takePasswords(
  trx: Trx,
  importId: string,
  after: number,
  limit: number,
): Promise<PasswordRow[]> {
  const r = await sql<PasswordRow>`
    with taken as (
      select row_number, display_name, user_name, temporary_password from user_import_rows
       where import_id = ${importId} and row_number > ${after} and temporary_password is not null
       order by row_number limit ${limit}
         for update),
    erased as (
      update user_import_rows u set temporary_password = null
        from taken t where u.import_id = ${importId} and u.row_number = t.row_number)
    select * from taken order by row_number`.execute(trx);
  return r.rows;
}

export async function markPasswordsDownloaded(trx: Trx, id: string, now: Date): Promise<void> {
  await trx
    .updateTable('user_imports')
    .set({ passwords_downloaded_at: now, updated_at: now })
    .where('id', '=', id)
    .execute();
}

// ── the worker ──

export interface Claimed {
  id: string;
  partner_id: string;
  attempts: number;
}

/**
 * Takes the oldest import that is queued, or running under a lapsed lease (its worker died), for `owner`
 * until `leaseUntil`. Owner connection: imports of every partner. A row another worker holds is skipped.
 */
export async function claimImport(
  owner: Db,
  workerId: string,
  now: Date,
  leaseUntil: Date,
): Promise<Claimed | undefined> {
  const r = await sql<Claimed>`
    update user_imports
       set state = 'running', lease_owner = ${workerId}, lease_until = ${leaseUntil},
           attempts = attempts + 1, started_at = coalesce(started_at, ${now}), updated_at = ${now}
     where id = (select id from user_imports
                  where state in ('queued', 'running') and (lease_until is null or lease_until < ${now})
                  order by created_at, id
                  for update skip locked
                  limit 1)
    returning id, partner_id, attempts`.execute(owner);
  return r.rows[0];
}

export type BatchHead = Pick<
  Selectable<UserImportsTable>,
  | 'id'
  | 'partner_id'
  | 'customer_id'
  | 'state'
  | 'lease_owner'
  | 'usage_location'
  | 'file_name'
  | 'actor_kind'
  | 'actor_id'
  | 'actor_name'
  | 'total_rows'
  | 'created_count'
  | 'failed_count'
> & { relationship: 'active' | 'removed' | null; customer_name: string | null };

/**
 * The import locked for one batch (a worker that lost its lease blocks here, then sees another owner), with
 * whether its partner may still write to the customer's directory.
 */
export async function lockForBatch(trx: Trx, id: string): Promise<BatchHead | undefined> {
  return trx
    .selectFrom('user_imports as i')
    .leftJoin('customer_relationships as r', (j) =>
      j.onRef('r.partner_id', '=', 'i.partner_id').onRef('r.customer_id', '=', 'i.customer_id'),
    )
    .select([
      'i.id',
      'i.partner_id',
      'i.customer_id',
      'i.state',
      'i.lease_owner',
      'i.usage_location',
      'i.file_name',
      'i.actor_kind',
      'i.actor_id',
      'i.actor_name',
      'i.total_rows',
      'i.created_count',
      'i.failed_count',
      'r.state as relationship',
      'r.company_name as customer_name',
    ])
    .where('i.id', '=', id)
    .forUpdate('i')
    .executeTakeFirst();
}

export type PendingRow = Pick<
  Selectable<UserImportRowsTable>,
  'row_number' | 'first_name' | 'last_name' | 'display_name' | 'user_name'
>;

export function pendingRows(trx: Trx, importId: string, limit: number): Promise<PendingRow[]> {
  return trx
    .selectFrom('user_import_rows')
    .select(['row_number', 'first_name', 'last_name', 'display_name', 'user_name'])
    .where('import_id', '=', importId)
    .where('status', '=', 'pending')
    .orderBy('row_number')
    .limit(limit)
    .execute();
}

export interface RowOutcome {
  rowNumber: number;
  status: 'created' | 'failed';
  message: string | null;
  userId: string | null;
  /** Sealed. */
  password: string | null;
}

/** Every row's outcome in one statement (arrays unnested side by side, however large the batch). */
export async function recordOutcomes(trx: Trx, importId: string, outcomes: readonly RowOutcome[]) {
  if (outcomes.length === 0) return;
  await sql`
    update user_import_rows as r
       set status = v.status, message = v.message, user_id = v.user_id, temporary_password = v.password
      from unnest(${outcomes.map((o) => o.rowNumber)}::int[], ${outcomes.map((o) => o.status)}::text[],
                  ${outcomes.map((o) => o.message)}::text[], ${outcomes.map((o) => o.userId)}::uuid[],
                  ${outcomes.map((o) => o.password)}::text[])
           as v(row_number, status, message, user_id, password)
     where r.import_id = ${importId} and r.row_number = v.row_number and r.status = 'pending'`.execute(trx);
}

/** Every pending row failed with `message`; answers how many. */
export async function failPendingRows(trx: Trx, importId: string, message: string): Promise<number> {
  const r = await trx
    .updateTable('user_import_rows')
    .set({ status: 'failed', message })
    .where('import_id', '=', importId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Counters after a batch, and the lease renewed. */
export async function advance(
  trx: Trx,
  id: string,
  by: { created: number; failed: number },
  leaseUntil: Date,
  now: Date,
): Promise<void> {
  await trx
    .updateTable('user_imports')
    .set((eb) => ({
      rows_done: eb('rows_done', '+', by.created + by.failed),
      created_count: eb('created_count', '+', by.created),
      failed_count: eb('failed_count', '+', by.failed),
      lease_until: leaseUntil,
      updated_at: now,
    }))
    .where('id', '=', id)
    .execute();
}

export async function finish(
  trx: Trx,
  id: string,
  state: 'completed' | 'failed',
  error: string | null,
  now: Date,
): Promise<void> {
  await trx
    .updateTable('user_imports')
    .set({ state, error, completed_at: now, lease_owner: null, lease_until: null, updated_at: now })
    .where('id', '=', id)
    .execute();
}

/**
 * Hands an import back at once (a graceful stop), rather than after its lease runs out; a stop is no failed
 * attempt.
 */
export async function releaseLease(owner: Db, id: string, workerId: string): Promise<void> {
  await owner
    .updateTable('user_imports')
    .set((eb) => ({ lease_owner: null, lease_until: null, attempts: eb('attempts', '-', 1) }))
    .where('id', '=', id)
    .where('lease_owner', '=', workerId)
    .where('state', '=', 'running')
    .execute();
}
