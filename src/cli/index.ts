// The `partnerdesk` command. Every option can also come from the environment variable named in its help.
import { Command, Option } from 'commander';
import { ConfigError, environmentWith, loadConfig } from '../config.ts';
import type { Config } from '../config.ts';
import { openStore } from '../db/database.ts';
import { serve } from '../main.ts';

/** Config from the environment with command-line overrides applied on top. */
export function configWith(overrides: Record<string, string | undefined>): Config {
  return loadConfig(environmentWith(overrides));
}

export function fail(message: string): never {
  process.stderr.write(`partnerdesk: ${message}\n`);
  process.exit(1);
}

export const program = new Command('partnerdesk')
  .description('Partnerdesk: manage cloud reseller partners and their customer accounts')
  .showHelpAfterError();

const dbOptions = (cmd: Command) =>
  cmd
    .addOption(new Option('--database-url <url>', 'PostgreSQL server (unset: embedded)').env('DATABASE_URL'))
    .addOption(
      new Option('--data-dir <dir>', 'where the embedded PostgreSQL keeps its data').env('DATA_DIR'),
    );

dbOptions(
  program
    .command('serve')
    .description('serve the console and the API')
    .addOption(new Option('-p, --port <port>', 'port to listen on').env('PORT'))
    .addOption(new Option('--host <host>', 'address to listen on').env('HOST'))
    .addOption(new Option('--no-demo', 'do not seed the demo partners on first start')),
).action(
  async (opts: { port?: string; host?: string; databaseUrl?: string; dataDir?: string; demo: boolean }) => {
    const config = configWith({
      PORT: opts.port,
      HOST: opts.host,
      DATABASE_URL: opts.databaseUrl,
      DATA_DIR: opts.dataDir,
      PARTNERDESK_DEMO: opts.demo ? undefined : '0',
    });
    const running = await serve(config);
    process.stdout.write(`Partnerdesk is ready on ${running.url}\n`);
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      process.stdout.write(`${signal} received: shutting down…\n`);
      running.close().then(
        () => process.exit(0),
        (err: unknown) => {
          process.stderr.write(`shutdown failed: ${String(err)}\n`);
          process.exit(1);
        },
      );
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
  },
);

dbOptions(program.command('migrate').description('apply pending database migrations and exit')).action(
  async (opts: { databaseUrl?: string; dataDir?: string }) => {
    const config = configWith({ DATABASE_URL: opts.databaseUrl, DATA_DIR: opts.dataDir });
    const store = await openStore(config, (line) => process.stdout.write(`${line}\n`));
    await store.close();
    process.stdout.write('Database is migrated to the latest version.\n');
  },
);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof ConfigError) fail(err.message);
  fail(err instanceof Error ? err.message : String(err));
}
