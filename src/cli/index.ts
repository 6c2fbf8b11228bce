// The `partnerdesk` command: serve, migrate, seed and the operator's partner commands. Every option can also
// come from the environment variable named in its help. bin/partnerdesk.js calls main(); importing this
// module parses nothing.
import fs from 'node:fs';
import { Command, Option } from 'commander';
import { configVariables } from '../config.ts';
import type { StoreOptions } from './common.ts';
import { registerBillingCommands } from './billing.commands.ts';
import { configWith, fail, note, out, storeOptions, withCliStore } from './common.ts';
import { registerCustomerCommands } from './customers.commands.ts';
import { registerOfferCommands } from './offers.commands.ts';
import { registerPartnerCommands } from './partner.commands.ts';
import { registerSubscriptionCommands } from './subscriptions.commands.ts';
import { registerSupportCommands } from './support.commands.ts';
import { registerTransferCommands } from './transfers.commands.ts';
import { registerUserCommands } from './users.commands.ts';

function version(): string {
  const pkg = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** `--demo` → on, `--no-demo` → off, `--demo <value>` or PARTNERDESK_DEMO → that value (checked by config). */
function demoSetting(demo: boolean | string | undefined): string | undefined {
  if (demo === undefined || typeof demo === 'string') return demo;
  return demo ? '1' : '0';
}

export function buildProgram(): Command {
  const program = new Command('partnerdesk')
    .description('Partnerdesk: manage cloud reseller partners and their customer accounts')
    .version(version())
    .showHelpAfterError();

  storeOptions(
    program
      .command('serve')
      .description('serve the console and the API until stopped (Ctrl-C or SIGTERM stop it gracefully)')
      .addOption(new Option('-p, --port <port>', 'port to listen on (0: any free port)').env('PORT'))
      .addOption(new Option('--host <host>', 'address to listen on').env('HOST'))
      .addOption(
        new Option('--log-level <level>', 'fatal, error, warn, info, debug, trace or silent').env(
          'LOG_LEVEL',
        ),
      )
      // A value option carries the environment variable (commander reads a bare flag's variable as "set").
      .addOption(
        new Option(
          '--demo [on|off]',
          'seed the demo partners on first start with an empty store (default: on)',
        ).env('PARTNERDESK_DEMO'),
      )
      .addOption(new Option('--no-demo', 'do not seed the demo partners')),
  )
    .addHelpText(
      'after',
      `\nEvery setting can also come from the environment: ${configVariables.join(', ')}.\nSee the README for each.`,
    )
    .action(
      async (
        opts: StoreOptions & { port?: string; host?: string; logLevel?: string; demo?: boolean | string },
      ) => {
        let config;
        try {
          config = configWith({
            PORT: opts.port,
            HOST: opts.host,
            LOG_LEVEL: opts.logLevel,
            DATABASE_URL: opts.databaseUrl,
            DATA_DIR: opts.dataDir,
            PARTNERDESK_DEMO: demoSetting(opts.demo),
          });
        } catch (err) {
          fail(err);
        }
        try {
          // Loaded here, not at the top: the API commands start without the server's whole module graph.
          const { runServer } = await import('../main.ts');
          await runServer(config, { out, err: (line) => process.stderr.write(`${line}\n`) });
        } catch (err) {
          fail(err);
        }
      },
    );

  storeOptions(program.command('migrate').description('apply pending database migrations and exit')).action(
    async (opts: StoreOptions) => {
      await withCliStore(opts, async () => undefined);
      out('Database is migrated to the latest version.');
    },
  );

  storeOptions(
    program
      .command('seed')
      .description(
        'add the demo offer catalog, partners and users (Demo Reseller, Northwind Cloud) to the store; safe to repeat',
      ),
  ).action(async (opts: StoreOptions) => {
    await withCliStore(opts, async (store, config) => {
      note('Seeding the demo data…');
      const { seedDemo, seedDepsFor } = await import('../demo/seed.ts');
      const result = await seedDemo(seedDepsFor(store, config));
      for (const line of result.created) out(`Created ${line}`);
      for (const line of result.existing) out(`Already exists: ${line}`);
      out(
        result.created.length === 0
          ? 'The demo data already exists; nothing to do.'
          : `Demo data seeded: ${result.created.length} created, ${result.existing.length} already there.`,
      );
    });
  });

  registerPartnerCommands(program);
  registerCustomerCommands(program);
  registerOfferCommands(program);
  registerSubscriptionCommands(program);
  registerUserCommands(program);
  registerTransferCommands(program);
  registerBillingCommands(program);
  registerSupportCommands(program);
  return program;
}

/** Runs the command line; a failure is one line on stderr and exit code 1. */
export async function main(argv: string[] = process.argv): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (err) {
    fail(err);
  }
}
