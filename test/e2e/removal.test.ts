// Removing a reseller relationship in the console: the Account tab lists what blocks the removal with its fix
// and keeps the button disabled; once the blocker is cleared (here a stand-in for an active subscription that
// gets suspended: the blocker provider the subscriptions feature will supply), "Check again" enables it, the
// confirmation names the consequences, and the customer leaves the list. An Admin agent is told only a Global
// admin can. Every page is checked with axe and saved as a screenshot.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { BlockerProvider } from '../../src/modules/relationships/relationships.service.ts';
import { createCustomer } from '../helpers/customers.ts';
import { TEST_PASSWORD, createPartnerWithAdmin, createUser } from '../helpers/factories.ts';
import type { Server } from './helpers.ts';
import {
  apiCall,
  checkPage,
  describeInBrowser,
  heading,
  launchBrowser,
  newContext,
  signIn,
  startServer,
} from './helpers.ts';

describeInBrowser('console: removing a reseller relationship', () => {
  let server: Server;
  let browser: Browser;
  /** Customers with an "active subscription" standing in the way. */
  const blocked = new Set<string>();
  const subscriptions: BlockerProvider = async (_trx, _ctx, customerId) =>
    blocked.has(customerId)
      ? [
          {
            code: 'activeSubscription',
            description: 'Subscription “Office E3” (10 licenses) is active.',
            fix: 'Suspend it on the customer’s Subscriptions tab.',
            resourceId: 'sub-1',
          },
        ]
      : [];

  beforeAll(async () => {
    [server, browser] = await Promise.all([
      startServer({ relationshipBlockers: [subscriptions] }),
      launchBrowser(),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows the blockers, enables removal once they are cleared, and the customer leaves the list', async () => {
    const { partner, admin } = await createPartnerWithAdmin(server.store);
    const customer = await createCustomer(server.app, admin.token, { name: 'Leaving Soon Ltd' });
    blocked.add(customer.id);

    // An Admin agent sees the section but is told who may remove.
    const agent = await createUser(server.store, partner.id, { roles: ['adminAgent'] });
    const a = await (await newContext(browser, server)).newPage();
    await signIn(a, agent.userName, TEST_PASSWORD);
    await heading(a, 'Dashboard');
    await a.goto(`/customers/${customer.id}`);
    const agentPanel = a.getByRole('region', { name: 'Remove reseller relationship' });
    await agentPanel.getByText('Only a Global admin can remove a reseller relationship.').waitFor();
    expect(await agentPanel.getByRole('button', { name: 'Remove reseller relationship' }).isDisabled()).toBe(
      true,
    );
    await a.context().close();

    const p = await (await newContext(browser, server)).newPage();
    await signIn(p, admin.userName, TEST_PASSWORD);
    await heading(p, 'Dashboard');
    await p.goto(`/customers/${customer.id}`);
    await heading(p, 'Leaving Soon Ltd');
    const panel = p.getByRole('region', { name: 'Remove reseller relationship' });
    await panel.getByText('Subscription “Office E3” (10 licenses) is active.').waitFor();
    await panel.getByText('Suspend it on the customer’s Subscriptions tab.', { exact: false }).waitFor();
    const remove = panel.getByRole('button', { name: 'Remove reseller relationship' });
    expect(await remove.isDisabled()).toBe(true);
    await checkPage(p, 'customer-removal-blocked');
    // The API refuses too, listing the blocker.
    const refused = await apiCall(server, 'PATCH', `/v1/customers/${customer.id}`, admin.token, {
      relationshipToPartner: 'none',
    });
    expect(refused.status).toBe(409);

    blocked.delete(customer.id); // the subscription is suspended
    await panel.getByRole('button', { name: 'Check again' }).click();
    await panel.getByText('Nothing blocks the removal.').waitFor();
    expect(await remove.isDisabled()).toBe(false);
    await remove.click();
    const dialog = p.getByRole('dialog');
    await dialog.getByText('Leaving Soon Ltd', { exact: false }).first().waitFor();
    await checkPage(p, 'customer-removal-confirm');
    await dialog.getByRole('button', { name: 'Remove the relationship' }).click();
    await heading(p, 'Customers');
    expect(new URL(p.url()).pathname).toBe('/customers');
    // The list, read again: the partner's only customer is gone (count() alone would not wait for it).
    await p.getByText('You have no customers yet.').waitFor();
    expect(await p.getByRole('cell', { name: 'Leaving Soon Ltd' }).count()).toBe(0);
    await checkPage(p, 'customers-after-removal');

    // Gone for the partner: 404, and the activity log keeps the customer's history.
    expect((await apiCall(server, 'GET', `/v1/customers/${customer.id}`, admin.token)).status).toBe(404);
    const log = await apiCall(server, 'GET', `/v1/auditrecords?customerId=${customer.id}`, admin.token);
    expect((log.body.items as { action: string }[]).map((r) => r.action)).toEqual([
      'relationship.remove',
      'customer.create',
    ]);
    await p.context().close();
  });
});
