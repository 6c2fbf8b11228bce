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

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `partnerdesk <args>` against the API at `url` as `token`, in `cwd`, with nothing from the developer's
 * shell: no PARTNERDESK_* variable but the ones given.
 */
export function runApiCli(
  args: string[],
  opts: { cwd: string; url: string; token: string; env?: Record<string, string>; input?: string },
): Promise<CliRun> {
  const base = Object.fromEntries(
    Object.entries(childEnv({})).filter(([k]) => !k.startsWith('PARTNERDESK_')),
  ) as Record<string, string>;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: opts.cwd,
      env: { ...base, PARTNERDESK_URL: opts.url, PARTNERDESK_TOKEN: opts.token, ...opts.env },
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
