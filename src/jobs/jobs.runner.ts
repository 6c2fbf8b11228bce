// The durable job queue: pg-boss on the owner connection (it keeps its own tables in the `pgboss` schema,
// which the request-path role cannot reach). Jobs survive restarts, are retried with backoff, and a handler
// must be idempotent: a job may run again after a crash between its work and its completion.
import PgBoss from 'pg-boss';
import type { Db } from '../db/database.ts';
import type { Clock } from '../lib/clock.ts';
import { MAINTENANCE_CRON, MAINTENANCE_JOB, runMaintenance } from './maintenance.jobs.ts';

/** The structured logger the runner writes to (pino's shape, so Fastify's logger fits). */
export interface JobLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface JobInfo {
  id: string;
  name: string;
}

export type JobHandler<T extends object = object> = (data: T, job: JobInfo) => Promise<void>;

export interface JobRunner {
  start(): Promise<void>;
  /** Stops taking jobs, lets running handlers finish (unless `graceful: false`), closes the pool. */
  stop(opts?: { graceful?: boolean }): Promise<void>;
  /** Adds a handler for a queue; before start() it is remembered, after it takes effect at once. */
  register<T extends object>(name: string, handler: JobHandler<T>): Promise<void>;
  /** Queues a job (after start()); returns its id. */
  send<T extends object>(name: string, data: T): Promise<string>;
}

export interface JobRunnerDeps {
  ownerUrl: string;
  owner: Db;
  clock: Clock;
  log: JobLog;
  /** How long after a month ends the maintenance job invoices it (config `billing.closeDelayHours`). */
  billingCloseDelayHours?: number;
  /** How often an idle worker looks for new jobs; low in tests. */
  pollingIntervalSeconds?: number;
}

// Every queue retries a failed job with exponential backoff before giving up.
const QUEUE_DEFAULTS = { retryLimit: 5, retryDelay: 5, retryBackoff: true, expireInMinutes: 15 } as const;

export function createJobRunner(deps: JobRunnerDeps): JobRunner {
  const { log } = deps;
  const boss = new PgBoss({
    connectionString: deps.ownerUrl,
    application_name: 'partnerdesk-jobs',
    max: 4,
  });
  boss.on('error', (err) => log.error({ err }, 'job queue error'));

  const handlers = new Map<string, JobHandler>();
  let state: 'created' | 'starting' | 'started' | 'stopping' | 'stopped' = 'created';
  let stopping: Promise<void> | undefined;

  async function attach(name: string, handler: JobHandler): Promise<void> {
    await boss.createQueue(name, { name, ...QUEUE_DEFAULTS });
    await boss.work<object>(
      name,
      { batchSize: 1, pollingIntervalSeconds: deps.pollingIntervalSeconds ?? 2 },
      async ([job]) => {
        if (!job) return;
        const started = Date.now();
        try {
          await handler(job.data ?? {}, { id: job.id, name: job.name });
          log.info({ job: name, jobId: job.id, ms: Date.now() - started }, 'job done');
        } catch (err) {
          // pg-boss records the failure and schedules the retry; the log says which job and why.
          log.error({ err, job: name, jobId: job.id }, 'job failed');
          throw err;
        }
      },
    );
  }

  handlers.set(MAINTENANCE_JOB, async () => {
    const purged = await runMaintenance(deps.owner, deps.clock.now(), {
      billingCloseDelayHours: deps.billingCloseDelayHours,
    });
    log.info(purged, 'expired sessions and idempotency keys purged');
  });

  return {
    async start() {
      if (state !== 'created') throw new Error(`job runner cannot start: it is ${state}`);
      state = 'starting';
      await boss.start();
      for (const [name, handler] of handlers) await attach(name, handler);
      // One schedule shared by every process on this database; pg-boss sends each tick's job only once.
      await boss.schedule(MAINTENANCE_JOB, MAINTENANCE_CRON, {}, { singletonKey: MAINTENANCE_JOB });
      state = 'started';
    },

    stop(opts = {}) {
      if (state === 'created') {
        state = 'stopped';
        return Promise.resolve();
      }
      stopping ??= (async () => {
        state = 'stopping';
        await boss.stop({ graceful: opts.graceful ?? true, wait: true });
        state = 'stopped';
      })();
      return stopping;
    },

    async register(name, handler) {
      if (handlers.has(name)) throw new Error(`job ${name} already has a handler`);
      handlers.set(name, handler as JobHandler);
      if (state === 'started') await attach(name, handler as JobHandler);
    },

    async send(name, data) {
      if (state !== 'started') throw new Error(`job runner is ${state}; cannot send ${name}`);
      const id = await boss.send(name, data);
      if (!id) throw new Error(`job ${name} was not queued`);
      return id;
    },
  };
}
