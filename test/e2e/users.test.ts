// A customer's users and licences in a real browser against a real server. A Global admin adds users from a
// file (a file with a wrong column refused as a whole; bad rows listed by row, email, column and reason; the
// fixed file validated, one location chosen, the progress followed to the end), downloads the temporary
// passwords once (the page then says so, and the API refuses a second download with 410) and the results file;
// adds a user with a licence and sees the temporary password; manages the licences of two users with one seat
// left (one gets it, the other is refused with the reason) and follows "Buy more" to the add-subscription
// flow; edits a user (a stale edit refused with the current values shown), resets its password, deletes it and
// restores it with its licence. In the US Government instance the directory is read-only and adding users from
// a file is not offered; a helpdesk agent is told the tab is not for their roles. Every page visited is checked
// with axe and saved as test-results/<name>.png. The offers are the demo catalog's.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { demoCatalog } from '../../src/demo/seed.ts';
import { importCatalog } from '../../src/modules/offers/offers.service.ts';
import type { TestPartner, TestUser } from '../helpers/factories.ts';
import { createPartner, createUser } from '../helpers/factories.ts';
import type { Server } from './helpers.ts';
import {
  apiCall,
  checkPage,
  describeInBrowser,
  heading,
  seedCustomer as seedApiCustomer,
  sidewaysOverflow,
  signedIn,
  startWithAdmin,
} from './helpers.ts';

// From the demo catalog: a licence-based suite.
const SUITE = { id: 'M365-BUSINESS-PREMIUM', name: 'Microsoft 365 Business Premium' };
const HEADER = 'First name,Last name,Display name,Email,Status update';

interface Seeded {
  id: string;
  name: string;
  domain: string;
}

interface ApiUser {
  id: string;
  userPrincipalName: string;
  displayName: string;
  usageLocation: string | null;
  state: string;
  licenseCount: number;
  attributes: { etag: string };
}

/** Whether a checkbox shows the mixed state (the DOM property; ARIA derives "mixed" from it). */
const isMixed = (box: Locator) =>
  box.evaluate((el) => (el as { indeterminate?: boolean }).indeterminate === true);

describeInBrowser('console: customer users and licenses', () => {
  let server: Server;
  let browser: Browser;
  let partner: TestPartner;
  let admin: TestUser;
  let files: string;

  /** A customer of `as`'s partner with the agreement confirmed, and the suite with `seats` seats if asked. */
  async function seedCustomer(
    name: string,
    opts: { seats?: number; as?: TestUser; instance?: 'global' | 'usgov' } = {},
  ): Promise<Seeded> {
    const as = opts.as ?? admin;
    const customer = await seedApiCustomer(server, as, name, { prefix: 'users', instance: opts.instance });
    if (opts.seats) {
      const order = await apiCall(server, 'POST', `/v1/customers/${customer.id}/orders`, as.token, {
        lineItems: [{ offerId: SUITE.id, quantity: opts.seats, friendlyName: 'Suite' }],
      });
      expect(order.status, JSON.stringify(order.body)).toBe(201);
    }
    return customer;
  }

  async function addUser(c: Seeded, alias: string, displayName: string): Promise<ApiUser> {
    const r = await apiCall(server, 'POST', `/v1/customers/${c.id}/users`, admin.token, {
      userPrincipalName: `${alias}@${c.domain}`,
      displayName,
      usageLocation: 'US',
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body as unknown as ApiUser;
  }

  async function usersOf(c: Seeded, query = ''): Promise<ApiUser[]> {
    const r = await apiCall(server, 'GET', `/v1/customers/${c.id}/users?size=1000${query}`, admin.token);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body.items as ApiUser[];
  }

  async function licensesOf(c: Seeded, userId: string): Promise<{ productSku: { id: string } }[]> {
    const r = await apiCall(server, 'GET', `/v1/customers/${c.id}/users/${userId}/licenses`, admin.token);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return (r.body.items as { productSku: { id: string }; state: string }[]).filter(
      (l) => l.state === 'active',
    );
  }

  /** A users file in the test's folder. */
  function csv(name: string, rows: string[]): string {
    const file = path.join(files, name);
    fs.writeFileSync(file, `\uFEFF${[HEADER, ...rows].join('\r\n')}\r\n`);
    return file;
  }

  async function downloaded(
    p: Page,
    action: () => Promise<void>,
  ): Promise<{ name: string; lines: string[] }> {
    const [download] = await Promise.all([p.waitForEvent('download'), action()]);
    const lines = fs
      .readFileSync(await download.path(), 'utf8')
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split(/\r?\n/);
    return { name: download.suggestedFilename(), lines };
  }

  beforeAll(async () => {
    ({ server, browser, partner, admin } = await startWithAdmin({
      name: 'Users Reseller E2E',
      instance: 'global',
      country: 'US',
    }));
    await importCatalog(server.store.owner, demoCatalog());
    files = fs.mkdtempSync(path.join(os.tmpdir(), 'users-e2e-'));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (files) fs.rmSync(files, { recursive: true, force: true });
  });

  // A long journey through many pages (90 s: room for a loaded machine).
  it('adds users from a file: row errors, the fixed file, a location, progress, passwords once, results', async () => {
    const c = await seedCustomer('Fabrikam Upload');
    const p = await signedIn(browser, server, admin);
    await p.goto(`/customers/${c.id}`);
    await heading(p, c.name);
    await p
      .getByRole('navigation', { name: 'Customer sections' })
      .getByRole('link', { name: 'Users and licenses' })
      .click();
    await p.getByRole('heading', { level: 2, name: 'Users' }).waitFor();
    await p
      .getByRole('navigation', { name: 'Users and licenses sections' })
      .getByRole('link', { name: 'Upload users' })
      .click();
    await p.getByRole('heading', { level: 2, name: 'Choose the users file' }).waitFor();

    // The template.
    const template = await downloaded(p, () =>
      p.getByRole('link', { name: 'Download the template (CSV)' }).click(),
    );
    expect(template.lines).toEqual([HEADER]);

    // A column the template does not have refuses the file as a whole, naming it.
    const file = p.getByLabel('Users file (CSV)');
    const wrong = path.join(files, 'wrong.csv');
    fs.writeFileSync(wrong, `${HEADER},Department\r\nAda,L,Ada L,ada@${c.domain},,Sales\r\n`);
    await file.setInputFiles(wrong);
    await p.getByRole('button', { name: 'Validate', exact: true }).click();
    const refused = p.getByRole('alert').filter({ hasText: 'This file cannot be used' });
    await refused.waitFor();
    expect(await refused.textContent()).toContain('Department');
    await checkPage(p, 'users-upload-file-refused');

    // Good and bad rows: the bad ones listed by row, email, column and reason; nothing written.
    await file.setInputFiles(
      csv('bad.csv', [
        `Ada,Lovelace,Ada Lovelace,ada@${c.domain},`,
        `Bob,,,bob@${c.domain},`,
        `Cy,Other,Cy Other,cy@elsewhere.example,`,
        `Dee,Dup,Dee Dup,ada@${c.domain},`,
      ]),
    );
    await p.getByRole('button', { name: 'Validate', exact: true }).click();
    await p.getByText('Rows checked: 4. Ready: 1. With problems: 3.').waitFor();
    const problems = p.getByRole('region', { name: 'Rows with problems (3)' });
    await problems.waitFor();
    const rows = problems.getByRole('row');
    expect(await rows.count()).toBeGreaterThanOrEqual(4); // header + one per problem
    expect(await rows.nth(1).textContent()).toMatch(/^2 \(line 3\)bob@.*Display name/);
    expect(
      await problems.getByRole('row').filter({ hasText: 'cy@elsewhere.example' }).textContent(),
    ).toContain('Email');
    await problems.getByRole('row').filter({ hasText: '4 (line 5)' }).waitFor();
    await checkPage(p, 'users-upload-row-errors');
    expect(await usersOf(c)).toHaveLength(1); // only the customer's first admin

    // The fixed file.
    await file.setInputFiles(
      csv('fixed.csv', [
        `Ada,Lovelace,Ada Lovelace,ada@${c.domain},`,
        `Bob,Builder,Bob Builder,bob@${c.domain},`,
        `Cy,Other,Cy Other,cy@${c.domain},`,
        `Dee,Dup,Dee Dup,dee@${c.domain},`,
      ]),
    );
    await p.getByRole('button', { name: 'Validate', exact: true }).click();
    await p.getByText('Rows checked: 4. Ready: 4. With problems: 0.').waitFor();
    expect(await p.getByRole('region', { name: /Rows with problems/ }).count()).toBe(0);
    await p.getByRole('button', { name: 'Next: location' }).click();

    // One location for all.
    await p.getByRole('heading', { level: 2, name: 'Choose the location' }).waitFor();
    await p.getByText('4 users from fixed.csv will be added').waitFor();
    await p.getByLabel('Location of the users').selectOption('DE');
    await checkPage(p, 'users-upload-location');
    await p.getByRole('button', { name: 'Save and add the users' }).click();

    // The progress, to the end.
    await p.getByRole('heading', { level: 2, name: 'Adding the users of fixed.csv' }).waitFor();
    await p.getByRole('progressbar', { name: 'Progress of adding the users' }).waitFor();
    await p.getByText('Rows done: 4 of 4 · created: 4 · failed: 0').waitFor();
    await p.getByRole('heading', { name: 'All rows are done' }).waitFor();
    expect(await p.getByRole('progressbar').getAttribute('value')).toBe('100');
    await p.getByText('The temporary passwords can be downloaded once only').waitFor();
    await checkPage(p, 'users-upload-done');
    const importId = p.url().split('/imports/')[1]!;

    // The passwords, once.
    const passwords = await downloaded(p, () =>
      p.getByRole('button', { name: 'Download temporary passwords' }).click(),
    );
    expect(passwords.lines[0]).toBe('Display name,User name,Temporary password');
    expect(passwords.lines).toHaveLength(5);
    const ada = passwords.lines.find((l) => l.startsWith('Ada Lovelace,'))!;
    expect(ada.split(',')[1]).toBe(`ada@${c.domain}`);
    expect(ada.split(',')[2]).toMatch(/^\S{20}$/);
    await p.getByText('The passwords were downloaded', { exact: true }).waitFor();
    expect(await p.getByRole('button', { name: 'Passwords downloaded' }).isDisabled()).toBe(true);
    expect(await p.getByRole('button', { name: 'Download temporary passwords' }).count()).toBe(0);
    await checkPage(p, 'users-upload-passwords-downloaded');
    // Opened again: the page says they are gone; the API refuses them.
    await p.reload();
    await p.getByText(/^The passwords were downloaded on /).waitFor();
    expect(await p.getByRole('button', { name: 'Download temporary passwords' }).count()).toBe(0);
    const again = await apiCall(
      server,
      'GET',
      `/v1/customers/${c.id}/users/imports/${importId}/passwords.csv`,
      admin.token,
    );
    expect(again.status).toBe(410);
    expect(again.body.name).toBe('passwordsAlreadyDownloaded');

    // The results file: the file as uploaded, each row's outcome filled in.
    const results = await downloaded(p, () =>
      p.getByRole('link', { name: 'Download the results file' }).click(),
    );
    expect(results.lines[0]).toBe(HEADER);
    expect(results.lines.slice(1)).toEqual([
      `Ada,Lovelace,Ada Lovelace,ada@${c.domain},Created`,
      `Bob,Builder,Bob Builder,bob@${c.domain},Created`,
      `Cy,Other,Cy Other,cy@${c.domain},Created`,
      `Dee,Dup,Dee Dup,dee@${c.domain},Created`,
    ]);

    // The users are in the directory, in the chosen location.
    const created = (await usersOf(c)).filter(
      (u) => u.userPrincipalName !== undefined && u.usageLocation === 'DE',
    );
    expect(created.map((u) => u.userPrincipalName).sort()).toEqual(
      ['ada', 'bob', 'cy', 'dee'].map((a) => `${a}@${c.domain}`),
    );
    await p.getByRole('link', { name: 'Go to the users' }).click();
    await p.getByRole('region', { name: 'Users' }).getByRole('link', { name: 'Bob Builder' }).waitFor();
    await p.getByText('Users found: 5').waitFor();
    await p.context().close();
  }, 90_000);

  it('adds a user with a licence and shows the temporary password once', async () => {
    const c = await seedCustomer('Contoso Add User', { seats: 2 });
    const p = await signedIn(browser, server, admin);
    await p.goto(`/customers/${c.id}/users`);
    await p.getByRole('button', { name: 'Add user' }).click();
    const dialog = p.getByRole('dialog', { name: `Add a user to ${c.name}` });
    await dialog.getByLabel('First name').fill('Grace');
    await dialog.getByLabel('Last name').fill('Hopper');
    expect(await dialog.getByLabel('Display name').inputValue()).toBe('Grace Hopper');
    await dialog.getByLabel('User name').fill('Grace.Hopper');
    expect(await dialog.getByLabel('Domain').inputValue()).toBe(c.domain);
    expect(await dialog.getByLabel('Usage location').inputValue()).toBe('US');
    await dialog.getByRole('checkbox', { name: 'Helpdesk admin' }).check();
    await dialog.getByText('2 of 2 available').waitFor();
    await dialog.getByRole('checkbox', { name: SUITE.name }).check();
    await checkPage(p, 'users-add-form');
    await dialog.getByRole('button', { name: 'Add user' }).click();

    await dialog.getByText(`Grace Hopper (grace.hopper@${c.domain}) was added.`).waitFor();
    await dialog.getByText('Shown only once').waitFor();
    const password = await dialog.getByLabel('Temporary password').inputValue();
    expect(password).toMatch(/^\S{20}$/);
    await dialog.getByText(`Assigned: ${SUITE.name}`).waitFor();
    await checkPage(p, 'users-add-result');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });

    const [grace] = await usersOf(c, `&q=grace`);
    expect(grace).toMatchObject({ displayName: 'Grace Hopper', usageLocation: 'US', licenseCount: 1 });
    expect((await licensesOf(c, grace!.id)).map((l) => l.productSku.id)).toEqual([SUITE.id]);
    // The one-time password is the user's.
    const session = await apiCall(server, 'POST', '/v1/customer/sessions', undefined, {
      userName: `grace.hopper@${c.domain}`,
      password,
    });
    expect(session.status, JSON.stringify(session.body)).toBe(200);

    const row = p.getByRole('region', { name: 'Users' }).getByRole('row').filter({ hasText: 'Grace Hopper' });
    await row.waitFor();
    expect(await row.textContent()).toContain('Helpdesk admin');
    await checkPage(p, 'users-list');
    await p.context().close();
  });

  it('manages licences of two users with one seat left: one gets it, the other is told why', async () => {
    const c = await seedCustomer('Northwind Seats', { seats: 1 });
    const alan = await addUser(c, 'alan', 'Alan Turing');
    const barbara = await addUser(c, 'barbara', 'Barbara Liskov');
    const p = await signedIn(browser, server, admin);
    await p.goto(`/customers/${c.id}/users`);
    const list = p.getByRole('region', { name: 'Users' });
    await list.getByRole('checkbox', { name: 'Select Alan Turing' }).check();
    await list.getByRole('checkbox', { name: 'Select Barbara Liskov' }).check();
    await p.getByText('Selected: 2').waitFor();
    await p.getByRole('button', { name: 'Manage licenses (2)' }).click();

    const dialog = p.getByRole('dialog', { name: 'Manage licenses of 2 users' });
    const suite = dialog.getByRole('checkbox', { name: SUITE.name });
    await dialog.getByText('1 of 1 available').waitFor();
    expect(await suite.isChecked()).toBe(false);
    await suite.check();
    await dialog
      .getByText('Only 1 available: the last 1 of these users will not get one.', { exact: false })
      .waitFor();
    await checkPage(p, 'users-manage-licenses');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });

    const results = p.getByRole('region', { name: 'Licenses updated' });
    await results.waitFor();
    const first = results.getByRole('row').filter({ hasText: 'Alan Turing' });
    const second = results.getByRole('row').filter({ hasText: 'Barbara Liskov' });
    await first.getByText('Updated', { exact: true }).waitFor();
    await first.getByText(`Assigned: ${SUITE.name}`).waitFor();
    await second.getByText('Failed', { exact: true }).waitFor();
    expect(await second.textContent()).toContain(`Not assigned: ${SUITE.name} — All 1 licences`);
    await checkPage(p, 'users-licenses-updated');
    expect((await licensesOf(c, alan.id)).map((l) => l.productSku.id)).toEqual([SUITE.id]);
    expect(await licensesOf(c, barbara.id)).toEqual([]);

    // Again for both: one holds it (mixed), no seat is left, and "Buy more" leads to adding a subscription.
    // Who holds what comes with the listed users: no licences request per user.
    const perUser: string[] = [];
    p.on('request', (r) => {
      if (/\/users\/[^/]+\/licenses$/.test(new URL(r.url()).pathname)) perUser.push(r.url());
    });
    await list.getByRole('checkbox', { name: 'Select Alan Turing' }).check();
    await list.getByRole('checkbox', { name: 'Select Barbara Liskov' }).check();
    await p.getByRole('button', { name: 'Manage licenses (2)' }).click();
    await dialog.getByText('0 of 1 available').waitFor();
    expect(await isMixed(dialog.getByRole('checkbox', { name: SUITE.name }))).toBe(true);
    expect(perUser).toEqual([]);
    await dialog.getByRole('link', { name: `Buy more ${SUITE.name}` }).click();
    const add = p.getByRole('dialog', { name: `Add a subscription for ${c.name}` });
    await add.getByRole('heading', { name: SUITE.name }).waitFor();
    await p.context().close();
  });

  // Many steps on one user's page (60 s: room for a loaded machine).
  it('edits a user (a stale edit refused), resets its password, deletes it and restores it with its licence', async () => {
    const c = await seedCustomer('Tailspin Lifecycle', { seats: 3 });
    const user = await addUser(c, 'edsger', 'Edsger Dijkstra');
    const assign = await apiCall(
      server,
      'POST',
      `/v1/customers/${c.id}/users/${user.id}/licenseupdates`,
      admin.token,
      { licensesToAssign: [{ skuId: SUITE.id }], licensesToRemove: [] },
    );
    expect(assign.status, JSON.stringify(assign.body)).toBe(201);
    const p = await signedIn(browser, server, admin);
    await p.goto(`/customers/${c.id}/users`);
    await p.getByRole('link', { name: 'Edsger Dijkstra' }).click();
    await p.getByRole('heading', { level: 2, name: 'Edsger Dijkstra' }).waitFor();
    await p.getByRole('region', { name: 'Licenses' }).getByRole('link', { name: SUITE.name }).waitFor();
    await checkPage(p, 'users-user-page');

    // An edit.
    await p.getByRole('button', { name: 'Edit' }).click();
    await p.getByLabel('Phone number').fill('+1 425 555 0199');
    await p.getByRole('button', { name: 'Save' }).click();
    await p.getByText('Changes saved.').waitFor();
    await p.getByText('+1 425 555 0199').waitFor();

    // Changed meanwhile elsewhere: the next edit is refused and the current values shown.
    await p.getByRole('button', { name: 'Edit' }).click();
    const [now] = await usersOf(c, '&q=edsger');
    const elsewhere = await fetch(`${server.url}/v1/customers/${c.id}/users/${user.id}`, {
      method: 'PATCH',
      headers: {
        authorization: `Bearer ${admin.token}`,
        'content-type': 'application/json',
        'if-match': now!.attributes.etag,
      },
      body: JSON.stringify({ displayName: 'E. W. Dijkstra' }),
    });
    expect(elsewhere.status).toBe(200);
    await p.getByLabel('Display name').fill('Edsger W. Dijkstra');
    await p.getByRole('button', { name: 'Save' }).click();
    await p.getByText('Someone else changed this meanwhile').waitFor();
    expect(await p.getByLabel('Display name').inputValue()).toBe('E. W. Dijkstra');
    await checkPage(p, 'users-edit-conflict');
    await p.getByRole('button', { name: 'Cancel' }).click();
    expect((await usersOf(c, '&q=dijkstra'))[0]!.displayName).toBe('E. W. Dijkstra');

    // Reset the password: the new one shown once.
    await p.getByRole('button', { name: 'Reset password' }).click();
    const reset = p.getByRole('dialog', { name: /^Reset the password of / });
    await reset.getByRole('button', { name: 'Reset password' }).click();
    const fresh = await reset.getByLabel('Temporary password').inputValue();
    expect(fresh).toMatch(/^\S{20}$/);
    await checkPage(p, 'users-reset-password');
    await reset.getByRole('button', { name: 'Close' }).click();

    // Delete: confirmed, then among the deleted users with the count.
    await p.getByRole('button', { name: 'Delete user' }).click();
    const del = p.getByRole('dialog', { name: 'Delete E. W. Dijkstra?' });
    await del.getByText('For 30 days the user can be restored', { exact: false }).waitFor();
    await del.getByRole('button', { name: 'Delete user' }).click();
    await p.getByText('E. W. Dijkstra was deleted.', { exact: false }).waitFor();
    expect(await licensesOf(c, user.id)).toEqual([]);
    const sections = p.getByRole('navigation', { name: 'Users and licenses sections' });
    await sections.getByRole('link', { name: 'Deleted users (1)' }).click();
    const deleted = p.getByRole('region', { name: 'Deleted users' });
    await deleted.getByRole('link', { name: 'E. W. Dijkstra' }).waitFor();
    await checkPage(p, 'users-deleted');

    // Restore: the user and its licence are back.
    await deleted.getByRole('checkbox', { name: 'Select E. W. Dijkstra' }).check();
    await p.getByRole('button', { name: 'Restore (1)' }).click();
    const restored = p.getByRole('region', { name: 'Restore results' });
    await restored.getByText('E. W. Dijkstra was restored.').waitFor();
    await restored.getByText(`License restored: ${SUITE.name}`).waitFor();
    await checkPage(p, 'users-restored');
    await sections.getByRole('link', { name: 'Deleted users (0)' }).waitFor();
    expect((await usersOf(c, '&q=dijkstra'))[0]).toMatchObject({ state: 'active', licenseCount: 1 });
    await p.context().close();
  }, 60_000);

  it('is read-only in the US Government instance, and not for a helpdesk agent', async () => {
    const govPartner = await createPartner(server.store, {
      name: 'Gov Reseller',
      instance: 'usgov',
      country: 'US',
    });
    const govAdmin = await createUser(server.store, govPartner.id, { roles: ['globalAdmin'] });
    const c = await seedCustomer('Gov Agency', { as: govAdmin, instance: 'usgov' });
    const p = await signedIn(browser, server, govAdmin);
    await p.goto(`/customers/${c.id}/users`);
    await p.getByText('Read-only here').waitFor();
    await p.getByText('In the US Government cloud instance', { exact: false }).waitFor();
    // The customer's first admin, listed, but nothing to change.
    const list = p.getByRole('region', { name: 'Users' });
    await list.getByRole('link').first().waitFor();
    expect(await p.getByRole('button', { name: 'Add user' }).count()).toBe(0);
    expect(await p.getByRole('button', { name: /Manage licenses/ }).count()).toBe(0);
    expect(await list.getByRole('checkbox').count()).toBe(0);
    expect(await p.getByRole('link', { name: 'Upload users' }).count()).toBe(0);
    await checkPage(p, 'users-read-only');
    await list.getByRole('link').first().click();
    await p.getByRole('heading', { level: 2 }).first().waitFor();
    await p.getByRole('heading', { name: 'Licenses' }).waitFor();
    for (const name of ['Edit', 'Reset password', 'Delete user', 'Change roles', 'Manage licenses'])
      expect(await p.getByRole('button', { name }).count(), name).toBe(0);
    // A typed address of the upload page explains itself.
    await p.goto(`/customers/${c.id}/users/upload`);
    await p
      .getByText('The US Government cloud instance does not allow adding customer users from a file.')
      .waitFor();
    await p.context().close();

    const helpdesk = await createUser(server.store, partner.id, { roles: ['helpdeskAgent'] });
    const customer = await seedCustomer('Helpdesk View');
    const h = await signedIn(browser, server, helpdesk);
    await h.goto(`/customers/${customer.id}/users`);
    await h.getByText('Your roles do not allow seeing the customer’s users and licenses.').waitFor();
    await h.context().close();
  });

  it('fits a phone-sized screen without sideways scrolling', async () => {
    const c = await seedCustomer('Narrow Screen Users Incorporated', { seats: 1 });
    await addUser(c, 'a.rather.long.user.name.for.a.phone', 'A rather long display name for a phone');
    const p = await signedIn(browser, server, admin, { width: 375 });
    await p.goto(`/customers/${c.id}/users`);
    await p.getByRole('link', { name: 'A rather long display name for a phone' }).waitFor();
    expect(await sidewaysOverflow(p)).toBeLessThanOrEqual(0);
    await checkPage(p, 'users-list-375');
    await p.getByRole('link', { name: 'A rather long display name for a phone' }).click();
    await p.getByRole('button', { name: 'Reset password' }).waitFor();
    expect(await sidewaysOverflow(p)).toBeLessThanOrEqual(0);
    await checkPage(p, 'users-user-page-375');
    await p.context().close();
  });
});
