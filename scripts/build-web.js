#!/usr/bin/env node
// Builds the console (web/ → dist/web) with Vite.
//   node scripts/build-web.js             always (npm run build:web)
//   node scripts/build-web.js --if-stale  only when a console source is newer than dist/web/index.html, so
//                                         that `npm start` and `npm install` (prepare) stay fast when nothing changed
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const built = path.join(root, 'dist/web/index.html');
// What the bundle is made of: the console, the roles table it imports from the server, its dependencies.
const SOURCES = ['web', 'src/modules/partners/roles.ts', 'package-lock.json'];

/** The newest modification time under `p` (a file or a folder), 0 when absent. */
function newest(p) {
  let stat;
  try {
    stat = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let max = stat.mtimeMs; // a deleted file changes its folder's time
  for (const entry of fs.readdirSync(p)) max = Math.max(max, newest(path.join(p, entry)));
  return max;
}

export function isStale() {
  const builtAt = newest(built);
  return builtAt === 0 || SOURCES.some((s) => newest(path.join(root, s)) > builtAt);
}

/** Builds the console; with `ifStale`, only when it is out of date, and a missing Vite is only a warning. */
export async function buildWeb({ ifStale = false } = {}) {
  if (ifStale && !isStale()) return;
  let vite;
  try {
    vite = await import('vite');
  } catch {
    // An install without devDependencies cannot build; the server then says how to (see console.routes.ts).
    const message =
      'The console cannot be built here: Vite is not installed (npm install, then npm run build:web).';
    if (ifStale) return console.warn(message);
    throw new Error(message);
  }
  // A production bundle whatever the caller's environment: under vitest NODE_ENV is "test", with which Vite
  // would bundle React's development build (larger, slower, and not what users get). Restored afterwards:
  // `npm start` builds in the server's own process.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  const started = Date.now();
  console.log(
    ifStale && fs.existsSync(built)
      ? 'Rebuilding the console (its sources changed)…'
      : 'Building the console…',
  );
  try {
    await vite.build({ configFile: path.join(root, 'web/vite.config.ts'), logLevel: 'warn' });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  console.log(`Console built into dist/web in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildWeb({ ifStale: process.argv.includes('--if-stale') }).catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
