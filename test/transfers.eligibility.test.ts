// Which subscriptions can move to the caller (the would-be target): every reason a subscription cannot, in
// the contract's order (the first that applies), the filters, the partner-of-record's own view; instances that
// refuse transfers; a caller without an active relationship; and creating a request, which refuses an
// ineligible subscription with a reason per field and writes nothing, and otherwise makes a pending request the
// source and the customer can see.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from './helpers/app.ts';
import { createTestApp } from './helpers/app.ts';
import { insertCustomer } from './helpers/customers.ts';
import { createPartnerWithAdmin } from './helpers/factories.ts';
import type { TestCatalog } from './helpers/offers.ts';
import { insertTestCatalog } from './helpers/offers.ts';
import { insertRelationship } from './helpers/relationships.ts';
import {
  DAY,
  endRelationship,
  insertSubscriptions,
  setCustomerCountry,
  transferWorld,
  transfersApi,
} from './helpers/transfers.ts';

let t: TestApp;
let cat: TestCatalog;
let api: ReturnType<typeof transfersApi>;

beforeAll(async () => {
  t = await createTestApp();
  cat = await insertTestCatalog(t.store);
  api = transfersApi(t.app);
});
afterAll(() => t.close());

interface Eligibility {
  subscriptionId: string;
  azureSubscriptionId: string | null;
  partnerIdOnRecord: string;
  partnerNameOnRecord: string;
  isEligible: boolean;
  reason: string | null;
  description: string | null;
  openTransferId: string | null;
  status: string;
}

async function eligibility(token: string, customerId: string, query = '') {
  const r = await api.eligibility(token, customerId, query);
  expect(r.statusCode, r.body).toBe(200);
  const body = r.json() as { totalCount: number; items: Eligibility[]; attributes: { objectType: string } };
  expect(body.totalCount).toBe(body.items.length);
  return body.items;
}

const one = async (...args: Parameters<typeof insertSubscriptions>) =>
  (await insertSubscriptions(...args))[0]!;

/** What a customer's transfer tables and activity hold: unchanged by a refused request. */
async function written(customerId: string) {
  const db = t.store.owner;
  const transfers = await db
    .selectFrom('transfers')
    .selectAll()
    .where('customer_id', '=', customerId)
    .execute();
  const ids = transfers.map((x) => x.id);
  return {
    transfers,
    lines: ids.length
      ? await db.selectFrom('transfer_line_items').selectAll().where('transfer_id', 'in', ids).execute()
      : [],
    events: ids.length
      ? await db.selectFrom('transfer_events').selectAll().where('transfer_id', 'in', ids).execute()
      : [],
    activity: await db
      .selectFrom('activity_records')
      .select(['id', 'action'])
      .where('customer_id', '=', customerId)
      .orderBy('id')
      .execute(),
    subscriptions: await db
      .selectFrom('subscriptions')
      .selectAll()
      .where('customer_id', '=', customerId)
      .orderBy('id')
      .execute(),
  };
}

describe('eligibility: one item per subscription of the customer, with the first reason it cannot move', () => {
  it('eligible: active usage-based azure and azurePlan of another partner of record', async () => {
    const w = await transferWorld(t.store);
    const azure = await one(t.store, w.source.partnerId, w.customer.id, cat.azure);
    const plan = await one(t.store, w.source.partnerId, w.customer.id, cat.azurePlan);
    const items = await eligibility(w.target.token, w.customer.id);
    expect(items).toHaveLength(2);
    for (const s of [azure, plan]) {
      const item = items.find((i) => i.subscriptionId === s.id)!;
      expect(item).toMatchObject({
        subscriptionId: s.id,
        azureSubscriptionId: s.azureId,
        partnerIdOnRecord: w.source.partnerId,
        isEligible: true,
        reason: null,
        description: null,
        openTransferId: null,
        status: 'active',
      });
    }
  });

  it('alreadyYours, reservation, software, notAzureUsage (licence-based), notActive (suspended)', async () => {
    const w = await transferWorld(t.store);
    const mine = await one(t.store, w.target.partnerId, w.customer.id, cat.azure);
    const reservation = await one(t.store, w.source.partnerId, w.customer.id, cat.reservation);
    const software = await one(t.store, w.source.partnerId, w.customer.id, cat.software);
    const licence = await one(t.store, w.source.partnerId, w.customer.id, cat.suite);
    const suspended = await one(t.store, w.source.partnerId, w.customer.id, cat.azure, 1, {
      status: 'suspended',
    });
    // Order matters: a suspended licence-based subscription is refused for what it is before its state.
    const suspendedLicence = await one(t.store, w.source.partnerId, w.customer.id, cat.other, 1, {
      status: 'suspended',
    });
    const items = await eligibility(w.target.token, w.customer.id);
    const reasonOf = (id: string) => {
      const item = items.find((i) => i.subscriptionId === id);
      expect(item, id).toBeDefined();
      expect(item!.isEligible).toBe(false);
      expect(item!.description).toMatch(/^[A-Z].*\.$/);
      return item!.reason;
    };
    expect(reasonOf(mine.id)).toBe('alreadyYours');
    expect(reasonOf(reservation.id)).toBe('reservation');
    expect(reasonOf(software.id)).toBe('software');
    expect(reasonOf(licence.id)).toBe('notAzureUsage');
    expect(reasonOf(suspended.id)).toBe('notActive');
    expect(reasonOf(suspendedLicence.id)).toBe('notAzureUsage');
    expect(items).toHaveLength(6);
    // The partner-of-record fields say whose each is.
    expect(items.find((i) => i.subscriptionId === mine.id)!.partnerIdOnRecord).toBe(w.target.partnerId);
  });

  it('pendingTransfer: the open request is named to its target only', async () => {
    const w = await transferWorld(t.store);
    const sub = await one(t.store, w.source.partnerId, w.customer.id, cat.azure);
    const created = await api.create(w.target.token, w.customer.id, { subscriptionIds: [sub.id] });
    expect(created.statusCode, created.body).toBe(201);
    const transferId = created.json().id as string;

    const mine = (await eligibility(w.target.token, w.customer.id))[0]!;
    expect(mine).toMatchObject({ isEligible: false, reason: 'pendingTransfer', openTransferId: transferId });

    // A third partner related to the customer learns that it is in a request, not which.
    const { admin: third } = await createPartnerWithAdmin(t.store);
    await insertRelationship(t.store, third.partnerId, w.customer.id);
    const theirs = (await eligibility(third.token, w.customer.id))[0]!;
    expect(theirs).toMatchObject({ isEligible: false, reason: 'pendingTransfer', openTransferId: null });
    expect(JSON.stringify(theirs)).not.toContain(transferId);

    // Asking for it again is refused, with the reason.
    const again = await api.create(third.token, w.customer.id, { subscriptionIds: [sub.id] });
    expect(again.statusCode, again.body).toBe(409);
    expect(again.json()).toMatchObject({
      name: 'transferNotEligible',
      data: [{ subscriptionId: sub.id, reason: 'pendingTransfer' }],
    });

    // Once the request is cancelled the subscription is free again.
    const cancelled = await api.cancel(w.target.token, w.customer.id, transferId);
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect((await eligibility(third.token, w.customer.id))[0]).toMatchObject({ isEligible: true });
  });

  it('differentCountry: the customer in another country than both partners', async () => {
    const w = await transferWorld(t.store, { customerCountry: 'CA' });
    const sub = await one(t.store, w.source.partnerId, w.customer.id, cat.azure);
    const [item] = await eligibility(w.target.token, w.customer.id);
    expect(item).toMatchObject({ subscriptionId: sub.id, isEligible: false, reason: 'differentCountry' });
  });

  it('differentCountry: the source partner, or the target partner, in another country', async () => {
    const a = await transferWorld(t.store, { source: { country: 'CA' } });
    const s1 = await one(t.store, a.source.partnerId, a.customer.id, cat.azure);
    expect((await eligibility(a.target.token, a.customer.id))[0]).toMatchObject({
      subscriptionId: s1.id,
      reason: 'differentCountry',
    });
    const b = await transferWorld(t.store, { target: { country: 'CA' } });
    const s2 = await one(t.store, b.source.partnerId, b.customer.id, cat.azure);
    expect((await eligibility(b.target.token, b.customer.id))[0]).toMatchObject({
      subscriptionId: s2.id,
      reason: 'differentCountry',
    });
    // A suspended one in another country is refused for its state first.
    const s3 = await one(t.store, b.source.partnerId, b.customer.id, cat.azure, 1, { status: 'suspended' });
    expect(
      (await eligibility(b.target.token, b.customer.id)).find((i) => i.subscriptionId === s3.id),
    ).toMatchObject({
      reason: 'notActive',
    });
  });

  it('differentInstance: a partner of record in another cloud instance', async () => {
    const w = await transferWorld(t.store, { source: { instance: 'usgov' } });
    const sub = await one(t.store, w.source.partnerId, w.customer.id, cat.azure);
    expect((await eligibility(w.target.token, w.customer.id))[0]).toMatchObject({
      subscriptionId: sub.id,
      reason: 'differentInstance',
    });
  });

  it('partnerKind: an indirect reseller as the source, or as the target', async () => {
    const a = await transferWorld(t.store, { source: { kind: 'indirectReseller' } });
    const s1 = await one(t.store, a.source.partnerId, a.customer.id, cat.azure);
    expect((await eligibility(a.target.token, a.customer.id))[0]).toMatchObject({
      subscriptionId: s1.id,
      reason: 'partnerKind',
    });
    const b = await transferWorld(t.store, { target: { kind: 'indirectReseller' } });
    const s2 = await one(t.store, b.source.partnerId, b.customer.id, cat.azure);
    expect((await eligibility(b.target.token, b.customer.id))[0]).toMatchObject({
      subscriptionId: s2.id,
      reason: 'partnerKind',
    });
    // An indirect provider is no reseller: it may take and give.
    const c = await transferWorld(t.store, {
      source: { kind: 'indirectProvider' },
      target: { kind: 'indirectProvider' },
    });
    await one(t.store, c.source.partnerId, c.customer.id, cat.azure);
    expect((await eligibility(c.target.token, c.customer.id))[0]).toMatchObject({ isEligible: true });
  });

  it('sourceRelationshipEnded: the partner of record no longer has a relationship with the customer', async () => {
    const w = await transferWorld(t.store);
    const sub = await one(t.store, w.source.partnerId, w.customer.id, cat.azure);
    await endRelationship(t.store, w.source.partnerId, w.customer.id);
    expect((await eligibility(w.target.token, w.customer.id))[0]).toMatchObject({
      subscriptionId: sub.id,
      isEligible: false,
      reason: 'sourceRelationshipEnded',
    });
  });

  it('filters by partner of record and to the eligible ones; leaves out transferred and deleted rows', async () => {
    const w = await transferWorld(t.store);
    const { admin: other } = await createPartnerWithAdmin(t.store);
    await insertRelationship(t.store, other.partnerId, w.customer.id);
    const s1 = await one(t.store, w.source.partnerId, w.customer.id, cat.azure);
    const s2 = await one(t.store, w.source.partnerId, w.customer.id, cat.suite);
    const s3 = await one(t.store, other.partnerId, w.customer.id, cat.azurePlan);
    const gone = await one(t.store, other.partnerId, w.customer.id, cat.azure);
    await t.store.owner
      .updateTable('subscriptions')
      .set({ status: 'deleted', deleted_at: new Date() })
      .where('id', '=', gone.id)
      .execute();

    const all = await eligibility(w.target.token, w.customer.id);
    expect(all.map((i) => i.subscriptionId).sort()).toEqual([s1.id, s2.id, s3.id].sort());
    const fromSource = await eligibility(
      w.target.token,
      w.customer.id,
      `?sourcePartnerId=${w.source.partnerId}`,
    );
    expect(fromSource.map((i) => i.subscriptionId).sort()).toEqual([s1.id, s2.id].sort());
    const eligible = await eligibility(w.target.token, w.customer.id, '?eligibleOnly=true');
    expect(eligible.map((i) => i.subscriptionId).sort()).toEqual([s1.id, s3.id].sort());
    const both = await eligibility(
      w.target.token,
      w.customer.id,
      `?eligibleOnly=true&sourcePartnerId=${other.partnerId}`,
    );
    expect(both.map((i) => i.subscriptionId)).toEqual([s3.id]);
  });

  it('the partner of record sees its own as alreadyYours and the other partner’s as candidates', async () => {
    const w = await transferWorld(t.store);
    const mine = await one(t.store, w.source.partnerId, w.customer.id, cat.azure);
    const theirs = await one(t.store, w.target.partnerId, w.customer.id, cat.azure);
    const items = await eligibility(w.source.token, w.customer.id);
    expect(items.find((i) => i.subscriptionId === mine.id)).toMatchObject({ reason: 'alreadyYours' });
    expect(items.find((i) => i.subscriptionId === theirs.id)).toMatchObject({ isEligible: true });
  });
});

describe('who may ask', () => {
  it('a partner whose relationship ended: 403 noResellerRelationship (20002) for eligibility and creating', async () => {
    const w = await transferWorld(t.store);
    const sub = await one(t.store, w.source.partnerId, w.customer.id, cat.azure);
    await endRelationship(t.store, w.target.partnerId, w.customer.id);
    const before = await written(w.customer.id);
    const r = await api.eligibility(w.target.token, w.customer.id);
    expect(r.statusCode, r.body).toBe(403);
    expect(r.json()).toMatchObject({ name: 'noResellerRelationship', code: 20002 });
    const c = await api.create(w.target.token, w.customer.id, { subscriptionIds: [sub.id] });
    expect(c.statusCode, c.body).toBe(403);
    expect(c.json()).toMatchObject({ name: 'noResellerRelationship', code: 20002 });
    expect(await written(w.customer.id)).toEqual(before);
  });

  it('a partner that never had a relationship learns nothing of the customer (404)', async () => {
    const w = await transferWorld(t.store);
    const sub = await one(t.store, w.source.partnerId, w.customer.id, cat.azure);
    const { admin: stranger } = await createPartnerWithAdmin(t.store);
    const before = await written(w.customer.id);
    const r = await api.eligibility(stranger.token, w.customer.id);
    expect(r.statusCode, r.body).toBe(404);
    expect(r.body).not.toContain(sub.id);
    const c = await api.create(stranger.token, w.customer.id, { subscriptionIds: [sub.id] });
    expect(c.statusCode, c.body).toBe(404);
    expect(await written(w.customer.id)).toEqual(before);
  });

  it('an instance whose policy refuses transfers (germany): 403 instanceCapabilityRefused, nothing written', async () => {
    const { admin: source } = await createPartnerWithAdmin(t.store, { instance: 'germany', country: 'DE' });
    const { admin: target } = await createPartnerWithAdmin(t.store, { instance: 'germany', country: 'DE' });
    const customer = await insertCustomer(t.store, source.partnerId, { instance: 'germany' });
    await setCustomerCountry(t.store, customer.id, 'DE');
    await insertRelationship(t.store, target.partnerId, customer.id);
    const sub = await one(t.store, source.partnerId, customer.id, cat.azure);
    const before = await written(customer.id);
    const r = await api.eligibility(target.token, customer.id);
    expect(r.statusCode, r.body).toBe(403);
    expect(r.json()).toMatchObject({ name: 'instanceCapabilityRefused' });
    const c = await api.create(target.token, customer.id, { subscriptionIds: [sub.id] });
    expect(c.statusCode, c.body).toBe(403);
    expect(c.json()).toMatchObject({ name: 'instanceCapabilityRefused' });
    const all = await api.create(target.token, customer.id, {
      allEligible: true,
      sourcePartnerTenantId: source.partnerId,
    });
    expect(all.statusCode, all.body).toBe(403);
    expect(await written(customer.id)).toEqual(before);
  });
});

describe('creating a request', () => {
  it('refuses an ineligible subscription with 409, a reason per field, and writes nothing', async () => {
    const w = await transferWorld(t.store);
    const ok = await one(t.store, w.source.partnerId, w.customer.id, cat.azure);
    const reservation = await one(t.store, w.source.partnerId, w.customer.id, cat.reservation);
    const licence = await one(t.store, w.source.partnerId, w.customer.id, cat.suite);
    const suspended = await one(t.store, w.source.partnerId, w.customer.id, cat.azure, 1, {
      status: 'suspended',
    });
    const before = await written(w.customer.id);
    const r = await api.create(w.target.token, w.customer.id, {
      sourcePartnerTenantId: w.source.partnerId,
      subscriptionIds: [ok.id, reservation.id, licence.id, suspended.id],
      note: 'Moving to us',
    });
    expect(r.statusCode, r.body).toBe(409);
    const body = r.json();
    expect(body).toMatchObject({ name: 'transferNotEligible' });
    const descriptions = await eligibility(w.target.token, w.customer.id);
    const describe_ = (id: string) => descriptions.find((i) => i.subscriptionId === id)!.description;
    expect(body.details).toEqual([
      { field: 'subscriptionIds[1]', reason: describe_(reservation.id) },
      { field: 'subscriptionIds[2]', reason: describe_(licence.id) },
      { field: 'subscriptionIds[3]', reason: describe_(suspended.id) },
    ]);
    expect(body.data).toEqual([
      { subscriptionId: reservation.id, reason: 'reservation' },
      { subscriptionId: licence.id, reason: 'notAzureUsage' },
      { subscriptionId: suspended.id, reason: 'notActive' },
    ]);
    expect(await written(w.customer.id)).toEqual(before);
    // The eligible one is still free.
    expect(descriptions.find((i) => i.subscriptionId === ok.id)).toMatchObject({ isEligible: true });
  });

  it('refuses a subscription that is no subscription of this customer, and the caller’s own', async () => {
    const w = await transferWorld(t.store);
    const elsewhere = await insertCustomer(t.store, w.source.partnerId);
    const foreign = await one(t.store, w.source.partnerId, elsewhere.id, cat.azure);
    const mine = await one(t.store, w.target.partnerId, w.customer.id, cat.azure);
    const before = await written(w.customer.id);
    const r = await api.create(w.target.token, w.customer.id, { subscriptionIds: [foreign.id] });
    expect([400, 404, 409], r.body).toContain(r.statusCode);
    expect(r.body).not.toContain(elsewhere.name);
    const own = await api.create(w.target.token, w.customer.id, { subscriptionIds: [mine.id] });
    expect(own.statusCode, own.body).toBe(409);
    expect(own.json()).toMatchObject({
      name: 'transferNotEligible',
      details: [{ field: 'subscriptionIds[0]' }],
      data: [{ subscriptionId: mine.id, reason: 'alreadyYours' }],
    });
    expect(await written(w.customer.id)).toEqual(before);
  });

  it('400 for neither or both of subscriptionIds and allEligible, allEligible without a source, several sources', async () => {
    const w = await transferWorld(t.store);
    const { admin: other } = await createPartnerWithAdmin(t.store);
    await insertRelationship(t.store, other.partnerId, w.customer.id);
    const s1 = await one(t.store, w.source.partnerId, w.customer.id, cat.azure);
    const s2 = await one(t.store, other.partnerId, w.customer.id, cat.azure);
    const before = await written(w.customer.id);
    const bad = [
      {},
      { note: 'nothing named' },
      { subscriptionIds: [s1.id], allEligible: true, sourcePartnerTenantId: w.source.partnerId },
      { allEligible: true },
      { subscriptionIds: [s1.id], sourcePartnerTenantId: other.partnerId },
    ];
    for (const payload of bad) {
      const r = await api.create(w.target.token, w.customer.id, payload);
      expect(r.statusCode, `${JSON.stringify(payload)} → ${r.body}`).toBe(400);
      expect(r.json().name).toBe('validationFailed');
    }
    const several = await api.create(w.target.token, w.customer.id, { subscriptionIds: [s1.id, s2.id] });
    expect(several.statusCode, several.body).toBe(400);
    expect(several.json()).toMatchObject({ name: 'validationFailed' });
    const fields = (several.json().details as { field: string }[]).map((d) => d.field);
    expect(fields.some((f) => f.startsWith('subscriptionIds['))).toBe(true);
    expect(await written(w.customer.id)).toEqual(before);
  });

  it('allEligible takes every eligible one of the source; with none eligible it is a 409', async () => {
    const w = await transferWorld(t.store);
    const a = await one(t.store, w.source.partnerId, w.customer.id, cat.azure);
    const b = await one(t.store, w.source.partnerId, w.customer.id, cat.azurePlan);
    await one(t.store, w.source.partnerId, w.customer.id, cat.suite);
    await one(t.store, w.source.partnerId, w.customer.id, cat.reservation);
    const r = await api.create(w.target.token, w.customer.id, {
      allEligible: true,
      sourcePartnerTenantId: w.source.partnerId,
    });
    expect(r.statusCode, r.body).toBe(201);
    const lines = r.json().lineItems as { subscriptionId: string; status: string }[];
    expect(lines.map((l) => l.subscriptionId).sort()).toEqual([a.id, b.id].sort());
    expect(lines.every((l) => l.status === 'pending')).toBe(true);

    const before = await written(w.customer.id);
    const none = await api.create(w.target.token, w.customer.id, {
      allEligible: true,
      sourcePartnerTenantId: w.source.partnerId,
    });
    expect(none.statusCode, none.body).toBe(409);
    expect(none.json().name).toBe('transferNotEligible');
    expect(await written(w.customer.id)).toEqual(before);
  });

  it('makes a pending request: 201 with its location, the consent link, 30 days to live, a line per subscription; both partners and the customer see it', async () => {
    const w = await transferWorld(t.store);
    const subs = await insertSubscriptions(t.store, w.source.partnerId, w.customer.id, cat.azure, 2);
    const r = await api.create(w.target.token, w.customer.id, {
      sourcePartnerTenantId: w.source.partnerId,
      subscriptionIds: subs.map((s) => s.id),
      note: 'Consolidating with us',
    });
    expect(r.statusCode, r.body).toBe(201);
    const body = r.json();
    expect(r.headers.location).toContain(body.id);
    expect(body).toMatchObject({
      customerTenantId: w.customer.id,
      customerName: w.customer.name,
      sourcePartnerTenantId: w.source.partnerId,
      targetPartnerTenantId: w.target.partnerId,
      direction: 'sent',
      status: 'pending',
      note: 'Consolidating with us',
      customerConsent: {
        status: 'pending',
        consentedAt: null,
        url: `${t.config.publicUrl}/portal/transfers/${body.id}`,
      },
      rejection: null,
      acceptedTime: null,
      completedTime: null,
      attributes: { objectType: 'Transfer' },
    });
    expect(new Date(body.expiresAt).getTime() - new Date(body.createdTime).getTime()).toBe(30 * DAY);
    expect(body.lineItems).toEqual(
      subs.map((s, i) =>
        expect.objectContaining({
          id: i + 1,
          subscriptionId: s.id,
          azureSubscriptionId: s.azureId,
          partnerIdOnRecord: w.source.partnerId,
          status: 'pending',
          transferError: null,
          newSubscriptionId: null,
        }),
      ),
    );

    // The source sees it as received, the customer on its pages.
    const received = await api.get(w.source.token, w.customer.id, body.id);
    expect(received.statusCode, received.body).toBe(200);
    expect(received.json()).toMatchObject({ id: body.id, direction: 'received', status: 'pending' });
    expect(received.json().timeline).toEqual([
      expect.objectContaining({ event: 'created', actor: expect.objectContaining({ side: 'target' }) }),
    ]);
    const portal = await api.portalList(w.customerToken);
    expect(portal.statusCode, portal.body).toBe(200);
    expect(portal.json().items).toContainEqual(expect.objectContaining({ id: body.id, status: 'pending' }));

    // Activity for both partners.
    const activity = await t.store.owner
      .selectFrom('activity_records')
      .select(['partner_id', 'action'])
      .where('resource_id', '=', body.id)
      .execute();
    expect(activity).toEqual(
      expect.arrayContaining([
        { partner_id: w.target.partnerId, action: 'transfer.create' },
        { partner_id: w.source.partnerId, action: 'transfer.create' },
      ]),
    );
    // Nothing moved yet.
    const rows = await t.store.owner
      .selectFrom('subscriptions')
      .select(['partner_id', 'status'])
      .where(
        'id',
        'in',
        subs.map((s) => s.id),
      )
      .execute();
    expect(rows.every((x) => x.partner_id === w.source.partnerId && x.status === 'active')).toBe(true);
  });

  it('MS-RequestId: a retried create answers the same request and makes one', async () => {
    const w = await transferWorld(t.store);
    const sub = await one(t.store, w.source.partnerId, w.customer.id, cat.azure);
    const headers = { 'ms-requestid': `transfer-${sub.id}` };
    const first = await api.create(w.target.token, w.customer.id, { subscriptionIds: [sub.id] }, headers);
    const retry = await api.create(w.target.token, w.customer.id, { subscriptionIds: [sub.id] }, headers);
    expect(first.statusCode, first.body).toBe(201);
    expect(retry.statusCode, retry.body).toBe(201);
    expect(retry.json().id).toBe(first.json().id);
    expect((await written(w.customer.id)).transfers).toHaveLength(1);
  });
});
