// `npm run bench -- customers`: the customer list at scale. Generates BENCH_CUSTOMERS customers (default
// 1,000,000; bench/customers.generate.ts), checks every list and search query's plan with EXPLAIN ANALYZE, then
// loads a running Partnerdesk (`partnerdesk serve` in its own process) and the bare baseline
// (bench/customers.baseline.ts, its own process too) with the same requests for the big partner, side by side:
// latency and req/s of list pages and searches, export rows/s and the server's peak memory while streaming,
// and customer creation. Writes bench/results/customers-<time>.md.
//
//   BENCH_CUSTOMERS=50000 BENCH_SECONDS=5 BENCH_CONNECTIONS=10 npm run bench -- customers
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type autocannon from 'autocannon';
import { sql } from 'kysely';
import { loadConfig } from '../src/config.ts';
import type { Store } from '../src/db/database.ts';
import { ensureDatabase, openStore } from '../src/db/database.ts';
import { startEmbeddedPostgres } from '../src/db/embedded.ts';
import { encodeCursor } from '../src/lib/paging.ts';
import type { CustomerPosition, CustomerQuery } from '../src/modules/customers/customers.repository.ts';
import { countCustomers, findCustomers } from '../src/modules/customers/customers.repository.ts';
import type { CustomerBenchData } from './customers.generate.ts';
import { generateCustomers } from './customers.generate.ts';
import { load, memoryOf, servePartnerdesk, startChild } from './http.ts';
import { explainQueries, summarizePlan } from './plans.ts';

const root = path.resolve(import.meta.dirname, '..');
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
const total = Number(process.env.BENCH_CUSTOMERS ?? 1_000_000);
const createSeconds = Number(process.env.BENCH_CREATE_SECONDS ?? seconds);

/** One autocannon run with the bench's connections and duration unless `opts` say otherwise. */
const measure = (opts: autocannon.Options) => load({ connections, duration: seconds, ...opts });

// ── query plans ──

interface PlanSummary {
  name: string;
  find: string;
  count: string;
  full: string;
}

/** The page's per-row look-ups of agreements and domains are left out of the summaries. */
const PER_ROW = /customer_agreements|customer_domains/;

/** The page query and the count of each case, as the repository sends them. */
async function explainAll(
  store: Store,
  data: CustomerBenchData,
  cases: ExplainCase[],
): Promise<PlanSummary[]> {
  const out: PlanSummary[] = [];
  for (const c of cases) {
    const [find, count] = await explainQueries(store, data.partnerId, [
      (trx) => findCustomers(trx, c.query, 'name', 'asc', c.position, 101),
      (trx) => countCustomers(trx, c.query),
    ]);
    out.push({
      name: c.name,
      find: summarizePlan(find!, PER_ROW),
      count: summarizePlan(count!, PER_ROW),
      full: `-- ${c.name}: page\n${find}\n\n-- ${c.name}: count\n${count}\n`,
    });
  }
  return out;
}

interface ExplainCase {
  name: string;
  query: CustomerQuery;
  position?: CustomerPosition;
}

// ── the run ──

export async function runCustomersBench(): Promise<void> {
  let serverUrl = process.env.BENCH_DATABASE_URL;
  let stopPg: (() => Promise<void>) | undefined;
  let tmp: string | undefined;
  if (!serverUrl) {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'partnerdesk-bench-'));
    fs.chmodSync(tmp, 0o755);
    const server = await startEmbeddedPostgres({ dataDir: tmp, log: () => undefined, persistent: false });
    serverUrl = server.url;
    stopPg = server.stop;
  }
  const dbUrl = await ensureDatabase(serverUrl, `pd_bench_customers_${process.pid}`);
  const config = loadConfig({ DATABASE_URL: dbUrl, LOG_LEVEL: 'silent', PARTNERDESK_DEMO: '0' });
  const store = await openStore(config, () => undefined);
  const children: { stop(): Promise<void> }[] = [];
  try {
    process.stdout.write(`generating ${total.toLocaleString('en-US')} customers…\n`);
    const data = await generateCustomers(store, total);
    process.stdout.write(`${data.summary}\n`);

    // Inputs: a common 4-letter name prefix, a substring inside the second word, one customer's domain, and
    // the position after 999 pages of 100 (or the last full page of a smaller run).
    const prefix = 'nort';
    const contains = 'solu';
    const pageNo = Math.min(1000, Math.floor(data.bigCount / 100));
    const before = await sql<{ name_key: string; customer_id: string }>`
      select name_key, customer_id from customer_relationships where partner_id = ${data.partnerId} and state = 'active'
       order by name_key, customer_id offset ${(pageNo - 1) * 100 - 1} limit 1`.execute(store.owner);
    const position = { key: before.rows[0]!.name_key, id: before.rows[0]!.customer_id };
    const scope = {
      list: 'customers',
      partnerId: data.partnerId,
      q: null,
      match: 'prefix',
      filter: null,
      customerId: null,
      delegatedAdmin: null,
      sort: 'name',
      order: 'asc',
    };
    const token = encodeCursor([position.key, position.id], scope);
    const domainFilter = JSON.stringify({
      Field: 'Domain',
      Value: data.sample.domain,
      Operator: 'starts_with',
    });
    const counts = await sql<{ prefix: number; contains: number }>`
      select count(*) filter (where name_key like ${`${prefix}%`} or domain_key like ${`${prefix}%`} or domain_key like ${`% ${prefix}%`})::int as prefix,
             count(*) filter (where name_key like ${`%${contains}%`} or domain_key like ${`%${contains}%`})::int as contains
        from customer_relationships where partner_id = ${data.partnerId} and state = 'active'`.execute(
      store.owner,
    );
    const matches = counts.rows[0]!;

    process.stdout.write('query plans (EXPLAIN ANALYZE)…\n');
    const P = data.partnerId;
    const plans = await explainAll(store, data, [
      { name: 'first page', query: { partnerId: P } },
      { name: `page ${pageNo}`, query: { partnerId: P }, position },
      {
        name: `prefix search "${prefix}"`,
        query: { partnerId: P, text: { value: prefix, match: 'prefix', fields: 'any' } },
      },
      {
        name: `contains search "${contains}"`,
        query: { partnerId: P, text: { value: contains, match: 'contains', fields: 'any' } },
      },
      {
        name: 'domain search',
        query: { partnerId: P, text: { value: data.sample.domain, match: 'prefix', fields: 'domain' } },
      },
      { name: 'get by id', query: { partnerId: P, customerId: data.sample.id } },
      // The edges: a one-letter prefix (a third of the list) and a term nothing contains.
      {
        name: 'prefix search "a"',
        query: { partnerId: P, text: { value: 'a', match: 'prefix', fields: 'any' } },
      },
      {
        name: 'contains search "zqx" (no match)',
        query: { partnerId: P, text: { value: 'zqx', match: 'contains', fields: 'any' } },
      },
    ]);
    for (const p of plans) process.stdout.write(`  ${p.name}\n    page:  ${p.find}\n    count: ${p.count}\n`);

    const pdEnv = {
      DATABASE_URL: dbUrl,
      PORT: '0',
      HOST: '127.0.0.1',
      PARTNERDESK_DEMO: '0',
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: '1000000',
    };
    const pd = await servePartnerdesk(pdEnv);
    children.push(pd);
    const bare = await startChild(
      ['bin/run-ts.js', 'bench/customers.baseline.ts'],
      {
        BENCH_DB_URL: dbUrl,
        BENCH_PARTNER_ID: data.partnerId,
        DATABASE_POOL_SIZE: String(config.databasePoolSize),
      },
      /baseline ready on (\S+)/,
    );
    children.push(bare);
    const auth = { authorization: `Bearer ${data.token}` };
    const q = encodeURIComponent;

    const scenarios: { name: string; ours: string; base: string }[] = [
      { name: 'first page (size 100)', ours: '/v1/customers?size=100', base: '/bare/list' },
      {
        name: `page ${pageNo.toLocaleString('en-US')} (cursor)`,
        ours: `/v1/customers?size=100&continuationToken=${q(token)}`,
        base: `/bare/list?key=${q(position.key)}&id=${position.id}`,
      },
      {
        name: `name prefix "${prefix}" (${matches.prefix.toLocaleString('en-US')} matches)`,
        ours: `/v1/customers?size=100&q=${prefix}`,
        base: `/bare/search?q=${prefix}`,
      },
      {
        name: `contains "${contains}" (${matches.contains.toLocaleString('en-US')} matches)`,
        ours: `/v1/customers?size=100&q=${contains}&match=contains`,
        base: `/bare/contains?q=${contains}`,
      },
      {
        name: 'domain (filter Domain starts_with, 1 match)',
        ours: `/v1/customers?size=100&filter=${q(domainFilter)}`,
        base: `/bare/domain?d=${q(data.sample.domain)}`,
      },
      {
        name: 'get by id',
        ours: `/v1/customers/${data.sample.id}`,
        base: `/bare/customers/${data.sample.id}`,
      },
    ];

    const rows: string[] = [
      '| scenario | Partnerdesk req/s | baseline req/s | ratio (base/pd) | p50 ms pd / base | p97.5 ms pd / base | p99 ms pd / base | errors |',
      '| --- | ---: | ---: | ---: | --- | --- | --- | ---: |',
    ];
    const single: string[] = [
      '| scenario | p50 ms pd / base | p97.5 ms pd / base | p99 ms pd / base | req/s pd / base |',
      '| --- | --- | --- | --- | --- |',
    ];
    for (const s of scenarios) {
      process.stdout.write(`running ${s.name}…\n`);
      // Both sides are checked to answer 200 before they are loaded.
      for (const [u, h] of [
        [`${pd.url}${s.ours}`, auth],
        [`${bare.url}${s.base}`, {}],
      ] as const) {
        const res = await fetch(u, { headers: h });
        if (!res.ok) throw new Error(`${u}: ${res.status} ${await res.text()}`);
        await res.arrayBuffer();
      }
      const base = await measure({ url: `${bare.url}${s.base}` });
      const ours = await measure({ url: `${pd.url}${s.ours}`, headers: auth });
      rows.push(
        `| ${s.name} | ${ours.rps} | ${base.rps} | ${(base.rps / Math.max(ours.rps, 1)).toFixed(2)}× | ${ours.p50} / ${base.p50} | ${ours.p97} / ${base.p97} | ${ours.p99} / ${base.p99} | ${ours.errors + base.errors} |`,
      );
      // One client at a time: the latency a single user sees, without queueing behind the others.
      const base1 = await measure({ url: `${bare.url}${s.base}`, connections: 1 });
      const ours1 = await measure({ url: `${pd.url}${s.ours}`, headers: auth, connections: 1 });
      single.push(
        `| ${s.name} | ${ours1.p50} / ${base1.p50} | ${ours1.p97} / ${base1.p97} | ${ours1.p99} / ${base1.p99} | ${ours1.rps} / ${base1.rps} |`,
      );
    }

    // Export: rows/s through HTTP for both, and the Partnerdesk process's memory while it streams (a fresh
    // process, so its peak is the export's, not the load tests').
    await pd.stop();
    children.splice(children.indexOf(pd), 1);
    // Its JavaScript heap capped well below the export's size: a server that held the rows would run out.
    const exp = await servePartnerdesk(pdEnv, ['--max-old-space-size=128']);
    children.push(exp);
    await (await fetch(`${exp.url}/v1/customers?size=100`, { headers: auth })).arrayBuffer();
    const idle = memoryOf(exp.child.pid!);
    const trail: number[] = [];
    const exportRun = async (
      url: string,
      headers: Record<string, string>,
      pid?: number,
      expected?: number,
    ) => {
      const t0 = performance.now();
      const res = await fetch(url, { headers });
      let lines = 0;
      let maxRss = 0;
      const reader = res.body!.getReader();
      let sampled = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        for (let i = 0; i < value.length; i++) if (value[i] === 10) lines++;
        if (pid && performance.now() - sampled > 50) {
          sampled = performance.now();
          const rss = memoryOf(pid).rss;
          maxRss = Math.max(maxRss, rss);
          // RSS at each tenth of the rows: flat means constant memory, rising means something accumulates.
          if (expected && lines >= (trail.length + 1) * (expected / 10)) trail.push(Math.round(rss));
        }
      }
      const s = (performance.now() - t0) / 1000;
      return { rows: lines - 1, seconds: s, rowsPerSecond: Math.round((lines - 1) / s), maxRss };
    };
    process.stdout.write('running export…\n');
    const oursExport = await exportRun(
      `${exp.url}/v1/customers/export.csv`,
      auth,
      exp.child.pid,
      data.bigCount,
    );
    const peak = memoryOf(exp.child.pid!);
    const baseExport = await exportRun(`${bare.url}/bare/export`, {});
    // The CLI streaming the same export to a file: its own peak memory.
    const cliFile = path.join(os.tmpdir(), `pd-bench-export-${process.pid}.csv`);
    const cliT0 = performance.now();
    const cli = spawn(process.execPath, ['bin/partnerdesk.js', 'customers', 'export', '--output', cliFile], {
      cwd: root,
      env: { ...process.env, PARTNERDESK_URL: exp.url, PARTNERDESK_TOKEN: data.token },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let cliOut = '';
    let cliPeak = 0;
    cli.stdout.on('data', (d) => (cliOut += String(d)));
    const poll = setInterval(() => {
      try {
        cliPeak = Math.max(cliPeak, memoryOf(cli.pid!).hwm);
      } catch {
        /* exited */
      }
    }, 20);
    await new Promise((r) => cli.once('exit', r));
    clearInterval(poll);
    const cliSeconds = (performance.now() - cliT0) / 1000;
    fs.rmSync(cliFile, { force: true });

    // Creation: distinct domains per request on both sides.
    let n = 0;
    const run = `${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
    const body = () => {
      n++;
      return JSON.stringify({
        companyProfile: { domain: `benchnew${run}${n}.onpartnerdesk.com` },
        billingProfile: {
          firstName: 'Pat',
          lastName: 'Primary',
          email: 'billing@bench.example',
          culture: 'en-US',
          language: 'en',
          companyName: `Bench New Customer ${n}`,
          defaultAddress: {
            country: 'US',
            city: 'Redmond',
            state: 'WA',
            addressLine1: '1 Microsoft Way',
            postalCode: '98052',
            firstName: 'Pat',
            lastName: 'Primary',
          },
        },
      });
    };
    const post = (url: string, headers: Record<string, string>) =>
      measure({
        url,
        duration: createSeconds,
        requests: [
          {
            method: 'POST',
            headers: { ...headers, 'content-type': 'application/json' },
            setupRequest: (req) => ({ ...req, body: body() }),
          },
        ],
      });
    process.stdout.write('running creation…\n');
    const baseCreate = await post(`${bare.url}/bare/customers`, {});
    const oursCreate = await post(`${exp.url}/v1/customers`, auth);
    rows.push(
      `| create customer (POST, distinct domains) | ${oursCreate.rps} | ${baseCreate.rps} | ${(baseCreate.rps / Math.max(oursCreate.rps, 1)).toFixed(2)}× | ${oursCreate.p50} / ${baseCreate.p50} | ${oursCreate.p97} / ${baseCreate.p97} | ${oursCreate.p99} / ${baseCreate.p99} | ${oursCreate.errors + baseCreate.errors} |`,
    );

    const mib = (v: number) => `${v.toFixed(0)} MiB`;
    const report = [
      `# Partnerdesk customers bench — ${new Date().toISOString()}`,
      '',
      `Machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'cpu'}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; ` +
        `Node ${process.version}; PostgreSQL ${(await sql<{ server_version: string }>`show server_version`.execute(store.owner)).rows[0]!.server_version}` +
        `${stopPg ? ' (embedded)' : ''}. autocannon ${connections} connections, ${seconds} s per run; Partnerdesk ` +
        '(`partnerdesk serve`) and the baseline each in their own process.',
      '',
      `${data.summary}.`,
      '',
      'Generation:',
      '',
      ...data.timings.map(([k, s]) => `- ${k}: ${s.toFixed(1)} s`),
      '',
      '## Requests (the big partner)',
      '',
      `${connections} connections. autocannon reports no p95: p97.5 is shown instead. ratio = baseline req/s ÷ ` +
        'Partnerdesk req/s.',
      '',
      ...rows,
      '',
      `The same requests from one connection (latency without queueing):`,
      '',
      ...single,
      '',
      '## Export (the big partner)',
      '',
      '| | rows | seconds | rows/s | memory |',
      '| --- | ---: | ---: | ---: | --- |',
      `| Partnerdesk GET /v1/customers/export.csv (server heap capped at 128 MiB) | ${oursExport.rows} | ${oursExport.seconds.toFixed(1)} | ${oursExport.rowsPerSecond} | server RSS ${mib(idle.rss)} before, at most ${mib(oursExport.maxRss)} while streaming; peak (VmHWM) ${mib(idle.hwm)} before → ${mib(peak.hwm)} after; RSS at each tenth of the rows: ${trail.join(', ')} MiB |`,
      `| baseline (keyset batches of 1,000, raw pg) | ${baseExport.rows} | ${baseExport.seconds.toFixed(1)} | ${baseExport.rowsPerSecond} | |`,
      `| \`partnerdesk customers export --output file\` | ${/^(\d+)/.exec(cliOut.trim())?.[1] ?? '?'} | ${cliSeconds.toFixed(1)} | ${Math.round(Number(/^(\d+)/.exec(cliOut.trim())?.[1] ?? 0) / cliSeconds)} | CLI peak (VmHWM) ${mib(cliPeak)} |`,
      '',
      '## Query plans (EXPLAIN ANALYZE, the repository’s SQL as the app role under row-level security)',
      '',
      '| query | page (101 rows) | count |',
      '| --- | --- | --- |',
      ...plans.map((p) => `| ${p.name} | ${p.find} | ${p.count} |`),
      '',
    ].join('\n');
    fs.mkdirSync(path.join(root, 'bench/results'), { recursive: true });
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const file = path.join(root, 'bench/results', `customers-${stamp}.md`);
    fs.writeFileSync(file, report);
    fs.writeFileSync(
      path.join(root, 'bench/results', `customers-${stamp}.plans.txt`),
      plans.map((p) => p.full).join('\n'),
    );
    process.stdout.write(`\n${report}\nwritten to ${file} (full plans beside it)\n`);
  } finally {
    for (const c of children) await c.stop().catch(() => undefined);
    await store.close();
    if (stopPg) await stopPg();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  }
}
