// The demo's billing history: seeded on a controlled clock, Demo Reseller has an invoice for each of the last
// twelve months (last month's with licence and usage lines), a seat increase in mid-October and a suspension
// in November show as prorated lines, Contoso's budget is past its 80% alert this month, and a second seed
// adds nothing. The usage generator gives the same numbers every time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo, seedDepsFor } from '../src/demo/seed.ts';
import { generateUsage } from '../src/demo/usage.generator.ts';
import { testClock } from './helpers/app.ts';
import { createTestStore } from './helpers/db.ts';

// Ahead of the real date: the seed's writes stamped by the database's own clock then come before its own.
const clock = testClock(new Date('2030-03-04T12:00:00Z'));
let t: Awaited<ReturnType<typeof createTestStore>>;
let created: string[];

beforeAll(async () => {
  t = await createTestStore();
  created = (await seedDemo(seedDepsFor(t.store, t.config, clock))).created;
});
afterAll(() => t?.close());

const partnerId = async (name: string) =>
  (await t.store.owner.selectFrom('partners').select('id').where('name', '=', name).executeTakeFirstOrThrow())
    .id;

async function invoices(partner: string) {
  return t.store.owner
    .selectFrom('invoices')
    .selectAll()
    .where('partner_id', '=', await partnerId(partner))
    .orderBy('billing_period_start')
    .orderBy('currency')
    .execute();
}

async function linesOf(partner: string, period: string, subscriptionName: string) {
  return t.store.owner
    .selectFrom('invoice_line_items as l')
    .innerJoin('invoices as i', 'i.id', 'l.invoice_id')
    .select(['l.charge_type', 'l.quantity', 'l.days', 'l.charge_start_date', 'l.charge_end_date', 'l.amount'])
    .where('i.partner_id', '=', await partnerId(partner))
    .where('i.billing_period_start', '=', period)
    .where('l.subscription_name', '=', subscriptionName)
    .orderBy('l.line_number')
    .execute();
}

describe('the demo billing history', () => {
  it('invoices each of the last twelve months, dated the night after each', async () => {
    expect(
      created.some((c) => /^billing history of Demo Reseller since 2029-01: \d+ usage records/.test(c)),
    ).toBe(true);
    const all = await invoices('Demo Reseller');
    const months = new Set(all.map((i) => i.billing_period_start));
    for (let m = 0; m < 12; m++) {
      const d = new Date(Date.UTC(2029, 2 + m, 1)).toISOString().slice(0, 10);
      expect(months.has(d), d).toBe(true);
    }
    expect(months.has('2030-03-01')).toBe(false);
    const february = all.filter((i) => i.billing_period_start === '2030-02-01');
    expect(february.map((i) => [i.currency, i.invoice_type])).toEqual(
      expect.arrayContaining([
        ['EUR', 'recurring'],
        ['USD', 'recurring'],
      ]),
    );
    expect(february[0]!.invoice_date.toISOString()).toBe('2030-03-01T02:00:00.000Z');
    const usd = february.find((i) => i.currency === 'USD' && i.invoice_type === 'recurring')!;
    const providers = await t.store.owner
      .selectFrom('invoice_line_items')
      .select('provider')
      .distinct()
      .where('invoice_id', '=', usd.id)
      .execute();
    expect(providers.map((p) => p.provider).sort()).toEqual(['azure', 'office']);
    // Northwind Cloud's customer started in August: its months since are invoiced too.
    expect((await invoices('Northwind Cloud')).length).toBeGreaterThanOrEqual(6);
  });

  it('shows the mid-month seat increase and the suspension and reactivation as prorated lines', async () => {
    // Twenty seats until 15 October, twenty-five from then.
    expect(await linesOf('Demo Reseller', '2029-10-01', 'Pharmacy staff')).toEqual([
      expect.objectContaining({ quantity: '20.000000', days: 14, charge_end_date: '2029-10-14' }),
      expect.objectContaining({ quantity: '25.000000', days: 17, charge_start_date: '2029-10-15' }),
    ]);
    // Suspended on 10 November, reactivated on 2 December.
    const basic = 'Microsoft 365 Business Basic';
    expect(await linesOf('Demo Reseller', '2029-11-01', basic)).toEqual([
      expect.objectContaining({ charge_type: 'prorateCharge', days: 9, charge_end_date: '2029-11-09' }),
    ]);
    expect(await linesOf('Demo Reseller', '2029-12-01', basic)).toEqual([
      expect.objectContaining({ charge_type: 'prorateCharge', days: 30, charge_start_date: '2029-12-02' }),
    ]);
    expect(await linesOf('Demo Reseller', '2030-01-01', basic)).toEqual([
      expect.objectContaining({ charge_type: 'cycleCharge', days: 31 }),
    ]);
  });

  it('records daily usage up to today and sets Contoso a budget already past its 80% alert', async () => {
    const contoso = await t.store.owner
      .selectFrom('customers')
      .select('id')
      .where('billing_company_name', '=', 'Contoso Pharmacy')
      .executeTakeFirstOrThrow();
    const days = await t.store.owner
      .selectFrom('usage_records')
      .select((eb) => [eb.fn.min('usage_date').as('first'), eb.fn.max('usage_date').as('last')])
      .where('customer_id', '=', contoso.id)
      .executeTakeFirstOrThrow();
    expect(days).toEqual({ first: '2029-02-05', last: '2030-03-04' });
    const alert = await t.store.owner
      .selectFrom('budget_alerts')
      .selectAll()
      .where('customer_id', '=', contoso.id)
      .executeTakeFirstOrThrow();
    expect(alert).toMatchObject({ period_start: '2030-03-01', threshold_percent: 80, currency: 'USD' });
    expect(alert.spend * 100).toBeGreaterThanOrEqual(alert.budget * 80);
    const raised = await t.store.owner
      .selectFrom('activity_records')
      .select('customer_name')
      .where('action', '=', 'budget.thresholdReached')
      .execute();
    expect(raised).toEqual([{ customer_name: 'Contoso Pharmacy' }]);
  });

  it('adds nothing when seeded again', async () => {
    const counts = async () =>
      Promise.all(
        (['invoices', 'usage_records', 'customer_budgets', 'subscription_states'] as const).map(
          async (table) =>
            Number(
              (
                await t.store.owner
                  .selectFrom(table)
                  .select((eb) => eb.fn.countAll<string>().as('n'))
                  .executeTakeFirstOrThrow()
              ).n,
            ),
        ),
      );
    const before = await counts();
    const again = await seedDemo(seedDepsFor(t.store, t.config, clock));
    expect(again.created).toEqual([]);
    expect(await counts()).toEqual(before);
  });
});

describe('the usage generator', () => {
  const sub = {
    id: '00000000-0000-4000-8000-000000000001',
    seed: 'Contoso Pharmacy|Contoso Azure',
    meterIds: ['VM-D2S-V5', 'STORAGE-HOT-LRS', 'BANDWIDTH-OUT'],
    from: '2026-01-30',
    to: '2026-02-02',
  };

  it('gives the same records every time, one per day and meter, and others for another seed', () => {
    const a = generateUsage(sub);
    expect(a).toHaveLength(12);
    expect(generateUsage(sub)).toEqual(a);
    expect(a[0]).toMatchObject({
      clientRecordId: `demo:${sub.id}:VM-D2S-V5:2026-01-30`,
      usageDate: '2026-01-30',
      meterId: 'VM-D2S-V5',
    });
    for (const r of a) expect(r.quantity).toMatch(/^\d+(\.\d{1,6})?$/);
    // A Saturday runs three machines around the clock: 72 hours.
    expect(a.find((r) => r.usageDate === '2026-01-31' && r.meterId === 'VM-D2S-V5')?.quantity).toBe('72');
    const b = generateUsage({ ...sub, seed: 'Another customer|Azure' });
    expect(b.map((r) => r.quantity)).not.toEqual(a.map((r) => r.quantity));
  });
});
