// `partnerdesk subscriptions …` run as a child process against a real Partnerdesk listening on a free port:
// order (several --line items, the add-on's parent from the same order or --parent), list and show with the
// customer named by id, domain or domain prefix, set-quantity (GET then PATCH with If-Match), suspend with a
// reason and reactivate (add-ons follow), cancel a reservation, export to a file and stdout, and failures as
// one line on stderr with the API's code and exit code 1.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/app.ts';
import { buildApp } from '../src/app.ts';
import { parseLine } from '../src/cli/subscriptions.commands.ts';
import { runApiCli } from './helpers/child.ts';
import { importTestCatalog, licenseOffer, reservationOffer, usageOffer } from './helpers/catalog-files.ts';
import { createCustomer, uniquePrefix } from './helpers/customers.ts';
import { createTestStore } from './helpers/db.ts';
import type { TestUser } from './helpers/factories.ts';
import { bearer, createPartnerWithAdmin } from './helpers/factories.ts';

interface Sub {
  id: string;
  offerId: string;
  friendlyName: string;
  quantity: number;
  status: string;
  termDuration: string | null;
  billingCycle: string;
  parentSubscriptionId: string | null;
  suspensionReasons: string[];
  deletionDate: string | null;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

describe('partnerdesk subscriptions (CLI over the API)', () => {
  let t: Awaited<ReturnType<typeof createTestStore>>;
  let app: App;
  let url: string;
  let admin: TestUser;
  let tmp: string;
  let customer: { id: string; domain: string; prefix: string };

  const cli = (args: string[], env: Record<string, string> = {}) =>
    runApiCli(['subscriptions', ...args], { cwd: tmp, url, token: admin.token, env });

  const api = async <T>(path: string): Promise<T> => {
    const r = await app.inject({ method: 'GET', url: path, headers: bearer(admin.token) });
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as T;
  };
  const subs = async () => (await api<{ items: Sub[] }>(`/v1/customers/${customer.id}/subscriptions`)).items;
  const sub = (id: string) => api<Sub>(`/v1/customers/${customer.id}/subscriptions/${id}`);

  async function newCustomer(agreement: boolean) {
    const prefix = uniquePrefix('sub');
    const c = await createCustomer(app, admin.token, { prefix, name: `Subscriber ${prefix}` });
    if (agreement) {
      const r = await app.inject({
        method: 'POST',
        url: `/v1/customers/${c.id}/agreements`,
        headers: bearer(admin.token),
        payload: { firstName: 'Sam', lastName: 'Signer', email: 'sam@example.com', dateAgreed: '2026-01-15' },
      });
      expect(r.statusCode, r.body).toBe(201);
    }
    return { id: c.id, domain: `${prefix}.onpartnerdesk.com`, prefix };
  }

  beforeAll(async () => {
    t = await createTestStore();
    app = await buildApp({ config: t.config, store: t.store, logger: false });
    url = await app.listen({ port: 0, host: '127.0.0.1' });
    ({ admin } = await createPartnerWithAdmin(t.store));
    await importTestCatalog(t.store, [
      licenseOffer('SUITE', 'Business Suite', { price: 1250 }),
      licenseOffer('ADDON', 'Audio add-on', { price: 400, prerequisiteOffers: ['SUITE'] }),
      reservationOffer('RI-VM', 'Reserved VM', { price: 5000 }),
      usageOffer('AZ', 'Azure'),
    ]);
    customer = await newCustomer(true);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'partnerdesk-subs-'));
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('reads a line item OFFER:QTY[:TERM[:CYCLE]], also when the offer id holds a colon', () => {
    expect(parseLine('M365-E3:25')).toEqual({ offerId: 'M365-E3', quantity: 25 });
    expect(parseLine('AUDIO:5:p1m:monthly')).toEqual({
      offerId: 'AUDIO',
      quantity: 5,
      termDuration: 'P1M',
      billingCycle: 'monthly',
    });
    expect(parseLine('SW:1:none:oneTime')).toMatchObject({ termDuration: 'none', billingCycle: 'oneTime' });
    expect(parseLine('ns:offer:3:P1Y')).toEqual({ offerId: 'ns:offer', quantity: 3, termDuration: 'P1Y' });
    for (const bad of ['M365-E3', ':5', 'X:five', 'X:5:P1Y:annual:extra', ''])
      expect(() => parseLine(bad), bad).toThrow(/OFFER:QUANTITY/);
  });

  it('orders several lines for a customer named by its domain and prints the new subscription ids', async () => {
    const run = await cli([
      'order',
      customer.domain,
      '--line',
      'SUITE:5',
      '--line',
      'ADDON:5:P1M:monthly',
      '--line',
      'RI-VM:2:P3Y:oneTime',
      '--name',
      'Head office',
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/Request id: /);
    expect(run.stdout).toMatch(new RegExp(`^Order ${UUID.source} placed for Subscriber ${customer.prefix}`));
    const printed = run.stdout.match(UUID)!.slice(1); // after the order id
    expect(printed).toHaveLength(3);
    const list = await subs();
    expect(list.map((s) => s.id).sort()).toEqual([...printed].sort());
    const suite = list.find((s) => s.offerId === 'SUITE')!;
    const addOn = list.find((s) => s.offerId === 'ADDON')!;
    const ri = list.find((s) => s.offerId === 'RI-VM')!;
    expect(suite).toMatchObject({ friendlyName: 'Head office', quantity: 5, termDuration: 'P1M' });
    // The add-on's base is the suite line of the same order.
    expect(addOn).toMatchObject({ parentSubscriptionId: suite.id, friendlyName: 'Audio add-on' });
    expect(ri).toMatchObject({ termDuration: 'P3Y', billingCycle: 'oneTime', quantity: 2 });
    expect(run.stdout).toContain(`${suite.id}  SUITE`);
  });

  it('orders an add-on on top of an existing subscription with --parent, and usage-based Azure', async () => {
    const suite = (await subs()).find((s) => s.offerId === 'SUITE')!;
    const run = await cli([
      'order',
      customer.id,
      '--line',
      'ADDON:3',
      '--line',
      'AZ:1',
      '--parent',
      suite.id,
    ]);
    expect(run.code, run.stderr).toBe(0);
    const list = await subs();
    const added = list.filter((s) => s.offerId === 'ADDON' && s.quantity === 3);
    expect(added).toHaveLength(1);
    expect(added[0]!.parentSubscriptionId).toBe(suite.id);
    expect(list.find((s) => s.offerId === 'AZ')?.parentSubscriptionId).toBeNull();
  });

  it('lists (by domain prefix too, with a status filter, as JSON) and shows one subscription', async () => {
    const list = await cli(['list', customer.prefix]);
    expect(list.code, list.stderr).toBe(0);
    const lines = list.stdout.trim().split('\n');
    expect(lines[0]).toBe(`Subscriber ${customer.prefix} (${customer.domain})`);
    expect(lines[1]).toMatch(/^SUBSCRIPTION ID\s+NAME\s+OFFER\s+QUANTITY\s+STATUS/);
    expect(lines.at(-1)).toBe('5 of 5');
    expect(list.stdout).toMatch(/Head office\s+SUITE\s+5\s+active\s+P1M\s+monthly/);

    const json = await cli(['list', customer.domain, '--json', '--status', 'active']);
    expect(json.code, json.stderr).toBe(0);
    expect((JSON.parse(json.stdout) as Sub[]).map((s) => s.status)).toEqual(Array(5).fill('active'));
    const none = await cli(['list', customer.domain, '--status', 'suspended']);
    expect(none.stdout).toContain('No subscriptions.');

    const suite = (await subs()).find((s) => s.offerId === 'SUITE')!;
    const show = await cli(['show', customer.domain, suite.id]);
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toMatch(/Subscription:\s+Head office/);
    expect(show.stdout).toMatch(/Offer:\s+Business Suite \(SUITE\)/);
    expect(show.stdout).toMatch(/Quantity:\s+5 Licenses/);
    expect(show.stdout).toMatch(/Status:\s+active/);
  });

  it('sets the quantity (read, then changed with If-Match); outside the limits is one line with the code', async () => {
    const suite = (await subs()).find((s) => s.offerId === 'SUITE')!;
    const run = await cli(['set-quantity', customer.domain, suite.id, '7']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`Quantity of Head office (${suite.id}): 5 → 7`);
    expect((await sub(suite.id)).quantity).toBe(7);

    const tooMany = await cli(['set-quantity', customer.domain, suite.id, '301']);
    expect(tooMany.code).toBe(1);
    const lines = tooMany.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^partnerdesk: .*quantity.*\[validationFailed 100001\]$/);
    expect((await sub(suite.id)).quantity).toBe(7);

    const notNumber = await cli(['set-quantity', customer.domain, suite.id, 'lots']);
    expect(notNumber.code).toBe(1);
    expect(notNumber.stderr).toMatch(/<quantity> must be a whole number/);
  });

  it('suspends with a reason (its add-ons too), refuses a quantity change while suspended, reactivates', async () => {
    const list = await subs();
    const suite = list.find((s) => s.offerId === 'SUITE')!;
    const suspend = await cli(['suspend', customer.domain, suite.id, '--reason', 'nonPayment']);
    expect(suspend.code, suspend.stderr).toBe(0);
    expect(suspend.stdout).toContain(`Suspended: Head office (${suite.id})`);
    expect(suspend.stdout).toContain('Reasons: nonPayment');
    expect(suspend.stdout).toMatch(/deleted on \d{4}-\d{2}-\d{2}/);
    const after = await sub(suite.id);
    expect(after).toMatchObject({ status: 'suspended', suspensionReasons: ['nonPayment'] });
    for (const a of (await subs()).filter((s) => s.parentSubscriptionId === suite.id))
      expect(a.status, a.id).toBe('suspended');

    const listed = await cli(['list', customer.domain, '--status', 'suspended']);
    expect(listed.stdout).toMatch(/suspended \(deleted \d{4}-\d{2}-\d{2}\)/);
    const shown = await cli(['show', customer.domain, suite.id]);
    expect(shown.stdout).toMatch(/Deleted on:\s+\S+ unless reactivated before/);

    const change = await cli(['set-quantity', customer.domain, suite.id, '9']);
    expect(change.code).toBe(1);
    expect(change.stderr.trim()).toMatch(/^partnerdesk: .*\[subscriptionSuspended 100805\]$/);

    const reactivate = await cli(['reactivate', customer.domain, suite.id]);
    expect(reactivate.code, reactivate.stderr).toBe(0);
    expect(reactivate.stdout).toContain('status active');
    expect((await sub(suite.id)).status).toBe('active');
    for (const a of (await subs()).filter((s) => s.parentSubscriptionId === suite.id))
      expect(a.status, a.id).toBe('active');
  });

  it('cancels a reservation; a suite is refused with its code', async () => {
    const list = await subs();
    const ri = list.find((s) => s.offerId === 'RI-VM')!;
    const run = await cli(['cancel', customer.domain, ri.id]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`Cancelled: Reserved VM (${ri.id})`);
    expect((await sub(ri.id)).status).toBe('cancelled');
    const suite = list.find((s) => s.offerId === 'SUITE')!;
    const refused = await cli(['cancel', customer.domain, suite.id]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/\[subscriptionNotCancellable 100807\]/);
  });

  it('exports the subscriptions as CSV to a file and to stdout', async () => {
    const file = path.join(tmp, 'subs.csv');
    const run = await cli(['export', customer.domain, '-o', file]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(
      `5 subscriptions of Subscriber ${customer.prefix} (${customer.domain}) exported to ${file}`,
    );
    const csv = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
    const rows = csv.trim().split(/\r?\n/);
    expect(rows[0]).toBe('Subscription ID,Subscription,Quantity,Status,Reseller');
    expect(rows).toHaveLength(6);
    expect(csv).toMatch(/,Head office,7,active,/i);
    expect(fs.readdirSync(tmp).filter((f) => f.endsWith('.partial'))).toEqual([]);

    const out = await cli(['export', customer.id, '--output', '-', '--status', 'cancelled']);
    expect(out.code, out.stderr).toBe(0);
    const lines = out.stdout
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/,Reserved VM,2,cancelled,/i);
    expect(out.stderr).toContain('1 subscription exported.');
  });

  it('fails in one line: no such customer, no such subscription, a bad line, an order without the agreement', async () => {
    const unknown = await cli(['list', 'nobody.onpartnerdesk.com']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim()).toBe(
      'partnerdesk: none of your customers has the domain nobody.onpartnerdesk.com',
    );

    const missing = await cli(['show', customer.domain, '00000000-0000-4000-8000-000000000000']);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toMatch(/^partnerdesk: .*\[subscriptionNotFound 100802\]$/);

    const badLine = await cli(['order', customer.domain, '--line', 'SUITE']);
    expect(badLine.code).toBe(1);
    expect(badLine.stderr).toMatch(/--line "SUITE" must be OFFER:QUANTITY/);

    const noLine = await cli(['order', customer.domain]);
    expect(noLine.code).toBe(1);
    expect(noLine.stderr).toMatch(/give at least one --line/);

    const badQuantity = await cli(['order', customer.domain, '--line', 'SUITE:0', '--line', 'NOPE:1']);
    expect(badQuantity.code).toBe(1);
    expect(badQuantity.stderr.trim().split('\n').at(-1)).toMatch(
      /^partnerdesk: .*lineItems\[0\]\.quantity.*lineItems\[1\]\.offerId.*\[validationFailed 100001\]$/,
    );

    const unconfirmed = await newCustomer(false);
    const refused = await cli(['order', unconfirmed.domain, '--line', 'SUITE:1']);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim().split('\n').at(-1)).toMatch(/\[customerAgreementRequired 100804\]$/);
    const r = await app.inject({
      method: 'GET',
      url: `/v1/customers/${unconfirmed.id}/subscriptions`,
      headers: bearer(admin.token),
    });
    expect(r.json().totalCount).toBe(0);
  });

  it('takes its line items and connection from the environment', async () => {
    const run = await cli(['order', customer.id], { PARTNERDESK_ORDER_LINES: 'SUITE:1 AZ:1' });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.match(UUID)).toHaveLength(3);
  });
});
