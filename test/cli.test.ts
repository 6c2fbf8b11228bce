// The `partnerdesk` command line: help everywhere, options from the environment, `seed` idempotent,
// `migrate`, `serve --no-demo`, and configuration errors as one line.
import type { SpawnOptions } from 'node:child_process';
import { spawn } from 'node:child_process';
import type { Command } from 'commander';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../src/lib/passwords.ts';
import type { TestDatabase } from './helpers/db.ts';
import { createTestDatabase } from './helpers/db.ts';
import { BIN, childEnv } from './helpers/child.ts';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], env: Record<string, string> = {}, opts: SpawnOptions = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: childEnv(env), ...opts });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += String(d)));
    child.stderr!.on('data', (d) => (stderr += String(d)));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('partnerdesk CLI', () => {
  let db: TestDatabase;
  let client: pg.Client;

  beforeAll(async () => {
    db = await createTestDatabase();
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  it('can be imported without running (helpers for other command modules)', async () => {
    const cli = await import('../src/cli/index.ts');
    const names = cli.buildProgram().commands.map((c) => c.name());
    expect(names).toEqual(expect.arrayContaining(['serve', 'migrate', 'seed', 'partner', 'customers']));
  });

  it('has --help on every command, naming the environment variable of each option', async () => {
    const top = await run(['--help']);
    expect(top.code).toBe(0);
    for (const cmd of ['serve', 'migrate', 'seed', 'partner', 'customers']) expect(top.stdout).toContain(cmd);

    // Every command, at any depth, from the program itself (one process per command would be slow).
    const { buildProgram } = await import('../src/cli/index.ts');
    const all: Command[] = [];
    const walk = (c: Command) => c.commands.forEach((sub) => (all.push(sub), walk(sub)));
    walk(buildProgram());
    expect(all.length).toBeGreaterThanOrEqual(4);
    for (const cmd of all) {
      const help = cmd.helpInformation().replace(/\s+/g, ' '); // help wraps to the terminal width
      expect(help, cmd.name()).toContain('-h, --help');
      for (const option of cmd.options) {
        if (option.negate || option.long === '--help') continue; // --no-x pairs with --x, which names it
        expect(option.envVar, `${cmd.name()} ${option.long}`).toBeTruthy();
        expect(help, `${cmd.name()} ${option.long}`).toContain(`(env: ${option.envVar})`);
      }
    }
    const serve = all
      .find((c) => c.name() === 'serve')!
      .helpInformation()
      .replace(/\s+/g, ' ');
    for (const v of ['PORT', 'HOST', 'LOG_LEVEL', 'PARTNERDESK_DEMO', 'DATABASE_URL', 'DATA_DIR'])
      expect(serve).toContain(`(env: ${v})`);
    expect(serve).toContain('--no-demo');
    // The API commands: each names where it connects and how it signs in.
    const customerCommands = ['list', 'show', 'create', 'export', 'invite', 'remove-relationship'];
    for (const name of customerCommands) {
      const cmd = all.find((c) => c.name() === name && c.parent?.name() === 'customers');
      expect(cmd, name).toBeDefined();
      const help = cmd!.helpInformation().replace(/\s+/g, ' ');
      for (const v of ['PARTNERDESK_URL', 'PARTNERDESK_TOKEN', 'PARTNERDESK_USER', 'PARTNERDESK_PASSWORD'])
        expect(help, `${name} ${v}`).toContain(`(env: ${v})`);
    }
  });

  it('prints a bad setting as one line naming the variable, and exits 1', async () => {
    const bad = await run(['migrate'], { DATABASE_URL: 'mysql://localhost/x' });
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^partnerdesk: .*DATABASE_URL/)]);
    const badOption = await run(['migrate', '--database-url', 'not a url']);
    expect(badOption.code).toBe(1);
    expect(badOption.stderr.trim().split('\n')).toEqual([expect.stringMatching(/DATABASE_URL/)]);
    const badDemo = await run(['serve', '--demo', 'maybe'], { DATABASE_URL: db.url, PORT: '0' });
    expect(badDemo.code).toBe(1);
    expect(badDemo.stderr.trim().split('\n')).toEqual([expect.stringMatching(/PARTNERDESK_DEMO/)]);
  });

  it('migrates a database given by option', async () => {
    const r = await run(['migrate', '--database-url', db.url]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Database is migrated to the latest version.');
  });

  it('serve --no-demo and PARTNERDESK_DEMO=off leave an empty store empty', async () => {
    for (const [args, env] of [
      [['serve', '--no-demo'], {}],
      [['serve'], { PARTNERDESK_DEMO: 'off' }],
    ] as [string[], Record<string, string>][]) {
      const child = spawn(process.execPath, [BIN, ...args], {
        env: childEnv({ DATABASE_URL: db.url, PORT: '0', ...env }),
      });
      let out = '';
      const ready = new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (d) => {
          out += String(d);
          const m = /ready on (\S+)/.exec(out);
          if (m) resolve(m[1]!);
        });
        child.on('exit', () => reject(new Error(`exited early: ${out}`)));
      });
      const url = await ready;
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
      expect(out).not.toContain('Demo');
      const exited = new Promise((r) => child.on('exit', (code) => r(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      const partners = await client.query('select count(*)::int as n from partners');
      expect(partners.rows[0].n).toBe(0);
    }
  });

  it('seeds the demo once, says so, and says it already exists the second time', async () => {
    const first = await run(['seed', '--database-url', db.url]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('Created partner Demo Reseller');
    expect(first.stdout).toContain('Created partner Northwind Cloud');
    expect(first.stdout).toContain('Created user sales@demo-reseller.example (salesAgent)');
    expect(first.stdout).toContain(
      'Created customer Contoso Pharmacy (contosopharmacy.onpartnerdesk.com) of Demo Reseller',
    );
    expect(first.stdout).toContain(
      'Created reseller relationship of Northwind Cloud with Contoso Pharmacy (accepted by its Global admin admin@contosopharmacy.onpartnerdesk.com)',
    );
    expect(first.stdout).toMatch(
      /Created billing history of Demo Reseller since \d{4}-\d{2}: \d+ usage records, \d+ invoices/,
    );
    expect(first.stdout).toMatch(
      /Created spending budget of Contoso Pharmacy: .* used so far \(its 80% alert raised\)/,
    );
    expect(first.stdout).toContain(
      'Created service request SR-000003 of Contoso Pharmacy: critical, open, overdue, 0 notes, 0 attachments',
    );
    expect(first.stdout).toMatch(/Demo data seeded: 24 created/);

    const partners = await client.query<{ name: string; instance: string; kind: string; country: string }>(
      'select name, instance, kind, country from partners order by name',
    );
    expect(partners.rows).toEqual([
      { name: 'Demo Reseller', instance: 'global', kind: 'direct', country: 'US' },
      { name: 'Northwind Cloud', instance: 'global', kind: 'indirectProvider', country: 'US' },
    ]);
    const users = await client.query<{
      user_name: string;
      roles: string[];
      must_change_password: boolean;
      password_hash: string;
      partner: string;
    }>(
      `select u.user_name, u.roles, u.must_change_password, u.password_hash, p.name as partner
         from partner_users u join partners p on p.id = u.partner_id order by u.user_name`,
    );
    expect(users.rows.map((u) => [u.user_name, u.partner, u.roles])).toEqual([
      ['admin@demo-reseller.example', 'Demo Reseller', ['globalAdmin']],
      ['admin@northwind-cloud.example', 'Northwind Cloud', ['globalAdmin']],
      ['billing@demo-reseller.example', 'Demo Reseller', ['billingAdmin']],
      ['helpdesk@demo-reseller.example', 'Demo Reseller', ['helpdeskAgent']],
      ['sales@demo-reseller.example', 'Demo Reseller', ['salesAgent']],
      ['usermanagement@demo-reseller.example', 'Demo Reseller', ['userManagementAdmin']],
    ]);
    for (const u of users.rows) {
      expect(u.must_change_password, u.user_name).toBe(false);
      expect(await verifyPassword(u.password_hash, 'Partnerdesk-demo-1'), u.user_name).toBe(true);
    }

    // The second run takes the database from the environment instead of the option.
    const again = await run(['seed'], { DATABASE_URL: db.url });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('The demo data already exists; nothing to do.');
    expect(again.stdout).toContain('Already exists: partner Demo Reseller');
    const count = await client.query('select count(*)::int as n from partner_users');
    expect(count.rows[0].n).toBe(6);
    expect(again.stdout).toContain(
      'Already exists: customer Brauerei Müller GmbH (brauereimueller.onpartnerdesk.com)',
    );
    // Demo customers: 8 of Demo Reseller (US, one Canadian, one German, one Russian), 2 of Northwind Cloud, and
    // Demo Reseller's Contoso Pharmacy related to Northwind Cloud too (the transfer demo).
    const customers = await client.query<{ partner: string; country: string; culture: string; n: number }>(
      `select p.name as partner, c.default_address->>'country' as country, c.culture, count(*)::int as n
         from customers c join customer_relationships r on r.customer_id = c.id join partners p on p.id = r.partner_id
        group by 1, 2, 3 order by 1, 2, 3`,
    );
    expect(customers.rows).toEqual([
      { partner: 'Demo Reseller', country: 'CA', culture: 'en-CA', n: 1 },
      { partner: 'Demo Reseller', country: 'DE', culture: 'de-DE', n: 1 },
      { partner: 'Demo Reseller', country: 'RU', culture: 'ru-RU', n: 1 },
      { partner: 'Demo Reseller', country: 'US', culture: 'en-US', n: 5 },
      { partner: 'Northwind Cloud', country: 'US', culture: 'en-US', n: 3 },
    ]);
    const agreements = await client.query('select count(*)::int as n from customer_agreements');
    expect(agreements.rows[0].n).toBe(5);
  });
});
