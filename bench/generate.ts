// Data at scale for the bench, generated in bulk SQL through the owner connection (generate_series).
// One partner ("the big partner") owns a large activity log and many users; the rest make the tables wide.
import { sql } from 'kysely';
import type { Store } from '../src/db/database.ts';
import { hashPassword } from '../src/lib/passwords.ts';
import { benchSession } from './session.ts';

export interface BenchData {
  partnerId: string;
  userId: string;
  token: string;
  summary: string;
}

export async function generate(store: Store, scale: number): Promise<BenchData> {
  const partners = Math.round(200 * scale);
  const usersPerPartner = 50;
  const activity = Math.round(200_000 * scale);
  const hash = await hashPassword('Bench-password-1');
  const db = store.owner;
  await sql`
    insert into partners (name, country, instance, kind, updated_at)
    select 'Bench partner ' || g, 'US', 'global', 'direct', now() from generate_series(1, ${partners}) g`.execute(
    db,
  );
  await sql`
    insert into partner_users (partner_id, user_name, display_name, password_hash, must_change_password, roles, updated_at)
    select p.id, 'user' || g || '@' || replace(p.id::text, '-', '') || '.example', 'User ' || g, ${hash}, false,
           array['globalAdmin'], now()
      from partners p cross join generate_series(1, ${usersPerPartner}) g`.execute(db);
  const big = await db
    .selectFrom('partner_users')
    .select(['id', 'partner_id'])
    .orderBy('created_at')
    .orderBy('id')
    .limit(1)
    .executeTakeFirstOrThrow();
  await sql`
    insert into activity_records (partner_id, occurred_at, actor_kind, actor_id, actor_name, action, resource_type, status, details)
    select ${big.partner_id}::uuid, now() - (g || ' seconds')::interval, 'partnerUser', ${big.id}::uuid, 'bench user',
           'partnerUser.update', 'PartnerUser', 'succeeded', '{"field":"displayName"}'::jsonb
      from generate_series(1, ${activity}) g`.execute(db);
  await sql`analyze`.execute(db);
  const token = await benchSession(db, big.partner_id, big.id);
  return {
    partnerId: big.partner_id,
    userId: big.id,
    token,
    summary: `data: ${partners} partners, ${partners * usersPerPartner} partner users, ${activity} activity records for one partner`,
  };
}
