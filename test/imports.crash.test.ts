// An import survives its process being killed: `partnerdesk serve` runs as a real child process, is killed
// with SIGKILL while it is creating an import's users, and started again; the import completes, and every row's
// user exists exactly once (none lost, none created twice), with created + failed = total.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../src/db/database.ts';
import { openStore } from '../src/db/database.ts';
import type { ServerChild } from './helpers/child.ts';
import { serveOn } from './helpers/child.ts';
import { insertCustomer } from './helpers/customers.ts';
import type { TestDatabase } from './helpers/db.ts';
import { createTestDatabase, testConfig } from './helpers/db.ts';
import type { TestUser } from './helpers/factories.ts';
import { createPartnerWithAdmin } from './helpers/factories.ts';
import { csvOf, usersAt } from './helpers/imports.ts';

const ROWS = 3000;

/** `partnerdesk serve` on the test's database, with small batches and a short lease. */
const serve = (databaseUrl: string) =>
  serveOn(databaseUrl, { USERS_IMPORT_BATCH_SIZE: '20', USERS_IMPORT_LEASE_SECONDS: '2' });

let db: TestDatabase;
let store: Store;
let admin: TestUser;
const children: ServerChild[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  store = await openStore(testConfig(db.url), () => undefined);
  admin = (await createPartnerWithAdmin(store)).admin;
});
afterAll(async () => {
  for (const c of children)
    if (c.process.exitCode === null && c.process.signalCode === null) c.process.kill('SIGKILL');
  await Promise.all(children.map((c) => c.exited));
  await store?.close();
  await db?.drop();
});

const progress = (id: string) =>
  store.owner
    .selectFrom('user_imports')
    .select(['state', 'rows_done', 'total_rows', 'created_count', 'failed_count', 'lease_owner'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();

describe('an import whose process is killed', () => {
  it('completes after a restart, every user created exactly once', async () => {
    const customer = await insertCustomer(store, admin.partnerId);
    const rows = usersAt(customer.domain, ROWS);
    // One row fails on upload, so failures are counted across the restart too.
    rows.push(['', '', '', `nodisplay@${customer.domain}`, '']);

    const first = await serve(db.url);
    children.push(first);
    const upload = await fetch(
      `${first.url}/v1/customers/${customer.id}/users/imports?mode=create&usageLocation=US&fileName=staff.csv`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'text/csv' },
        body: csvOf(rows),
      },
    );
    expect(upload.status, await upload.clone().text()).toBe(202);
    const { id } = (await upload.json()) as { id: string };

    // Kill it while it works: some users made, most not yet.
    for (let i = 0; ; i++) {
      const p = await progress(id);
      if (p.rows_done > 1) break;
      if (i > 6000) throw new Error(`the import did not start: ${JSON.stringify(p)}`);
      await new Promise((r) => setTimeout(r, 5));
    }
    first.process.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    const killed = await progress(id);
    expect(killed.state).toBe('running');
    expect(killed.lease_owner).not.toBeNull();
    expect(killed.rows_done).toBeGreaterThan(1);
    expect(killed.rows_done).toBeLessThan(ROWS + 1);

    // A new process takes the import over once the dead one's lease has lapsed, and finishes it.
    const second = await serve(db.url);
    children.push(second);
    for (let i = 0; ; i++) {
      const p = await progress(id);
      if (p.state === 'completed') break;
      if (i > 1200) throw new Error(`the import did not complete: ${JSON.stringify(p)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    second.process.kill('SIGTERM');
    await second.exited;

    const done = await progress(id);
    expect(done).toMatchObject({
      state: 'completed',
      rows_done: ROWS + 1,
      created_count: ROWS,
      failed_count: 1,
    });
    expect(done.created_count + done.failed_count).toBe(done.total_rows);

    // Every row's user, counted by user name: exactly one each, and it is the row's.
    const counts = await store.owner
      .selectFrom('user_import_rows as r')
      .leftJoin('customer_users as u', 'u.user_name', 'r.user_name')
      .select([
        'r.row_number',
        'r.status',
        'r.user_id',
        (eb) => eb.fn.count<number>('u.id').as('users'),
        sql<string | null>`max(u.id::text)`.as('user'),
      ])
      .where('r.import_id', '=', id)
      .groupBy(['r.row_number', 'r.status', 'r.user_id'])
      .orderBy('r.row_number')
      .execute();
    expect(counts).toHaveLength(ROWS + 1);
    for (const row of counts.slice(0, ROWS)) {
      expect(row.status, `row ${row.row_number}`).toBe('created');
      expect(Number(row.users), `row ${row.row_number}`).toBe(1);
      expect(row.user).toBe(row.user_id);
    }
    expect(counts[ROWS]).toMatchObject({ status: 'failed', user_id: null });
    const made = await store.owner
      .selectFrom('customer_users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('import_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(Number(made.n)).toBe(ROWS);
    // One activity record, written by the process that finished it.
    const activity = await store.owner
      .selectFrom('activity_records')
      .select(['action', 'details'])
      .where('resource_id', '=', id)
      .execute();
    expect(activity).toHaveLength(1);
    expect(activity[0]!.details).toMatchObject({ created: ROWS, failed: 1 });
  }, 180_000);
});
