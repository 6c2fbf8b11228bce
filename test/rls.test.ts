// The second wall: with no partner context, the app role sees no partner rows; with one, only that partner's.
// And what the app role may not write at all, whatever the partner (support's topics, timeline and files).
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Trx } from '../src/db/database.ts';
import { inPartnerTransaction } from '../src/db/database.ts';
import { insertCustomer } from './helpers/customers.ts';
import { createTestStore } from './helpers/db.ts';
import type { ServiceRequestFixture } from './matrix/routes.ts';
import { insertServiceRequest } from './matrix/routes.ts';

describe('row-level security', () => {
  let t: Awaited<ReturnType<typeof createTestStore>>;
  let a: string;
  let b: string;
  beforeAll(async () => {
    t = await createTestStore();
    const rows = await t.store.owner
      .insertInto('partners')
      .values([
        { name: 'A', country: 'US', instance: 'global', kind: 'direct', updated_at: new Date() },
        { name: 'B', country: 'US', instance: 'global', kind: 'direct', updated_at: new Date() },
      ])
      .returning('id')
      .execute();
    a = rows[0]!.id;
    b = rows[1]!.id;
  });
  afterAll(() => t.close());

  it("compares every relationship check with the row's own customer, never the relationship with itself", async () => {
    // Inside `exists (select … from customer_relationships r where r.customer_id = customer_id)` an unqualified
    // customer_id is r's own column: the check then holds for any customer of any related partner. PostgreSQL
    // shows such a policy as `r.customer_id = r.customer_id`.
    const policies = await sql<{ table: string; name: string; text: string }>`
      select tablename as table, policyname as name, coalesce(qual, '') || ' ' || coalesce(with_check, '') as text
        from pg_policies where schemaname = 'public'`.execute(t.store.owner);
    const related = policies.rows.filter((p) => p.text.includes('customer_relationships'));
    expect(related.length).toBeGreaterThan(5);
    const selfCompared = related.filter((p) => /\b(\w+)\.customer_id = \1\.customer_id\b/.test(p.text));
    expect(selfCompared.map((p) => `${p.table}.${p.name}`)).toEqual([]);
  });

  it('returns no partner rows to a raw query without partner context', async () => {
    const r = await sql<{ n: number }>`select count(*)::int as n from partners`.execute(t.store.app);
    expect(r.rows[0]!.n).toBe(0);
    const owner = await sql<{ n: number }>`select count(*)::int as n from partners`.execute(t.store.owner);
    expect(owner.rows[0]!.n).toBe(2);
  });

  it('shows only the partner set for the transaction', async () => {
    const names = await inPartnerTransaction(t.store.app, a, (trx) =>
      trx.selectFrom('partners').select('name').execute(),
    );
    expect(names).toEqual([{ name: 'A' }]);
  });

  it('refuses writes into another partner', async () => {
    await expect(
      inPartnerTransaction(t.store.app, a, (trx) =>
        trx.updateTable('partners').set({ name: 'hijacked' }).where('id', '=', b).execute(),
      ),
    ).resolves.toEqual([expect.objectContaining({ numUpdatedRows: 0n })]);
    await expect(
      inPartnerTransaction(t.store.app, a, (trx) =>
        trx
          .insertInto('partner_users')
          .values({
            partner_id: b,
            user_name: 'x@b.example',
            display_name: 'x',
            password_hash: 'x',
            roles: ['globalAdmin'],
            language: null,
            locked_until: null,
            last_sign_in_at: null,
            password_changed_at: null,
            updated_at: new Date(),
          })
          .execute(),
      ),
    ).rejects.toThrow(/row-level security/);
  });

  it('cannot be switched off by the app role', async () => {
    // With row_security off, PostgreSQL refuses the query instead of bypassing the policy.
    await expect(
      t.store.app.connection().execute(async (c) => {
        await sql`set row_security = off`.execute(c);
        try {
          return await sql`select * from partners`.execute(c);
        } finally {
          await sql`reset row_security`.execute(c);
        }
      }),
    ).rejects.toThrow(/row-level security/);
    const r = await sql<{ super: boolean; bypass: boolean }>`
      select rolsuper as super, rolbypassrls as bypass from pg_roles where rolname = current_user`.execute(
      t.store.app,
    );
    expect(r.rows[0]).toEqual({ super: false, bypass: false });
  });

  describe('support', () => {
    const SUPPORT_TABLES = [
      'service_requests',
      'service_request_events',
      'service_request_attachments',
      'service_request_counters',
    ] as const;
    let srA: ServiceRequestFixture;
    let srB: ServiceRequestFixture;
    beforeAll(async () => {
      const actor = { id: randomUUID(), name: 'Rls agent' };
      srA = await insertServiceRequest(t.store, a, await insertCustomer(t.store, a), actor);
      srB = await insertServiceRequest(t.store, b, await insertCustomer(t.store, b), actor);
    });
    const asA = <T>(fn: (trx: Trx) => Promise<T>) => inPartnerTransaction(t.store.app, a, fn);

    it('shows a partner only its own service requests, their timeline, files and numbers', async () => {
      for (const table of SUPPORT_TABLES) {
        const none = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(
          t.store.app,
        );
        expect(none.rows[0]!.n, table).toBe(0);
        const seen = await asA((trx) =>
          sql<{ partner_id: string }>`select distinct partner_id from ${sql.table(table)}`.execute(trx),
        );
        expect(seen.rows, table).toEqual([{ partner_id: a }]);
      }
      expect(await asA((trx) => trx.selectFrom('service_requests').select('id').execute())).toEqual([
        { id: srA.id },
      ]);
    });

    it('shows a partner through service_request_list only its own requests, searched or not, and nothing without a partner', async () => {
      // The view reads the table as its owner, past the policy: its own WHERE is all that keeps B's rows from A.
      const none = await sql<{ n: number }>`select count(*)::int as n from service_request_list`.execute(
        t.store.app,
      );
      expect(none.rows[0]!.n).toBe(0);
      expect(await asA((trx) => trx.selectFrom('service_request_list').select('id').execute())).toEqual([
        { id: srA.id },
      ]);
      expect(
        await asA((trx) =>
          trx.selectFrom('service_request_list').select('id').where('id', '=', srB.id).execute(),
        ),
      ).toEqual([]);
      expect(
        await asA((trx) =>
          trx.selectFrom('service_request_list').select('id').where('title', 'ilike', srB.title).execute(),
        ),
      ).toEqual([]);
      // Each partner numbers its own from 1: B's SR-000001 names A's own request of that number.
      expect(srB.referenceNumber).toBe(srA.referenceNumber);
      expect(
        await asA((trx) =>
          trx.selectFrom('service_request_list').select('id').where('number', '=', 1).execute(),
        ),
      ).toEqual([{ id: srA.id }]);
    });

    it('lets nobody write through service_request_list, which would skip the policy: not the request path, not even the owner', async () => {
      const insert = (trx: Trx) =>
        sql`insert into service_request_list select * from service_request_list where id = ${srA.id}`.execute(
          trx,
        );
      const update = (id: string) => (trx: Trx) =>
        sql`update service_request_list set title = 'hijacked' where id = ${id}`.execute(trx);
      const remove = (trx: Trx) => sql`delete from service_request_list`.execute(trx);
      const refused: [string, (trx: Trx) => Promise<unknown>][] = [
        ['insert', insert],
        ['update its own', update(srA.id)],
        ["update B's", update(srB.id)],
        ['delete', remove],
      ];
      for (const [what, fn] of refused)
        await expect(asA(fn), what).rejects.toThrow(/permission denied for view service_request_list/);
      // A role that holds the privilege (the owner) is stopped by the view's trigger.
      for (const [what, fn] of [
        ['insert', insert],
        ['update', update(srA.id)],
        ['delete', remove],
      ] as const)
        await expect(inPartnerTransaction(t.store.owner, a, fn), `${what} as the owner`).rejects.toThrow(
          /service_request_list is read-only/,
        );
      const titles = await t.store.owner
        .selectFrom('service_requests')
        .select(['id', 'title'])
        .where('partner_id', 'in', [a, b])
        .execute();
      expect(new Map(titles.map((r) => [r.id, r.title]))).toEqual(
        new Map([
          [srA.id, srA.title],
          [srB.id, srB.title],
        ]),
      );
    });

    it("refuses changes to another partner's request and additions to its timeline or files", async () => {
      const [changed] = await asA((trx) =>
        trx.updateTable('service_requests').set({ title: 'hijacked' }).where('id', '=', srB.id).execute(),
      );
      expect(changed!.numUpdatedRows).toBe(0n);
      await expect(
        asA((trx) =>
          trx
            .insertInto('service_request_events')
            .values({
              request_id: srB.id,
              partner_id: b,
              occurred_at: new Date(),
              kind: 'note',
              actor_kind: 'partnerUser',
              actor_id: null,
              actor_name: 'A',
              text: 'planted',
            })
            .execute(),
        ),
      ).rejects.toThrow(/row-level security/);
      // A's own timeline under B's name is refused the same way.
      await expect(
        asA((trx) =>
          trx
            .insertInto('service_request_events')
            .values({
              request_id: srA.id,
              partner_id: b,
              occurred_at: new Date(),
              kind: 'created',
              actor_kind: 'partnerUser',
              actor_id: null,
              actor_name: 'A',
              text: null,
            })
            .execute(),
        ),
      ).rejects.toThrow(/row-level security/);
    });

    it('lets the request path add to a timeline and files but never change or remove them, and only read topics', async () => {
      // Appending is what the request path does: it works.
      await asA((trx) =>
        trx
          .insertInto('service_request_events')
          .values({
            request_id: srA.id,
            partner_id: a,
            occurred_at: new Date(),
            kind: 'note',
            actor_kind: 'partnerUser',
            actor_id: null,
            actor_name: 'A',
            text: 'appended',
          })
          .execute(),
      );
      const refused: [string, (trx: Trx) => Promise<unknown>][] = [
        [
          'update an event',
          (trx) =>
            trx
              .updateTable('service_request_events')
              .set({ text: 'rewritten' })
              .where('request_id', '=', srA.id)
              .execute(),
        ],
        [
          'delete an event',
          (trx) => trx.deleteFrom('service_request_events').where('request_id', '=', srA.id).execute(),
        ],
        [
          'update a file',
          (trx) =>
            trx
              .updateTable('service_request_attachments')
              .set({ file_name: 'renamed.png' })
              .where('id', '=', srA.attachmentId)
              .execute(),
        ],
        [
          'delete a file',
          (trx) => trx.deleteFrom('service_request_attachments').where('id', '=', srA.attachmentId).execute(),
        ],
        ['delete a request', (trx) => trx.deleteFrom('service_requests').where('id', '=', srA.id).execute()],
        ['delete a counter', (trx) => trx.deleteFrom('service_request_counters').execute()],
        [
          'add a topic',
          (trx) =>
            trx
              .insertInto('support_topics')
              .values({ id: 'planted', name: 'Planted', description: 'x', sort_order: 99 })
              .execute(),
        ],
        [
          'rename a topic',
          (trx) =>
            trx.updateTable('support_topics').set({ name: 'Renamed' }).where('id', '=', 'other').execute(),
        ],
        ['delete a topic', (trx) => trx.deleteFrom('support_topics').where('id', '=', 'other').execute()],
        ['truncate the timeline', (trx) => sql`truncate service_request_events`.execute(trx)],
      ];
      for (const [what, fn] of refused) await expect(asA(fn), what).rejects.toThrow(/permission denied/);

      const owner = t.store.owner;
      expect(
        await owner
          .selectFrom('service_request_events')
          .select(['kind', 'text'])
          .where('request_id', '=', srA.id)
          .orderBy('id')
          .execute(),
      ).toEqual([
        { kind: 'created', text: null },
        { kind: 'attachmentAdded', text: null },
        { kind: 'note', text: srA.noteText },
        { kind: 'statusChanged', text: null },
        { kind: 'statusChanged', text: null },
        { kind: 'note', text: 'appended' },
      ]);
      expect(
        await owner
          .selectFrom('service_request_attachments')
          .select('file_name')
          .where('id', '=', srA.attachmentId)
          .execute(),
      ).toEqual([{ file_name: srA.fileName }]);
      const topics = await asA((trx) =>
        trx.selectFrom('support_topics').select('id').orderBy('sort_order').execute(),
      );
      expect(topics.map((r) => r.id)).toEqual([
        'billing',
        'subscriptions',
        'licensing',
        'azure',
        'microsoft365',
        'identity',
        'transfers',
        'serviceHealth',
        'other',
      ]);
    });
  });
});
