// Forward-only migrations, listed in src/db/migrations/index.ts. The migrator does not throw on failure:
// its result is checked and a failure stops start-up naming the migration.
import type { Kysely } from 'kysely';
import { Migrator } from 'kysely';
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
