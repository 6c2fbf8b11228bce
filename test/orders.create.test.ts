// Placing orders: every line item becomes a subscription in one transaction with the catalog's defaults and the
// customer's market's price; the checks answer in their order (404, 403 after removal, 409 without agreement)
// and then every line-item problem at once; add-ons need a parent; MS-RequestId makes a retry safe.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, testClock } from './helpers/app.ts';
import type { TestApp } from './helpers/app.ts';
import { createCustomer, customerBody, insertCustomer } from './helpers/customers.ts';
import type { TestUser } from './helpers/factories.ts';
import { bearer, createPartnerWithAdmin } from './helpers/factories.ts';
import type { TestCatalog } from './helpers/offers.ts';
import {
  confirmAgreement,
  insertReadyCustomer,
  insertTestCatalog,
  placeOrder,
  subscribe,
} from './helpers/offers.ts';

const clock = testClock(new Date('2027-01-31T10:00:00Z'));
let t: TestApp;
let cat: TestCatalog;
let admin: TestUser;

beforeAll(async () => {
  t = await createTestApp({ clock });
  cat = await insertTestCatalog(t.store);
  ({ admin } = await createPartnerWithAdmin(t.store));
});
afterAll(() => t.close());

const order = (token: string, customerId: string, payload: unknown, headers: Record<string, string> = {}) =>
  t.app.inject({
    method: 'POST',
    url: `/v1/customers/${customerId}/orders`,
    headers: { ...bearer(token), ...headers },
    payload: payload as object,
  });

/** A customer of the admin's partner with a confirmed customer agreement. */
const readyCustomer = (partner = admin) => insertReadyCustomer(t.store, partner.partnerId);

async function subscriptionsOf(customerId: string) {
  return t.store.owner
    .selectFrom('subscriptions')
    .selectAll()
    .where('customer_id', '=', customerId)
    .orderBy('line_item_number')
    .execute();
}

describe('POST /v1/customers/{id}/orders', () => {
  it('makes one subscription per line item with the offer’s defaults, price and dates, in one order', async () => {
    const c = await readyCustomer();
    const r = await order(admin.token, c.id, {
      lineItems: [
        { offerId: cat.suite, quantity: 5, friendlyName: '  Head   office ' },
        {
          offerId: cat.suite,
          quantity: 2,
          termDuration: 'P1Y',
          billingCycle: 'annual',
          autoRenewEnabled: false,
        },
        { offerId: cat.azure },
        { offerId: cat.azurePlan, quantity: 1 },
        { offerId: cat.software, quantity: 3 },
      ],
    });
    expect(r.statusCode, r.body).toBe(201);
    const body = r.json();
    expect(r.headers.location).toBe(`/v1/customers/${c.id}/orders/${body.id}`);
    expect(body).toMatchObject({
      customerId: c.id,
      currencyCode: 'USD',
      creationDate: '2027-01-31T10:00:00.000Z',
      status: 'completed',
      attributes: { objectType: 'Order' },
    });
    expect(
      body.lineItems.map((l: Record<string, unknown>) => [
        l.lineItemNumber,
        l.offerId,
        l.friendlyName,
        l.quantity,
        l.termDuration,
        l.billingCycle,
      ]),
    ).toEqual([
      [0, cat.suite, 'Head office', 5, 'P1M', 'monthly'],
      [1, cat.suite, `Suite ${cat.suite.slice(6)}`, 2, 'P1Y', 'annual'],
      [2, cat.azure, `Azure ${cat.azure.slice(6)}`, 1, null, 'monthly'],
      [3, cat.azurePlan, `Azure plan ${cat.azurePlan.slice(7)}`, 1, null, 'monthly'],
      [4, cat.software, `Software ${cat.software.slice(3)}`, 3, null, 'oneTime'],
    ]);

    const rows = await subscriptionsOf(c.id);
    expect(rows.map((s) => s.id)).toEqual(
      body.lineItems.map((l: { subscriptionId: string }) => l.subscriptionId),
    );
    expect(rows.every((s) => s.order_id === body.id && s.status === 'active' && s.currency === 'USD')).toBe(
      true,
    );
    // Calendar months: 31 January + 1 month is the last day of February.
    expect(rows[0]).toMatchObject({
      term: 'P1M',
      auto_renew: true,
      unit_price: 3600,
      commitment_end_date: new Date('2027-02-28T10:00:00Z'),
      azure_subscription_id: null,
    });
    expect(rows[1]).toMatchObject({
      auto_renew: false,
      commitment_end_date: new Date('2028-01-31T10:00:00Z'),
    });
    // Usage-based: no price, no term, no renewal; Azure ones get their own Azure subscription id.
    expect(rows[2]).toMatchObject({
      unit_price: null,
      term: null,
      auto_renew: false,
      commitment_end_date: null,
    });
    expect(rows[2]!.azure_subscription_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(rows[3]!.azure_subscription_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(rows[4]).toMatchObject({
      unit_price: 25000,
      azure_subscription_id: null,
      billing_type: 'license',
    });

    // One activity record for the order, naming every line item.
    const records = await t.store.owner
      .selectFrom('activity_records')
      .selectAll()
      .where('customer_id', '=', c.id)
      .where('action', '=', 'order.create')
      .execute();
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ resource_type: 'Order', resource_id: body.id, actor_id: admin.id });
    expect(records[0]!.details.lineItems).toEqual(
      rows.map((s) => ({ subscriptionId: s.id, offerId: s.offer_id, quantity: s.quantity })),
    );

    // And it reads back, alone and in the list.
    const one = await t.app.inject({
      method: 'GET',
      url: `/v1/customers/${c.id}/orders/${body.id}`,
      headers: bearer(admin.token),
    });
    expect(one.json()).toEqual(body);
    const list = await t.app.inject({
      method: 'GET',
      url: `/v1/customers/${c.id}/orders`,
      headers: bearer(admin.token),
    });
    expect(list.json()).toMatchObject({ totalCount: 1, items: [body] });
  });

  it('prices in the customer’s market’s currency', async () => {
    const { partner, admin: a } = await createPartnerWithAdmin(t.store);
    const body = customerBody();
    body.billingProfile.defaultAddress = {
      country: 'DE',
      city: 'Berlin',
      addressLine1: 'Unter den Linden 1',
      postalCode: '10117',
      firstName: 'Pat',
      lastName: 'Primary',
    };
    body.billingProfile.culture = 'de-DE';
    body.billingProfile.language = 'de';
    const created = await t.app.inject({
      method: 'POST',
      url: '/v1/customers',
      headers: bearer(a.token),
      payload: body,
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id;
    await confirmAgreement(t.store, id, partner.id);
    const o = await placeOrder(t.app, a.token, id, [{ offerId: cat.suite, quantity: 1 }]);
    expect((o as unknown as { currencyCode: string }).currencyCode).toBe('EUR');
    // The US-only offer is not sold in Germany.
    const r = await order(a.token, id, { lineItems: [{ offerId: cat.usOnly, quantity: 1 }] });
    expect(r.statusCode).toBe(400);
    expect(r.json().details).toEqual([
      { field: 'lineItems[0].offerId', reason: `${cat.usOnly} is not sold in the customer's country (DE)` },
    ]);
  });

  it('without a confirmed customer agreement: 409 customerAgreementRequired, nothing written', async () => {
    const c = await insertCustomer(t.store, admin.partnerId);
    const r = await order(admin.token, c.id, { lineItems: [{ offerId: cat.suite, quantity: 1 }] });
    expect(r.statusCode).toBe(409);
    expect(r.json()).toMatchObject({ name: 'customerAgreementRequired', code: 100804 });
    expect(await subscriptionsOf(c.id)).toEqual([]);
    // Even with bad line items: the agreement is checked first.
    const bad = await order(admin.token, c.id, { lineItems: [{ offerId: 'NOPE', quantity: 0 }] });
    expect(bad.json().name).toBe('customerAgreementRequired');
    // Confirmed: the same order goes through.
    await confirmAgreement(t.store, c.id, admin.partnerId);
    expect(
      (await order(admin.token, c.id, { lineItems: [{ offerId: cat.suite, quantity: 1 }] })).statusCode,
    ).toBe(201);
  });

  it('answers every line-item problem at once and writes nothing', async () => {
    const c = await readyCustomer();
    const r = await order(admin.token, c.id, {
      lineItems: [
        { offerId: 'NO-SUCH-OFFER', quantity: 1 },
        { offerId: cat.retired, quantity: 1 },
        { offerId: cat.usgovOnly, quantity: 1 },
        { offerId: cat.suite, quantity: 0 },
        { offerId: cat.suite, quantity: 301 },
        { offerId: cat.suite, quantity: 1, termDuration: 'P3Y', billingCycle: 'triennial' },
        { offerId: cat.azure, quantity: 2 },
        { offerId: cat.suite, quantity: 1, friendlyName: 'x'.repeat(201) },
        { offerId: cat.azure, autoRenewEnabled: true },
        { offerId: cat.suite, quantity: 1, parentSubscriptionId: '00000000-0000-4000-8000-000000000000' },
        { offerId: cat.suite },
      ],
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().name).toBe('validationFailed');
    expect(r.json().details).toEqual([
      { field: 'lineItems[0].offerId', reason: 'NO-SUCH-OFFER is not in the catalog' },
      { field: 'lineItems[1].offerId', reason: `${cat.retired} is no longer sold` },
      { field: 'lineItems[2].offerId', reason: `${cat.usgovOnly} is not sold in your cloud instance` },
      { field: 'lineItems[3].quantity', reason: `must be from 1 to 300 for ${cat.suite}` },
      { field: 'lineItems[4].quantity', reason: `must be from 1 to 300 for ${cat.suite}` },
      { field: 'lineItems[5].termDuration', reason: `must be one of P1M, P1Y for ${cat.suite}` },
      { field: 'lineItems[5].billingCycle', reason: `must be one of monthly, annual for ${cat.suite}` },
      { field: 'lineItems[6].quantity', reason: 'must be 1 for a usage-based offer' },
      { field: 'lineItems[7].friendlyName', reason: 'must be at most 200 characters (it has 201)' },
      { field: 'lineItems[8].autoRenewEnabled', reason: `${cat.azure} has no term to renew` },
      { field: 'lineItems[9].parentSubscriptionId', reason: `${cat.suite} is not an add-on; leave it out` },
      { field: 'lineItems[10].quantity', reason: 'is required' },
    ]);
    expect(await subscriptionsOf(c.id)).toEqual([]);
    expect(
      await t.store.owner.selectFrom('orders').selectAll().where('customer_id', '=', c.id).execute(),
    ).toEqual([]);
  });

  it('refuses an add-on without a parent; takes a parent in the same order or an active subscription', async () => {
    const c = await readyCustomer();
    const alone = await order(admin.token, c.id, { lineItems: [{ offerId: cat.addOn, quantity: 1 }] });
    expect(alone.statusCode).toBe(400);
    expect(alone.json().details).toEqual([
      {
        field: 'lineItems[0].parentSubscriptionId',
        reason: `${cat.addOn} is an add-on: name an active subscription of ${cat.suite} here, or order one in the same order`,
      },
    ]);
    // The wrong base offer does not count, in the order or named.
    const wrongBase = await order(admin.token, c.id, {
      lineItems: [
        { offerId: cat.other, quantity: 1 },
        { offerId: cat.addOn, quantity: 1 },
      ],
    });
    expect(wrongBase.json().details.map((d: { field: string }) => d.field)).toEqual([
      'lineItems[1].parentSubscriptionId',
    ]);
    const otherSub = await subscribe(t.app, admin.token, c.id, cat.other);
    const namedWrong = await order(admin.token, c.id, {
      lineItems: [{ offerId: cat.addOn, quantity: 1, parentSubscriptionId: otherSub }],
    });
    expect(namedWrong.json().details).toEqual([
      {
        field: 'lineItems[0].parentSubscriptionId',
        reason: `is a subscription of ${cat.other}; ${cat.addOn} is an add-on of ${cat.suite}`,
      },
    ]);

    // With its base in the same order (listed after it, even): the base becomes its parent.
    const together = await placeOrder(t.app, admin.token, c.id, [
      { offerId: cat.addOn, quantity: 3 },
      { offerId: cat.suite, quantity: 3 },
    ]);
    expect(together.lineItems[0]!.parentSubscriptionId).toBe(together.lineItems[1]!.subscriptionId);
    expect(together.lineItems[1]!.parentSubscriptionId).toBeNull();

    // With an existing active base subscription named.
    const base = together.lineItems[1]!.subscriptionId;
    const later = await placeOrder(t.app, admin.token, c.id, [
      { offerId: cat.addOn, quantity: 1, parentSubscriptionId: base.toUpperCase() },
    ]);
    expect(later.lineItems[0]!.parentSubscriptionId).toBe(base);

    // A suspended base is no parent.
    const s = await t.app.inject({
      method: 'PATCH',
      url: `/v1/customers/${c.id}/subscriptions/${base}`,
      headers: bearer(admin.token),
      payload: { status: 'suspended' },
    });
    expect(s.statusCode, s.body).toBe(200);
    const onSuspended = await order(admin.token, c.id, {
      lineItems: [{ offerId: cat.addOn, quantity: 1, parentSubscriptionId: base }],
    });
    expect(onSuspended.statusCode).toBe(400);
    expect(onSuspended.json().details[0].field).toBe('lineItems[0].parentSubscriptionId');

    // Another customer's subscription is no parent either.
    const d = await readyCustomer();
    const elsewhere = await order(admin.token, d.id, {
      lineItems: [{ offerId: cat.addOn, quantity: 1, parentSubscriptionId: otherSub }],
    });
    expect(elsewhere.statusCode).toBe(400);
  });

  it('takes a Partner Center Order body as its clients send it (PascalCase, line numbers, order-level cycle)', async () => {
    const c = await readyCustomer();
    const pcBody = {
      ReferenceCustomerId: c.id.toUpperCase(),
      BillingCycle: 'annual',
      LineItems: [
        {
          LineItemNumber: 0,
          OfferId: cat.suite,
          FriendlyName: 'Head office',
          Quantity: 4,
          TermDuration: 'P1Y',
        },
        { LineItemNumber: 1, OfferId: cat.suite, Quantity: 2, TermDuration: 'P1M', BillingCycle: 'monthly' },
      ],
      Attributes: { ObjectType: 'Order' },
    };
    const r = await order(admin.token, c.id, pcBody);
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().lineItems).toMatchObject([
      { lineItemNumber: 0, quantity: 4, termDuration: 'P1Y', billingCycle: 'annual' },
      { lineItemNumber: 1, quantity: 2, termDuration: 'P1M', billingCycle: 'monthly' },
    ]);
    // Another customer's id, and line numbers out of order, are named; nothing is ordered.
    const wrong = await order(admin.token, c.id, {
      ...pcBody,
      ReferenceCustomerId: randomUUID(),
      LineItems: [pcBody.LineItems[1], pcBody.LineItems[0]],
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().details).toEqual([
      { field: 'referenceCustomerId', reason: 'must be the customer id of the path' },
      { field: 'lineItems[0].lineItemNumber', reason: 'must be 0: lines are numbered 0, 1, 2… in order' },
      { field: 'lineItems[1].lineItemNumber', reason: 'must be 1: lines are numbered 0, 1, 2… in order' },
    ]);
    expect(await subscriptionsOf(c.id)).toHaveLength(2);
  });

  it('bad bodies: empty, unknown fields, 0 or 51 line items, huge or fractional quantities, malformed ids', async () => {
    const c = await readyCustomer();
    const cases: [unknown, string][] = [
      [undefined, 'body'],
      [{}, 'lineItems'],
      [{ lineItems: [] }, 'lineItems'],
      [{ lineItems: Array.from({ length: 51 }, () => ({ offerId: cat.suite, quantity: 1 })) }, 'lineItems'],
      [{ lineItems: [{ offerId: cat.suite, quantity: 1e12 }] }, 'lineItems[0].quantity'],
      [{ lineItems: [{ offerId: cat.suite, quantity: 1e300 }] }, 'lineItems[0].quantity'],
      [{ lineItems: [{ offerId: cat.suite, quantity: 1.5 }] }, 'lineItems[0].quantity'],
      [{ lineItems: [{ offerId: cat.suite, quantity: 'many' }] }, 'lineItems[0].quantity'],
      [{ lineItems: [{ offerId: cat.suite, quantity: 1, colour: 'red' }] }, 'lineItems[0].colour'],
      [{ lineItems: [{ offerId: cat.suite, quantity: 1 }], coupon: 'x' }, 'coupon'],
    ];
    for (const [payload, field] of cases) {
      const r = await order(admin.token, c.id, payload);
      expect(r.statusCode, `${JSON.stringify(payload)?.slice(0, 80)}: ${r.body}`).toBe(400);
      expect(r.json().details.map((d: { field: string }) => d.field)).toContain(field);
    }
    // 50 is the limit, and it is fine.
    const fifty = await order(admin.token, c.id, {
      lineItems: Array.from({ length: 50 }, () => ({ offerId: cat.suite, quantity: 1 })),
    });
    expect(fifty.statusCode, fifty.body).toBe(201);
    expect(fifty.json().lineItems).toHaveLength(50);
    // A malformed parent id is a field reason, not a 500.
    const malformed = await order(admin.token, c.id, {
      lineItems: [{ offerId: cat.addOn, quantity: 1, parentSubscriptionId: 'not-a-guid' }],
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().details[0].field).toBe('lineItems[0].parentSubscriptionId');
    // Malformed customer id.
    expect(
      (await order(admin.token, 'not-a-guid', { lineItems: [{ offerId: cat.suite, quantity: 1 }] }))
        .statusCode,
    ).toBe(400);
  });

  it('is idempotent: the same MS-RequestId and body answer the same order, never a second one', async () => {
    const c = await readyCustomer();
    const payload = { lineItems: [{ offerId: cat.suite, quantity: 4 }] };
    const headers = { 'ms-requestid': `order-${c.id}` };
    const [first, second] = await Promise.all([
      order(admin.token, c.id, payload, headers),
      order(admin.token, c.id, payload, headers),
    ]);
    expect(first.statusCode, first.body).toBe(201);
    expect(second.statusCode, second.body).toBe(201);
    expect(second.json().id).toBe(first.json().id);
    const third = await order(admin.token, c.id, payload, headers);
    expect(third.json().id).toBe(first.json().id);
    expect(third.headers['ms-idempotent-replay']).toBe('true');
    expect(await subscriptionsOf(c.id)).toHaveLength(1);
    // The same id with another body is refused.
    const other = await order(
      admin.token,
      c.id,
      { lineItems: [{ offerId: cat.suite, quantity: 5 }] },
      headers,
    );
    expect(other.statusCode).toBe(409);
    expect(other.json().name).toBe('requestIdReused');
    expect(await subscriptionsOf(c.id)).toHaveLength(1);
  });

  it('404 for another partner’s customer; 403 noResellerRelationship once the relationship has ended', async () => {
    const other = await createPartnerWithAdmin(t.store);
    const theirs = await readyCustomer(other.admin);
    const r = await order(admin.token, theirs.id, { lineItems: [{ offerId: cat.suite, quantity: 1 }] });
    expect(r.statusCode).toBe(404);
    expect(r.json().name).toBe('customerNotFound');
    expect(await subscriptionsOf(theirs.id)).toEqual([]);
    for (const url of [`/v1/customers/${theirs.id}/orders`]) {
      const g = await t.app.inject({ method: 'GET', url, headers: bearer(admin.token) });
      expect(g.statusCode).toBe(404);
    }
    const theirOrder = await placeOrder(t.app, other.admin.token, theirs.id, [
      { offerId: cat.suite, quantity: 1 },
    ]);
    const g = await t.app.inject({
      method: 'GET',
      url: `/v1/customers/${theirs.id}/orders/${theirOrder.id}`,
      headers: bearer(admin.token),
    });
    expect(g.statusCode).toBe(404);

    // The relationship removed (after suspending what blocks it): orders are refused with 20002.
    const mine = await readyCustomer();
    const removed = await t.app.inject({
      method: 'PATCH',
      url: `/v1/customers/${mine.id}`,
      headers: bearer(admin.token),
      payload: { relationshipToPartner: 'none' },
    });
    expect(removed.statusCode, removed.body).toBe(200);
    const after = await order(admin.token, mine.id, { lineItems: [{ offerId: cat.suite, quantity: 1 }] });
    expect(after.statusCode).toBe(403);
    expect(after.json()).toMatchObject({ name: 'noResellerRelationship', code: 20002 });
  });
});

describe('POST /v1/customers with lineItems', () => {
  const agreement = {
    firstName: 'Casey',
    lastName: 'Customer',
    email: 'casey@customer.example',
    dateAgreed: '2026-11-30',
  };

  it('creates the customer and its order in one transaction; the answer carries the order', async () => {
    const body = {
      ...customerBody(),
      customerAgreement: agreement,
      lineItems: [
        { offerId: cat.suite, quantity: 10 },
        { offerId: cat.addOn, quantity: 2 },
      ],
    };
    const r = await t.app.inject({
      method: 'POST',
      url: '/v1/customers',
      headers: bearer(admin.token),
      payload: body,
    });
    expect(r.statusCode, r.body).toBe(201);
    const created = r.json();
    expect(created.orders).toHaveLength(1);
    expect(created.orders[0]).toMatchObject({
      customerId: created.id,
      currencyCode: 'USD',
      status: 'completed',
    });
    expect(created.orders[0].lineItems[1].parentSubscriptionId).toBe(
      created.orders[0].lineItems[0].subscriptionId,
    );
    expect((await subscriptionsOf(created.id)).map((s) => s.quantity)).toEqual([10, 2]);
    // Without line items, no order.
    const plain = await createCustomer(t.app, admin.token);
    expect(plain.orders).toEqual([]);
  });

  it('refuses line items without customerAgreement (409), and bad ones with the customer’s own problems (400)', async () => {
    const body = { ...customerBody(), lineItems: [{ offerId: cat.suite, quantity: 1 }] };
    const r = await t.app.inject({
      method: 'POST',
      url: '/v1/customers',
      headers: bearer(admin.token),
      payload: body,
    });
    expect(r.statusCode).toBe(409);
    expect(r.json().name).toBe('customerAgreementRequired');
    const domain = body.companyProfile.domain as string;
    const taken = await t.app.inject({
      method: 'HEAD',
      url: `/v1/domains/${domain}`,
      headers: bearer(admin.token),
    });
    expect(taken.statusCode).toBe(404);

    const bad = customerBody();
    bad.billingProfile.email = 'not-an-email';
    const r2 = await t.app.inject({
      method: 'POST',
      url: '/v1/customers',
      headers: bearer(admin.token),
      payload: { ...bad, customerAgreement: agreement, lineItems: [{ offerId: cat.suite, quantity: 999 }] },
    });
    expect(r2.statusCode).toBe(400);
    expect(r2.json().details.map((d: { field: string }) => d.field)).toEqual([
      'billingProfile.email',
      'lineItems[0].quantity',
    ]);
    const gone = await t.app.inject({
      method: 'HEAD',
      url: `/v1/domains/${bad.companyProfile.domain as string}`,
      headers: bearer(admin.token),
    });
    expect(gone.statusCode).toBe(404);
  });
});
