// A customer's subscriptions in a real browser against a real server: a Global admin orders a suite and an
// add-on on it through the Add subscription dialog (a quantity beyond the offer's limit refused before
// sending), changes a quantity (and a stale second change is refused with the current value shown), suspends
// (the confirmation and the page name the deletion day, 90 days on) and reactivates, and exports the list as
// CSV. A relationship-removal blocker leads to the subscription. A reservation is renamed, stops renewing,
// gets a support contact (a partner without a relationship refused) and is cancelled. A sales agent orders
// too; a helpdesk agent sees the list without the controls to change it. A customer without the agreement is
// told so and can confirm it from the dialog. Adding a customer orders the subscriptions chosen in its
// Subscriptions step. Every page visited is checked with axe and saved as test-results/<name>.png. The offers
// are the demo catalog's.
import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { demoCatalog } from '../../src/demo/seed.ts';
import { importCatalog } from '../../src/modules/offers/offers.service.ts';
import { uniquePrefix } from '../helpers/customers.ts';
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

// From the demo catalog: a suite (1–300 seats), an add-on of it, usage-based Azure, a reservation.
const SUITE = { id: 'M365-BUSINESS-PREMIUM', name: 'Microsoft 365 Business Premium' };
const ADDON = { id: 'TEAMS-AUDIO-CONFERENCING', name: 'Microsoft Teams Audio Conferencing' };
const AZURE = { id: 'AZURE-PLAN', name: 'Azure plan' };
const RESERVATION = { id: 'RI-VM-D2SV5', name: 'Virtual Machines D2s v5 reserved instance' };

/** A day as the console writes it in English (medium style, UTC like the browser context). */
const day = (at: Date) =>
  new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'UTC' }).format(at);

describeInBrowser('console: subscriptions', () => {
  let server: Server;
  let browser: Browser;
  let partner: TestPartner;
  let admin: TestUser;

  /** A US customer of the partner, with the customer agreement confirmed unless told otherwise. */
  const seedCustomer = (name: string, opts: { agreement?: boolean } = {}) =>
    seedApiCustomer(server, admin, name, { prefix: 'subs', ...opts });

  async function subscriptionsOf(customerId: string) {
    const r = await apiCall(server, 'GET', `/v1/customers/${customerId}/subscriptions`, admin.token);
    expect(r.status).toBe(200);
    return r.body.items as {
      id: string;
      friendlyName: string;
      offerId: string;
      quantity: number;
      status: string;
      autoRenewEnabled: boolean;
      suspensionReasons: string[];
      parentSubscriptionId: string | null;
      attributes: { etag: string };
    }[];
  }

  /** Orders one offer through the open dialog. */
  async function orderInDialog(
    p: Page,
    offer: { name: string },
    search: string,
    fill: (dialog: ReturnType<Page['getByRole']>) => Promise<void>,
  ) {
    await p.getByRole('button', { name: 'Add subscription' }).click();
    const dialog = p.getByRole('dialog', { name: /Add a subscription for/ });
    await dialog.getByLabel('Find an offer').fill(search);
    await dialog.getByRole('button', { name: `Choose ${offer.name}` }).click();
    await dialog.getByRole('heading', { name: offer.name }).waitFor();
    await fill(dialog);
    await dialog.getByRole('button', { name: 'Place order' }).click();
    await dialog.waitFor({ state: 'detached' });
  }

  beforeAll(async () => {
    ({ server, browser, partner, admin } = await startWithAdmin({
      name: 'Demo Reseller E2E',
      instance: 'global',
      country: 'US',
    }));
    await importCatalog(server.store.owner, demoCatalog());
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  // A long journey through many pages (60 s: room for a loaded machine).
  it('orders a suite and an add-on, changes a quantity, suspends and reactivates, and exports', async () => {
    const customer = await seedCustomer('Fabrikam Subscriptions');
    const p = await signedIn(browser, server, admin);
    await p.goto(`/customers/${customer.id}`);
    await heading(p, customer.name);
    await p
      .getByRole('navigation', { name: 'Customer sections' })
      .getByRole('link', { name: 'Subscriptions' })
      .click();
    await p.getByText('Fabrikam Subscriptions has no subscriptions yet.').waitFor();
    await checkPage(p, 'subscriptions-empty');

    // The suite: a quantity beyond the offer's limit is refused before anything is sent.
    const orders: string[] = [];
    p.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/orders'))
        orders.push(r.headers()['ms-requestid'] ?? '');
    });
    await p.getByRole('button', { name: 'Add subscription' }).click();
    const dialog = p.getByRole('dialog', { name: 'Add a subscription for Fabrikam Subscriptions' });
    await dialog.getByLabel('Find an offer').fill('premium');
    await dialog.getByRole('button', { name: `Choose ${SUITE.name}` }).waitFor();
    // Prices per term in the market's currency.
    expect(await dialog.getByRole('list', { name: 'Offers' }).textContent()).toContain(
      '1 month · Monthly: $26.40 per unit (Licenses)',
    );
    await checkPage(p, 'subscriptions-add-search');
    await dialog.getByRole('button', { name: `Choose ${SUITE.name}` }).click();
    await dialog.getByLabel('Term').selectOption('P1Y');
    await dialog.getByLabel('Billing cycle').selectOption('monthly');
    await dialog.getByLabel('Quantity').fill('500');
    await dialog.getByLabel('Friendly name').fill('Head office');
    await dialog.getByRole('button', { name: 'Place order' }).click();
    await dialog.getByText('Enter a number from 1 to 300.').first().waitFor();
    expect(orders).toHaveLength(0);
    await dialog.getByLabel('Quantity').fill('10');
    await dialog.getByText('Total: $220.00.').waitFor();
    await checkPage(p, 'subscriptions-add-offer');
    // A double click orders once.
    await dialog.getByRole('button', { name: 'Place order' }).dblclick();
    await dialog.waitFor({ state: 'detached' });
    await p.getByText('Ordered: Head office.').waitFor();
    expect(new Set(orders).size).toBe(1);

    // The add-on, on the suite (the only possible base, chosen already).
    await orderInDialog(p, ADDON, 'audio', async (d) => {
      expect(await d.getByLabel('Base subscription').textContent()).toContain('Head office');
      await d.getByLabel('Quantity').fill('5');
    });
    await p.getByText(`Ordered: ${ADDON.name}.`).waitFor();
    const table = p.getByRole('region', { name: 'Subscriptions' });
    await table.getByRole('link', { name: ADDON.name }).waitFor();
    expect(await table.getByText('Active', { exact: true }).count()).toBe(2);
    await p.getByText('Subscriptions found: 2').waitFor();
    await checkPage(p, 'subscriptions-list');
    const [suite, addon] = await subscriptionsOf(customer.id);
    expect(suite).toMatchObject({ offerId: SUITE.id, friendlyName: 'Head office', quantity: 10 });
    expect(addon).toMatchObject({ offerId: ADDON.id, quantity: 5, parentSubscriptionId: suite!.id });

    // The relationship removal is blocked by the active subscriptions, each linking to its page.
    await p.getByRole('link', { name: 'Account', exact: true }).click();
    const removal = p.getByRole('region', { name: 'Remove reseller relationship' });
    await removal.getByRole('link', { name: 'Open this subscription' }).first().waitFor();
    await removal.getByRole('link', { name: 'Open this subscription' }).first().click();
    await p
      .getByRole('heading', { level: 2 })
      .filter({ hasText: /Head office|Contoso Audio Conferencing/ })
      .waitFor();

    // The suite's page: change its quantity.
    await p.goto(`/customers/${customer.id}/subscriptions/${suite!.id}`);
    await p.getByRole('heading', { level: 2, name: 'Head office' }).waitFor();
    await p.getByRole('button', { name: 'Change quantity' }).click();
    await p.getByLabel('Quantity').fill('12');
    await p.getByRole('button', { name: 'Save' }).click();
    await p.getByText('Quantity changed.').waitFor();
    await p.getByText('12 Licenses').waitFor();
    await checkPage(p, 'subscription-page');

    // Changed meanwhile elsewhere: the next change is refused and the current value shown.
    await p.getByRole('button', { name: 'Change quantity' }).click();
    const now = (await subscriptionsOf(customer.id))[0]!;
    const elsewhere = await fetch(`${server.url}/v1/customers/${customer.id}/subscriptions/${suite!.id}`, {
      method: 'PATCH',
      headers: {
        authorization: `Bearer ${admin.token}`,
        'content-type': 'application/json',
        'if-match': now.attributes.etag,
      },
      body: JSON.stringify({ quantity: 15 }),
    });
    expect(elsewhere.status).toBe(200);
    await p.getByLabel('Quantity').fill('20');
    await p.getByRole('button', { name: 'Save' }).click();
    await p.getByText('Someone else changed this meanwhile').waitFor();
    expect(await p.getByLabel('Quantity').inputValue()).toBe('15');
    await p.getByRole('button', { name: 'Cancel' }).click();
    expect((await subscriptionsOf(customer.id))[0]!.quantity).toBe(15);

    // Suspend: the confirmation names the loss of access and the deletion day.
    const deletion = day(new Date(Date.now() + 90 * 24 * 3600_000));
    await p.getByRole('button', { name: 'Suspend' }).click();
    const suspend = p.getByRole('dialog', { name: 'Suspend Head office?' });
    await suspend.getByText('Users lose access', { exact: true }).waitFor();
    await suspend.getByText(`it will be deleted on ${deletion} (90 days from today)`).waitFor();
    await suspend.getByLabel('The customer asked').check();
    await checkPage(p, 'subscription-suspend');
    await suspend.getByRole('button', { name: 'Suspend subscription' }).click();
    await suspend.waitFor({ state: 'detached' });
    await p.getByText(`Suspended: it will be deleted on ${deletion}`).waitFor();
    expect(await p.getByRole('button', { name: 'Change quantity' }).isDisabled()).toBe(true);
    await p.getByText('The quantity cannot change while the subscription is suspended').waitFor();
    await checkPage(p, 'subscription-suspended');
    let [s1, s2] = await subscriptionsOf(customer.id);
    expect(s1).toMatchObject({ status: 'suspended', suspensionReasons: ['customerRequest'] });
    expect(s2!.status).toBe('suspended'); // the add-on goes with its base

    // The list, filtered to the suspended ones, shows the deletion day.
    await p.getByRole('link', { name: 'Back to the subscriptions' }).click();
    await p.getByLabel('Status').selectOption('suspended');
    await p.getByText('Subscriptions found: 2').waitFor();
    expect(await table.textContent()).toContain(deletion);
    expect(p.url()).toContain('status=suspended');

    // Reactivate.
    await table.getByRole('link', { name: 'Head office' }).click();
    await p.getByRole('button', { name: 'Reactivate' }).click();
    await p.getByText('Subscription reactivated.').waitFor();
    expect(await p.getByRole('button', { name: 'Change quantity' }).isDisabled()).toBe(false);
    [s1, s2] = await subscriptionsOf(customer.id);
    expect(s1!.status).toBe('active');
    expect(s2!.status).toBe('active');

    // Export the whole list.
    await p.getByRole('link', { name: 'Back to the subscriptions' }).click();
    await p.getByLabel('Status').selectOption('');
    const [download] = await Promise.all([
      p.waitForEvent('download'),
      p.getByRole('link', { name: 'Export CSV' }).click(),
    ]);
    const lines = fs
      .readFileSync(await download.path(), 'utf8')
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split(/\r?\n/);
    expect(lines[0]).toBe('Subscription ID,Subscription,Quantity,Status,Reseller');
    expect(lines).toHaveLength(3);
    expect(lines[1]!.toLowerCase()).toBe(`${s1!.id},head office,15,active,${partner.name.toLowerCase()}`);
    expect(lines[2]!.toLowerCase()).toBe(
      `${s2!.id},${ADDON.name.toLowerCase()},5,active,${partner.name.toLowerCase()}`,
    );
    await p.context().close();
  }, 60_000);

  it('renames, turns auto-renew off, changes the support contact and cancels a reservation', async () => {
    const customer = await seedCustomer('Contoso Reserved');
    const other = await createPartner(server.store, { name: 'Unrelated Partner', instance: 'global' });
    const order = await apiCall(server, 'POST', `/v1/customers/${customer.id}/orders`, admin.token, {
      lineItems: [{ offerId: RESERVATION.id, quantity: 2, friendlyName: 'Build servers' }],
    });
    expect(order.status, JSON.stringify(order.body)).toBe(201);
    const [reserved] = await subscriptionsOf(customer.id);
    const p = await signedIn(browser, server, admin);
    await p.goto(`/customers/${customer.id}/subscriptions/${reserved!.id}`);
    await p.getByRole('heading', { level: 2, name: 'Build servers' }).waitFor();

    await p.getByRole('button', { name: 'Rename' }).click();
    await p.getByLabel('Friendly name').fill('Build servers (prod)');
    await p.getByRole('button', { name: 'Save' }).click();
    await p.getByText('Friendly name changed.').waitFor();
    await p.getByRole('heading', { level: 2, name: 'Build servers (prod)' }).waitFor();

    await p.getByRole('checkbox', { name: 'Renew automatically at the end of the term' }).uncheck();
    await p.getByText('Auto-renew changed.').waitFor();
    expect((await subscriptionsOf(customer.id))[0]).toMatchObject({ autoRenewEnabled: false });

    // The support contact: a partner without a relationship with the customer is refused; the partner of
    // record itself is fine.
    const support = p.getByRole('region', { name: 'Support contact' });
    await support.getByRole('button', { name: 'Change support contact' }).click();
    const partnerId = support.getByLabel('Partner ID of the new support contact');
    await partnerId.fill('not-an-id');
    await support.getByRole('button', { name: 'Save' }).click();
    await support.getByText('Enter a Partner ID').waitFor();
    await partnerId.fill(other.id);
    await support.getByRole('button', { name: 'Save' }).click();
    await support
      .getByText('must be you or a partner with a reseller relationship with this customer')
      .waitFor();
    await partnerId.fill(partner.id);
    await support.getByRole('button', { name: 'Save' }).click();
    await support.getByText('Saved.').waitFor();
    expect(await support.textContent()).toContain(partner.name);

    // A reservation is cancelled, not suspended.
    expect(await p.getByRole('button', { name: 'Suspend' }).count()).toBe(0);
    await p.getByRole('button', { name: 'Cancel subscription' }).click();
    const dialog = p.getByRole('dialog', { name: 'Cancel Build servers (prod)?' });
    await dialog.getByText('this cannot be undone').waitFor();
    await checkPage(p, 'subscription-cancel');
    await dialog.getByRole('button', { name: 'Cancel subscription' }).click();
    await dialog.waitFor({ state: 'detached' });
    await p.getByText('Subscription cancelled.').waitFor();
    await p.getByText('Cancelled on').waitFor();
    expect(await p.getByRole('button', { name: 'Rename' }).count()).toBe(0);
    expect((await subscriptionsOf(customer.id))[0]!.status).toBe('cancelled');
    await p.context().close();
  });

  it('fits a phone-sized screen without sideways scrolling', async () => {
    const customer = await seedCustomer('Narrow Screen Traders Incorporated');
    const order = await apiCall(server, 'POST', `/v1/customers/${customer.id}/orders`, admin.token, {
      lineItems: [
        { offerId: SUITE.id, quantity: 3, friendlyName: 'A rather long friendly name for a phone' },
      ],
    });
    expect(order.status, JSON.stringify(order.body)).toBe(201);
    const p = await signedIn(browser, server, admin, { width: 375 });
    await p.goto(`/customers/${customer.id}/subscriptions`);
    await p.getByRole('link', { name: 'A rather long friendly name for a phone' }).waitFor();
    expect(await sidewaysOverflow(p)).toBeLessThanOrEqual(0);
    await checkPage(p, 'subscriptions-list-375');
    await p.getByRole('link', { name: 'A rather long friendly name for a phone' }).click();
    await p.getByRole('button', { name: 'Change quantity' }).waitFor();
    expect(await sidewaysOverflow(p)).toBeLessThanOrEqual(0);
    await checkPage(p, 'subscription-page-375');
    await p.context().close();
  });

  it('a sales agent orders; a helpdesk agent sees the subscriptions without the controls to change them', async () => {
    const customer = await seedCustomer('Tailspin Toys');
    const sales = await createUser(server.store, partner.id, { roles: ['salesAgent'] });
    const p = await signedIn(browser, server, sales);
    await p.goto(`/customers/${customer.id}/subscriptions`);
    await p.getByText('Tailspin Toys has no subscriptions yet.').waitFor();
    // Usage-based: one unit, nothing to type.
    await orderInDialog(p, AZURE, 'azure plan', async (d) => {
      expect(await d.getByLabel('Quantity').inputValue()).toBe('1');
      await d.getByText('Billed by usage: the quantity is always 1.').waitFor();
    });
    await p.getByRole('link', { name: AZURE.name }).click();
    await p.getByRole('heading', { level: 2, name: AZURE.name }).waitFor();
    await p.getByRole('button', { name: `Copy the Azure subscription ID of ${AZURE.name}` }).waitFor();
    await p.getByRole('button', { name: 'Suspend' }).waitFor();
    await p.context().close();

    const helpdesk = await createUser(server.store, partner.id, { roles: ['helpdeskAgent'] });
    const h = await signedIn(browser, server, helpdesk);
    await h.goto(`/customers/${customer.id}/subscriptions`);
    await h.getByRole('link', { name: AZURE.name }).waitFor();
    expect(await h.getByRole('button', { name: 'Add subscription' }).count()).toBe(0);
    await h.getByRole('link', { name: 'Export CSV' }).waitFor();
    await h.getByRole('link', { name: AZURE.name }).click();
    await h.getByRole('heading', { level: 2, name: AZURE.name }).waitFor();
    await h.getByRole('heading', { name: 'Support contact' }).waitFor();
    expect(await h.getByRole('button', { name: 'Suspend' }).count()).toBe(0);
    expect(await h.getByRole('button', { name: 'Rename' }).count()).toBe(0);
    expect(await h.getByRole('button', { name: 'Change support contact' }).count()).toBe(0);
    await checkPage(h, 'subscription-helpdesk');
    await h.context().close();
  });

  it('says an order waits for the customer agreement, which can be confirmed from the dialog', async () => {
    const customer = await seedCustomer('Northwind Without Agreement', { agreement: false });
    const p = await signedIn(browser, server, admin);
    await p.goto(`/customers/${customer.id}/subscriptions`);
    await p.getByRole('button', { name: 'Add subscription' }).click();
    const dialog = p.getByRole('dialog', { name: /Add a subscription for/ });
    await dialog.getByText('The customer agreement is not confirmed').waitFor();
    await dialog.getByRole('button', { name: 'Confirm agreement' }).click();
    const confirm = p.getByRole('dialog', { name: 'Confirm the customer agreement' });
    await confirm.getByLabel('Date of acceptance').fill('01/15/2026');
    await confirm.getByRole('button', { name: 'Confirm agreement' }).click();
    await confirm.waitFor({ state: 'detached' });
    await dialog.getByText('The customer agreement is not confirmed').waitFor({ state: 'detached' });
    await dialog.getByLabel('Find an offer').fill('premium');
    await dialog.getByRole('button', { name: `Choose ${SUITE.name}` }).click();
    await dialog.getByLabel('Quantity').fill('2');
    await dialog.getByRole('button', { name: 'Place order' }).click();
    await dialog.waitFor({ state: 'detached' });
    await p.getByText(`Ordered: ${SUITE.name}.`).waitFor();
    await p.context().close();
  });

  // A long journey through many pages (60 s: room for a loaded machine).
  it('adding a customer orders the subscriptions chosen in its Subscriptions step', async () => {
    const prefix = uniquePrefix('withsubs');
    const name = `Wingtip Toys ${prefix}`;
    const p = await signedIn(browser, server, admin);
    await p.goto('/customers/new');
    await heading(p, 'Add customer');
    await p.getByLabel('Company name').fill(name);
    await p.getByLabel('Domain prefix').fill(prefix);
    await p.getByLabel('First name').fill('Wanda');
    await p.getByLabel('Last name').fill('Wingtip');
    await p.getByLabel('Email address').fill('wanda@wingtip.example');
    await p.getByLabel('Address line 1').fill('1 Toy Street');
    await p.getByLabel('City').fill('Redmond');
    await p.getByLabel('State or province').selectOption('WA');
    await p.getByLabel('Postal code').fill('98052');
    await p.getByLabel('Phone number').fill('+1 425 555 0100');

    // Without the agreement attestation the step says orders need it.
    await p.getByRole('button', { name: 'Next: Subscriptions' }).click();
    await p.getByText('Subscriptions need the customer agreement').waitFor();
    await p.getByRole('button', { name: 'Back to Account info' }).click();
    await p.getByRole('checkbox', { name: 'The customer has accepted the customer agreement' }).check();
    await p.getByLabel('Date of acceptance').fill('03/15/2025');
    await p.getByRole('button', { name: 'Next: Subscriptions' }).click();

    // An add-on alone is refused until its base is in the order.
    await p.getByLabel('Find an offer').fill('audio');
    await p.getByRole('button', { name: `Choose ${ADDON.name}` }).click();
    await p.getByRole('button', { name: 'Next: Review' }).click();
    await p.getByText('An add-on: add its base offer').first().waitFor();
    await p.getByLabel('Find an offer').fill('premium');
    await p.getByRole('button', { name: `Choose ${SUITE.name}` }).click();
    const suiteLine = p.getByRole('group', { name: SUITE.name });
    await suiteLine.getByLabel('Quantity').fill('25');
    await p.getByRole('group', { name: ADDON.name }).getByText(`Bought on ${SUITE.name}`).waitFor();
    await checkPage(p, 'add-customer-subscriptions-chosen');
    await p.getByRole('button', { name: 'Next: Review' }).click();
    await p.getByRole('heading', { level: 2, name: 'Review' }).waitFor();
    const review = p.getByRole('region', { name: 'Subscriptions' });
    expect(await review.textContent()).toContain(`25 Licenses of ${SUITE.name}`);
    expect(await review.textContent()).toContain(`1 Licenses of ${ADDON.name}`);
    await p.getByRole('button', { name: 'Submit' }).click();
    await p.getByRole('heading', { level: 2, name: 'Confirmation' }).waitFor();
    const created = p.getByRole('region', { name: 'Subscriptions created (2)' });
    await created.getByRole('link', { name: new RegExp(`25 × ${SUITE.id}`) }).waitFor();
    await checkPage(p, 'add-customer-confirmation-subscriptions');
    await p.getByRole('button', { name: 'Done' }).click();
    await heading(p, name);
    const id = p.url().split('/customers/')[1]!;
    const subs = await subscriptionsOf(id);
    const base = subs.find((s) => s.offerId === SUITE.id);
    const addOn = subs.find((s) => s.offerId === ADDON.id);
    expect(subs).toHaveLength(2);
    expect(base?.quantity).toBe(25);
    expect(addOn).toMatchObject({ quantity: 1, parentSubscriptionId: base?.id });
    await p.context().close();
  }, 60_000);
});
