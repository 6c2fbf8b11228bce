// The operator's `partnerdesk partner …` commands, run as a child process against a test database, and the
// printed temporary password used through the API afterwards.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/app.ts';
import { buildApp } from '../src/app.ts';
import type { Store } from '../src/db/database.ts';
import { openStore } from '../src/db/database.ts';
import type { CliRun } from './helpers/child.ts';
import { runDatabaseCli } from './helpers/child.ts';
import type { TestDatabase } from './helpers/db.ts';
import { createTestDatabase, testConfig } from './helpers/db.ts';
import { bearer, createPartnerWithAdmin } from './helpers/factories.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

describe('partnerdesk partner (CLI)', () => {
  let db: TestDatabase;
  let store: Store;
  let app: App;

  const cli = (args: string[], env: Record<string, string> = {}) =>
    runDatabaseCli(args, { cwd: root, databaseUrl: db.url, env });

  const signIn = (userName: string, password: string) =>
    app.inject({ method: 'POST', url: '/v1/auth/token', payload: { userName, password } });

  beforeAll(async () => {
    db = await createTestDatabase();
    const config = testConfig(db.url);
    store = await openStore(config, () => undefined);
    app = await buildApp({ config, store, logger: false });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await store?.close();
    await db?.drop();
  });

  it('creates a partner whose admin signs in with the printed password and must change it first', async () => {
    const run = await cli([
      'partner',
      'create',
      '--name',
      'Contoso Cloud',
      '--country',
      'de',
      '--instance',
      'global',
      '--kind',
      'indirectProvider',
      '--admin-email',
      'Admin@Contoso-Cloud.example',
      '--admin-name',
      'Contoso Admin',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const partnerId = new RegExp(`Partner ID: (${UUID.source})`).exec(run.stdout)?.[1];
    expect(partnerId).toBeDefined();
    expect(run.stdout).toContain('Global admin: admin@contoso-cloud.example');
    expect(run.stdout).toMatch(/must be changed at first sign-in/);
    const password = /Temporary password: (\S+)/.exec(run.stdout)?.[1];
    expect(password).toHaveLength(20);

    const partner = await store.owner
      .selectFrom('partners')
      .selectAll()
      .where('id', '=', partnerId!)
      .executeTakeFirstOrThrow();
    expect(partner).toMatchObject({
      name: 'Contoso Cloud',
      country: 'DE',
      instance: 'global',
      kind: 'indirectProvider',
    });

    const signedIn = await signIn('admin@contoso-cloud.example', password!);
    expect(signedIn.statusCode).toBe(200);
    const token = signedIn.json().access_token as string;
    const blocked = await app.inject({ method: 'GET', url: '/v1/partnerusers', headers: bearer(token) });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().name).toBe('passwordChangeRequired');
    const change = await app.inject({
      method: 'POST',
      url: '/v1/profiles/me/password',
      headers: bearer(token),
      payload: { currentPassword: password, newPassword: 'Fluffy-Clouds-2026' },
    });
    expect(change.statusCode).toBe(204);
    const users = await app.inject({ method: 'GET', url: '/v1/partnerusers', headers: bearer(token) });
    expect(users.statusCode).toBe(200);
    expect(users.json().items).toEqual([
      expect.objectContaining({
        userName: 'admin@contoso-cloud.example',
        displayName: 'Contoso Admin',
        roles: ['globalAdmin'],
      }),
    ]);
  });

  it('takes every option from the environment too, and lists partners and users', async () => {
    const run = await cli(['partner', 'create'], {
      PARTNERDESK_PARTNER_NAME: 'Fabrikam Gov',
      PARTNERDESK_PARTNER_COUNTRY: 'US',
      PARTNERDESK_PARTNER_INSTANCE: 'usgov',
      PARTNERDESK_PARTNER_KIND: 'direct',
      PARTNERDESK_ADMIN_EMAIL: 'ops@fabrikam.example',
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Global admin: ops@fabrikam.example');

    const list = await cli(['partner', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/Fabrikam Gov\s+usgov\s+direct\s+US\s+active/);

    const users = await cli(['partner', 'users', 'list', '--partner', 'fabrikam gov']);
    expect(users.code).toBe(0);
    expect(users.stdout).toMatch(/ops@fabrikam\.example\s+ops\s+globalAdmin\s+active\s+yes/);
  });

  it('resets a user password: a new temporary password, the old sessions end', async () => {
    const created = await cli([
      'partner',
      'create',
      '--name',
      'Reset Co',
      '--country',
      'GB',
      '--instance',
      'global',
      '--kind',
      'direct',
      '--admin-email',
      'admin@reset.example',
    ]);
    const first = /Temporary password: (\S+)/.exec(created.stdout)![1]!;
    const token = (await signIn('admin@reset.example', first)).json().access_token as string;

    const reset = await cli(['partner', 'users', 'reset-password'], {
      PARTNERDESK_RESET_USER: 'ADMIN@reset.example',
    });
    expect(reset.code).toBe(0);
    const second = /Temporary password: (\S+)/.exec(reset.stdout)?.[1];
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
    expect(
      (await app.inject({ method: 'GET', url: '/v1/profiles/me', headers: bearer(token) })).statusCode,
    ).toBe(401);
    expect((await signIn('admin@reset.example', first)).statusCode).toBe(401);
    expect((await signIn('admin@reset.example', second!)).statusCode).toBe(200);
  });

  it('refuses bad input with one line on stderr and exit code 1', async () => {
    const { admin } = await createPartnerWithAdmin(store);
    const cases: [string[], RegExp][] = [
      [
        [
          'partner',
          'create',
          '--name',
          'X',
          '--country',
          'USA',
          '--instance',
          'global',
          '--kind',
          'direct',
          '--admin-email',
          'a@x.example',
        ],
        /country/,
      ],
      [
        [
          'partner',
          'create',
          '--name',
          'X',
          '--country',
          'US',
          '--instance',
          'mars',
          '--kind',
          'direct',
          '--admin-email',
          'a@x.example',
        ],
        /instance must be one of global, usgov, germany/,
      ],
      [
        ['partner', 'create', '--name', 'X', '--country', 'US', '--instance', 'global', '--kind', 'direct'],
        /--admin-email is required/,
      ],
      [
        [
          'partner',
          'create',
          '--name',
          'Dup',
          '--country',
          'US',
          '--instance',
          'global',
          '--kind',
          'direct',
          '--admin-email',
          admin.userName,
        ],
        /already exists/,
      ],
      [
        ['partner', 'users', 'list', '--partner', 'No Such Partner'],
        /no partner with id or name "No Such Partner"/,
      ],
      [
        ['partner', 'users', 'reset-password', '--user', 'nobody@nowhere.example'],
        /no partner user "nobody@nowhere.example"/,
      ],
    ];
    // One after the other: concurrent start-ups would race on the app role's grants.
    const runs: CliRun[] = [];
    for (const [args] of cases) runs.push(await cli(args));
    runs.forEach((run, i) => {
      expect(run.code, cases[i]![0].join(' ')).toBe(1);
      expect(run.stderr).toMatch(cases[i]![1]);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stdout).toBe('');
    });
    const partners = await store.owner.selectFrom('partners').select('name').execute();
    expect(partners.map((p) => p.name)).not.toContain('X');
    expect(partners.map((p) => p.name)).not.toContain('Dup');
  });
});
