// The bare baseline of the support bench, run as its own process like the Partnerdesk it is compared with: a
// minimal Fastify with raw `pg` queries on the owner connection (no row-level security, no auth, no validation,
// no mapping to the API's shapes), selecting what a list page shows (the request, its topic's name, the people's
// names and addresses, its note and file counts). Prints "baseline ready on <url>".
//   BENCH_DB_URL, BENCH_PARTNER_ID, DATABASE_POOL_SIZE
import Fastify from 'fastify';
import pg from 'pg';

const pool = new pg.Pool({
  connectionString: process.env.BENCH_DB_URL,
  max: Number(process.env.DATABASE_POOL_SIZE ?? 20),
});
const partnerId = process.env.BENCH_PARTNER_ID!;
const app = Fastify({ logger: false });

const OVERDUE = `(r.status <> 'closed' and r.first_response_at is null and r.response_due_at <= now())`;
const like = (v: string) => `%${v.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

// GET /bare/list?overdue=true&q=… — the first page of 100, newest first, and the count of all matches.
app.get('/bare/list', async (req) => {
  const query = req.query as { overdue?: string; q?: string };
  const params: unknown[] = [partnerId];
  const where = ['r.partner_id = $1'];
  if (query.overdue === 'true') where.push(OVERDUE);
  if (query.q) {
    params.push(like(query.q));
    const or = [`r.title ilike $${params.length}`, `r.organization_name ilike $${params.length}`];
    const number = /^(?:sr-?)?0*(\d{1,9})$/i.exec(query.q)?.[1];
    if (number) {
      params.push(Number(number));
      or.push(`r.number = $${params.length}`);
    }
    where.push(`(${or.join(' or ')})`);
  }
  const [rows, count] = await Promise.all([
    pool.query(
      `select r.*, t.name as topic_name, cu.user_name as created_by_email, uu.user_name as last_updated_by_email,
              au.display_name as assigned_to_name, au.user_name as assigned_to_email,
              (select count(*) from service_request_events e where e.request_id = r.id and e.kind = 'note')::int
                as note_count,
              (select count(*) from service_request_attachments a where a.request_id = r.id)::int as attachment_count
         from service_requests r
         join support_topics t on t.id = r.support_topic_id
         left join partner_users cu on cu.id = r.created_by_id
         left join partner_users uu on uu.id = r.last_updated_by_id
         left join partner_users au on au.id = r.assigned_to_id
        where ${where.join(' and ')}
        order by r.created_at desc, r.id desc limit 101`,
      params,
    ),
    pool.query(`select count(*)::int as n from service_requests r where ${where.join(' and ')}`, params),
  ]);
  return { totalCount: count.rows[0].n as number, items: rows.rows.slice(0, 100) };
});

// GET /bare/summary — the counts by status, overdue by severity, closed in the last 30 days, and the oldest
// overdue request.
app.get('/bare/summary', async () => {
  const [counts, oldest] = await Promise.all([
    pool.query(
      // The same three sets as the repository's summary, each from its own partial index.
      `select s.open, s."attentionNeeded", o.overdue, o.critical, o.moderate, o.minimal, c."closedLast30Days"
         from (select count(*) filter (where r.status = 'open')::int as open,
                      count(*) filter (where r.status = 'attentionNeeded')::int as "attentionNeeded"
                 from service_requests r
                where r.partner_id = $1 and r.status in ('open', 'attentionNeeded')) s,
              (select count(*)::int as overdue,
                      count(*) filter (where r.severity = 'critical')::int as critical,
                      count(*) filter (where r.severity = 'moderate')::int as moderate,
                      count(*) filter (where r.severity = 'minimal')::int as minimal
                 from service_requests r where r.partner_id = $1 and ${OVERDUE}) o,
              (select count(*)::int as "closedLast30Days"
                 from service_requests r
                where r.partner_id = $1 and r.status = 'closed' and r.closed_at >= now() - interval '30 days') c`,
      [partnerId],
    ),
    pool.query(
      `select r.id, r.number, r.title, r.response_due_at from service_requests r
        where r.partner_id = $1 and ${OVERDUE} order by r.response_due_at, r.number limit 1`,
      [partnerId],
    ),
  ]);
  const { critical, moderate, minimal, ...byStatus } = counts.rows[0];
  return {
    ...byStatus,
    overdueBySeverity: { critical, moderate, minimal },
    oldestOverdue: oldest.rows[0] ?? null,
  };
});

const url = await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`baseline ready on ${url}\n`);
process.on('SIGTERM', () => {
  void app
    .close()
    .then(() => pool.end())
    .then(() => process.exit(0));
});
