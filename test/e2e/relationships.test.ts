// Reseller relationships in a real browser: a partner's Global admin requests a relationship and copies the
// invitation link; the customer's admin (of a customer another partner made) opens it in a fresh browser, signs
// in with the tenant's credentials, replaces the temporary password, confirms the customer agreement (the API's
// reasons next to the fields first) and accepts; the customer is then in the inviting partner's list through the
// API, alongside its first partner; on /customer/partners the admin removes the new partner's delegated admin
// privileges. Also: unknown and withdrawn links, Russian, and a 375 px screen. Every page visited is checked with
// axe and saved as test-results/<name>.png.
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { customerBody } from '../helpers/customers.ts';
import type { TestUser } from '../helpers/factories.ts';
import { TEST_PASSWORD, createPartner, createUser } from '../helpers/factories.ts';
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

describeInBrowser('reseller relationships', () => {
  let server: Server;
  let browser: Browser;
  let first: TestUser;
  let inviting: TestUser;
  let invitingPartnerId: string;

  async function context(opts: { width?: number; locale?: string } = {}): Promise<BrowserContext> {
    const ctx = await newContext(browser, server, opts);
    await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    return ctx;
  }

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    const northwind = await createPartner(server.store, { name: 'Northwind Cloud', instance: 'global' });
    first = await createUser(server.store, northwind.id, {
      roles: ['globalAdmin'],
      displayName: 'Nina North',
    });
    const fabrikam = await createPartner(server.store, { name: 'Fabrikam Partners', instance: 'global' });
    invitingPartnerId = fabrikam.id;
    inviting = await createUser(server.store, fabrikam.id, {
      roles: ['globalAdmin'],
      displayName: 'Ada Admin',
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('a partner invites an existing customer, its admin accepts, then removes the partner’s DAP', async () => {
    // The customer, made by its first partner through the API: its admin's one-time credentials.
    const created = await apiCall(
      server,
      'POST',
      '/v1/customers',
      first.token,
      customerBody({ name: 'Contoso Ltd' }),
    );
    expect(created.status).toBe(201);
    const customerId = String(created.body.id);
    const { userName, password } = created.body.userCredentials as { userName: string; password: string };

    // The inviting partner's admin: the invitations page, the request dialog, the link copied.
    const partnerContext = await context();
    const p = await partnerContext.newPage();
    await signIn(p, inviting.userName, TEST_PASSWORD);
    await heading(p, 'Dashboard');
    await p.goto('/customers/invitations');
    await heading(p, 'Reseller relationship invitations');
    await p.getByText('You have not requested a reseller relationship yet.').waitFor();
    await checkPage(p, 'relationships-invitations-empty');

    await p.getByRole('button', { name: 'Request a reseller relationship' }).click();
    const dialog = p.getByRole('dialog', { name: 'Request a reseller relationship' });
    const linkField = dialog.getByRole('textbox', { name: 'Invitation link' });
    await linkField.waitFor();
    const link = await linkField.inputValue();
    expect(link).toMatch(new RegExp(`^${server.config.publicUrl}/invitations/pdi_`));
    const includeDap = dialog.getByRole('checkbox', { name: 'Include delegated admin privileges' });
    expect(await includeDap.isChecked()).toBe(true);
    expect(await includeDap.isEnabled()).toBe(true);
    const email = await dialog.getByRole('textbox', { name: 'Email text' }).inputValue();
    expect(email).toContain(link);
    expect(email).toContain('Fabrikam Partners');
    await dialog.getByRole('button', { name: 'Copy the invitation link' }).click();
    await dialog.getByText('Copied.').first().waitFor();
    expect(await p.evaluate<string>('navigator.clipboard.readText()')).toBe(link);
    await checkPage(p, 'relationships-request-dialog');
    await dialog.getByRole('button', { name: 'Close' }).click();
    const row = p.getByRole('row', { name: /pdi_/ });
    await row.getByText('Active').waitFor();
    expect(await row.textContent()).toContain(`pdi_${link.split('/invitations/pdi_')[1]!.slice(0, 8)}`);
    await checkPage(p, 'relationships-invitations');

    // The customer's admin, in a browser of its own, opens the link.
    const customerContext = await context();
    const c = await customerContext.newPage();
    await c.goto(new URL(link).pathname);
    await heading(c, 'Fabrikam Partners invites your organisation');
    const summary = c.getByRole('region', { name: 'What the partner asks' });
    expect(await summary.textContent()).toContain('Reseller relationship with delegated admin privileges');
    expect(await summary.textContent()).toContain('United States');
    await checkPage(c, 'invitation-signin');

    // A wrong password first, then the temporary one.
    await c.getByLabel('User name').fill(userName);
    await c.getByLabel('Password', { exact: true }).fill('Not-the-password-1');
    await c.getByRole('button', { name: 'Sign in' }).click();
    await c.getByRole('alert').getByText('Sign-in failed').waitFor();
    await c.getByLabel('Password', { exact: true }).fill(password);
    await c.getByRole('button', { name: 'Sign in' }).click();

    await c.getByRole('heading', { level: 2, name: 'Choose your own password' }).waitFor();
    await checkPage(c, 'invitation-change-password');
    await c.getByLabel('Current (temporary) password').fill(password);
    await c.getByLabel('New password', { exact: true }).fill('Contoso-owner-pass-42');
    await c.getByLabel('Repeat the new password').fill('Contoso-owner-pass-42');
    await c.getByRole('button', { name: 'Change password' }).click();

    // The customer agreement is not confirmed yet: its fields come with the Accept button.
    const accept = c.getByRole('region', { name: 'Accept the invitation' });
    await accept.getByRole('group', { name: 'Customer agreement' }).waitFor();
    await accept.getByRole('button', { name: 'Accept the invitation' }).click();
    await accept.getByText('is required').first().waitFor();
    expect(await accept.getByLabel('Signer’s first name').getAttribute('aria-invalid')).toBe('true');
    await checkPage(c, 'invitation-agreement-errors');
    await accept.getByLabel('Signer’s first name').fill('Casey');
    await accept.getByLabel('Signer’s last name').fill('Customer');
    await accept.getByLabel('Signer’s email address').fill('casey@contoso.example');
    await accept.getByLabel('Date of acceptance').fill('11/30/2026');
    await checkPage(c, 'invitation-agreement');
    await accept.getByRole('button', { name: 'Accept the invitation' }).click();
    await c.getByRole('heading', { level: 2, name: 'Invitation accepted' }).waitFor();
    expect(await c.getByRole('main').textContent()).toContain(
      'Fabrikam Partners is now a reseller of your organisation.',
    );
    await checkPage(c, 'invitation-accepted');

    // Multi-partner: the inviting partner now lists the customer with DAP; its first partner keeps it.
    const list = await apiCall(server, 'GET', '/v1/customers', inviting.token);
    expect(list.body.items).toEqual([
      expect.objectContaining({
        id: customerId,
        allowDelegatedAccess: true,
        relationshipToPartner: 'reseller',
      }),
    ]);
    expect((await apiCall(server, 'GET', `/v1/customers/${customerId}`, first.token)).status).toBe(200);
    // The partner's invitations count the acceptance.
    await p.reload();
    await row.getByRole('cell', { name: '1', exact: true }).waitFor();

    // The customer's partners: both, both with DAP; the new one's DAP removed after a confirmation.
    await c.getByRole('link', { name: 'See and manage your partners' }).click();
    await heading(c, 'Your partners');
    const partners = c.getByRole('region', { name: 'Partners of Contoso Ltd' });
    await partners.getByRole('row', { name: /Fabrikam Partners/ }).waitFor();
    expect(await partners.getByRole('row').count()).toBe(3);
    await checkPage(c, 'customer-partners');
    await c.getByRole('button', { name: 'Remove delegated admin privileges of Fabrikam Partners' }).click();
    const confirm = c.getByRole('dialog', {
      name: 'Remove the delegated admin privileges of Fabrikam Partners?',
    });
    expect(await confirm.textContent()).toContain('Fabrikam Partners stays your reseller');
    await checkPage(c, 'customer-partners-remove-dap');
    await confirm.getByRole('button', { name: 'Remove privileges' }).click();
    await c
      .getByRole('status')
      .getByText('The delegated admin privileges of Fabrikam Partners were removed.', { exact: false })
      .waitFor();
    const fabrikamRow = partners.getByRole('row', { name: /Fabrikam Partners/ });
    await fabrikamRow.getByText('No', { exact: true }).waitFor();
    expect(
      await partners
        .getByRole('row', { name: /Northwind Cloud/ })
        .getByText('Yes')
        .count(),
    ).toBe(1);
    await checkPage(c, 'customer-partners-dap-removed');
    // On a phone-sized screen each partner is a card; nothing scrolls sideways.
    await c.setViewportSize({ width: 375, height: 800 });
    expect(await sidewaysOverflow(c)).toBeLessThanOrEqual(0);
    await checkPage(c, 'customer-partners-narrow');
    await c.setViewportSize({ width: 1280, height: 800 });

    const view = await apiCall(server, 'GET', `/v1/customers/${customerId}`, inviting.token);
    expect(view.body).toMatchObject({ relationshipToPartner: 'reseller', allowDelegatedAccess: false });
    const log = await apiCall(server, 'GET', `/v1/auditrecords?customerId=${customerId}`, inviting.token);
    expect((log.body.items as { action: string }[]).map((i) => i.action)).toEqual([
      'relationship.removeDelegatedAdmin',
      'relationship.accept',
      'customer.confirmAgreement',
    ]);

    // The partner revokes the link: it shows as revoked, and the customer's page says it was withdrawn.
    await row.getByRole('button', { name: /^Revoke link pdi_/ }).click();
    const revoke = p.getByRole('dialog', { name: /^Revoke the link pdi_/ });
    await checkPage(p, 'relationships-revoke-dialog');
    await revoke.getByRole('button', { name: 'Revoke' }).click();
    await row.getByText('Revoked', { exact: true }).waitFor();
    expect(await row.getByRole('button', { name: /^Revoke/ }).count()).toBe(0);
    await c.goto(new URL(link).pathname);
    await heading(c, 'This invitation was withdrawn');

    // Signing out of the customer session leaves the page asking to sign in again.
    await c.goto('/customer/partners');
    await heading(c, 'Your partners');
    await c.getByRole('button', { name: 'Sign out' }).click();
    await c.getByRole('heading', { level: 2, name: 'Sign in with your organisation’s account' }).waitFor();
    await customerContext.close();
    await partnerContext.close();
    void invitingPartnerId;
  }, 120_000);

  it('explains unknown and withdrawn links, in the browser’s language, on a phone-sized screen', async () => {
    const ctx = await context({ width: 375 });
    const c = await ctx.newPage();
    await c.goto('/invitations/pdi_no-such-link');
    await heading(c, 'This invitation link does not work');
    await checkPage(c, 'invitation-unknown');
    expect(await sidewaysOverflow(c)).toBeLessThanOrEqual(0);

    const link = await apiCall(
      server,
      'GET',
      '/v1/customers/relationshiprequests?includeDelegatedAdminPrivileges=false',
      inviting.token,
    );
    const path = new URL(String(link.body.url)).pathname;
    await c.goto(path);
    await heading(c, 'Fabrikam Partners invites your organisation');
    expect(await c.getByRole('main').textContent()).toContain('without delegated admin privileges');
    expect(await sidewaysOverflow(c)).toBeLessThanOrEqual(0);
    await checkPage(c, 'invitation-narrow');

    expect(
      (await apiCall(server, 'DELETE', `/v1/relationshipinvitations/${String(link.body.id)}`, inviting.token))
        .status,
    ).toBe(204);
    await c.reload();
    await heading(c, 'This invitation was withdrawn');
    await checkPage(c, 'invitation-revoked');
    await ctx.close();

    const ru = await (await context({ locale: 'ru-RU' })).newPage();
    await ru.goto('/invitations/pdi_no-such-link');
    await heading(ru, 'Эта ссылка-приглашение не работает');
    expect(await ru.evaluate<string>('document.documentElement.lang')).toBe('ru');
    await ru.goto('/customer/partners');
    await heading(ru, 'Ваши партнёры');
    await ru.getByRole('button', { name: 'Войти' }).waitFor();
    await checkPage(ru, 'customer-partners-signin-ru');
    await ru.context().close();
  }, 60_000);
});
