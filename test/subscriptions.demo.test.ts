// The demo's subscriptions: ordered with the demo customers that confirmed the customer agreement (an add-on on
// its base, an Azure plan with its Azure subscription id, a reservation, software, a suspended one with its
// deletion date, euros in Germany), and a second seed adds none.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo, seedDepsFor } from '../src/demo/seed.ts';
import { createTestStore } from './helpers/db.ts';

let t: Awaited<ReturnType<typeof createTestStore>>;

beforeAll(async () => {
  t = await createTestStore();
});
afterAll(() => t.close());

async function subscriptions() {
  return t.store.owner
    .selectFrom('subscriptions as s')
    .innerJoin('customers as c', 'c.id', 's.customer_id')
    .innerJoin('partners as p', 'p.id', 's.partner_id')
    .select([
      'c.billing_company_name as customer',
      'p.name as partner',
      's.offer_id',
      's.friendly_name',
      's.quantity',
      's.status',
      's.currency',
      's.suspension_reasons',
      's.suspended_at',
      's.deletion_due_at',
      's.parent_subscription_id',
      's.azure_subscription_id',
      's.id',
    ])
    .orderBy('c.billing_company_name')
    .orderBy('s.line_item_number')
    .execute();
}

describe('demo subscriptions', () => {
  it('are seeded with their customers, once', async () => {
    const first = await seedDemo(seedDepsFor(t.store, t.config));
    expect(first.created).toContain(
      'customer Alpine Ski House (alpineskihouse.onpartnerdesk.com) of Demo Reseller with 4 subscriptions',
    );
    const rows = await subscriptions();
    expect(rows.map((r) => [r.customer, r.partner, r.offer_id, r.quantity, r.status, r.currency])).toEqual([
      ['Alpine Ski House', 'Demo Reseller', 'M365-E3', 40, 'active', 'USD'],
      ['Alpine Ski House', 'Demo Reseller', 'TEAMS-AUDIO-CONFERENCING', 10, 'active', 'USD'],
      ['Alpine Ski House', 'Demo Reseller', 'RI-VM-D2SV5', 2, 'active', 'USD'],
      ['Alpine Ski House', 'Demo Reseller', 'EXCHANGE-ONLINE-P1', 15, 'suspended', 'USD'],
      ['Brauerei Müller GmbH', 'Demo Reseller', 'M365-BUSINESS-STANDARD', 18, 'active', 'EUR'],
      ['Contoso Pharmacy', 'Demo Reseller', 'M365-BUSINESS-PREMIUM', 25, 'active', 'USD'],
      ['Contoso Pharmacy', 'Demo Reseller', 'DEFENDER-O365-P2-ADDON', 25, 'active', 'USD'],
      ['Contoso Pharmacy', 'Demo Reseller', 'AZURE-PLAN', 1, 'active', 'USD'],
      ['Lakeshore Dental', 'Northwind Cloud', 'M365-BUSINESS-STANDARD', 9, 'active', 'USD'],
      ['Lakeshore Dental', 'Northwind Cloud', 'AZURE-USAGE', 1, 'active', 'USD'],
      ['Wingtip Travel', 'Demo Reseller', 'M365-BUSINESS-BASIC', 12, 'active', 'USD'],
      ['Wingtip Travel', 'Demo Reseller', 'WINSRV-2025-STD-16C', 2, 'active', 'USD'],
    ]);
    const by = (offer: string) => rows.find((r) => r.offer_id === offer)!;
    expect(by('TEAMS-AUDIO-CONFERENCING').parent_subscription_id).toBe(by('M365-E3').id);
    expect(by('DEFENDER-O365-P2-ADDON').parent_subscription_id).toBe(by('M365-BUSINESS-PREMIUM').id);
    expect(by('AZURE-PLAN').azure_subscription_id).toMatch(/^[0-9a-f-]{36}$/);
    const suspended = by('EXCHANGE-ONLINE-P1');
    expect(suspended.suspension_reasons).toEqual(['customerRequest']);
    expect(suspended.deletion_due_at!.getTime() - suspended.suspended_at!.getTime()).toBe(90 * 86_400_000);

    const second = await seedDemo(seedDepsFor(t.store, t.config));
    expect(second.created).toEqual([]);
    expect(await subscriptions()).toEqual(rows);
  });

  it('give some customers a directory of users holding licences, one of them deleted', async () => {
    const users = await t.store.owner
      .selectFrom('customer_users as u')
      .innerJoin('customers as c', 'c.id', 'u.customer_id')
      .leftJoin('license_assignments as l', 'l.user_id', 'u.id')
      .leftJoin('subscriptions as s', 's.id', 'l.subscription_id')
      .select([
        'c.billing_company_name as customer',
        'u.user_name',
        'u.state',
        'u.usage_location',
        'u.roles',
        's.offer_id',
        'l.state as license_state',
      ])
      .where('c.billing_company_name', '=', 'Contoso Pharmacy')
      .orderBy('u.user_name')
      .orderBy('s.offer_id')
      .execute();
    const at = (name: string) => users.filter((u) => u.user_name.startsWith(`${name}@`));
    expect(new Set(users.map((u) => u.user_name.split('@')[0]))).toEqual(
      new Set([
        'admin',
        'avery.chen',
        'priya.raman',
        'marcus.bell',
        'lena.ortiz',
        'tomas.silva',
        'grace.kim',
        'oliver.grant',
      ]),
    );
    expect(at('avery.chen').map((u) => [u.offer_id, u.license_state])).toEqual([
      ['DEFENDER-O365-P2-ADDON', 'active'],
      ['M365-BUSINESS-PREMIUM', 'active'],
    ]);
    expect(at('avery.chen')[0]).toMatchObject({
      usage_location: 'US',
      roles: ['billingAdmin'],
      state: 'active',
    });
    expect(at('grace.kim').map((u) => u.offer_id)).toEqual([null]);
    // Deleted: its seat is free again, and it comes back if restored while one remains.
    expect(at('oliver.grant').map((u) => [u.state, u.license_state])).toEqual([['inactive', 'released']]);
  });
});
