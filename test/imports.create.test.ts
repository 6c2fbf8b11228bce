// Creating the users of a file (PRODUCT.md feature 8): the import runs to completed as a background job, the
// users exist with no directory role and the chosen location, the results file repeats the upload with each
// row's outcome, the temporary passwords can be downloaded once and sign in; the same upload twice is one
// import; rows that cannot be created when their turn comes are reported, not lost; workers that overlap or
// stop part-way never create a user twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inPartnerTransaction } from '../src/db/database.ts';
import { systemClock } from '../src/lib/clock.ts';
import { createCountriesService } from '../src/modules/countries/countries.service.ts';
import { createCustomersService } from '../src/modules/customers/customers.service.ts';
import { createInstanceService } from '../src/modules/instances/instances.ts';
import {
  createUserImportsService,
  importPasswordsKey,
} from '../src/modules/userImports/userImports.service.ts';
import { createUserImportWorker } from '../src/modules/userImports/userImports.worker.ts';
import type { UserImportWorker } from '../src/modules/userImports/userImports.worker.ts';
import type { TestApp } from './helpers/app.ts';
import { createTestApp } from './helpers/app.ts';
import { insertCustomer } from './helpers/customers.ts';
import type { TestUser } from './helpers/factories.ts';
import { bearer, createPartnerWithAdmin } from './helpers/factories.ts';
import type { UserImport } from './helpers/imports.ts';
import { csvOf, uploadCsv, usersAt, waitForImport } from './helpers/imports.ts';
import { insertCustomerUser, insertRelationship, signInCustomer } from './helpers/relationships.ts';

let t: TestApp;
let admin: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  admin = (await createPartnerWithAdmin(t.store)).admin;
});
afterAll(() => t?.close());

const importUrl = (customerId: string, id: string) => `/v1/customers/${customerId}/users/imports/${id}`;

async function create(app: TestApp, token: string, customerId: string, file: string, usageLocation = 'US') {
  const r = await uploadCsv(app.app, token, customerId, file, {
    mode: 'create',
    usageLocation,
    fileName: 'staff.csv',
  });
  expect([200, 202], r.body).toContain(r.statusCode);
  return r.json<UserImport>();
}

/** The import's users as the directory has them. */
function usersOf(app: TestApp, importId: string) {
  return app.store.owner
    .selectFrom('customer_users')
    .select([
      'id',
      'user_name',
      'display_name',
      'first_name',
      'last_name',
      'roles',
      'usage_location',
      'must_change_password',
      'state',
    ])
    .where('import_id', '=', importId)
    .orderBy('user_name')
    .execute();
}

/**
 * Every row of the import against the directory: a created row's user exists once and is the row's; a failed
 * row has a reason and made no user of the import; the counters agree.
 */
async function expectConsistent(app: TestApp, importId: string) {
  const db = app.store.owner;
  const imp = await db
    .selectFrom('user_imports')
    .selectAll()
    .where('id', '=', importId)
    .executeTakeFirstOrThrow();
  const rows = await db
    .selectFrom('user_import_rows')
    .selectAll()
    .where('import_id', '=', importId)
    .execute();
  const users = await db
    .selectFrom('customer_users')
    .select(['id', 'user_name', 'import_id'])
    .where(
      'user_name',
      'in',
      rows.map((r) => r.user_name).filter((n) => n !== ''),
    )
    .execute();
  const byName = new Map<string, typeof users>();
  for (const u of users) byName.set(u.user_name, [...(byName.get(u.user_name) ?? []), u]);
  for (const row of rows) {
    if (row.status === 'created') {
      expect(byName.get(row.user_name), row.user_name).toHaveLength(1);
      expect(byName.get(row.user_name)![0]!.id).toBe(row.user_id);
      expect(byName.get(row.user_name)![0]!.import_id).toBe(importId);
    } else {
      expect(row.status).toBe('failed');
      expect(row.message).toBeTruthy();
      expect((byName.get(row.user_name) ?? []).filter((u) => u.import_id === importId)).toEqual([]);
    }
  }
  const created = rows.filter((r) => r.status === 'created').length;
  expect(imp.created_count).toBe(created);
  expect(imp.failed_count).toBe(rows.length - created);
  expect(imp.rows_done).toBe(rows.length);
  expect(imp.total_rows).toBe(rows.length);
  const made = await db
    .selectFrom('customer_users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('import_id', '=', importId)
    .executeTakeFirstOrThrow();
  expect(Number(made.n)).toBe(created);
}

describe('an import creates its users', () => {
  it('runs to completed; users have no directory role, the location, a password to change', async () => {
    const c = await insertCustomer(t.store, admin.partnerId);
    const good = usersAt(c.domain, 25);
    const file = csvOf([
      ...good,
      ['', '', '', `nodisplay@${c.domain}`, ''],
      ['', '', 'Wrong', 'w@fabrikam.example', ''],
    ]);
    const started = await create(t, admin.token, c.id, file, 'DE');
    const done = await waitForImport(t.app, admin.token, c.id, started.id);
    expect(done).toMatchObject({
      state: 'completed',
      totalRows: 27,
      rowsDone: 27,
      created: 25,
      failed: 2,
      percentComplete: 100,
      passwordsAvailable: true,
      passwordsDownloadedTime: null,
    });
    expect(Date.parse(done.startedTime as string)).toBeGreaterThanOrEqual(
      Date.parse(done.createdTime as string),
    );
    expect(Date.parse(done.completedTime as string)).toBeGreaterThanOrEqual(
      Date.parse(done.startedTime as string),
    );
    const users = await usersOf(t, started.id);
    expect(users).toHaveLength(25);
    for (const u of users) {
      expect(u).toMatchObject({
        roles: [],
        usage_location: 'DE',
        must_change_password: true,
        state: 'active',
      });
    }
    const first = users.find((u) => u.user_name === good[0]![3])!;
    expect(first).toMatchObject({ first_name: 'First0', last_name: 'Last0', display_name: good[0]![2] });
    await expectConsistent(t, started.id);

    // One activity record for the whole import, with its counts and never a password.
    const activity = await t.store.owner
      .selectFrom('activity_records')
      .selectAll()
      .where('resource_id', '=', started.id)
      .execute();
    expect(activity).toHaveLength(1);
    expect(activity[0]).toMatchObject({
      action: 'customerUser.import',
      resource_type: 'UserImport',
      customer_id: c.id,
      status: 'succeeded',
      actor_id: admin.id,
    });
    expect(activity[0]!.details).toMatchObject({ fileName: 'staff.csv', created: 25, failed: 2 });
  });

  it('creates 10,000 users', async () => {
    const c = await insertCustomer(t.store, admin.partnerId);
    const started = await create(t, admin.token, c.id, csvOf(usersAt(c.domain, 10_000)));
    const t0 = performance.now();
    const done = await waitForImport(t.app, admin.token, c.id, started.id, 120_000);
    console.info(`10,000 users created in ${Math.round(performance.now() - t0)} ms`);
    expect(done).toMatchObject({ state: 'completed', created: 10_000, failed: 0 });
    expect(await usersOf(t, started.id)).toHaveLength(10_000);
  }, 180_000);
});

describe('the results file', () => {
  it('repeats the upload (separator, BOM, header) with Status update filled per row', async () => {
    const c = await insertCustomer(t.store, admin.partnerId);
    const header = ['first name', 'last name', 'display name', 'email', 'status update'];
    const file = csvOf(
      [
        ['Jörg', 'Müller; Jr', 'Jörg Müller', `jm@${c.domain}`, ''],
        ['', '', '', `nodisplay@${c.domain}`, ''],
        ['=1+1', '', 'Formula', `formula@${c.domain}`, ''],
      ],
      { separator: ';', bom: true, header },
    );
    const started = await create(t, admin.token, c.id, file);
    await waitForImport(t.app, admin.token, c.id, started.id);
    const r = await t.app.inject({
      url: `${importUrl(c.id, started.id)}/results.csv`,
      headers: bearer(admin.token),
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(r.headers['content-disposition']).toBe('attachment; filename="staff-results.csv"');
    expect(r.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(r.body.replace(/^\uFEFF/, '').split('\r\n')).toEqual([
      'first name;last name;display name;email;status update',
      `Jörg;"Müller; Jr";Jörg Müller;jm@${c.domain};Created`,
      `;;;nodisplay@${c.domain};Display name: is required`,
      // A cell a spreadsheet would run as a formula is written as text.
      `'=1+1;;Formula;formula@${c.domain};Created`,
      '',
    ]);
  });
});

describe('the temporary passwords', () => {
  it('download once, sign in, and are erased; a second download is a 410', async () => {
    const c = await insertCustomer(t.store, admin.partnerId);
    const started = await create(t, admin.token, c.id, csvOf(usersAt(c.domain, 3)));
    await waitForImport(t.app, admin.token, c.id, started.id);
    const r = await t.app.inject({
      url: `${importUrl(c.id, started.id)}/passwords.csv`,
      headers: bearer(admin.token),
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['cache-control']).toBe('no-store');
    const [head, ...lines] = r.body.trimEnd().split('\r\n');
    expect(head).toBe('Display name,User name,Temporary password');
    expect(lines).toHaveLength(3);
    for (const line of lines) {
      const [, userName, password] = line.split(',');
      expect(password).toHaveLength(20);
      const session = await signInCustomer(t.app, userName!, password!);
      expect(session.mustChangePassword).toBe(true);
    }
    const again = await t.app.inject({
      url: `${importUrl(c.id, started.id)}/passwords.csv`,
      headers: bearer(admin.token),
    });
    expect(again.statusCode).toBe(410);
    expect(again.json()).toMatchObject({ name: 'passwordsAlreadyDownloaded' });
    const sealed = await t.store.owner
      .selectFrom('user_import_rows')
      .select('temporary_password')
      .where('import_id', '=', started.id)
      .execute();
    expect(sealed.map((s) => s.temporary_password)).toEqual([null, null, null]);
    const view = await t.app.inject({ url: importUrl(c.id, started.id), headers: bearer(admin.token) });
    expect(view.json()).toMatchObject({
      passwordsAvailable: false,
      passwordsDownloadedTime: expect.any(String),
    });
    // No activity record holds a password.
    const records = await t.store.owner.selectFrom('activity_records').select('details').execute();
    for (const line of lines) expect(JSON.stringify(records)).not.toContain(line.split(',')[2]);
  });

  it('a download cut off part-way erases nothing', async () => {
    const c = await insertCustomer(t.store, admin.partnerId);
    const started = await create(t, admin.token, c.id, csvOf(usersAt(c.domain, 3000)));
    await waitForImport(t.app, admin.token, c.id, started.id, 60_000);
    const countries = createCountriesService();
    const instances = createInstanceService(t.config);
    const service = createUserImportsService({
      db: t.store.app,
      clock: systemClock,
      config: t.config,
      instances,
      countries,
      customers: createCustomersService({ db: t.store.app, clock: systemClock, instances, countries }),
      passwordKey: importPasswordsKey(t.store.ownerUrl),
    });
    const ctx = {
      partnerId: admin.partnerId,
      instance: 'global' as const,
      userId: admin.id,
      userName: admin.userName,
      roles: admin.roles,
      credential: { kind: 'bearer' as const, id: 'test' },
    };
    const { stream } = await service.passwordsCsv(ctx, c.id, started.id);
    await new Promise<void>((resolve) => stream.once('data', () => resolve()));
    stream.destroy();
    // The reader went away: its transaction rolls back, and the next download (which waits for that
    // transaction's lock on the import) has every password.
    const full = await t.app.inject({
      url: `${importUrl(c.id, started.id)}/passwords.csv`,
      headers: bearer(admin.token),
    });
    expect(full.body.trimEnd().split('\r\n')).toHaveLength(3001);
  });
});

describe('the same upload again', () => {
  it('is the same import (200), and no user is created twice', async () => {
    const c = await insertCustomer(t.store, admin.partnerId);
    const file = csvOf(usersAt(c.domain, 40));
    const first = await uploadCsv(t.app, admin.token, c.id, file, { mode: 'create', usageLocation: 'US' });
    const second = await uploadCsv(t.app, admin.token, c.id, file, { mode: 'create', usageLocation: 'US' });
    expect(first.statusCode).toBe(202);
    expect(second.statusCode, second.body).toBe(200);
    expect(second.json().id).toBe(first.json().id);
    expect(second.headers.location).toBe(first.headers.location);
    await waitForImport(t.app, admin.token, c.id, first.json().id);
    const third = await uploadCsv(t.app, admin.token, c.id, file, { mode: 'create', usageLocation: 'US' });
    expect(third.json()).toMatchObject({ id: first.json().id, state: 'completed' });
    // The same file for another location is another import, whose rows are all taken by now.
    const elsewhere = await uploadCsv(t.app, admin.token, c.id, file, {
      mode: 'create',
      usageLocation: 'CA',
    });
    expect(elsewhere.statusCode).toBe(202);
    expect(elsewhere.json()).toMatchObject({ failed: 40, rowsDone: 40 });
    const list = await t.app.inject({
      url: `/v1/customers/${c.id}/users/imports`,
      headers: bearer(admin.token),
    });
    expect(list.json().items.map((i: UserImport) => i.id)).toEqual([elsewhere.json().id, first.json().id]);
    const users = await t.store.owner
      .selectFrom('customer_users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('customer_id', '=', c.id)
      .executeTakeFirstOrThrow();
    expect(Number(users.n)).toBe(40);
  });

  it('with MS-RequestId: the same file replays the import; another file with the id is a 409, nothing written', async () => {
    const c = await insertCustomer(t.store, admin.partnerId);
    const id = `import-${c.id}`;
    const file = csvOf(usersAt(c.domain, 5));
    const headers = { 'ms-requestid': id };
    const first = await uploadCsv(t.app, admin.token, c.id, file, {
      mode: 'create',
      usageLocation: 'US',
      headers,
    });
    expect(first.statusCode).toBe(202);
    const again = await uploadCsv(t.app, admin.token, c.id, file, {
      mode: 'create',
      usageLocation: 'US',
      headers,
    });
    expect(again.statusCode, again.body).toBe(202);
    expect(again.headers['ms-idempotent-replay']).toBe('true');
    expect(again.json().id).toBe(first.json().id);
    const other = await uploadCsv(t.app, admin.token, c.id, csvOf(usersAt(c.domain, 5)), {
      mode: 'create',
      usageLocation: 'US',
      headers,
    });
    expect(other.statusCode, other.body).toBe(409);
    expect(other.json()).toMatchObject({ name: 'requestIdReused' });
    const imports = await t.store.owner
      .selectFrom('user_imports')
      .select('id')
      .where('customer_id', '=', c.id)
      .execute();
    expect(imports).toEqual([{ id: first.json().id }]);
    // An id used by another kind of write is taken too; a malformed one is refused before the file is read.
    const used = `used-${c.id}`;
    const json = await t.app.inject({
      method: 'PUT',
      url: `/v1/customers/${c.id}/profiles/company`,
      headers: { ...bearer(admin.token), 'ms-requestid': used },
      payload: { companyName: 'Renamed Ltd' },
    });
    expect(json.statusCode, json.body).toBeLessThan(500);
    const reused = await uploadCsv(t.app, admin.token, c.id, csvOf(usersAt(c.domain, 1)), {
      mode: 'create',
      usageLocation: 'US',
      headers: { 'ms-requestid': used },
    });
    expect(reused.statusCode).toBe(409);
    const malformed = await uploadCsv(t.app, admin.token, c.id, file, {
      mode: 'create',
      usageLocation: 'US',
      headers: { 'ms-requestid': 'not ok' },
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ name: 'invalidRequestId' });
  });
});

describe('another partner', () => {
  it('finds neither the imports nor their files', async () => {
    const c = await insertCustomer(t.store, admin.partnerId);
    const started = await create(t, admin.token, c.id, csvOf(usersAt(c.domain, 2)));
    await waitForImport(t.app, admin.token, c.id, started.id);
    const other = await createPartnerWithAdmin(t.store);
    // Also with a customer of its own in the path: the import is not its.
    const own = await insertCustomer(t.store, other.partner.id);
    for (const customerId of [c.id, own.id])
      for (const suffix of ['', '/results.csv', '/passwords.csv']) {
        const r = await t.app.inject({
          url: `${importUrl(customerId, started.id)}${suffix}`,
          headers: bearer(other.admin.token),
        });
        expect(r.statusCode, `${customerId}${suffix}`).toBe(404);
        expect(r.body).not.toContain(c.domain);
      }
    const list = await t.app.inject({
      url: `/v1/customers/${own.id}/users/imports`,
      headers: bearer(other.admin.token),
    });
    expect(list.json()).toMatchObject({ totalCount: 0, items: [] });
  });

  it('sending the same file for a customer both serve gets an import of its own, learning nothing of the first', async () => {
    const c = await insertCustomer(t.store, admin.partnerId);
    const file = csvOf(usersAt(c.domain, 3));
    const first = await create(t, admin.token, c.id, file);
    await waitForImport(t.app, admin.token, c.id, first.id);
    const other = await createPartnerWithAdmin(t.store);
    await insertRelationship(t.store, other.partner.id, c.id);

    const r = await uploadCsv(t.app, other.admin.token, c.id, file, {
      mode: 'create',
      usageLocation: 'US',
      fileName: 'staff.csv',
    });
    expect(r.statusCode, r.body).toBe(202);
    const second = r.json<UserImport>();
    expect(second.id).not.toBe(first.id);
    const done = await waitForImport(t.app, other.admin.token, c.id, second.id);
    // The users exist in the customer's directory (which both partners see): each row says so, nobody twice.
    expect(done).toMatchObject({ state: 'completed', created: 0, failed: 3 });
    const users = await t.store.owner
      .selectFrom('customer_users')
      .select(({ fn }) => fn.countAll<string>().as('n'))
      .where('customer_id', '=', c.id)
      .where('import_id', '=', first.id)
      .executeTakeFirstOrThrow();
    expect(Number(users.n)).toBe(3);
  });
});

describe('a worker driven by hand', () => {
  let h: TestApp;
  let owner: TestUser;
  const workers: UserImportWorker[] = [];
  const worker = (batchSize: number, leaseSeconds = 30) => {
    const w = createUserImportWorker({
      owner: h.store.owner,
      db: h.store.app,
      clock: systemClock,
      settings: { batchSize, leaseSeconds },
      passwordKey: importPasswordsKey(h.store.ownerUrl),
      log: { info: () => undefined, error: () => undefined },
      pollMs: 50,
    });
    workers.push(w);
    return w;
  };
  beforeAll(async () => {
    h = await createTestApp({ userImportWorker: false });
    owner = (await createPartnerWithAdmin(h.store)).admin;
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await h?.close();
  });

  it('results and passwords wait for the end (409) while the import is queued', async () => {
    const c = await insertCustomer(h.store, owner.partnerId);
    const started = await create(h, owner.token, c.id, csvOf(usersAt(c.domain, 2)));
    for (const file of ['results.csv', 'passwords.csv']) {
      const r = await h.app.inject({
        url: `${importUrl(c.id, started.id)}/${file}`,
        headers: bearer(owner.token),
      });
      expect(r.statusCode, file).toBe(409);
      expect(r.json()).toMatchObject({ name: 'importNotFinished' });
    }
    const w = worker(10);
    w.start();
    expect(await waitForImport(h.app, owner.token, c.id, started.id)).toMatchObject({
      state: 'completed',
      created: 2,
    });
    await w.stop();
  });

  it('a user name taken after the file was checked fails that row, with the reason', async () => {
    const c = await insertCustomer(h.store, owner.partnerId);
    const rows = usersAt(c.domain, 3);
    const started = await create(h, owner.token, c.id, csvOf(rows));
    // Someone adds the second user another way before the job reaches it.
    await insertCustomerUser(h.store, c.id, { userName: rows[1]![3]!, roles: [] });
    const w = worker(10);
    w.start();
    const done = await waitForImport(h.app, owner.token, c.id, started.id);
    await w.stop();
    expect(done).toMatchObject({ state: 'completed', created: 2, failed: 1 });
    await expectConsistent(h, started.id);
    const results = await h.app.inject({
      url: `${importUrl(c.id, started.id)}/results.csv`,
      headers: bearer(owner.token),
    });
    expect(results.body.split('\r\n')[2]).toContain(
      'Email: became a user of this customer after the file was checked',
    );
  });

  it('a relationship that ended fails the rows not done, and the import', async () => {
    const c = await insertCustomer(h.store, owner.partnerId);
    const started = await create(h, owner.token, c.id, csvOf(usersAt(c.domain, 4)));
    await h.store.owner
      .updateTable('customer_relationships')
      .set({ state: 'removed', removed_at: new Date() })
      .where('customer_id', '=', c.id)
      .execute();
    const w = worker(10);
    w.start();
    for (let i = 0; i < 200; i++) {
      const row = await h.store.owner
        .selectFrom('user_imports')
        .select('state')
        .where('id', '=', started.id)
        .executeTakeFirstOrThrow();
      if (row.state === 'failed') break;
      await new Promise((res) => setTimeout(res, 25));
    }
    await w.stop();
    const imp = await h.store.owner
      .selectFrom('user_imports')
      .selectAll()
      .where('id', '=', started.id)
      .executeTakeFirstOrThrow();
    expect(imp).toMatchObject({ state: 'failed', created_count: 0, failed_count: 4, rows_done: 4 });
    expect(imp.error).toContain('relationship');
    await expectConsistent(h, started.id);
    const activity = await h.store.owner
      .selectFrom('activity_records')
      .select(['action', 'status'])
      .where('resource_id', '=', started.id)
      .execute();
    expect(activity).toEqual([{ action: 'customerUser.import', status: 'failed' }]);
  });

  it('two workers on the same imports never create a user twice', async () => {
    const c = await insertCustomer(h.store, owner.partnerId);
    const a = await create(h, owner.token, c.id, csvOf(usersAt(c.domain, 300)));
    const b = await create(h, owner.token, c.id, csvOf(usersAt(c.domain, 300)));
    const w1 = worker(7);
    const w2 = worker(11);
    w1.start();
    w2.start();
    await waitForImport(h.app, owner.token, c.id, a.id);
    await waitForImport(h.app, owner.token, c.id, b.id);
    await Promise.all([w1.stop(), w2.stop()]);
    for (const imp of [a, b]) {
      await expectConsistent(h, imp.id);
      expect((await usersOf(h, imp.id)).length).toBe(300);
    }
  });

  it('a worker that stops hands its import back at once, and another finishes it', async () => {
    const c = await insertCustomer(h.store, owner.partnerId);
    const started = await create(h, owner.token, c.id, csvOf(usersAt(c.domain, 2000)));
    const first = worker(5);
    first.start();
    for (;;) {
      const row = await h.store.owner
        .selectFrom('user_imports')
        .select('rows_done')
        .where('id', '=', started.id)
        .executeTakeFirstOrThrow();
      if (row.rows_done > 0) break;
      await new Promise((res) => setTimeout(res, 10));
    }
    await first.stop();
    const handed = await h.store.owner
      .selectFrom('user_imports')
      .select(['state', 'lease_owner', 'lease_until', 'rows_done'])
      .where('id', '=', started.id)
      .executeTakeFirstOrThrow();
    expect(handed).toMatchObject({ state: 'running', lease_owner: null, lease_until: null });
    expect(handed.rows_done).toBeLessThan(2000);
    // A lease of 30 s would hold it; handed back, the next worker takes it at once.
    const second = worker(500);
    second.start();
    expect(await waitForImport(h.app, owner.token, c.id, started.id, 30_000)).toMatchObject({
      state: 'completed',
      created: 2000,
    });
    await second.stop();
    await expectConsistent(h, started.id);
  });
});

// Not a unit under test: checks the row-level security the worker relies on keeps imports to their partner.
describe('row-level security', () => {
  it('a partner’s transaction sees only its own imports', async () => {
    const c = await insertCustomer(t.store, admin.partnerId);
    await create(t, admin.token, c.id, csvOf(usersAt(c.domain, 1)));
    const other = await createPartnerWithAdmin(t.store);
    const seen = await inPartnerTransaction(t.store.app, other.partner.id, (trx) =>
      trx.selectFrom('user_imports').select('id').execute(),
    );
    expect(seen).toEqual([]);
  });
});
