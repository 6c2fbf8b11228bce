// Adding many customer users from a file (PRODUCT.md feature 8). An upload is read as it arrives, never held
// whole: `validate` checks every row and writes nothing; `create` stores the file's rows a batch at a time in
// the same transaction that inserts the import, so a refused file (a bad header, too many rows, a broken
// upload) leaves nothing behind, and the worker (userImports.worker.ts) then creates the users. The same file
// for the same customer and location is the same import. Afterwards: the results file (the upload with
// `Status update` filled in) and, once, the temporary passwords.
import { createHash, randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Config } from '../../config.ts';
import type { Db, Trx } from '../../db/database.ts';
import { inPartnerTransaction } from '../../db/database.ts';
import type { StoredResponse } from '../../http/idempotency.plugin.ts';
import { claimStreamedRequest } from '../../http/idempotency.plugin.ts';
import type { Clock } from '../../lib/clock.ts';
import type { CallerContext } from '../../lib/context.ts';
import { actorOf } from '../../lib/context.ts';
import { csvStream } from '../../lib/csv.ts';
import type { CsvCell } from '../../lib/csv.ts';
import type { FieldIssue } from '../../lib/errors.ts';
import { AppError, invalid } from '../../lib/errors.ts';
import type { Page, PageRequest } from '../../lib/paging.ts';
import { decodeCreatedCursor, keysetRows, pageOf } from '../../lib/paging.ts';
import { unseal } from '../../lib/seal.ts';
import type { CountriesService } from '../countries/countries.service.ts';
import { customerDomains, existingUserNames } from '../customerUsers/customerUsers.directory.ts';
import type { InstanceService } from '../instances/instances.ts';
import type { CustomerAccess } from '../subscriptions/subscriptions.access.ts';
import { customerForRead } from '../subscriptions/subscriptions.access.ts';
import type { ImportMode } from './userImports.schemas.ts';
import * as repo from './userImports.repository.ts';
import type { ImportRow } from './userImports.repository.ts';
import type { UserCsvRow, UsersCsvForm } from './users.csv.ts';
import { USER_CSV_COLUMNS, checkUsersCsv } from './users.csv.ts';

/** Rows stored per insert while a file is read (one statement each). */
const INSERT_BATCH = 500;
/** Rows read per query when a file is written back (results, passwords). */
const READ_BATCH = 1000;
const STATUS_COLUMN = USER_CSV_COLUMNS.indexOf('Status update');
export const PASSWORD_CSV_COLUMNS = ['Display name', 'User name', 'Temporary password'] as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SAME_FILE_INDEX = 'user_imports_same_file';

// ── sealing the temporary passwords ──

/**
 * The key an import's temporary passwords are sealed with until they are downloaded: derived from the owner
 * connection's credentials (as invitationLinkKey is, with its own label), so a copy of the database alone
 * does not open them, and moving the database to another host keeps them readable.
 */
export function importPasswordsKey(ownerUrl: string): Buffer {
  let secret = ownerUrl;
  try {
    const u = new URL(ownerUrl);
    secret = `${decodeURIComponent(u.username)}\0${decodeURIComponent(u.password)}`;
  } catch {
    // Not a URL (a store made without one, as the API document generator does): the text itself.
  }
  return createHash('sha256').update(`customer-user-import-passwords\0${secret}`).digest();
}

/** Binds a sealed password to its row: moved to another row or import, it no longer opens. */
export const passwordAad = (importId: string, rowNumber: number, userName: string) =>
  `${importId}\0${rowNumber}\0${userName}`;

// ── views ──

export interface UserImportView {
  id: string;
  customerId: string;
  fileName: string | null;
  usageLocation: string;
  state: ImportRow['state'];
  totalRows: number;
  rowsDone: number;
  created: number;
  failed: number;
  percentComplete: number;
  createdTime: string;
  startedTime: string | null;
  completedTime: string | null;
  passwordsAvailable: boolean;
  passwordsDownloadedTime: string | null;
  links: {
    self: { uri: string; method: 'GET' };
    results: { uri: string; method: 'GET' };
    passwords: { uri: string; method: 'GET' };
  };
  attributes: { objectType: 'UserImport' };
}

export interface ValidationView {
  mode: 'validate';
  totalRows: number;
  validRows: number;
  invalidRows: number;
  rows: { row: number; line: number; email: string; displayName: string; issues: FieldIssue[] }[];
  attributes: { objectType: 'UserImportValidation' };
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const ended = (state: ImportRow['state']) => state === 'completed' || state === 'failed';

export const importPath = (customerId: string, id: string) =>
  `/v1/customers/${customerId}/users/imports/${id}`;

export function userImportView(row: ImportRow): UserImportView {
  const self = importPath(row.customer_id, row.id);
  return {
    id: row.id,
    customerId: row.customer_id,
    fileName: row.file_name,
    usageLocation: row.usage_location,
    state: row.state,
    totalRows: row.total_rows,
    rowsDone: row.rows_done,
    created: row.created_count,
    failed: row.failed_count,
    // 100 only once every row is done.
    percentComplete: row.total_rows === 0 ? 100 : Math.floor((row.rows_done * 100) / row.total_rows),
    createdTime: row.created_at.toISOString(),
    startedTime: iso(row.started_at),
    completedTime: iso(row.completed_at),
    passwordsAvailable: ended(row.state) && row.created_count > 0 && row.passwords_downloaded_at === null,
    passwordsDownloadedTime: iso(row.passwords_downloaded_at),
    links: {
      self: { uri: self, method: 'GET' },
      results: { uri: `${self}/results.csv`, method: 'GET' },
      passwords: { uri: `${self}/passwords.csv`, method: 'GET' },
    },
    attributes: { objectType: 'UserImport' },
  };
}

/** A row's problems as the results file and the stored row say them: `Email: is required; …`. */
export const issuesText = (issues: readonly FieldIssue[]) =>
  issues.map((i) => `${i.field}: ${i.reason}`).join('; ');

// ── the upload ──

export interface UploadParameters {
  mode?: string;
  usageLocation?: string;
  fileName?: string;
}

/** Where the file comes from: opened only once the caller may upload it (multipart reads its fields then). */
export interface FileSource {
  open(): Promise<{
    /** Parameters sent with the file (multipart form fields before the file part). */
    fields: UploadParameters;
    /** The name the file was sent under, if any. */
    fileName?: string;
    bytes: AsyncIterable<Buffer | string>;
  }>;
}

export interface UploadRequest {
  query: UploadParameters;
  source: FileSource;
  /** MS-RequestId, already checked for form. */
  requestId?: string;
  /** The request's method and path, for MS-RequestId's fingerprint. */
  method: string;
  path: string;
}

export type UploadOutcome =
  | { kind: 'validated'; validation: ValidationView }
  | { kind: 'created'; import: UserImportView }
  /** The same file again (200), or a repeated MS-RequestId (the first answer's status, replayed). */
  | { kind: 'existing'; import: UserImportView; statusCode: number; replay: boolean };

/** Rolls the upload's transaction back: this file is already an import. */
class SameFile extends Error {
  constructor(readonly row: ImportRow) {
    super('same file');
  }
}

/** Rolls the upload's transaction back: this MS-RequestId already answered this request. */
class Repeat extends Error {
  constructor(readonly stored: StoredResponse) {
    super('repeat');
  }
}

const fileInvalid = (reason: string, field = 'file') =>
  new AppError('usersFileInvalid', { details: [{ field, reason }] });

const megabytes = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;

function cleanFileName(raw: string | undefined): string | null {
  if (raw === undefined) return null;
  // Only the name: a browser or a client may send a whole path.
  // eslint-disable-next-line no-control-regex
  const name = (raw.split(/[/\\]/).pop() ?? '').replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return name === '' ? null : [...name].slice(0, 255).join('');
}

export interface UserImportsService {
  /** Checks the caller may upload, then reads the file: validates it, or stores it as an import. */
  upload(ctx: CallerContext, customerId: string, request: UploadRequest): Promise<UploadOutcome>;
  list(ctx: CallerContext, customerId: string, page: PageRequest): Promise<Page<UserImportView>>;
  get(ctx: CallerContext, customerId: string, importId: string): Promise<UserImportView>;
  /** The file as uploaded with `Status update` filled in; once the import has ended. */
  resultsCsv(
    ctx: CallerContext,
    customerId: string,
    importId: string,
  ): Promise<{ filename: string; stream: Readable }>;
  /** The temporary passwords, once: erased when the file has been sent to the end. */
  passwordsCsv(
    ctx: CallerContext,
    customerId: string,
    importId: string,
  ): Promise<{ filename: string; stream: Readable }>;
  /** Refuses where the cloud instance does not allow adding users in bulk (the template download). */
  assertBulkAllowed(ctx: CallerContext): void;
}

export interface UserImportsDeps {
  db: Db;
  clock: Clock;
  config: Pick<Config, 'usersImport' | 'idempotencyTtlHours'>;
  instances: Pick<InstanceService, 'assert'>;
  countries: Pick<CountriesService, 'rules'>;
  customers: CustomerAccess;
  /** importPasswordsKey(store.ownerUrl). */
  passwordKey: Buffer;
  /** Told after an import is stored, so the worker starts on it at once rather than at its next poll. */
  onQueued?: () => void;
}

export function createUserImportsService(deps: UserImportsDeps): UserImportsService {
  const { db, clock, config, instances, countries, customers, passwordKey } = deps;
  const limits = config.usersImport;

  function assertImports(ctx: CallerContext) {
    instances.assert(ctx.instance, 'customerUsers.write');
    instances.assert(ctx.instance, 'customerUsers.bulkCsv');
  }

  /** Role (checked by the route) → customer visible → instance → relationship, as every write. */
  async function uploadAccess(trx: Trx, ctx: CallerContext, customerId: string) {
    const state = await customers.relationshipState(trx, ctx, customerId);
    if (state === undefined) throw new AppError('customerNotFound');
    assertImports(ctx);
    if (state !== 'active') throw new AppError('noResellerRelationship');
  }

  /** The upload's mode and location from the query and the form, which must agree where both give one. */
  function parameters(query: UploadParameters, fields: UploadParameters) {
    const issues: FieldIssue[] = [];
    const pick = (name: keyof UploadParameters) => {
      const a = query[name]?.trim();
      const b = fields[name]?.trim();
      if (a !== undefined && b !== undefined && a !== b && a !== '' && b !== '')
        issues.push({ field: name, reason: 'is given twice, differently (in the query and in the form)' });
      return a || b || undefined;
    };
    const mode = pick('mode');
    const location = pick('usageLocation')?.toUpperCase();
    const fileName = pick('fileName');
    for (const [name, value] of Object.entries(fields))
      if (value?.includes('\u0000'))
        issues.push({ field: name, reason: 'must not contain the NUL character (U+0000)' });
    if (mode === undefined)
      issues.push({
        field: 'mode',
        reason:
          'is required: validate (check only) or create, in the query or as a form field before the file',
      });
    else if (mode !== 'validate' && mode !== 'create')
      issues.push({ field: 'mode', reason: 'must be one of "validate", "create"' });
    if (location === undefined) {
      if (mode === 'create')
        issues.push({
          field: 'usageLocation',
          reason:
            'is required to create users (the country they use), in the query or as a form field before the file',
        });
    } else {
      try {
        countries.rules(location);
      } catch {
        issues.push({
          field: 'usageLocation',
          reason: 'must be an ISO 3166-1 alpha-2 country code such as US',
        });
      }
    }
    if (issues.length > 0) throw invalid(...issues);
    return { mode: mode as ImportMode, usageLocation: location, fileName };
  }

  /** The file's bytes, counted against the size limit and hashed as they pass. */
  async function* measured(bytes: AsyncIterable<Buffer | string>, hash: ReturnType<typeof createHash>) {
    let size = 0;
    for await (const chunk of bytes) {
      const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += b.length;
      if (size > limits.maxFileBytes)
        throw new AppError('bodyTooLarge', {
          message: `The users file is larger than ${megabytes(limits.maxFileBytes)}; split it into smaller files.`,
        });
      hash.update(b);
      yield b;
    }
  }

  const noUsers = () =>
    fileInvalid(
      `The file has the header row but no users: add a row per user under ${USER_CSV_COLUMNS.join(',')}.`,
    );

  async function validate(
    ctx: CallerContext,
    customerId: string,
    domains: string[],
    bytes: AsyncIterable<Buffer>,
  ): Promise<ValidationView> {
    let total = 0;
    const rows: ValidationView['rows'] = [];
    for await (const row of checkUsersCsv(bytes, {
      domains,
      maxRows: limits.maxRows,
      // A short read per batch: a slow upload holds no transaction open.
      existing: (emails) =>
        inPartnerTransaction(db, ctx.partnerId, (trx) => existingUserNames(trx, customerId, emails)),
    })) {
      total += 1;
      if (row.issues.length > 0)
        rows.push({
          row: row.row,
          line: row.line,
          email: row.cells[3]?.trim() ?? '',
          displayName: row.cells[2]?.trim() ?? '',
          issues: row.issues,
        });
    }
    if (total === 0) throw noUsers();
    return {
      mode: 'validate',
      totalRows: total,
      validRows: total - rows.length,
      invalidRows: rows.length,
      rows,
      attributes: { objectType: 'UserImportValidation' },
    };
  }

  function storedRow(ctx: CallerContext, importId: string, row: UserCsvRow): repo.NewImportRow {
    return {
      import_id: importId,
      row_number: row.row,
      partner_id: ctx.partnerId,
      cells: row.cells,
      first_name: row.firstName,
      last_name: row.lastName,
      display_name: row.displayName,
      user_name: row.email,
      status: row.issues.length > 0 ? 'failed' : 'pending',
      message: row.issues.length > 0 ? issuesText(row.issues) : null,
      user_id: null,
      temporary_password: null,
    };
  }

  async function create(
    ctx: CallerContext,
    customerId: string,
    params: { usageLocation: string; fileName: string | null },
    bytes: AsyncIterable<Buffer>,
    hash: ReturnType<typeof createHash>,
    request: UploadRequest,
  ): Promise<UploadOutcome> {
    const id = randomUUID();
    const now = clock.now();
    const location = importPath(customerId, id);
    let sha256: string | undefined;
    try {
      const row = await inPartnerTransaction(db, ctx.partnerId, async (trx) => {
        // Again in this transaction: the relationship may have ended since the first check.
        await uploadAccess(trx, ctx, customerId);
        const domains = await customerDomains(trx, customerId);
        const actor = actorOf(ctx);
        // The file's identity and form are known only at its end: stored with placeholders, set then.
        await repo.insertImport(trx, {
          id,
          partner_id: ctx.partnerId,
          customer_id: customerId,
          actor_kind: actor.kind,
          actor_id: actor.id,
          actor_name: actor.name,
          file_name: params.fileName,
          file_sha256: `upload:${id}`,
          delimiter: ',',
          header: [],
          has_bom: false,
          usage_location: params.usageLocation,
          total_rows: 0,
          created_at: now,
          updated_at: now,
        });
        let form: UsersCsvForm | undefined;
        let total = 0;
        let failed = 0;
        let batch: repo.NewImportRow[] = [];
        for await (const checked of checkUsersCsv(bytes, {
          domains,
          maxRows: limits.maxRows,
          batchSize: INSERT_BATCH,
          existing: (emails) => existingUserNames(trx, customerId, emails),
          onHeader: (f) => (form = f),
        })) {
          total += 1;
          if (checked.issues.length > 0) failed += 1;
          batch.push(storedRow(ctx, id, checked));
          if (batch.length >= INSERT_BATCH) {
            await repo.insertImportRows(trx, batch);
            batch = [];
          }
        }
        await repo.insertImportRows(trx, batch);
        if (total === 0 || !form) throw noUsers();

        sha256 = hash.digest('hex');
        if (request.requestId) {
          const stored = await claimStreamedRequest(
            trx,
            {
              partnerId: ctx.partnerId,
              userId: ctx.userId,
              requestId: request.requestId,
              method: request.method,
              path: request.path,
              query: { mode: 'create', usageLocation: params.usageLocation, fileName: params.fileName },
              bodyDigest: sha256,
            },
            { statusCode: 202, headers: { location } },
            now,
            config.idempotencyTtlHours,
          );
          if (stored) throw new Repeat(stored);
        }
        // After the id: a repeated request is answered as it was the first time (and an id reused with
        // another file is refused) even when this file is also an earlier import's.
        const same = await repo.findSameFile(trx, ctx.partnerId, customerId, sha256, params.usageLocation);
        if (same) throw new SameFile(same);
        await repo.completeUpload(trx, id, {
          file_sha256: sha256,
          delimiter: form.delimiter,
          header: form.header,
          has_bom: form.bom,
          total_rows: total,
          // Rows with problems are done (failed) from the start; the worker creates the others.
          rows_done: failed,
          failed_count: failed,
        });
        return (await repo.getImport(trx, ctx.partnerId, customerId, id))!;
      });
      deps.onQueued?.();
      return { kind: 'created', import: userImportView(row) };
    } catch (err) {
      if (err instanceof SameFile)
        return { kind: 'existing', import: userImportView(err.row), statusCode: 200, replay: false };
      if (err instanceof Repeat) {
        const previous = err.stored.headers.location?.split('/').pop() ?? '';
        const row = UUID.test(previous)
          ? await inPartnerTransaction(db, ctx.partnerId, (trx) =>
              repo.getImport(trx, ctx.partnerId, customerId, previous),
            )
          : undefined;
        if (!row) throw new AppError('requestIdReused');
        return {
          kind: 'existing',
          import: userImportView(row),
          statusCode: err.stored.statusCode,
          replay: true,
        };
      }
      // The same file for the same customer and location, stored meanwhile by another request of the caller's
      // that committed first (this one waited on the unique index, which is per partner): that import.
      if ((err as { constraint?: string }).constraint === SAME_FILE_INDEX && sha256) {
        const digest = sha256;
        const row = await inPartnerTransaction(db, ctx.partnerId, (trx) =>
          repo.findSameFile(trx, ctx.partnerId, customerId, digest, params.usageLocation),
        );
        if (row) return { kind: 'existing', import: userImportView(row), statusCode: 200, replay: false };
      }
      throw err;
    }
  }

  /** A file made in one transaction that commits only when the last row has been handed to the reader. */
  function streamInTransaction(
    partnerId: string,
    prepare: (trx: Trx) => Promise<{
      filename: string;
      columns: readonly string[];
      form?: { delimiter?: ',' | ';'; bom?: boolean };
      rows: (trx: Trx) => AsyncGenerator<CsvCell[]>;
    }>,
  ): Promise<{ filename: string; stream: Readable }> {
    return new Promise((resolve, reject) => {
      let opened = false;
      inPartnerTransaction(db, partnerId, async (trx) => {
        const file = await prepare(trx);
        let finish!: () => void;
        let abort!: (err: Error) => void;
        const sent = new Promise<void>((res, rej) => {
          finish = res;
          abort = rej;
        });
        async function* rows() {
          try {
            yield* file.rows(trx);
            finish();
          } finally {
            abort(new Error('the download ended before the end of the file'));
          }
        }
        const stream = csvStream(file.columns, rows(), file.form);
        // A reader that goes away before the first row never starts the generator: end the transaction too.
        stream.on('close', () => abort(new Error('the download ended before the end of the file')));
        opened = true;
        resolve({ filename: file.filename, stream });
        await sent;
      }).catch((err: unknown) => {
        if (!opened) reject(err as Error);
        // Afterwards the reader has gone or the file failed part-way; the transaction is rolled back.
      });
    });
  }

  async function readable(trx: Trx, ctx: CallerContext, customerId: string, importId: string) {
    await customerForRead(customers, trx, ctx, customerId);
    const row = await repo.getImport(trx, ctx.partnerId, customerId, importId);
    if (!row) throw new AppError('importNotFound');
    return row;
  }

  return {
    assertBulkAllowed: (ctx) => instances.assert(ctx.instance, 'customerUsers.bulkCsv'),

    async upload(ctx, customerId, request) {
      const domains = await inPartnerTransaction(db, ctx.partnerId, async (trx) => {
        await uploadAccess(trx, ctx, customerId);
        return customerDomains(trx, customerId);
      });
      const opened = await request.source.open();
      const params = parameters(request.query, opened.fields);
      const hash = createHash('sha256');
      const bytes = measured(opened.bytes, hash);
      if (params.mode === 'validate')
        return { kind: 'validated', validation: await validate(ctx, customerId, domains, bytes) };
      return create(
        ctx,
        customerId,
        {
          usageLocation: params.usageLocation!,
          fileName: cleanFileName(params.fileName ?? opened.fileName),
        },
        bytes,
        hash,
        request,
      );
    },

    list(ctx, customerId, page) {
      const scope = { list: 'userImports', partnerId: ctx.partnerId, customerId: customerId.toLowerCase() };
      const after = decodeCreatedCursor(page.cursor, scope);
      return inPartnerTransaction(db, ctx.partnerId, async (trx) => {
        await customerForRead(customers, trx, ctx, customerId);
        return pageOf(
          page.size,
          scope,
          (limit) => repo.findImports(trx, ctx.partnerId, customerId, after, limit),
          (row) => [row.position_at, row.id],
          userImportView,
          () => repo.countImports(trx, ctx.partnerId, customerId),
        );
      });
    },

    get: (ctx, customerId, importId) =>
      inPartnerTransaction(db, ctx.partnerId, async (trx) =>
        userImportView(await readable(trx, ctx, customerId, importId)),
      ),

    async resultsCsv(ctx, customerId, importId) {
      const row = await inPartnerTransaction(db, ctx.partnerId, (trx) =>
        readable(trx, ctx, customerId, importId),
      );
      if (!ended(row.state)) throw new AppError('importNotFinished');
      const width = Math.max(row.header.length, USER_CSV_COLUMNS.length);
      // An ended import's rows no longer change: read a batch per short transaction, none held open.
      const rows = await keysetRows(
        (last: repo.ResultRow | undefined, limit) =>
          inPartnerTransaction(db, ctx.partnerId, (trx) =>
            repo.resultRows(trx, row.id, last?.row_number ?? 0, limit),
          ),
        (r): CsvCell[] => {
          const cells: CsvCell[] = [...r.cells];
          while (cells.length < width) cells.push('');
          cells[STATUS_COLUMN] = r.status === 'created' ? 'Created' : (r.message ?? 'Not created');
          return cells;
        },
        READ_BATCH,
      );
      return {
        filename: resultsName(row),
        stream: csvStream(row.header, rows, { delimiter: row.delimiter, bom: row.has_bom }),
      };
    },

    passwordsCsv: (ctx, customerId, importId) =>
      streamInTransaction(ctx.partnerId, async (trx) => {
        await uploadAccess(trx, ctx, customerId);
        const row = await repo.lockImport(trx, ctx.partnerId, customerId, importId);
        if (!row) throw new AppError('importNotFound');
        if (!ended(row.state)) throw new AppError('importNotFinished');
        if (row.passwords_downloaded_at) throw new AppError('passwordsAlreadyDownloaded');
        await repo.markPasswordsDownloaded(trx, row.id, clock.now());
        return {
          filename: `users-${row.id}-passwords.csv`,
          columns: PASSWORD_CSV_COLUMNS,
          rows: async function* (t) {
            for (let after = 0; ;) {
              const batch = await repo.takePasswords(t, row.id, after, READ_BATCH);
              for (const p of batch) yield [p.display_name, p.user_name, open(row.id, p)];
              if (batch.length < READ_BATCH) return;
              after = batch[batch.length - 1]!.row_number;
            }
          },
        };
      }),
  };

  function open(importId: string, p: repo.PasswordRow): string {
    try {
      return unseal(p.temporary_password!, passwordKey, passwordAad(importId, p.row_number, p.user_name));
    } catch {
      // The store's credentials changed since the import: this password cannot be read back.
      return '(unreadable: reset this user’s password)';
    }
  }
}

function resultsName(row: ImportRow): string {
  const base = (row.file_name ?? 'users.csv').replace(/\.csv$/i, '').replace(/["\\]/g, '_');
  return `${base}-results.csv`;
}
