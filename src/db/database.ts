// Opens the store: the embedded PostgreSQL (no DATABASE_URL) or the given server, migrates it, makes sure the
// row-level-security-bound application role exists, and hands out two Kysely instances:
//   owner — migrations, operator tasks, the job queue; bypasses nothing by policy but owns the tables;
//   app   — every request; a NOSUPERUSER NOBYPASSRLS role that only sees the partner set per transaction.
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import type { DatabaseConnection, Transaction, TransactionSettings } from 'kysely';
import { CompiledQuery, Kysely, PostgresDialect, PostgresDriver, sql } from 'kysely';
import pg from 'pg';
import type { Config } from '../config.ts';
import { migrateToLatest } from './migrate.ts';
import type { DB } from './schema.ts';
import { startEmbeddedPostgres } from './embedded.ts';

export type Db = Kysely<DB>;
export type Trx = Transaction<DB>;

// int8 (counts) as numbers; timestamps stay Date; a date (a calendar day, no time zone) stays its text.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1082, (v) => v);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The partner a transaction runs for; read by the driver at BEGIN (see TenantDriver). */
const tenantOfTransaction = new AsyncLocalStorage<string>();

/**
 * Starts every transaction with the partner context in the same round trip:
 * `begin; select set_config('app.partner_id', '<uuid>', true)` sent as one simple-protocol batch.
 * The uuid is validated before it is placed in the text.
 */
class TenantDriver extends PostgresDriver {
  override async beginTransaction(
    connection: DatabaseConnection,
    settings: TransactionSettings,
  ): Promise<void> {
    const partnerId = tenantOfTransaction.getStore();
    if (!partnerId) return super.beginTransaction(connection, settings);
    if (!UUID.test(partnerId)) throw new Error('partner id is not a uuid');
    let begin = 'begin';
    if (settings.isolationLevel) begin += ` isolation level ${settings.isolationLevel}`;
    await connection.executeQuery(
      CompiledQuery.raw(`${begin}; select set_config('app.partner_id', '${partnerId}', true)`),
    );
  }
}

class TenantDialect extends PostgresDialect {
  constructor(private readonly cfg: ConstructorParameters<typeof PostgresDialect>[0]) {
    super(cfg);
  }
  override createDriver() {
    return new TenantDriver(this.cfg);
  }
}

export function createKysely(connectionString: string, max: number): Db {
  const pool = new pg.Pool({ connectionString, max, idleTimeoutMillis: 30_000 });
  pool.on('error', () => undefined); // a dropped idle connection is replaced on next use
  return new Kysely<DB>({ dialect: new TenantDialect({ pool }) });
}

/**
 * Runs `fn` in one transaction scoped to `partnerId`: row-level security lets it see and write only that
 * partner's rows. Every request-path read and write of partner data goes through here.
 */
export function inPartnerTransaction<T>(
  db: Db,
  partnerId: string,
  fn: (trx: Trx) => Promise<T>,
  isolationLevel?: 'serializable' | 'repeatable read',
): Promise<T> {
  return tenantOfTransaction.run(partnerId, () => {
    const builder = isolationLevel ? db.transaction().setIsolationLevel(isolationLevel) : db.transaction();
    return builder.execute(fn);
  });
}

export const APP_ROLE = 'partnerdesk_app';

/**
 * The app role's password is derived from the owner's credentials and server (not the database name: the role
 * is cluster-wide and shared by every database on the server), so every process that shares them agrees.
 */
export function appRolePassword(ownerUrl: string): string {
  const u = new URL(ownerUrl);
  const server = `${u.username}:${decodeURIComponent(u.password)}@${u.hostname}:${u.port}`;
  return createHash('sha256').update(`${server}\0${APP_ROLE}`).digest('base64url');
}

export function appUrlFor(ownerUrl: string): string {
  const u = new URL(ownerUrl);
  u.username = APP_ROLE;
  u.password = appRolePassword(ownerUrl);
  return u.toString();
}

/** Creates (or refreshes) the app role and grants it what the request path needs, and no more. */
export async function ensureAppRole(owner: Db, ownerUrl: string): Promise<void> {
  const password = appRolePassword(ownerUrl);
  await sql
    .raw(
      `do $$ begin
         if not exists (select 1 from pg_roles where rolname = '${APP_ROLE}') then
           create role ${APP_ROLE} login nosuperuser nobypassrls nocreatedb nocreaterole;
         end if;
       end $$;`,
    )
    .execute(owner);
  await sql.raw(`alter role ${APP_ROLE} login nosuperuser nobypassrls password '${password}'`).execute(owner);
  await sql
    .raw(
      `grant connect on database ${sql.id(await currentDatabase(owner)).compile(owner).sql} to ${APP_ROLE};
       grant usage on schema public to ${APP_ROLE};
       grant select, insert, update, delete on all tables in schema public to ${APP_ROLE};
       grant usage, select on all sequences in schema public to ${APP_ROLE};
       grant execute on all functions in schema public to ${APP_ROLE};
       revoke update, delete, truncate on activity_records from ${APP_ROLE};
       revoke insert, update, delete, truncate on catalog_markets, offers, offer_prices, offer_meters, meter_prices
         from ${APP_ROLE};
       revoke insert, update, delete, truncate on invoices, invoice_line_items from ${APP_ROLE};
       revoke insert, update, delete, truncate on subscription_states from ${APP_ROLE};
       revoke update, delete, truncate on usage_records from ${APP_ROLE};
       revoke delete, truncate on billing_periods, budget_alerts from ${APP_ROLE};
       revoke insert, update, delete, truncate on support_topics from ${APP_ROLE};
       revoke update, delete, truncate on service_request_events, service_request_attachments from ${APP_ROLE};
       revoke delete, truncate on service_requests, service_request_counters from ${APP_ROLE};
       revoke insert, update, delete, truncate on service_request_list from ${APP_ROLE};
       revoke all on kysely_migration, kysely_migration_lock from ${APP_ROLE};`,
    )
    .execute(owner);
}

async function currentDatabase(db: Db): Promise<string> {
  const r = await sql<{ db: string }>`select current_database() as db`.execute(db);
  return r.rows[0]!.db;
}

export async function ensureDatabase(serverUrl: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`create database "${name.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

export interface Store {
  owner: Db;
  app: Db;
  ownerUrl: string;
  embedded: boolean;
  close(): Promise<void>;
}

export async function openStore(config: Config, log: (msg: string) => void): Promise<Store> {
  let ownerUrl = config.databaseUrl;
  let stopServer: (() => Promise<void>) | undefined;
  if (!ownerUrl) {
    const server = await startEmbeddedPostgres({ dataDir: config.dataDir, log });
    stopServer = server.stop;
    try {
      ownerUrl = await ensureDatabase(server.url, 'partnerdesk');
    } catch (err) {
      await server.stop();
      throw err;
    }
  }
  const owner = createKysely(ownerUrl, 5);
  let app: Db | undefined;
  const close = async () => {
    await app?.destroy().catch(() => undefined);
    await owner.destroy().catch(() => undefined);
    await stopServer?.();
  };
  try {
    await migrateToLatest(owner);
    await ensureAppRole(owner, ownerUrl);
    app = createKysely(config.databaseAppUrl ?? appUrlFor(ownerUrl), config.databasePoolSize);
    await sql`select 1`.execute(app);
  } catch (err) {
    await close();
    throw err;
  }
  return { owner, app, ownerUrl, embedded: Boolean(stopServer), close };
}
