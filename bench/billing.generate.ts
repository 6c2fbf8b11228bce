// Subscriptions at scale for `npm run bench -- billing`: BENCH_SUBSCRIPTIONS (default 100,000) subscriptions of
// BENCH_PARTNERS (default 50) partners' customers (five subscriptions a customer on average), written in bulk
// SQL on the owner connection (INSERT … SELECT generate_series). Partners sell in the US (USD), Germany (EUR) and
// Japan (JPY, no minor unit), so a partner's month makes invoices in its own currency.
//
// The mix: 80% licences billed monthly (a monthly or an annual term), 10% licences billed annually (their
// anniversaries spread over the year, so about a twelfth start a cycle in the month), 10% Azure plans with four
// usage records each in the month, on three meters, one of whose prices changes mid-month. A tenth of the
// licences change quantity mid-month and one in a hundred is suspended mid-month; the state history
// (subscription_states) is written by the subscriptions trigger itself, as in production. Every month before the
// benched one is already closed, so the invoice job has exactly one month to do.
import { sql } from 'kysely';
import type { Store } from '../src/db/database.ts';
import { timed } from './timed.ts';

export interface BillingBenchData {
  /** The month the job closes, 'YYYY-MM-01'. */
  period: string;
  partners: number;
  customers: number;
  subscriptions: number;
  states: number;
  usageRecords: number;
  timings: [string, number][];
  summary: string;
}

/** Offer id, name, monthly price in USD cents (EUR about the same, JPY ×1.5 in yen). */
const LICENCES: [string, string, number][] = [
  ['BENCH-M365-E3', 'Microsoft 365 E3 (bench)', 3600],
  ['BENCH-M365-BP', 'Microsoft 365 Business Premium (bench)', 2200],
  ['BENCH-M365-BB', 'Microsoft 365 Business Basic (bench)', 600],
  ['BENCH-EMS-E3', 'Enterprise Mobility + Security E3 (bench)', 1060],
  ['BENCH-TEAMS-PHONE', 'Teams Phone Standard (bench)', 800],
];
const AZURE = 'BENCH-AZURE-PLAN';
/** Meter id, name, unit, USD price in cents per unit (fractions allowed). */
const METERS: [string, string, string, string][] = [
  ['vm-d2s-v5-hours', 'Virtual machines D2s v5', '1 Hour', '9.6'],
  ['storage-lrs-gb', 'Managed disks LRS', '1 GB/Month', '4.5'],
  ['bandwidth-out-gb', 'Bandwidth, data transfer out', '1 GB', '0.87'],
];
const CURRENCIES: [string, string, number][] = [
  ['US', 'USD', 1],
  ['DE', 'EUR', 0.93],
  ['JP', 'JPY', 1.5],
];

export async function generateBilling(
  store: Store,
  opts: { subscriptions: number; partners: number; period: string },
): Promise<BillingBenchData> {
  const db = store.owner;
  const timings: [string, number][] = [];
  const { subscriptions: total, partners, period } = opts;
  const customers = Math.max(1, Math.round(total / 5));
  const t0 = performance.now();

  await timed(timings, 'catalog (5 licences, an Azure plan with 3 meters, 3 markets)', async () => {
    await sql`insert into catalog_markets (country, currency)
              select * from (values ('US', 'USD'), ('DE', 'EUR'), ('JP', 'JPY')) m(country, currency)
              on conflict (country) do nothing`.execute(db);
    for (const [id, name] of LICENCES)
      await sql`
        insert into offers (id, name, product_kind, billing_type, unit_type, terms, billing_cycles, min_quantity,
                            max_quantity, countries, instances, cancellable, search_key, updated_at)
        values (${id}, ${name}, 'onlineService', 'license', 'Licenses', '{P1M,P1Y}', '{monthly,annual}', 1, 10000,
                '{*}', '{global}', false, lower(${`${id} ${name}`}), now())`.execute(db);
    await sql`
      insert into offers (id, name, product_kind, billing_type, unit_type, terms, billing_cycles, min_quantity,
                          max_quantity, countries, instances, cancellable, search_key, updated_at)
      values (${AZURE}, 'Azure plan (bench)', 'azurePlan', 'usage', 'Usage', '{}', '{monthly}', 1, 1, '{*}',
              '{global}', false, 'bench-azure-plan azure plan (bench)', now())`.execute(db);
    for (const [id, , monthly] of LICENCES)
      for (const [, currency, rate] of CURRENCIES)
        for (const term of ['P1M', 'P1Y'])
          for (const cycle of term === 'P1M' ? ['monthly'] : ['monthly', 'annual']) {
            const price = Math.round(monthly * rate * (cycle === 'annual' ? 12 : 1));
            await sql`insert into offer_prices (offer_id, currency, term, billing_cycle, unit_price)
                      values (${id}, ${currency}, ${term}, ${cycle}, ${price})`.execute(db);
          }
    for (const [meter, name, unit, price] of METERS) {
      await sql`insert into offer_meters (offer_id, meter_id, name, category, unit)
                values (${AZURE}, ${meter}, ${name}, 'Compute', ${unit})`.execute(db);
      for (const [, currency, rate] of CURRENCIES) {
        await sql`insert into meter_prices (offer_id, meter_id, currency, effective_from, unit_price)
                  values (${AZURE}, ${meter}, ${currency}, '2020-01-01', round(${price}::numeric * ${rate}, 6))`.execute(
          db,
        );
        // One price change in the middle of the month: usage is rated with the price of its own date.
        if (meter === METERS[0]![0])
          await sql`insert into meter_prices (offer_id, meter_id, currency, effective_from, unit_price)
                    values (${AZURE}, ${meter}, ${currency}, ${period}::date + 14,
                            round(${price}::numeric * ${rate} * 0.95, 6))`.execute(db);
      }
    }
  });

  // One pinned connection: the temporary tables and session settings hold for every statement.
  await db.connection().execute(async (conn) => {
    await sql`set work_mem = '256MB'`.execute(conn);
    await sql`set timezone = 'UTC'`.execute(conn);
    await timed(timings, `${partners} partners, ${customers.toLocaleString('en-US')} customers`, async () => {
      await sql`
        create temporary table bench_partner as
        select g - 1 as n, md5('bench billing partner ' || g)::uuid as id,
               'Bench billing partner ' || lpad(g::text, 3, '0') as name,
               -- Six in ten partners sell in the US, three in Germany, one in Japan.
               case when g % 10 < 6 then 'US' when g % 10 < 9 then 'DE' else 'JP' end as country
          from generate_series(1, ${partners}) g`.execute(conn);
      await sql`insert into partners (id, name, country, instance, kind, updated_at)
                select id, name, country, 'global', 'direct', now() from bench_partner`.execute(conn);
      await sql`
        create temporary table bench_customer as
        select g - 1 as n, md5('bench billing customer ' || g)::uuid as id, p.id as partner_id, p.country,
               m.currency, 'Bench customer ' || lpad(g::text, 6, '0') as name,
               'benchcustomer' || g || '.onpartnerdesk.com' as domain,
               md5('bench billing order ' || g)::uuid as order_id
          from generate_series(1, ${customers}) g
          join bench_partner p on p.n = g % ${partners}
          join catalog_markets m on m.country = p.country`.execute(conn);
      await sql`
        insert into customers (id, instance, primary_domain, company_name, billing_email, culture, language,
                               billing_company_name, default_address, name_key, domain_key, created_at, updated_at)
        select id, 'global', domain, name, 'billing@' || domain, 'en-US', 'en', name,
               jsonb_build_object('country', country, 'city', 'Bench City', 'addressLine1', '1 Main Street'),
               lower(name), domain, ${period}::date - 800, ${period}::date - 800
          from bench_customer`.execute(conn);
      await sql`insert into customer_domains (domain, customer_id, is_primary)
                select domain, id, true from bench_customer`.execute(conn);
      await sql`
        insert into customer_relationships (partner_id, customer_id, delegated_admin, established_at, company_name,
                                            name_key, primary_domain, domain_key, customer_created_at)
        select partner_id, id, true, ${period}::date - 800, name, lower(name), domain, domain, ${period}::date - 800
          from bench_customer`.execute(conn);
      await sql`insert into orders (id, partner_id, customer_id, currency, created_by, created_at)
                select order_id, partner_id, id, currency, 'bench', ${period}::date - 800
                  from bench_customer`.execute(conn);
    });

    await timed(
      timings,
      `${total.toLocaleString('en-US')} subscriptions (their first states by the trigger)`,
      () =>
        sql`
        insert into subscriptions (id, partner_id, customer_id, order_id, line_item_number, offer_id, offer_name,
                                   product_kind, billing_type, unit_type, friendly_name, quantity, term,
                                   billing_cycle, auto_renew, currency, unit_price, azure_subscription_id,
                                   creation_date, effective_start_date, commitment_end_date, updated_at)
        select s.id, c.partner_id, c.id, c.order_id, s.g, o.id, o.name, o.product_kind, o.billing_type, o.unit_type,
               o.name || ' #' || s.g, s.quantity, s.term, s.cycle, true, c.currency, p.unit_price,
               case when s.kind = 'usage' then md5('bench azure ' || s.g)::uuid end,
               s.start, s.start,
               case when s.term = 'P1Y' then s.start + interval '1 year' when s.term = 'P1M' then s.start + interval '1 month' end,
               s.start
          from (
            select g, md5('bench subscription ' || g)::uuid as id, kind,
                   case kind when 'usage' then ${AZURE}
                        else (${sql.raw(`array[${LICENCES.map(([id]) => `'${id}'`).join(',')}]`)})[1 + (g / 10) % ${LICENCES.length}] end as offer,
                   case kind when 'usage' then null when 'annual' then 'P1Y' when 'monthlyP1Y' then 'P1Y' else 'P1M' end as term,
                   case kind when 'annual' then 'annual' else 'monthly' end as cycle,
                   case kind when 'usage' then 1 else 1 + (g::bigint * 7919) % 50 end::int as quantity,
                   -- Started up to a year and a half before the month, a few of the monthly ones during it; Azure
                   -- plans before it. Annual ones over the 365 days to the month's end, so that a twelfth of them
                   -- start a cycle in it.
                   case kind
                     when 'annual' then ${period}::date + interval '1 month' - make_interval(days => 1 + ((g::bigint * 104729) % 365)::int)
                     when 'usage' then ${period}::date - make_interval(days => 30 + ((g::bigint * 104729) % 500)::int)
                     else ${period}::date - make_interval(days => ((g::bigint * 104729) % 540)::int - 20) end
                     + make_interval(hours => g % 24) as start
              from (select g, case when g % 10 = 0 then 'usage' when g % 10 = 1 then 'annual'
                                   when g % 10 < 5 then 'monthlyP1Y' else 'monthlyP1M' end as kind
                      from generate_series(1, ${total}) g) k
          ) s
          join bench_customer c on c.n = s.g % ${customers}
          join offers o on o.id = s.offer
          left join offer_prices p on p.offer_id = s.offer and p.currency = c.currency
                                  and p.term = s.term and p.billing_cycle = s.cycle`.execute(conn),
    );

    await timed(
      timings,
      'mid-month quantity changes and suspensions (more states by the trigger)',
      async () => {
        // A tenth of the licences that started before the month change quantity on a day of it (up or down).
        await sql`
        update subscriptions s set quantity = greatest(1, s.quantity + case when s.line_item_number % 3 = 0 then -1 else 2 end),
               updated_at = ${period}::date + make_interval(days => 1 + s.line_item_number % 26, hours => 10),
               version = version + 1
         where s.offer_id like 'BENCH-%' and s.billing_type = 'license' and (s.line_item_number / 10) % 10 = 3
           and s.effective_start_date < ${period}::date`.execute(conn);
        // One in a hundred is suspended on a day of the month: no charge from that day.
        await sql`
        update subscriptions s set status = 'suspended', suspension_reasons = '{nonPayment}',
               suspended_at = ${period}::date + make_interval(days => 5 + s.line_item_number % 20, hours => 9),
               deletion_due_at = ${period}::date + make_interval(days => 95 + s.line_item_number % 20, hours => 9),
               updated_at = ${period}::date + make_interval(days => 5 + s.line_item_number % 20, hours => 9),
               version = version + 1
         where s.offer_id like 'BENCH-%' and s.billing_type = 'license' and (s.line_item_number / 10) % 100 = 7
           and s.effective_start_date < ${period}::date`.execute(conn);
      },
    );

    await timed(timings, 'usage records (4 per Azure plan, rated at their date)', () =>
      sql`
        insert into usage_records (id, partner_id, customer_id, subscription_id, offer_id, meter_id, usage_date,
                                   quantity, unit_price, currency, amount, client_record_id, created_by, created_at)
        select md5('bench usage ' || u.g || '-' || u.k)::uuid, u.partner_id, u.customer_id, u.id, ${AZURE}, u.meter,
               u.day, u.quantity, mp.unit_price, u.currency, u.quantity * mp.unit_price,
               'bench-' || u.g || '-' || u.k, 'bench', now()
          from (
            select s.line_item_number as g, k, s.id, s.partner_id, s.customer_id, s.currency,
                   (${sql.raw(`array[${METERS.map(([id]) => `'${id}'`).join(',')}]`)})[1 + (s.line_item_number + k) % ${METERS.length}] as meter,
                   (${period}::date + ((s.line_item_number * 7 + k * 5) % 28))::date as day,
                   round(((s.line_item_number * 31 + k * 17) % 2400)::numeric / 10 + 0.125, 3) as quantity
              from subscriptions s cross join generate_series(1, 4) k
             where s.offer_id = ${AZURE}
          ) u
          cross join lateral (
            select unit_price from meter_prices p
             where p.offer_id = ${AZURE} and p.meter_id = u.meter and p.currency = u.currency
               and p.effective_from <= u.day
             order by p.effective_from desc limit 1) mp`.execute(conn),
    );

    await timed(timings, 'earlier months closed', () =>
      sql`
        insert into billing_periods (partner_id, period_start, status, closed_at)
        select p.id, m::date, 'closed', m + interval '1 month'
          from bench_partner p
          cross join generate_series(${period}::date - interval '36 months', ${period}::date - interval '1 month', interval '1 month') m
        on conflict do nothing`.execute(conn),
    );
    await timed(timings, 'vacuum analyze', async () => {
      for (const t of [
        'subscriptions',
        'subscription_states',
        'usage_records',
        'customers',
        'customer_relationships',
      ])
        await sql.raw(`vacuum (analyze) ${t}`).execute(conn);
    });
    await sql`drop table bench_customer`.execute(conn);
    await sql`drop table bench_partner`.execute(conn);
  });

  const count = async (table: string) =>
    Number(
      (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(db)).rows[0]!.n,
    );
  const states = await count('subscription_states');
  const usageRecords = await count('usage_records');
  const seconds = (performance.now() - t0) / 1000;
  return {
    period,
    partners,
    customers,
    subscriptions: total,
    states,
    usageRecords,
    timings,
    summary:
      `data: ${total.toLocaleString('en-US')} subscriptions of ${customers.toLocaleString('en-US')} customers of ` +
      `${partners} partners (USD, EUR, JPY), ${states.toLocaleString('en-US')} subscription states, ` +
      `${usageRecords.toLocaleString('en-US')} usage records; generated in ${seconds.toFixed(0)} s`,
  };
}
