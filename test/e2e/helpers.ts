// Browser tests: a real listening Partnerdesk on a fresh test database, driven by Debian's Chromium through
// playwright-core (no browser download). Without /usr/bin/chromium the suite is skipped with a message, or
// fails when REQUIRE_ALL=1 (CI), so a missing browser can never pass silently.
import fs from 'node:fs';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { App, AppDeps } from '../../src/app.ts';
import { buildApp } from '../../src/app.ts';
import type { Config } from '../../src/config.ts';
import type { Store } from '../../src/db/database.ts';
import { customerBody, uniquePrefix } from '../helpers/customers.ts';
import { createTestStore } from '../helpers/db.ts';
import type { TestPartner, TestUser } from '../helpers/factories.ts';
import { TEST_PASSWORD, createPartner, createUser } from '../helpers/factories.ts';

export const CHROMIUM = '/usr/bin/chromium';
const RESULTS = path.resolve(import.meta.dirname, '../../test-results');

/** describe() when Chromium is installed; otherwise a skip with the reason, or a failure under REQUIRE_ALL=1. */
export function describeInBrowser(name: string, body: () => void): void {
  if (fs.existsSync(CHROMIUM)) {
    describe(name, body);
    return;
  }
  const reason = `${CHROMIUM} not found: install it (apt-get install -y chromium) to run the browser tests`;
  if (process.env.REQUIRE_ALL === '1') {
    describe(name, () => {
      it('needs Chromium (REQUIRE_ALL=1)', () => {
        throw new Error(reason);
      });
    });
    return;
  }
  console.warn(`Skipping "${name}": ${reason}`);
  describe.skip(name, body);
}

export interface Server {
  url: string;
  app: App;
  store: Store;
  config: Config;
  close(): Promise<void>;
}

/** buildApp on a fresh database, listening on a free port of 127.0.0.1 (on `clock` when given). */
export async function startServer(
  opts: Pick<AppDeps, 'relationshipBlockers' | 'clock'> = {},
): Promise<Server> {
  const t = await createTestStore();
  const app = await buildApp({ config: t.config, store: t.store, logger: false, ...opts });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url,
    app,
    store: t.store,
    config: t.config,
    async close() {
      await app.close();
      await t.close();
    },
  };
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * A suite's server and browser, with a partner and its Global admin, Ada Admin (written into the store). What
 * was started is closed again if the partner cannot be made, so a failed set-up leaves nothing running.
 */
export async function startWithAdmin(
  partner: Parameters<typeof createPartner>[1],
): Promise<{ server: Server; browser: Browser; partner: TestPartner; admin: TestUser }> {
  const [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  try {
    const made = await createPartner(server.store, partner);
    const admin = await createUser(server.store, made.id, {
      roles: ['globalAdmin'],
      displayName: 'Ada Admin',
    });
    return { server, browser, partner: made, admin };
  } catch (err) {
    await browser.close();
    await server.close();
    throw err;
  }
}

/** A fresh browser profile (no cookies) in English, 1280 px wide unless told otherwise. */
export function newContext(
  browser: Browser,
  server: Server,
  opts: { width?: number; locale?: string } = {},
): Promise<BrowserContext> {
  return browser.newContext({
    baseURL: server.url,
    locale: opts.locale ?? 'en-US',
    timezoneId: 'UTC',
    viewport: { width: opts.width ?? 1280, height: 800 },
  });
}

/** test-results/<name>.png, the whole page. */
export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(RESULTS, { recursive: true });
  await page.screenshot({ path: path.join(RESULTS, `${name}.png`), fullPage: true });
}

/** axe on the page as it is now: no violation of serious or critical impact. */
export async function expectNoSeriousA11yViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join('; ')}`);
  expect(serious, `${page.url()}\n${serious.join('\n')}`).toEqual([]);
}

/** Signs in through the form and waits for the next page's heading. */
export async function signIn(page: Page, userName: string, password: string): Promise<void> {
  await page.goto('/signin');
  await page.getByLabel('User name').fill(userName);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** A fresh browser profile signed in as `user`, on the dashboard. */
export async function signedIn(
  browser: Browser,
  server: Server,
  user: TestUser,
  opts: { width?: number } = {},
): Promise<Page> {
  const p = await (await newContext(browser, server, opts)).newPage();
  await signIn(p, user.userName, TEST_PASSWORD);
  await heading(p, 'Dashboard');
  return p;
}

/** How far the page is wider than the window (positive: it scrolls sideways). */
export function sidewaysOverflow(p: Page): Promise<number> {
  return p.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
}

/** Waits for the page's h1 with this name (pages focus it when they open). */
export async function heading(page: Page, name: string): Promise<void> {
  await page.getByRole('heading', { level: 1, name }).waitFor();
}

/** Text of an element, trimmed. */
export async function text(page: Page, selector: string): Promise<string> {
  return ((await page.locator(selector).first().textContent()) ?? '').trim();
}

/** axe, then a screenshot: for every page the tests visit. */
export async function checkPage(page: Page, name: string): Promise<void> {
  await expectNoSeriousA11yViolations(page);
  await screenshot(page, name);
}

/** A call to the API as `token` (seeding goes through the API where it can). */
export async function apiCall(
  server: Server,
  method: string,
  path: string,
  token: string | undefined,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
}

/**
 * A US customer of `as`'s partner made through the API (its domain prefix `prefix` and a random part), with the
 * customer agreement confirmed unless told otherwise.
 */
export async function seedCustomer(
  server: Server,
  as: TestUser,
  name: string,
  opts: { prefix: string; instance?: 'global' | 'usgov'; agreement?: boolean },
): Promise<{ id: string; name: string; domain: string }> {
  const body = {
    ...customerBody({ name, prefix: uniquePrefix(opts.prefix), instance: opts.instance }),
    ...(opts.agreement === false
      ? {}
      : {
          customerAgreement: {
            firstName: 'Bill',
            lastName: 'Payer',
            email: 'billing@contoso.example',
            dateAgreed: '2026-01-15',
          },
        }),
  };
  const r = await apiCall(server, 'POST', '/v1/customers', as.token, body);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return {
    id: String(r.body.id),
    name,
    domain: String((r.body.companyProfile as { domain: string }).domain),
  };
}

/**
 * Clicks an activity log "Export CSV" link and reads the download: checks the exact header, answers each
 * record as "action,partner user,status".
 */
export async function exportedActivity(page: Page, link: Locator): Promise<string[]> {
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const lines = fs
    .readFileSync(await download.path(), 'utf8')
    .trimEnd()
    .split('\r\n');
  expect(lines[0]).toBe('Affected customer,Action,Partner user,Status,Additional information');
  return lines.slice(1).map((line) => line.split(',').slice(1, 4).join(','));
}
