// A real app on a fresh database, driven through app.inject.
import type { App } from '../../src/app.ts';
import { buildApp } from '../../src/app.ts';
import type { Config } from '../../src/config.ts';
import type { Store } from '../../src/db/database.ts';
import type { Clock } from '../../src/lib/clock.ts';
import { createTestStore } from './db.ts';
import { bearer } from './factories.ts';

export interface TestApp {
  app: App;
  store: Store;
  config: Config;
  close(): Promise<void>;
}

export async function createTestApp(
  opts: {
    env?: Record<string, string>;
    clock?: Clock;
    userImportWorker?: boolean;
    transferWorker?: boolean;
  } = {},
): Promise<TestApp> {
  const t = await createTestStore(opts.env);
  const app = await buildApp({
    config: t.config,
    store: t.store,
    clock: opts.clock,
    logger: false,
    userImportWorker: opts.userImportWorker,
    transferWorker: opts.transferWorker,
  });
  await app.ready();
  return {
    app,
    store: t.store,
    config: t.config,
    async close() {
      await app.close();
      await t.close();
    },
  };
}

/** A clock tests can move. */
export function testClock(
  start = new Date('2026-11-28T12:00:00Z'),
): Clock & { advance(ms: number): void; set(d: Date): void } {
  let now = start.getTime();
  return {
    now: () => new Date(now),
    advance: (ms) => {
      now += ms;
    },
    set: (d) => {
      now = d.getTime();
    },
  };
}

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * A request through app.inject as the holder of `token` (undefined: anonymous), with `headers` (If-Match,
 * MS-RequestId) beside the bearer token and `payload` as its body when given.
 */
export function injectAs(
  app: App,
  token: string | undefined,
  method: Method,
  url: string,
  opts: { payload?: unknown; headers?: Record<string, string> } = {},
) {
  return app.inject({
    method,
    url,
    headers: { ...(token ? bearer(token) : {}), ...opts.headers },
    ...(opts.payload !== undefined ? { payload: opts.payload as object } : {}),
  });
}
