// Customers at scale for `npm run bench -- customers`: BENCH_CUSTOMERS (default 1,000,000) customers across
// 1,000 partners, one of which (the big partner) has a fifth of them; the rest are spread evenly. Written in
// bulk SQL on the owner connection (INSERT … SELECT generate_series) with the list's secondary indexes dropped
// during the load and rebuilt after it, then VACUUM ANALYZE so index-only scans see an all-visible heap.
//
// name_key must be what src/lib/text.ts foldForSearch makes of the name. The names are built from word lists
// that are ASCII, or Latin letters whose accents decompose (NFKD) into an ASCII letter plus marks in
// U+0300–U+036F, so SQL folds them exactly: normalize(NFKD), drop those marks, lower(). A sample is checked
// against foldForSearch before anything is measured.
import { sql } from 'kysely';
import type { Db, Store } from '../src/db/database.ts';
import { foldForSearch } from '../src/lib/text.ts';
import { hashPassword } from '../src/lib/passwords.ts';
import { benchSession } from './session.ts';
import { timed } from './timed.ts';

const FIRST = [
  'Contoso',
  'Fabrikam',
  'Northwind',
  'Adventure',
  'Alpine',
  'Bellows',
  'Coho',
  'Fourth',
  'Graphic',
  'Humongous',
  'Litware',
  'Lucerne',
  'Margie',
  'Proseware',
  'Southridge',
  'Tailspin',
  'Trey',
  'Wide World',
  'Wingtip',
  'Woodgrove',
  'Blue Yonder',
  'Relecloud',
  'Datum',
  'Consolidated',
  'Fineartschool',
  'Lamna',
  'Munson',
  'Nod',
  'Olympia',
  'Pinnacle',
  'Prairie',
  'Redwood',
  'Riverside',
  'Summit',
  'Harbor',
  'Cascade',
  'Evergreen',
  'Granite',
  'Meridian',
  'Horizon',
  'Keystone',
  'Liberty',
  'Maple',
  'Oakridge',
  'Pioneer',
  'Quantum',
  'Sterling',
  'Vanguard',
  'Willow',
  'Atlas',
  'Beacon',
  'Cedar',
  'Delta',
  'Ember',
  'Falcon',
  'Gateway',
  'Ironwood',
  'Juniper',
  'Lakeside',
  'Northstar',
  'Café',
  'Zürich',
  'Müller',
  'Société Générale',
  'Crème',
  'Ångström',
  'São Paulo',
  'Düsseldorf',
  'Kühne',
  'Niño',
  'Électricité',
  'Böhm',
];
const SECOND = [
  'Pharmacy',
  'Bank',
  'Airlines',
  'Research',
  'Systems',
  'Solutions',
  'Logistics',
  'Foods',
  'Studios',
  'Publishing',
  'Winery',
  'Toys',
  'Travel',
  'Insurance',
  'Consulting',
  'Software',
  'Energy',
  'Motors',
  'Health',
  'Media',
  'Labs',
  'Networks',
  'Outfitters',
  'Partners',
  'Trading',
  'Imports',
  'Analytics',
  'Robotics',
  'Bakery',
  'Brewing',
  'Dental',
  'Architects',
  'Construction',
  'Realty',
  'Legal',
  'Clinic',
  'Academy',
  'Hotels',
  'Marine',
  'Textiles',
];
const SUFFIX = [
  'Inc',
  'LLC',
  'Ltd',
  'GmbH',
  'Corp',
  'Group',
  'Holdings',
  'Co',
  'SA',
  'AG',
  'PLC',
  'Partners',
];
const PLACES: [string, string, string][] = [
  ['Seattle', 'WA', '98101'],
  ['Redmond', 'WA', '98052'],
  ['Portland', 'OR', '97201'],
  ['San Francisco', 'CA', '94105'],
  ['Austin', 'TX', '78701'],
  ['Chicago', 'IL', '60601'],
  ['New York', 'NY', '10001'],
  ['Boston', 'MA', '02108'],
  ['Denver', 'CO', '80202'],
  ['Atlanta', 'GA', '30303'],
];

export interface CustomerBenchData {
  partnerId: string;
  userId: string;
  token: string;
  bigCount: number;
  total: number;
  partners: number;
  /** One of the big partner's customers (for get-by-id and domain search). */
  sample: { id: string; domain: string; name: string };
  timings: [string, number][];
  summary: string;
}

const arr = (words: readonly string[]) =>
  sql.raw(`array[${words.map((w) => `'${w.replace(/'/g, "''")}'`).join(',')}]`);

/** The SQL twin of foldForSearch for the generated names (see the header). */
const FOLD = (expr: string) =>
  `lower(regexp_replace(normalize(${expr}, NFKD), '[\\u0300-\\u036f]', '', 'g'))`;

const TABLES = ['customers', 'customer_relationships', 'customer_domains'];

export async function generateCustomers(
  store: Store,
  total: number,
  partnerCount = 1000,
): Promise<CustomerBenchData> {
  const db = store.owner;
  const timings: [string, number][] = [];
  const bigCount = Math.round(total / 5);
  const t0 = performance.now();

  const partnerIds = await timed(timings, `${partnerCount} partners`, async () => {
    await sql`
      insert into partners (name, country, instance, kind, updated_at)
      select 'Bench reseller ' || lpad(g::text, 4, '0'), 'US', 'global', 'direct', now()
        from generate_series(1, ${partnerCount}) g`.execute(db);
    const rows = await sql<{ id: string }>`
      select id from partners where name like 'Bench reseller %' order by name`.execute(db);
    return rows.rows.map((r) => r.id);
  });
  const bigPartner = partnerIds[0]!;

  // One pinned connection: session settings (replication role, memory) hold for every statement.
  await db.connection().execute(async (conn) => {
    const su = await sql<{
      su: boolean;
    }>`select rolsuper as su from pg_roles where rolname = current_user`.execute(conn);
    const superuser = su.rows[0]?.su === true;
    await sql`set maintenance_work_mem = '1GB'`.execute(conn);
    await sql`set work_mem = '256MB'`.execute(conn);

    // Secondary indexes go during the load and come back after it: one sorted build beats a million inserts.
    const indexes = await sql<{ name: string; def: string }>`
      select i.indexname as name, i.indexdef as def from pg_indexes i
       where i.schemaname = 'public' and i.tablename in ('customers', 'customer_relationships', 'customer_domains')
         and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`.execute(conn);
    for (const ix of indexes.rows) await sql.raw(`drop index ${ix.name}`).execute(conn);

    await timed(timings, `${total.toLocaleString('en-US')} generated rows (temporary table)`, async () => {
      await sql`
        create temporary table partner_no as
        select row_number() over (order by name) - 1 as n, id from partners where name like 'Bench reseller %'`.execute(
        conn,
      );
      // The big partner (number 0) takes every fifth customer; the others share the rest in turn. Domain
      // prefixes are the folded name's letters and digits (18 at most) plus the row number: unique, ≤ 25 chars.
      await sql`
        create temporary table gen as
        with h as (
          select g as i, md5(g::text) as m from generate_series(1, ${total}) g
        ), n as (
          select i,
                 (${arr(FIRST)})[1 + ('x' || substr(m, 1, 6))::bit(24)::int % ${FIRST.length}] || ' ' ||
                 (${arr(SECOND)})[1 + ('x' || substr(m, 7, 6))::bit(24)::int % ${SECOND.length}] || ' ' ||
                 (${arr(SUFFIX)})[1 + ('x' || substr(m, 13, 6))::bit(24)::int % ${SUFFIX.length}] as name,
                 ('x' || substr(m, 19, 7))::bit(28)::int as r
            from h
        ), k as (
          select i, name, ${sql.raw(FOLD('name'))} as name_key, r from n
        )
        select k.i,
               md5('customer' || k.i)::uuid as id,
               p.id as partner_id,
               k.name,
               k.name_key,
               left(regexp_replace(k.name_key, '[^a-z0-9]', '', 'g'), 18) || k.i || '.onpartnerdesk.com' as domain,
               k.r,
               now() - make_interval(secs => k.r % 94608000) as created_at
          from k join partner_no p on p.n = case when k.i % 5 = 0 then 0 else 1 + k.i % ${partnerCount - 1} end`.execute(
        conn,
      );
    });

    if (superuser) await sql`set session_replication_role = replica`.execute(conn); // no FK checks: consistent by construction
    await timed(timings, 'customers', () =>
      sql`
        insert into customers (id, instance, primary_domain, company_name, registration_number, billing_first_name,
                               billing_last_name, billing_email, culture, language, billing_company_name,
                               default_address, name_key, domain_key, created_at, updated_at)
        select id, 'global', domain, name, null, 'Pat', 'Primary', 'billing@' || domain, 'en-US', 'en', name,
               jsonb_build_object('country', 'US', 'city', (${arr(PLACES.map((p) => p[0]))})[1 + r % ${PLACES.length}],
                                  'state', (${arr(PLACES.map((p) => p[1]))})[1 + r % ${PLACES.length}],
                                  'addressLine1', (1 + r % 9000) || ' Main Street',
                                  'postalCode', (${arr(PLACES.map((p) => p[2]))})[1 + r % ${PLACES.length}],
                                  'firstName', 'Pat', 'lastName', 'Primary'),
               name_key, domain, created_at, created_at
          from gen`.execute(conn),
    );
    await timed(timings, 'customer_relationships', () =>
      sql`
        insert into customer_relationships (partner_id, customer_id, delegated_admin, established_at, company_name,
                                            name_key, primary_domain, domain_key, customer_created_at)
        select partner_id, id, r % 10 <> 0, created_at, name, name_key, domain, domain, created_at from gen`.execute(
        conn,
      ),
    );
    await timed(timings, 'customer_domains', () =>
      sql`insert into customer_domains (domain, customer_id, is_primary, created_at)
          select domain, id, true, created_at from gen`.execute(conn),
    );
    if (superuser) await sql`set session_replication_role = origin`.execute(conn);
    // What the relationship triggers keep (they do not fire in replica mode).
    await timed(timings, 'per-partner totals', () =>
      sql`
        insert into partner_customer_counts (partner_id, active_customers)
        select partner_id, count(*) from customer_relationships where state = 'active' group by partner_id
        on conflict (partner_id) do update set active_customers = excluded.active_customers`.execute(conn),
    );

    await timed(timings, `${indexes.rows.length} indexes rebuilt`, async () => {
      for (const ix of indexes.rows) await sql.raw(ix.def).execute(conn);
    });
    await timed(timings, 'vacuum analyze', async () => {
      for (const t of TABLES) await sql.raw(`vacuum (analyze) ${t}`).execute(conn);
    });
    await sql`drop table gen`.execute(conn);
    await sql`drop table partner_no`.execute(conn);
  });
  const generationSeconds = (performance.now() - t0) / 1000;

  await verifyFolding(db);

  const user = await sql<{ id: string }>`
    insert into partner_users (partner_id, user_name, display_name, password_hash, must_change_password, roles, updated_at)
    values (${bigPartner}, 'bench-admin@bench.example', 'Bench admin', ${await hashPassword('Bench-password-1')}, false,
            array['globalAdmin'], now())
    returning id`.execute(db);
  const userId = user.rows[0]!.id;
  const token = await benchSession(db, bigPartner, userId);
  const sample = await sql<{ id: string; domain: string; name: string }>`
    select customer_id as id, primary_domain as domain, company_name as name from customer_relationships
     where partner_id = ${bigPartner} order by customer_id offset ${Math.floor(bigCount / 2)} limit 1`.execute(
    db,
  );
  return {
    partnerId: bigPartner,
    userId,
    token,
    bigCount,
    total,
    partners: partnerCount,
    sample: sample.rows[0]!,
    timings,
    summary:
      `data: ${total.toLocaleString('en-US')} customers across ${partnerCount} partners, the big partner with ` +
      `${bigCount.toLocaleString('en-US')}; generated in ${generationSeconds.toFixed(0)} s`,
  };
}

/** The SQL-folded keys of a sample (every accented first word among them) equal foldForSearch of the names. */
async function verifyFolding(db: Db): Promise<void> {
  const rows = await sql<{ company_name: string; name_key: string }>`
    (select company_name, name_key from customers tablesample system (1) limit 2000)
    union all
    (select distinct on (split_part(company_name, ' ', 1)) company_name, name_key from customers
      where company_name ~ '[^ -~]' order by split_part(company_name, ' ', 1))`.execute(db);
  const wrong = rows.rows.filter((r) => foldForSearch(r.company_name) !== r.name_key);
  if (rows.rows.length === 0 || wrong.length > 0)
    throw new Error(
      `name_key differs from foldForSearch for ${wrong.length} of ${rows.rows.length} sampled names, e.g. ` +
        JSON.stringify(wrong.slice(0, 3)),
    );
  process.stdout.write(`  name_key checked against foldForSearch on ${rows.rows.length} names: all equal\n`);
}
