// Completing a transfer survives its process being killed: `partnerdesk serve` runs as a real child process,
// the source accepts several large requests, the process is killed with SIGKILL while the job moves their
// subscriptions, so is the process that takes over, and a third finishes them once the lease has lapsed.
// Every accepted line is completed exactly once: one target row per Azure subscription, one target order per
// request listing each subscription once, one lineCompleted event and one activity record per partner per line.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../src/db/database.ts';
import { openStore } from '../src/db/database.ts';
import type { ServerChild } from './helpers/child.ts';
import { serveOn } from './helpers/child.ts';
import type { TestDatabase } from './helpers/db.ts';
import { createTestDatabase, testConfig } from './helpers/db.ts';
import type { TestCatalog } from './helpers/offers.ts';
import { insertTestCatalog } from './helpers/offers.ts';
import type { TestSubscription, TransferWorld } from './helpers/transfers.ts';
import { checkPartnerOfRecord, insertSubscriptions, transferWorld } from './helpers/transfers.ts';

const REQUESTS = 5;
const LINES = 100; // the most one request takes
const TOTAL = REQUESTS * LINES;

/** `partnerdesk serve` on the test's database (a request's lease lapses 5 s after its worker's last line). */
const serve = (databaseUrl: string) => serveOn(databaseUrl, { TRANSFER_LEASE_SECONDS: '5' });

let db: TestDatabase;
let store: Store;
let cat: TestCatalog;
let w: TransferWorld;
const children: ServerChild[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  store = await openStore(testConfig(db.url), () => undefined);
  cat = await insertTestCatalog(store);
  w = await transferWorld(store);
});
afterAll(async () => {
  for (const c of children)
    if (c.process.exitCode === null && c.process.signalCode === null) c.process.kill('SIGKILL');
  await Promise.all(children.map((c) => c.exited));
  await store?.close();
  await db?.drop();
});

async function call(base: string, token: string, method: string, path: string, body?: unknown) {
  const r = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body ?? {}),
  });
  const text = await r.text();
  return { status: r.status, text, json: () => JSON.parse(text) as Record<string, unknown> };
}

const lineCounts = async (ids: string[]) => {
  const rows = await store.owner
    .selectFrom('transfer_line_items')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('transfer_id', 'in', ids)
    .groupBy('status')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)])) as Record<string, number>;
};

describe('a transfer whose process is killed mid-completion', () => {
  it('finishes after a restart, every accepted line completed exactly once', async () => {
    const subs: TestSubscription[][] = [];
    for (let i = 0; i < REQUESTS; i++)
      subs.push(await insertSubscriptions(store, w.source.partnerId, w.customer.id, cat.azure, LINES));

    const first = await serve(db.url);
    children.push(first);
    const ids: string[] = [];
    for (const batch of subs) {
      const created = await call(
        first.url,
        w.target.token,
        'POST',
        `/v1/customers/${w.customer.id}/transfers`,
        {
          sourcePartnerTenantId: w.source.partnerId,
          subscriptionIds: batch.map((s) => s.id),
        },
      );
      expect(created.status, created.text).toBe(201);
      const id = created.json().id as string;
      const consent = await call(first.url, w.customerToken, 'POST', `/v1/customer/transfers/${id}/consent`);
      expect(consent.status, consent.text).toBe(200);
      ids.push(id);
    }
    for (const id of ids) {
      const accepted = await call(
        first.url,
        w.source.token,
        'POST',
        `/v1/customers/${w.customer.id}/transfers/${id}/accept`,
      );
      expect(accepted.status, accepted.text).toBe(202);
    }

    // Kill it while it works, some lines moved and most not yet; then kill the process that took over the same
    // way, once it has moved some more: two takeovers, each after the dead one's lease lapsed.
    let victim = first;
    let before = 0;
    for (let round = 1; round <= 2; round++) {
      const deadline = Date.now() + 150_000;
      for (;;) {
        const c = await lineCounts(ids);
        if ((c.completed ?? 0) > before + 1) break;
        if (Date.now() > deadline) throw new Error(`round ${round}: no progress: ${JSON.stringify(c)}`);
        await new Promise((r) => setTimeout(r, 5));
      }
      // Aim for the middle of a line: a transaction of the server's that has written and not yet committed.
      for (let i = 0; i < 400; i++) {
        const writing = await sql<{ n: number }>`
          select count(*)::int as n from pg_stat_activity
           where datname = current_database() and pid <> pg_backend_pid() and backend_xid is not null`.execute(
          store.owner,
        );
        if (writing.rows[0]!.n > 0) break;
      }
      victim.process.kill('SIGKILL');
      expect(await victim.exited).toBe('SIGKILL');
      const killed = await lineCounts(ids);
      expect(killed.completed, JSON.stringify(killed)).toBeGreaterThan(before + 1);
      expect(killed.completed, JSON.stringify(killed)).toBeLessThan(TOTAL);
      expect(killed.accepted ?? 0).toBe(TOTAL - killed.completed!);
      before = killed.completed!;
      const running = await store.owner
        .selectFrom('transfers')
        .select(['status', 'lease_owner'])
        .where('id', 'in', ids)
        .where('status', '=', 'inProgress')
        .execute();
      expect(running.length).toBeGreaterThan(0);
      // The invariant holds even with the job half done.
      expect(await checkPartnerOfRecord(store)).toEqual({
        liveCounts: [],
        brokenLinks: [],
        brokenBacklinks: [],
      });
      if (round === 1) {
        victim = await serve(db.url);
        children.push(victim);
      }
    }

    // A third process takes the requests over once the dead one's lease has lapsed, and finishes them.
    const last = await serve(db.url);
    children.push(last);
    for (let i = 0; ; i++) {
      const open = await store.owner
        .selectFrom('transfers')
        .select('id')
        .where('id', 'in', ids)
        .where('status', '=', 'inProgress')
        .execute();
      if (open.length === 0) break;
      if (i > 3600) throw new Error(`the requests did not finish: ${JSON.stringify(await lineCounts(ids))}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    last.process.kill('SIGTERM');
    await last.exited;

    expect(await lineCounts(ids)).toEqual({ completed: TOTAL });
    const transfers = await store.owner
      .selectFrom('transfers')
      .select(['id', 'status', 'target_order_id', 'lease_owner'])
      .where('id', 'in', ids)
      .execute();
    expect(transfers.every((x) => x.status === 'completed')).toBe(true);

    // One target row per Azure subscription, the one the line names; the source's closed, pointing at it.
    const perAzure = await sql<{ azure: string; target_rows: number; source_rows: number; live: number }>`
      select s.azure_subscription_id as azure,
             count(*) filter (where s.partner_id = ${w.target.partnerId})::int as target_rows,
             count(*) filter (where s.partner_id = ${w.source.partnerId} and s.status = 'transferred')::int as source_rows,
             count(*) filter (where s.status = 'active')::int as live
        from subscriptions s
       where s.customer_id = ${w.customer.id}
       group by s.azure_subscription_id`.execute(store.owner);
    expect(perAzure.rows).toHaveLength(TOTAL);
    for (const row of perAzure.rows)
      expect(row, row.azure).toMatchObject({ target_rows: 1, source_rows: 1, live: 1 });
    const mismatched = await sql<{ n: number }>`
      select count(*)::int as n from transfer_line_items l
        join subscriptions n on n.id = l.new_subscription_id
        join subscriptions o on o.id = l.subscription_id
       where l.transfer_id = any(${ids}::uuid[])
         and (n.azure_subscription_id <> l.azure_subscription_id or n.partner_id <> ${w.target.partnerId}
              or o.transferred_to_subscription_id <> n.id or n.transferred_from_subscription_id <> o.id
              or o.status <> 'transferred')`.execute(store.owner);
    expect(mismatched.rows[0]!.n).toBe(0);

    // One order per request, listing each of its subscriptions once.
    for (const x of transfers) {
      const orders = await store.owner
        .selectFrom('orders')
        .selectAll()
        .where('created_by', '=', `transfer:${x.id}`)
        .execute();
      expect(orders, x.id).toHaveLength(1);
      expect(orders[0]!.id).toBe(x.target_order_id);
      const lines = orders[0]!.line_items as { subscriptionId: string }[];
      expect(lines).toHaveLength(LINES);
      expect(new Set(lines.map((l) => l.subscriptionId)).size).toBe(LINES);
      const rowsInOrder = await store.owner
        .selectFrom('subscriptions')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('order_id', '=', x.target_order_id!)
        .executeTakeFirstOrThrow();
      expect(Number(rowsInOrder.n)).toBe(LINES);
    }

    // The timeline and the activity tell each line once.
    const events = await store.owner
      .selectFrom('transfer_events')
      .select(['event', (eb) => eb.fn.countAll<number>().as('n')])
      .where('transfer_id', 'in', ids)
      .groupBy('event')
      .execute();
    const byEvent = Object.fromEntries(events.map((e) => [e.event, Number(e.n)]));
    expect(byEvent).toMatchObject({ lineCompleted: TOTAL, completed: REQUESTS, accepted: REQUESTS });
    expect(byEvent.lineFailed ?? 0).toBe(0);
    const activity = await store.owner
      .selectFrom('activity_records')
      .select(['partner_id', 'action', (eb) => eb.fn.countAll<number>().as('n')])
      .where('customer_id', '=', w.customer.id)
      .where('action', 'in', ['transfer.subscriptionTransferred', 'transfer.complete'])
      .groupBy(['partner_id', 'action'])
      .execute();
    const count = (partner: string, action: string) =>
      Number(activity.find((a) => a.partner_id === partner && a.action === action)?.n ?? 0);
    for (const partner of [w.source.partnerId, w.target.partnerId]) {
      expect(count(partner, 'transfer.subscriptionTransferred')).toBe(TOTAL);
      expect(count(partner, 'transfer.complete')).toBe(REQUESTS);
    }
    expect(await checkPartnerOfRecord(store)).toEqual({
      liveCounts: [],
      brokenLinks: [],
      brokenBacklinks: [],
    });
  }, 480_000);
});
