// POST /v1/customers/{id}/users/imports: a users file through the API (PRODUCT.md feature 8). One bad file per
// rule, each answered as a user would read it; validate writes nothing; a refused file leaves nothing behind;
// text/csv and multipart/form-data alike; who may upload, where, and for which customer.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from './helpers/app.ts';
import { createTestApp } from './helpers/app.ts';
import { insertCustomer } from './helpers/customers.ts';
import type { TestUser } from './helpers/factories.ts';
import { bearer, createPartnerWithAdmin, createUser } from './helpers/factories.ts';
import { HEADER, csvOf, multipart, uploadCsv, uploadForm, usersAt } from './helpers/imports.ts';
import { insertCustomerUser } from './helpers/relationships.ts';

let t: TestApp;
let small: TestApp;
let admin: TestUser;
let customer: { id: string; name: string; domain: string };

beforeAll(async () => {
  // The worker is off here: nothing in this file needs users created, and rows stay as the upload left them.
  t = await createTestApp({ userImportWorker: false });
  small = await createTestApp({
    userImportWorker: false,
    env: { USERS_IMPORT_MAX_ROWS: '5', USERS_IMPORT_MAX_BYTES: '2048' },
  });
  const made = await createPartnerWithAdmin(t.store);
  admin = made.admin;
  customer = await insertCustomer(t.store, made.partner.id);
});
afterAll(async () => {
  await t?.close();
  await small?.close();
});

/** What the store holds of imports and the directory: must not change for a refused or validated file. */
async function written(app: TestApp, customerId: string) {
  const db = app.store.owner;
  const [imports, rows, users] = await Promise.all([
    db
      .selectFrom('user_imports')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('customer_id', '=', customerId)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('user_import_rows as r')
      .innerJoin('user_imports as i', 'i.id', 'r.import_id')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('i.customer_id', '=', customerId)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('customer_users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('customer_id', '=', customerId)
      .executeTakeFirstOrThrow(),
  ]);
  return { imports: Number(imports.n), rows: Number(rows.n), users: Number(users.n) };
}

/** The file is refused as a whole, in both modes, with the reason, and nothing is written. */
async function expectRefused(
  file: string | Buffer,
  reason: RegExp,
  app = t,
  token = admin.token,
  c = customer,
) {
  const before = await written(app, c.id);
  for (const mode of ['validate', 'create'] as const) {
    const r = await uploadCsv(app.app, token, c.id, file, { mode, usageLocation: 'US' });
    expect(r.statusCode, `${mode}: ${r.body}`).toBe(400);
    expect(r.json()).toMatchObject({ name: 'usersFileInvalid', code: 101001 });
    expect(r.json().details[0].reason).toMatch(reason);
  }
  expect(await written(app, c.id)).toEqual(before);
}

/** Validates `rows` and answers each reported row's issues, keyed by row number. */
async function rowIssues(rows: string[][], opts: Parameters<typeof csvOf>[1] = {}) {
  const r = await uploadCsv(t.app, admin.token, customer.id, csvOf(rows, opts), { mode: 'validate' });
  expect(r.statusCode, r.body).toBe(200);
  const body = r.json();
  expect(body).toMatchObject({ mode: 'validate', totalRows: rows.length });
  return {
    body,
    issues: Object.fromEntries(body.rows.map((x: { row: number; issues: unknown }) => [x.row, x.issues])),
  };
}

describe('a users file with a problem as a whole is refused, naming it, and nothing is written', () => {
  it('a missing column', async () => {
    await expectRefused('First name,Last name,Display name,Status update\r\nA,B,C,\r\n', /no "Email" column/);
  });

  it('an extra column, by its name', async () => {
    await expectRefused(
      csvOf([['A', 'B', 'Anna B', `anna@${customer.domain}`, '', 'Sales']], {
        header: [...HEADER, 'Department'],
      }),
      /"Department"/,
    );
  });

  it('columns out of order, or one twice', async () => {
    await expectRefused(`Email,First name,Last name,Display name,Status update\r\n`, /order/);
    await expectRefused(`${HEADER.join(',')},Email\r\n`, /"Email"/);
  });

  it('no rows, or nothing at all', async () => {
    await expectRefused(csvOf([]), /no users/);
    await expectRefused('', /empty/);
  });

  it('not UTF-8 (a spreadsheet’s "Unicode text") or not CSV', async () => {
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from(csvOf(usersAt(customer.domain, 2)), 'utf16le'),
    ]);
    await expectRefused(utf16, /UTF-16/);
    await expectRefused(Buffer.from(csvOf(usersAt(customer.domain, 2)), 'utf16le'), /NUL/);
    await expectRefused(`${HEADER.join(',')}\r\n"Anna,B,C,c@${customer.domain},\r\n`, /not valid CSV/);
  });

  it('more rows than the limit (here 5), naming it', async () => {
    const smallCustomer = await (async () => {
      const made = await createPartnerWithAdmin(small.store);
      return { admin: made.admin, customer: await insertCustomer(small.store, made.partner.id) };
    })();
    await expectRefused(
      csvOf(usersAt(smallCustomer.customer.domain, 6)),
      /more than 5 users/,
      small,
      smallCustomer.admin.token,
      smallCustomer.customer,
    );
    // At the limit it is fine.
    const r = await uploadCsv(
      small.app,
      smallCustomer.admin.token,
      smallCustomer.customer.id,
      csvOf(usersAt(smallCustomer.customer.domain, 5)),
      { mode: 'validate' },
    );
    expect(r.json()).toMatchObject({ totalRows: 5, validRows: 5, invalidRows: 0 });
  });

  it('a real file of 10,001 rows is over the default limit of 10,000', async () => {
    await expectRefused(csvOf(usersAt(customer.domain, 10_001)), /more than 10,000 users/);
  });

  it('a file larger than allowed (here 2 KB) is a 413, as text/csv and as multipart', async () => {
    const made = await createPartnerWithAdmin(small.store);
    const c = await insertCustomer(small.store, made.partner.id);
    const big = csvOf(usersAt(c.domain, 4).map((r) => [...r.slice(0, 2), 'x'.repeat(45), ...r.slice(3)]));
    const file = `${big}${'\r\n'.repeat(2048)}`;
    const before = await written(small, c.id);
    const asCsv = await uploadCsv(small.app, made.admin.token, c.id, file, {
      mode: 'create',
      usageLocation: 'US',
    });
    expect(asCsv.statusCode, asCsv.body).toBe(413);
    expect(asCsv.json()).toMatchObject({ name: 'bodyTooLarge' });
    const asForm = await uploadForm(
      small.app,
      made.admin.token,
      c.id,
      multipart(
        [
          ['mode', 'create'],
          ['usageLocation', 'US'],
        ],
        { content: file },
      ),
    );
    expect(asForm.statusCode, asForm.body).toBe(413);
    expect(await written(small, c.id)).toEqual(before);
  });
});

describe('each row’s problems are reported on that row; the other rows are fine', () => {
  it('one row per rule', async () => {
    const d = customer.domain;
    const taken = await insertCustomerUser(t.store, customer.id, { userName: `taken@${d}`, roles: [] });
    const { body, issues } = await rowIssues([
      ['Anna', 'Ivanova', 'Anna Ivanova', `anna@${d}`, ''],
      ['', '', 'Twice', `twice@${d}`, ''],
      ['', '', 'Twice again', `TWICE@${d}`, ''],
      ['', '', 'Taken', taken.userName, ''],
      ['', '', 'Elsewhere', 'someone@fabrikam.example', ''],
      ['x'.repeat(51), '', 'Long first name', `long@${d}`, ''],
      ['', '', 'x'.repeat(51), `longdisplay@${d}`, ''],
      ['', '', '', `nodisplay@${d}`, ''],
      ['', '', 'Status given', `status@${d}`, 'Created'],
      ['', '', 'No email', '', ''],
      ['x'.repeat(50), 'y'.repeat(50), 'z'.repeat(50), `fifty@${d}`, ''],
    ]);
    expect(body).toMatchObject({ totalRows: 11, validRows: 3, invalidRows: 8 });
    expect(issues).toEqual({
      3: [{ field: 'Email', reason: 'appears more than once in the file' }],
      4: [{ field: 'Email', reason: 'is already a user of this customer' }],
      5: [{ field: 'Email', reason: `must be at one of the customer's domains (${d})` }],
      6: [{ field: 'First name', reason: 'must be at most 50 characters (it has 51)' }],
      7: [{ field: 'Display name', reason: 'must be at most 50 characters (it has 51)' }],
      8: [{ field: 'Display name', reason: 'is required' }],
      9: [{ field: 'Status update', reason: 'must be empty: it is filled in the results file' }],
      10: [{ field: 'Email', reason: 'is required' }],
    });
    // Each reported row says where it is in the file and what it holds.
    expect(body.rows[0]).toEqual({
      row: 3,
      line: 4,
      email: `TWICE@${d}`,
      displayName: 'Twice again',
      issues: [{ field: 'Email', reason: 'appears more than once in the file' }],
    });
  });

  it('takes a BOM, a ";" separator (with quoted cells) and names in any script', async () => {
    const d = customer.domain;
    const { body } = await rowIssues(
      [
        ['Jörg', 'Müller; Jr', 'Jörg "JM" Müller', `jm@${d}`, ''],
        ['Анна', 'Иванова', 'Анна Иванова', `anna.i@${d}`, ''],
      ],
      { separator: ';', bom: true },
    );
    expect(body).toMatchObject({ totalRows: 2, validRows: 2, invalidRows: 0, rows: [] });
  });

  it('validate writes nothing', async () => {
    const before = await written(t, customer.id);
    const r = await uploadCsv(t.app, admin.token, customer.id, csvOf(usersAt(customer.domain, 50)), {
      mode: 'validate',
      usageLocation: 'US',
    });
    expect(r.json()).toMatchObject({ totalRows: 50, validRows: 50 });
    expect(await written(t, customer.id)).toEqual(before);
  });
});

describe('creating: the file is stored as an import to follow', () => {
  it('answers 202 with the import and its Location; rows with problems are already failed', async () => {
    const c = await insertCustomer(t.store, admin.partnerId);
    const rows = [...usersAt(c.domain, 3), ['', '', '', `nodisplay@${c.domain}`, '']];
    const r = await uploadCsv(t.app, admin.token, c.id, csvOf(rows), {
      mode: 'create',
      usageLocation: 'de',
      fileName: 'C:\\Users\\me\\new-hires.csv',
    });
    expect(r.statusCode, r.body).toBe(202);
    const body = r.json();
    expect(r.headers.location).toBe(`/v1/customers/${c.id}/users/imports/${body.id}`);
    expect(body).toMatchObject({
      customerId: c.id,
      fileName: 'new-hires.csv',
      usageLocation: 'DE',
      state: 'queued',
      totalRows: 4,
      rowsDone: 1,
      created: 0,
      failed: 1,
      percentComplete: 25,
      startedTime: null,
      completedTime: null,
      passwordsAvailable: false,
      attributes: { objectType: 'UserImport' },
    });
    const stored = await t.store.owner
      .selectFrom('user_import_rows')
      .select(['row_number', 'status', 'message', 'user_name'])
      .where('import_id', '=', body.id)
      .orderBy('row_number')
      .execute();
    expect(stored.map((s) => s.status)).toEqual(['pending', 'pending', 'pending', 'failed']);
    expect(stored[3]!.message).toBe('Display name: is required');
    // The list shows it, newest first.
    const list = await t.app.inject({
      url: `/v1/customers/${c.id}/users/imports`,
      headers: bearer(admin.token),
    });
    expect(list.json()).toMatchObject({ totalCount: 1, items: [{ id: body.id }] });
  });

  it('takes the same file as multipart/form-data, the fields before the file', async () => {
    const c = await insertCustomer(t.store, admin.partnerId);
    const r = await uploadForm(
      t.app,
      admin.token,
      c.id,
      multipart(
        [
          ['mode', 'create'],
          ['usageLocation', 'CA'],
        ],
        { filename: 'team.csv', content: csvOf(usersAt(c.domain, 2)) },
      ),
    );
    expect(r.statusCode, r.body).toBe(202);
    expect(r.json()).toMatchObject({ fileName: 'team.csv', usageLocation: 'CA', totalRows: 2, rowsDone: 0 });
    const v = await uploadForm(
      t.app,
      admin.token,
      c.id,
      multipart([['mode', 'validate']], { content: csvOf(usersAt(c.domain, 2)) }),
    );
    expect(v.statusCode, v.body).toBe(200);
    expect(v.json()).toMatchObject({ mode: 'validate', totalRows: 2, validRows: 2 });
  });

  it('refuses a form without the file, with a field after it, or with two files; nothing written', async () => {
    const c = await insertCustomer(t.store, admin.partnerId);
    const file = { content: csvOf(usersAt(c.domain, 2)) };
    const create: [string, string][] = [
      ['mode', 'create'],
      ['usageLocation', 'US'],
    ];
    const noFile = await uploadForm(t.app, admin.token, c.id, multipart(create, undefined));
    expect(noFile.statusCode).toBe(400);
    expect(noFile.json()).toMatchObject({ name: 'usersFileInvalid', details: [{ field: 'file' }] });
    // Fields are read before the file: one after it is not seen in time, and is refused as such.
    const late = await uploadForm(
      t.app,
      admin.token,
      c.id,
      multipart([['mode', 'create']], file, [['usageLocation', 'US']]),
    );
    expect(late.statusCode, late.body).toBe(400);
    expect(late.json().details).toEqual([
      { field: 'usageLocation', reason: expect.stringContaining('form field before the file') },
    ]);
    const trailing = await uploadForm(
      t.app,
      admin.token,
      c.id,
      multipart([['mode', 'validate']], file, [['usageLocation', 'US']]),
    );
    expect(trailing.statusCode, trailing.body).toBe(400);
    expect(trailing.json().details).toEqual([
      { field: 'usageLocation', reason: 'comes after the file: send the fields first, then the file' },
    ]);
    const twoFiles = await uploadForm(
      t.app,
      admin.token,
      c.id,
      (() => {
        const one = multipart(create, file);
        // A second file part before the closing boundary.
        const boundary = one.contentType.split('boundary=')[1]!;
        const text = one.payload
          .toString()
          .replace(
            `--${boundary}--`,
            `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="b.csv"\r\n\r\nx\r\n--${boundary}--`,
          );
        return { payload: Buffer.from(text), contentType: one.contentType };
      })(),
    );
    expect(twoFiles.statusCode, twoFiles.body).toBe(400);
    expect(twoFiles.json().details).toEqual([
      { field: 'file', reason: 'is a second file: send one users file per upload' },
    ]);
    const unknown = await uploadForm(
      t.app,
      admin.token,
      c.id,
      multipart([...create, ['department', 'x']], file),
    );
    expect(unknown.json().details[0]).toMatchObject({ field: 'department' });
    const broken = await t.app.inject({
      method: 'POST',
      url: `/v1/customers/${c.id}/users/imports`,
      headers: { ...bearer(admin.token), 'content-type': 'multipart/form-data; boundary=x' },
      payload: '--x\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nFirst name',
    });
    expect(broken.statusCode, broken.body).toBe(400);
    expect(await written(t, c.id)).toEqual({ imports: 0, rows: 0, users: 0 });
  });

  it('an upload cut off part-way leaves nothing, and no transaction open', async () => {
    const c = await insertCustomer(t.store, admin.partnerId);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as AddressInfo;
    const file = Buffer.from(csvOf(usersAt(c.domain, 2000)));
    const req = http.request({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: `/v1/customers/${c.id}/users/imports?mode=create&usageLocation=US`,
      headers: { ...bearer(admin.token), 'content-type': 'text/csv', 'content-length': file.length },
    });
    req.on('error', () => undefined);
    req.write(file.subarray(0, file.length / 2));
    // The first half is being stored: the import's transaction is open.
    const open = () =>
      sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
                          where datname = current_database() and usename = 'partnerdesk_app'
                            and xact_start is not null`
        .execute(t.store.owner)
        .then((r) => r.rows[0]!.n);
    for (let i = 0; i < 200 && (await open()) === 0; i++) await new Promise((r) => setTimeout(r, 10));
    const seen = await open();
    req.destroy();
    expect(seen).toBe(1);
    for (let i = 0; i < 200 && (await open()) > 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(await open()).toBe(0);
    expect(await written(t, c.id)).toEqual({ imports: 0, rows: 0, users: 0 });
  });

  it('needs a mode and, to create, a known usage location', async () => {
    const file = csvOf(usersAt(customer.domain, 1));
    const noMode = await uploadCsv(t.app, admin.token, customer.id, file);
    expect(noMode.statusCode).toBe(400);
    expect(noMode.json().details).toEqual([{ field: 'mode', reason: expect.stringContaining('required') }]);
    const noLocation = await uploadCsv(t.app, admin.token, customer.id, file, { mode: 'create' });
    expect(noLocation.json().details).toEqual([
      { field: 'usageLocation', reason: expect.stringContaining('required') },
    ]);
    const unknown = await uploadCsv(t.app, admin.token, customer.id, file, {
      mode: 'create',
      usageLocation: 'XX',
    });
    expect(unknown.json().details).toEqual([
      { field: 'usageLocation', reason: expect.stringContaining('ISO') },
    ]);
    const badMode = await uploadCsv(t.app, admin.token, customer.id, file, { mode: 'import' as 'create' });
    expect(badMode.statusCode).toBe(400);
    expect(badMode.json()).toMatchObject({ name: 'validationFailed' });
  });

  it('takes text/csv and application/csv bodies; other types are a 415', async () => {
    const file = csvOf(usersAt(customer.domain, 1));
    for (const type of ['text/csv; charset=utf-8', 'application/csv']) {
      const r = await uploadCsv(t.app, admin.token, customer.id, file, {
        mode: 'validate',
        contentType: type,
      });
      expect(r.statusCode, `${type}: ${r.body}`).toBe(200);
    }
    const plain = await uploadCsv(t.app, admin.token, customer.id, file, {
      mode: 'validate',
      contentType: 'text/plain',
    });
    expect(plain.statusCode).toBe(415);
    const json = await t.app.inject({
      method: 'POST',
      url: `/v1/customers/${customer.id}/users/imports?mode=validate`,
      headers: bearer(admin.token),
      payload: { rows: [] },
    });
    expect(json.statusCode).toBe(400);
    expect(json.json()).toMatchObject({ name: 'usersFileInvalid', details: [{ field: 'file' }] });
  });
});

describe('who may upload, where, and for which customer', () => {
  it('another partner’s customer is not found, whatever the file', async () => {
    const other = await createPartnerWithAdmin(t.store);
    const before = await written(t, customer.id);
    for (const mode of ['validate', 'create'] as const) {
      const r = await uploadCsv(t.app, other.admin.token, customer.id, csvOf(usersAt(customer.domain, 2)), {
        mode,
        usageLocation: 'US',
      });
      expect(r.statusCode, r.body).toBe(404);
      expect(r.json()).toMatchObject({ name: 'customerNotFound' });
      expect(r.body).not.toContain(customer.name);
    }
    expect(await written(t, customer.id)).toEqual(before);
  });

  it('Admin agent and User management admin may; Sales, Helpdesk and Billing may not', async () => {
    for (const role of ['adminAgent', 'userManagementAdmin'] as const) {
      const user = await createUser(t.store, admin.partnerId, { roles: [role] });
      const r = await uploadCsv(t.app, user.token, customer.id, csvOf(usersAt(customer.domain, 1)), {
        mode: 'validate',
      });
      expect(r.statusCode, `${role}: ${r.body}`).toBe(200);
    }
    for (const role of ['salesAgent', 'helpdeskAgent', 'billingAdmin'] as const) {
      const user = await createUser(t.store, admin.partnerId, { roles: [role] });
      const r = await uploadCsv(t.app, user.token, customer.id, csvOf(usersAt(customer.domain, 1)), {
        mode: 'validate',
      });
      expect(r.statusCode, role).toBe(403);
      expect(r.json()).toMatchObject({ name: 'forbidden' });
    }
  });

  it('US Government and Germany refuse it, even to validate, naming the instance', async () => {
    for (const instance of ['usgov', 'germany'] as const) {
      const made = await createPartnerWithAdmin(t.store, { instance });
      const c = await insertCustomer(t.store, made.partner.id, { instance });
      for (const mode of ['validate', 'create'] as const) {
        const r = await uploadCsv(t.app, made.admin.token, c.id, csvOf(usersAt(c.domain, 1)), {
          mode,
          usageLocation: 'US',
        });
        expect(r.statusCode, `${instance} ${mode}`).toBe(403);
        expect(r.json()).toMatchObject({ name: 'instanceCapabilityRefused' });
        expect(r.json().description).toContain(instance === 'usgov' ? 'US Government' : 'Germany');
      }
      expect(await written(t, c.id)).toEqual({ imports: 0, rows: 0, users: 0 });
    }
  });

  it('a partner whose reseller relationship ended is told so (403 20002)', async () => {
    const c = await insertCustomer(t.store, admin.partnerId);
    await t.store.owner
      .updateTable('customer_relationships')
      .set({ state: 'removed', removed_at: new Date() })
      .where('customer_id', '=', c.id)
      .execute();
    const r = await uploadCsv(t.app, admin.token, c.id, csvOf(usersAt(c.domain, 1)), {
      mode: 'create',
      usageLocation: 'US',
    });
    expect(r.statusCode).toBe(403);
    expect(r.json()).toMatchObject({ name: 'noResellerRelationship', code: 20002 });
  });
});
