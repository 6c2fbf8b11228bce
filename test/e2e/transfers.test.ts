// Transfers between partners in a real browser against a real server. Demo Reseller sells Contoso Pharmacy an
// Azure plan and a licence-based suite; Northwind Cloud, which also has a reseller relationship with Contoso,
// requests the Azure plan from the customer's Subscriptions tab (the suite shows why it cannot move), copies the
// consent link and reads what happens next; Demo Reseller sees the request waiting (the navigation's badge)
// but cannot accept before the customer's Global admin consents on the customer-facing consent page; then accepts with
// the warnings in front of it and follows the progress to the end. The subscription then shows under
// Northwind Cloud with its new billing subscription id and the same Azure subscription id, and is gone from
// Demo Reseller's active list (history under Transferred). Also: a rejection needs a reason, which the target
// reads; the target cancels a pending request. Every page visited is checked with axe and saved as
// test-results/<name>.png. The offers are the demo catalog's.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { demoCatalog } from '../../src/demo/seed.ts';
import { importCatalog } from '../../src/modules/offers/offers.service.ts';
import { customerBody, insertCustomer, uniquePrefix } from '../helpers/customers.ts';
import type { TestUser } from '../helpers/factories.ts';
import { TEST_PASSWORD, createPartner, createUser } from '../helpers/factories.ts';
import { NEW_CUSTOMER_PASSWORD, insertRelationship } from '../helpers/relationships.ts';
import type { Server } from './helpers.ts';
import {
  apiCall,
  checkPage,
  describeInBrowser,
  heading,
  launchBrowser,
  newContext,
  sidewaysOverflow,
  signIn,
  startServer,
} from './helpers.ts';

interface ApiSubscription {
  id: string;
  friendlyName: string;
  status: string;
  azureSubscriptionId: string | null;
  partnerName?: string;
}

interface Seeded {
  id: string;
  name: string;
  admin: { userName: string; password: string };
  azure: ApiSubscription;
  suite: ApiSubscription;
}

describeInBrowser('transfers between partners', () => {
  let server: Server;
  let browser: Browser;
  let source: TestUser;
  let target: TestUser;
  let targetPartnerId: string;

  async function context(): Promise<BrowserContext> {
    const ctx = await newContext(browser, server);
    await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    return ctx;
  }

  async function signedIn(user: TestUser, opts: { width?: number } = {}): Promise<Page> {
    const ctx = await newContext(browser, server, opts);
    await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    const p = await ctx.newPage();
    await signIn(p, user.userName, TEST_PASSWORD);
    await heading(p, 'Dashboard');
    return p;
  }

  /**
   * A customer of the source with the agreement, an Azure plan and a suite; its first Global admin has replaced
   * the temporary password; the target has a reseller relationship with it too.
   */
  async function seedCustomer(name: string): Promise<Seeded> {
    const created = await apiCall(server, 'POST', '/v1/customers', source.token, {
      ...customerBody({ name, prefix: uniquePrefix('transfer') }),
      customerAgreement: {
        firstName: 'Bill',
        lastName: 'Payer',
        email: 'billing@contoso.example',
        dateAgreed: '2026-01-15',
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = String(created.body.id);
    const credentials = created.body.userCredentials as { userName: string; password: string };
    const order = await apiCall(server, 'POST', `/v1/customers/${id}/orders`, source.token, {
      lineItems: [
        { offerId: 'AZURE-PLAN', quantity: 1, friendlyName: `${name} Azure` },
        { offerId: 'M365-BUSINESS-PREMIUM', quantity: 5, friendlyName: `${name} staff` },
      ],
    });
    expect(order.status, JSON.stringify(order.body)).toBe(201);
    const subscriptions = await activeOf(id, source);
    await insertRelationship(server.store, targetPartnerId, id);
    // The customer's admin chooses a password of their own (signing in on the consent page then goes straight in).
    const session = await apiCall(server, 'POST', '/v1/customer/sessions', undefined, credentials);
    expect(session.status, JSON.stringify(session.body)).toBe(200);
    const changed = await apiCall(
      server,
      'POST',
      '/v1/customer/me/password',
      String(session.body.access_token),
      { currentPassword: credentials.password, newPassword: NEW_CUSTOMER_PASSWORD },
    );
    expect(changed.status, JSON.stringify(changed.body)).toBe(204);
    return {
      id,
      name,
      admin: { userName: credentials.userName, password: NEW_CUSTOMER_PASSWORD },
      azure: subscriptions.find((s) => s.friendlyName === `${name} Azure`)!,
      suite: subscriptions.find((s) => s.friendlyName === `${name} staff`)!,
    };
  }

  /** The customer's subscriptions `as` sees without a status filter (transferred ones left out). */
  async function activeOf(customerId: string, as: TestUser): Promise<ApiSubscription[]> {
    const r = await apiCall(server, 'GET', `/v1/customers/${customerId}/subscriptions?size=100`, as.token);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body.items as ApiSubscription[];
  }

  /** The target's request for the Azure plan, made through the API. */
  async function requestAzure(c: Seeded): Promise<string> {
    const r = await apiCall(server, 'POST', `/v1/customers/${c.id}/transfers`, target.token, {
      subscriptionIds: [c.azure.id],
      note: 'Consolidating Azure with Northwind',
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return String(r.body.id);
  }

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    await importCatalog(server.store.owner, demoCatalog());
    const demo = await createPartner(server.store, {
      name: 'Demo Reseller',
      instance: 'global',
      country: 'US',
    });
    source = await createUser(server.store, demo.id, { roles: ['globalAdmin'], displayName: 'Dana Demo' });
    const northwind = await createPartner(server.store, {
      name: 'Northwind Cloud',
      instance: 'global',
      country: 'US',
      kind: 'indirectProvider',
    });
    targetPartnerId = northwind.id;
    target = await createUser(server.store, northwind.id, {
      roles: ['globalAdmin'],
      displayName: 'Nina North',
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  // A long journey through two partners' consoles and the customer's page (90 s: room for a loaded machine).
  it('the target requests, the customer consents, the source accepts; the subscription moves with both ids', async () => {
    const c = await seedCustomer('Contoso Pharmacy');
    const azureId = c.azure.azureSubscriptionId;
    expect(azureId).toBeTruthy();

    // Northwind Cloud: the customer's Subscriptions tab, no request yet.
    const t = await signedIn(target);
    await t.goto(`/customers/${c.id}/subscriptions`);
    await heading(t, c.name);
    const section = t.getByRole('region', { name: 'Transfer requests' });
    await section.getByText('No transfer request concerns Contoso Pharmacy.').waitFor();
    await section.getByRole('link', { name: 'New transfer request' }).click();

    // The eligibility list: Demo Reseller is the only source, so it is chosen; the suite says why it stays.
    await t.getByRole('heading', { level: 2, name: 'New transfer request' }).waitFor();
    const from = t.getByRole('group', { name: 'Take subscriptions from' });
    expect(await from.getByRole('radio', { name: /Demo Reseller/ }).isChecked()).toBe(true);
    const list = t.getByRole('group', { name: 'Subscriptions of Demo Reseller' });
    const suite = list.getByRole('checkbox', { name: 'Contoso Pharmacy staff' });
    expect(await suite.isDisabled()).toBe(true);
    expect(await list.textContent()).toContain('Not a usage-based Azure subscription');
    const azure = list.getByRole('checkbox', { name: 'Contoso Pharmacy Azure' });
    expect(await azure.isEnabled()).toBe(true);
    // Nothing chosen: refused before anything is sent.
    await t.getByRole('button', { name: 'Send transfer request' }).click();
    await t.getByText('Choose at least one subscription, or all eligible ones.').waitFor();
    await azure.check();
    await t.getByLabel('Note').fill('Consolidating Azure with Northwind');
    await checkPage(t, 'transfers-new');
    await t.getByRole('button', { name: 'Send transfer request' }).click();

    // The request page: what happens next, and the consent link to send the customer.
    await heading(t, 'Transfer request for Contoso Pharmacy');
    const transferId = new URL(t.url()).pathname.split('/').pop()!;
    await t.getByRole('region', { name: 'Transfer request sent. What happens next' }).waitFor();
    const link = await t.getByRole('textbox', { name: 'Consent link for the customer' }).inputValue();
    expect(link).toBe(`${server.config.publicUrl}/portal/transfers/${transferId}`);
    await t.getByRole('button', { name: 'Copy the consent link' }).click();
    await t.getByText('Copied.').first().waitFor();
    expect(await t.evaluate<string>('navigator.clipboard.readText()')).toBe(link);
    expect(await t.getByRole('button', { name: 'Accept and transfer' }).count()).toBe(0);
    await t.getByRole('button', { name: 'Cancel request' }).waitFor();
    const lines = t.getByRole('region', { name: 'Subscriptions in the request' });
    expect(await lines.textContent()).toContain(c.azure.id);
    expect(await lines.textContent()).toContain(azureId);
    await checkPage(t, 'transfers-created');

    // Demo Reseller: the navigation counts the request; it cannot be accepted before the customer consents.
    const s = await signedIn(source);
    const nav = s.getByRole('navigation', { name: 'Main navigation' });
    await nav.getByRole('link', { name: 'Transfers (waiting for your answer: 1)' }).click();
    await heading(s, 'Transfers');
    await s.getByText('Received requests waiting for your answer: 1.').waitFor();
    await checkPage(s, 'transfers-received');
    await s.getByRole('link', { name: /^Contoso Pharmacy, request of/ }).click();
    await heading(s, 'Transfer request for Contoso Pharmacy');
    const accept = s.getByRole('button', { name: 'Accept and transfer' });
    expect(await accept.isDisabled()).toBe(true);
    expect(await accept.getAttribute('aria-describedby')).toBeTruthy();
    await s
      .getByText('You can accept once a Global admin of Contoso Pharmacy has consented to the transfer.')
      .waitFor();
    await checkPage(s, 'transfers-awaiting-consent');

    // The customer's Global admin opens the link in a browser of their own, signs in and consents.
    const customer = await (await context()).newPage();
    await customer.goto(new URL(link).pathname);
    await heading(customer, 'Request to transfer your Azure subscriptions');
    await customer.getByLabel('User name').fill(c.admin.userName);
    await customer.getByLabel('Password', { exact: true }).fill(c.admin.password);
    await customer.getByRole('button', { name: 'Sign in' }).click();
    await customer.getByRole('button', { name: 'Consent to the transfer' }).click();
    await customer.getByText('You consented to the transfer. Demo Reseller can now accept it.').waitFor();

    // Demo Reseller accepts, with the warnings in front of it, and follows the progress to the end.
    await s.reload();
    await heading(s, 'Transfer request for Contoso Pharmacy');
    await s.getByRole('region', { name: 'Customer consent' }).getByText('Consented').waitFor();
    await accept.click();
    const dialog = s.getByRole('dialog', { name: 'Accept the transfer of Contoso Pharmacy’s subscriptions' });
    const warnings = (await dialog.textContent()) ?? '';
    expect(warnings).toContain('You lose access to them');
    expect(warnings).toContain('Billing to you stops at the transfer time');
    expect(warnings).toContain('Azure reservations never move');
    expect(await dialog.getByRole('checkbox', { name: /Contoso Pharmacy Azure/ }).isChecked()).toBe(true);
    await checkPage(s, 'transfers-accept-dialog');
    await dialog.getByRole('button', { name: 'Transfer subscriptions (1)' }).click();
    await dialog.waitFor({ state: 'detached' });
    await s.getByText('Accepted. The subscriptions are being transferred.').waitFor();
    await s.locator('.transfer-status').getByText('Completed').waitFor({ timeout: 30_000 });
    await s.getByText('The transfer has finished: Completed.').waitFor();
    const timeline = s.getByRole('region', { name: 'Timeline' });
    for (const event of [
      'Request created',
      'Customer consented',
      'Request accepted',
      'Subscription transferred',
    ])
      await timeline.getByText(event).first().waitFor();
    await checkPage(s, 'transfers-completed-source');

    // Gone from Demo Reseller's active list; kept as history under Transferred.
    expect((await activeOf(c.id, source)).map((x) => x.friendlyName)).toEqual(['Contoso Pharmacy staff']);
    await s.goto(`/customers/${c.id}/subscriptions`);
    await heading(s, c.name);
    const sourceTable = s.getByRole('region', { name: 'Subscriptions', exact: true });
    await sourceTable.getByRole('link', { name: 'Contoso Pharmacy staff' }).waitFor();
    expect(await sourceTable.getByRole('link', { name: 'Contoso Pharmacy Azure' }).count()).toBe(0);
    await s.getByLabel('Status', { exact: true }).selectOption('transferred');
    await sourceTable.getByRole('link', { name: 'Contoso Pharmacy Azure' }).waitFor();
    expect(await sourceTable.getByRole('row', { name: /Contoso Pharmacy Azure/ }).textContent()).toContain(
      'Transferred',
    );
    await checkPage(s, 'transfers-source-history');
    await sourceTable.getByRole('link', { name: 'Contoso Pharmacy Azure' }).click();
    await s.getByText(/^Transferred to another partner on/).waitFor();
    expect(await s.getByRole('button', { name: 'Suspend' }).count()).toBe(0);
    expect(await s.getByRole('button', { name: 'Change quantity' }).count()).toBe(0);

    // Northwind Cloud: the subscription is theirs, with a new billing subscription id and the same Azure id.
    const moved = (await activeOf(c.id, target)).find((x) => x.azureSubscriptionId === azureId);
    expect(moved).toBeDefined();
    expect(moved!.id).not.toBe(c.azure.id);
    await t.goto(`/transfers/${transferId}`);
    await heading(t, 'Transfer request for Contoso Pharmacy');
    await t.locator('.transfer-status').getByText('Completed').waitFor();
    expect(await t.getByRole('region', { name: 'Subscriptions in the request' }).textContent()).toContain(
      moved!.id,
    );
    await t.goto(`/customers/${c.id}/subscriptions`);
    await heading(t, c.name);
    const targetTable = t.getByRole('region', { name: 'Subscriptions', exact: true });
    await targetTable.getByRole('link', { name: 'Contoso Pharmacy Azure' }).click();
    await t.getByRole('heading', { level: 2, name: 'Contoso Pharmacy Azure' }).waitFor();
    const details = (await t.getByRole('region', { name: 'Details' }).textContent()) ?? '';
    expect(details).toContain(moved!.id);
    expect(details).toContain(azureId);
    expect(details).toContain('Northwind Cloud');
    await t.getByText(/^Transferred to you on/).waitFor();
    expect(await t.getByRole('main').textContent()).toContain(
      `Its billing subscription ID with the previous partner: ${c.azure.id}`,
    );
    await checkPage(t, 'transfers-target-subscription');
  }, 90_000);

  it('a rejection needs a reason, which the target reads; the target cancels a pending request', async () => {
    const c = await seedCustomer('Fabrikam Clinic');
    const first = await requestAzure(c);

    const s = await signedIn(source);
    await s.goto(`/transfers/${first}`);
    await heading(s, 'Transfer request for Fabrikam Clinic');
    await s.getByRole('button', { name: 'Reject' }).click();
    const dialog = s.getByRole('dialog', { name: 'Reject the transfer request for Fabrikam Clinic' });
    await dialog.getByRole('button', { name: 'Reject request' }).click();
    await dialog.getByText('Enter a reason.').waitFor();
    expect(await dialog.getByLabel('Reason').getAttribute('aria-invalid')).toBe('true');
    await checkPage(s, 'transfers-reject-dialog');
    await dialog.getByLabel('Reason').fill('The customer renewed with us last week.');
    await dialog.getByRole('button', { name: 'Reject request' }).click();
    await dialog.waitFor({ state: 'detached' });
    await s.getByText('Request rejected.').waitFor();
    await s.locator('.transfer-status').getByText('Rejected').waitFor();
    expect(await s.getByRole('button', { name: 'Accept and transfer' }).count()).toBe(0);

    const t = await signedIn(target);
    await t.goto('/transfers?direction=sent');
    await heading(t, 'Transfers');
    await t.getByRole('link', { name: 'Sent' }).waitFor();
    expect(await t.getByRole('link', { name: 'Sent' }).getAttribute('aria-current')).toBe('page');
    await t.getByLabel('Status of the request').selectOption('rejected');
    await t.getByRole('link', { name: /^Fabrikam Clinic, request of/ }).click();
    await heading(t, 'Transfer request for Fabrikam Clinic');
    const request = t.getByRole('region', { name: 'Request', exact: true });
    expect(await request.textContent()).toContain('Rejected by the partner of record');
    await request.getByText('The customer renewed with us last week.').waitFor();
    await t.getByRole('region', { name: 'Timeline' }).getByText('Request rejected').waitFor();
    await checkPage(t, 'transfers-rejected-target');

    // A second request, withdrawn by the target before anyone answers.
    const second = await requestAzure(c);
    await t.goto(`/transfers/${second}`);
    await heading(t, 'Transfer request for Fabrikam Clinic');
    await t.getByRole('button', { name: 'Cancel request' }).click();
    const cancel = t.getByRole('dialog', { name: 'Cancel the transfer request for Fabrikam Clinic' });
    await cancel.getByRole('button', { name: 'Cancel request' }).click();
    await cancel.waitFor({ state: 'detached' });
    await t.getByText('Request cancelled.').waitFor();
    await t.locator('.transfer-status').getByText('Cancelled').waitFor();
    expect(await t.getByRole('button', { name: 'Cancel request' }).count()).toBe(0);
    // The subscription is eligible again.
    const again = await apiCall(server, 'GET', `/v1/customers/${c.id}/transferseligibility`, target.token);
    expect(again.status).toBe(200);
    const item = (again.body.items as { subscriptionId: string; isEligible: boolean }[]).find(
      (i) => i.subscriptionId === c.azure.id,
    );
    expect(item?.isEligible).toBe(true);
  }, 60_000);

  it('on a phone-sized screen the request reads without sideways scrolling', async () => {
    const c = await seedCustomer('Woodgrove Dental');
    const transferId = await requestAzure(c);
    const s = await signedIn(source, { width: 375 });
    await s.goto(`/transfers/${transferId}`);
    await heading(s, 'Transfer request for Woodgrove Dental');
    await s.getByRole('region', { name: 'Subscriptions in the request' }).getByText(c.azure.id).waitFor();
    expect(await sidewaysOverflow(s)).toBeLessThanOrEqual(0);
    await checkPage(s, 'transfers-request-375');
    await s.goto('/transfers');
    await heading(s, 'Transfers');
    await s.getByRole('link', { name: /^Woodgrove Dental, request of/ }).waitFor();
    expect(await sidewaysOverflow(s)).toBeLessThanOrEqual(0);
    await checkPage(s, 'transfers-list-375');
  });

  it('where the instance refuses transfers, requests are neither made nor answered', async () => {
    const germany = await createPartner(server.store, {
      name: 'Contoso Cloud GmbH',
      instance: 'germany',
      country: 'DE',
    });
    const admin = await createUser(server.store, germany.id, {
      roles: ['globalAdmin'],
      displayName: 'Greta Admin',
    });
    const customer = await insertCustomer(server.store, germany.id, {
      name: 'Fabrikam GmbH',
      instance: 'germany',
    });
    const p = await signedIn(admin);
    await p.goto('/transfers');
    await heading(p, 'Transfers');
    const note =
      'Transfers between partners are not available in your cloud instance: requests can be viewed here, not made or answered.';
    await p.getByRole('note').getByText(note).waitFor();
    await p.getByText('No partner has asked to take over subscriptions of yours.').waitFor();
    await checkPage(p, 'transfers-germany');
    await p.goto(`/customers/${customer.id}/subscriptions`);
    await heading(p, 'Fabrikam GmbH');
    const section = p.getByRole('region', { name: 'Transfer requests' });
    await section.getByText(note).waitFor();
    expect(await section.getByRole('link', { name: 'New transfer request' }).count()).toBe(0);
    // A link to the form says the same instead of offering it.
    await p.goto(`/customers/${customer.id}/subscriptions/transfers/new`);
    await p.getByRole('heading', { level: 2, name: 'New transfer request' }).waitFor();
    await p.getByText(note).waitFor();
    expect(await p.getByRole('button', { name: 'Send transfer request' }).count()).toBe(0);
  });
});
