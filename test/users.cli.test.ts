// `partnerdesk users …` run as a child process against a real Partnerdesk listening on a free port: create
// (the one-time password printed, a refused name as one line with the API's code), list and search, delete and
// the deleted list, restore by user name, reset-password (the new password signs in, the old one does not), and
// import of a users file with --validate-only and with --location: progress, the results file beside the upload
// and the passwords file written once (mode 600), failures with exit code 1.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/app.ts';
import { buildApp } from '../src/app.ts';
import { runApiCli } from './helpers/child.ts';
import { createTestStore } from './helpers/db.ts';
import type { TestUser } from './helpers/factories.ts';
import { bearer, createPartnerWithAdmin } from './helpers/factories.ts';
import type { DirectoryCustomer } from './helpers/users.ts';
import { directoryCustomer, insertTestUsers, usersUrl } from './helpers/users.ts';

interface User {
  id: string;
  userPrincipalName: string;
  state: string;
  usageLocation: string | null;
}

describe('partnerdesk users (CLI over the API)', () => {
  let t: Awaited<ReturnType<typeof createTestStore>>;
  let app: App;
  let url: string;
  let admin: TestUser;
  let tmp: string;
  let customer: DirectoryCustomer;

  const cli = (args: string[], env: Record<string, string> = {}) =>
    runApiCli(['users', ...args], { cwd: tmp, url, token: admin.token, env });

  async function users(state = 'active'): Promise<User[]> {
    const r = await app.inject({
      method: 'GET',
      url: `${usersUrl(customer.id)}?state=${state}&size=1000`,
      headers: bearer(admin.token),
    });
    expect(r.statusCode, r.body).toBe(200);
    return (r.json() as { items: User[] }).items;
  }

  /** Signs in on the customer-facing pages; answers the HTTP status. */
  async function signIn(userName: string, password: string): Promise<number> {
    const r = await app.inject({
      method: 'POST',
      url: '/v1/customer/sessions',
      payload: { userName, password },
    });
    return r.statusCode;
  }

  beforeAll(async () => {
    t = await createTestStore();
    app = await buildApp({ config: t.config, store: t.store, logger: false });
    url = await app.listen({ port: 0, host: '127.0.0.1' });
    ({ admin } = await createPartnerWithAdmin(t.store));
    customer = await directoryCustomer(t.store, admin.partnerId);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'partnerdesk-users-'));
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('creates a user, printing its temporary password once, and that password signs in', async () => {
    const run = await cli([
      'create',
      customer.domain,
      '--user-name',
      `ana@${customer.domain}`,
      '--display-name',
      'Ana Lopez',
      '--location',
      'us',
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`Created ana@${customer.domain}`);
    const password = /Temporary password: (\S+)/.exec(run.stdout)?.[1];
    expect(password).toHaveLength(20);
    expect(run.stderr).toMatch(/shown this once/);
    const ana = (await users()).find((u) => u.userPrincipalName === `ana@${customer.domain}`);
    expect(ana?.usageLocation).toBe('US');
    expect(await signIn(`ana@${customer.domain}`, password!)).toBeLessThan(300);
  });

  it('says why a user cannot be created, with the code, and exits 1', async () => {
    const run = await cli([
      'create',
      customer.id,
      '--user-name',
      'bob@elsewhere.example',
      '--display-name',
      'Bob',
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^partnerdesk: .*userPrincipalName.*\[userNameDomainInvalid 101004\]\n$/);
    expect((await users()).map((u) => u.userPrincipalName)).not.toContain('bob@elsewhere.example');
  });

  it('lists and searches the users', async () => {
    const all = await cli(['list', customer.domain]);
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout).toContain(`admin@${customer.domain}`);
    expect(all.stdout).toContain(`ana@${customer.domain}`);
    const found = await cli(['list', customer.domain, '--search', 'lopez', '--json']);
    expect(found.code, found.stderr).toBe(0);
    expect((JSON.parse(found.stdout) as User[]).map((u) => u.userPrincipalName)).toEqual([
      `ana@${customer.domain}`,
    ]);
  });

  it('lists the first page with how to see the rest, and every page with --all', async () => {
    // 102 users: more than the API's default page of 100.
    const many = await directoryCustomer(t.store, admin.partnerId);
    await insertTestUsers(t.store, many, 101);
    const first = await cli(['list', many.domain]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout.trimEnd().split('\n').at(-1)).toBe('100 of 102');
    expect(first.stderr).toBe('More: add --all for every page.\n');
    const all = await cli(['list', many.domain, '--all']);
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout.trimEnd().split('\n').at(-1)).toBe('102 of 102');
    expect(all.stderr).toBe('');
    const json = await cli(['list', many.domain, '--all', '--json']);
    expect(new Set((JSON.parse(json.stdout) as User[]).map((u) => u.id)).size).toBe(102);
  });

  it('resets a password: the new one signs in, the old one no longer does', async () => {
    await cli(['create', customer.id, '--user-name', `cy@${customer.domain}`, '--display-name', 'Cy']).then(
      async (created) => {
        const old = /Temporary password: (\S+)/.exec(created.stdout)![1]!;
        const run = await cli(['reset-password', customer.domain, `cy@${customer.domain}`]);
        expect(run.code, run.stderr).toBe(0);
        const fresh = /Temporary password: (\S+)/.exec(run.stdout)?.[1];
        expect(fresh).toHaveLength(20);
        expect(fresh).not.toBe(old);
        expect(await signIn(`cy@${customer.domain}`, fresh!)).toBeLessThan(300);
        expect(await signIn(`cy@${customer.domain}`, old)).toBe(401);
      },
    );
  });

  it('deletes a user by name, lists it among the deleted, and restores it', async () => {
    const del = await cli(['delete', customer.domain, `ana@${customer.domain}`]);
    expect(del.code, del.stderr).toBe(0);
    expect(del.stdout).toMatch(/restorable for 30 days/);
    expect((await users('inactive')).map((u) => u.userPrincipalName)).toContain(`ana@${customer.domain}`);

    const deleted = await cli(['list', customer.domain, '--deleted']);
    expect(deleted.stdout).toContain(`ana@${customer.domain}`);
    expect(deleted.stdout).toMatch(/RESTORABLE UNTIL/);

    const restore = await cli(['restore', customer.domain, `ana@${customer.domain}`]);
    expect(restore.code, restore.stderr).toBe(0);
    expect(restore.stdout).toContain(`Restored ana@${customer.domain}`);
    expect((await users()).map((u) => u.userPrincipalName)).toContain(`ana@${customer.domain}`);
  });

  it('refuses to restore a user that is not deleted, with exit code 1', async () => {
    const run = await cli(['restore', customer.domain, `ana@${customer.domain}`]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/Not restored ana@/);
  });

  it('names a user that does not exist', async () => {
    const run = await cli(['delete', customer.domain, `nobody@${customer.domain}`]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`has no user nobody@${customer.domain}`);
  });

  describe('import', () => {
    const header = 'First name,Last name,Display name,Email,Status update';
    let file: string;

    beforeAll(() => {
      file = path.join(tmp, 'staff.csv');
      fs.writeFileSync(
        file,
        [
          header,
          `Eva,Stone,Eva Stone,eva@${customer.domain},`,
          `Finn,Hale,Finn Hale,finn@${customer.domain},`,
          `Gus,Reed,,gus@${customer.domain},`,
          `Hana,Ito,Hana Ito,hana@elsewhere.example,`,
        ].join('\r\n') + '\r\n',
      );
    });

    it('--validate-only lists each row problem, writes nothing and exits 1', async () => {
      const run = await cli(['import', customer.domain, file, '--validate-only']);
      expect(run.code).toBe(1);
      expect(run.stdout).toContain('4 rows: 2 valid, 2 with problems');
      expect(run.stdout).toMatch(/\n3\s+4\s+gus@\S+\s+Display name is required/);
      expect(run.stdout).toMatch(/\n4\s+5\s+hana@elsewhere\.example\s+Email must be at one of the customer/);
      expect((await users()).map((u) => u.userPrincipalName)).not.toContain(`eva@${customer.domain}`);
    });

    it('needs a location to create users', async () => {
      const run = await cli(['import', customer.domain, file]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/--location/);
    });

    it('creates the good rows, then writes the results file and the passwords file once', async () => {
      const run = await cli(['import', customer.domain, file, '--location', 'gb']);
      // Two rows failed: the run says so with its exit code, having created the others.
      expect(run.code, run.stderr).toBe(1);
      expect(run.stdout).toContain('completed: 2 created, 2 failed of 4');
      const results = fs.readFileSync(path.join(tmp, 'staff.results.csv'), 'utf8');
      expect(results.replace(/^\uFEFF/, '').split(/\r?\n/)[0]).toBe(header);
      expect(results).toMatch(new RegExp(`eva@${customer.domain.replace(/\./g, '\\.')},"?Created`));
      expect(results).toMatch(/gus@.*Display name/);
      const passwordsFile = path.join(tmp, 'staff.passwords.csv');
      expect(fs.statSync(passwordsFile).mode & 0o777).toBe(0o600);
      const lines = fs
        .readFileSync(passwordsFile, 'utf8')
        .replace(/^\uFEFF/, '')
        .trim()
        .split(/\r?\n/);
      expect(lines).toHaveLength(3);
      const eva = lines.find((l) => l.includes(`eva@${customer.domain}`))!;
      const password = eva.split(',').at(-1)!;
      expect(await signIn(`eva@${customer.domain}`, password)).toBeLessThan(300);
      const created = (await users()).filter((u) => /^(eva|finn)@/.test(u.userPrincipalName));
      expect(created.map((u) => u.usageLocation)).toEqual(['GB', 'GB']);
    });

    it('running the same import again creates nobody twice and cannot fetch the passwords again', async () => {
      const before = (await users()).length;
      const run = await cli(['import', customer.domain, file, '--location', 'GB']);
      expect(run.stderr).toMatch(/already imported/);
      expect(run.stderr).toMatch(/passwords of this import were already downloaded/);
      expect((await users()).length).toBe(before);
    });
  });
});
