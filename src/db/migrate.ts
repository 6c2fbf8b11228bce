// Forward-only migrations, listed in src/db/migrations/index.ts. The migrator does not throw on failure:
// its result is checked and a failure stops start-up naming the migration.
import type { Kysely } from 'kysely';
import { Migrator, sql } from 'kysely';
import { migrations } from './migrations/index.ts';

export class MigrationError extends Error {}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the migrator is schema-agnostic
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    const reason = error instanceof Error ? error.message : String(error ?? 'unknown error');
    throw new MigrationError(`Migration ${failed?.migrationName ?? '(none)'} failed: ${reason}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** How many known migrations the database has not run yet (for /readyz). Throws when it is unreachable. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- reads only the migrator's own table
export async function pendingMigrationCount(db: Kysely<any>): Promise<number> {
  const r = await sql<{ n: number }>`select count(*)::int as n from kysely_migration`.execute(db);
  return Math.max(0, Object.keys(migrations).length - (r.rows[0]?.n ?? 0));
}
