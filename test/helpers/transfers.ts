// Transfers between partners for tests: subscriptions and requests written straight into the store (owner
// connection) where the test is not about making them, the API's calls where it is, and the invariant every
// run must keep: an Azure subscription has exactly one partner of record.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { expect } from 'vitest';
import type { App } from '../../src/app.ts';
import type { Store } from '../../src/db/database.ts';
import type { Clock } from '../../src/lib/clock.ts';
import { createTransferWorker } from '../../src/modules/transfers/transfers.worker.ts';
import type { TestApp } from './app.ts';
import { createTestApp, injectAs } from './app.ts';
import { insertCustomer } from './customers.ts';
import type { TestUser } from './factories.ts';
import { createPartnerWithAdmin } from './factories.ts';
import type { TestCatalog } from './offers.ts';
import { confirmAgreement, insertTestCatalog } from './offers.ts';
import { insertCustomerUser, insertRelationship, issueCustomerToken } from './relationships.ts';

export const DAY = 86_400_000;

export interface TestSubscription {
  id: string;
  /** Null unless the offer is Azure (azure or azurePlan). */
  azureId: string | null;
}

/**
 * `n` active subscriptions of `offerId` in one order of `partnerId` for `customerId`, each with its own Azure
 * subscription id when the offer is Azure: what ordering makes, in one statement however many.
 */
export async function insertSubscriptions(
  store: Store,
  partnerId: string,
  customerId: string,
  offerId: string,
  n = 1,
  over: { status?: 'active' | 'suspended'; now?: Date } = {},
): Promise<TestSubscription[]> {
  const now = over.now ?? new Date();
  const orderId = randomUUID();
  return store.owner.transaction().execute(async (trx) => {
    const offer = await trx
      .selectFrom('offers')
      .selectAll()
      .where('id', '=', offerId)
      .executeTakeFirstOrThrow();
    const azure = offer.product_kind === 'azure' || offer.product_kind === 'azurePlan';
    const term = offer.terms[0] ?? null;
    const cycle = offer.billing_cycles[0]!;
    const subs = Array.from({ length: n }, () => ({
      id: randomUUID(),
      azureId: azure ? randomUUID() : null,
    }));
    await trx
      .insertInto('orders')
      .values({
        id: orderId,
        partner_id: partnerId,
        customer_id: customerId,
        currency: 'USD',
        created_by: 'fixture',
        created_at: now,
        line_items: JSON.stringify(
          subs.map((s, i) => ({
            lineItemNumber: i,
            offerId,
            subscriptionId: s.id,
            parentSubscriptionId: null,
            friendlyName: offer.name,
            quantity: 1,
            termDuration: term,
            billingCycle: cycle,
          })),
        ),
      })
      .execute();
    const suspended = over.status === 'suspended';
    await trx
      .insertInto('subscriptions')
      .values(
        subs.map((s, i) => ({
          id: s.id,
          partner_id: partnerId,
          customer_id: customerId,
          order_id: orderId,
          line_item_number: i,
          offer_id: offerId,
          offer_name: offer.name,
          product_kind: offer.product_kind,
          billing_type: offer.billing_type,
          unit_type: offer.unit_type,
          friendly_name: `${offer.name} ${i + 1}`,
          quantity: 1,
          term,
          billing_cycle: cycle,
          auto_renew: term !== null,
          currency: 'USD',
          unit_price: offer.billing_type === 'usage' ? null : 100,
          parent_subscription_id: null,
          azure_subscription_id: s.azureId,
          creation_date: now,
          effective_start_date: now,
          commitment_end_date: null,
          status: suspended ? 'suspended' : 'active',
          suspended_at: suspended ? now : null,
          deletion_due_at: suspended ? new Date(now.getTime() + 90 * DAY) : null,
          updated_at: now,
        })),
      )
      .execute();
    return subs;
  });
}

/** Suspends a subscription behind everyone's back (the owner connection), as a billing hold would. */
export async function suspendDirectly(store: Store, subscriptionId: string): Promise<void> {
  const now = new Date();
  await store.owner
    .updateTable('subscriptions')
    .set({
      status: 'suspended',
      suspended_at: now,
      deletion_due_at: new Date(now.getTime() + 90 * DAY),
      updated_at: now,
    })
    .where('id', '=', subscriptionId)
    .execute();
}

/** Ends a partner's reseller relationship with a customer, as a removal does. */
export async function endRelationship(store: Store, partnerId: string, customerId: string): Promise<void> {
  await store.owner
    .updateTable('customer_relationships')
    .set({ state: 'removed', removed_at: new Date(), delegated_admin: false })
    .where('partner_id', '=', partnerId)
    .where('customer_id', '=', customerId)
    .execute();
}

/**
 * A request written straight into the store (owner connection), as creating one through the API leaves it:
 * pending, its lines pending, a `created` event; with `consent` the customer has consented.
 */
export async function insertTransfer(
  store: Store,
  opts: {
    customerId: string;
    sourcePartnerId: string;
    targetPartnerId: string;
    subscriptionIds: string[];
    consent?: boolean;
    now?: Date;
  },
): Promise<{ id: string }> {
  const id = randomUUID();
  const now = opts.now ?? new Date();
  await store.owner.transaction().execute(async (trx) => {
    const subs = await trx
      .selectFrom('subscriptions')
      .selectAll()
      .where('id', 'in', opts.subscriptionIds)
      .execute();
    const customer = await trx
      .selectFrom('customers')
      .select('instance')
      .where('id', '=', opts.customerId)
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('transfers')
      .values({
        id,
        customer_id: opts.customerId,
        instance: customer.instance,
        source_partner_id: opts.sourcePartnerId,
        target_partner_id: opts.targetPartnerId,
        customer_consent: opts.consent ? 'given' : 'pending',
        consented_at: opts.consent ? now : null,
        consented_by: opts.consent ? 'admin@customer.example' : null,
        rejection_reason: null,
        rejected_by: null,
        created_by_id: null,
        created_by_name: 'fixture',
        accepted_by_name: null,
        created_at: now,
        updated_at: now,
        expires_at: new Date(now.getTime() + 30 * DAY),
        accepted_at: null,
        closed_at: null,
        target_order_id: null,
        lease_owner: null,
        lease_until: null,
      })
      .execute();
    await trx
      .insertInto('transfer_line_items')
      .values(
        opts.subscriptionIds.map((sid, i) => {
          const s = subs.find((x) => x.id === sid)!;
          return {
            transfer_id: id,
            line_number: i + 1,
            source_partner_id: opts.sourcePartnerId,
            target_partner_id: opts.targetPartnerId,
            subscription_id: sid,
            azure_subscription_id: s.azure_subscription_id,
            offer_id: s.offer_id,
            offer_name: s.offer_name,
            friendly_name: s.friendly_name,
            quantity: s.quantity,
            billing_cycle: s.billing_cycle,
            error_code: null,
            error_description: null,
            new_subscription_id: null,
            completed_at: null,
          };
        }),
      )
      .execute();
    await trx
      .insertInto('transfer_events')
      .values({
        transfer_id: id,
        source_partner_id: opts.sourcePartnerId,
        target_partner_id: opts.targetPartnerId,
        occurred_at: now,
        event: 'created',
        actor_kind: 'system',
        actor_name: 'fixture',
        actor_side: 'target',
      })
      .execute();
  });
  return { id };
}

/** The parties of a transfer test: a source with a customer, a target related to it, the customer's admin. */
export interface TransferWorld {
  source: TestUser;
  target: TestUser;
  customer: { id: string; name: string; domain: string };
  /** A session of a Global admin of the customer (the consent page's caller). */
  customerToken: string;
  customerAdmin: { id: string; userName: string };
}

export async function transferWorld(
  store: Store,
  over: {
    source?: Parameters<typeof createPartnerWithAdmin>[1];
    target?: Parameters<typeof createPartnerWithAdmin>[1];
    customerCountry?: string;
  } = {},
): Promise<TransferWorld> {
  const { admin: source } = await createPartnerWithAdmin(store, over.source);
  const { admin: target } = await createPartnerWithAdmin(store, over.target);
  const customer = await insertCustomer(store, source.partnerId);
  await confirmAgreement(store, customer.id, source.partnerId);
  await insertRelationship(store, target.partnerId, customer.id);
  if (over.customerCountry) await setCustomerCountry(store, customer.id, over.customerCountry);
  const customerAdmin = await insertCustomerUser(store, customer.id, { roles: ['globalAdmin'] });
  const customerToken = await issueCustomerToken(store, customer.id, customerAdmin.id);
  return { source, target, customer, customerToken, customerAdmin };
}

export async function setCustomerCountry(store: Store, customerId: string, country: string): Promise<void> {
  await sql`update customers set default_address = jsonb_set(default_address, '{country}', to_jsonb(${country}::text))
             where id = ${customerId}`.execute(store.owner);
}

/** The API's calls about transfers, each answering Fastify's inject response. */
export function transfersApi(app: App) {
  const base = (customerId: string) => `/v1/customers/${customerId}/transfers`;
  return {
    eligibility: (token: string, customerId: string, query = '') =>
      injectAs(app, token, 'GET', `/v1/customers/${customerId}/transferseligibility${query}`),
    create: (token: string, customerId: string, payload: unknown, headers: Record<string, string> = {}) =>
      injectAs(app, token, 'POST', base(customerId), { payload, headers }),
    list: (token: string, customerId: string, query = '') =>
      injectAs(app, token, 'GET', `${base(customerId)}${query}`),
    get: (token: string, customerId: string, id: string) =>
      injectAs(app, token, 'GET', `${base(customerId)}/${id}`),
    getAny: (token: string, id: string) => injectAs(app, token, 'GET', `/v1/transfers/${id}`),
    listAll: (token: string, query = '') => injectAs(app, token, 'GET', `/v1/transfers${query}`),
    summary: (token: string) => injectAs(app, token, 'GET', '/v1/transfers/summary'),
    accept: (token: string, customerId: string, id: string, payload: unknown = {}) =>
      injectAs(app, token, 'POST', `${base(customerId)}/${id}/accept`, { payload }),
    reject: (token: string, customerId: string, id: string, reason = 'Not now.') =>
      injectAs(app, token, 'POST', `${base(customerId)}/${id}/reject`, { payload: { reason } }),
    cancel: (token: string, customerId: string, id: string) =>
      injectAs(app, token, 'POST', `${base(customerId)}/${id}/cancel`, { payload: {} }),
    portalList: (customerToken: string) => injectAs(app, customerToken, 'GET', '/v1/customer/transfers'),
    consent: (customerToken: string, id: string) =>
      injectAs(app, customerToken, 'POST', `/v1/customer/transfers/${id}/consent`, { payload: {} }),
    decline: (customerToken: string, id: string) =>
      injectAs(app, customerToken, 'POST', `/v1/customer/transfers/${id}/decline`, { payload: {} }),
  };
}

export interface InvariantReport {
  /** Azure ids without exactly one live row, with how many they have. */
  liveCounts: { azure_subscription_id: string; live: number }[];
  /** Transferred rows whose successor is missing, of the same partner, or of another Azure subscription. */
  brokenLinks: { id: string }[];
  /** Rows that came from a transfer whose predecessor does not point back at them. */
  brokenBacklinks: { id: string }[];
}

/**
 * One query each over ALL subscriptions: every Azure subscription id has exactly one live (not transferred,
 * not deleted) row — so never zero or two partners of record —, every transferred row points to an existing
 * row of another partner with the same Azure id which points back, and every row that came from a transfer is
 * pointed at by the row it came from.
 */
export async function checkPartnerOfRecord(store: Store): Promise<InvariantReport> {
  const liveCounts = await sql<{ azure_subscription_id: string; live: number }>`
    select azure_subscription_id,
           count(*) filter (where status not in ('transferred', 'deleted'))::int as live
      from subscriptions
     where azure_subscription_id is not null
     group by azure_subscription_id
    having count(*) filter (where status not in ('transferred', 'deleted')) <> 1`.execute(store.owner);
  const brokenLinks = await sql<{ id: string }>`
    select s.id from subscriptions s
      left join subscriptions n on n.id = s.transferred_to_subscription_id
     where s.status = 'transferred'
       and (n.id is null or n.partner_id = s.partner_id
            or n.azure_subscription_id is distinct from s.azure_subscription_id
            or n.transferred_from_subscription_id is distinct from s.id
            or n.customer_id <> s.customer_id)`.execute(store.owner);
  const brokenBacklinks = await sql<{ id: string }>`
    select n.id from subscriptions n
      left join subscriptions s on s.id = n.transferred_from_subscription_id
     where n.transferred_from_subscription_id is not null
       and (s.id is null or s.status <> 'transferred' or s.transferred_to_subscription_id <> n.id)`.execute(
    store.owner,
  );
  return {
    liveCounts: liveCounts.rows,
    brokenLinks: brokenLinks.rows,
    brokenBacklinks: brokenBacklinks.rows,
  };
}

/**
 * An app whose own transfer worker is off, with the catalog, the transfers API and `drain`, which runs the
 * completion job until no accepted line is left, so a test decides when requests complete.
 */
export async function startTransferApp(clock: Clock): Promise<{
  t: TestApp;
  cat: TestCatalog;
  api: ReturnType<typeof transfersApi>;
  drain: () => Promise<void>;
}> {
  const t = await createTestApp({ clock, transferWorker: false });
  const worker = createTransferWorker({ owner: t.store.owner, clock });
  return {
    t,
    cat: await insertTestCatalog(t.store),
    api: transfersApi(t.app),
    drain: async () => {
      await worker.drain();
    },
  };
}

/** Every answer is refused with this status and error name (the request itself is left as it was). */
export function expectAllRefused(
  answers: readonly { statusCode: number; body: string; json: () => unknown }[],
  statusCode: number,
  name: string,
): void {
  for (const r of answers) {
    expect(r.statusCode, r.body).toBe(statusCode);
    expect(r.json()).toMatchObject({ name });
  }
}
