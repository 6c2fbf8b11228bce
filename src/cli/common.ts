// Helpers every `partnerdesk` command shares. Importing this module has no side effects (argv is parsed in
// bin/partnerdesk.js through main() in ./index.ts), so command modules import from here.
import type { Command } from 'commander';
import { Option } from 'commander';
import { ConfigError, environmentWith, loadConfig } from '../config.ts';
import type { Config } from '../config.ts';
import type { Store } from '../db/database.ts';
import { AppError } from '../lib/errors.ts';

/** Config from the environment with command-line overrides applied on top (undefined = not given). */
export function configWith(overrides: Record<string, string | undefined>): Config {
  return loadConfig(environmentWith(overrides));
}

export const out = (line = '') => process.stdout.write(`${line}\n`);
/** Progress and notices: stderr, so stdout carries only a command's answer (and can be piped). */
export const note = (line: string) => process.stderr.write(`${line}\n`);

/** The environment variable behind an option. */
export const env = (name: string) => `PARTNERDESK_${name}`;

/** Repeatable, and one value may hold several (from an environment variable): split on spaces and commas. */
export const collectWords = (value: string, previous: string[] = []) => [
  ...previous,
  ...value.split(/[\s,]+/).filter((v) => v !== ''),
];

/** An API time as its day, YYYY-MM-DD ('—' for none). */
export const day = (iso: string | null) => (iso ? iso.slice(0, 10) : '—');
/** An API time to the minute, in UTC ('—' for none). */
export const minute = (iso: string | null) => (iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : '—');
/** "1 record", "1,200 records". */
export const plural = (n: number, word: string) =>
  `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

/** An option's whole number from `min` (to `max`), or an error naming the option. */
export function wholeNumber(raw: string, option: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const text = raw.trim();
  const n = Number(text);
  if (!/^-?\d+$/.test(text) || n < min || n > max)
    throw new Error(
      `${option} must be a whole number from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : ''}, not "${raw}"`,
    );
  return n;
}

/**
 * Prints rows as aligned columns (two spaces apart). Answers the widths used, so a later page can be printed
 * with the same ones.
 */
export function table(rows: string[][], widths?: number[]): number[] {
  const w = widths ?? rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows)
    out(
      r
        .map((cell, i) => cell.padEnd(w[i]!))
        .join('  ')
        .trimEnd(),
    );
  return w;
}

/** Any failure as one line: config errors name the variable; AppErrors list their field details. */
export function errorLine(err: unknown): string {
  if (err instanceof AppError) {
    const details = err.extra.details?.map((d) => `${d.field} ${d.reason}`).join('; ');
    return details ? `${err.message} (${details})` : err.message;
  }
  if (err instanceof ConfigError) return err.message;
  const message = err instanceof Error ? err.message : String(err);
  return message.replace(/\s*\n\s*/g, ' ').trim();
}

export function fail(err: unknown): never {
  process.stderr.write(`partnerdesk: ${errorLine(err)}\n`);
  process.exit(1);
}

/** The options that choose the store, on every command that opens it. */
export interface StoreOptions {
  databaseUrl?: string;
  dataDir?: string;
}

export function storeOptions(cmd: Command): Command {
  return cmd
    .addOption(
      new Option('--database-url <url>', 'PostgreSQL server (unset: the embedded one)').env('DATABASE_URL'),
    )
    .addOption(
      new Option('--data-dir <dir>', 'where the embedded PostgreSQL keeps its data (default: ./data)').env(
        'DATA_DIR',
      ),
    );
}

/** The config overrides the store options stand for (undefined: not given, the environment decides). */
export function storeOverrides(opts: StoreOptions): Record<string, string | undefined> {
  return { DATABASE_URL: opts.databaseUrl, DATA_DIR: opts.dataDir };
}

/**
 * Opens (and migrates) the store of `configWith(overrides)`, e.g. `openCliStore(storeOverrides(opts))`.
 * A failure (bad config, unreachable database) is printed as one line and the process exits 1.
 */
export async function openCliStore(
  overrides: Record<string, string | undefined>,
): Promise<{ store: Store; config: Config }> {
  try {
    const config = configWith(overrides);
    // Loaded when a command opens the store: commands over the API never need the database driver.
    const { openStore } = await import('../db/database.ts');
    const store = await openStore(config, note);
    return { store, config };
  } catch (err) {
    fail(err);
  }
}

/** Opens the store the options name, runs `fn`, always closes it; a failure is one line and exit code 1. */
export async function withCliStore(
  opts: StoreOptions,
  fn: (store: Store, config: Config) => Promise<void>,
): Promise<void> {
  const { store, config } = await openCliStore(storeOverrides(opts));
  try {
    await fn(store, config);
  } catch (err) {
    await store.close().catch(() => undefined);
    fail(err);
  }
  await store.close();
}
