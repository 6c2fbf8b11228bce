// npm run bench — generates data at scale, then runs each scenario against Partnerdesk and the same work on a
// bare baseline (a minimal Fastify route running the raw SQL with `pg`, no auth, no RLS, no conventions),
// side by side, and reports the ratio. Ratios survive a noisy machine better than absolute figures.
//
//   npm run bench                       embedded PostgreSQL in a temporary folder
//   BENCH_DATABASE_URL=postgres://… npm run bench
//   BENCH_SECONDS=10 BENCH_CONNECTIONS=50 BENCH_SCALE=1 npm run bench
//   npm run bench -- customers          the customer list at scale (bench/customers.run.ts)
//   npm run bench -- users-import       adding users from a file (bench/users-import.run.ts)
//   npm run bench -- billing            the invoice job over 100,000 subscriptions (bench/billing.run.ts)
//   npm run bench -- support            service request lists and summary over 100,000 (bench/support.run.ts)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import pg from 'pg';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { ensureDatabase, openStore } from '../src/db/database.ts';
import { startEmbeddedPostgres } from '../src/db/embedded.ts';
import { generate } from './generate.ts';
import { scenarios } from './scenarios.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 20);
const scale = Number(process.env.BENCH_SCALE ?? 1);

async function load(url: string, headers: Record<string, string>, method = 'GET', body?: string) {
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    headers,
    method: method as 'GET',
    body,
  });
  return {
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
  };
}

async function main() {
  let serverUrl = process.env.BENCH_DATABASE_URL;
  let stop: (() => Promise<void>) | undefined;
  let tmp: string | undefined;
  if (!serverUrl) {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'partnerdesk-bench-'));
    fs.chmodSync(tmp, 0o755);
    const server = await startEmbeddedPostgres({ dataDir: tmp, log: () => undefined, persistent: false });
    serverUrl = server.url;
    stop = server.stop;
  }
  const dbUrl = await ensureDatabase(serverUrl, `pd_bench_${process.pid}`);
  const config = loadConfig({
    DATABASE_URL: dbUrl,
    LOG_LEVEL: 'silent',
    PARTNERDESK_DEMO: '0',
    RATE_LIMIT_PER_MINUTE: '1000000',
    PORT: '0',
  });
  const store = await openStore(config, () => undefined);
  try {
    process.stdout.write(`generating data (scale ${scale})…\n`);
    const data = await generate(store, scale);
    process.stdout.write(`${data.summary}\n`);

    const app = await buildApp({ config, store, logger: false });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const appUrl = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;

    // The baseline: the same SQL straight through pg, as the owner (no RLS), with no conventions.
    const pool = new pg.Pool({ connectionString: dbUrl, max: config.databasePoolSize });
    const bare = Fastify({ logger: false });
    for (const s of scenarios)
      bare.route({ method: s.method, url: s.baselinePath, handler: s.baseline(pool, data) });
    await bare.listen({ port: 0, host: '127.0.0.1' });
    const bareUrl = `http://127.0.0.1:${(bare.server.address() as { port: number }).port}`;

    const rows: string[] = [];
    rows.push(
      `| scenario | Partnerdesk req/s | baseline req/s | ratio | p50 ms (pd / base) | p99 ms (pd / base) | errors |`,
      `| --- | ---: | ---: | ---: | --- | --- | ---: |`,
    );
    for (const s of scenarios) {
      process.stdout.write(`running ${s.name}…\n`);
      const req = s.request(data);
      const base = await load(`${bareUrl}${s.baselinePath}`, {}, s.method);
      const ours = await load(`${appUrl}${req.path}`, req.headers, s.method, req.body);
      rows.push(
        `| ${s.name} | ${ours.rps} | ${base.rps} | ${(ours.rps / Math.max(base.rps, 1)).toFixed(2)} | ${ours.p50} / ${base.p50} | ${ours.p99} / ${base.p99} | ${ours.errors + base.errors} |`,
      );
    }
    const header = `Partnerdesk bench — ${new Date().toISOString()} — ${os.cpus().length} cores, ${connections} connections, ${seconds} s per run\n${data.summary}\n`;
    const report = `${header}\n${rows.join('\n')}\n`;
    fs.mkdirSync('bench/results', { recursive: true });
    const file = path.join('bench/results', `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.md`);
    fs.writeFileSync(file, report);
    process.stdout.write(`\n${report}\nwritten to ${file}\n`);
    await app.close();
    await bare.close();
    await pool.end();
  } finally {
    await store.close();
    if (stop) await stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[2] === 'customers') await (await import('./customers.run.ts')).runCustomersBench();
else if (process.argv[2] === 'users-import')
  await (await import('./users-import.run.ts')).runUsersImportBench();
else if (process.argv[2] === 'billing') await (await import('./billing.run.ts')).runBillingBench();
else if (process.argv[2] === 'support') await (await import('./support.run.ts')).runSupportBench();
else if (process.argv[2] === undefined) await main();
else {
  process.stderr.write(
    `unknown bench "${process.argv[2]}": run it without an argument, or with "customers", "users-import", "billing" or "support"\n`,
  );
  process.exit(2);
}
