// The console at /: files with the right caching, index.html for console URLs, JSON 404s for the API, and a
// clear page when the console is not built. Uses a small fixture build, not dist/web.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/app.ts';
import { buildApp } from '../src/app.ts';
import { createTestStore } from './helpers/db.ts';

let dir: string;
let built: App;
let unbuilt: App;
let closeStore: () => Promise<void>;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pd-console-'));
  fs.mkdirSync(path.join(dir, 'assets'));
  fs.writeFileSync(
    path.join(dir, 'index.html'),
    '<!doctype html><title>fixture</title><div id="root"></div>',
  );
  fs.writeFileSync(path.join(dir, 'assets/app-abc123.js'), 'console.log(1)');
  fs.writeFileSync(path.join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  const t = await createTestStore();
  closeStore = t.close;
  built = await buildApp({ config: t.config, store: t.store, logger: false, consoleDir: dir });
  unbuilt = await buildApp({
    config: t.config,
    store: t.store,
    logger: false,
    consoleDir: path.join(dir, 'nothing-here'),
  });
});
afterAll(async () => {
  await built.close();
  await unbuilt.close();
  await closeStore();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('console files', () => {
  it('serves index.html at / with no-cache and the CSP', async () => {
    const res = await built.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.body).toContain('fixture');
  });

  it('answers index.html for console URLs, so the app can route them', async () => {
    for (const url of ['/activity', '/settings/users', '/no/such/page?x=1']) {
      const res = await built.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.body, url).toContain('fixture');
    }
  });

  it('serves hashed assets with a year-long immutable cache', async () => {
    const res = await built.inject({ method: 'GET', url: '/assets/app-abc123.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.body).toBe('console.log(1)');
    const icon = await built.inject({ method: 'GET', url: '/favicon.svg' });
    expect(icon.headers['cache-control']).toBe('no-cache');
  });

  it('answers a missing asset with a 404, not the app', async () => {
    const res = await built.inject({ method: 'GET', url: '/assets/gone-000.js' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ name: 'routeNotFound' });
  });

  it('keeps the JSON 404 envelope for API paths and other methods', async () => {
    for (const [method, url] of [
      ['GET', '/v1/nothing'],
      ['GET', '/v1'],
      ['GET', '/healthz/x'],
      ['POST', '/activity'],
    ] as const) {
      const res = await built.inject({ method, url });
      expect(res.statusCode, `${method} ${url}`).toBe(404);
      expect(res.json(), `${method} ${url}`).toMatchObject({ name: 'routeNotFound', code: 100010 });
    }
    // What the router itself refuses stays a 400, though this catch-all route now matches it.
    expect((await built.inject({ method: 'GET', url: '/v1/partnerusers/%E0%A4%A' })).json()).toMatchObject({
      name: 'validationFailed',
    });
    expect((await built.inject({ method: 'GET', url: '/v1/nothing/%E0%A4%A' })).statusCode).toBe(400);
    expect((await built.inject({ method: 'GET', url: '/docs' })).statusCode).toBe(200);
    expect((await built.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
  });

  it('never serves a file outside the build', async () => {
    for (const url of ['/../package.json', '/%2e%2e/package.json', '/assets/..%2f..%2fpackage.json']) {
      const res = await built.inject({ method: 'GET', url });
      expect(res.body, url).not.toContain('"name"');
    }
  });

  it('says how to build the console when it is not built', async () => {
    const res = await unbuilt.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('npm run build:web');
    expect((await unbuilt.inject({ method: 'GET', url: '/v1/x' })).json()).toMatchObject({
      name: 'routeNotFound',
    });
  });
});

describe('the real build (dist/web)', () => {
  it('has no inline script, which the CSP would block', () => {
    const html = fs.readFileSync(new URL('../dist/web/index.html', import.meta.url), 'utf8');
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, body] of scripts) {
      expect(attrs).toMatch(/\bsrc="\/assets\//);
      expect(body!.trim()).toBe('');
    }
  });
});
