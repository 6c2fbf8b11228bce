// The database a bench scenario runs on: BENCH_DATABASE_URL's server when set, else an embedded PostgreSQL in
// a temporary folder; a fresh database named after the scenario and this process, opened as the app opens it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.ts';
import type { Store } from '../src/db/database.ts';
import { ensureDatabase, openStore } from '../src/db/database.ts';
import { startEmbeddedPostgres } from '../src/db/embedded.ts';

export interface BenchStore {
  store: Store;
  dbUrl: string;
  /** A temporary folder for the scenario's files (the embedded server's data lives in its `pg`). */
  tmp: string;
  /** Closes the store, stops the embedded server if one was started, and removes the temporary folder. */
  close(): Promise<void>;
}

export async function openBenchStore(scenario: string): Promise<BenchStore> {
  let serverUrl = process.env.BENCH_DATABASE_URL;
  let stopPg: (() => Promise<void>) | undefined;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `partnerdesk-bench-${scenario}-`));
  // The embedded server runs as the postgres user, which must reach its data dir (mkdtemp makes 0700 folders).
  fs.chmodSync(tmp, 0o755);
  if (!serverUrl) {
    const server = await startEmbeddedPostgres({
      dataDir: path.join(tmp, 'pg'),
      log: () => undefined,
      persistent: false,
    });
    serverUrl = server.url;
    stopPg = server.stop;
  }
  const dbUrl = await ensureDatabase(serverUrl, `pd_bench_${scenario}_${process.pid}`);
  const config = loadConfig({ DATABASE_URL: dbUrl, LOG_LEVEL: 'silent', PARTNERDESK_DEMO: '0' });
  const store = await openStore(config, () => undefined);
  return {
    store,
    dbUrl,
    tmp,
    async close() {
      await store.close();
      if (stopPg) await stopPg();
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}
