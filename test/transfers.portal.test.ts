// The customer's side of a transfer request between partners: the organisation's requests as its users see
// them; a Global admin's consent (the timeline and both partners' activity record it), or refusal (the request
// and its line items rejected, by the customer); who may not answer (a user without the Global admin role: 403;
// another organisation: 404, as if the request did not exist); and a request that no longer awaits consent
// (answered already, cancelled, past its 30 days: 409 with its status).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { Store } from '../src/db/database.ts';
import { inPartnerTransaction } from '../src/db/database.ts';
import type { TestApp } from './helpers/app.ts';
import { createTestApp, injectAs, testClock } from './helpers/app.ts';
import { insertCustomer } from './helpers/customers.ts';
import { createPartner } from './helpers/factories.ts';
import { insertSubscription, insertTestCatalog } from './helpers/offers.ts';
import { insertCustomerUser, insertRelationship, issueCustomerToken } from './helpers/relationships.ts';

const DAY = 86_400_000;

interface Scene {
  source: { id: string; name: string };
  target: { id: string; name: string };
  customer: { id: string; name: string };
  subscriptions: { id: string; azureId: string; name: string }[];
  /** A session of a Global admin of the customer, and that admin's user name. */
  admin: { token: string; userName: string };
}

describe('a transfer request, the customer’s side', () => {
  // Starts at the real time: customer sessions are checked against the database clock.
  const clock = testClock(new Date());
  let t: TestApp;
  let azurePlan: string;
  beforeAll(async () => {
    t = await createTestApp({ clock });
    azurePlan = (await insertTestCatalog(t.store)).azurePlan;
  });
  afterAll(() => t.close());

  /** A customer of `source` (two Azure subscriptions) that `target` also has a relationship with. */
  async function scene(): Promise<Scene> {
    const source = await createPartner(t.store, { name: `Source ${randomUUID().slice(0, 6)}` });
    const target = await createPartner(t.store, { name: `Target ${randomUUID().slice(0, 6)}` });
    const customer = await insertCustomer(t.store, source.id);
    await insertRelationship(t.store, target.id, customer.id);
    const subscriptions = [];
    for (const name of ['Production', 'Test lab']) {
      const { subscriptionId } = await insertSubscription(t.store, source.id, customer.id, azurePlan);
      const azureId = randomUUID();
      await t.store.owner
        .updateTable('subscriptions')
        .set({ azure_subscription_id: azureId, friendly_name: name })
        .where('id', '=', subscriptionId)
        .execute();
      subscriptions.push({ id: subscriptionId, azureId, name });
    }
    const user = await insertCustomerUser(t.store, customer.id, { roles: ['globalAdmin'] });
    const token = await issueCustomerToken(t.store, customer.id, user.id);
    return { source, target, customer, subscriptions, admin: { token, userName: user.userName } };
  }

  /** A pending request of the target for the scene's subscriptions, as the partners' API would create it. */
  async function insertTransfer(
    store: Store,
    s: Scene,
    over: { createdAt?: Date; status?: 'pending' | 'cancelled'; note?: string } = {},
  ): Promise<string> {
    const id = randomUUID();
    const createdAt = over.createdAt ?? clock.now();
    const status = over.status ?? 'pending';
    await store.owner.transaction().execute(async (trx) => {
      await trx
        .insertInto('transfers')
        .values({
          id,
          customer_id: s.customer.id,
          instance: 'global',
          source_partner_id: s.source.id,
          target_partner_id: s.target.id,
          status,
          note: over.note ?? 'Moving to our managed Azure service',
          consented_at: null,
          consented_by: null,
          rejection_reason: null,
          rejected_by: null,
          created_by_id: null,
          created_by_name: 'Taylor Target',
          accepted_by_name: null,
          created_at: createdAt,
          updated_at: createdAt,
          expires_at: new Date(createdAt.getTime() + 30 * DAY),
          accepted_at: null,
          closed_at: status === 'pending' ? null : createdAt,
          target_order_id: null,
          lease_owner: null,
          lease_until: null,
        })
        .execute();
      await trx
        .insertInto('transfer_line_items')
        .values(
          s.subscriptions.map((sub, i) => ({
            transfer_id: id,
            line_number: i + 1,
            source_partner_id: s.source.id,
            target_partner_id: s.target.id,
            subscription_id: sub.id,
            azure_subscription_id: sub.azureId,
            offer_id: azurePlan,
            offer_name: 'Azure plan',
            friendly_name: sub.name,
            quantity: 1,
            billing_cycle: 'monthly',
            status: status === 'pending' ? ('pending' as const) : ('cancelled' as const),
            error_code: null,
            error_description: null,
            new_subscription_id: null,
            completed_at: null,
          })),
        )
        .execute();
      await trx
        .insertInto('transfer_events')
        .values({
          transfer_id: id,
          source_partner_id: s.source.id,
          target_partner_id: s.target.id,
          occurred_at: createdAt,
          event: 'created',
          actor_kind: 'partnerUser',
          actor_name: 'Taylor Target',
          actor_side: 'target',
        })
        .execute();
    });
    return id;
  }

  const list = (token: string) => injectAs(t.app, token, 'GET', '/v1/customer/transfers');
  const answer = (token: string, transferId: string, what: 'consent' | 'decline') =>
    injectAs(t.app, token, 'POST', `/v1/customer/transfers/${transferId}/${what}`);
  const stored = (id: string) =>
    t.store.owner.selectFrom('transfers').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const lines = (id: string) =>
    t.store.owner
      .selectFrom('transfer_line_items')
      .select(['line_number', 'status'])
      .where('transfer_id', '=', id)
      .orderBy('line_number')
      .execute();
  const events = (id: string) =>
    t.store.owner
      .selectFrom('transfer_events')
      .selectAll()
      .where('transfer_id', '=', id)
      .orderBy('id')
      .execute();
  const activity = (id: string) =>
    t.store.owner
      .selectFrom('activity_records')
      .selectAll()
      .where('resource_id', '=', id)
      .orderBy('partner_id')
      .execute();

  it('lists the organisation’s requests with who asks, the subscriptions, the note and the consent', async () => {
    const s = await scene();
    const older = await insertTransfer(t.store, s, {
      createdAt: new Date(clock.now().getTime() - DAY),
      status: 'cancelled',
    });
    const id = await insertTransfer(t.store, s);
    const r = await list(s.admin.token);
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json();
    expect(body.totalCount).toBe(2);
    expect(body.attributes).toEqual({ objectType: 'Collection' });
    expect(body.items.map((i: { id: string }) => i.id)).toEqual([id, older]);
    const created = (await stored(id)).created_at;
    expect(body.items[0]).toEqual({
      id,
      status: 'pending',
      customerConsent: 'pending',
      consentedAt: null,
      consentedBy: null,
      note: 'Moving to our managed Azure service',
      sourcePartnerName: s.source.name,
      targetPartnerName: s.target.name,
      createdTime: created.toISOString(),
      expiresAt: new Date(created.getTime() + 30 * DAY).toISOString(),
      completedTime: null,
      lineItems: s.subscriptions.map((sub, i) => ({
        id: i + 1,
        subscriptionId: sub.id,
        azureSubscriptionId: sub.azureId,
        offerName: 'Azure plan',
        friendlyName: sub.name,
        status: 'pending',
      })),
      attributes: { objectType: 'CustomerTransfer' },
    });
    expect(body.items[1]).toMatchObject({ status: 'cancelled', expiresAt: null });

    // Any user of the organisation sees them; another organisation sees none of them.
    const reader = await insertCustomerUser(t.store, s.customer.id, { roles: [] });
    const readerList = await list(await issueCustomerToken(t.store, s.customer.id, reader.id));
    expect(readerList.json().totalCount).toBe(2);
    const other = await scene();
    expect((await list(other.admin.token)).json()).toMatchObject({ totalCount: 0, items: [] });
  });

  it('records a Global admin’s consent: the request stays pending for the source, both partners are told', async () => {
    const s = await scene();
    const id = await insertTransfer(t.store, s);
    const r = await answer(s.admin.token, id, 'consent');
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({
      id,
      status: 'pending',
      customerConsent: 'given',
      consentedBy: s.admin.userName,
      consentedAt: expect.any(String),
      lineItems: [{ status: 'pending' }, { status: 'pending' }],
    });
    expect(await stored(id)).toMatchObject({
      status: 'pending',
      customer_consent: 'given',
      consented_by: s.admin.userName,
      closed_at: null,
    });

    const timeline = await events(id);
    expect(timeline.map((e) => [e.event, e.actor_kind, e.actor_side, e.actor_name])).toEqual([
      ['created', 'partnerUser', 'target', 'Taylor Target'],
      ['consented', 'customer', 'customer', s.admin.userName],
    ]);
    const records = await activity(id);
    expect(records.map((a) => a.partner_id).sort()).toEqual([s.source.id, s.target.id].sort());
    for (const a of records)
      expect(a).toMatchObject({
        action: 'transfer.consent',
        actor_kind: 'customer',
        actor_name: s.admin.userName,
        customer_id: s.customer.id,
        customer_name: s.customer.name,
        resource_type: 'Transfer',
        status: 'succeeded',
      });

    // A second answer finds it answered: 409, with the request's status and consent; nothing more written.
    for (const what of ['consent', 'decline'] as const) {
      const again = await answer(s.admin.token, id, what);
      expect(again.statusCode, again.body).toBe(409);
      expect(again.json()).toMatchObject({
        name: 'transferAlreadyProcessed',
        code: 900104,
        data: [{ status: 'pending', customerConsent: 'given' }],
      });
    }
    expect(await events(id)).toHaveLength(2);
    expect(await activity(id)).toHaveLength(2);
  });

  it('takes the request id in capitals, as a GUID may be written', async () => {
    const s = await scene();
    const id = await insertTransfer(t.store, s);
    const r = await answer(s.admin.token, id.toUpperCase(), 'consent');
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ id, customerConsent: 'given' });
    expect(await stored(id)).toMatchObject({ customer_consent: 'given' });
  });

  it('names a partner through transfer_partner only to itself and to the other party of a request', async () => {
    const s = await scene();
    await insertTransfer(t.store, s);
    const stranger = await createPartner(t.store, { name: `Stranger ${randomUUID().slice(0, 6)}` });
    const namesSeenBy = (caller: string) =>
      inPartnerTransaction(t.store.app, caller, async (trx) => {
        const r = await sql<{ name: string }>`
          select p.name from unnest(${[s.source.id, s.target.id, stranger.id]}::uuid[]) as q(id)
            cross join lateral transfer_partner(q.id) p`.execute(trx);
        return r.rows.map((row) => row.name).sort();
      });
    expect(await namesSeenBy(s.target.id)).toEqual([s.source.name, s.target.name].sort());
    expect(await namesSeenBy(s.source.id)).toEqual([s.source.name, s.target.name].sort());
    expect(await namesSeenBy(stranger.id)).toEqual([stranger.name]);
  });

  it('lets one of two simultaneous answers through and tells the other it came too late', async () => {
    const s = await scene();
    const id = await insertTransfer(t.store, s);
    const both = await Promise.all([
      answer(s.admin.token, id, 'consent'),
      answer(s.admin.token, id, 'decline'),
    ]);
    expect(both.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const won = both.find((r) => r.statusCode === 200)!.json();
    expect((await stored(id)).customer_consent).toBe(won.customerConsent);
    expect(await events(id)).toHaveLength(2);
  });

  it('refuses a user who is not a Global admin with 403, and changes nothing', async () => {
    const s = await scene();
    const id = await insertTransfer(t.store, s);
    const helpdesk = await insertCustomerUser(t.store, s.customer.id, { roles: ['helpdeskAdmin'] });
    const token = await issueCustomerToken(t.store, s.customer.id, helpdesk.id);
    for (const what of ['consent', 'decline'] as const) {
      const r = await answer(token, id, what);
      expect(r.statusCode, r.body).toBe(403);
      expect(r.json()).toMatchObject({ name: 'transferConsentNotAllowed', code: 101205 });
      expect(r.json().description).toContain(s.customer.name);
    }
    expect(await stored(id)).toMatchObject({ status: 'pending', customer_consent: 'pending' });
    expect(await events(id)).toHaveLength(1);
    expect(await activity(id)).toHaveLength(0);
  });

  it('answers 404 to another organisation’s Global admin, as for a request that does not exist', async () => {
    const s = await scene();
    const id = await insertTransfer(t.store, s);
    const other = await scene();
    for (const what of ['consent', 'decline'] as const) {
      for (const transferId of [id, randomUUID()]) {
        const r = await answer(other.admin.token, transferId, what);
        expect(r.statusCode, r.body).toBe(404);
        expect(r.json()).toMatchObject({ name: 'transferNotFound', code: 900100 });
      }
    }
    expect(await stored(id)).toMatchObject({ status: 'pending', customer_consent: 'pending' });
    expect(await activity(id)).toHaveLength(0);
  });

  it('declining rejects the request and its line items, by the customer', async () => {
    const s = await scene();
    const id = await insertTransfer(t.store, s);
    const r = await answer(s.admin.token, id, 'decline');
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({
      id,
      status: 'rejected',
      customerConsent: 'declined',
      consentedBy: s.admin.userName,
      expiresAt: null,
      completedTime: expect.any(String),
      lineItems: [{ status: 'rejected' }, { status: 'rejected' }],
    });
    expect(await stored(id)).toMatchObject({
      status: 'rejected',
      customer_consent: 'declined',
      rejected_by: 'customer',
      closed_at: expect.any(Date),
    });
    expect(await lines(id)).toEqual([
      { line_number: 1, status: 'rejected' },
      { line_number: 2, status: 'rejected' },
    ]);
    expect((await events(id)).map((e) => [e.event, e.actor_side])).toEqual([
      ['created', 'target'],
      ['consentDeclined', 'customer'],
    ]);
    const records = await activity(id);
    expect(records.map((a) => [a.partner_id, a.action]).sort()).toEqual(
      [
        [s.source.id, 'transfer.consentDecline'],
        [s.target.id, 'transfer.consentDecline'],
      ].sort(),
    );

    // Rejected is final: consenting now is too late.
    const late = await answer(s.admin.token, id, 'consent');
    expect(late.statusCode).toBe(409);
    expect(late.json().data).toEqual([{ status: 'rejected', customerConsent: 'declined' }]);
    // The subscriptions stay with their partner of record.
    const subs = await t.store.owner
      .selectFrom('subscriptions')
      .select(['partner_id', 'status'])
      .where(
        'id',
        'in',
        s.subscriptions.map((x) => x.id),
      )
      .execute();
    expect(subs).toEqual([
      { partner_id: s.source.id, status: 'active' },
      { partner_id: s.source.id, status: 'active' },
    ]);
  });

  it('refuses an answer to a cancelled request, and to one past its 30 days before the expiry job ran', async () => {
    const s = await scene();
    const cancelled = await insertTransfer(t.store, s, { status: 'cancelled' });
    const r = await answer(s.admin.token, cancelled, 'consent');
    expect(r.statusCode).toBe(409);
    expect(r.json()).toMatchObject({
      name: 'transferAlreadyProcessed',
      data: [{ status: 'cancelled', customerConsent: 'pending' }],
    });

    const other = await scene();
    const lapsed = await insertTransfer(t.store, other, {
      createdAt: new Date(clock.now().getTime() - 31 * DAY),
    });
    const shown = (await list(other.admin.token)).json().items[0];
    expect(shown).toMatchObject({ id: lapsed, status: 'expired' });
    expect(Date.parse(shown.expiresAt)).toBeLessThan(clock.now().getTime());
    expect(shown.lineItems.map((l: { status: string }) => l.status)).toEqual(['expired', 'expired']);
    const late = await answer(other.admin.token, lapsed, 'consent');
    expect(late.statusCode, late.body).toBe(409);
    expect(late.json().data).toEqual([{ status: 'expired', customerConsent: 'pending' }]);
    expect(await stored(lapsed)).toMatchObject({ status: 'pending', customer_consent: 'pending' });
  });
});
