// The transfer demo: Northwind Cloud has a reseller relationship with Demo Reseller's Contoso Pharmacy (accepted
// by Contoso's Global admin, who signs in with the demo password) and may request Contoso's Azure plan; a second
// seed leaves the relationship as it is, and one removed since is not made again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, demoBanner, seedDemo, seedDepsFor } from '../src/demo/seed.ts';
import type { TestApp } from './helpers/app.ts';
import { createTestApp, injectAs } from './helpers/app.ts';
import { signInCustomer } from './helpers/relationships.ts';

let t: TestApp;
const CONTOSO_ADMIN = 'admin@contosopharmacy.onpartnerdesk.com';

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

async function relationships() {
  return t.store.owner
    .selectFrom('customer_relationships as r')
    .innerJoin('partners as p', 'p.id', 'r.partner_id')
    .select(['p.name as partner', 'r.state', 'r.delegated_admin', 'r.customer_id'])
    .where('r.primary_domain', '=', 'contosopharmacy.onpartnerdesk.com')
    .orderBy('p.name')
    .execute();
}

async function partnerToken(userName: string): Promise<string> {
  const r = await injectAs(t.app, undefined, 'POST', '/v1/auth/token', {
    payload: { userName, password: DEMO_PASSWORD },
  });
  expect(r.statusCode).toBe(200);
  return r.json().access_token;
}

describe('the transfer demo', () => {
  it('gives Northwind Cloud a relationship with Contoso Pharmacy, accepted by its Global admin', async () => {
    const first = await seedDemo(seedDepsFor(t.store, t.config));
    expect(first.created).toContain(
      `reseller relationship of Northwind Cloud with Contoso Pharmacy (accepted by its Global admin ${CONTOSO_ADMIN})`,
    );
    const rows = await relationships();
    expect(rows.map((r) => [r.partner, r.state, r.delegated_admin])).toEqual([
      ['Demo Reseller', 'active', true],
      ['Northwind Cloud', 'active', true],
    ]);

    // The customer's Global admin signs in on the customer pages with the demo password, nothing to change.
    const session = await signInCustomer(t.app, CONTOSO_ADMIN, DEMO_PASSWORD);
    expect(session.mustChangePassword).toBe(false);
    expect(session.user).toMatchObject({ userName: CONTOSO_ADMIN, roles: ['globalAdmin'] });
    const partners = await injectAs(t.app, session.access_token, 'GET', '/v1/customer/partners');
    expect(partners.statusCode).toBe(200);
    expect((partners.json() as { items: { name: string }[] }).items.map((p) => p.name).sort()).toEqual([
      'Demo Reseller',
      'Northwind Cloud',
    ]);

    // Northwind sees Contoso among its customers and its activity log says who accepted.
    const northwind = await partnerToken('admin@northwind-cloud.example');
    const customers = await injectAs(t.app, northwind, 'GET', '/v1/customers?size=50');
    expect(
      (customers.json() as { items: { companyProfile: { companyName: string } }[] }).items
        .map((c) => c.companyProfile.companyName)
        .sort(),
    ).toEqual(['Contoso Pharmacy', 'Harbor Freight Logistics', 'Lakeshore Dental']);
    const accepted = await t.store.owner
      .selectFrom('activity_records as a')
      .innerJoin('partners as p', 'p.id', 'a.partner_id')
      .select(['a.actor_name'])
      .where('p.name', '=', 'Northwind Cloud')
      .where('a.action', '=', 'relationship.accept')
      .execute();
    expect(accepted.map((a) => a.actor_name)).toEqual([CONTOSO_ADMIN]);
  });

  it('lets Northwind Cloud request Contoso Azure from Demo Reseller, and nothing else of Contoso', async () => {
    const northwind = await partnerToken('admin@northwind-cloud.example');
    const [contoso] = await relationships();
    const r = await injectAs(
      t.app,
      northwind,
      'GET',
      `/v1/customers/${contoso!.customer_id}/transferseligibility`,
    );
    expect(r.statusCode, r.body).toBe(200);
    const items = (
      r.json() as {
        items: {
          friendlyName: string;
          offerId: string;
          partnerNameOnRecord: string;
          isEligible: boolean;
          reason: string | null;
        }[];
      }
    ).items;
    expect(
      items.map((i) => [i.friendlyName, i.offerId, i.partnerNameOnRecord, i.isEligible, i.reason]).sort(),
    ).toEqual([
      ['Contoso Azure', 'AZURE-PLAN', 'Demo Reseller', true, null],
      ['Pharmacy staff – Defender', 'DEFENDER-O365-P2-ADDON', 'Demo Reseller', false, 'notAzureUsage'],
      ['Pharmacy staff', 'M365-BUSINESS-PREMIUM', 'Demo Reseller', false, 'notAzureUsage'],
    ]);
  });

  it('is left as it is by a second seed, even once removed', async () => {
    const again = await seedDemo(seedDepsFor(t.store, t.config));
    expect(again.created).toEqual([]);
    expect(again.existing).toContain('reseller relationship of Northwind Cloud with Contoso Pharmacy');

    const [contoso] = await relationships();
    await t.store.owner
      .updateTable('customer_relationships')
      .set({ state: 'removed', removed_at: new Date() })
      .where('customer_id', '=', contoso!.customer_id)
      .where('partner_id', '=', (qb) =>
        qb.selectFrom('partners').select('id').where('name', '=', 'Northwind Cloud'),
      )
      .execute();
    const third = await seedDemo(seedDepsFor(t.store, t.config));
    expect(third.created).toEqual([]);
    expect((await relationships()).map((r) => [r.partner, r.state])).toEqual([
      ['Demo Reseller', 'active'],
      ['Northwind Cloud', 'removed'],
    ]);
  });

  it('names the customer admin in the start-up banner', () => {
    expect(demoBanner(t.config).join('\n')).toContain(
      `customer pages (an invitation, a transfer's consent): ${CONTOSO_ADMIN} (Global admin of Contoso Pharmacy), same password`,
    );
  });
});
