// `npm run bench -- support`: service request lists and the summary at scale. Generates BENCH_SERVICE_REQUESTS
// (default 100,000) requests of BENCH_PARTNERS (default 50) partners (bench/support.generate.ts), checks the
// plan of each list's page, count and the summary with EXPLAIN ANALYZE, then loads a running Partnerdesk
// (`partnerdesk serve`) and the bare baseline (bench/support.baseline.ts), each in its own process, with the
// same requests for the big partner, side by side. Before loading, both sides' answers are compared: the same
// requests on the page, the same totals and counts. Writes bench/results/support-<time>.md.
//
//   BENCH_SERVICE_REQUESTS=20000 BENCH_SECONDS=5 BENCH_CONNECTIONS=10 npm run bench -- support
import os from 'node:os';
import type autocannon from 'autocannon';
import { sql } from 'kysely';
import { loadConfig } from '../src/config.ts';
import type { RequestQuery } from '../src/modules/support/serviceRequests.repository.ts';
import {
  countRequests,
  findRequests,
  oldestOverdue,
  summary,
} from '../src/modules/support/serviceRequests.repository.ts';
import type { Child } from './http.ts';
import { load, servePartnerdesk, startChild } from './http.ts';
import { explainQueries, summarizePlan } from './plans.ts';
import { writeReport } from './report.ts';
import { openBenchStore } from './store.ts';
import { generateSupport } from './support.generate.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
const requests = Number(process.env.BENCH_SERVICE_REQUESTS ?? 100_000);
const partners = Number(process.env.BENCH_PARTNERS ?? 50);

const measure = (opts: autocannon.Options) => load({ connections, duration: seconds, ...opts });
const n = (x: number) => x.toLocaleString('en-US');

interface ListAnswer {
  totalCount: number;
  items: { id: string }[];
}
interface SummaryAnswer {
  open: number;
  attentionNeeded: number;
  overdue: number;
  closedLast30Days: number;
  overdueBySeverity: { critical: number; moderate: number; minimal: number };
  oldestOverdue: { id: string } | null;
}

async function fetchJson<T>(url: string, headers: Record<string, string> = {}): Promise<T> {
  const res = await fetch(url, { headers });
  const text = await res.text();
  if (!res.ok) throw new Error(`${url}: ${res.status} ${text.slice(0, 500)}`);
  return JSON.parse(text) as T;
}

/** The two answers agree (the same rules worked out twice), or the bench stops: a fast wrong answer is no win. */
function sameList(name: string, ours: ListAnswer, base: ListAnswer): void {
  const a = ours.items.map((i) => i.id).join();
  const b = base.items.map((i) => i.id).join();
  if (ours.totalCount !== base.totalCount || a !== b)
    throw new Error(
      `${name}: Partnerdesk and the baseline disagree (totals ${ours.totalCount} / ${base.totalCount}, ` +
        `${ours.items.length} / ${base.items.length} items${a === b ? '' : ', different items'})`,
    );
}

function sameSummary(ours: SummaryAnswer, base: SummaryAnswer): void {
  const pick = (s: SummaryAnswer) =>
    JSON.stringify([
      s.open,
      s.attentionNeeded,
      s.overdue,
      s.closedLast30Days,
      s.overdueBySeverity,
      s.oldestOverdue?.id ?? null,
    ]);
  if (pick(ours) !== pick(base))
    throw new Error(`summary: Partnerdesk and the baseline disagree: ${pick(ours)} / ${pick(base)}`);
}

export async function runSupportBench(): Promise<void> {
  const bench = await openBenchStore('support');
  const { store, dbUrl } = bench;
  const children: Child[] = [];
  try {
    process.stdout.write(`generating ${n(requests)} service requests of ${partners} partners…\n`);
    const data = await generateSupport(store, { requests, partners });
    process.stdout.write(`${data.summary}\n`);
    const ref = data.sampleReference;

    process.stdout.write('query plans (EXPLAIN ANALYZE)…\n');
    const now = new Date();
    const P = data.partnerId;
    const cases: { name: string; query: RequestQuery }[] = [
      { name: 'first page', query: { partnerId: P, now } },
      { name: 'overdue', query: { partnerId: P, now, overdue: true } },
      { name: `q=${data.searchTerm}`, query: { partnerId: P, now, text: data.searchTerm } },
      { name: `q=${ref}`, query: { partnerId: P, now, text: ref, number: Number(ref.slice(3)) } },
    ];
    const plans: { name: string; page: string; count: string }[] = [];
    const fullPlans: string[] = [];
    for (const c of cases) {
      const [page, count] = await explainQueries(store, P, [
        (trx) => findRequests(trx, c.query, undefined, 101),
        (trx) => countRequests(trx, c.query),
      ]);
      plans.push({ name: c.name, page: summarizePlan(page!), count: summarizePlan(count!) });
      fullPlans.push(`-- ${c.name}: page\n${page}\n\n-- ${c.name}: count\n${count}\n`);
    }
    const [counts, oldest] = await explainQueries(store, P, [
      (trx) => summary(trx, P, now, new Date(now.getTime() - 30 * 86_400_000)),
      (trx) => oldestOverdue(trx, P, now),
    ]);
    plans.push({ name: 'summary', page: summarizePlan(oldest!), count: summarizePlan(counts!) });
    fullPlans.push(`-- summary: counts\n${counts}\n\n-- summary: oldest overdue\n${oldest}\n`);
    for (const p of plans) process.stdout.write(`  ${p.name}\n    page:  ${p.page}\n    count: ${p.count}\n`);

    const pd = await servePartnerdesk({
      DATABASE_URL: dbUrl,
      PORT: '0',
      HOST: '127.0.0.1',
      PARTNERDESK_DEMO: '0',
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: '1000000',
    });
    children.push(pd);
    const bare = await startChild(
      ['bin/run-ts.js', 'bench/support.baseline.ts'],
      {
        BENCH_DB_URL: dbUrl,
        BENCH_PARTNER_ID: P,
        DATABASE_POOL_SIZE: String(loadConfig({ DATABASE_URL: dbUrl }).databasePoolSize),
      },
      /baseline ready on (\S+)/,
    );
    children.push(bare);
    const auth = { authorization: `Bearer ${data.token}` };
    const q = encodeURIComponent;

    const scenarios: { name: string; ours: string; base: string; summary?: true }[] = [
      {
        name: `first page of 100 (${n(data.bigCount)} requests)`,
        ours: '/v1/servicerequests?size=100',
        base: '/bare/list',
      },
      {
        name: `overdue=true (${n(data.overdueCount)} matches)`,
        ours: '/v1/servicerequests?size=100&overdue=true',
        base: '/bare/list?overdue=true',
      },
      {
        name: `q=${data.searchTerm} (${n(data.searchCount)} matches)`,
        ours: `/v1/servicerequests?size=100&q=${q(data.searchTerm)}`,
        base: `/bare/list?q=${q(data.searchTerm)}`,
      },
      {
        name: `q=${ref} (a reference number, 1 match)`,
        ours: `/v1/servicerequests?size=100&q=${q(ref)}`,
        base: `/bare/list?q=${q(ref)}`,
      },
      {
        name: 'summary (GET /v1/servicerequests/summary)',
        ours: '/v1/servicerequests/summary',
        base: '/bare/summary',
        summary: true,
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
      if (s.summary)
        sameSummary(
          await fetchJson<SummaryAnswer>(`${pd.url}${s.ours}`, auth),
          await fetchJson<SummaryAnswer>(`${bare.url}${s.base}`),
        );
      else
        sameList(
          s.name,
          await fetchJson<ListAnswer>(`${pd.url}${s.ours}`, auth),
          await fetchJson<ListAnswer>(`${bare.url}${s.base}`),
        );
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

    const version = (await sql<{ server_version: string }>`show server_version`.execute(store.owner)).rows[0]!
      .server_version;
    const report = [
      `# Partnerdesk support bench — ${new Date().toISOString()}`,
      '',
      `Machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'cpu'}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; ` +
        `Node ${process.version}; PostgreSQL ${version}${process.env.BENCH_DATABASE_URL ? '' : ' (embedded)'}. autocannon ` +
        `${connections} connections, ${seconds} s per run; Partnerdesk (\`partnerdesk serve\`) and the baseline ` +
        '(a minimal Fastify running the same SQL through `pg` as the owner: no auth, no row-level security, no ' +
        'mapping) each in their own process. Both answered the same before each run (the same requests on the ' +
        'page, the same totals and counts).',
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
      'The same requests from one connection (latency without queueing):',
      '',
      ...single,
      '',
      '## Query plans (EXPLAIN ANALYZE, the repository’s SQL as the app role under row-level security)',
      '',
      '| query | page (101 rows) / summary: oldest overdue | count / summary: counts |',
      '| --- | --- | --- |',
      ...plans.map((p) => `| ${p.name} | ${p.page} | ${p.count} |`),
      '',
      '<details><summary>Full plans</summary>',
      '',
      '```',
      ...fullPlans,
      '```',
      '',
      '</details>',
      '',
    ].join('\n');
    writeReport('support', report);
  } finally {
    for (const c of children) await c.stop().catch(() => undefined);
    await bench.close();
  }
}
