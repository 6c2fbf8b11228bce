// `npm run bench -- users-import`: adding customer users from a file, end to end over HTTP against a running
// Partnerdesk (`partnerdesk serve` in its own process, so its memory is its own), beside a bare baseline that
// does the same work with nothing else: parse the CSV with csv-parse and insert the users with multi-row INSERTs
// through `pg` as the owner (no auth, no row-level security, no job, no per-row results, no passwords file).
//
// For each file size (BENCH_IMPORT_ROWS, default 1000,10000,50000): validate time, create time from upload to
// `completed`, users per second, and the server's peak RSS during the import — flat across sizes means memory
// does not grow with the file. Then BENCH_CONCURRENT (default 100) single-user creates at once. Writes
// bench/results/users-import-<time>.md.
//
//   BENCH_IMPORT_ROWS=10000 npm run bench -- users-import
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import pg from 'pg';
import { hashGeneratedPassword, temporaryPassword } from '../src/lib/passwords.ts';
import { generate } from './generate.ts';
import type { Child } from './http.ts';
import { memoryOf, servePartnerdesk } from './http.ts';
import { writeReport } from './report.ts';
import { openBenchStore } from './store.ts';

const sizes = (process.env.BENCH_IMPORT_ROWS ?? '1000,10000,50000')
  .split(',')
  .map((s) => Number(s.trim()))
  .filter((n) => n > 0);
const concurrent = Number(process.env.BENCH_CONCURRENT ?? 100);
/** The server's JavaScript heap cap: the import must stream, not hold the file. */
const HEAP_MIB = 128;

/** A users file of `rows` rows at `domain`, written to disk (the upload streams it from there). */
function usersFile(dir: string, rows: number, domain: string, tag: string): string {
  const file = path.join(dir, `users-${tag}-${rows}.csv`);
  const out = fs.openSync(file, 'w');
  fs.writeSync(out, '\uFEFFFirst name,Last name,Display name,Email,Status update\r\n');
  let chunk = '';
  for (let i = 1; i <= rows; i++) {
    chunk += `Ana${i},Lopez${i},Ana Lopez ${i},ana.${tag}.${i}@${domain},\r\n`;
    if (chunk.length > 1 << 16) {
      fs.writeSync(out, chunk);
      chunk = '';
    }
  }
  fs.writeSync(out, chunk);
  fs.closeSync(out);
  return file;
}

async function upload(url: string, token: string, file: string, query: Record<string, string>) {
  const res = await fetch(`${url}?${new URLSearchParams(query)}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv', 'ms-requestid': randomUUID() },
    body: Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>,
    duplex: 'half',
  } as RequestInit);
  const body = (await res.json()) as Record<string, unknown>;
  if (res.status >= 300) throw new Error(`${res.status} ${JSON.stringify(body).slice(0, 500)}`);
  return body;
}

/** The baseline: parse the file and insert its users 500 at a time, as the owner, hashing a fresh password each. */
async function bareImport(pool: pg.Pool, file: string, customerId: string): Promise<number> {
  const parser = createReadStream(file).pipe(parse({ bom: true, from_line: 2 }));
  let batch: string[][] = [];
  let n = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const values: unknown[] = [];
    const tuples = batch.map((r, i) => {
      values.push(
        customerId,
        r[3]!.toLowerCase(),
        r[0],
        r[1],
        r[2],
        hashGeneratedPassword(temporaryPassword()),
      );
      const b = i * 6;
      return `($${b + 1}::uuid, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6}, '{}', now())`;
    });
    await pool.query(
      `insert into customer_users (customer_id, user_name, first_name, last_name, display_name, password_hash, roles, updated_at)
       values ${tuples.join(', ')}`,
      values,
    );
    n += batch.length;
    batch = [];
  };
  for await (const record of parser as AsyncIterable<string[]>) {
    batch.push(record);
    if (batch.length >= 500) await flush();
  }
  await flush();
  return n;
}

const seconds = (ms: number) => (ms / 1000).toFixed(2);
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

export async function runUsersImportBench(): Promise<void> {
  const bench = await openBenchStore('users');
  const { store, dbUrl, tmp } = bench;
  const biggest = Math.max(...sizes);
  let pd: Child | undefined;
  const pool = new pg.Pool({ connectionString: dbUrl, max: 4 });
  try {
    const data = await generate(store, 0.01);
    pd = await servePartnerdesk({
      DATABASE_URL: dbUrl,
      PORT: '0',
      HOST: '127.0.0.1',
      PARTNERDESK_DEMO: '0',
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: '1000000',
      USERS_IMPORT_MAX_ROWS: String(Math.max(biggest, 10_000)),
      NODE_OPTIONS: `--max-old-space-size=${HEAP_MIB}`,
      USERS_IMPORT_MAX_BYTES: String(Math.max(64, Math.ceil((biggest * 120) / (1 << 20)) + 8) * (1 << 20)),
    });
    const auth = { authorization: `Bearer ${data.token}`, 'content-type': 'application/json' };
    const api = async (method: string, url: string, body?: unknown) => {
      const res = await fetch(`${pd!.url}${url}`, {
        method,
        headers: { ...auth, 'ms-requestid': randomUUID() },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const json = (await res.json()) as Record<string, unknown>;
      if (res.status >= 300)
        throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(json).slice(0, 400)}`);
      return json;
    };
    const prefix = `bench${Date.now().toString(36)}`;
    const customer = (await api('POST', '/v1/customers', {
      companyProfile: { domain: `${prefix}.onpartnerdesk.com` },
      billingProfile: {
        firstName: 'Bill',
        lastName: 'Payer',
        email: 'billing@bench.example',
        culture: 'en-US',
        language: 'en',
        companyName: `Bench Users ${prefix}`,
        defaultAddress: {
          country: 'US',
          city: 'Redmond',
          state: 'WA',
          addressLine1: '1 Microsoft Way',
          postalCode: '98052',
          firstName: 'Pat',
          lastName: 'Primary',
          phoneNumber: '+1 425 555 0100',
        },
      },
    })) as { id: string; companyProfile: { domain: string } };
    const domain = customer.companyProfile.domain;
    const importsUrl = `${pd.url}/v1/customers/${customer.id}/users/imports`;

    // Warm-up: the first request of each kind pays for compiling schemas and JIT.
    await upload(importsUrl, data.token, usersFile(tmp, 50, domain, 'warm'), { mode: 'validate' });

    const rows: string[] = [];
    for (const n of sizes) {
      const file = usersFile(tmp, n, domain, `r${n}`);
      const mb = fs.statSync(file).size / (1 << 20);
      process.stdout.write(`${n.toLocaleString('en-US')} rows (${mb.toFixed(1)} MiB): validating…\n`);
      const pid = pd.child.pid!;
      const idle = memoryOf(pid).rss;
      let validatePeak = idle;
      const sampler = setInterval(() => (validatePeak = Math.max(validatePeak, memoryOf(pid).rss)), 50);
      let t = performance.now();
      const checked = (await upload(importsUrl, data.token, file, { mode: 'validate' }).finally(() =>
        clearInterval(sampler),
      )) as { validRows: number };
      const validateMs = performance.now() - t;
      if (checked.validRows !== n) throw new Error(`validate: ${checked.validRows} of ${n} rows valid`);

      process.stdout.write('  creating…\n');
      const before = memoryOf(pid).rss;
      let peak = before;
      t = performance.now();
      const started = (await upload(importsUrl, data.token, file, {
        mode: 'create',
        usageLocation: 'US',
      })) as {
        id: string;
      };
      let state = started as unknown as { state: string; created: number; failed: number; rowsDone: number };
      while (state.state !== 'completed' && state.state !== 'failed') {
        await new Promise((r) => setTimeout(r, 100));
        peak = Math.max(peak, memoryOf(pid).rss);
        state = (await api(
          'GET',
          `/v1/customers/${customer.id}/users/imports/${started.id}`,
        )) as typeof state;
      }
      const createMs = performance.now() - t;
      if (state.created !== n)
        throw new Error(`create: ${state.created} created, ${state.failed} failed of ${n}`);

      const bareFile = usersFile(tmp, n, domain, `bare${n}`);
      t = performance.now();
      await bareImport(pool, bareFile, customer.id);
      const bareMs = performance.now() - t;
      rows.push(
        `| ${n.toLocaleString('en-US')} | ${mb.toFixed(1)} | ${seconds(validateMs)} | ${seconds(createMs)} | ${Math.round(
          (n / createMs) * 1000,
        ).toLocaleString(
          'en-US',
        )} | ${seconds(bareMs)} | ${(createMs / bareMs).toFixed(2)} | ${Math.round(idle)} → ${Math.round(validatePeak)} | ${Math.round(before)} → ${Math.round(peak)} |`,
      );
      process.stdout.write(`  ${rows.at(-1)}\n`);
    }

    process.stdout.write(`${concurrent} single-user creates at once…\n`);
    const latencies: number[] = [];
    const t0 = performance.now();
    const results = await Promise.allSettled(
      Array.from({ length: concurrent }, async (_, i) => {
        const t = performance.now();
        await api('POST', `/v1/customers/${customer.id}/users`, {
          userPrincipalName: `single.${i}@${domain}`,
          displayName: `Single ${i}`,
          usageLocation: 'US',
        });
        latencies.push(performance.now() - t);
      }),
    );
    const wall = performance.now() - t0;
    const failures = results.filter((r) => r.status === 'rejected');
    latencies.sort((a, b) => a - b);

    const report = [
      `Partnerdesk bench users-import — ${new Date().toISOString()} — ${os.cpus().length} cores`,
      '',
      'Upload → `completed` over HTTP (text/csv streamed); baseline: csv-parse + multi-row INSERT as the owner, same',
      `password hashing, nothing else. RSS: the Partnerdesk process (its JavaScript heap capped at ${HEAP_MIB} MiB, so a`,
      'file held in memory would fail it) before each step → its peak during it.',
      '',
      '| rows | file MiB | validate s | create s (end to end) | users/s | baseline s | ratio | RSS MiB, validate | RSS MiB, create |',
      '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |',
      ...rows,
      '',
      `${concurrent} concurrent single-user creates (POST /v1/customers/{id}/users): ${seconds(wall)} s wall, ` +
        `p50 ${Math.round(percentile(latencies, 0.5))} ms, p99 ${Math.round(percentile(latencies, 0.99))} ms, ` +
        `${failures.length} failed${failures.length ? ` (${String((failures[0] as PromiseRejectedResult).reason)})` : ''}`,
      '',
    ].join('\n');
    writeReport('users-import', report);
  } finally {
    await pd?.stop();
    await pool.end();
    await bench.close();
  }
}
