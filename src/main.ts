// Start-up: openStore → buildApp → demo seed and job runner → listen, and the way down on every exit path:
// a graceful close (stop accepting, drain in-flight requests, stop the job runner, close pools, stop the
// embedded PostgreSQL), a forced one (second Ctrl-C), and a failure half-way through start-up.
import type { Config } from './config.ts';
import { buildApp } from './app.ts';
import type { App } from './app.ts';
import { openStore } from './db/database.ts';
import type { Store } from './db/database.ts';
import { demoBanner, demoPresent, seedDemoIfEmpty, seedDepsFor } from './demo/seed.ts';
import { createJobRunner } from './jobs/jobs.runner.ts';
import type { JobRunner } from './jobs/jobs.runner.ts';
import type { Clock } from './lib/clock.ts';
import { systemClock } from './lib/clock.ts';

export interface Running {
  url: string;
  app: App;
  store: Store;
  jobs: JobRunner;
  /** Graceful: stop accepting, let in-flight requests finish, stop jobs, close pools, stop PostgreSQL. */
  close(): Promise<void>;
  /** Drops open connections and stops jobs without waiting for them; PostgreSQL is still stopped. */
  forceClose(): Promise<void>;
}

export interface ServeOptions {
  print?: (line: string) => void;
  clock?: Clock;
}

export async function serve(config: Config, opts: ServeOptions = {}): Promise<Running> {
  const print = opts.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const clock = opts.clock ?? systemClock;
  const store = await openStore(config, print);
  let app: App | undefined;
  // Made before the app (no I/O until start) so that modules can be handed it to send and handle jobs.
  const jobs = createJobRunner({
    ownerUrl: store.ownerUrl,
    owner: store.owner,
    clock,
    billingCloseDelayHours: config.billing.closeDelayHours,
    log: {
      info: (o, m) => app?.log.info(o, m),
      warn: (o, m) => app?.log.warn(o, m),
      error: (o, m) => app?.log.error(o, m),
    },
  });
  try {
    app = await buildApp({ config, store, clock });
    const seedDeps = seedDepsFor(store, config, clock);
    // Independent and each a few hundred milliseconds on a fresh store: the queue installs its schema while
    // the demo's passwords are hashed. Both settle before a failure is reported, so close() finds them idle.
    const [seeded, started] = await Promise.allSettled([
      config.demo ? seedDemoIfEmpty(seedDeps) : Promise.resolve(undefined),
      jobs.start(),
    ]);
    if (started.status === 'rejected') throw started.reason;
    if (seeded.status === 'rejected') throw seeded.reason;
    for (const line of seeded.value?.created ?? []) print(`Demo data: created ${line}`);
    // Whether or not this start seeded it: while the demo sign-in exists, say so and warn.
    const demoSignIn = await demoPresent(seedDeps);
    await app.listen({ port: config.port, host: config.host });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;
    print(`Partnerdesk is ready on ${url}`);
    if (demoSignIn) for (const line of demoBanner(config)) print(line);
    return running(url, app, jobs, store);
  } catch (err) {
    await app?.close().catch(() => undefined);
    await jobs.stop({ graceful: false }).catch(() => undefined);
    await store.close();
    throw err;
  }
}

function running(url: string, app: App, jobs: JobRunner, store: Store): Running {
  let forced = false;
  let closing: Promise<void> | undefined;
  const shutdown = async () => {
    await app.close(); // stops accepting and waits for in-flight requests
    await jobs
      .stop({ graceful: !forced })
      .catch((err: unknown) => app.log.error({ err }, 'job runner stop failed'));
    await store.close();
  };
  return {
    url,
    app,
    store,
    jobs,
    close() {
      closing ??= shutdown();
      return closing;
    },
    async forceClose() {
      forced = true;
      app.server.closeAllConnections(); // in-flight requests end now, so app.close() returns
      // A graceful stop may be waiting for a long job; the pools and PostgreSQL go down regardless.
      void jobs.stop({ graceful: false }).catch(() => undefined);
      closing ??= shutdown();
      await Promise.race([closing, new Promise((r) => setTimeout(r, 5_000).unref())]);
      await store.close();
    },
  };
}

/** How long a graceful shutdown may take before it is forced. */
const GRACE_MS = 25_000;
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * `partnerdesk serve`: runs until a signal, then shuts down and exits (0 after a graceful close, 130 after a
 * forced one, 1 after a failure). Signals arriving during start-up are honoured once start-up settles.
 */
export async function runServer(
  config: Config,
  io: { out: (line: string) => void; err: (line: string) => void },
): Promise<void> {
  // This process owns its shutdown: no other signal listener may exit under in-flight requests. The embedded
  // PostgreSQL runs in its own process group (a terminal Ctrl-C does not reach it) and is stopped last; if the
  // process dies some other way, src/db/embedded.ts's 'exit' handler still tells it to shut down.
  for (const signal of SIGNALS) for (const l of process.listeners(signal)) process.removeListener(signal, l);

  // Set once start-up finishes; the handlers below run before that too.
  let current: Running | undefined = undefined;
  let stopRequested = false;
  let signals = 0;
  // Read when the work ends: a graceful close overtaken by a forced one exits as forced.
  let exitCode = 0;

  const exitAfter = (work: Promise<void>) =>
    work.then(
      () => process.exit(exitCode),
      (err: unknown) => {
        io.err(`partnerdesk: shutdown failed: ${err instanceof Error ? err.message : String(err)}`);
        process.exit(1);
      },
    );

  const force = (why: string) => {
    io.out(`${why}: stopping now.`);
    exitCode = 130;
    if (current) void exitAfter(current.forceClose());
    else process.exit(exitCode); // still starting: embedded.ts's 'exit' handler stops PostgreSQL
  };

  const onSignal = (signal: string) => {
    signals++;
    if (signals > 1) return force(`${signal} received again`);
    io.out(`${signal} received: shutting down gracefully (press Ctrl-C again to force)…`);
    setTimeout(() => force(`Shutdown took longer than ${GRACE_MS / 1000} s`), GRACE_MS).unref();
    if (current) void exitAfter(current.close());
    else stopRequested = true;
  };
  for (const signal of SIGNALS) process.on(signal, onSignal);

  const crash = (err: unknown) => {
    io.err(`partnerdesk: crashed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    exitCode = 1;
    void exitAfter(current ? current.forceClose() : Promise.resolve());
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);

  current = await serve(config, { print: io.out });
  if (stopRequested) void exitAfter(current.close());
}
