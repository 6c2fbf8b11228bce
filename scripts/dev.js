#!/usr/bin/env node
// npm run dev: the API (as `npm start` runs it) and Vite's dev server with hot reload in front of it, which
// proxies /v1, /openapi.json and /docs to the API. Open the Vite URL. Ctrl-C stops both.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const apiPort = process.env.PORT ?? '3000';
const env = { ...process.env, PORT: apiPort, PARTNERDESK_API_URL: `http://localhost:${apiPort}` };

const children = [
  spawn(process.execPath, ['bin/partnerdesk.js', 'serve', ...process.argv.slice(2)], {
    cwd: root,
    env,
    stdio: 'inherit',
  }),
  spawn(process.execPath, ['node_modules/vite/bin/vite.js', '--config', 'web/vite.config.ts'], {
    cwd: root,
    env,
    stdio: 'inherit',
  }),
];

let exiting = false;
for (const child of children)
  child.on('exit', (code) => {
    if (exiting) return;
    exiting = true;
    // One stopped (or failed to start): stop the other too, and report the first exit code.
    for (const other of children) if (other !== child && other.exitCode === null) other.kill('SIGTERM');
    process.exitCode = code ?? 1;
  });
// Ctrl-C reaches both children through the terminal's process group; SIGTERM (e.g. from a tool) is passed on.
process.on('SIGTERM', () => children.forEach((c) => c.kill('SIGTERM')));
process.on('SIGINT', () => undefined);
