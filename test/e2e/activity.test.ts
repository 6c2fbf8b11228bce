// The console's API tokens and activity log in a real browser: a token made on My profile works with the API
// until it is revoked there; the activity log lists those actions with readable labels, filters, refuses a
// backwards range next to its field, and exports the CSV; a voluntary password change; German and Russian
// spot-checks. Every page visited is checked with axe and saved as test-results/<name>.png.
import type { Browser, Page } from 'playwright-core';
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
  signIn,
  startWithAdmin,
} from './helpers.ts';

describeInBrowser('console: API tokens and the activity log', () => {
  let server: Server;
  let browser: Browser;
  let partner: TestPartner;
  let admin: TestUser;

  async function page(): Promise<Page> {
    return (await newContext(browser, server)).newPage();
  }

  /** A user whose profile is in `language`, signed in on a fresh page. */
  async function signedInAs(displayName: string, language: 'de' | 'ru'): Promise<Page> {
    const user = await createUser(server.store, partner.id, { roles: ['globalAdmin'], displayName });
    expect((await apiCall(server, 'PATCH', '/v1/profiles/me', user.token, { language })).status).toBe(200);
    const p = await page();
    await signIn(p, user.userName, TEST_PASSWORD);
    return p;
  }

  beforeAll(async () => {
    ({ server, browser, partner, admin } = await startWithAdmin({
      name: 'Fabrikam Partners',
      instance: 'global',
    }));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('a token from My profile works with curl-like calls until revoked; the activity log shows and exports it', async () => {
    // A failed sign-in, for the status filter to find.
    const failed = await fetch(`${server.url}/v1/auth/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userName: admin.userName, password: 'Not-the-password-1' }),
    });
    expect(failed.status).toBe(401);

    const p = await page();
    await signIn(p, admin.userName, TEST_PASSWORD);
    await heading(p, 'Dashboard');
    await p.getByLabel('Account of Ada Admin').click();
    await p.getByRole('link', { name: 'My profile' }).click();
    await heading(p, 'My profile');
    const mine = p.getByRole('region', { name: 'My API tokens' });
    await mine.getByText('You have no API tokens yet.').waitFor();
    await checkPage(p, 'profile-tokens-empty');

    await mine.getByRole('button', { name: 'Create API token' }).click();
    const dialog = p.getByRole('dialog', { name: 'Create API token' });
    await dialog.getByLabel('Name').fill('ci-script');
    await dialog.getByRole('checkbox', { name: 'Global admin' }).check();
    await dialog.getByRole('button', { name: 'Create API token' }).click();
    const secretField = dialog.getByLabel('API token');
    await secretField.waitFor();
    const secret = await secretField.inputValue();
    expect(secret).toMatch(/^pdk_/);
    await checkPage(p, 'profile-token-created');
    await dialog.getByRole('button', { name: 'Close' }).click();

    expect((await apiCall(server, 'GET', '/v1/profiles/me', secret)).status).toBe(200);
    await mine.getByRole('button', { name: 'Revoke token ci-script' }).click();
    await p
      .getByRole('dialog', { name: 'Revoke the API token ci-script?' })
      .getByRole('button', { name: 'Revoke' })
      .click();
    await mine
      .getByRole('row', { name: /ci-script/ })
      .getByText('Revoked')
      .waitFor();
    expect((await apiCall(server, 'GET', '/v1/profiles/me', secret)).status).toBe(401);
    await checkPage(p, 'profile-token-revoked');

    // The activity log: the last month by default, those actions with their labels.
    await p
      .getByRole('navigation', { name: 'Main navigation' })
      .getByRole('link', { name: 'Activity log' })
      .click();
    await heading(p, 'Activity log');
    const results = p.getByRole('region', { name: 'Records' });
    for (const label of ['API token created', 'API token revoked', 'Sign-in'])
      await results.getByRole('cell', { name: label, exact: true }).first().waitFor();
    expect(await results.getByRole('row', { name: /API token created/ }).textContent()).toContain(
      'Name: ci-script',
    );
    const from = p.getByLabel('From');
    const to = p.getByLabel('To (inclusive)');
    // Dates in the English format (MM/DD/YYYY), today's as the end of the default range.
    const [start, end] = [await from.inputValue(), await to.inputValue()];
    expect(start).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
    const [y, m, d] = new Date().toISOString().slice(0, 10).split('-');
    expect(end).toBe(`${m}/${d}/${y}`);
    await checkPage(p, 'activity-log');

    // Only the failed records; the export link carries the same filter.
    await p.getByLabel('Status').selectOption('failed');
    await p.getByRole('button', { name: 'Show' }).click();
    await p.getByText('Showing 1 of 1 records').waitFor();
    const rows = results.getByRole('row');
    expect(await rows.count()).toBe(2); // the header and the failed sign-in
    expect(await rows.nth(1).textContent()).toMatch(/Sign-in.*Failed.*Reason: wrong password/);
    const exportLink = p.getByRole('link', { name: 'Export CSV' });
    expect(await exportLink.getAttribute('href')).toContain('status=failed');

    // A backwards range: the API's reason next to the field it concerns.
    await from.fill('02/10/2026');
    await to.fill('02/01/2026');
    await p.getByRole('button', { name: 'Show' }).click();
    await p.getByText('must not be before startDate').waitFor();
    expect(await to.getAttribute('aria-invalid')).toBe('true');
    await checkPage(p, 'activity-log-invalid-range');

    await from.fill(start);
    await to.fill(end);
    await p.getByLabel('Status').selectOption('');
    await p.getByRole('button', { name: 'Show' }).click();
    await results.getByRole('cell', { name: 'API token revoked', exact: true }).waitFor();
    const actions = await exportedActivity(p, exportLink);
    expect(actions).toContain(`apiToken.create,${admin.userName},succeeded`);
    expect(actions).toContain(`apiToken.revoke,${admin.userName},succeeded`);
    expect(actions).toContain(`partnerUser.signIn,${admin.userName},succeeded`);
    expect(actions).toContain(`partnerUser.signIn,${admin.userName},failed`);
    await p.context().close();
  });

  it('My profile: a voluntary password change, with the API’s reason next to the field', async () => {
    const user = await createUser(server.store, partner.id, { roles: ['salesAgent'], displayName: 'Pat' });
    const p = await page();
    await signIn(p, user.userName, TEST_PASSWORD);
    await heading(p, 'Dashboard');
    await p.goto('/profile');
    await heading(p, 'My profile');
    const form = p.getByRole('region', { name: 'Change password' });
    const current = form.getByLabel('Current password');
    await current.fill('Not-the-password-1');
    await form.getByLabel('New password', { exact: true }).fill('Pat-new-password-42');
    await form.getByLabel('Repeat the new password').fill('Pat-new-password-42');
    await form.getByRole('button', { name: 'Change password' }).click();
    await form.getByText('is not your current password').waitFor();
    expect(await current.getAttribute('aria-invalid')).toBe('true');
    await checkPage(p, 'profile-password-error');
    await current.fill(TEST_PASSWORD);
    await form.getByRole('button', { name: 'Change password' }).click();
    await form.getByText('Your password was changed.').waitFor();
    // Without a temporary password, /change-password leads to the form on My profile.
    await p.goto('/change-password');
    await heading(p, 'My profile');
    await p.context().close();
  });

  it('German: the shell, the dashboard and its dates follow a German profile', async () => {
    const p = await signedInAs('Greta', 'de');
    await heading(p, 'Übersicht');
    expect(await p.locator('html').getAttribute('lang')).toBe('de');
    const nav = p.getByRole('navigation', { name: 'Hauptnavigation' });
    await nav.getByRole('link', { name: 'Aktivitätsprotokoll' }).waitFor();
    await nav.getByRole('link', { name: 'Einstellungen' }).waitFor();
    expect(await p.getByRole('banner').textContent()).toContain('Cloud-Instanz: Global');
    expect(await p.getByRole('main').textContent()).toContain('Willkommen, Greta.');
    const recent = p.getByRole('region', { name: 'Letzte Aktivität' });
    await recent.getByText('Anmeldung', { exact: true }).first().waitFor();
    // German medium date: "28.11.2026, 12:00".
    expect(await recent.locator('time').first().textContent()).toMatch(/^\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}$/);
    await checkPage(p, 'dashboard-de');
    await p.context().close();
  });

  it('Russian: the activity log and My profile', async () => {
    const p = await signedInAs('Иван', 'ru');
    await heading(p, 'Обзор');
    await p
      .getByRole('navigation', { name: 'Основная навигация' })
      .getByRole('link', { name: 'Журнал действий' })
      .click();
    await heading(p, 'Журнал действий');
    const results = p.getByRole('region', { name: 'Записи' });
    // The first page is in before the headers are read (allTextContents does not wait).
    await results.getByRole('cell', { name: 'Вход', exact: true }).first().waitFor();
    const headers = await results.getByRole('columnheader').allTextContents();
    expect(headers).toEqual([
      'Когда ▼', // the sort arrow (hidden from screen readers, which hear aria-sort)
      'Действие',
      'Пользователь партнёра',
      'Клиент',
      'Состояние',
      'Дополнительные сведения',
    ]);
    await results.getByText('Успешно').first().waitFor();
    expect(await results.locator('time').first().textContent()).toMatch(
      /^\d{1,2} [а-я]+\.? \d{4} г\., \d{2}:\d{2}$/,
    );
    await p.getByRole('button', { name: 'Показать' }).waitFor();
    await p.getByRole('link', { name: 'Экспорт в CSV' }).waitFor();
    await checkPage(p, 'activity-log-ru');

    // The range in the Russian format (ДД.ММ.ГГГГ), whatever the browser's own locale (en-US here).
    const from = p.getByLabel('С', { exact: true });
    const to = p.getByLabel('По (включительно)');
    const [y, m, d] = new Date().toISOString().slice(0, 10).split('-');
    expect(await to.inputValue()).toBe(`${d}.${m}.${y}`);
    expect(await from.inputValue()).toMatch(/^\d{2}\.\d{2}\.\d{4}$/);
    const hintOf = async (field: typeof from) =>
      (
        await Promise.all(
          (await field.getAttribute('aria-describedby'))!
            .split(' ')
            .map((id) => p.locator(`[id="${id}"]`).textContent()),
        )
      ).join(' ');
    expect(await hintOf(from)).toContain('Формат: ДД.ММ.ГГГГ');

    // A Russian date is read as day.month.year: 01.02 is the 1st of February, sent to the API as such.
    const asked = p.waitForRequest(
      (r) => r.url().includes('/v1/auditrecords?') && r.url().includes('startDate=2026-02-01'),
    );
    await from.fill('01.02.2026');
    await to.fill('10.02.2026');
    await p.getByRole('button', { name: 'Показать' }).click();
    const url = new URL((await asked).url());
    expect([url.searchParams.get('startDate'), url.searchParams.get('endDate')]).toEqual([
      '2026-02-01',
      '2026-02-10',
    ]);
    await p.getByText('За этот период действий нет.').waitFor();
    expect(new URL(p.url()).searchParams.get('startDate')).toBe('2026-02-01');

    // A day that does not exist is the field's error, and nothing is asked of the API.
    let requests = 0;
    p.on('request', (r) => {
      if (r.url().includes('/v1/auditrecords?')) requests++;
    });
    await from.fill('31.02.2026');
    await p.getByRole('button', { name: 'Показать' }).click();
    await p.getByText('Введите существующую дату в формате ДД.ММ.ГГГГ.').waitFor();
    expect(await from.getAttribute('aria-invalid')).toBe('true');
    expect(await hintOf(from)).toContain('Введите существующую дату в формате ДД.ММ.ГГГГ.');
    await p.locator('input[name="startDate"]:focus').waitFor();
    expect(requests).toBe(0);
    await checkPage(p, 'activity-log-ru-invalid-date');

    await p.goto('/profile');
    await heading(p, 'Мой профиль');
    await p
      .getByRole('region', { name: 'Мои API-токены' })
      .getByText('У вас пока нет API-токенов.')
      .waitFor();
    await p.getByRole('region', { name: 'Смена пароля' }).getByLabel('Текущий пароль').waitFor();
    await checkPage(p, 'profile-ru');
    await p.context().close();
  });
});
