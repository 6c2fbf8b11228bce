// Managing subscriptions: list with filters and paging, get with ETag, changes guarded by If-Match (one of two
// concurrent updates with the same ETag wins, the other gets 412 with the current subscription), the offer's
// quantity limits, suspension with its add-ons and the 90-day deletion date, reactivation, cancellation of
// reservations and software, and the activity records of each change.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallerContext } from '../src/lib/context.ts';
import { createCountriesService } from '../src/modules/countries/countries.service.ts';
import { createCustomersService } from '../src/modules/customers/customers.service.ts';
import { createInstanceService } from '../src/modules/instances/instances.ts';
import { createSubscriptionsService } from '../src/modules/subscriptions/subscriptions.service.ts';
import { activityOf } from './helpers/activity.ts';
import type { TestApp } from './helpers/app.ts';
import { createTestApp, injectAs, testClock } from './helpers/app.ts';
import type { TestUser } from './helpers/factories.ts';
import { bearer, createPartnerWithAdmin, createUser } from './helpers/factories.ts';
import type { TestCatalog } from './helpers/offers.ts';
import { insertReadyCustomer, insertTestCatalog, placeOrder, subscribe } from './helpers/offers.ts';

const clock = testClock(new Date('2027-03-01T09:00:00Z'));
const DAY = 86_400_000;
let t: TestApp;
let cat: TestCatalog;
let admin: TestUser;

beforeAll(async () => {
  t = await createTestApp({ clock });
  cat = await insertTestCatalog(t.store);
  ({ admin } = await createPartnerWithAdmin(t.store));
});
afterAll(() => t.close());

const readyCustomer = (partner = admin) => insertReadyCustomer(t.store, partner.partnerId);

const url = (customerId: string, subscriptionId = '') =>
  `/v1/customers/${customerId}/subscriptions${subscriptionId ? `/${subscriptionId}` : ''}`;
const get = (customerId: string, subscriptionId: string, token = admin.token) =>
  injectAs(t.app, token, 'GET', url(customerId, subscriptionId));
const patch = (
  customerId: string,
  subscriptionId: string,
  payload: unknown,
  headers: Record<string, string> = {},
  token = admin.token,
) => injectAs(t.app, token, 'PATCH', url(customerId, subscriptionId), { payload, headers });

async function actions(subscriptionId: string) {
  const rows = await activityOf(t.store, subscriptionId);
  return rows.map((r) => ({ action: r.action, actor: r.actor_kind, details: r.details }));
}

describe('reading subscriptions', () => {
  it('lists oldest first, an order’s lines in their order, with filters, cursor paging and a total; gets one with its ETag', async () => {
    const c = await readyCustomer();
    const first = await placeOrder(t.app, admin.token, c.id, [
      { offerId: cat.suite, quantity: 5, friendlyName: 'Head office' },
      { offerId: cat.azure },
    ]);
    clock.advance(1000);
    const second = await placeOrder(t.app, admin.token, c.id, [{ offerId: cat.other, quantity: 2 }]);
    const all = await t.app.inject({ method: 'GET', url: url(c.id), headers: bearer(admin.token) });
    expect(all.statusCode, all.body).toBe(200);
    expect(all.json().totalCount).toBe(3);
    const ids = all.json().items.map((s: { id: string }) => s.id);
    // One order's subscriptions come in the order of its lines (same creation time, random ids).
    expect(ids.slice(0, 2)).toEqual(first.lineItems.map((l) => l.subscriptionId));
    expect(ids[2]).toBe(second.lineItems[0]!.subscriptionId);

    // Pages of one, following links.next, give the same order.
    const paged: string[] = [];
    let next: string | undefined = `${url(c.id)}?size=1`;
    while (next) {
      const page: Awaited<ReturnType<typeof t.app.inject>> = await t.app.inject({
        method: 'GET',
        url: next,
        headers: bearer(admin.token),
      });
      expect(page.json().totalCount).toBe(3);
      paged.push(...page.json().items.map((s: { id: string }) => s.id));
      next = page.json().links.next?.uri;
    }
    expect(paged).toEqual(ids);

    const byOffer = await t.app.inject({
      method: 'GET',
      url: `${url(c.id)}?offerId=${cat.azure}`,
      headers: bearer(admin.token),
    });
    expect(byOffer.json().items.map((s: { offerId: string }) => s.offerId)).toEqual([cat.azure]);
    const byOrder = await t.app.inject({
      method: 'GET',
      url: `${url(c.id)}?orderId=${second.id}`,
      headers: bearer(admin.token),
    });
    expect(byOrder.json()).toMatchObject({ totalCount: 1, items: [{ orderId: second.id }] });
    const suspended = await t.app.inject({
      method: 'GET',
      url: `${url(c.id)}?status=suspended`,
      headers: bearer(admin.token),
    });
    expect(suspended.json()).toMatchObject({ totalCount: 0, items: [] });
    // A token from another query is refused.
    const token = (
      await t.app.inject({ method: 'GET', url: `${url(c.id)}?size=1`, headers: bearer(admin.token) })
    ).json().links.next.headers[0].value;
    const misuse = await t.app.inject({
      method: 'GET',
      url: `${url(c.id)}?status=active&continuationToken=${token}`,
      headers: bearer(admin.token),
    });
    expect(misuse.json().name).toBe('invalidContinuationToken');

    const one = await get(c.id, first.lineItems[0]!.subscriptionId);
    expect(one.statusCode).toBe(200);
    const partner = await t.store.owner
      .selectFrom('partners')
      .select('name')
      .where('id', '=', admin.partnerId)
      .executeTakeFirstOrThrow();
    expect(one.json()).toEqual({
      id: first.lineItems[0]!.subscriptionId,
      customerId: c.id,
      offerId: cat.suite,
      offerName: `Suite ${cat.suite.slice(6)}`,
      friendlyName: 'Head office',
      quantity: 5,
      unitType: 'Licenses',
      status: 'active',
      productKind: 'onlineService',
      billingType: 'license',
      billingCycle: 'monthly',
      termDuration: 'P1M',
      autoRenewEnabled: true,
      creationDate: '2027-03-01T09:00:00.000Z',
      effectiveStartDate: '2027-03-01T09:00:00.000Z',
      commitmentEndDate: '2027-04-01T09:00:00.000Z',
      partnerId: admin.partnerId,
      partnerName: partner.name,
      orderId: first.id,
      parentSubscriptionId: null,
      isAddOn: false,
      suspensionReasons: [],
      suspendedAt: null,
      deletionDate: null,
      cancellationDate: null,
      azureSubscriptionId: null,
      currency: 'USD',
      unitPrice: 3600,
      cancellable: false,
      transferredAt: null,
      transferId: null,
      transferredFromSubscriptionId: null,
      attributes: { objectType: 'Subscription', etag: expect.any(String) },
    });
    expect(one.headers.etag).toBe(one.json().attributes.etag);
    const azure = await get(c.id, first.lineItems[1]!.subscriptionId);
    expect(azure.json()).toMatchObject({ billingType: 'usage', unitPrice: null, termDuration: null });
    expect(azure.json().azureSubscriptionId).toMatch(/^[0-9a-f-]{36}$/);

    // Eight lines of one order list in line order, on one page and across pages, and in the CSV.
    const other = await readyCustomer();
    const eight = await placeOrder(
      t.app,
      admin.token,
      other.id,
      Array.from({ length: 8 }, (_, i) => ({ offerId: cat.suite, quantity: 1, friendlyName: `Line ${i}` })),
    );
    const lines = eight.lineItems.map((l) => l.subscriptionId);
    const listed = await t.app.inject({ method: 'GET', url: url(other.id), headers: bearer(admin.token) });
    expect(listed.json().items.map((s: { id: string }) => s.id)).toEqual(lines);
    const pagedLines: string[] = [];
    for (let next: string | undefined = `${url(other.id)}?size=3`; next;) {
      const page: Awaited<ReturnType<typeof t.app.inject>> = await t.app.inject({
        method: 'GET',
        url: next,
        headers: bearer(admin.token),
      });
      pagedLines.push(...page.json().items.map((s: { id: string }) => s.id));
      next = page.json().links.next?.uri;
    }
    expect(pagedLines).toEqual(lines);
    const csv = await t.app.inject({
      method: 'GET',
      url: `${url(other.id)}/export.csv`,
      headers: bearer(admin.token),
    });
    expect(
      csv.body
        .trim()
        .split('\n')
        .slice(1)
        .map((row) => row.split(',')[0]),
    ).toEqual(lines);
  });

  it('another partner gets 404 for the customer’s subscriptions and orders, and unknown ids are 404', async () => {
    const other = await createPartnerWithAdmin(t.store);
    const c = await readyCustomer();
    const sub = await subscribe(t.app, admin.token, c.id, cat.suite);
    for (const u of [
      url(c.id),
      url(c.id, sub),
      `${url(c.id, sub)}/supportcontact`,
      `${url(c.id)}/export.csv`,
      `/v1/customers/${c.id}/orders`,
    ]) {
      const r = await t.app.inject({ method: 'GET', url: u, headers: bearer(other.admin.token) });
      expect(r.statusCode, u).toBe(404);
      expect(r.body).not.toContain(sub);
    }
    const p = await patch(c.id, sub, { quantity: 9 }, {}, other.admin.token);
    expect(p.statusCode).toBe(404);
    // Even with an ETag: visibility is decided before If-Match.
    const etag = (await get(c.id, sub)).headers.etag as string;
    expect(
      (await patch(c.id, sub, { quantity: 9 }, { 'if-match': etag }, other.admin.token)).statusCode,
    ).toBe(404);
    expect(
      (await patch(c.id, sub, { quantity: 9 }, { 'if-match': '"x"' }, other.admin.token)).statusCode,
    ).toBe(404);
    // Their own customer does not open mine by naming my subscription under it.
    const theirs = await readyCustomer(other.admin);
    expect((await get(theirs.id, sub, other.admin.token)).json().name).toBe('subscriptionNotFound');
    expect((await patch(theirs.id, sub, { quantity: 9 }, {}, other.admin.token)).statusCode).toBe(404);
    expect((await get(c.id, sub)).json().quantity).toBe(5);
    expect((await get(c.id, '00000000-0000-4000-8000-000000000000')).json().name).toBe(
      'subscriptionNotFound',
    );
    expect((await get(c.id, 'not-a-guid')).statusCode).toBe(400);
  });
});

describe('changing a subscription', () => {
  it('changes quantity, friendly name and auto-renew with before/after in the activity log', async () => {
    const c = await readyCustomer();
    const sub = await subscribe(t.app, admin.token, c.id, cat.suite, 5);
    const etag = (await get(c.id, sub)).headers.etag as string;
    const r = await patch(
      c.id,
      sub,
      { Quantity: 12, friendlyName: ' Sales  team ', autoRenewEnabled: false },
      { 'if-match': etag },
    );
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ quantity: 12, friendlyName: 'Sales team', autoRenewEnabled: false });
    expect(r.headers.etag).not.toBe(etag);
    expect(await actions(sub)).toEqual([
      {
        action: 'subscription.update',
        actor: 'partnerUser',
        details: expect.objectContaining({
          before: { quantity: 5, friendlyName: `Suite ${cat.suite.slice(6)}`, autoRenewEnabled: true },
          after: { quantity: 12, friendlyName: 'Sales team', autoRenewEnabled: false },
        }),
      },
    ]);
    // Nothing to change: no write, no record, the same ETag.
    const same = await patch(c.id, sub, { quantity: 12 });
    expect(same.headers.etag).toBe(r.headers.etag);
    expect(await actions(sub)).toHaveLength(1);
  });

  it('takes the whole subscription sent back (PascalCase too) with a change; other fields must be unchanged', async () => {
    const c = await readyCustomer();
    const sub = await subscribe(t.app, admin.token, c.id, cat.suite, 5);
    const read = await get(c.id, sub);
    const pascal = (o: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(o).map(([k, v]) => [k[0]!.toUpperCase() + k.slice(1), v]));
    // As a Partner Center client does: the resource as read, one field changed, property names in PascalCase.
    const readBody: Record<string, unknown> = read.json();
    const changed = await patch(c.id, sub, pascal({ ...readBody, quantity: 7 }), {
      'if-match': read.headers.etag as string,
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ quantity: 7, offerId: cat.suite, status: 'active' });
    // A read-only field that differs is named, and nothing is written.
    const now: Record<string, unknown> = (await get(c.id, sub)).json();
    const refused = await patch(c.id, sub, {
      ...now,
      quantity: 9,
      offerId: cat.other,
      partnerName: 'Someone else',
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().details).toEqual([
      { field: 'offerId', reason: 'is read-only: send it unchanged or leave it out' },
      { field: 'partnerName', reason: 'is read-only: send it unchanged or leave it out' },
    ]);
    expect((await get(c.id, sub)).json().quantity).toBe(7);
    // Suspending with the whole active subscription (its empty suspensionReasons) works and defaults the reason.
    const active: Record<string, unknown> = (await get(c.id, sub)).json();
    const suspended = await patch(c.id, sub, { ...active, status: 'suspended' });
    expect(suspended.statusCode, suspended.body).toBe(200);
    expect(suspended.json()).toMatchObject({ status: 'suspended', suspensionReasons: ['partnerInitiated'] });
  });

  it('refuses quantities outside the offer’s limits; usage-based subscriptions stay at 1', async () => {
    const c = await readyCustomer();
    const sub = await subscribe(t.app, admin.token, c.id, cat.suite, 5);
    for (const quantity of [0, -1, 301]) {
      const r = await patch(c.id, sub, { quantity });
      expect(r.statusCode, `${quantity}`).toBe(400);
      expect(r.json().details).toEqual([
        { field: 'quantity', reason: `must be from 1 to 300 for ${cat.suite}` },
      ]);
    }
    for (const [quantity, reason] of [
      [1e12, `must be from 1 to 300 for ${cat.suite}`],
      [2.5, 'must be a whole number'],
      [1e300, `must be from 1 to 300 for ${cat.suite}`],
    ] as const) {
      const r = await patch(c.id, sub, { quantity });
      expect(r.statusCode, `${quantity}`).toBe(400);
      expect(r.json().details).toEqual([{ field: 'quantity', reason }]);
    }
    expect((await patch(c.id, sub, { quantity: 'seven' })).json().details[0].field).toBe('quantity');
    expect((await patch(c.id, sub, { quantity: 300 })).statusCode).toBe(200);
    expect((await patch(c.id, sub, { quantity: 1 })).statusCode).toBe(200);
    const azure = await subscribe(t.app, admin.token, c.id, cat.azure, 1);
    const r = await patch(c.id, azure, { quantity: 2 });
    expect(r.json().details).toEqual([
      { field: 'quantity', reason: 'is fixed at 1 for a usage-based subscription' },
    ]);
    const renew = await patch(c.id, azure, { autoRenewEnabled: true });
    expect(renew.json().details[0].field).toBe('autoRenewEnabled');
  });

  it('bad bodies: empty, unknown fields, an unknown status or reason', async () => {
    const c = await readyCustomer();
    const sub = await subscribe(t.app, admin.token, c.id, cat.suite, 5);
    for (const payload of [
      undefined,
      {},
      { offerId: cat.other }, // read-only, and not its offer
      { status: 'deleted' },
      { status: 'suspended', suspensionReasons: ['parentSuspended'] },
      { suspensionReasons: ['fraud'] },
      { friendlyName: '   ' },
      { quantity: 6, colour: 'red' },
    ]) {
      const r = await patch(c.id, sub, payload);
      expect(r.statusCode, JSON.stringify(payload)).toBe(400);
      expect(r.json().name).toBe('validationFailed');
    }
    expect((await get(c.id, sub)).json().status).toBe('active');
  });

  it('two updates with the same ETag at once: exactly one wins, the other gets 412 with the current one', async () => {
    const c = await readyCustomer();
    const sub = await subscribe(t.app, admin.token, c.id, cat.suite, 5);
    const etag = (await get(c.id, sub)).headers.etag as string;
    const results = await Promise.all([
      patch(c.id, sub, { quantity: 7 }, { 'if-match': etag }),
      patch(c.id, sub, { quantity: 9 }, { 'if-match': etag }),
    ]);
    const statuses = results.map((r) => r.statusCode).sort();
    expect(statuses).toEqual([200, 412]);
    const won = results.find((r) => r.statusCode === 200)!;
    const lost = results.find((r) => r.statusCode === 412)!;
    expect(lost.json()).toMatchObject({ name: 'preconditionFailed', code: 100201 });
    // The 412 carries the subscription as the winner left it.
    expect(lost.json().data).toEqual([won.json()]);
    expect((await get(c.id, sub)).json().quantity).toBe(won.json().quantity);
    expect((await actions(sub)).filter((a) => a.action === 'subscription.update')).toHaveLength(1);
    // A stale ETag later is refused too; an ETag of another subscription is no match either.
    const stale = await patch(c.id, sub, { quantity: 3 }, { 'if-match': etag });
    expect(stale.statusCode).toBe(412);
    const otherSub = await subscribe(t.app, admin.token, c.id, cat.suite, 5);
    const foreign = (await get(c.id, otherSub)).headers.etag as string;
    const mismatch = await patch(c.id, sub, { quantity: 3 }, { 'if-match': foreign });
    expect(mismatch.statusCode).toBe(412);
    expect(mismatch.json().data[0]).toMatchObject({ id: sub, quantity: won.json().quantity });
    expect((await patch(c.id, sub, { quantity: 3 }, { 'if-match': '"garbage"' })).statusCode).toBe(412);
    // Without If-Match the change applies to the current version.
    expect((await patch(c.id, sub, { quantity: 3 })).json().quantity).toBe(3);
  });
});

describe('suspending and reactivating', () => {
  it('suspends with reasons and a deletion date 90 days on; the quantity is frozen until reactivation', async () => {
    const c = await readyCustomer();
    const sub = await subscribe(t.app, admin.token, c.id, cat.suite, 5);
    const s = await patch(c.id, sub, {
      status: 'suspended',
      suspensionReasons: ['nonPayment', 'customerRequest'],
    });
    expect(s.statusCode, s.body).toBe(200);
    const at = clock.now();
    expect(s.json()).toMatchObject({
      status: 'suspended',
      suspensionReasons: ['nonPayment', 'customerRequest'],
      suspendedAt: at.toISOString(),
      deletionDate: new Date(at.getTime() + 90 * DAY).toISOString(),
    });

    const q = await patch(c.id, sub, { quantity: 6 });
    expect(q.statusCode).toBe(409);
    expect(q.json()).toMatchObject({ name: 'subscriptionSuspended', code: 100805 });
    expect((await get(c.id, sub)).json().quantity).toBe(5);
    // The friendly name may still change; the reasons may be restated.
    expect((await patch(c.id, sub, { friendlyName: 'On hold' })).statusCode).toBe(200);
    expect((await patch(c.id, sub, { suspensionReasons: ['fraud'] })).json().suspensionReasons).toEqual([
      'fraud',
    ]);

    // Reactivating and changing the quantity in one call is fine.
    clock.advance(10 * DAY);
    const back = await patch(c.id, sub, { status: 'active', quantity: 8 });
    expect(back.statusCode, back.body).toBe(200);
    expect(back.json()).toMatchObject({
      status: 'active',
      quantity: 8,
      suspensionReasons: [],
      suspendedAt: null,
      deletionDate: null,
    });
    const recorded = (await actions(sub)).map((a) => a.action);
    expect(recorded).toEqual([
      'subscription.suspend',
      'subscription.update',
      'subscription.update',
      'subscription.update',
      'subscription.reactivate',
    ]);
    const log = await actions(sub);
    expect(log[0]!.details).toMatchObject({
      suspensionReasons: ['nonPayment', 'customerRequest'],
      before: { status: 'active' },
      after: { status: 'suspended' },
    });
    expect(log[3]!.details).toMatchObject({ before: { quantity: 5 }, after: { quantity: 8 } });
    // Suspending without reasons says partnerInitiated.
    expect((await patch(c.id, sub, { status: 'suspended' })).json().suspensionReasons).toEqual([
      'partnerInitiated',
    ]);
  });

  it('takes the add-ons along and brings back only those it suspended; an add-on waits for its base', async () => {
    const c = await readyCustomer();
    const o = await placeOrder(t.app, admin.token, c.id, [
      { offerId: cat.suite, quantity: 10 },
      { offerId: cat.addOn, quantity: 2 },
      { offerId: cat.addOn, quantity: 3 },
    ]);
    const [base, a1, a2] = o.lineItems.map((l) => l.subscriptionId) as [string, string, string];
    // One add-on suspended on its own first.
    expect(
      (await patch(c.id, a2, { status: 'suspended', suspensionReasons: ['customerRequest'] })).statusCode,
    ).toBe(200);
    const s = await patch(c.id, base, { status: 'suspended' });
    expect(s.statusCode).toBe(200);
    expect((await get(c.id, a1)).json()).toMatchObject({
      status: 'suspended',
      suspensionReasons: ['parentSuspended'],
      deletionDate: s.json().deletionDate,
    });
    expect((await get(c.id, a2)).json().suspensionReasons).toEqual(['customerRequest']);
    expect((await actions(a1)).map((a) => a.action)).toEqual(['subscription.suspend']);

    // The add-on cannot come back before its base.
    const early = await patch(c.id, a1, { status: 'active' });
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({ name: 'parentSubscriptionInactive', code: 100809 });

    const back = await patch(c.id, base, { status: 'active' });
    expect(back.statusCode).toBe(200);
    expect((await get(c.id, a1)).json()).toMatchObject({
      status: 'active',
      suspensionReasons: [],
      deletionDate: null,
    });
    expect((await get(c.id, a2)).json().status).toBe('suspended');
    expect((await actions(a1)).map((a) => a.action)).toEqual([
      'subscription.suspend',
      'subscription.reactivate',
    ]);
    // The one suspended for its own reasons comes back when asked.
    expect((await patch(c.id, a2, { status: 'active' })).json().status).toBe('active');
  });

  it('reservations and software are cancelled, never suspended; others cannot be cancelled', async () => {
    const c = await readyCustomer();
    const res = await subscribe(t.app, admin.token, c.id, cat.reservation, 2);
    const sw = await subscribe(t.app, admin.token, c.id, cat.software, 1);
    const suite = await subscribe(t.app, admin.token, c.id, cat.suite, 1);
    for (const id of [res, sw]) {
      const r = await patch(c.id, id, { status: 'suspended' });
      expect(r.statusCode).toBe(409);
      expect(r.json()).toMatchObject({ name: 'subscriptionNotSuspendable', code: 100806 });
    }
    const cancel = (id: string, headers: Record<string, string> = {}) =>
      t.app.inject({
        method: 'POST',
        url: `${url(c.id, id)}/cancel`,
        headers: { ...bearer(admin.token), ...headers },
      });
    const no = await cancel(suite);
    expect(no.statusCode).toBe(409);
    expect(no.json()).toMatchObject({ name: 'subscriptionNotCancellable', code: 100807 });
    const stale = await cancel(res, { 'if-match': (await get(c.id, sw)).headers.etag as string });
    expect(stale.statusCode).toBe(412);
    const yes = await cancel(res, { 'if-match': (await get(c.id, res)).headers.etag as string });
    expect(yes.statusCode, yes.body).toBe(200);
    expect(yes.json()).toMatchObject({
      status: 'cancelled',
      cancellable: true,
      cancellationDate: clock.now().toISOString(),
    });
    expect((await actions(res)).map((a) => a.action)).toEqual(['subscription.cancel']);
    // Cancelled is the end: no change, no second cancellation.
    const again = await cancel(res);
    expect(again.json()).toMatchObject({ name: 'subscriptionEnded', code: 100808 });
    expect((await patch(c.id, res, { friendlyName: 'x' })).json().name).toBe('subscriptionEnded');
  });

  it('is for Global admins, Admin agents and Sales agents; Helpdesk agents may only read', async () => {
    const c = await readyCustomer();
    const sub = await subscribe(t.app, admin.token, c.id, cat.suite, 5);
    const helpdesk = await createUser(t.store, admin.partnerId, { roles: ['helpdeskAgent'] });
    const sales = await createUser(t.store, admin.partnerId, { roles: ['salesAgent'] });
    expect((await get(c.id, sub, helpdesk.token)).statusCode).toBe(200);
    expect((await patch(c.id, sub, { quantity: 6 }, {}, helpdesk.token)).statusCode).toBe(403);
    expect((await patch(c.id, sub, { quantity: 6 }, {}, sales.token)).statusCode).toBe(200);
  });
});

describe('assigned licenses (provided by the licenses feature)', () => {
  it('keep the quantity from dropping below the seats assigned, when a provider says how many', async () => {
    const c = await readyCustomer();
    const sub = await subscribe(t.app, admin.token, c.id, cat.suite, 10);
    const customers = createCustomersService({
      db: t.store.app,
      clock,
      instances: createInstanceService(t.config),
      countries: createCountriesService(),
    });
    const service = createSubscriptionsService({
      db: t.store.app,
      clock,
      customers,
      assignedSeats: async (_trx, id) => (id === sub ? 7 : 0),
    });
    const ctx: CallerContext = {
      partnerId: admin.partnerId,
      instance: 'global',
      userId: admin.id,
      userName: admin.userName,
      roles: ['globalAdmin'],
      credential: { kind: 'bearer', id: 'test' },
    };
    await expect(service.update(ctx, c.id, sub, { quantity: 6 }, undefined)).rejects.toMatchObject({
      errorName: 'quantityBelowAssigned',
      status: 409,
    });
    expect((await service.update(ctx, c.id, sub, { quantity: 7 }, undefined)).quantity).toBe(7);
    expect((await service.update(ctx, c.id, sub, { quantity: 20 }, undefined)).quantity).toBe(20);
  });
});
