import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { spawn } from 'node:child_process';
import path from 'node:path';

/** The `partnerdesk` command, as a fresh install runs it. */
export const BIN = path.resolve(import.meta.dirname, '../../bin/partnerdesk.js');

/** A child's environment: ours minus anything that would point it at another store, port or demo setting. */
export function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base = { ...process.env };
  for (const k of [
    'DATABASE_URL',
    'DATABASE_APP_URL',
    'PORT',
    'HOST',
    'PARTNERDESK_DEMO',
    'DATA_DIR',
    'LOG_LEVEL',
  ])
    delete base[k];
  return { ...base, LOG_LEVEL: 'warn', ...env };
}

const READY = /Partnerdesk is ready on (http:\/\/\S+)/;

/** A `partnerdesk serve` child process: where it listens, and its end (the signal or exit code). */
export interface ServerChild {
  process: ChildProcessWithoutNullStreams;
  url: string;
  exited: Promise<NodeJS.Signals | number | null>;
}

/**
 * `partnerdesk serve` on a test's database (no demo, any free port), ready to take requests; `env` adds settings
 * (a short job lease, say). Tests that kill it mid-job see what a crash leaves.
 */
export async function serveOn(databaseUrl: string, env: Record<string, string> = {}): Promise<ServerChild> {
  const child = spawn(process.execPath, [BIN, 'serve'], {
    env: childEnv({ DATABASE_URL: databaseUrl, PORT: '0', HOST: '127.0.0.1', PARTNERDESK_DEMO: '0', ...env }),
  });
  let out = '';
  let err = '';
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
    child.on('exit', (code, signal) => resolve(signal ?? code)),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready: ${out} ${err}`)), 60_000);
    child.stdout.on('data', (d) => {
      out += String(d);
      const m = READY.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.stderr.on('data', (d) => (err += String(d)));
    void exited.then((how) => reject(new Error(`exited (${String(how)}) before ready: ${out} ${err}`)));
  });
  return { process: child, url, exited };
}

const CLI_TIMEOUT_MS = 90_000;

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `partnerdesk <args>` in `cwd` with nothing from the developer's shell: no PARTNERDESK_* variable, store
 * or port but the ones in `env`, log level warn unless `env` says otherwise. Its stdin is `input` (empty unless
 * given), so a command that would ask ends instead of waiting; one still running after CLI_TIMEOUT_MS is killed
 * (code null) rather than left behind.
 */
export function runCli(
  args: string[],
  opts: { cwd: string; env: Record<string, string>; input?: string },
): Promise<CliRun> {
  const base = Object.fromEntries(
    Object.entries(childEnv({})).filter(([k]) => !k.startsWith('PARTNERDESK_')),
  ) as Record<string, string>;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: opts.cwd,
      env: { ...base, ...opts.env },
      timeout: CLI_TIMEOUT_MS,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}

/** Runs `partnerdesk <args>` against the API at `url` as `token` (see runCli). */
export function runApiCli(
  args: string[],
  opts: { cwd: string; url: string; token: string; env?: Record<string, string>; input?: string },
): Promise<CliRun> {
  return runCli(args, {
    cwd: opts.cwd,
    env: { PARTNERDESK_URL: opts.url, PARTNERDESK_TOKEN: opts.token, ...opts.env },
    input: opts.input,
  });
}

/** Runs an operator's `partnerdesk <args>` on the database at `databaseUrl` (owner connection), quietly. */
export function runDatabaseCli(
  args: string[],
  opts: { cwd: string; databaseUrl: string; env?: Record<string, string> },
): Promise<CliRun> {
  return runCli(args, {
    cwd: opts.cwd,
    env: { DATABASE_URL: opts.databaseUrl, LOG_LEVEL: 'silent', ...opts.env },
  });
}
