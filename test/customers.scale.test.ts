// What migration 20261203T0900 changed for the customer list at scale, as a user or an attacker would notice:
// the second wall around a customer's domains, users and agreements holds for a partner that has customers of
// its own; the list's kept total follows every change of relationships; the customer_list view shows a partner
// its own active relationships and nothing without a partner context; searches use the list's indexes.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inPartnerTransaction } from '../src/db/database.ts';
import { prefixUpperBound } from '../src/modules/customers/customers.repository.ts';
import type { TestApp } from './helpers/app.ts';
import { createTestApp } from './helpers/app.ts';
import { createCustomer, insertCustomer } from './helpers/customers.ts';
import type { TestUser } from './helpers/factories.ts';
import { bearer, createPartnerWithAdmin } from './helpers/factories.ts';

describe('customer list at scale (migration 20261203T0900)', () => {
  let t: TestApp;
  let a: TestUser;
  let b: TestUser;
  beforeAll(async () => {
    t = await createTestApp();
    ({ admin: a } = await createPartnerWithAdmin(t.store));
    ({ admin: b } = await createPartnerWithAdmin(t.store));
  });
  afterAll(() => t.close());

  const total = async (user: TestUser, query = '') =>
    (await t.app.inject({ method: 'GET', url: `/v1/customers${query}`, headers: bearer(user.token) })).json()
      .totalCount as number;

  it("hides another partner's customer domains, users and agreements from a partner with customers of its own", async () => {
    const mine = await createCustomer(t.app, b.token);
    const theirs = await createCustomer(t.app, a.token);
    await t.app.inject({
      method: 'POST',
      url: `/v1/customers/${theirs.id}/agreements`,
      headers: bearer(a.token),
      payload: {
        firstName: 'Ann',
        lastName: 'Signer',
        email: 'ann@contoso.example',
        dateAgreed: '2026-01-02',
      },
    });
    for (const [table, expected] of [
      ['customer_domains', 1],
      ['customer_users', 1],
      ['customer_agreements', 1],
    ] as const) {
      const seen = await inPartnerTransaction(t.store.app, b.partnerId, (trx) =>
        trx
          .selectFrom(table)
          .select('customer_id')
          .where('customer_id', 'in', [mine.id, theirs.id])
          .execute(),
      );
      // B sees its own customer's rows (no agreement for it) and none of A's.
      expect(
        seen.map((r) => r.customer_id),
        table,
      ).toEqual(table === 'customer_agreements' ? [] : Array(expected).fill(mine.id));
      const owner = await t.store.owner
        .selectFrom(table)
        .select('customer_id')
        .where('customer_id', '=', theirs.id)
        .execute();
      expect(owner.length, table).toBeGreaterThan(0);
    }
  });

  it('keeps the whole list’s total through creations, removals, re-activations and deletions', async () => {
    const { admin: p } = await createPartnerWithAdmin(t.store);
    expect(await total(p)).toBe(0);
    const created = await createCustomer(t.app, p.token);
    const fixtures = [];
    for (let i = 0; i < 3; i++) fixtures.push(await insertCustomer(t.store, p.partnerId));
    expect(await total(p)).toBe(4);
    const setState = (customerId: string, state: 'active' | 'removed') =>
      t.store.owner
        .updateTable('customer_relationships')
        .set({ state, removed_at: state === 'removed' ? new Date() : null })
        .where('partner_id', '=', p.partnerId)
        .where('customer_id', '=', customerId)
        .execute();
    await setState(created.id, 'removed');
    expect(await total(p)).toBe(3);
    await setState(created.id, 'removed'); // no change: no count
    expect(await total(p)).toBe(3);
    await setState(created.id, 'active');
    expect(await total(p)).toBe(4);
    // A rename reaches the relationship through the sync trigger and changes no total.
    await t.store.owner
      .updateTable('customers')
      .set({ billing_company_name: 'Renamed', name_key: 'renamed' })
      .where('id', '=', fixtures[0]!.id)
      .execute();
    expect(await total(p)).toBe(4);
    await t.store.owner
      .deleteFrom('customer_relationships')
      .where('partner_id', '=', p.partnerId)
      .where('customer_id', '=', fixtures[1]!.id)
      .execute();
    expect(await total(p)).toBe(3);
    // Filtered lists are counted, and agree with the kept total when the filter matches everyone.
    expect(await total(p, '?delegatedAdmin=true')).toBe(3);
    const items = (
      await t.app.inject({ method: 'GET', url: '/v1/customers?size=1000', headers: bearer(p.token) })
    ).json().items as unknown[];
    expect(items).toHaveLength(3);
    // Another partner's total is its own.
    expect(await total(b)).toBeGreaterThan(0);
    expect(await total(b)).not.toBe(3);
  });

  it('shows through customer_list only the partner’s active relationships, and nothing without a partner', async () => {
    const none = await sql<{ n: number }>`select count(*)::int as n from customer_list`.execute(t.store.app);
    expect(none.rows[0]!.n).toBe(0);
    const counts = await sql<{ n: number }>`select count(*)::int as n from partner_customer_counts`.execute(
      t.store.app,
    );
    expect(counts.rows[0]!.n).toBe(0);
    const seen = await inPartnerTransaction(t.store.app, a.partnerId, (trx) =>
      trx.selectFrom('customer_list').select('partner_id').distinct().execute(),
    );
    expect(seen).toEqual([{ partner_id: a.partnerId }]);
    await expect(
      inPartnerTransaction(t.store.app, a.partnerId, (trx) =>
        sql`update customer_list set company_name = 'x'`.execute(trx),
      ),
    ).rejects.toThrow(/customer_list is read-only/);
    await expect(
      inPartnerTransaction(t.store.app, a.partnerId, (trx) => sql`delete from customer_list`.execute(trx)),
    ).rejects.toThrow(/customer_list is read-only/);
  });

  it('searches names and domains by prefix on the list’s btree indexes, not by reading every relationship', async () => {
    // Enough rows that a scan of the partner's relationships would cost more than the indexes.
    const { admin: p } = await createPartnerWithAdmin(t.store);
    await t.store.owner.transaction().execute(async (trx) => {
      await sql`
        insert into customers (id, instance, primary_domain, company_name, billing_email, culture, language,
                               billing_company_name, default_address, name_key, domain_key)
        select md5('scale' || g || ${p.partnerId})::uuid, 'global', 'scale' || g || 'x.onpartnerdesk.com',
               'Scale ' || g, 'b@scale.example', 'en-US', 'en', 'Scale ' || g, '{}'::jsonb, 'scale ' || g,
               'scale' || g || 'x.onpartnerdesk.com'
          from generate_series(1, 5000) g`.execute(trx);
      await sql`
        insert into customer_relationships (partner_id, customer_id, delegated_admin, company_name, name_key,
                                            primary_domain, domain_key, customer_created_at)
        select ${p.partnerId}, md5('scale' || g || ${p.partnerId})::uuid, true, 'Scale ' || g, 'scale ' || g,
               'scale' || g || 'x.onpartnerdesk.com', 'scale' || g || 'x.onpartnerdesk.com', now()
          from generate_series(1, 5000) g`.execute(trx);
    });
    await sql`analyze customer_relationships`.execute(t.store.owner);
    expect(await total(p)).toBe(5000);
    expect(await total(p, '?q=scale 123')).toBe(11); // 123, 1230–1239
    expect(await total(p, '?q=scale1234x')).toBe(1); // by domain
    const plan = await inPartnerTransaction(t.store.app, p.partnerId, async (trx) => {
      const r = await sql<{ 'QUERY PLAN': string }>`
        explain select count(*) from customer_list r
         where r.partner_id = ${p.partnerId}
           and ((r.name_key >= 'scale 123' and r.name_key < 'scale 124')
                or (r.domain_key >= 'scale 123' and r.domain_key < 'scale 124')
                or (r.domain_key like '% %' and r.domain_key like '% scale 123%'))`.execute(trx);
      return r.rows.map((row) => row['QUERY PLAN']).join('\n');
    });
    expect(plan).toMatch(/customer_list_by_name/);
    expect(plan).toMatch(/customer_list_by_domain_key/);
    expect(plan).not.toMatch(/Seq Scan on customer_relationships/);
  });

  it('bounds a prefix exactly in code point order, past the surrogates and the last code point', () => {
    expect(prefixUpperBound('contoso')).toBe('contosp');
    expect(prefixUpperBound('caf\u00e9')).toBe('caf\u00ea');
    expect(prefixUpperBound('a\u{10ffff}')).toBe('b');
    expect(prefixUpperBound('\ud7ff')).toBe('\ue000');
    expect(prefixUpperBound('\u{10ffff}')).toBeUndefined();
  });
});
