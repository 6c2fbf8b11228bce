// Usage fixtures: meters with dated prices on the test catalog's Azure offers, usage-based (and licence-based)
// subscriptions in a given currency from a given start, customers in a given country, state changes at a given
// instant — all written straight into the store (owner connection), and the usage API's calls.
import { randomUUID } from 'node:crypto';
import type { App } from '../../src/app.ts';
import type { Store } from '../../src/db/database.ts';
import { injectAs } from './app.ts';
import { insertCustomer } from './customers.ts';
import { insertSubscription } from './offers.ts';

/**
 * The meters put on an offer: VM hours at 9.6 US cents (10.1 from 2026-10-01), 14.4 yen (15.15 from
 * 2026-10-01) and 8.832 euro cents; storage GB-months at 2.08 cents, 3.12 yen, 1.9136 euro cents; all from
 * 2026-01-01.
 */
export const METER_PRICES = [
  { meter_id: 'VM', currency: 'USD', effective_from: '2026-01-01', unit_price: '9.6' },
  { meter_id: 'VM', currency: 'USD', effective_from: '2026-10-01', unit_price: '10.1' },
  { meter_id: 'VM', currency: 'JPY', effective_from: '2026-01-01', unit_price: '14.4' },
  { meter_id: 'VM', currency: 'JPY', effective_from: '2026-10-01', unit_price: '15.15' },
  { meter_id: 'VM', currency: 'EUR', effective_from: '2026-01-01', unit_price: '8.832' },
  { meter_id: 'STORAGE', currency: 'USD', effective_from: '2026-01-01', unit_price: '2.08' },
  { meter_id: 'STORAGE', currency: 'JPY', effective_from: '2026-01-01', unit_price: '3.12' },
  { meter_id: 'STORAGE', currency: 'EUR', effective_from: '2026-01-01', unit_price: '1.9136' },
];

export async function addMeters(store: Store, offerId: string): Promise<void> {
  await store.owner.transaction().execute(async (trx) => {
    await trx
      .insertInto('catalog_markets')
      .values({ country: 'JP', currency: 'JPY' })
      .onConflict((oc) => oc.column('country').doNothing())
      .execute();
    await trx
      .insertInto('offer_meters')
      .values([
        {
          offer_id: offerId,
          meter_id: 'VM',
          name: 'D2s v5 hours',
          category: 'Virtual Machines',
          unit: '1 Hour',
        },
        { offer_id: offerId, meter_id: 'STORAGE', name: 'Hot LRS', category: 'Storage', unit: '1 GB/Month' },
      ])
      .execute();
    await trx
      .insertInto('meter_prices')
      .values(METER_PRICES.map((p) => ({ ...p, offer_id: offerId })))
      .execute();
  });
}

/** A customer of `partnerId` billed in `country` (its market's currency). */
export async function insertCustomerIn(store: Store, partnerId: string, country = 'US', name?: string) {
  const c = await insertCustomer(store, partnerId, name ? { name } : {});
  if (country !== 'US')
    await store.owner
      .updateTable('customers')
      .set({
        default_address: JSON.stringify({
          country,
          city: 'Tokyo',
          addressLine1: '1-1 Marunouchi',
          postalCode: '100-0005',
          firstName: 'Pat',
          lastName: 'Primary',
        }),
      })
      .where('id', '=', c.id)
      .execute();
  return c;
}

/** One active subscription of `offerId`, effective from `start`, in `currency` (its state history begins then). */
export async function insertSubscriptionAt(
  store: Store,
  partnerId: string,
  customerId: string,
  offerId: string,
  start: Date,
  currency = 'USD',
): Promise<string> {
  const { subscriptionId } = await insertSubscription(store, partnerId, customerId, offerId, {
    at: start,
    currency,
    columns: (offer, id) => ({
      friendly_name: `${offer.name} ${id.slice(0, 4)}`,
      auto_renew: false,
      unit_price: offer.billing_type === 'usage' ? null : 3600,
      azure_subscription_id: offer.billing_type === 'usage' ? randomUUID() : null,
    }),
  });
  return subscriptionId;
}

/** Changes a subscription's status at `at` (the state history records it from then on). */
export async function setStatusAt(
  store: Store,
  subscriptionId: string,
  status: 'active' | 'suspended',
  at: Date,
): Promise<void> {
  await store.owner
    .updateTable('subscriptions')
    .set({
      status,
      updated_at: at,
      suspended_at: status === 'suspended' ? at : null,
      deletion_due_at: status === 'suspended' ? new Date(at.getTime() + 90 * 86_400_000) : null,
    })
    .where('id', '=', subscriptionId)
    .execute();
}

export interface UsageItem {
  clientRecordId: string;
  subscriptionId: string;
  meterId: string;
  usageDate: string;
  quantity: number | string;
  customerId?: string;
}

export const recordUsage = (app: App, token: string, items: UsageItem[], headers?: Record<string, string>) =>
  injectAs(app, token, 'POST', '/v1/usage-records', { payload: { items }, headers });

let n = 0;
/** A client record id no other test uses. */
export const recordId = (label = 'r') => `${label}-${Date.now().toString(36)}-${(n++).toString(36)}`;
