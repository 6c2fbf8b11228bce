// Once per `npm test`: a PostgreSQL server (the machine's, from TEST_DATABASE_URL, or an embedded one in a
// temporary folder) and a migrated template database that every test file copies (CREATE DATABASE … TEMPLATE).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { loadConfig } from '../src/config.ts';
import { openStore } from '../src/db/database.ts';
import { startEmbeddedPostgres } from '../src/db/embedded.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgServerUrl: string;
    templateDb: string;
  }
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export default async function setup(project: TestProject) {
  let serverUrl = process.env.TEST_DATABASE_URL;
  let stopServer: (() => Promise<void>) | undefined;
  let tmp: string | undefined;
  if (serverUrl) {
    const probe = new pg.Client({ connectionString: serverUrl });
    try {
      await probe.connect();
    } catch (err) {
      throw new Error(`TEST_DATABASE_URL is set but unreachable (${String(err)})`, { cause: err });
    } finally {
      await probe.end().catch(() => undefined);
    }
  } else {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'partnerdesk-test-'));
    fs.chmodSync(tmp, 0o755);
    const server = await startEmbeddedPostgres({ dataDir: tmp, log: () => undefined, persistent: false });
    serverUrl = server.url;
    stopServer = server.stop;
  }
  const templateDb = `pd_template_${process.pid}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${templateDb}`);
  await admin.query(`create database ${templateDb}`);
  const config = loadConfig({ DATABASE_URL: withDatabase(serverUrl, templateDb), LOG_LEVEL: 'silent' });
  const store = await openStore(config, () => undefined);
  await store.close(); // a template must have no open connections
  project.provide('pgServerUrl', serverUrl);
  project.provide('templateDb', templateDb);
  return async () => {
    await admin.query(`drop database if exists ${templateDb} with (force)`).catch(() => undefined);
    await admin.end();
    await stopServer?.();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  };
}
