// The console in a real browser against a real server: sign-in and its errors, the forced password change,
// navigation by role and the "not allowed" page, the dashboard, Russian, and a phone-sized screen. Every
// page visited is checked with axe and saved as test-results/<name>.png.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { DEMO_ADMIN, DEMO_PASSWORD, seedDemo, seedDepsFor } from '../../src/demo/seed.ts';
import type { MessageKey } from '../../web/src/i18n/catalogs.ts';
import { CATALOGS } from '../../web/src/i18n/catalogs.ts';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TestPartner, TestUser } from '../helpers/factories.ts';
import { TEST_PASSWORD, createUser } from '../helpers/factories.ts';
import type { Server } from './helpers.ts';
import {
  apiCall,
  checkPage,
  describeInBrowser,
  exportedActivity,
  heading,
  newContext,
  screenshot,
  sidewaysOverflow,
  signIn,
  startWithAdmin,
} from './helpers.ts';

/** The HTTP status curl gets for GET `url` with the bearer token. */
async function curlStatus(url: string, token: string): Promise<string> {
  const { stdout } = await promisify(execFile)('curl', [
    '-s',
    '-o',
    '/dev/null',
    '-w',
    '%{http_code}',
    '-H',
    `authorization: Bearer ${token}`,
    url,
  ]);
  return stdout;
}

/**
 * Fails when the page shows any English message of the console's catalog (one Russian does not share): a page
 * switched to Russian must be Russian throughout, not only where a test looks.
 */
async function noEnglishOn(p: Page): Promise<void> {
  const english = Object.entries(CATALOGS.en)
    .filter(
      ([key, text]) => CATALOGS.ru[key as MessageKey] !== text && /\s/.test(text) && !text.includes('{'),
    )
    .map(([, text]) => text);
  const shown = (await p.locator('body').innerText()).replace(/\s+/g, ' ');
  expect(english.filter((text) => shown.includes(text))).toEqual([]);
}

describeInBrowser('console', () => {
  let server: Server;
  let browser: Browser;
  let partner: TestPartner;
  let admin: TestUser;

  async function page(opts: { width?: number } = {}): Promise<Page> {
    return (await newContext(browser, server, opts)).newPage();
  }

  beforeAll(async () => {
    ({ server, browser, partner, admin } = await startWithAdmin({
      name: 'Contoso Cloud Ltd',
      instance: 'global',
    }));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('a wrong password shows the API’s message in an alert', async () => {
    const p = await page();
    await p.goto('/signin');
    await heading(p, 'Sign in to Partnerdesk');
    await checkPage(p, 'signin');
    await signIn(p, admin.userName, 'Not-the-password-1');
    const alert = p.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('The user name or password is incorrect.');
    expect(await alert.textContent()).toContain('Sign-in failed');
    await checkPage(p, 'signin-wrong-password');
    await p.context().close();
  });

  it('a locked account says so', async () => {
    const user = await createUser(server.store, partner.id, { roles: ['salesAgent'] });
    for (let i = 0; i < 5; i++)
      await apiCall(server, 'POST', '/v1/auth/sessions', undefined, {
        userName: user.userName,
        password: 'Wrong-1',
      });
    const p = await page();
    await signIn(p, user.userName, TEST_PASSWORD);
    const alert = p.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('Account locked');
    expect(await alert.textContent()).toContain('locked after repeated failed sign-ins');
    await screenshot(p, 'signin-locked');
    await p.context().close();
  });

  it('a Global admin sees the dashboard, every navigation entry and each page', async () => {
    const p = await page();
    await signIn(p, admin.userName, TEST_PASSWORD);
    await heading(p, 'Dashboard');
    const banner = p.getByRole('banner');
    expect(await banner.textContent()).toContain('Contoso Cloud Ltd');
    expect(await banner.textContent()).toContain('Cloud instance: Global');
    const nav = p.getByRole('navigation', { name: 'Main navigation' });
    const entries = await nav.getByRole('link').allTextContents();
    expect(entries).toEqual([
      'Dashboard',
      'Customers',
      'Transfers',
      'Billing',
      'Service requests',
      'Activity log',
      'Settings',
    ]);
    // The sign-in just made is in the recent activity, with the counts beside it.
    await p
      .getByRole('region', { name: 'Recent activity' })
      .getByText('Sign-in', { exact: true })
      .first()
      .waitFor();
    expect(await p.getByRole('definition').first().textContent()).toMatch(/^\d+$/);
    await checkPage(p, 'dashboard');

    await nav.getByRole('link', { name: 'Activity log' }).click();
    await heading(p, 'Activity log');
    await p.getByRole('cell', { name: 'Sign-in', exact: true }).first().waitFor();
    await checkPage(p, 'activity');

    await nav.getByRole('link', { name: 'Settings' }).click();
    await heading(p, 'Settings');
    await p.getByRole('heading', { level: 2, name: 'Users' }).waitFor();
    await checkPage(p, 'settings-users');

    await nav.getByRole('link', { name: 'Customers' }).click();
    await heading(p, 'Customers');
    await p.getByText('You have no customers yet.').waitFor();
    await checkPage(p, 'customers');

    await p.getByLabel('Account of Ada Admin').click();
    await p.getByRole('link', { name: 'My profile' }).click();
    await heading(p, 'My profile');
    expect(await p.getByRole('main').textContent()).toContain('Global admin');
    await checkPage(p, 'profile');

    await p.goto('/no/such/page');
    await heading(p, 'Page not found');
    await checkPage(p, 'not-found');

    await p.getByLabel('Account of Ada Admin').click();
    await p.getByRole('button', { name: 'Sign out' }).click();
    await heading(p, 'Sign in to Partnerdesk');
    await p.goto('/activity');
    await heading(p, 'Sign in to Partnerdesk'); // the session is over
    await p.context().close();
  });

  it('Settings → Users: add a user (temporary password shown once), change roles, reset, deactivate', async () => {
    const p = await page();
    await signIn(p, admin.userName, TEST_PASSWORD);
    await heading(p, 'Dashboard');
    await p
      .getByRole('navigation', { name: 'Main navigation' })
      .getByRole('link', { name: 'Settings' })
      .click();
    await heading(p, 'Settings');
    await p.getByRole('cell', { name: /^Ada Admin/ }).waitFor();

    await p.getByRole('button', { name: 'Add user' }).click();
    const dialog = p.getByRole('dialog', { name: 'Add user' });
    // The API's reasons land next to their fields: a taken user name, two agent roles.
    await dialog.getByLabel('User name (email address)').fill(admin.userName);
    await dialog.getByLabel('Display name').fill('Hana Help');
    await dialog.getByRole('checkbox', { name: 'Helpdesk agent' }).check();
    await dialog.getByRole('button', { name: 'Add user' }).click();
    await dialog.getByText('is already taken').waitFor();
    expect(await dialog.getByLabel('User name (email address)').getAttribute('aria-invalid')).toBe('true');
    await checkPage(p, 'settings-users-add-error');

    await dialog.getByLabel('User name (email address)').fill('hana.help@contoso.example');
    await dialog.getByRole('button', { name: 'Add user' }).click();
    const password = dialog.getByLabel('Temporary password');
    await password.waitFor();
    expect((await password.inputValue()).length).toBeGreaterThanOrEqual(12);
    await checkPage(p, 'settings-users-added');
    await dialog.getByRole('button', { name: 'Close' }).click();
    const row = p.getByRole('row', { name: /Hana Help/ });
    await row.waitFor();
    expect(await row.textContent()).toContain('Must change password');
    await checkPage(p, 'settings-users');

    await row.getByRole('button', { name: 'Change roles' }).click();
    const roles = p.getByRole('dialog', { name: 'Roles of Hana Help' });
    await roles.getByRole('checkbox', { name: 'Billing admin' }).check();
    await roles.getByRole('button', { name: 'Save' }).click();
    await roles.waitFor({ state: 'detached' });
    await row.getByText('Helpdesk agent, Billing admin').waitFor();

    await row.getByRole('button', { name: 'Reset password' }).click();
    const reset = p.getByRole('dialog', { name: 'Reset the password of Hana Help?' });
    await reset.getByRole('button', { name: 'Reset password' }).click();
    await reset.getByLabel('Temporary password').waitFor();
    await reset.getByRole('button', { name: 'Close' }).click();

    await row.getByRole('button', { name: 'Deactivate' }).click();
    const deactivate = p.getByRole('dialog', { name: 'Deactivate Hana Help?' });
    await deactivate.getByRole('button', { name: 'Deactivate' }).click();
    await row.getByText('Deactivated').waitFor();
    await row.getByRole('button', { name: 'Activate' }).waitFor();
    await p.context().close();
  });

  it('the demo admin adds a Sales agent, who signs in with the temporary password, changes it and meets the role limits', async () => {
    // The demo as `npm start` seeds it, signed in with the credentials the README and start-up print.
    await seedDemo(seedDepsFor(server.store, server.config));
    // The admin: dashboard, Settings → Users, the Add user dialog; the temporary password read from it.
    const p = await page();
    await signIn(p, DEMO_ADMIN, DEMO_PASSWORD);
    await heading(p, 'Dashboard');
    expect(await p.getByRole('banner').textContent()).toContain('Demo Reseller');
    await checkPage(p, 'flow-admin-dashboard');
    const nav = p.getByRole('navigation', { name: 'Main navigation' });
    await nav.getByRole('link', { name: 'Settings' }).click();
    await heading(p, 'Settings');
    await p.getByRole('heading', { level: 2, name: 'Users' }).waitFor();
    await p.getByRole('cell', { name: 'Dana Admin', exact: true }).waitFor();

    await p.getByRole('button', { name: 'Add user' }).click();
    const dialog = p.getByRole('dialog', { name: 'Add user' });
    await dialog.getByLabel('User name (email address)').fill('sally.sales@demo-reseller.example');
    await dialog.getByLabel('Display name').fill('Sally Sales');
    await dialog.getByRole('checkbox', { name: 'Sales agent' }).check();
    await dialog.getByRole('button', { name: 'Add user' }).click();
    const passwordField = dialog.getByLabel('Temporary password');
    await passwordField.waitFor();
    const temporary = await passwordField.inputValue();
    expect(temporary.length).toBeGreaterThanOrEqual(12);
    await checkPage(p, 'flow-user-added');
    await dialog.getByRole('button', { name: 'Close' }).click();
    const row = p.getByRole('row', { name: /Sally Sales/ });
    await row.getByText('Sales agent').waitFor();

    // Sorting by display name goes through the API and starts again from the first page.
    const table = p.getByRole('table');
    const displayNames = async () => {
      const rows = table.getByRole('row');
      const names: string[] = [];
      for (let i = 1; i < (await rows.count()); i++)
        names.push(((await rows.nth(i).getByRole('cell').first().textContent()) ?? '').trim());
      return names;
    };
    const bytes = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));
    const nameHeader = table.getByRole('columnheader', { name: 'Sort by Display name' });
    expect(await table.getByRole('columnheader', { name: 'Sort by Created' }).getAttribute('aria-sort')).toBe(
      'ascending',
    );
    const ascending = p.waitForResponse((r) => r.url().includes('sort=displayName&order=asc'));
    await p.getByRole('button', { name: 'Sort by Display name' }).click();
    await ascending;
    expect(await nameHeader.getAttribute('aria-sort')).toBe('ascending');
    await expect.poll(displayNames).toEqual([...(await displayNames())].sort(bytes));
    const names = await displayNames();
    expect(names).toContain('Sally Sales');
    expect(names.length).toBeGreaterThan(2);
    const descending = p.waitForResponse((r) => r.url().includes('sort=displayName&order=desc'));
    await p.getByRole('button', { name: 'Sort by Display name' }).click();
    await descending;
    expect(await nameHeader.getAttribute('aria-sort')).toBe('descending');
    await expect.poll(displayNames).toEqual([...names].reverse());
    await checkPage(p, 'flow-users-sorted');

    // Sign out through the account menu.
    await p.getByLabel('Account of Dana Admin').click();
    await p.getByRole('button', { name: 'Sign out' }).click();
    await heading(p, 'Sign in to Partnerdesk');

    // The Sales agent: the temporary password works once, and must be changed first.
    await signIn(p, 'sally.sales@demo-reseller.example', temporary);
    await heading(p, 'Change your temporary password');
    await p.getByLabel('Current (temporary) password').fill(temporary);
    await p.getByLabel('New password', { exact: true }).fill('Sally-sales-pass-42');
    await p.getByLabel('Repeat the new password').fill('Sally-sales-pass-42');
    await p.getByRole('button', { name: 'Change password' }).click();
    await heading(p, 'Dashboard');
    await nav.getByRole('link', { name: 'Dashboard' }).waitFor();
    expect(await nav.getByRole('link', { name: 'Settings' }).count()).toBe(0);
    expect(await nav.getByRole('link', { name: 'Activity log' }).count()).toBe(0);
    await checkPage(p, 'flow-sales-agent-dashboard');

    await p.goto('/settings/users');
    await heading(p, 'Not allowed');
    expect(await p.getByRole('main').textContent()).toContain(
      'Your roles do not allow Settings. It needs one of these roles: Global admin, User management admin.',
    );
    await checkPage(p, 'flow-not-allowed-settings');
    await p.goto('/activity');
    await heading(p, 'Not allowed');
    expect(await p.getByRole('main').textContent()).toContain(
      'Your roles do not allow Activity log. It needs one of these roles: Global admin, Admin agent, Billing admin.',
    );
    await p.getByLabel('Account of Sally Sales').click();
    await p.getByRole('button', { name: 'Sign out' }).click();
    await heading(p, 'Sign in to Partnerdesk');

    // Back as the admin: the activity log has every step of the flow, and so has its CSV export.
    await signIn(p, DEMO_ADMIN, DEMO_PASSWORD);
    // (Not the page Sally had open when she signed out.)
    await heading(p, 'Dashboard');
    await nav.getByRole('link', { name: 'Activity log' }).click();
    await heading(p, 'Activity log');
    const records = p.getByRole('region', { name: 'Records' });
    const recordOf = (action: string, user: string) =>
      records
        .getByRole('row')
        .filter({ has: p.getByRole('cell', { name: action, exact: true }) })
        .filter({ has: p.getByRole('cell', { name: user, exact: true }) })
        .first();
    await recordOf('Partner user added', DEMO_ADMIN).waitFor();
    expect(await recordOf('Partner user added', DEMO_ADMIN).textContent()).toContain(
      'sally.sales@demo-reseller.example',
    );
    await recordOf('Password change', 'sally.sales@demo-reseller.example').waitFor();
    await recordOf('Sign-in', 'sally.sales@demo-reseller.example').waitFor();
    await recordOf('Sign-out', 'sally.sales@demo-reseller.example').waitFor();
    await recordOf('Sign-out', DEMO_ADMIN).waitFor();
    await checkPage(p, 'flow-activity-log');
    const actions = await exportedActivity(p, p.getByRole('link', { name: 'Export CSV' }));
    for (const expected of [
      `partnerUser.create,${DEMO_ADMIN},succeeded`,
      `partnerUser.signOut,${DEMO_ADMIN},succeeded`,
      'partnerUser.signIn,sally.sales@demo-reseller.example,succeeded',
      'partnerUser.changePassword,sally.sales@demo-reseller.example,succeeded',
      'partnerUser.signOut,sally.sales@demo-reseller.example,succeeded',
    ])
      expect(actions).toContain(expected);
    await p.context().close();
  });

  it('Settings → API tokens: create one (its secret shown once) and revoke it', async () => {
    const p = await page();
    await signIn(p, admin.userName, TEST_PASSWORD);
    await heading(p, 'Dashboard');
    await p.goto('/settings/apitokens');
    await heading(p, 'Settings');
    await p.getByText('Your organisation has no API tokens yet.').waitFor();
    await checkPage(p, 'settings-apitokens-empty');

    await p.getByRole('button', { name: 'Create API token' }).click();
    const dialog = p.getByRole('dialog', { name: 'Create API token' });
    await dialog.getByLabel('Name').fill('CI deploy');
    await dialog.getByRole('checkbox', { name: 'Global admin' }).check();
    await dialog.getByLabel('Expires after (days)').fill('30');
    await dialog.getByRole('button', { name: 'Create API token' }).click();
    const secret = dialog.getByLabel('API token');
    await secret.waitFor();
    expect(await secret.inputValue()).toMatch(/^pdk_/);
    await checkPage(p, 'settings-apitokens-created');
    const token = await secret.inputValue();
    await dialog.getByRole('button', { name: 'Close' }).click();
    // The secret works from the command line, as a script would use it.
    expect(await curlStatus(`${server.url}/v1/partnerusers`, token)).toBe('200');

    const row = p.getByRole('row', { name: /CI deploy/ });
    await row.getByText('Active').waitFor();
    await checkPage(p, 'settings-apitokens');
    await row.getByRole('button', { name: 'Revoke' }).click();
    await p
      .getByRole('dialog', { name: 'Revoke the API token CI deploy?' })
      .getByRole('button', { name: 'Revoke' })
      .click();
    await row.getByText('Revoked').waitFor();
    expect(await curlStatus(`${server.url}/v1/partnerusers`, token)).toBe('401');
    await p.context().close();
  });

  it('a sales agent must change the temporary password, then sees only what the role allows', async () => {
    const created = await apiCall(server, 'POST', '/v1/partnerusers', admin.token, {
      userName: 'sam.sales@contoso.example',
      displayName: 'Sam Sales',
      roles: ['salesAgent'],
    });
    expect(created.status).toBe(201);
    const temporary = created.body.temporaryPassword as string;
    const p = await page();
    await signIn(p, 'sam.sales@contoso.example', temporary);
    await heading(p, 'Change your temporary password');
    expect(await p.getByRole('main').textContent()).toContain('At least 12 characters');
    await checkPage(p, 'change-password');

    // The API's reason appears next to the field it concerns.
    await p.getByLabel('Current (temporary) password').fill(temporary);
    await p.getByLabel('New password', { exact: true }).fill('short');
    await p.getByLabel('Repeat the new password').fill('short');
    await p.getByRole('button', { name: 'Change password' }).click();
    await p.getByRole('alert').waitFor();
    const field = p.getByLabel('New password', { exact: true });
    await p.locator('.field-error').first().waitFor();
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await field.getAttribute('aria-describedby'))!.split(' ');
    const reasons = await Promise.all(describedBy.map((id) => p.locator(`[id="${id}"]`).textContent()));
    expect(reasons.join(' ')).toContain('must be at least 12 characters');
    await checkPage(p, 'change-password-errors');

    await p.getByLabel('Current (temporary) password').fill(temporary);
    await p.getByLabel('New password', { exact: true }).fill('Sales-agent-pass-77');
    await p.getByLabel('Repeat the new password').fill('Sales-agent-pass-77');
    await p.getByRole('button', { name: 'Change password' }).click();
    await heading(p, 'Dashboard');
    const nav = p.getByRole('navigation', { name: 'Main navigation' });
    expect(await nav.getByRole('link').allTextContents()).toEqual([
      'Dashboard',
      'Customers',
      'Transfers',
      'Service requests',
    ]);
    // A sales agent sees customers: their count is the dashboard's one summary.
    await p.locator('.stat', { hasText: 'Customers' }).getByText('0', { exact: true }).waitFor();
    await checkPage(p, 'dashboard-sales-agent');

    await p.goto('/settings/users');
    await heading(p, 'Not allowed');
    expect(await p.getByRole('main').textContent()).toContain(
      'Your roles do not allow Settings. It needs one of these roles: Global admin, User management admin.',
    );
    await checkPage(p, 'not-allowed');
    await p.goto('/activity');
    await heading(p, 'Not allowed');
    expect(await p.getByRole('main').textContent()).toContain(
      'Your roles do not allow Activity log. It needs one of these roles: Global admin, Admin agent, Billing admin.',
    );
    await p.context().close();
  });

  it('switching My profile → Language to Russian shows every page in Russian, with Russian dates', async () => {
    const ivan = await createUser(server.store, partner.id, { roles: ['globalAdmin'], displayName: 'Иван' });
    const p = await page();
    await signIn(p, ivan.userName, TEST_PASSWORD);
    await heading(p, 'Dashboard');
    await p.getByLabel('Account of Иван').click();
    await p.getByRole('link', { name: 'My profile' }).click();
    await heading(p, 'My profile');
    await p.getByLabel('Language').selectOption({ label: 'Русский' });
    // At once, without a reload; and kept in the profile (the next sign-in, any browser).
    await heading(p, 'Мой профиль');
    expect(await p.locator('html').getAttribute('lang')).toBe('ru');
    expect((await apiCall(server, 'GET', '/v1/profiles/me', ivan.token)).body.language).toBe('ru');
    await checkPage(p, 'profile-switched-ru');

    const nav = p.getByRole('navigation', { name: 'Основная навигация' });
    await nav.getByRole('link', { name: 'Обзор' }).click();
    await heading(p, 'Обзор');
    expect(await p.getByRole('banner').textContent()).toContain('Облачный экземпляр: Глобальный');
    expect(await p.getByRole('main').textContent()).toContain('Здравствуйте, Иван.');
    const when = p.getByRole('region', { name: 'Последние действия' }).locator('time').first();
    await when.waitFor();
    // Russian medium date: "28 нояб. 2026 г., 12:00".
    expect(await when.textContent()).toMatch(/^\d{1,2} [а-я]+\.? \d{4} г\., \d{2}:\d{2}$/);
    await noEnglishOn(p);
    await checkPage(p, 'dashboard-ru');

    // Every page of the navigation, and both Settings tabs: Russian headings, no English message anywhere.
    const pages: [link: string, title: string, ready?: () => Promise<void>][] = [
      ['Клиенты', 'Клиенты'],
      ['Переносы', 'Переносы'],
      ['Счета', 'Счета'],
      ['Запросы в поддержку', 'Запросы в поддержку'],
      [
        'Журнал действий',
        'Журнал действий',
        () => p.getByRole('region', { name: 'Записи' }).getByRole('cell').first().waitFor(),
      ],
      ['Настройки', 'Настройки', () => p.getByRole('cell', { name: 'Иван', exact: true }).waitFor()],
    ];
    for (const [link, title, ready] of pages) {
      await nav.getByRole('link', { name: link, exact: true }).click();
      await heading(p, title);
      await ready?.();
      await noEnglishOn(p);
      await checkPage(p, `ru-${link}`);
    }
    await p.getByRole('link', { name: 'API-токены' }).click();
    await p.getByText(/^API-токенов: \d+$/).waitFor(); // loaded, whatever earlier tests created
    await noEnglishOn(p);
    await checkPage(p, 'ru-settings-apitokens');
    await p.context().close();
  });

  it('at 375 px the dashboard does not scroll sideways and the navigation folds behind Menu', async () => {
    const p = await page({ width: 375 });
    await signIn(p, admin.userName, TEST_PASSWORD);
    await heading(p, 'Dashboard');
    await p.getByRole('region', { name: 'Recent activity' }).getByRole('listitem').first().waitFor();
    expect(await sidewaysOverflow(p)).toBeLessThanOrEqual(0);
    const menu = p.getByRole('button', { name: 'Menu' });
    const navEntry = p
      .getByRole('navigation', { name: 'Main navigation' })
      .getByRole('link', { name: 'Activity log', exact: true });
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    expect(await navEntry.isVisible()).toBe(false);
    await checkPage(p, 'dashboard-375');
    await menu.click();
    await navEntry.click();
    await heading(p, 'Activity log');
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    await p.getByRole('region', { name: 'Records' }).getByRole('cell').first().waitFor();
    expect(await sidewaysOverflow(p)).toBeLessThanOrEqual(0);
    await checkPage(p, 'activity-375');

    // The wide tables become one card per row: still nothing to scroll sideways.
    await p.goto('/settings/users');
    await p.getByRole('cell', { name: 'Ada Admin', exact: true }).waitFor();
    expect(await sidewaysOverflow(p)).toBeLessThanOrEqual(0);
    await checkPage(p, 'settings-users-375');
    await p.goto('/profile');
    await heading(p, 'My profile');
    expect(await sidewaysOverflow(p)).toBeLessThanOrEqual(0);
    await checkPage(p, 'profile-375');
    await p.context().close();
  });
});
