// The loop of a table-driven job worker (users imports, transfers): look for work, do it, and when there is
// none wait for the next poll or a poke, whichever comes first. A failure backs off exponentially (up to 30 s)
// so a store that is down is not hammered; whatever the failed round held lapses with its lease.

/** pino's shape, so Fastify's logger fits. */
export interface WorkerLog {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface PollingLoop {
  /** Starts the loop (returns at once). */
  start(): void;
  /** Lets the round in flight end (it sees isRunning() turn false), and stops. */
  stop(): Promise<void>;
  /** Work was queued: look now rather than at the next poll. */
  poke(): void;
  /** False once stop() was called: a round checks it between steps and hands its work back. */
  isRunning(): boolean;
}

export interface PollingLoopOptions {
  /** How often an idle loop looks for work. */
  pollMs: number;
  log: WorkerLog;
  /** Says what failed in the log: "users import worker failed; retrying". */
  name: string;
  /** One round: claims and works what it finds; answers whether it found anything. */
  round(isRunning: () => boolean): Promise<boolean>;
}

export function createPollingLoop(options: PollingLoopOptions): PollingLoop {
  const { pollMs, log, name, round } = options;
  let running = false;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  let poked = false;
  const isRunning = () => running;

  /** Waits `ms`, or less when poked or stopped. */
  function idle(ms: number): Promise<void> {
    if (poked || !running) {
      poked = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = undefined;
        poked = false;
        resolve();
      }
      wake = done;
    });
  }

  async function run(): Promise<void> {
    let failures = 0;
    while (running) {
      try {
        const worked = await round(isRunning);
        failures = 0;
        if (!worked) await idle(pollMs);
      } catch (err) {
        if (!running) return;
        failures += 1;
        log.error({ err }, `${name} failed; retrying`);
        await idle(Math.min(30_000, pollMs * 2 ** Math.min(failures, 5)));
      }
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    async stop() {
      running = false;
      wake?.();
      await loop;
      loop = undefined;
    },
    poke() {
      poked = true;
      wake?.();
    },
    isRunning,
  };
}
