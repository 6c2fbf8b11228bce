// `partnerdesk transfers …` run as a child process against a real Partnerdesk listening on a free port, by the
// two partners of a transfer: the target checks eligibility (eligible subscriptions and the reason of the
// others), creates requests (the customer's consent link printed), lists and cancels them; the source lists what
// it received, shows one with its timeline, rejects with a reason, and accepts with --wait once the customer
// consented: a progress bar, each subscription's result, exit 1 when one failed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/app.ts';
import { buildApp } from '../src/app.ts';
import { runApiCli } from './helpers/child.ts';
import { createTestStore } from './helpers/db.ts';
import type { TestPartner, TestUser } from './helpers/factories.ts';
import { bearer, createPartnerWithAdmin } from './helpers/factories.ts';
import type { TestCatalog } from './helpers/offers.ts';
import { insertReadyCustomer, insertTestCatalog, placeOrder } from './helpers/offers.ts';
import { insertCustomerUser, insertRelationship, issueCustomerToken } from './helpers/relationships.ts';

const GUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

describe('partnerdesk transfers (CLI over the API)', () => {
  let t: Awaited<ReturnType<typeof createTestStore>>;
  let app: App;
  let url: string;
  let tmp: string;
  let catalog: TestCatalog;
  let source: { partner: TestPartner; admin: TestUser };
  let target: { partner: TestPartner; admin: TestUser };
  let customer: { id: string; name: string; domain: string };
  let customerAdminToken: string;
  /** The customer's subscriptions, all of the source: a licence suite, an Azure plan and two Azure ones. */
  let subs: { suite: string; plan: string; azure: string; azure2: string };

  const asTarget = (args: string[], env: Record<string, string> = {}) =>
    runApiCli(['transfers', ...args], { cwd: tmp, url, token: target.admin.token, env });
  const asSource = (args: string[], env: Record<string, string> = {}) =>
    runApiCli(['transfers', ...args], { cwd: tmp, url, token: source.admin.token, env });

  /** The request id `create` printed. */
  const createdId = (stdout: string) => new RegExp(`Transfer request (${GUID}) created`).exec(stdout)?.[1];

  /** The customer's Global admin consents on the customer-facing route. */
  async function consent(transferId: string): Promise<void> {
    const r = await app.inject({
      method: 'POST',
      url: `/v1/customer/transfers/${transferId}/consent`,
      headers: bearer(customerAdminToken),
    });
    expect(r.statusCode, r.body).toBe(200);
  }

  async function subscriptionRow(id: string) {
    return t.store.owner
      .selectFrom('subscriptions')
      .select(['partner_id', 'status', 'transferred_to_subscription_id'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  }

  beforeAll(async () => {
    t = await createTestStore();
    app = await buildApp({ config: t.config, store: t.store, logger: false });
    url = await app.listen({ port: 0, host: '127.0.0.1' });
    catalog = await insertTestCatalog(t.store);
    source = await createPartnerWithAdmin(t.store, { name: `Source Reseller ${Date.now()}` });
    target = await createPartnerWithAdmin(t.store, {
      name: `Target Cloud ${Date.now()}`,
      kind: 'indirectProvider',
    });
    customer = await insertReadyCustomer(t.store, source.partner.id);
    await insertRelationship(t.store, target.partner.id, customer.id);
    const order = await placeOrder(app, source.admin.token, customer.id, [
      { offerId: catalog.suite, quantity: 5, friendlyName: 'Office staff' },
      { offerId: catalog.azurePlan, quantity: 1, friendlyName: 'Production plan' },
      { offerId: catalog.azure, quantity: 1, friendlyName: 'Test lab' },
      { offerId: catalog.azure, quantity: 1, friendlyName: 'Archive' },
    ]);
    const [suite, plan, azure, azure2] = order.lineItems.map((l) => l.subscriptionId);
    subs = { suite: suite!, plan: plan!, azure: azure!, azure2: azure2! };
    const customerAdmin = await insertCustomerUser(t.store, customer.id, { roles: ['globalAdmin'] });
    customerAdminToken = await issueCustomerToken(t.store, customer.id, customerAdmin.id);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'partnerdesk-transfers-'));
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('eligibility: the subscriptions that can move, and why the others cannot', async () => {
    const run = await asTarget(['eligibility', customer.domain]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`Partner of record: ${source.partner.name} (${source.partner.id})`);
    const line = (id: string) => run.stdout.split('\n').find((l) => l.startsWith(id)) ?? '';
    expect(line(subs.plan)).toMatch(/Production plan\s+\S+\s+active\s+yes$/);
    expect(line(subs.azure)).toMatch(/Test lab\s+\S+\s+active\s+yes$/);
    // A licence suite never moves; the API's sentence says why.
    expect(line(subs.suite)).toMatch(/Office staff\s+\S+\s+active\s+no: \S.*/);
    expect(run.stdout).toContain('3 of 4 subscriptions can move to you.');
    expect(run.stderr).toContain(
      `partnerdesk transfers create ${customer.domain} --all-eligible --source ${source.partner.id}`,
    );

    const only = await asTarget(['eligibility', customer.id, '--eligible-only', '--json']);
    expect(only.code, only.stderr).toBe(0);
    const items = JSON.parse(only.stdout) as { subscriptionId: string; isEligible: boolean }[];
    expect(items.map((i) => i.subscriptionId).sort()).toEqual([subs.plan, subs.azure, subs.azure2].sort());
    expect(items.every((i) => i.isEligible)).toBe(true);

    // --source by name, as the list shows it.
    const byName = await asTarget(['eligibility', customer.domain, '--source', source.partner.name]);
    expect(byName.code, byName.stderr).toBe(0);
    expect(byName.stdout).toContain('3 of 4 subscriptions can move to you.');
  });

  let planTransfer: string;

  it('create prints the request and the customer consent link', async () => {
    const run = await asTarget([
      'create',
      customer.domain,
      '--subscriptions',
      subs.plan,
      '--note',
      'Moving to our managed service',
    ]);
    expect(run.code, run.stderr).toBe(0);
    planTransfer = createdId(run.stdout)!;
    expect(planTransfer).toBeDefined();
    expect(run.stdout).toContain(
      `1 subscription of ${customer.name} from ${source.partner.name} to ${target.partner.name}.`,
    );
    expect(run.stdout).toMatch(
      new RegExp(`\\n1\\s+${subs.plan}\\s+\\S+\\s+Production plan\\s+\\S+\\s+pending\\n`),
    );
    expect(run.stdout).toContain(
      `A Global admin of ${customer.name} must consent first. Send them this link:`,
    );
    expect(run.stdout).toContain(`\n    ${t.config.publicUrl}/portal/transfers/${planTransfer}\n`);
  });

  it('create refuses neither or both of --subscriptions and --all-eligible, and a subscription in a request', async () => {
    const neither = await asTarget(['create', customer.domain]);
    expect(neither.code).toBe(1);
    expect(neither.stderr).toMatch(/give --subscriptions a,b or --all-eligible/);
    const noSource = await asTarget(['create', customer.domain, '--all-eligible']);
    expect(noSource.code).toBe(1);
    expect(noSource.stderr).toMatch(/give --source/);
    const twice = await asTarget(['create', customer.domain, '--subscriptions', subs.plan]);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(
      /\npartnerdesk: .*\(subscriptionIds\[0\]: .+\) \[transferNotEligible 101201\]\n$/,
    );
  });

  it('list: sent for the target, received for the source', async () => {
    const sent = await asTarget(['list', '--direction', 'sent']);
    expect(sent.code, sent.stderr).toBe(0);
    expect(sent.stdout).toMatch(
      new RegExp(
        `\\n${planTransfer}\\s+\\d{4}-\\d\\d-\\d\\d\\s+sent\\s+${customer.name}\\s+${source.partner.name}\\s+${target.partner.name}\\s+1\\s+pending\\s+pending\\n`,
      ),
    );
    expect(sent.stdout.trimEnd().split('\n').at(-1)).toBe('1 of 1');

    const received = await asSource(['list', '--direction', 'received', '--customer', customer.domain]);
    expect(received.code, received.stderr).toBe(0);
    expect(received.stdout).toMatch(new RegExp(`\\n${planTransfer}\\s+\\S+\\s+received\\s`));
    const none = await asSource(['list', '--direction', 'sent']);
    expect(none.stdout).toContain('No transfer requests.');
    expect(none.stdout.trimEnd().split('\n').at(-1)).toBe('0 of 0');
    const bad = await asSource(['list', '--status', 'done']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--status must be one of pending, inProgress/);
  });

  it('show: parties, consent, subscriptions and the timeline; what happens next', async () => {
    const run = await asSource(['show', planTransfer]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Transfer:\s+\S+\nStatus:\s+pending\n/);
    expect(run.stdout).toMatch(
      new RegExp(`From \\(source\\):\\s+${source.partner.name} \\(${source.partner.id}\\)`),
    );
    expect(run.stdout).toMatch(
      new RegExp(`To \\(target\\):\\s+${target.partner.name} \\(${target.partner.id}\\)`),
    );
    expect(run.stdout).toMatch(/Direction:\s+received by you/);
    expect(run.stdout).toMatch(/Customer consent:\s+waiting for the customer/);
    expect(run.stdout).toMatch(/Note:\s+Moving to our managed service/);
    expect(run.stdout).toMatch(/Timeline:\n\s+\d{4}-\d\d-\d\d \d\d:\d\d UTC\s+created\s+/);
    expect(run.stderr).toContain(`Waiting for a Global admin of ${customer.name} to consent:`);

    const json = await asSource(['show', planTransfer, '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({
      id: planTransfer,
      direction: 'received',
      status: 'pending',
    });
    const missing = await asSource(['show', '00000000-0000-4000-8000-000000000000']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/\[transferNotFound 900100\]\n$/);
  });

  it('reject: the source refuses with a reason, once', async () => {
    const created = await asTarget(['create', customer.domain, '--subscriptions', subs.azure]);
    const id = createdId(created.stdout)!;
    const wrongParty = await asTarget(['reject', id, '--reason', 'no']);
    expect(wrongParty.code).toBe(1);
    expect(wrongParty.stderr).toMatch(/\[transferWrongParty 101203\]\n$/);

    const run = await asSource(['reject', id, '--reason', 'The contract runs to June']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(
      `Rejected: ${target.partner.name}'s request for 1 subscription of ${customer.name}; they stay with ${source.partner.name}.`,
    );
    const shown = await asTarget(['show', id]);
    expect(shown.stdout).toMatch(/Status:\s+rejected\n/);
    expect(shown.stdout).toMatch(/Rejected:\s+.* by the source partner: The contract runs to June/);

    const again = await asSource(['reject', id, '--reason', 'again']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/\[transferAlreadyProcessed 900104\]\n$/);
  });

  it('cancel: the target withdraws its pending request; the source cannot', async () => {
    const created = await asTarget(['create', customer.domain, '--subscriptions', subs.azure]);
    expect(created.code, created.stderr).toBe(0);
    const id = createdId(created.stdout)!;
    const bySource = await asSource(['cancel', id]);
    expect(bySource.code).toBe(1);
    expect(bySource.stderr).toMatch(/\[transferWrongParty 101203\]\n$/);

    const run = await asTarget(['cancel', id]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`Cancelled: the request for 1 subscription of ${customer.name} (${id}).`);
    const list = await asTarget(['list', '--status', 'cancelled', '--json']);
    expect((JSON.parse(list.stdout) as { id: string }[]).map((r) => r.id)).toEqual([id]);
  });

  it('accept --wait after the customer consented: progress, then each subscription completed', async () => {
    const early = await asSource(['accept', planTransfer, '--wait']);
    expect(early.code).toBe(1);
    expect(early.stderr).toMatch(/\[transferConsentRequired 101202\]\n$/);

    await consent(planTransfer);
    const run = await asSource(['accept', planTransfer, '--wait']);
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toContain(
      `Accepted: 1 subscription of ${customer.name} move to ${target.partner.name}.`,
    );
    expect(run.stdout).toContain('Transfer completed: 1 completed, 0 failed.');
    // The source sees where it went; the new id is the target's.
    expect(run.stdout).toMatch(
      new RegExp(
        `\\n1\\s+${subs.plan}\\s+.*Production plan\\s+\\S+\\s+completed → moved to ${target.partner.name}\\n`,
      ),
    );
    // Not a terminal: a progress line instead of a bar.
    expect(run.stderr).toMatch(/\d\/1 subscriptions \(\d completed, 0 failed\)/);

    const old = await subscriptionRow(subs.plan);
    expect(old).toMatchObject({ partner_id: source.partner.id, status: 'transferred' });
    const newId = old.transferred_to_subscription_id!;
    expect(await subscriptionRow(newId)).toMatchObject({ partner_id: target.partner.id, status: 'active' });
    const shown = await asTarget(['show', planTransfer]);
    expect(shown.stdout).toMatch(/Status:\s+completed\n/);
    expect(shown.stdout).toMatch(new RegExp(`${subs.plan}\\s+.*completed → new subscription ${newId}\\n`));
    expect(shown.stdout).toMatch(/\s+consented\s+/);
    expect(shown.stdout).toMatch(/\s+lineCompleted\s+/);
  });

  it('accept --wait exits 1 when a subscription failed, saying why', async () => {
    const created = await asTarget([
      'create',
      customer.domain,
      '--all-eligible',
      '--source',
      source.partner.name,
    ]);
    expect(created.code, created.stderr).toBe(0);
    const id = createdId(created.stdout)!;
    await consent(id);
    // The source suspends one after the consent: it no longer moves.
    const suspended = await app.inject({
      method: 'PATCH',
      url: `/v1/customers/${customer.id}/subscriptions/${subs.azure2}`,
      headers: bearer(source.admin.token),
      payload: { status: 'suspended' },
    });
    expect(suspended.statusCode, suspended.body).toBe(200);

    const run = await asSource(['accept', id, '--wait']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/Transfer partiallyCompleted: 1 completed, 1 failed\./);
    expect(run.stdout).toMatch(new RegExp(`${subs.azure}\\s+.*completed → moved to ${target.partner.name}`));
    expect(run.stdout).toMatch(new RegExp(`${subs.azure2}\\s+.*failed: .+ \\[subscriptionNotActive\\]`));
    expect((await subscriptionRow(subs.azure2)).partner_id).toBe(source.partner.id);
  });
});
