// The console's Customers area in a real browser against a real server: adding a customer through every step
// (a taken domain said live, the address check's suggestion taken, a server-side field error shown next to its
// field and fixed, a lost response retried without a second customer, the credentials shown once), finding
// customers as you type and exporting the selection, updating the billing profile with a stale second tab
// refused, confirming the customer agreement, what a helpdesk agent may do, Russian, and a phone-sized screen.
// Every page visited is checked with axe and saved as test-results/<name>.png.
import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { customerBody, uniquePrefix } from '../helpers/customers.ts';
import type { TestPartner, TestUser } from '../helpers/factories.ts';
import { TEST_PASSWORD, createPartner, createUser } from '../helpers/factories.ts';
import type { Server } from './helpers.ts';
import {
  apiCall,
  checkPage,
  describeInBrowser,
  heading,
  newContext,
  sidewaysOverflow,
  signIn,
  signedIn,
  startWithAdmin,
} from './helpers.ts';

const SUFFIX = 'onpartnerdesk.com';

/** The text of what has the focus. */
function focusedText(p: Page): Promise<string> {
  return p.evaluate<string>('document.activeElement?.textContent ?? ""');
}

describeInBrowser('console: customers', () => {
  let server: Server;
  let browser: Browser;
  let partner: TestPartner;
  let admin: TestUser;

  /** A customer added through the API by the admin. */
  async function seedCustomer(name: string, prefix = uniquePrefix('seed')) {
    const r = await apiCall(server, 'POST', '/v1/customers', admin.token, customerBody({ name, prefix }));
    expect(r.status).toBe(201);
    return { id: String(r.body.id), name, domain: `${prefix}.${SUFFIX}` };
  }

  beforeAll(async () => {
    ({ server, browser, partner, admin } = await startWithAdmin({
      name: 'Wide World Resellers',
      instance: 'global',
      country: 'US',
    }));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('a partner without customers is led to Add customer', async () => {
    const other = await createPartner(server.store, { name: 'Empty Partner', instance: 'global' });
    const user = await createUser(server.store, other.id, { roles: ['salesAgent'] });
    const p = await signedIn(browser, server, user);
    const stat = p.locator('.stat', { hasText: 'Customers' });
    await stat.locator('dd').getByText('0', { exact: true }).waitFor();
    await p
      .getByRole('navigation', { name: 'Main navigation' })
      .getByRole('link', { name: 'Customers' })
      .click();
    await heading(p, 'Customers');
    await p.getByText('You have no customers yet.').waitFor();
    await checkPage(p, 'customers-empty');
    await p.getByRole('link', { name: 'Add your first customer' }).click();
    await heading(p, 'Add customer');
    await p.context().close();
  });

  it('adds a customer through every step, and a lost response retried adds it once', async () => {
    const taken = uniquePrefix('taken');
    await seedCustomer(`Taken Domain ${taken}`, taken);
    const prefix = uniquePrefix('fourth');
    const name = `Fourth Coffee ${prefix}`;
    const p = await signedIn(browser, server, admin);
    await p
      .getByRole('navigation', { name: 'Main navigation' })
      .getByRole('link', { name: 'Customers' })
      .click();
    await heading(p, 'Customers');
    await p.getByRole('link', { name: 'Add customer' }).click();
    await heading(p, 'Add customer');
    const current = p.locator('[aria-current="step"]');
    expect(await current.textContent()).toContain('Account info');

    await p.getByLabel('Company name').fill(name);
    // The domain is checked while typing: a taken one, then a free one.
    const domain = p.getByLabel('Domain prefix');
    await domain.fill(taken);
    await p.getByText(`${taken}.${SUFFIX} is already taken: choose another prefix.`).waitFor();
    await domain.fill('9lives');
    await p.getByText('must have a prefix of letters and digits only').waitFor();
    await domain.fill(prefix);
    await p.getByText(`${prefix}.${SUFFIX} is available.`).waitFor();
    expect(await p.getByText(`.${SUFFIX}`, { exact: true }).isVisible()).toBe(true);

    await p.getByLabel('First name').fill('Bea');
    await p.getByLabel('Last name').fill('Billing');
    await p.getByLabel('Email address').fill('bea@fourthcoffee.example');
    // The partner's country is the start; its default culture and language follow.
    expect(await p.getByLabel('Country or region').inputValue()).toBe('US');
    expect(await p.getByLabel('Culture').inputValue()).toBe('en-US');
    expect(await p.getByLabel('Language', { exact: true }).inputValue()).toBe('en');
    await p.getByLabel('Address line 1').fill('1 Coffee Way');
    await p.getByLabel('City').fill('Redmond');
    await p.getByLabel('State or province').selectOption('WA');
    await p.getByLabel('Postal code').fill('98052');
    await p.getByLabel('Phone number').fill('4255550100');
    // Not a Russian customer: no registration number asked.
    expect(await p.getByLabel('Company registration number').count()).toBe(0);

    // The address check suggests the phone number in its international form; taken.
    await p.getByRole('button', { name: 'Check address' }).click();
    await p.getByText('a tidier way to write it is suggested below').waitFor();
    await p.getByRole('heading', { name: 'Suggested address' }).waitFor();
    await checkPage(p, 'add-customer-suggestion');
    await p.getByRole('button', { name: 'Use suggested address' }).click();
    await p.getByText('The suggested address is now in the fields.').waitFor();
    expect(await p.getByLabel('Phone number').inputValue()).toBe('+1 425 555 0100');

    // A postal code the API will refuse (the form checks only that required fields are filled).
    await p.getByLabel('Postal code').fill('9805');

    await p.getByRole('checkbox', { name: 'The customer has accepted the customer agreement' }).check();
    expect(await p.getByLabel('Signer’s first name').inputValue()).toBe('Bea');
    expect(await p.getByLabel('Signer’s email address').inputValue()).toBe('bea@fourthcoffee.example');
    await p.getByLabel('Date of acceptance').fill('03/15/2025');
    await checkPage(p, 'add-customer-account');

    await p.getByRole('button', { name: 'Next: Subscriptions' }).click();
    await p.getByRole('heading', { level: 2, name: 'Subscriptions' }).waitFor();
    expect(await current.textContent()).toContain('Subscriptions');
    await p.getByText('There are no offers to choose from yet').waitFor();
    await checkPage(p, 'add-customer-subscriptions');
    await p.getByRole('button', { name: 'Next: Review' }).click();
    await p.getByRole('heading', { level: 2, name: 'Review' }).waitFor();
    const review = await p.getByRole('main').textContent();
    expect(review).toContain(name);
    expect(review).toContain(`${prefix}.${SUFFIX}`);
    expect(review).toContain('Accepted on 03/15/2025 by Bea Billing (bea@fourthcoffee.example)');
    await checkPage(p, 'add-customer-review');

    const ids: string[] = [];
    p.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/v1/customers'))
        ids.push(r.headers()['ms-requestid'] ?? '');
    });
    await p.getByRole('button', { name: 'Submit' }).click();
    // Refused: back to Account info, the summary focused, the reason next to its field.
    await p.getByRole('heading', { level: 2, name: 'Account info' }).waitFor();
    await p.getByText('Check these fields (1)').waitFor();
    expect(await focusedText(p)).toContain('Postal code: is not a postal code of United States');
    const postal = p.getByLabel('Postal code');
    expect(await postal.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await postal.getAttribute('aria-describedby'))!.split(' ');
    const said = await Promise.all(describedBy.map((id) => p.locator(`[id="${id}"]`).textContent()));
    expect(said.join(' ')).toContain('is not a postal code of United States');
    await checkPage(p, 'add-customer-server-error');
    await postal.fill('98052');
    expect(await postal.getAttribute('aria-invalid')).toBeNull();
    await p.getByRole('button', { name: 'Next: Subscriptions' }).click();
    await p.getByRole('button', { name: 'Next: Review' }).click();

    // The answer to the next Submit is lost on its way back (the customer is made): Submit again sends the
    // same MS-RequestId and gets the first answer.
    let lost = false;
    await p.route('**/v1/customers', async (route) => {
      if (route.request().method() !== 'POST' || lost) return route.continue();
      lost = true;
      await route.fetch();
      await route.abort('failed');
    });
    await p.getByRole('button', { name: 'Submit' }).click();
    await p.getByText('Partnerdesk cannot be reached').waitFor();
    await p.getByRole('button', { name: 'Submit' }).click();
    await p.getByRole('heading', { level: 2, name: 'Confirmation' }).waitFor();
    expect(ids).toHaveLength(3);
    expect(ids[1]).toBe(ids[2]);
    expect(ids[0]).not.toBe(ids[1]);
    const found = await apiCall(server, 'GET', `/v1/customers?q=${prefix}`, admin.token);
    expect(found.body.totalCount).toBe(1);

    expect(await p.getByLabel('Admin user name').inputValue()).toBe(`admin@${prefix}.${SUFFIX}`);
    expect((await p.getByLabel('Temporary password').inputValue()).length).toBeGreaterThanOrEqual(12);
    await p.getByText('they cannot be shown again once you leave it').waitFor();
    await checkPage(p, 'add-customer-confirmation');
    await p.getByRole('button', { name: 'Done' }).click();

    await heading(p, name);
    const account = p.getByRole('main');
    await p.getByRole('link', { name: 'Account', exact: true }).waitFor();
    expect(await p.getByRole('link', { name: 'Account', exact: true }).getAttribute('aria-current')).toBe(
      'page',
    );
    const company = p.getByRole('region', { name: 'Company details' });
    expect(await company.textContent()).toContain(`${prefix}.${SUFFIX}`);
    const billing = p.getByRole('region', { name: 'Billing profile' });
    expect(await billing.textContent()).toContain('bea@fourthcoffee.example');
    expect(await billing.textContent()).toContain('Redmond, WA, 98052');
    const agreement = p.getByRole('region', { name: 'Customer agreement' });
    await agreement.getByText('Confirmed', { exact: true }).waitFor();
    expect(await agreement.textContent()).toContain('03/15/2025');
    expect(await account.textContent()).toContain('Reseller');
    await checkPage(p, 'customer-account');
    await p.context().close();
  }, 120_000);

  it('finds customers as you type by name and by domain, expands a row, exports the selection', async () => {
    const tag = uniquePrefix('');
    const northwind = await seedCustomer(`Northwind Traders ${tag}`, uniquePrefix('nwind'));
    const tailspin = await seedCustomer(`Tailspin Toys ${tag}`, uniquePrefix('tspin'));
    const p = await signedIn(browser, server, admin);
    await p.goto('/customers');
    await heading(p, 'Customers');
    const list = p.getByRole('region', { name: 'Customer list' });
    await list.getByRole('row').nth(1).waitFor();
    await checkPage(p, 'customers-list');

    const search = p.getByLabel('Search by company name or domain');
    await search.pressSequentially(`northwind traders ${tag}`.slice(0, 12));
    await list.getByRole('link', { name: northwind.name }).waitFor();
    await p.getByText(/^Customers found: \d+$/).waitFor();
    expect(new URL(p.url()).searchParams.get('q')).toBe('northwind tr');

    // By domain: the start of Tailspin's domain finds it, and only it.
    await search.fill(tailspin.domain.slice(0, 9));
    await p.getByText('Customers found: 1').waitFor();
    await list.getByRole('link', { name: tailspin.name }).waitFor();
    // "contains": the middle of a name.
    await search.fill(`toys ${tag}`);
    await p.getByText('Customers found: 0').waitFor();
    await p.getByText(`No customer matches “toys ${tag}”.`).waitFor();
    await p.getByLabel('Match anywhere in the name or domain (contains)').check();
    await list.getByRole('link', { name: tailspin.name }).waitFor();
    expect(new URL(p.url()).searchParams.get('match')).toBe('contains');

    // The row's details: its Microsoft ID and quick links.
    const toggle = list.getByRole('button', { name: `Details of ${tailspin.name}` });
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    await toggle.focus();
    await p.keyboard.press('Enter');
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    const details = p.locator(`[id="${await toggle.getAttribute('aria-controls')}"]`);
    expect(await details.textContent()).toContain(tailspin.id);
    await details.getByRole('button', { name: `Copy the Microsoft ID of ${tailspin.name}` }).waitFor();
    await checkPage(p, 'customers-row-expanded');

    // Export the current selection.
    const exportLink = p.getByRole('link', { name: 'Export these customers' });
    const href = new URL((await exportLink.getAttribute('href'))!, server.url);
    expect(href.searchParams.get('q')).toBe(`toys ${tag}`);
    expect(href.searchParams.get('match')).toBe('contains');
    const [download] = await Promise.all([p.waitForEvent('download'), exportLink.click()]);
    const lines = fs
      .readFileSync(await download.path(), 'utf8')
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines).toEqual([
      'Microsoft ID,Company name,Primary domain name,Relationship',
      `${tailspin.id},${tailspin.name},${tailspin.domain},Reseller`,
    ]);

    // Sorting goes through the API and into the URL.
    await search.fill(tag);
    await list.getByRole('link', { name: northwind.name }).waitFor();
    await p.getByRole('button', { name: 'Sort by Added' }).click();
    await p.waitForURL(/sort=createdAt/);
    await p.getByRole('button', { name: 'Sort by Added' }).click();
    await p.waitForURL(/order=desc/);
    await list.getByRole('row').nth(1).filter({ hasText: tailspin.name }).waitFor();

    // A quick link opens the customer page's tab.
    // Still open from before: an expanded row stays so while the search changes.
    expect(
      await list.getByRole('button', { name: `Details of ${tailspin.name}` }).getAttribute('aria-expanded'),
    ).toBe('true');
    await list
      .getByRole('list', { name: `Quick links for ${tailspin.name}` })
      .getByRole('link', { name: 'Users and licenses' })
      .click();
    await heading(p, tailspin.name);
    expect(
      await p
        .getByRole('navigation', { name: 'Customer sections' })
        .getByRole('link', { name: 'Users and licenses' })
        .getAttribute('aria-current'),
    ).toBe('page');
    await p.getByRole('heading', { level: 2, name: 'Users' }).waitFor();
    await checkPage(p, 'customer-users-tab');
    await p.context().close();
  }, 90_000);

  it('updates the billing profile; a stale edit in a second tab is refused and overwrites nothing', async () => {
    const c = await seedCustomer(`Alpine Ski House ${uniquePrefix('')}`);
    const p1 = await signedIn(browser, server, admin);
    const p2 = await p1.context().newPage();
    for (const p of [p1, p2]) {
      await p.goto(`/customers/${c.id}`);
      await heading(p, c.name);
      await p.getByRole('button', { name: `Update billing profile of ${c.name}` }).click();
      await p.getByRole('form', { name: 'Update billing profile' }).waitFor();
    }
    const renamed = `${c.name} Renamed`;
    await p1.getByLabel('Bill-to company name').fill(renamed);
    await checkPage(p1, 'customer-billing-edit');
    await p1.getByRole('button', { name: 'Save' }).click();
    await heading(p1, renamed);
    await p1.getByRole('region', { name: 'Billing profile' }).getByText('Saved.', { exact: true }).waitFor();

    // The second tab still edits the version it opened.
    const form2 = p2.getByRole('form', { name: 'Update billing profile' });
    await form2.getByLabel('City').fill('Bellevue');
    await form2.getByRole('button', { name: 'Save' }).click();
    await p2.getByText('Someone else changed this meanwhile').waitFor();
    expect(await focusedText(p2)).toContain('Nothing was saved.');
    const conflict = await p2.locator('.alert-warning').textContent();
    expect(conflict).toContain('City: Bellevue');
    expect(conflict).toContain(`Bill-to company name: ${c.name}`);
    expect(await form2.getByLabel('Bill-to company name').inputValue()).toBe(renamed);
    expect(await form2.getByLabel('City').inputValue()).toBe('Redmond');
    await checkPage(p2, 'customer-billing-conflict');
    const now = await apiCall(server, 'GET', `/v1/customers/${c.id}/profiles/billing`, admin.token);
    expect(now.body).toMatchObject({ companyName: renamed, defaultAddress: { city: 'Redmond' } });

    // Re-applied on the current version, it saves.
    await form2.getByLabel('City').fill('Bellevue');
    await form2.getByRole('button', { name: 'Save' }).click();
    await p2.getByRole('region', { name: 'Billing profile' }).getByText('Saved.', { exact: true }).waitFor();
    expect(await p2.getByRole('region', { name: 'Billing profile' }).textContent()).toContain('Bellevue, WA');

    // A refused field: the API's reason next to it.
    await p2.getByRole('button', { name: `Update billing profile of ${renamed}` }).click();
    await form2.getByLabel('Email address').fill('not-an-email');
    await form2.getByRole('button', { name: 'Save' }).click();
    await form2.getByText('is not an email address (like billing@contoso.com)', { exact: true }).waitFor();
    expect(await form2.getByLabel('Email address').getAttribute('aria-invalid')).toBe('true');
    await form2.getByRole('button', { name: 'Cancel' }).click();
    await p2.close();

    // The list shows the bill-to name.
    await p1.goto(`/customers?q=${encodeURIComponent(renamed)}`);
    await p1.getByRole('region', { name: 'Customer list' }).getByRole('link', { name: renamed }).waitFor();

    // The customer agreement, confirmed from the Account tab; a future date is the API's field error.
    await p1.getByRole('link', { name: renamed }).click();
    const agreement = p1.getByRole('region', { name: 'Customer agreement' });
    await agreement.getByText('Not confirmed').waitFor();
    await agreement.getByRole('button', { name: 'Confirm agreement' }).click();
    const dialog = p1.getByRole('dialog', { name: 'Confirm the customer agreement' });
    expect(await dialog.getByLabel('Signer’s first name').inputValue()).toBe('Bill');
    await dialog.getByLabel('Date of acceptance').fill('12/31/2099');
    await dialog.getByRole('button', { name: 'Confirm agreement' }).click();
    await dialog.getByText('must not be in the future', { exact: true }).waitFor();
    expect(await dialog.getByLabel('Date of acceptance').getAttribute('aria-invalid')).toBe('true');
    await checkPage(p1, 'customer-agreement-future');
    await dialog.getByLabel('Date of acceptance').fill('01/20/2026');
    await dialog.getByRole('button', { name: 'Confirm agreement' }).click();
    await agreement.getByText('The customer agreement is confirmed.').waitFor();
    await agreement.getByText('Confirmed', { exact: true }).waitFor();
    expect(await agreement.textContent()).toContain('01/20/2026');

    // The activity log labels the changes and links to the customer.
    await p1.goto('/activity');
    const records = p1.getByRole('region', { name: 'Records' });
    await records.getByRole('cell', { name: 'Billing profile updated', exact: true }).first().waitFor();
    await records.getByRole('cell', { name: 'Customer agreement confirmed', exact: true }).waitFor();
    await checkPage(p1, 'activity-customers');
    await records.getByRole('link', { name: renamed }).first().click();
    await heading(p1, renamed);
    await p1.context().close();
  }, 90_000);

  it('a helpdesk agent may update company details, not the billing profile, and cannot add customers', async () => {
    const c = await seedCustomer(`Litware ${uniquePrefix('')}`);
    const agent = await createUser(server.store, partner.id, {
      roles: ['helpdeskAgent'],
      displayName: 'Hal',
    });
    const p = await signedIn(browser, server, agent);
    await p.goto('/customers');
    await heading(p, 'Customers');
    await p.getByRole('region', { name: 'Customer list' }).getByRole('row').nth(1).waitFor();
    expect(await p.getByRole('link', { name: 'Add customer' }).count()).toBe(0);
    await p.goto(`/customers/${c.id}`);
    await heading(p, c.name);
    await p.getByRole('region', { name: 'Customer agreement' }).getByText('Not confirmed').waitFor();
    expect(await p.getByRole('button', { name: `Update billing profile of ${c.name}` }).count()).toBe(0);
    expect(await p.getByRole('button', { name: 'Confirm agreement' }).count()).toBe(0);
    await checkPage(p, 'customer-helpdesk');
    await p.getByRole('button', { name: `Update company details of ${c.name}` }).click();
    const form = p.getByRole('form', { name: 'Update company details' });
    await form.getByLabel('Company name').fill(`${c.name} Inc`);
    await form.getByRole('button', { name: 'Save' }).click();
    await p.getByRole('region', { name: 'Company details' }).getByText('Saved.', { exact: true }).waitFor();
    expect(await p.getByRole('region', { name: 'Company details' }).textContent()).toContain(`${c.name} Inc`);
    await p.goto('/customers/new');
    await heading(p, 'Not allowed');
    await p.goto('/customers/00000000-0000-4000-8000-000000000000');
    await heading(p, 'Customer not found');
    await checkPage(p, 'customer-not-found');
    await p.context().close();
  }, 60_000);

  it('Russian: the customers page and the add form, with a date in the Russian format', async () => {
    const ivan = await createUser(server.store, partner.id, { roles: ['salesAgent'], displayName: 'Иван' });
    expect((await apiCall(server, 'PATCH', '/v1/profiles/me', ivan.token, { language: 'ru' })).status).toBe(
      200,
    );
    const p = await (await newContext(browser, server)).newPage();
    await signIn(p, ivan.userName, TEST_PASSWORD);
    await heading(p, 'Обзор');
    await p
      .getByRole('navigation', { name: 'Основная навигация' })
      .getByRole('link', { name: 'Клиенты' })
      .click();
    await heading(p, 'Клиенты');
    const list = p.getByRole('region', { name: 'Список клиентов' });
    await list.getByRole('row').nth(1).waitFor();
    expect(await list.getByRole('columnheader').allTextContents()).toEqual([
      'Название компании ▲',
      'Основной домен',
      'Отношения',
      'Делегированное администрирование',
      'Добавлен',
      'Подробности',
    ]);
    await p.getByLabel('Поиск по названию компании или домену').waitFor();
    await p.getByRole('link', { name: 'Экспорт клиентов' }).waitFor();
    await list.getByText('Реселлер').first().waitFor();
    // The date added, as Russian writes it: "2 дек. 2026 г.".
    expect(await list.getByRole('row').nth(1).getByRole('cell').nth(4).textContent()).toMatch(
      /^\d{1,2} [а-я]+\.? \d{4} г\.$/,
    );
    await checkPage(p, 'customers-ru');

    await p.getByRole('link', { name: 'Добавить клиента' }).click();
    await heading(p, 'Добавление клиента');
    await p.getByLabel('Название компании').fill('Ромашка');
    await p.getByLabel('Префикс домена').fill(uniquePrefix('romashka'));
    await p.getByText(/свободен\.$/).waitFor();
    await p.getByLabel('Страна или регион').selectOption('RU');
    // Russia: a registration number, a phone, Russian as the default language; no state.
    await p.getByLabel('Регистрационный номер компании').waitFor();
    await p.getByText('Обязателен для клиентов из страны Россия.').waitFor();
    expect(await p.getByLabel('Региональные настройки').inputValue()).toBe('ru-RU');
    await p.getByRole('checkbox', { name: 'Клиент принял клиентское соглашение' }).check();
    const date = p.getByLabel('Дата принятия');
    const hint = await Promise.all(
      (await date.getAttribute('aria-describedby'))!
        .split(' ')
        .map((id) => p.locator(`[id="${id}"]`).textContent()),
    );
    expect(hint.join(' ')).toContain('Формат: ДД.ММ.ГГГГ');
    await date.fill('31.02.2026');
    await p.getByRole('button', { name: 'Далее: подписки' }).click();
    // Required fields left empty and the impossible date: the summary lists them, in Russian.
    await p.getByText(/^Проверьте эти поля \(\d+\)$/).waitFor();
    expect(await focusedText(p)).toContain('Имя: Заполните это поле.');
    await p.getByText('Введите существующую дату в формате ДД.ММ.ГГГГ.').waitFor();
    await checkPage(p, 'add-customer-ru');
    await p.context().close();
  }, 60_000);

  it('at 375 px the customer list and the customer page do not scroll sideways', async () => {
    const c = await seedCustomer(`Contoso Pharmaceuticals International ${uniquePrefix('')}`);
    const p = await signedIn(browser, server, admin, { width: 375 });
    await p.goto('/customers');
    await heading(p, 'Customers');
    const list = p.getByRole('region', { name: 'Customer list' });
    await list.getByRole('row').nth(1).waitFor();
    await list
      .getByRole('button', { name: `Details of ${c.name}` })
      .first()
      .click();
    expect(await sidewaysOverflow(p)).toBeLessThanOrEqual(0);
    await checkPage(p, 'customers-375');
    await p.goto(`/customers/${c.id}`);
    await heading(p, c.name);
    expect(await sidewaysOverflow(p)).toBeLessThanOrEqual(0);
    await checkPage(p, 'customer-375');
    await p.getByRole('button', { name: `Update billing profile of ${c.name}` }).click();
    await p.getByRole('form', { name: 'Update billing profile' }).waitFor();
    expect(await sidewaysOverflow(p)).toBeLessThanOrEqual(0);
    await p.goto('/customers/new');
    await heading(p, 'Add customer');
    expect(await sidewaysOverflow(p)).toBeLessThanOrEqual(0);
    await checkPage(p, 'add-customer-375');
    await p.context().close();
  }, 60_000);
});
