// A transfer request from creation to its end: consent, accept (all or some), reject, cancel, expiry after 30
// days on a controlled clock, completion by the job (a line that fails leaves the others complete), who may do
// what (the wrong party, a third partner who sees nothing), two accepts at once, and what a moved subscription
// and one being moved refuse; the relationship-removal preflight names an open request.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expireTransfers } from '../src/modules/transfers/transfers.service.ts';
import { createTransferWorker } from '../src/modules/transfers/transfers.worker.ts';
import type { TestApp } from './helpers/app.ts';
import { injectAs, testClock } from './helpers/app.ts';
import { createPartnerWithAdmin, createUser } from './helpers/factories.ts';
import type { TestCatalog } from './helpers/offers.ts';
import { insertCustomerUser, insertRelationship, issueCustomerToken } from './helpers/relationships.ts';
import type { TransferWorld, transfersApi } from './helpers/transfers.ts';
import {
  DAY,
  checkPartnerOfRecord,
  expectAllRefused,
  insertSubscriptions,
  startTransferApp,
  suspendDirectly,
  transferWorld,
} from './helpers/transfers.ts';

const clock = testClock(new Date('2027-02-01T09:00:00Z'));
let t: TestApp;
let cat: TestCatalog;
let api: ReturnType<typeof transfersApi>;
/** Runs the completion job until no accepted line is left (the app's own worker is off here). */
let drain: () => Promise<void>;

beforeAll(async () => {
  ({ t, cat, api, drain } = await startTransferApp(clock));
});
afterAll(() => t.close());

interface Line {
  id: number;
  subscriptionId: string;
  azureSubscriptionId: string | null;
  status: string;
  transferError: { code: string; description: string } | null;
  newSubscriptionId: string | null;
  completedTime: string | null;
}
interface Transfer {
  id: string;
  status: string;
  direction: string;
  customerConsent: { status: string };
  rejection: { by: string; reason: string } | null;
  progress: { total: number; completed: number; failed: number; percent: number };
  lineItems: Line[];
  timeline?: { event: string; actor: { side: string } }[];
}

/** A world with `n` Azure subscriptions of the source, and a request for all of them (consented unless said). */
async function requested(n = 2, opts: { consent?: boolean } = {}) {
  const w = await transferWorld(t.store);
  const subs = await insertSubscriptions(t.store, w.source.partnerId, w.customer.id, cat.azure, n);
  const r = await api.create(w.target.token, w.customer.id, { subscriptionIds: subs.map((s) => s.id) });
  expect(r.statusCode, r.body).toBe(201);
  const id = r.json().id as string;
  if (opts.consent ?? true) {
    const c = await api.consent(w.customerToken, id);
    expect(c.statusCode, c.body).toBe(200);
  }
  return { w, subs, id };
}

async function read(w: TransferWorld, id: string, token = w.source.token): Promise<Transfer> {
  const r = await api.get(token, w.customer.id, id);
  expect(r.statusCode, r.body).toBe(200);
  return r.json();
}

const rowsOf = (azureId: string) =>
  t.store.owner
    .selectFrom('subscriptions')
    .selectAll()
    .where('azure_subscription_id', '=', azureId)
    .orderBy('creation_date')
    .execute();

function expectProcessed(r: { statusCode: number; body: string; json(): unknown }, status: string) {
  expect(r.statusCode, r.body).toBe(409);
  expect(r.json()).toMatchObject({ name: 'transferAlreadyProcessed', code: 900104, data: [{ status }] });
}

async function expectInvariant() {
  expect(await checkPartnerOfRecord(t.store)).toEqual({
    liveCounts: [],
    brokenLinks: [],
    brokenBacklinks: [],
  });
}

describe('accepting all: the job moves every subscription', () => {
  it('202 inProgress, then completed: a new billing id per subscription, the Azure id kept, the source keeps history only', async () => {
    const { w, subs, id } = await requested(2);
    const accepted = await api.accept(w.source.token, w.customer.id, id);
    expect(accepted.statusCode, accepted.body).toBe(202);
    expect(accepted.json()).toMatchObject({
      status: 'inProgress',
      direction: 'received',
      progress: { total: 2, completed: 0, failed: 0, percent: 0 },
    });
    expect((accepted.json() as Transfer).lineItems.map((l) => l.status)).toEqual(['accepted', 'accepted']);

    await drain();
    const done = await read(w, id, w.target.token);
    expect(done.status).toBe('completed');
    expect(done.progress).toMatchObject({ total: 2, completed: 2, failed: 0, percent: 100 });
    for (const [i, s] of subs.entries()) {
      const line = done.lineItems[i]!;
      expect(line).toMatchObject({
        subscriptionId: s.id,
        azureSubscriptionId: s.azureId,
        status: 'completed',
      });
      expect(line.newSubscriptionId).not.toBe(s.id);
      const rows = await rowsOf(s.azureId!);
      expect(rows).toHaveLength(2);
      const [old, now] = [rows.find((r) => r.id === s.id)!, rows.find((r) => r.id !== s.id)!];
      expect(old).toMatchObject({
        partner_id: w.source.partnerId,
        status: 'transferred',
        transferred_to_subscription_id: now.id,
      });
      expect(old.transferred_at).toBeInstanceOf(Date);
      expect(now).toMatchObject({
        id: line.newSubscriptionId,
        partner_id: w.target.partnerId,
        customer_id: w.customer.id,
        status: 'active',
        offer_id: cat.azure,
        azure_subscription_id: s.azureId,
        transfer_id: id,
        transferred_from_subscription_id: s.id,
        unit_price: null,
        support_partner_id: null,
      });
      // What it is carries over; when it began is the transfer's time, the same instant the old one closed.
      for (const k of [
        'offer_name',
        'product_kind',
        'billing_type',
        'unit_type',
        'friendly_name',
        'quantity',
        'term',
        'billing_cycle',
        'auto_renew',
        'currency',
      ] as const)
        expect(now[k], k).toEqual(old[k]);
      expect(now.creation_date).toEqual(old.transferred_at);
      expect(now.effective_start_date).toEqual(old.transferred_at);
    }
    expect(done.timeline!.map((e) => e.event)).toEqual([
      'created',
      'consented',
      'accepted',
      'lineCompleted',
      'lineCompleted',
      'completed',
    ]);

    // The target's new order holds both; it was made by the transfer.
    const order = await t.store.owner
      .selectFrom('orders')
      .selectAll()
      .where('created_by', '=', `transfer:${id}`)
      .execute();
    expect(order).toHaveLength(1);
    expect(order[0]).toMatchObject({ partner_id: w.target.partnerId, customer_id: w.customer.id });

    // The target lists them; the source's active list no longer has them, its history does.
    const targetList = await injectAs(
      t.app,
      w.target.token,
      'GET',
      `/v1/customers/${w.customer.id}/subscriptions`,
    );
    expect(
      targetList
        .json()
        .items.map((s: { azureSubscriptionId: string }) => s.azureSubscriptionId)
        .sort(),
    ).toEqual(subs.map((s) => s.azureId).sort());
    const sourceList = await injectAs(
      t.app,
      w.source.token,
      'GET',
      `/v1/customers/${w.customer.id}/subscriptions`,
    );
    expect(sourceList.json().items).toEqual([]);
    const history = await injectAs(
      t.app,
      w.source.token,
      'GET',
      `/v1/customers/${w.customer.id}/subscriptions?status=transferred`,
    );
    expect(
      history
        .json()
        .items.map((s: { id: string }) => s.id)
        .sort(),
    ).toEqual(subs.map((s) => s.id).sort());
    const exported = await injectAs(
      t.app,
      w.source.token,
      'GET',
      `/v1/customers/${w.customer.id}/subscriptions/export.csv`,
    );
    expect(exported.statusCode).toBe(200);
    for (const s of subs) expect(exported.body).not.toContain(s.id);
    const oldOne = await injectAs(
      t.app,
      w.source.token,
      'GET',
      `/v1/customers/${w.customer.id}/subscriptions/${subs[0]!.id}`,
    );
    expect(oldOne.statusCode).toBe(200);
    expect(oldOne.json()).toMatchObject({ status: 'transferred', transferId: id });
    expect(oldOne.json().transferredAt).toEqual(expect.any(String));

    // Activity: each moved subscription for both partners, and the end of the request.
    const activity = await t.store.owner
      .selectFrom('activity_records')
      .select(['partner_id', 'action', 'details'])
      .where('customer_id', '=', w.customer.id)
      .execute();
    for (const partner of [w.source.partnerId, w.target.partnerId]) {
      const mine = activity.filter((a) => a.partner_id === partner).map((a) => a.action);
      expect(
        mine.filter((a) => a === 'transfer.subscriptionTransferred'),
        partner,
      ).toHaveLength(2);
      expect(mine, partner).toContain('transfer.accept');
      expect(mine, partner).toContain('transfer.complete');
    }
    // Each moved subscription's record names both ids and the Azure id; the new billing id only to the target.
    const moved = activity.filter((a) => a.action === 'transfer.subscriptionTransferred');
    for (const s of subs) {
      const newId = done.lineItems.find((l) => l.subscriptionId === s.id)!.newSubscriptionId;
      const forTarget = moved.find(
        (a) => a.partner_id === w.target.partnerId && JSON.stringify(a.details).includes(s.id),
      );
      const forSource = moved.find(
        (a) => a.partner_id === w.source.partnerId && JSON.stringify(a.details).includes(s.id),
      );
      expect(JSON.stringify(forTarget?.details)).toContain(s.azureId!);
      expect(JSON.stringify(forTarget?.details)).toContain(newId!);
      expect(JSON.stringify(forSource?.details)).toContain(s.azureId!);
      expect(JSON.stringify(forSource?.details)).not.toContain(newId!);
    }
    await expectInvariant();
  });

  it('a subset: the others notAccepted and stay with the source; the request partiallyCompleted', async () => {
    const { w, subs, id } = await requested(3);
    const r = await api.accept(w.source.token, w.customer.id, id, { subscriptionIds: [subs[1]!.id] });
    expect(r.statusCode, r.body).toBe(202);
    expect((r.json() as Transfer).lineItems.map((l) => l.status)).toEqual([
      'notAccepted',
      'accepted',
      'notAccepted',
    ]);
    await drain();
    const done = await read(w, id);
    expect(done.status).toBe('partiallyCompleted');
    expect(done.lineItems.map((l) => l.status)).toEqual(['notAccepted', 'completed', 'notAccepted']);
    expect(done.progress).toMatchObject({ total: 1, completed: 1, failed: 0 });
    for (const [i, s] of subs.entries()) {
      const live = (await rowsOf(s.azureId!)).filter((x) => x.status === 'active');
      expect(live).toHaveLength(1);
      expect(live[0]!.partner_id).toBe(i === 1 ? w.target.partnerId : w.source.partnerId);
    }
    // The ones left are free for another request.
    const again = await api.create(w.target.token, w.customer.id, { subscriptionIds: [subs[0]!.id] });
    expect(again.statusCode, again.body).toBe(201);
    await expectInvariant();
  });

  it('a line no longer eligible when accepted fails at once; the others go ahead', async () => {
    const { w, subs, id } = await requested(2);
    await suspendDirectly(t.store, subs[0]!.id);
    const r = await api.accept(w.source.token, w.customer.id, id);
    expect(r.statusCode, r.body).toBe(202);
    const lines = (r.json() as Transfer).lineItems;
    expect(lines[0]).toMatchObject({ status: 'failed', transferError: { code: 'subscriptionNotActive' } });
    expect(lines[1]).toMatchObject({ status: 'accepted' });
    await drain();
    const done = await read(w, id);
    expect(done.status).toBe('partiallyCompleted');
    expect(done.lineItems.map((l) => l.status)).toEqual(['failed', 'completed']);
    await expectInvariant();
  });

  it('accept, cancel and the customer’s consent take no body at all; reject needs its reason', async () => {
    const n = await requested(1, { consent: false });
    const consented = await t.app.inject({
      method: 'POST',
      url: `/v1/customer/transfers/${n.id}/consent`,
      headers: { authorization: `Bearer ${n.w.customerToken}` },
    });
    expect(consented.statusCode, consented.body).toBe(200);
    const a = await requested(1);
    const accepted = await t.app.inject({
      method: 'POST',
      url: `/v1/customers/${a.w.customer.id}/transfers/${a.id}/accept`,
      headers: { authorization: `Bearer ${a.w.source.token}` },
    });
    expect(accepted.statusCode, accepted.body).toBe(202);
    expect((accepted.json() as Transfer).lineItems.map((l) => l.status)).toEqual(['accepted']);
    await drain();
    const c = await requested(1);
    const cancelled = await t.app.inject({
      method: 'POST',
      url: `/v1/customers/${c.w.customer.id}/transfers/${c.id}/cancel`,
      headers: { authorization: `Bearer ${c.w.target.token}` },
    });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    const r = await requested(1);
    const rejected = await t.app.inject({
      method: 'POST',
      url: `/v1/customers/${r.w.customer.id}/transfers/${r.id}/reject`,
      headers: { authorization: `Bearer ${r.w.source.token}` },
    });
    expect(rejected.statusCode, rejected.body).toBe(400);
    const blank = await api.reject(r.w.source.token, r.w.customer.id, r.id, '   ');
    expect(blank.statusCode, blank.body).toBe(400);
    expect((await read(r.w, r.id)).status).toBe('pending');
  });

  it('MS-RequestId: a retried accept answers the same 202, not 409', async () => {
    const { w, id } = await requested(1);
    const headers = { 'ms-requestid': `accept-${id}` };
    const first = await injectAs(
      t.app,
      w.source.token,
      'POST',
      `/v1/customers/${w.customer.id}/transfers/${id}/accept`,
      {
        payload: {},
        headers,
      },
    );
    const retry = await injectAs(
      t.app,
      w.source.token,
      'POST',
      `/v1/customers/${w.customer.id}/transfers/${id}/accept`,
      {
        payload: {},
        headers,
      },
    );
    expect(first.statusCode, first.body).toBe(202);
    expect(retry.statusCode, retry.body).toBe(202);
    expect(retry.json()).toEqual(first.json());
    await drain();
  });

  it('under another customer’s path the request is not found, even for its source', async () => {
    const { w, id } = await requested(1);
    const { w: other } = await requested(1);
    await insertRelationship(t.store, w.source.partnerId, other.customer.id);
    expectAllRefused(
      [
        await api.get(w.source.token, other.customer.id, id),
        await api.accept(w.source.token, other.customer.id, id),
        await api.reject(w.source.token, other.customer.id, id),
      ],
      404,
      'transferNotFound',
    );
    expect((await read(w, id)).status).toBe('pending');
  });

  it('a support contact the source named does not follow the subscription', async () => {
    const { w, subs, id } = await requested(1);
    const { admin: helper } = await createPartnerWithAdmin(t.store);
    await insertRelationship(t.store, helper.partnerId, w.customer.id);
    const support = await injectAs(
      t.app,
      w.source.token,
      'PUT',
      `/v1/customers/${w.customer.id}/subscriptions/${subs[0]!.id}/supportcontact`,
      { payload: { supportPartnerId: helper.partnerId } },
    );
    expect(support.statusCode, support.body).toBe(200);
    expect((await api.accept(w.source.token, w.customer.id, id)).statusCode).toBe(202);
    await drain();
    const newId = (await read(w, id, w.target.token)).lineItems[0]!.newSubscriptionId!;
    const contact = await injectAs(
      t.app,
      w.target.token,
      'GET',
      `/v1/customers/${w.customer.id}/subscriptions/${newId}/supportcontact`,
    );
    expect(contact.statusCode, contact.body).toBe(200);
    // The new partner of record supports it itself.
    expect(JSON.stringify(contact.json())).not.toContain(helper.partnerId);
    const row = await t.store.owner
      .selectFrom('subscriptions')
      .select('support_partner_id')
      .where('id', '=', newId)
      .executeTakeFirstOrThrow();
    expect(row.support_partner_id).toBeNull();
  });

  it('400 when a named subscription is no line item of the request; nothing changes', async () => {
    const { w, id } = await requested(1);
    const [other] = await insertSubscriptions(t.store, w.source.partnerId, w.customer.id, cat.azure, 1);
    const r = await api.accept(w.source.token, w.customer.id, id, { subscriptionIds: [other!.id] });
    expect(r.statusCode, r.body).toBe(400);
    expect((await read(w, id)).status).toBe('pending');
  });
});

describe('a line that fails at completion', () => {
  it('leaves the others complete; the request partiallyCompleted with the reason on that line', async () => {
    const { w, subs, id } = await requested(3);
    const accepted = await api.accept(w.source.token, w.customer.id, id);
    expect(accepted.statusCode, accepted.body).toBe(202);
    // After the accept, before the job: the subscription is suspended through the owner connection.
    await suspendDirectly(t.store, subs[1]!.id);
    await drain();
    const done = await read(w, id, w.target.token);
    expect(done.status).toBe('partiallyCompleted');
    expect(done.lineItems.map((l) => l.status)).toEqual(['completed', 'failed', 'completed']);
    expect(done.lineItems[1]!.transferError).toEqual({
      code: 'subscriptionNotActive',
      description: expect.stringMatching(/\S/),
    });
    expect(done.lineItems[1]!.newSubscriptionId).toBeNull();
    expect(done.progress).toMatchObject({ total: 3, completed: 2, failed: 1 });
    expect(done.timeline!.map((e) => e.event)).toContain('lineFailed');
    // The failed one is still the source's, suspended as it was; the others moved.
    const failedRows = await rowsOf(subs[1]!.azureId!);
    expect(failedRows).toHaveLength(1);
    expect(failedRows[0]).toMatchObject({ partner_id: w.source.partnerId, status: 'suspended' });
    for (const s of [subs[0]!, subs[2]!]) {
      const rows = await rowsOf(s.azureId!);
      expect(rows.find((x) => x.status === 'active')!.partner_id).toBe(w.target.partnerId);
    }
    const failures = await t.store.owner
      .selectFrom('activity_records')
      .select(['partner_id'])
      .where('customer_id', '=', w.customer.id)
      .where('action', '=', 'transfer.subscriptionFailed')
      .execute();
    expect(failures.map((f) => f.partner_id).sort()).toEqual([w.source.partnerId, w.target.partnerId].sort());
    await expectInvariant();
  });

  it('every line failing: the request failed', async () => {
    const { w, subs, id } = await requested(1);
    expect((await api.accept(w.source.token, w.customer.id, id)).statusCode).toBe(202);
    await suspendDirectly(t.store, subs[0]!.id);
    await drain();
    const done = await read(w, id);
    expect(done.status).toBe('failed');
    expect(done.lineItems[0]).toMatchObject({
      status: 'failed',
      transferError: { code: 'subscriptionNotActive' },
    });
    await expectInvariant();
  });

  it('the target’s relationship ended before the job: relationshipEnded', async () => {
    const { w, id } = await requested(1);
    expect((await api.accept(w.source.token, w.customer.id, id)).statusCode).toBe(202);
    await t.store.owner
      .updateTable('customer_relationships')
      .set({ state: 'removed', removed_at: new Date(), delegated_admin: false })
      .where('partner_id', '=', w.target.partnerId)
      .where('customer_id', '=', w.customer.id)
      .execute();
    await drain();
    const done = await read(w, id);
    expect(done.status).toBe('failed');
    expect(done.lineItems[0]).toMatchObject({
      status: 'failed',
      transferError: { code: 'relationshipEnded' },
    });
    await expectInvariant();
  });
});

describe('the order of things', () => {
  it('accepting before the customer consented: 409 transferConsentRequired, nothing changes', async () => {
    const { w, id } = await requested(1, { consent: false });
    const r = await api.accept(w.source.token, w.customer.id, id);
    expect(r.statusCode, r.body).toBe(409);
    expect(r.json()).toMatchObject({ name: 'transferConsentRequired' });
    const now = await read(w, id);
    expect(now).toMatchObject({ status: 'pending', customerConsent: { status: 'pending' } });
    expect(now.lineItems.map((l) => l.status)).toEqual(['pending']);
    // Rejecting needs no consent.
    const rejected = await api.reject(w.source.token, w.customer.id, id, 'We keep this customer.');
    expect(rejected.statusCode, rejected.body).toBe(200);
    expect(rejected.json()).toMatchObject({
      status: 'rejected',
      rejection: { by: 'source', reason: 'We keep this customer.' },
    });
  });

  it('cancel after accept: 409 transferAlreadyProcessed (900104) with the status, while in progress and after', async () => {
    const { w, id } = await requested(1);
    expect((await api.accept(w.source.token, w.customer.id, id)).statusCode).toBe(202);
    expectProcessed(await api.cancel(w.target.token, w.customer.id, id), 'inProgress');
    expectProcessed(await api.reject(w.source.token, w.customer.id, id), 'inProgress');
    expectProcessed(await api.accept(w.source.token, w.customer.id, id), 'inProgress');
    await drain();
    expectProcessed(await api.cancel(w.target.token, w.customer.id, id), 'completed');
  });

  it('reject, then accept: 409 900104 rejected; the lines rejected; the subscriptions stay and are free again', async () => {
    const { w, subs, id } = await requested(2);
    const r = await api.reject(w.source.token, w.customer.id, id, 'Contract runs until June.');
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().lineItems.map((l: Line) => l.status)).toEqual(['rejected', 'rejected']);
    expectProcessed(await api.accept(w.source.token, w.customer.id, id), 'rejected');
    expectProcessed(await api.cancel(w.target.token, w.customer.id, id), 'rejected');
    const seen = await read(w, id, w.target.token);
    expect(seen).toMatchObject({
      status: 'rejected',
      rejection: { by: 'source', reason: 'Contract runs until June.' },
    });
    for (const s of subs) {
      const rows = await rowsOf(s.azureId!);
      expect(rows).toHaveLength(1);
      expect(rows[0]!.partner_id).toBe(w.source.partnerId);
    }
    const again = await api.create(w.target.token, w.customer.id, { subscriptionIds: subs.map((s) => s.id) });
    expect(again.statusCode, again.body).toBe(201);
  });

  it('the target cancels while pending; afterwards nothing more can happen to it', async () => {
    const { w, id } = await requested(1);
    const r = await api.cancel(w.target.token, w.customer.id, id);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ status: 'cancelled', lineItems: [{ status: 'cancelled' }] });
    expectProcessed(await api.accept(w.source.token, w.customer.id, id), 'cancelled');
    const consent = await api.consent(w.customerToken, id);
    expect(consent.statusCode, consent.body).toBe(409);
    expect(consent.json()).toMatchObject({ name: 'transferAlreadyProcessed' });
  });

  it('the customer declines: rejected by the customer; accepting is then 409 900104', async () => {
    const { w, id } = await requested(1, { consent: false });
    const r = await api.decline(w.customerToken, id);
    expect(r.statusCode, r.body).toBe(200);
    const seen = await read(w, id, w.target.token);
    expect(seen).toMatchObject({
      status: 'rejected',
      rejection: { by: 'customer' },
      customerConsent: { status: 'declined' },
    });
    expectProcessed(await api.accept(w.source.token, w.customer.id, id), 'rejected');
    expect(seen.lineItems.map((l) => l.status)).toEqual(['rejected']);
    expect(seen.timeline!.map((e) => e.event)).toEqual(['created', 'consentDeclined']);
    // Both partners are told, by the customer.
    const told = await t.store.owner
      .selectFrom('activity_records')
      .select(['partner_id', 'actor_kind'])
      .where('customer_id', '=', w.customer.id)
      .where('action', '=', 'transfer.consentDecline')
      .execute();
    expect(told.map((a) => a.partner_id).sort()).toEqual([w.source.partnerId, w.target.partnerId].sort());
    expect(told.every((a) => a.actor_kind === 'customer')).toBe(true);
  });

  it('the customer’s consent is on the timeline and told to both partners', async () => {
    const { w, id } = await requested(1);
    const seen = await read(w, id);
    expect(seen.customerConsent).toMatchObject({ status: 'given', consentedBy: w.customerAdmin.userName });
    expect(seen.timeline!.at(-1)).toMatchObject({ event: 'consented', actor: { side: 'customer' } });
    const told = await t.store.owner
      .selectFrom('activity_records')
      .select('partner_id')
      .where('customer_id', '=', w.customer.id)
      .where('action', '=', 'transfer.consent')
      .execute();
    expect(told.map((a) => a.partner_id).sort()).toEqual([w.source.partnerId, w.target.partnerId].sort());
    // Consenting twice: the second finds nothing awaiting consent.
    const again = await api.consent(w.customerToken, id);
    expect(again.statusCode, again.body).toBe(409);
  });

  it('only a Global admin of the customer consents', async () => {
    const { w, id } = await requested(1, { consent: false });
    const user = await insertCustomerUser(t.store, w.customer.id, { roles: ['userAdmin'] });
    const token = await issueCustomerToken(t.store, w.customer.id, user.id);
    const r = await api.consent(token, id);
    expect(r.statusCode, r.body).toBe(403);
    expect(r.json()).toMatchObject({ name: 'transferConsentNotAllowed' });
    expect((await read(w, id)).customerConsent.status).toBe('pending');
  });

  it('the wrong party: the target cannot accept or reject, the source cannot cancel (403 transferWrongParty)', async () => {
    const { w, id } = await requested(1);
    expectAllRefused(
      [
        await api.accept(w.target.token, w.customer.id, id),
        await api.reject(w.target.token, w.customer.id, id),
        await api.cancel(w.source.token, w.customer.id, id),
      ],
      403,
      'transferWrongParty',
    );
    expect((await read(w, id)).status).toBe('pending');
  });

  it('a role that only views (billingAdmin) reads requests and cannot answer them', async () => {
    const { w, id } = await requested(1);
    const billing = await createUser(t.store, w.source.partnerId, { roles: ['billingAdmin'] });
    expect((await api.get(billing.token, w.customer.id, id)).statusCode).toBe(200);
    const r = await api.accept(billing.token, w.customer.id, id);
    expect(r.statusCode).toBe(403);
    expect(r.json()).toMatchObject({ name: 'forbidden' });
  });
});

describe('expiry', () => {
  it('a pending request expires 30 days after creation, not at 29', async () => {
    const { w, subs, id } = await requested(2);
    const { id: young } = await (async () => {
      // Made a day later: still pending when the first expires.
      clock.advance(DAY);
      const [s] = await insertSubscriptions(t.store, w.source.partnerId, w.customer.id, cat.azure, 1);
      const r = await api.create(w.target.token, w.customer.id, { subscriptionIds: [s!.id] });
      expect(r.statusCode, r.body).toBe(201);
      return r.json() as { id: string };
    })();
    clock.advance(28 * DAY); // the first is 29 days old
    await expireTransfers(t.store.owner, clock.now());
    expect((await read(w, id)).status).toBe('pending');

    clock.advance(DAY + 1000); // 30 days and a second
    const expired = await expireTransfers(t.store.owner, clock.now());
    expect(expired).toBeGreaterThanOrEqual(1);
    const after = await read(w, id, w.target.token);
    expect(after.status).toBe('expired');
    expect(after.lineItems.map((l) => l.status)).toEqual(['expired', 'expired']);
    expect(after.timeline!.at(-1)).toMatchObject({ event: 'expired', actor: { side: 'system' } });
    expect((await read(w, young)).status).toBe('pending');
    // Once is enough: running again changes nothing of it.
    await expireTransfers(t.store.owner, clock.now());
    expect((await read(w, id)).timeline!.filter((e) => e.event === 'expired')).toHaveLength(1);

    expectProcessed(await api.accept(w.source.token, w.customer.id, id), 'expired');
    const activity = await t.store.owner
      .selectFrom('activity_records')
      .select(['partner_id'])
      .where('customer_id', '=', w.customer.id)
      .where('action', '=', 'transfer.expire')
      .execute();
    expect(activity.map((a) => a.partner_id).sort()).toEqual([w.source.partnerId, w.target.partnerId].sort());
    // Its subscriptions are free again.
    const again = await api.create(w.target.token, w.customer.id, { subscriptionIds: subs.map((s) => s.id) });
    expect(again.statusCode, again.body).toBe(201);
  });

  it('past its 30 days a request cannot be accepted, even before the expiry job has marked it', async () => {
    const { w, id } = await requested(1);
    clock.advance(30 * DAY + 1000);
    expectProcessed(await api.accept(w.source.token, w.customer.id, id), 'expired');
    expectProcessed(await api.cancel(w.target.token, w.customer.id, id), 'expired');
    const rows = await t.store.owner
      .selectFrom('subscriptions')
      .select(['partner_id', 'status'])
      .where('customer_id', '=', w.customer.id)
      .execute();
    expect(rows).toEqual([{ partner_id: w.source.partnerId, status: 'active' }]);
  });

  it('an accepted request never expires', async () => {
    const { w, id } = await requested(1);
    expect((await api.accept(w.source.token, w.customer.id, id)).statusCode).toBe(202);
    clock.advance(31 * DAY);
    await expireTransfers(t.store.owner, clock.now());
    expect((await read(w, id)).status).toBe('inProgress');
    await drain();
    expect((await read(w, id)).status).toBe('completed');
  });
});

describe('two accepts at once', () => {
  it('accept and the customer’s decline at once: exactly one wins', async () => {
    for (let round = 0; round < 5; round++) {
      const { w, id } = await requested(1);
      // Consented already: a decline now finds nothing awaiting consent, so it must lose or be refused.
      const [a, d] = await Promise.all([
        api.accept(w.source.token, w.customer.id, id),
        api.decline(w.customerToken, id),
      ]);
      expect(a.statusCode, a.body).toBe(202);
      expect(d.statusCode, d.body).toBe(409);
    }
    for (let round = 0; round < 5; round++) {
      const { w, id } = await requested(1, { consent: false });
      // Not consented: the decline wins or the accept is refused for want of consent; never both through.
      const [a, d] = await Promise.all([
        api.accept(w.source.token, w.customer.id, id),
        api.decline(w.customerToken, id),
      ]);
      expect(a.statusCode, a.body).toBe(409);
      expect(d.statusCode, d.body).toBe(200);
      expect((await read(w, id)).status).toBe('rejected');
    }
  });

  it('accept and the source suspending a subscription at once: refused (900101) or the line fails, never both through', async () => {
    for (let round = 0; round < 6; round++) {
      const { w, subs, id } = await requested(1);
      const [a, p] = await Promise.all([
        api.accept(w.source.token, w.customer.id, id),
        injectAs(
          t.app,
          w.source.token,
          'PATCH',
          `/v1/customers/${w.customer.id}/subscriptions/${subs[0]!.id}`,
          {
            payload: { status: 'suspended' },
          },
        ),
      ]);
      expect(a.statusCode, a.body).toBe(202);
      const line = (a.json() as Transfer).lineItems[0]!;
      if (p.statusCode === 200)
        expect(line).toMatchObject({ status: 'failed', transferError: { code: 'subscriptionNotActive' } });
      else {
        expect(p.json(), p.body).toMatchObject({ code: 900101 });
        expect(line.status).toBe('accepted');
      }
      await drain();
      await expectInvariant();
    }
  });

  it('two targets asking for the same subscription at once: one request, the other 409 pendingTransfer', async () => {
    for (let round = 0; round < 5; round++) {
      const w = await transferWorld(t.store);
      const { admin: second } = await createPartnerWithAdmin(t.store);
      await insertRelationship(t.store, second.partnerId, w.customer.id);
      const [sub] = await insertSubscriptions(t.store, w.source.partnerId, w.customer.id, cat.azure, 1);
      const [a, b] = await Promise.all([
        api.create(w.target.token, w.customer.id, { subscriptionIds: [sub!.id] }),
        api.create(second.token, w.customer.id, { subscriptionIds: [sub!.id] }),
      ]);
      expect([a.statusCode, b.statusCode].sort(), `${a.body} ${b.body}`).toEqual([201, 409]);
      const loser = a.statusCode === 409 ? a : b;
      expect(loser.json()).toMatchObject({
        name: 'transferNotEligible',
        details: [{ field: 'subscriptionIds[0]', reason: expect.stringMatching(/\S/) }],
        data: [{ subscriptionId: sub!.id, reason: 'pendingTransfer' }],
      });
      const open = await t.store.owner
        .selectFrom('transfer_line_items')
        .select('transfer_id')
        .where('subscription_id', '=', sub!.id)
        .execute();
      expect(open).toHaveLength(1);
    }
  });

  it('two workers at once complete every line exactly once', async () => {
    const made: { w: TransferWorld; id: string; n: number }[] = [];
    for (let i = 0; i < 4; i++) {
      const { w, id } = await requested(6);
      expect((await api.accept(w.source.token, w.customer.id, id)).statusCode).toBe(202);
      made.push({ w, id, n: 6 });
    }
    const one = createTransferWorker({ owner: t.store.owner, clock });
    const two = createTransferWorker({ owner: t.store.owner, clock });
    await Promise.all([one.drain(), two.drain(), drain()]);
    for (const { w, id, n } of made) {
      const done = await read(w, id);
      expect(done.status).toBe('completed');
      const events = done.timeline!.map((e) => e.event);
      expect(events.filter((e) => e === 'lineCompleted')).toHaveLength(n);
      expect(events.filter((e) => e === 'completed')).toHaveLength(1);
      const rows = await t.store.owner
        .selectFrom('subscriptions')
        .select(['partner_id', 'status'])
        .where('customer_id', '=', w.customer.id)
        .execute();
      expect(rows.filter((r) => r.partner_id === w.target.partnerId)).toHaveLength(n);
      expect(rows.filter((r) => r.status === 'transferred')).toHaveLength(n);
    }
    await expectInvariant();
  });

  it('exactly one 202; the other 409 transferAlreadyProcessed (900104); every line moved once', async () => {
    for (let round = 0; round < 5; round++) {
      const { w, subs, id } = await requested(2);
      const other = await createUser(t.store, w.source.partnerId, { roles: ['adminAgent'] });
      const [a, b] = await Promise.all([
        api.accept(w.source.token, w.customer.id, id),
        round % 2 === 0
          ? api.accept(other.token, w.customer.id, id, { subscriptionIds: [subs[0]!.id] })
          : api.reject(other.token, w.customer.id, id, 'Racing'),
      ]);
      const won = [a, b].filter((r) => r.statusCode === 202 || r.statusCode === 200);
      const lost = [a, b].filter((r) => r.statusCode === 409);
      expect(won, `${a.body} ${b.body}`).toHaveLength(1);
      expect(lost, `${a.body} ${b.body}`).toHaveLength(1);
      expect(lost[0]!.json()).toMatchObject({ name: 'transferAlreadyProcessed', code: 900104 });
      await drain();
      const events = (await read(w, id)).timeline!.map((e) => e.event);
      expect(events.filter((e) => e === 'accepted' || e === 'rejected')).toHaveLength(1);
      await expectInvariant();
    }
  });

  it('two accepts of the whole request: one 202, one 409 with data.status', async () => {
    for (let round = 0; round < 5; round++) {
      const { w, id } = await requested(1);
      const [a, b] = await Promise.all([
        api.accept(w.source.token, w.customer.id, id),
        api.accept(w.source.token, w.customer.id, id),
      ]);
      expect([a.statusCode, b.statusCode].sort(), `${a.body} ${b.body}`).toEqual([202, 409]);
      const loser = a.statusCode === 409 ? a : b;
      expect(loser.json()).toMatchObject({
        code: 900104,
        data: [{ status: 'inProgress' }],
      });
    }
  });
});

describe('a subscription that moved, or is moving', () => {
  const change = (token: string, customerId: string, id: string, payload: unknown) =>
    injectAs(t.app, token, 'PATCH', `/v1/customers/${customerId}/subscriptions/${id}`, { payload });

  it('in an accepted request (inProgress): PATCH is 409 subscriptionTransferInProgress (900101)', async () => {
    const { w, subs, id } = await requested(1);
    expect((await api.accept(w.source.token, w.customer.id, id)).statusCode).toBe(202);
    const r = await change(w.source.token, w.customer.id, subs[0]!.id, { friendlyName: 'Renamed' });
    expect(r.statusCode, r.body).toBe(409);
    expect(r.json()).toMatchObject({ name: 'subscriptionTransferInProgress', code: 900101 });
    const suspend = await change(w.source.token, w.customer.id, subs[0]!.id, { status: 'suspended' });
    expect(suspend.statusCode, suspend.body).toBe(409);
    expect(suspend.json().code).toBe(900101);
    const support = await injectAs(
      t.app,
      w.source.token,
      'PUT',
      `/v1/customers/${w.customer.id}/subscriptions/${subs[0]!.id}/supportcontact`,
      { payload: { supportPartnerId: w.target.partnerId } },
    );
    expect(support.statusCode, support.body).toBe(409);
    expect(support.json().code).toBe(900101);
    const row = await t.store.owner
      .selectFrom('subscriptions')
      .selectAll()
      .where('id', '=', subs[0]!.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'active', support_partner_id: null, version: 1 });
    await drain();
    expect((await read(w, id)).status).toBe('completed');
  });

  it('pending (not yet accepted): the source may still change it', async () => {
    const { w, subs } = await requested(1);
    const r = await change(w.source.token, w.customer.id, subs[0]!.id, { friendlyName: 'Still mine' });
    expect(r.statusCode, r.body).toBe(200);
  });

  it('transferred: the source’s row is history — PATCH, support contact: 409 subscriptionTransferred; GET works', async () => {
    const { w, subs, id } = await requested(1);
    expect((await api.accept(w.source.token, w.customer.id, id)).statusCode).toBe(202);
    await drain();
    const old = subs[0]!.id;
    const r = await change(w.source.token, w.customer.id, old, { friendlyName: 'Renamed' });
    expect(r.statusCode, r.body).toBe(409);
    expect(r.json()).toMatchObject({ name: 'subscriptionTransferred' });
    const support = await injectAs(
      t.app,
      w.source.token,
      'PUT',
      `/v1/customers/${w.customer.id}/subscriptions/${old}/supportcontact`,
      { payload: { supportPartnerId: w.target.partnerId } },
    );
    expect(support.statusCode, support.body).toBe(409);
    expect(support.json()).toMatchObject({ name: 'subscriptionTransferred' });
    const cancel = await injectAs(
      t.app,
      w.source.token,
      'POST',
      `/v1/customers/${w.customer.id}/subscriptions/${old}/cancel`,
      { payload: {} },
    );
    expect(cancel.statusCode, cancel.body).toBe(409);
    expect(cancel.json()).toMatchObject({ name: 'subscriptionTransferred' });
    const get = await injectAs(
      t.app,
      w.source.token,
      'GET',
      `/v1/customers/${w.customer.id}/subscriptions/${old}`,
    );
    expect(get.statusCode).toBe(200);
    expect(get.json().status).toBe('transferred');
    // The new row is the target's to change.
    const newId = (await read(w, id, w.target.token)).lineItems[0]!.newSubscriptionId!;
    // The source is not told the target's new billing id.
    expect((await read(w, id)).lineItems[0]!.newSubscriptionId).toBeNull();
    const renamed = await change(w.target.token, w.customer.id, newId, { friendlyName: 'Ours now' });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json()).toMatchObject({ transferredFromSubscriptionId: old, transferId: id });
    // The source cannot reach the new row.
    expect(
      (await injectAs(t.app, w.source.token, 'GET', `/v1/customers/${w.customer.id}/subscriptions/${newId}`))
        .statusCode,
    ).toBe(404);
  });
});

describe('removing a relationship while a request is open', () => {
  it('the preflight of both parties lists the open request; after it ends, no longer', async () => {
    const { w, id } = await requested(1);
    for (const token of [w.source.token, w.target.token]) {
      const r = await injectAs(
        t.app,
        token,
        'GET',
        `/v1/customers/${w.customer.id}/relationship/removal-check`,
      );
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json().canRemove).toBe(false);
      expect(r.json().blockers).toContainEqual(
        expect.objectContaining({
          code: 'transferInFlight',
          resourceId: id,
          fix: expect.stringMatching(/^Cancel or reject the transfer request, or wait for it to finish/),
        }),
      );
    }
    expect((await api.cancel(w.target.token, w.customer.id, id)).statusCode).toBe(200);
    const r = await injectAs(
      t.app,
      w.target.token,
      'GET',
      `/v1/customers/${w.customer.id}/relationship/removal-check`,
    );
    expect(r.json().blockers.filter((b: { code: string }) => b.code === 'transferInFlight')).toEqual([]);
  });
});

describe('removing a relationship while a request is in progress', () => {
  it('is refused (409 relationshipRemovalBlocked naming the request) until the job has finished it', async () => {
    const { w, id } = await requested(1);
    expect((await api.accept(w.source.token, w.customer.id, id)).statusCode).toBe(202);
    const r = await injectAs(t.app, w.target.token, 'PATCH', `/v1/customers/${w.customer.id}`, {
      payload: { relationshipToPartner: 'none' },
    });
    expect(r.statusCode, r.body).toBe(409);
    expect(r.json()).toMatchObject({ name: 'relationshipRemovalBlocked' });
    expect(r.json().data).toContainEqual(
      expect.objectContaining({ code: 'transferInFlight', resourceId: id }),
    );
    await drain();
    expect((await read(w, id)).status).toBe('completed');
    const check = await injectAs(
      t.app,
      w.source.token,
      'GET',
      `/v1/customers/${w.customer.id}/relationship/removal-check`,
    );
    expect(check.json().blockers).toEqual([]);
  });
});

describe('a third partner', () => {
  it('sees nothing of a request, even with a relationship with the customer: 404 everywhere, absent from lists', async () => {
    const { w, subs, id } = await requested(1);
    const { admin: third } = await createPartnerWithAdmin(t.store);
    await insertRelationship(t.store, third.partnerId, w.customer.id);
    const calls = [
      api.get(third.token, w.customer.id, id),
      api.getAny(third.token, id),
      api.accept(third.token, w.customer.id, id),
      api.reject(third.token, w.customer.id, id),
      api.cancel(third.token, w.customer.id, id),
    ];
    for (const r of await Promise.all(calls)) {
      expect(r.statusCode, r.body).toBe(404);
      expect(r.json()).toMatchObject({ name: 'transferNotFound' });
      expect(r.body).not.toContain(w.source.partnerId);
    }
    for (const r of [
      await api.list(third.token, w.customer.id),
      await api.listAll(third.token),
      await api.listAll(third.token, '?direction=received'),
      await api.summary(third.token),
    ]) {
      expect(r.statusCode, r.body).toBe(200);
      expect(r.body).not.toContain(id);
      expect(r.body).not.toContain(subs[0]!.id);
    }
    expect((await api.summary(third.token)).json()).toMatchObject({
      receivedPending: 0,
      receivedAwaitingConsent: 0,
      sentPending: 0,
      inProgress: 0,
    });
    // A request of another customer is not found under this one's path, even by its parties.
    const { w: w2 } = await requested(1);
    expect((await api.get(w.source.token, w2.customer.id, id)).statusCode).toBe(404);
    expect((await read(w, id)).status).toBe('pending');
  });

  it('lists: both directions for the customer, partner-wide by direction and status, the summary counts', async () => {
    const { w, id } = await requested(1);
    const { id: unconsented } = await (async () => {
      clock.advance(1000);
      const [s] = await insertSubscriptions(t.store, w.source.partnerId, w.customer.id, cat.azure, 1);
      const r = await api.create(w.target.token, w.customer.id, { subscriptionIds: [s!.id] });
      expect(r.statusCode, r.body).toBe(201);
      return r.json() as { id: string };
    })();
    const sent = await api.listAll(w.target.token, '?direction=sent');
    expect(sent.json().items.map((x: Transfer) => x.id)).toContain(id);
    const received = await api.listAll(w.source.token, '?direction=received&status=pending');
    expect(received.json().items.map((x: Transfer) => x.id)).toContain(id);
    expect((await api.listAll(w.source.token, '?direction=sent')).json().items).toEqual([]);
    // Newest first.
    expect((await api.list(w.source.token, w.customer.id)).json().items.map((x: Transfer) => x.id)).toEqual([
      unconsented,
      id,
    ]);
    expect((await api.list(w.target.token, w.customer.id, '?direction=received')).json().items).toEqual([]);
    const summary = (await api.summary(w.source.token)).json();
    expect(summary).toMatchObject({ receivedAwaitingConsent: 1, sentPending: 0, inProgress: 0 });
    // The consented one waits for an answer; whether the unconsented one counts too is the summary's choice.
    expect(summary.receivedPending).toBeGreaterThanOrEqual(1);
    expect((await api.summary(w.target.token)).json()).toMatchObject({ sentPending: 2, receivedPending: 0 });
    expect((await api.accept(w.source.token, w.customer.id, id)).statusCode).toBe(202);
    expect((await api.summary(w.source.token)).json()).toMatchObject({ inProgress: 1 });
    await drain();
  });
});

describe('paging and the target’s order', () => {
  it('lists page through links.next newest first, without repeats, the total on every page', async () => {
    const w = await transferWorld(t.store);
    const made: string[] = [];
    for (let i = 0; i < 5; i++) {
      clock.advance(1000);
      const [s] = await insertSubscriptions(t.store, w.source.partnerId, w.customer.id, cat.azure, 1);
      const r = await api.create(w.target.token, w.customer.id, { subscriptionIds: [s!.id] });
      expect(r.statusCode, r.body).toBe(201);
      made.unshift(r.json().id as string);
    }
    for (const [token, start] of [
      [w.source.token, `/v1/customers/${w.customer.id}/transfers?size=2`],
      [w.target.token, `/v1/transfers?direction=sent&customerId=${w.customer.id}&size=2`],
      [w.source.token, `/v1/transfers?direction=received&status=pending&customerId=${w.customer.id}&size=2`],
    ] as const) {
      const seen: string[] = [];
      let next: string | undefined = start;
      while (next) {
        const page = await injectAs(t.app, token, 'GET', next);
        expect(page.statusCode, page.body).toBe(200);
        expect(page.json().totalCount, start).toBe(5);
        expect(page.json().items.length).toBeLessThanOrEqual(2);
        seen.push(...page.json().items.map((x: Transfer) => x.id));
        next = page.json().links.next?.uri;
      }
      expect(seen, start).toEqual(made);
    }
  });

  it('the moved subscriptions are in one order of the target’s, which the source cannot see', async () => {
    const { w, id } = await requested(2);
    expect((await api.accept(w.source.token, w.customer.id, id)).statusCode).toBe(202);
    await drain();
    const done = await read(w, id, w.target.token);
    const orderId = (await t.store.owner
      .selectFrom('transfers')
      .select('target_order_id')
      .where('id', '=', id)
      .executeTakeFirstOrThrow())!.target_order_id!;
    const order = await injectAs(
      t.app,
      w.target.token,
      'GET',
      `/v1/customers/${w.customer.id}/orders/${orderId}`,
    );
    expect(order.statusCode, order.body).toBe(200);
    const newIds = done.lineItems.map((l) => l.newSubscriptionId);
    expect(
      order
        .json()
        .lineItems.map((l: { subscriptionId: string }) => l.subscriptionId)
        .sort(),
    ).toEqual([...newIds].sort());
    const rows = await t.store.owner
      .selectFrom('subscriptions')
      .select(['id', 'order_id', 'line_item_number'])
      .where('id', 'in', newIds as string[])
      .execute();
    expect(rows.every((r) => r.order_id === orderId)).toBe(true);
    expect(new Set(rows.map((r) => r.line_item_number)).size).toBe(2);
    const theirs = await injectAs(
      t.app,
      w.source.token,
      'GET',
      `/v1/customers/${w.customer.id}/orders/${orderId}`,
    );
    expect(theirs.statusCode).toBe(404);
  });

  it('every line failing at acceptance: 202, and the job closes the request as failed', async () => {
    const { w, subs, id } = await requested(2);
    for (const s of subs) await suspendDirectly(t.store, s.id);
    const r = await api.accept(w.source.token, w.customer.id, id);
    expect(r.statusCode, r.body).toBe(202);
    await drain();
    const done = await read(w, id);
    expect(done.status).toBe('failed');
    expect(done.lineItems.map((l) => l.status)).toEqual(['failed', 'failed']);
    expect(done.timeline!.at(-1)).toMatchObject({ event: 'failed' });
    await expectInvariant();
  });
});
