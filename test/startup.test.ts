// `partnerdesk serve` as a user runs it: a child process on a temporary data dir with the embedded
// PostgreSQL. First start seeds the demo; SIGTERM drains and exits 0 leaving no PostgreSQL behind; a second
// start reuses the data; bad config is one line; a second signal forces; a failed start stops PostgreSQL.
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../src/db/embedded.ts';
import { BIN, childEnv } from './helpers/child.ts';

interface Server {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  waitFor(pattern: RegExp, ms?: number): Promise<RegExpMatchArray>;
}

function start(args: string[], env: Record<string, string>): Server {
  const child = spawn(process.execPath, [BIN, ...args], { env: childEnv(env) });
  let out = '';
  let err = '';
  const waiters = new Set<() => void>();
  const poke = () => waiters.forEach((w) => w());
  child.stdout.on('data', (d) => {
    out += String(d);
    poke();
  });
  child.stderr.on('data', (d) => {
    err += String(d);
    poke();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      resolve({ code, signal });
      poke();
    }),
  );
  let gone = false;
  void exited.then(() => (gone = true));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor(pattern, ms = 60_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for ${pattern}; stdout: ${out}; stderr: ${err}`));
        }, ms);
        const check = () => {
          const m = out.match(pattern);
          if (m) {
            clearTimeout(timer);
            waiters.delete(check);
            resolve(m);
          } else if (gone) {
            clearTimeout(timer);
            waiters.delete(check);
            reject(new Error(`exited before ${pattern}; stdout: ${out}; stderr: ${err}`));
          }
        };
        waiters.add(check);
        check();
      });
    },
  };
}

const READY = /Partnerdesk is ready on (http:\/\/\S+)/;

async function startServe(dataDir: string, extraEnv: Record<string, string> = {}) {
  const t0 = performance.now();
  const server = start(['serve'], { DATA_DIR: dataDir, PORT: '0', ...extraEnv });
  const [, url] = await server.waitFor(READY);
  const ready = await fetch(`${url}/readyz`);
  const ms = performance.now() - t0;
  expect(ready.status).toBe(200);
  return { server, url: url!, ms };
}

/** PostgreSQL processes serving this cluster directory, from ps. */
function postgresProcesses(clusterDir: string): string[] {
  const ps = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' });
  return ps.split('\n').filter((l) => l.includes(`postgres -D ${clusterDir}`) && !l.includes('ps -eo'));
}

async function expectNoPostgres(clusterDir: string) {
  expect(fs.existsSync(path.join(clusterDir, 'postmaster.pid'))).toBe(false);
  expect(postgresProcesses(clusterDir)).toEqual([]);
}

/** Reads the store of a running server directly (the port is in postmaster.pid, the password beside it). */
async function partnersIn(dataDir: string): Promise<{ id: string; name: string }[]> {
  const port = fs
    .readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8')
    .split('\n')[3]!
    .trim();
  const password = fs.readFileSync(path.join(dataDir, '.pg-owner-password'), 'utf8').trim();
  const client = new pg.Client({
    host: '127.0.0.1',
    port: Number(port),
    user: 'postgres',
    password,
    database: 'partnerdesk',
  });
  await client.connect();
  try {
    return (await client.query<{ id: string; name: string }>('select id, name from partners order by name'))
      .rows;
  } finally {
    await client.end();
  }
}

/** A sign-in whose body is sent in two halves, `gap` apart: the request is in flight meanwhile. */
function slowSignIn(url: string, body: string, whileInFlight: () => Promise<void>) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const u = new URL('/v1/auth/token', url);
    const req = http.request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname,
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.on('data', (d) => (text += String(d)));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    const half = Math.floor(body.length / 2);
    req.write(body.slice(0, half));
    req.flushHeaders();
    void (async () => {
      await whileInFlight();
      req.end(body.slice(half));
    })().catch(reject);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const DEMO_SIGN_IN = JSON.stringify({
  userName: 'admin@demo-reseller.example',
  password: 'Partnerdesk-demo-1',
});

describe('partnerdesk serve', () => {
  let dataDir: string;
  let clusterDir: string;
  const timings: Record<string, number> = {};
  const restarts: number[] = [];
  const children: Server[] = [];

  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'partnerdesk-startup-'));
    // The embedded PostgreSQL runs as the postgres user, which must be able to traverse the folder.
    fs.chmodSync(dataDir, 0o755);
    clusterDir = path.join(dataDir, 'pg');
  });

  afterAll(async () => {
    for (const c of children)
      if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
    // Belt and braces: if a test failed half-way, stop the cluster it left.
    for (const line of postgresProcesses(clusterDir))
      process.kill(Number(line.trim().split(/\s+/)[0]), 'SIGINT');
    fs.rmSync(dataDir, { recursive: true, force: true });
    console.info(`start-up timings (spawn → /readyz 200, ms): ${JSON.stringify({ ...timings, restarts })}`);
  });

  let firstIds: { id: string; name: string }[] = [];

  it('starts fresh, seeds the demo, serves, and on SIGTERM finishes the in-flight request and exits 0', async () => {
    const { server, url, ms } = await startServe(dataDir);
    children.push(server);
    timings.fresh = Math.round(ms);
    expect(ms).toBeLessThan(30_000);
    const out = server.stdout();
    expect(out).toContain('Demo data: created partner Demo Reseller');
    expect(out).toContain('Demo sign-in: admin@demo-reseller.example / Partnerdesk-demo-1');
    expect(out).toMatch(/Warning: the demo credentials are for trying Partnerdesk out only/);
    expect(postgresProcesses(clusterDir)).toHaveLength(1);

    firstIds = await partnersIn(dataDir);
    expect(firstIds.map((p) => p.name)).toEqual(['Demo Reseller', 'Northwind Cloud']);

    const signIn = await fetch(`${url}/v1/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: DEMO_SIGN_IN,
    });
    if (signIn.status !== 404) {
      expect(signIn.status).toBe(200);
      expect(await signIn.json()).toMatchObject({ token_type: 'Bearer', access_token: expect.any(String) });
    }

    // A sign-in is half sent when SIGTERM arrives; it still gets its answer, then the process exits.
    const inFlight = await slowSignIn(url, DEMO_SIGN_IN, async () => {
      await sleep(200);
      server.child.kill('SIGTERM');
      await server.waitFor(/SIGTERM received/);
      await sleep(300);
    });
    expect(inFlight.status).toBe(signIn.status);
    if (inFlight.status === 200) expect(JSON.parse(inFlight.body).access_token).toEqual(expect.any(String));

    expect(await server.exited).toEqual({ code: 0, signal: null });
    await expectNoPostgres(clusterDir);
    // And nothing new is accepted once it is down.
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });

  it('starts again on the same data, without seeding the demo twice', async () => {
    const { server, ms } = await startServe(dataDir);
    children.push(server);
    restarts.push(Math.round(ms));
    expect(server.stdout()).not.toContain('Demo data: created');
    expect(server.stdout()).toContain('Demo sign-in:');
    expect(await partnersIn(dataDir)).toEqual(firstIds);

    server.child.kill('SIGTERM');
    expect(await server.exited).toEqual({ code: 0, signal: null });
    await expectNoPostgres(clusterDir);
  });

  it('forces the shutdown on a second SIGINT while a request holds the graceful one', async () => {
    const { server, url, ms } = await startServe(dataDir);
    children.push(server);
    restarts.push(Math.round(ms));
    // A request that never completes its body keeps the graceful shutdown waiting.
    const u = new URL('/v1/auth/token', url);
    const stuck = http.request({
      host: u.hostname,
      port: u.port,
      path: u.pathname,
      method: 'POST',
      agent: false,
      headers: { 'content-type': 'application/json', 'content-length': 1000 },
    });
    stuck.on('error', () => undefined);
    stuck.write('{"userName":');
    stuck.flushHeaders();
    await sleep(200);
    server.child.kill('SIGINT');
    await server.waitFor(/SIGINT received: shutting down gracefully/);
    await sleep(300);
    expect(server.child.exitCode).toBeNull(); // still draining
    server.child.kill('SIGINT');
    await server.waitFor(/SIGINT received again: stopping now/);
    expect(await server.exited).toEqual({ code: 130, signal: null });
    await expectNoPostgres(clusterDir);
  });

  // Start-up times are reported above (console.info), never asserted: timings belong in `npm run bench`.

  it('stops PostgreSQL when start-up fails half-way (port taken)', async () => {
    const blocker = net.createServer();
    const port = await freePort();
    await new Promise<void>((r) => blocker.listen(port, '127.0.0.1', r));
    try {
      const server = start(['serve'], { DATA_DIR: dataDir, PORT: String(port) });
      children.push(server);
      const { code } = await server.exited;
      expect(code).toBe(1);
      const lines = server
        .stderr()
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('partnerdesk:'));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/EADDRINUSE|address already in use/);
      await expectNoPostgres(clusterDir);
    } finally {
      blocker.close();
    }
  });

  it('refuses a bad setting in one line naming the variable, before starting anything', async () => {
    const fresh = fs.mkdtempSync(path.join(os.tmpdir(), 'partnerdesk-badconfig-'));
    try {
      const server = start(['serve'], { DATA_DIR: fresh, PORT: 'abc' });
      children.push(server);
      const { code } = await server.exited;
      expect(code).not.toBe(0);
      const lines = server.stderr().trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^partnerdesk: .*PORT.*abc/);
      expect(server.stdout()).toBe('');
      expect(fs.readdirSync(fresh)).toEqual([]); // no cluster was created
    } finally {
      fs.rmSync(fresh, { recursive: true, force: true });
    }
  });
});
