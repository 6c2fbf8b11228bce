// What an HTTP bench runs beside itself and how it loads it: Partnerdesk (`partnerdesk serve`) and a baseline,
// each in its own process (so its memory and CPU are its own), and autocannon against them.
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';

const root = path.resolve(import.meta.dirname, '..');

export interface Child {
  child: ChildProcess;
  url: string;
  stop(): Promise<void>;
}

/** A child process (node `args`, from the repository's root) that prints `<ready pattern> <url>` when ready. */
export function startChild(args: string[], env: Record<string, string>, ready: RegExp): Promise<Child> {
  const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env } });
  let outText = '';
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      outText += String(d);
      const m = ready.exec(outText);
      if (m)
        resolve({
          child,
          url: m[1]!,
          stop: () =>
            new Promise<void>((done) => {
              if (child.exitCode !== null) return done();
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d: Buffer) => (outText += String(d)));
    child.once('exit', (code) =>
      reject(new Error(`${args.join(' ')} exited (${code}): ${outText.slice(-2000)}`)),
    );
  });
}

/** `partnerdesk serve` on the environment's store and port; `nodeArgs` go to node (a heap cap). */
export const servePartnerdesk = (env: Record<string, string>, nodeArgs: string[] = []) =>
  startChild([...nodeArgs, 'bin/partnerdesk.js', 'serve'], env, /Partnerdesk is ready on (\S+)/);

/** VmRSS and VmHWM (peak) of a process, in MiB. */
export function memoryOf(pid: number): { rss: number; hwm: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
  return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
}

export interface Load {
  rps: number;
  p50: number;
  /** autocannon reports no p95: p97.5 instead. */
  p97: number;
  p99: number;
  errors: number;
}

/** One autocannon run; errors count failed connections, timeouts and every answer but 2xx. */
export async function load(opts: autocannon.Options): Promise<Load> {
  const r = await autocannon(opts);
  if (r.errors + r.non2xx + r.timeouts > 0 && process.env.BENCH_DEBUG)
    process.stderr.write(JSON.stringify(r.statusCodeStats));
  return {
    rps: Math.round(r.requests.average),
    p50: r.latency.p50,
    p97: r.latency.p97_5,
    p99: r.latency.p99,
    errors: r.errors + r.non2xx + r.timeouts,
  };
}
