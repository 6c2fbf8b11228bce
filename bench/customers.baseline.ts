// The bare baseline of the customers bench, run as its own process like the Partnerdesk it is compared with:
// a minimal Fastify with one raw `pg` query (or one plain transaction) per route, on the owner connection (no
// row-level security, no auth, no validation, no conventions). Prints "baseline ready on <url>".
//   BENCH_DB_URL, BENCH_PARTNER_ID, DATABASE_POOL_SIZE
import Fastify from 'fastify';
import pg from 'pg';

const pool = new pg.Pool({
  connectionString: process.env.BENCH_DB_URL,
  max: Number(process.env.DATABASE_POOL_SIZE ?? 20),
});
const partnerId = process.env.BENCH_PARTNER_ID!;
const app = Fastify({ logger: false });

const PAGE = `select c.*, r.delegated_admin, r.established_at from customer_relationships r
                join customers c on c.id = r.customer_id`;
const ACTIVE = `r.partner_id = $1 and r.state = 'active'`;
const like = (v: string) => v.replace(/[\\%_]/g, (c) => `\\${c}`);

async function page(where: string, params: unknown[], after?: { key: string; id: string }) {
  // As Partnerdesk orders a search: by an expression of the name no index provides (see its repository).
  const order = where === ACTIVE ? 'r.name_key' : `(r.name_key || '') collate "C"`;
  const keyset = after
    ? ` and (r.name_key, r.customer_id) > ($${params.length + 1}::text collate "C", $${params.length + 2}::uuid)`
    : '';
  const [rows, count] = await Promise.all([
    pool.query(`${PAGE} where ${where}${keyset} order by ${order}, r.customer_id limit 101`, [
      ...params,
      ...(after ? [after.key, after.id] : []),
    ]),
    // The whole list's total as Partnerdesk keeps it (per-partner row); a search's total counted.
    where === ACTIVE
      ? pool.query(`select active_customers as n from partner_customer_counts where partner_id = $1`, params)
      : pool.query(`select count(*)::int as n from customer_relationships r where ${where}`, params),
  ]);
  return { totalCount: count.rows[0].n as number, items: rows.rows.slice(0, 100) };
}

app.get('/bare/list', async (req) => {
  const q = req.query as { key?: string; id?: string };
  return page(ACTIVE, [partnerId], q.key && q.id ? { key: q.key, id: q.id } : undefined);
});

// A prefix as Partnerdesk searches it: a range of the "C"-collated key, and the later-domains arm.
const upper = (v: string) => v.slice(0, -1) + String.fromCodePoint(v.codePointAt(v.length - 1)! + 1);
const RANGE = (column: string) => `(${column} >= $2::text collate "C" and ${column} < $3::text collate "C")`;

app.get('/bare/search', async (req) => {
  const q = (req.query as { q: string }).q;
  return page(
    `${ACTIVE} and (${RANGE('r.name_key')} or ${RANGE('r.domain_key')} or (r.domain_key like '% %' and r.domain_key like $4))`,
    [partnerId, q, upper(q), `% ${like(q)}%`],
  );
});

app.get('/bare/contains', async (req) => {
  const v = like((req.query as { q: string }).q);
  return page(`${ACTIVE} and (r.name_key like $2 or r.domain_key like $2)`, [partnerId, `%${v}%`]);
});

app.get('/bare/domain', async (req) => {
  const d = (req.query as { d: string }).d;
  return page(
    `${ACTIVE} and (${RANGE('r.domain_key')} or (r.domain_key like '% %' and r.domain_key like $4))`,
    [partnerId, d, upper(d), `% ${like(d)}%`],
  );
});

app.get('/bare/customers/:id', async (req) => {
  const r = await pool.query(`${PAGE} where ${ACTIVE} and r.customer_id = $2`, [
    partnerId,
    (req.params as { id: string }).id,
  ]);
  return r.rows[0];
});

// The same CSV, keyset batches of 1,000 written as they come.
app.get('/bare/export', async (_req, reply) => {
  reply.hijack();
  reply.raw.writeHead(200, { 'content-type': 'text/csv' });
  reply.raw.write('Microsoft ID,Company name,Primary domain name,Relationship\r\n');
  let after: [string, string] | undefined;
  for (;;) {
    const r = await pool.query<{
      customer_id: string;
      company_name: string;
      primary_domain: string;
      name_key: string;
    }>(
      `select customer_id, company_name, primary_domain, name_key from customer_relationships r where ${ACTIVE}
         ${after ? `and (r.name_key, r.customer_id) > ($2::text collate "C", $3::uuid)` : ''}
       order by r.name_key, r.customer_id limit 1000`,
      after ? [partnerId, ...after] : [partnerId],
    );
    let chunk = '';
    for (const row of r.rows)
      chunk += `${row.customer_id},${row.company_name},${row.primary_domain},Reseller\r\n`;
    if (!reply.raw.write(chunk)) await new Promise((resolve) => reply.raw.once('drain', resolve));
    const last = r.rows.at(-1);
    if (r.rows.length < 1000 || !last) break;
    after = [last.name_key, last.customer_id];
  }
  reply.raw.end();
});

// A plain INSERT of the rows a creation makes (tenant, relationship, primary domain) in one transaction.
app.post('/bare/customers', async (req, reply) => {
  const b = req.body as {
    companyProfile: { domain: string };
    billingProfile: { companyName: string; email: string; defaultAddress: unknown };
  };
  const client = await pool.connect();
  try {
    await client.query('begin');
    const c = await client.query<{ id: string }>(
      `insert into customers (id, instance, primary_domain, company_name, billing_email, culture, language,
                              billing_company_name, default_address, name_key, domain_key)
       values (gen_random_uuid(), 'global', $1, $2, $3, 'en-US', 'en', $2, $4, lower($2), $1) returning id`,
      [
        b.companyProfile.domain,
        b.billingProfile.companyName,
        b.billingProfile.email,
        JSON.stringify(b.billingProfile.defaultAddress),
      ],
    );
    const id = c.rows[0]!.id;
    await client.query(
      `insert into customer_relationships (partner_id, customer_id, delegated_admin, company_name, name_key,
                                           primary_domain, domain_key, customer_created_at)
       values ($1, $2, true, $3, lower($3), $4, $4, now())`,
      [partnerId, id, b.billingProfile.companyName, b.companyProfile.domain],
    );
    await client.query(
      `insert into customer_domains (domain, customer_id, is_primary) values ($1, $2, true)`,
      [b.companyProfile.domain, id],
    );
    await client.query('commit');
    return reply.code(201).send({ id });
  } catch (err) {
    await client.query('rollback');
    throw err;
  } finally {
    client.release();
  }
});

const url = await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`baseline ready on ${url}\n`);
process.on('SIGTERM', () => {
  void app
    .close()
    .then(() => pool.end())
    .then(() => process.exit(0));
});
