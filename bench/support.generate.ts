// Service requests at scale for `npm run bench -- support`: BENCH_SERVICE_REQUESTS (default 100,000) requests of
// BENCH_PARTNERS (default 50) partners' customers, written in bulk SQL on the owner connection (INSERT … SELECT
// generate_series). One partner (the big partner, the one the bench signs in as) holds a fifth of them, the rest
// are spread evenly; each customer has ten requests, each partner a Global admin and four Helpdesk agents.
//
// The mix, made over the two years before now: 70% closed, 20% open, 10% attention needed; severities 20%
// critical, 50% moderate, 30% minimal; three in five assigned to a Helpdesk agent. Every request has its
// `created` event; all but a quarter of the unclosed ones have had their first response (a note), so that about
// 7% are overdue; closed ones a status change too; one in ten carries a small text file. Titles come from ten
// kinds of problem (one in ten mentions a "mailbox": the search term measured), organizations from ten names.
import { sql } from 'kysely';
import type { Store } from '../src/db/database.ts';
import { hashPassword } from '../src/lib/passwords.ts';
import { benchSession } from './session.ts';
import { timed } from './timed.ts';

export interface SupportBenchData {
  partnerId: string;
  userId: string;
  token: string;
  /** The big partner's requests, its overdue ones, and those the search term finds. */
  bigCount: number;
  overdueCount: number;
  searchTerm: string;
  searchCount: number;
  /** A reference number of the big partner's, from the middle of its numbers. */
  sampleReference: string;
  timings: [string, number][];
  summary: string;
}

const TITLES = [
  'Mail is not delivered to the shared mailbox',
  'Cannot sign in after the password reset',
  'Invoice shows the wrong number of seats',
  'Licence is not assigned to a new user',
  'Virtual machine does not start after resizing',
  'Teams calls drop after a minute',
  'Azure plan transfer is stuck in pending',
  'Domain verification fails for the new domain',
  'Subscription was suspended by mistake',
  'SharePoint site became read-only',
];
const ORGANIZATIONS = [
  'Contoso',
  'Fabrikam',
  'Northwind Traders',
  'Adventure Works',
  'Tailspin Toys',
  'Wide World Importers',
  'Woodgrove Bank',
  'Litware',
  'Proseware',
  'Coho Winery',
];
const TOPICS = [
  'billing',
  'subscriptions',
  'licensing',
  'azure',
  'microsoft365',
  'identity',
  'transfers',
  'serviceHealth',
  'other',
];
const array = (items: readonly string[]) =>
  sql.raw(`array[${items.map((s) => `'${s.replace(/'/g, "''")}'`).join(', ')}]::text[]`);

export async function generateSupport(
  store: Store,
  opts: { requests: number; partners: number },
): Promise<SupportBenchData> {
  const db = store.owner;
  const timings: [string, number][] = [];
  const { requests: total, partners } = opts;
  const big = partners > 1 ? Math.round(total / 5) : total;
  const hash = await hashPassword('Bench-password-1');
  const t0 = performance.now();

  // One pinned connection: the temporary tables and session settings hold for every statement.
  await db.connection().execute(async (conn) => {
    await sql`set work_mem = '256MB'`.execute(conn);
    await timed(timings, `${partners} partners, 5 users each, their customers`, async () => {
      await sql`
        create temporary table bench_partner as
        select g - 1 as n, md5('bench support partner ' || g)::uuid as id,
               'Bench support partner ' || lpad(g::text, 3, '0') as name
          from generate_series(1, ${partners}) g`.execute(conn);
      await sql`insert into partners (id, name, country, instance, kind, updated_at)
                select id, name, 'US', 'global', 'direct', now() from bench_partner`.execute(conn);
      // User 1 of each partner is its Global admin, users 2–5 its Helpdesk agents.
      await sql`
        insert into partner_users (id, partner_id, user_name, display_name, password_hash, must_change_password,
                                   roles, updated_at)
        select md5('bench support user ' || p.n || '-' || u)::uuid, p.id,
               case u when 1 then 'admin' else 'agent' || u end || '@p' || p.n || '.bench.example',
               case u when 1 then 'Bench admin' else 'Agent ' || u end, ${hash}, false,
               case u when 1 then array['globalAdmin'] else array['helpdeskAgent'] end, now()
          from bench_partner p cross join generate_series(1, 5) u`.execute(conn);
      // Request g's partner (the big one first), then its place among that partner's requests.
      await sql`
        create temporary table bench_sr as
        select g, partner_n, row_number() over (partition by partner_n order by g) - 1 as k
          from (select g, case when g <= ${big} then 0 else 1 + g % ${Math.max(partners - 1, 1)} end as partner_n
                  from generate_series(1, ${total}) g) x`.execute(conn);
      await sql`
        create temporary table bench_customer as
        select distinct on (s.partner_n, s.k / 10) s.partner_n, s.k / 10 as customer_n,
               md5('bench support customer ' || s.partner_n || '-' || (s.k / 10))::uuid as id,
               (${array(ORGANIZATIONS)})[1 + (s.k / 10) % ${ORGANIZATIONS.length}] || ' '
                 || lpad((s.k / 10)::text, 5, '0') || ' P' || s.partner_n as name,
               'benchsupport' || s.partner_n || 'c' || (s.k / 10) || '.onpartnerdesk.com' as domain
          from bench_sr s
         order by s.partner_n, s.k / 10`.execute(conn);
      await sql`
        insert into customers (id, instance, primary_domain, company_name, billing_email, culture, language,
                               billing_company_name, default_address, name_key, domain_key, created_at, updated_at)
        select id, 'global', domain, name, 'billing@' || domain, 'en-US', 'en', name,
               jsonb_build_object('country', 'US', 'city', 'Bench City', 'addressLine1', '1 Main Street'),
               lower(name), domain, now() - interval '3 years', now() - interval '3 years'
          from bench_customer`.execute(conn);
      await sql`insert into customer_domains (domain, customer_id, is_primary)
                select domain, id, true from bench_customer`.execute(conn);
      await sql`
        insert into customer_relationships (partner_id, customer_id, delegated_admin, established_at, company_name,
                                            name_key, primary_domain, domain_key, customer_created_at)
        select p.id, c.id, true, now() - interval '3 years', c.name, lower(c.name), c.domain, c.domain,
               now() - interval '3 years'
          from bench_customer c join bench_partner p on p.n = c.partner_n`.execute(conn);
    });

    await timed(timings, `${total.toLocaleString('en-US')} service requests`, () =>
      sql`
        insert into service_requests (id, partner_id, customer_id, number, title, description, severity,
                                      support_topic_id, status, contact_first_name, contact_last_name, contact_email,
                                      organization_name, country_code, assigned_to_id, created_by_id, created_by_name,
                                      last_updated_by_id, last_updated_by_name, created_at, updated_at,
                                      response_clock_started_at, response_due_at, first_response_at, closed_at,
                                      last_closed_at, version)
        select id, partner_id, customer_id,
               row_number() over (partition by partner_id order by created_at, id)::int,
               title, 'Reported by the customer: ' || title, severity, topic, status, 'Casey', 'Contact ' || g,
               'casey' || g || '@customer.example', organization, 'US', assignee, admin, 'Bench admin', admin,
               'Bench admin', created_at, coalesce(closed_at, responded_at, created_at), created_at,
               created_at + case severity when 'critical' then interval '2 hours'
                                          when 'moderate' then interval '4 hours' else interval '8 hours' end,
               responded_at, closed_at, closed_at,
               1 + (responded_at is not null)::int + (closed_at is not null)::int
          from (
            select s.g, md5('bench sr ' || s.g)::uuid as id, p.id as partner_id, c.id as customer_id,
                   (${array(TITLES)})[1 + s.g % ${TITLES.length}] as title,
                   case when s.g % 10 < 2 then 'critical' when s.g % 10 < 7 then 'moderate' else 'minimal' end as severity,
                   (${array(TOPICS)})[1 + s.g % ${TOPICS.length}] as topic, c.name as organization,
                   case when h < 70 then 'closed' when h < 90 then 'open' else 'attentionNeeded' end as status,
                   case when (s.g / 7) % 5 < 3 then md5('bench support user ' || s.partner_n || '-' || (2 + s.g % 4))::uuid end
                     as assignee,
                   md5('bench support user ' || s.partner_n || '-1')::uuid as admin,
                   created_at,
                   case when h < 70 or (s.g / 3) % 4 <> 0 then created_at + interval '30 minutes' end as responded_at,
                   case when h < 70 then created_at + interval '2 days' end as closed_at
              from (select *, (g::bigint * 104729) % 100 as h,
                           now() - make_interval(mins => ((g::bigint * 7919) % (730 * 1440))::int) as created_at
                      from bench_sr) s
              join bench_partner p on p.n = s.partner_n
              join bench_customer c on c.partner_n = s.partner_n and c.customer_n = s.k / 10
          ) r`.execute(conn),
    );

    await timed(timings, 'timelines (created, first-response notes, closes) and files', async () => {
      await sql`
        insert into service_request_events (request_id, partner_id, occurred_at, kind, actor_kind, actor_id,
                                            actor_name, text, details)
        select r.id, r.partner_id, e.at, e.kind, 'partnerUser', r.created_by_id, 'Bench admin', e.text,
               coalesce(e.details, '{}'::jsonb)
          from service_requests r
          cross join lateral (values
            (r.created_at, 'created', null, null),
            (r.first_response_at, 'note', 'Looking into it.', null),
            (r.closed_at, 'statusChanged', null, '{"from":"open","to":"closed"}'::jsonb)
          ) e(at, kind, text, details)
         where e.at is not null
         order by r.created_at, e.at`.execute(conn);
      await sql`
        insert into service_request_attachments (id, request_id, partner_id, file_name, content_type, size_bytes,
                                                 sha256, content, created_at, created_by_id, created_by_name)
        select md5('bench sr file ' || r.id)::uuid, r.id, r.partner_id, 'trace.log', 'text/plain',
               octet_length(f.content), encode(sha256(f.content), 'hex'), f.content, r.created_at, r.created_by_id,
               'Bench admin'
          from service_requests r
          cross join lateral (select convert_to(repeat('12:00:01 connection reset by peer' || chr(10), 16), 'UTF8')
                                as content) f
         where r.number % 10 = 0`.execute(conn);
      await sql`
        insert into service_request_events (request_id, partner_id, occurred_at, kind, actor_kind, actor_id,
                                            actor_name, details)
        select a.request_id, a.partner_id, a.created_at, 'attachmentAdded', 'partnerUser', a.created_by_id,
               'Bench admin', jsonb_build_object('attachmentId', a.id, 'fileName', a.file_name)
          from service_request_attachments a`.execute(conn);
      await sql`
        insert into service_request_counters (partner_id, last_number)
        select partner_id, max(number) from service_requests group by partner_id`.execute(conn);
    });

    await timed(timings, 'vacuum analyze', async () => {
      for (const t of [
        'service_requests',
        'service_request_events',
        'service_request_attachments',
        'customers',
        'customer_relationships',
        'partner_users',
      ])
        await sql.raw(`vacuum (analyze) ${t}`).execute(conn);
    });
    await sql`drop table bench_sr`.execute(conn);
    await sql`drop table bench_customer`.execute(conn);
    await sql`drop table bench_partner`.execute(conn);
  });

  const partnerId = (await sql<{ id: string }>`select md5('bench support partner 1')::uuid as id`.execute(db))
    .rows[0]!.id;
  const userId = (await sql<{ id: string }>`select md5('bench support user 0-1')::uuid as id`.execute(db))
    .rows[0]!.id;
  const searchTerm = 'mailbox';
  const counts = await sql<{ total: number; overdue: number; found: number; events: number; files: number }>`
    select count(*)::int as total,
           count(*) filter (where status <> 'closed' and first_response_at is null and response_due_at <= now())::int
             as overdue,
           count(*) filter (where title ilike ${`%${searchTerm}%`} or organization_name ilike ${`%${searchTerm}%`})::int
             as found,
           (select count(*)::int from service_request_events) as events,
           (select count(*)::int from service_request_attachments) as files
      from service_requests where partner_id = ${partnerId}`.execute(db);
  const c = counts.rows[0]!;
  const seconds = (performance.now() - t0) / 1000;
  return {
    partnerId,
    userId,
    token: await benchSession(db, partnerId, userId),
    bigCount: c.total,
    overdueCount: c.overdue,
    searchTerm,
    searchCount: c.found,
    sampleReference: `SR-${String(Math.ceil(c.total / 2)).padStart(6, '0')}`,
    timings,
    summary:
      `data: ${total.toLocaleString('en-US')} service requests of ${partners} partners (the big partner: ` +
      `${c.total.toLocaleString('en-US')}, ${c.overdue.toLocaleString('en-US')} overdue), ` +
      `${c.events.toLocaleString('en-US')} timeline events, ${c.files.toLocaleString('en-US')} files; ` +
      `generated in ${seconds.toFixed(0)} s`,
  };
}
