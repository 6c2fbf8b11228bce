// An isolated database per test file, copied from the migrated template (fast: no migrations run).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import type { Config } from '../../src/config.ts';
import { loadConfig } from '../../src/config.ts';
import type { Store } from '../../src/db/database.ts';
import { openStore } from '../../src/db/database.ts';

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: inject('pgServerUrl') });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `pd_t_${randomBytes(6).toString('hex')}`;
  await adminQuery(`create database ${name} template ${inject('templateDb')}`);
  const u = new URL(inject('pgServerUrl'));
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    name,
    drop: () => adminQuery(`drop database if exists ${name} with (force)`),
  };
}

/** Config for tests: the given database, quiet logs, generous limits unless a test overrides them. */
export function testConfig(databaseUrl: string, env: Record<string, string> = {}): Config {
  return loadConfig({
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'silent',
    PARTNERDESK_DEMO: '0',
    RATE_LIMIT_PER_MINUTE: '100000',
    RATE_LIMIT_SIGNIN_PER_MINUTE: '100000',
    ...env,
  });
}

/** A migrated store on a fresh database; close() also drops the database. */
export async function createTestStore(env: Record<string, string> = {}): Promise<{
  store: Store;
  config: Config;
  db: TestDatabase;
  close(): Promise<void>;
}> {
  const db = await createTestDatabase();
  const config = testConfig(db.url, env);
  const store = await openStore(config, () => undefined);
  return {
    store,
    config,
    db,
    async close() {
      await store.close();
      await db.drop();
    },
  };
}
