// Billing tests' world: a catalog whose prices and meter prices the worked examples compute their amounts from
// (written straight into the store, as the operator's import does), a Japanese market (a currency without
// decimals), and the API's calls the examples drive: orders, subscription changes, usage, invoices.
import { randomBytes } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { expect } from 'vitest';
import type { App } from '../../src/app.ts';
import type { Store } from '../../src/db/database.ts';
import { closeDuePeriods } from '../../src/modules/billing/invoices.close.ts';
import { injectAs } from './app.ts';
import { insertOffer } from './offers.ts';
import type { UsageItem } from './usage.ts';

/**
 * Offers with the prices the examples use (minor units per billing cycle; meter prices in minor units per unit):
 * - `seats`: per seat; P1M monthly USD 1000; P1Y monthly USD 1100; P1Y annual USD 12000.
 * - `odd`: per seat; P1M monthly USD 1001 and JPY 1001 (amounts with a half to round).
 * - `software`: one-time, USD 25000.
 * - `azure`: usage-based (Azure plan), meters:
 *     `compute` (Hours): USD 40 from 2027-01-01, 45.5 from 2027-07-15;
 *     `storage` (GB-month): USD 0.5 and JPY 2.5 from 2027-01-01;
 *     `egress` (GB): USD 0.125 and JPY 0.3 from 2027-01-01.
 */
export interface BillingCatalog {
  seats: string;
  odd: string;
  software: string;
  azure: string;
}

const EVERYWHERE = ['global', 'usgov', 'germany'] as ('global' | 'usgov' | 'germany')[];

export async function insertBillingCatalog(store: Store): Promise<BillingCatalog> {
  const u = randomBytes(3).toString('hex').toUpperCase();
  await store.owner
    .insertInto('catalog_markets')
    .values([
      { country: 'US', currency: 'USD' },
      { country: 'JP', currency: 'JPY' },
    ])
    .onConflict((oc) => oc.column('country').doNothing())
    .execute();
  const licence = {
    description: '',
    product_kind: 'onlineService' as const,
    billing_type: 'license' as 'license' | 'usage',
    unit_type: 'Licenses',
    min_quantity: 1,
    max_quantity: 300,
    parent_offer_ids: [] as string[],
    countries: ['*'],
    instances: EVERYWHERE,
    cancellable: false,
  };
  const seats = await insertOffer(store, {
    ...licence,
    id: `BSEATS-${u}`,
    name: `Seats ${u}`,
    terms: ['P1M', 'P1Y'],
    billing_cycles: ['monthly', 'annual'],
    prices: [
      { currency: 'USD', term: 'P1M', billing_cycle: 'monthly', unit_price: 1000 },
      { currency: 'USD', term: 'P1Y', billing_cycle: 'monthly', unit_price: 1100 },
      { currency: 'USD', term: 'P1Y', billing_cycle: 'annual', unit_price: 12000 },
    ],
  });
  const odd = await insertOffer(store, {
    ...licence,
    id: `BODD-${u}`,
    name: `Odd seats ${u}`,
    terms: ['P1M'],
    billing_cycles: ['monthly'],
    prices: [
      { currency: 'USD', term: 'P1M', billing_cycle: 'monthly', unit_price: 1001 },
      { currency: 'JPY', term: 'P1M', billing_cycle: 'monthly', unit_price: 1001 },
    ],
  });
  const software = await insertOffer(store, {
    ...licence,
    id: `BSW-${u}`,
    name: `Software ${u}`,
    product_kind: 'software',
    terms: [],
    billing_cycles: ['oneTime'],
    cancellable: true,
    prices: [{ currency: 'USD', term: 'none', billing_cycle: 'oneTime', unit_price: 25000 }],
  });
  const azure = await insertOffer(store, {
    ...licence,
    id: `BAZURE-${u}`,
    name: `Azure plan ${u}`,
    product_kind: 'azurePlan',
    billing_type: 'usage',
    unit_type: 'Usage',
    terms: [],
    billing_cycles: ['monthly'],
    max_quantity: 1,
    prices: [],
  });
  await store.owner
    .insertInto('offer_meters')
    .values([
      {
        offer_id: azure,
        meter_id: 'compute',
        name: 'Virtual machine hours',
        category: 'Compute',
        unit: 'Hours',
      },
      { offer_id: azure, meter_id: 'storage', name: 'Storage', category: 'Storage', unit: 'GB-month' },
      { offer_id: azure, meter_id: 'egress', name: 'Bandwidth out', category: 'Networking', unit: 'GB' },
    ])
    .execute();
  const price = (meter_id: string, currency: string, effective_from: string, unit_price: string) => ({
    offer_id: azure,
    meter_id,
    currency,
    effective_from,
    unit_price,
  });
  await store.owner
    .insertInto('meter_prices')
    .values([
      price('compute', 'USD', '2027-01-01', '40'),
      price('compute', 'USD', '2027-07-15', '45.5'),
      price('storage', 'USD', '2027-01-01', '0.5'),
      price('storage', 'JPY', '2027-01-01', '2.5'),
      price('egress', 'USD', '2027-01-01', '0.125'),
      price('egress', 'JPY', '2027-01-01', '0.3'),
    ])
    .execute();
  return { seats, odd, software, azure };
}

/** One usage record per (day, quantity), each with its own client record id. */
export function usageItems(
  subscriptionId: string,
  meterId: string,
  records: readonly [usageDate: string, quantity: number | string][],
): UsageItem[] {
  return records.map(([usageDate, quantity]) => ({
    clientRecordId: `u-${randomBytes(6).toString('hex')}`,
    subscriptionId,
    meterId,
    usageDate,
    quantity,
  }));
}

export interface LineItem {
  invoiceNumber: string;
  lineNumber: number;
  provider: string;
  invoiceLineItemType: string;
  chargeType: string;
  customerId: string;
  customerName: string;
  subscriptionId: string;
  subscriptionName: string;
  offerId: string;
  meterId: string | null;
  quantity: string;
  unitPrice: string;
  days: number | null;
  chargeStartDate: string;
  chargeEndDate: string;
  amount: number;
  currencyCode: string;
  billingPeriodStartDate: string;
  billingPeriodEndDate: string;
}

export interface Invoice {
  id: string;
  documentType: string;
  invoiceType: string;
  invoiceDate: string;
  billingPeriodStartDate: string;
  billingPeriodEndDate: string;
  totalCharges: number;
  currencyCode: string;
  currencyDecimals: number;
  amendsOf: string | null;
  reason: string | null;
  lineCount: number;
  invoiceDetails: {
    invoiceLineItemType: string;
    billingProvider: string;
    lineCount: number;
    totalCharges: number;
  }[];
  amendments: { id: string; invoiceDate: string; totalCharges: number }[];
}

/** 'YYYY-MM-DD' of a date the API may write as a date or a date-time. */
export const day = (value: string) => value.slice(0, 10);

/** The API's billing calls as one partner user. */
export function billingApi(app: App, token: () => string) {
  const call = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) =>
    injectAs(app, token(), method, url, payload === undefined ? {} : { payload });
  return {
    call,
    /** Places a one-line order; answers its subscription id. */
    async subscribe(
      customerId: string,
      offerId: string,
      line: { quantity?: number; termDuration?: string; billingCycle?: string } = {},
    ): Promise<string> {
      const r = await call('POST', `/v1/customers/${customerId}/orders`, {
        lineItems: [{ offerId, ...line }],
      });
      expect(r.statusCode, r.body).toBe(201);
      return r.json().lineItems[0].subscriptionId as string;
    },
    async patch(customerId: string, subscriptionId: string, body: object): Promise<void> {
      const r = await call('PATCH', `/v1/customers/${customerId}/subscriptions/${subscriptionId}`, body);
      expect(r.statusCode, r.body).toBe(200);
    },
    postUsage: (items: readonly UsageItem[]) => call('POST', '/v1/usage-records', { items }),
    /** Posts usage that must all be accepted. */
    async recordUsage(items: readonly UsageItem[]) {
      const r = await call('POST', '/v1/usage-records', { items });
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json()).toMatchObject({ accepted: items.length, duplicates: 0 });
      return r.json() as {
        accepted: number;
        duplicates: number;
        items: { clientRecordId: string; id: string; status: string; unitPrice: string; amount: string }[];
      };
    },
    /** The partner's documents of a month (`2027-11`), every page. */
    async invoices(period: string, query = ''): Promise<Invoice[]> {
      const r = await call('GET', `/v1/invoices?period=${period}&size=100${query}`);
      expect(r.statusCode, r.body).toBe(200);
      return r.json().items as Invoice[];
    },
    async invoice(id: string): Promise<Invoice> {
      const r = await call('GET', `/v1/invoices/${id}`);
      expect(r.statusCode, r.body).toBe(200);
      return r.json() as Invoice;
    },
    /** Every line of a document, following links.next. */
    async lines(id: string, query = ''): Promise<LineItem[]> {
      const out: LineItem[] = [];
      let url: string | undefined = `/v1/invoices/${id}/lineitems?size=2000${query}`;
      while (url) {
        const r = await call('GET', url);
        expect(r.statusCode, r.body).toBe(200);
        out.push(...(r.json().items as LineItem[]));
        const next = r.json().links?.next as { uri: string } | string | undefined | null;
        url = typeof next === 'string' ? next : next?.uri;
      }
      return out;
    },
    /** The reconciliation CSV as header and records. */
    async reconciliation(id: string): Promise<{ header: string[]; rows: Record<string, string>[] }> {
      const r = await call('GET', `/v1/invoices/${id}/documents/reconciliation`);
      expect(r.statusCode, r.body).toBe(200);
      expect(r.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/i);
      expect(String(r.headers['content-disposition'])).toContain(`${id}-reconciliation.csv`);
      const records = parse(r.body.replace(/^\uFEFF/, ''), { relaxColumnCount: false }) as string[][];
      const [header, ...body] = records;
      return {
        header: header!,
        rows: body.map((cells) => Object.fromEntries(header!.map((h, i) => [h, cells[i]!]))),
      };
    },
  };
}

/** Runs the invoice job for one partner at `now` (the other partners of the shared database stay as they are). */
export const closeFor = (store: Store, partnerId: string, now: Date) =>
  closeDuePeriods(store.owner, now, { partnerId });

/** The sum of `amount` over lines. */
export const sumOf = (lines: readonly { amount: number }[]) => lines.reduce((s, l) => s + l.amount, 0);

/** What a test compares of a line: its charge, not its labels. */
export function charge(l: LineItem) {
  return {
    subscriptionId: l.subscriptionId,
    chargeType: l.chargeType,
    quantity: Number(l.quantity),
    unitPrice: Number(l.unitPrice),
    days: l.days,
    chargeStartDate: day(l.chargeStartDate),
    chargeEndDate: day(l.chargeEndDate),
    amount: l.amount,
  };
}
