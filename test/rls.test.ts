// The second wall: with no partner context, the app role sees no partner rows; with one, only that partner's.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inPartnerTransaction } from '../src/db/database.ts';
import { createTestStore } from './helpers/db.ts';

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
});
