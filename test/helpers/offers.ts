// A small catalog for order and subscription tests, written straight into the store (owner connection, as the
// operator's import does): markets, and one offer of each kind with unique ids per call, so tests sharing a
// database never collide. Also: a confirmed customer agreement (and a customer with one), and placing an order
// through the API.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Insertable, Selectable } from 'kysely';
import type { App } from '../../src/app.ts';
import type { Store } from '../../src/db/database.ts';
import type { OffersTable, SubscriptionsTable } from '../../src/db/schema.ts';
import { foldForSearch } from '../../src/lib/text.ts';
import { insertCustomer } from './customers.ts';
import { bearer } from './factories.ts';

type NewOffer = Omit<Insertable<OffersTable>, 'search_key' | 'updated_at'> & {
  prices?: { currency: string; term: string; billing_cycle: string; unit_price: number }[];
};

export interface TestCatalog {
  /** Licence-based suite: P1M/P1Y, monthly/annual, 1–300 seats, US CA DE, every instance. */
  suite: string;
  /** Add-on of `suite`: P1M monthly, 1–300. */
  addOn: string;
  /** Another licence-based suite, not a parent of `addOn`. */
  other: string;
  /** Usage-based Azure, every country, no term. */
  azure: string;
  /** Usage-based Azure plan. */
  azurePlan: string;
  /** A reservation (cancellable), P1Y/P3Y, 1–100. */
  reservation: string;
  /** Perpetual software (cancellable), no term, one-time. */
  software: string;
  /** Sold in the US only. */
  usOnly: string;
  /** Sold in the usgov instance only. */
  usgovOnly: string;
  /** Retired from the catalog. */
  retired: string;
}

const MARKETS = [
  { country: 'US', currency: 'USD' },
  { country: 'CA', currency: 'CAD' },
  { country: 'DE', currency: 'EUR' },
  { country: 'GB', currency: 'GBP' },
];

function prices(terms: string[], cycles: string[], unitPrice: number) {
  const out: NonNullable<NewOffer['prices']> = [];
  for (const currency of ['USD', 'CAD', 'EUR'])
    for (const term of terms.length > 0 ? terms : ['none'])
      for (const billing_cycle of cycles) out.push({ currency, term, billing_cycle, unit_price: unitPrice });
  return out;
}

export async function insertOffer(store: Store, offer: NewOffer): Promise<string> {
  const { prices: offerPrices = [], ...row } = offer;
  await store.owner.transaction().execute(async (trx) => {
    await trx
      .insertInto('catalog_markets')
      .values(MARKETS)
      .onConflict((oc) => oc.column('country').doNothing())
      .execute();
    await trx
      .insertInto('offers')
      .values({
        ...row,
        search_key: foldForSearch(`${row.id} ${row.name}`),
        updated_at: new Date(),
      })
      .execute();
    if (offerPrices.length > 0)
      await trx
        .insertInto('offer_prices')
        .values(offerPrices.map((p) => ({ ...p, offer_id: row.id }) as never))
        .execute();
  });
  return row.id;
}

const EVERY_INSTANCE: OffersTable['instances'] = ['global', 'usgov', 'germany'];

export async function insertTestCatalog(store: Store): Promise<TestCatalog> {
  const u = randomBytes(3).toString('hex').toUpperCase();
  const licence = (id: string, name: string, over: Partial<NewOffer> = {}): NewOffer => ({
    id,
    name,
    description: '',
    product_kind: 'onlineService',
    billing_type: 'license',
    unit_type: 'Licenses',
    terms: ['P1M', 'P1Y'],
    billing_cycles: ['monthly', 'annual'],
    min_quantity: 1,
    max_quantity: 300,
    parent_offer_ids: [],
    countries: ['US', 'CA', 'DE'],
    instances: EVERY_INSTANCE,
    cancellable: false,
    prices: prices(['P1M', 'P1Y'], ['monthly', 'annual'], 3600),
    ...over,
  });
  const suite = await insertOffer(store, licence(`SUITE-${u}`, `Suite ${u}`));
  const addOn = await insertOffer(
    store,
    licence(`ADDON-${u}`, `Add-on ${u}`, {
      terms: ['P1M'],
      billing_cycles: ['monthly'],
      parent_offer_ids: [suite],
      prices: prices(['P1M'], ['monthly'], 800),
    }),
  );
  const other = await insertOffer(store, licence(`OTHER-${u}`, `Other suite ${u}`));
  const usage = (id: string, name: string, kind: 'azure' | 'azurePlan'): NewOffer => ({
    ...licence(id, name),
    product_kind: kind,
    billing_type: 'usage',
    unit_type: 'Usage',
    terms: [],
    billing_cycles: ['monthly'],
    min_quantity: 1,
    max_quantity: 1,
    countries: ['*'],
    prices: [],
  });
  const azure = await insertOffer(store, usage(`AZURE-${u}`, `Azure ${u}`, 'azure'));
  const azurePlan = await insertOffer(store, usage(`AZPLAN-${u}`, `Azure plan ${u}`, 'azurePlan'));
  const reservation = await insertOffer(
    store,
    licence(`RES-${u}`, `Reserved VM ${u}`, {
      product_kind: 'reservation',
      unit_type: 'Instances',
      terms: ['P1Y', 'P3Y'],
      billing_cycles: ['oneTime', 'monthly'],
      max_quantity: 100,
      cancellable: true,
      prices: prices(['P1Y', 'P3Y'], ['oneTime', 'monthly'], 120000),
    }),
  );
  const software = await insertOffer(
    store,
    licence(`SW-${u}`, `Software ${u}`, {
      product_kind: 'software',
      terms: [],
      billing_cycles: ['oneTime'],
      cancellable: true,
      prices: prices([], ['oneTime'], 25000),
    }),
  );
  const usOnly = await insertOffer(store, licence(`USONLY-${u}`, `US only ${u}`, { countries: ['US'] }));
  const usgovOnly = await insertOffer(
    store,
    licence(`USGOV-${u}`, `US government ${u}`, { instances: ['usgov'] }),
  );
  const retired = await insertOffer(store, licence(`RETIRED-${u}`, `Retired ${u}`, { is_available: false }));
  return { suite, addOn, other, azure, azurePlan, reservation, software, usOnly, usgovOnly, retired };
}

/** A customer agreement confirmed by the partner (written straight into the store). */
export async function confirmAgreement(store: Store, customerId: string, partnerId: string): Promise<void> {
  await store.owner
    .insertInto('customer_agreements')
    .values({
      customer_id: customerId,
      partner_id: partnerId,
      signer_first_name: 'Sam',
      signer_last_name: 'Signer',
      signer_email: 'sam@customer.example',
      signer_phone: null,
      date_agreed: '2026-11-01',
      confirmed_by: 'partner',
    })
    .execute();
}

/** A customer of `partnerId` (written straight into the store) with a confirmed agreement: ready to order. */
export async function insertReadyCustomer(
  store: Store,
  partnerId: string,
  opts: Parameters<typeof insertCustomer>[2] = {},
): Promise<Awaited<ReturnType<typeof insertCustomer>>> {
  const c = await insertCustomer(store, partnerId, opts);
  await confirmAgreement(store, c.id, partnerId);
  return c;
}

export type LineItem = Record<string, unknown> & { offerId: string };

export interface OrderResult {
  id: string;
  lineItems: { subscriptionId: string; offerId: string; parentSubscriptionId: string | null }[];
}

/** Places an order through the API; throws unless it is created. */
export async function placeOrder(
  app: App,
  token: string,
  customerId: string,
  lineItems: LineItem[],
): Promise<OrderResult> {
  const r = await app.inject({
    method: 'POST',
    url: `/v1/customers/${customerId}/orders`,
    headers: bearer(token),
    payload: { lineItems },
  });
  if (r.statusCode !== 201) throw new Error(`placeOrder: ${r.statusCode} ${r.body}`);
  return r.json();
}

/** One subscription of `offerId` (quantity given), answering its id. */
export async function subscribe(
  app: App,
  token: string,
  customerId: string,
  offerId: string,
  quantity = 5,
): Promise<string> {
  const order = await placeOrder(app, token, customerId, [{ offerId, quantity }]);
  return order.lineItems[0]!.subscriptionId;
}

/** What a test may set of an inserted subscription: when it starts, its currency, and column values. */
export interface SubscriptionFixture {
  /** Its order's and its creation and start (now when absent). */
  at?: Date;
  currency?: string;
  /** Column values over the defaults, from the offer and the new subscription's id. */
  columns?: (
    offer: Selectable<OffersTable>,
    subscriptionId: string,
  ) => Partial<Insertable<SubscriptionsTable>>;
}

/**
 * A one-line order and its active subscription written straight into the store (owner connection), for tests
 * that need one without the API (the matrices, billing history). The offer must exist.
 */
export async function insertSubscription(
  store: Store,
  partnerId: string,
  customerId: string,
  offerId: string,
  fixture: SubscriptionFixture = {},
): Promise<{ orderId: string; subscriptionId: string }> {
  const orderId = randomUUID();
  const subscriptionId = randomUUID();
  const now = fixture.at ?? new Date();
  const currency = fixture.currency ?? 'USD';
  await store.owner.transaction().execute(async (trx) => {
    const offer = await trx
      .selectFrom('offers')
      .selectAll()
      .where('id', '=', offerId)
      .executeTakeFirstOrThrow();
    const term = offer.terms[0] ?? null;
    const cycle = offer.billing_cycles[0]!;
    await trx
      .insertInto('orders')
      .values({
        id: orderId,
        partner_id: partnerId,
        customer_id: customerId,
        currency,
        created_by: 'fixture',
        created_at: now,
        line_items: JSON.stringify([
          {
            lineItemNumber: 0,
            offerId,
            subscriptionId,
            parentSubscriptionId: null,
            friendlyName: offer.name,
            quantity: 1,
            termDuration: term,
            billingCycle: cycle,
          },
        ]),
      })
      .execute();
    await trx
      .insertInto('subscriptions')
      .values({
        id: subscriptionId,
        partner_id: partnerId,
        customer_id: customerId,
        order_id: orderId,
        line_item_number: 0,
        offer_id: offerId,
        offer_name: offer.name,
        product_kind: offer.product_kind,
        billing_type: offer.billing_type,
        unit_type: offer.unit_type,
        friendly_name: offer.name,
        quantity: 1,
        term,
        billing_cycle: cycle,
        auto_renew: term !== null,
        currency,
        unit_price: offer.billing_type === 'usage' ? null : 100,
        parent_subscription_id: null,
        azure_subscription_id: null,
        creation_date: now,
        effective_start_date: now,
        commitment_end_date: null,
        updated_at: now,
        ...fixture.columns?.(offer, subscriptionId),
      })
      .execute();
  });
  return { orderId, subscriptionId };
}

/** Offers with fixed ids, for tables whose bodies cannot name per-test ids (the matrices); made once. */
export const MATRIX_OFFERS = {
  suite: 'MATRIX-SUITE',
  reservation: 'MATRIX-RESERVATION',
  azurePlan: 'MATRIX-AZURE-PLAN',
} as const;

export async function ensureMatrixOffers(store: Store): Promise<void> {
  // The last one made: all are there.
  const exists = await store.owner
    .selectFrom('offers')
    .select('id')
    .where('id', '=', MATRIX_OFFERS.azurePlan)
    .executeTakeFirst();
  if (exists) return;
  const base: NewOffer = {
    id: MATRIX_OFFERS.suite,
    name: 'Matrix suite',
    description: '',
    product_kind: 'onlineService',
    billing_type: 'license',
    unit_type: 'Licenses',
    terms: ['P1M'],
    billing_cycles: ['monthly'],
    min_quantity: 1,
    max_quantity: 100,
    parent_offer_ids: [],
    countries: ['*'],
    instances: EVERY_INSTANCE,
    cancellable: false,
    prices: prices(['P1M'], ['monthly'], 1000),
  };
  await insertOffer(store, base);
  await insertOffer(store, {
    ...base,
    id: MATRIX_OFFERS.reservation,
    name: 'Matrix reservation',
    product_kind: 'reservation',
    terms: ['P1Y'],
    billing_cycles: ['oneTime'],
    cancellable: true,
    prices: prices(['P1Y'], ['oneTime'], 50000),
  });
  await insertOffer(store, {
    ...base,
    id: MATRIX_OFFERS.azurePlan,
    name: 'Matrix Azure plan',
    product_kind: 'azurePlan',
    billing_type: 'usage',
    unit_type: 'Usage',
    terms: [],
    billing_cycles: ['monthly'],
    prices: [],
  });
}
