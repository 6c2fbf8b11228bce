// Service requests in a real browser against a real server on a controlled clock. A Helpdesk agent opens a
// critical request for Contoso Pharmacy from the customer's Service requests tab, with a screenshot attached
// (a web page is refused first, the server's reason shown next to the file picker). Two hours and a minute
// later nobody has answered: the request shows Overdue in the list (and only it with "Overdue only"), on its
// page, in the navigation and on the dashboard's card, whose link opens the overdue list. A note is the first
// response: the overdue flag goes. Another note, a log file attached and downloaded again, "Assign to me",
// attention needed and back; a change made meanwhile by someone else is refused and reloaded; closing (with a
// closing note) leaves it read-only with only Reopen; reopened, it is open again, reopened once. A Sales agent
// reads the list and the request (on a phone's width) but cannot open, answer or close one. A Global admin
// assigns a request to anyone who works on support, and the assignee finds it under "Assigned to me". Every
// page visited is checked with axe and saved as test-results/<name>.png.
//
// The clock starts at the real now: the browser's sessions are checked against the database's own time, and a
// session made at now stays valid two hours later.
import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { demoCatalog } from '../../src/demo/seed.ts';
import { importCatalog } from '../../src/modules/offers/offers.service.ts';
import { testClock } from '../helpers/app.ts';
import type { TestUser } from '../helpers/factories.ts';
import { createPartner, createUser } from '../helpers/factories.ts';
import type { Server } from './helpers.ts';
import {
  apiCall,
  checkPage,
  describeInBrowser,
  heading,
  launchBrowser,
  seedCustomer,
  sidewaysOverflow,
  signedIn,
  startServer,
} from './helpers.ts';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
const LOG = Buffer.from('2026-12-09T09:00:00Z ERROR smtp relay refused the connection\n', 'utf8');
const TITLE = 'Mail is down for every employee';

describeInBrowser('service requests', () => {
  const clock = testClock(new Date());
  let server: Server;
  let browser: Browser;
  let admin: TestUser;
  let helpdesk: TestUser;
  let sales: TestUser;
  let customer: { id: string; name: string };
  let other: { id: string; name: string };
  /** The other customer's request, made through the API. */
  let seeded: string;
  /** The critical request's reference number, once the console has opened it. */
  let reference: string;

  const mainNav = (p: Page) => p.getByRole('navigation', { name: 'Main navigation' });
  const requestRow = (p: Page, ref: string) =>
    p
      .getByRole('region', { name: /^Service requests/ })
      .getByRole('row')
      .filter({ hasText: ref });

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer({ clock }), launchBrowser()]);
    await importCatalog(server.store.owner, demoCatalog());
    const partner = await createPartner(server.store, {
      name: 'Northwind Support',
      instance: 'global',
      country: 'US',
    });
    admin = await createUser(server.store, partner.id, { roles: ['globalAdmin'], displayName: 'Ada Admin' });
    helpdesk = await createUser(server.store, partner.id, {
      roles: ['helpdeskAgent'],
      displayName: 'Hal Helpdesk',
    });
    sales = await createUser(server.store, partner.id, { roles: ['salesAgent'], displayName: 'Sam Sales' });
    customer = await seedCustomer(server, admin, 'Contoso Pharmacy', { prefix: 'support' });
    const order = await apiCall(server, 'POST', `/v1/customers/${customer.id}/orders`, admin.token, {
      lineItems: [{ offerId: 'M365-BUSINESS-PREMIUM', quantity: 5, friendlyName: 'Contoso staff' }],
    });
    expect(order.status, JSON.stringify(order.body)).toBe(201);
    // Another customer's minimal request, made through the API: 8 hours to answer, so not overdue below.
    other = await seedCustomer(server, admin, 'Fabrikam Bakery', { prefix: 'support' });
    const made = await apiCall(server, 'POST', `/v1/customers/${other.id}/servicerequests`, admin.token, {
      title: 'Question about the invoice layout',
      description: 'Where does the tax number appear?',
      severity: 'minimal',
      supportTopicId: 'billing',
      primaryContact: { firstName: 'Fay', lastName: 'Baker', email: 'fay@fabrikam.example' },
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    seeded = String(made.body.referenceNumber);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('a Helpdesk agent opens a critical request that goes overdue, answers, closes and reopens it', async () => {
    const p = await signedIn(browser, server, helpdesk);
    await p.goto(`/customers/${customer.id}`);
    await heading(p, 'Contoso Pharmacy');
    await p
      .getByRole('navigation', { name: 'Customer sections' })
      .getByRole('link', { name: 'Service requests' })
      .click();
    await p.getByText('No service requests for Contoso Pharmacy yet.').waitFor();
    await p.getByRole('link', { name: 'New service request' }).click();
    await p.getByRole('heading', { level: 2, name: 'New service request' }).waitFor();

    // The contact starts as the customer's billing contact; each severity names its response target.
    expect(await p.getByLabel('First name').inputValue()).toBe('Bill');
    expect(await p.getByLabel('Email address').inputValue()).toBe('billing@contoso.example');
    expect(await p.getByLabel('Phone number (optional)').inputValue()).toBe('+1 425 555 0100');
    await p.getByLabel('Title').fill(TITLE);
    await p.getByLabel('Description').fill('Since 9:00 nobody can send or receive mail.\nOutlook says: 554.');
    await p.getByRole('radio', { name: 'Critical — first response within 2 hours' }).check();
    await p.getByRole('radio', { name: 'Minimal — first response within 8 hours' }).waitFor();
    await p.getByLabel('Support topic').selectOption({ label: 'Microsoft 365 and productivity' });
    const product = p.getByLabel('Product or subscription (optional)');
    await product.selectOption(
      (await product.locator('option', { hasText: 'Contoso staff' }).getAttribute('value'))!,
    );

    // A web page is no attachment: the server's reason shows next to the file picker.
    const files = p.getByLabel('Attachments (optional)');
    await files.setInputFiles({ name: 'mail.html', mimeType: 'text/html', buffer: Buffer.from('<p>x</p>') });
    await p.getByRole('button', { name: 'Open service request' }).click();
    await p.getByRole('alert').getByText('File not accepted').waitFor();
    expect(await files.getAttribute('aria-invalid')).toBe('true');
    const reasonId = (await files.getAttribute('aria-describedby'))!.split(' ').pop()!;
    expect(await p.locator(`[id="${reasonId}"]`).textContent()).toMatch(/^mail\.html: .*text\/html/);
    await checkPage(p, 'support-new-refused');
    await p.getByRole('button', { name: 'Remove mail.html' }).click();
    await files.setInputFiles({ name: 'bounce.png', mimeType: 'image/png', buffer: PNG });
    await p.getByRole('list', { name: 'Chosen files' }).getByText('bounce.png', { exact: true }).waitFor();
    await p.getByRole('button', { name: 'Open service request' }).click();

    // The request's page: open, critical, the first response due two hours after now.
    const title = p.getByRole('heading', { level: 1, name: new RegExp(`^SR-\\d{6} · ${TITLE}$`) });
    await title.waitFor();
    reference = ((await title.textContent()) ?? '').split(' · ')[0]!;
    await p.getByText(`Service request ${reference} opened.`).waitFor();
    expect(new URL(p.url()).pathname).toBe(`/service-requests/${reference}`);
    await p.getByText(/^First response due /).waitFor();
    const files1 = p.getByRole('region', { name: 'Files (1)' });
    await files1.getByRole('link', { name: 'bounce.png' }).waitFor();
    const details = p.getByRole('region', { name: 'Details' });
    expect(await details.getByRole('link', { name: 'Contoso Pharmacy' }).getAttribute('href')).toBe(
      `/customers/${customer.id}`,
    );
    expect(await details.textContent()).toContain('Contoso staff');
    const history = p.getByRole('list', { name: 'History' });
    await history.getByText('Hal Helpdesk opened the request').waitFor();
    await history.getByText('Hal Helpdesk attached bounce.png').waitFor();
    await checkPage(p, 'support-request-new');

    // Two hours and a minute pass with no response.
    clock.advance(2 * 3600_000 + 60_000);
    await mainNav(p)
      .getByRole('link', { name: /^Service requests/ })
      .click();
    await heading(p, 'Service requests');
    const row = requestRow(p, reference);
    await row.getByText('Overdue', { exact: true }).waitFor();
    expect(await row.getAttribute('class')).toContain('sr-overdue-row');
    expect(await row.textContent()).toContain('first response was due');
    await mainNav(p).getByRole('link', { name: 'Service requests (overdue: 1)' }).waitFor();
    await p.getByRole('checkbox', { name: 'Overdue only' }).check();
    await p.waitForURL((u) => u.searchParams.get('overdue') === 'true');
    await p.getByText('Service requests: 1').waitFor();
    expect(await requestRow(p, 'Question about the invoice layout').count()).toBe(0);
    await checkPage(p, 'support-list-overdue');

    // The dashboard's card counts it, and its link opens the overdue list.
    await mainNav(p).getByRole('link', { name: 'Dashboard' }).click();
    await heading(p, 'Dashboard');
    const card = p.getByRole('region', { name: 'Service requests', exact: true });
    expect(await card.getByText('Overdue', { exact: true }).locator('+ dd').textContent()).toBe('1');
    expect(await card.getByText('Open', { exact: true }).locator('+ dd').textContent()).toBe('2');
    await checkPage(p, 'support-dashboard');
    await card.getByRole('link', { name: 'Show the overdue requests (1)' }).click();
    await heading(p, 'Service requests');
    expect(await p.getByRole('checkbox', { name: 'Overdue only' }).isChecked()).toBe(true);
    await requestRow(p, reference)
      .getByRole('link', { name: `Open service request ${reference}: ${TITLE}` })
      .click();

    // On its page too; a note is the first response, and the flag goes.
    await title.waitFor();
    await p.getByText('Overdue', { exact: true }).waitFor();
    const note = p.getByLabel('Note', { exact: true });
    await note.fill('We are looking at the mail relay now.');
    await p.getByRole('button', { name: 'Add note' }).click();
    await p.getByRole('status').getByText('Note added.').waitFor();
    expect(await p.getByText('Overdue', { exact: true }).count()).toBe(0);
    await p.getByText(/^Responded /).waitFor();
    await history.getByText('We are looking at the mail relay now.').waitFor();
    await note.fill('The relay certificate had expired; renewed it.');
    await p.getByRole('button', { name: 'Add note' }).click();
    await history.getByText('The relay certificate had expired; renewed it.').waitFor();
    expect(await history.getByText('Hal Helpdesk added a note').count()).toBe(2);

    // A log file attached on the page, and the screenshot downloaded as it was sent.
    await p
      .getByLabel('File to attach')
      .setInputFiles({ name: 'relay.log', mimeType: 'text/plain', buffer: LOG });
    await p.getByRole('button', { name: 'Attach file' }).click();
    await p.getByRole('status').getByText('relay.log attached.').waitFor();
    const files2 = p.getByRole('region', { name: 'Files (2)' });
    await files2.getByRole('link', { name: 'relay.log' }).waitFor();
    const [download] = await Promise.all([
      p.waitForEvent('download'),
      files2.getByRole('link', { name: 'bounce.png' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('bounce.png');
    expect(fs.readFileSync(await download.path()).equals(PNG)).toBe(true);

    // Assigned to oneself (a Helpdesk agent cannot list partner users); waiting on the customer and back.
    const actions = p.getByRole('region', { name: 'Actions' });
    await actions.getByRole('button', { name: 'Assign to me' }).click();
    await p.getByRole('status').getByText('Assigned to Hal Helpdesk.').waitFor();
    await actions.getByRole('button', { name: 'Unassign' }).waitFor();
    await actions.getByRole('button', { name: 'Mark attention needed' }).click();
    await p.getByRole('status').getByText('Marked as needing attention.').waitFor();
    await p.locator('.sr-summary').getByText('Attention needed').waitFor();
    await actions.getByRole('button', { name: 'Mark open' }).click();
    await p.getByRole('status').getByText('Marked as open.').waitFor();
    await checkPage(p, 'support-request-answered');

    // Someone else changes it meanwhile: the next change is refused until the page reads it again.
    const changed = await apiCall(server, 'PATCH', `/v1/servicerequests/${reference}`, admin.token, {
      severity: 'moderate',
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    await note.fill('Monitoring for an hour.');
    await p.getByRole('button', { name: 'Add note' }).click();
    const conflict = p.getByRole('alert').filter({ hasText: 'This request changed — reload' });
    await conflict.waitFor();
    await conflict.getByRole('button', { name: 'Reload' }).click();
    await history.getByText('Ada Admin changed the severity from Critical to Moderate').waitFor();
    expect(await note.inputValue()).toBe('Monitoring for an hour.');
    await p.getByRole('button', { name: 'Add note' }).click();
    await history.getByText('Monitoring for an hour.').waitFor();

    // Closed with a closing note: read-only, only Reopen.
    await actions.getByRole('button', { name: 'Close', exact: true }).click();
    const dialog = p.getByRole('dialog', { name: `Close ${reference}?` });
    await dialog.getByLabel('Closing note (optional)').fill('Mail flows again.');
    await checkPage(p, 'support-close-dialog');
    await dialog.getByRole('button', { name: 'Close request' }).click();
    await p.getByRole('status').getByText('Request closed.').waitFor();
    await p.locator('.sr-summary').getByText('Closed').waitFor();
    await history.getByText('Mail flows again.').waitFor();
    expect(await p.getByLabel('Note', { exact: true }).count()).toBe(0);
    expect(await p.getByLabel('File to attach').count()).toBe(0);
    expect(await actions.getByRole('button').allTextContents()).toEqual(['Reopen']);
    await checkPage(p, 'support-request-closed');

    // Reopened: open again, reopened once, waiting for a response again.
    await actions.getByRole('button', { name: 'Reopen' }).click();
    await p.getByRole('status').getByText('Request reopened.').waitFor();
    await p.locator('.sr-summary').getByText('Open', { exact: true }).waitFor();
    expect(await details.getByText('Times reopened').locator('+ dd').textContent()).toBe('1');
    await p.getByText(/^First response due /).waitFor();
    await p.getByLabel('Note', { exact: true }).waitFor();
    await p.context().close();
  }, 120_000);

  it('a Sales agent reads the requests but cannot open, answer or close one', async () => {
    // On a phone's width: nothing scrolls sideways.
    const s = await signedIn(browser, server, sales, { width: 390 });
    await s.goto(`/customers/${other.id}/service-requests`);
    await heading(s, 'Fabrikam Bakery');
    await requestRow(s, seeded).waitFor();
    expect(await sidewaysOverflow(s)).toBeLessThanOrEqual(0);
    expect(await s.getByRole('link', { name: 'New service request' }).count()).toBe(0);
    await checkPage(s, 'support-customer-tab-sales');
    await requestRow(s, seeded)
      .getByRole('link', { name: `Open service request ${seeded}: Question about the invoice layout` })
      .click();
    await s
      .getByRole('heading', { level: 1, name: `${seeded} · Question about the invoice layout` })
      .waitFor();
    await s.getByRole('list', { name: 'History' }).getByText('Ada Admin opened the request').waitFor();
    expect(await s.getByRole('region', { name: 'Actions' }).count()).toBe(0);
    expect(await s.getByLabel('Note', { exact: true }).count()).toBe(0);
    expect(await s.getByLabel('File to attach').count()).toBe(0);
    expect(await sidewaysOverflow(s)).toBeLessThanOrEqual(0);
    await checkPage(s, 'support-request-sales');
    await s.goto(`/customers/${other.id}/service-requests/new`);
    await s.getByText('Your roles let you read service requests but not open them.').waitFor();
    await s.context().close();
  }, 60_000);

  it('a Global admin assigns a request to any partner user who works on support', async () => {
    const p = await signedIn(browser, server, admin);
    await p.goto(`/service-requests/${seeded.toLowerCase()}`);
    await p
      .getByRole('heading', { level: 1, name: `${seeded} · Question about the invoice layout` })
      .waitFor();
    const assigned = p.getByRole('combobox', { name: 'Assigned to' });
    await assigned.locator('option', { hasText: 'Hal Helpdesk' }).waitFor({ state: 'attached' });
    const options = await assigned.locator('option').allTextContents();
    expect(options).toEqual([
      'Unassigned',
      `Ada Admin (${admin.userName})`,
      `Hal Helpdesk (${helpdesk.userName})`,
    ]);
    await assigned.selectOption({ label: `Hal Helpdesk (${helpdesk.userName})` });
    await p.getByRole('button', { name: 'Reassign' }).click();
    await p.getByRole('status').getByText('Assigned to Hal Helpdesk.').waitFor();
    await p
      .getByRole('list', { name: 'History' })
      .getByText('Ada Admin assigned the request to Hal Helpdesk')
      .waitFor();
    await checkPage(p, 'support-request-admin');
    await p.context().close();

    // Hal finds it under "Assigned to me".
    const h = await signedIn(browser, server, helpdesk);
    await h.goto('/service-requests?assigned=me');
    await heading(h, 'Service requests');
    expect(await h.getByRole('checkbox', { name: 'Assigned to me' }).isChecked()).toBe(true);
    await requestRow(h, seeded).waitFor();
    await h.getByText('Service requests: 2').waitFor();
    await h.context().close();
  }, 60_000);
});
