// Removing a reseller relationship: the preflight lists blockers from the providers features add (the real
// subscriptions one, and one injected here), a blocked removal is a 409 that changes nothing, and a removal by a Global admin takes the
// customer out of the list and the export, answers 404 afterwards, keeps the customer's tenant and users and the
// partner's past activity. Only a Global admin; only the body Partner Center sends.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/app.ts';
import { buildApp } from '../src/app.ts';
import type { Trx } from '../src/db/database.ts';
import type { Blocker } from '../src/modules/relationships/relationships.service.ts';
import { createCustomer, insertCustomer } from './helpers/customers.ts';
import { createTestStore } from './helpers/db.ts';
import { bearer, createPartnerWithAdmin, createUser } from './helpers/factories.ts';
import { confirmAgreement, insertTestCatalog, subscribe } from './helpers/offers.ts';
import { customerWithAdmin, insertRelationship } from './helpers/relationships.ts';

describe('removing a reseller relationship', () => {
  let app: App;
  let store: Awaited<ReturnType<typeof createTestStore>>;
  /** Customers the injected provider reports as blocked, with what blocks them. */
  const blocked = new Map<string, Blocker[]>();
  /** Every call the provider got: it runs inside the caller's transaction, with the caller's context. */
  const calls: { partnerId: string; customerId: string; inTransaction: boolean }[] = [];

  beforeAll(async () => {
    store = await createTestStore();
    app = await buildApp({
      config: store.config,
      store: store.store,
      logger: false,
      relationshipBlockers: [
        async (trx: Trx, ctx, customerId) => {
          calls.push({ partnerId: ctx.partnerId, customerId, inTransaction: trx.isTransaction });
          return blocked.get(customerId) ?? [];
        },
      ],
    });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  const call = (method: 'GET' | 'PATCH', url: string, token: string, payload?: object) =>
    app.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) });
  const remove = (token: string, customerId: string, payload: object = { relationshipToPartner: 'none' }) =>
    call('PATCH', `/v1/customers/${customerId}`, token, payload);
  const check = (token: string, customerId: string) =>
    call('GET', `/v1/customers/${customerId}/relationship/removal-check`, token);

  it('lists blockers with their fixes; a removal while blocked is a 409 that changes nothing', async () => {
    const { admin } = await createPartnerWithAdmin(store.store);
    const customer = await createCustomer(app, admin.token, { name: 'Busy Customer' });
    const blocker: Blocker = {
      code: 'activeSubscription',
      description: 'Subscription Office 365 E3 is active.',
      fix: 'Suspend the subscription.',
      resourceId: 'sub-1',
    };
    blocked.set(customer.id, [blocker]);

    const preflight = await check(admin.token, customer.id);
    expect(preflight.statusCode).toBe(200);
    expect(preflight.json()).toEqual({
      canRemove: false,
      blockers: [blocker],
      attributes: { objectType: 'RelationshipRemovalCheck' },
    });
    expect(calls.at(-1)).toEqual({
      partnerId: admin.partnerId,
      customerId: customer.id,
      inTransaction: true,
    });

    const before = await store.store.owner.selectFrom('customer_relationships').selectAll().execute();
    const r = await remove(admin.token, customer.id);
    expect(r.statusCode).toBe(409);
    expect(r.json()).toMatchObject({ name: 'relationshipRemovalBlocked', code: 100706, data: [blocker] });
    expect(await store.store.owner.selectFrom('customer_relationships').selectAll().execute()).toEqual(
      before,
    );
    expect((await call('GET', `/v1/customers/${customer.id}`, admin.token)).statusCode).toBe(200);
    const log = await call('GET', `/v1/auditrecords?action=relationship.remove`, admin.token);
    expect(log.json().items).toEqual([]);

    // Cleared: the preflight says so and the removal goes through.
    blocked.delete(customer.id);
    expect((await check(admin.token, customer.id)).json()).toMatchObject({ canRemove: true, blockers: [] });
    expect((await remove(admin.token, customer.id)).statusCode).toBe(200);
  });

  it('is blocked by an active subscription (listed with its id and fix) and allowed once it is suspended', async () => {
    const cat = await insertTestCatalog(store.store);
    const { admin } = await createPartnerWithAdmin(store.store);
    const customer = await createCustomer(app, admin.token, { name: 'Subscriber Ltd' });
    await confirmAgreement(store.store, customer.id, admin.partnerId);
    const suite = await subscribe(app, admin.token, customer.id, cat.suite);
    const reservation = await subscribe(app, admin.token, customer.id, cat.reservation, 1);
    const names = await store.store.owner
      .selectFrom('subscriptions')
      .select(['id', 'friendly_name', 'offer_name'])
      .where('customer_id', '=', customer.id)
      .execute();
    const name = (id: string) => names.find((n) => n.id === id)!.friendly_name;

    const preflight = await check(admin.token, customer.id);
    expect(preflight.json()).toEqual({
      canRemove: false,
      blockers: [
        {
          code: 'activeSubscription',
          description: `Subscription ${name(suite)} is active.`,
          fix: `Suspend the subscription ${name(suite)}.`,
          resourceId: suite,
        },
        {
          code: 'activeSubscription',
          description: `Subscription ${name(reservation)} is active.`,
          fix: `Cancel the subscription ${name(reservation)}.`,
          resourceId: reservation,
        },
      ],
      attributes: { objectType: 'RelationshipRemovalCheck' },
    });
    const blockedRemoval = await remove(admin.token, customer.id);
    expect(blockedRemoval.statusCode).toBe(409);
    expect(blockedRemoval.json().data.map((b: Blocker) => b.resourceId)).toEqual([suite, reservation]);

    const change = (id: string, method: 'PATCH' | 'POST', path: string, payload?: object) =>
      app.inject({
        method,
        url: `/v1/customers/${customer.id}/subscriptions/${id}${path}`,
        headers: bearer(admin.token),
        ...(payload ? { payload } : {}),
      });
    expect((await change(suite, 'PATCH', '', { status: 'suspended' })).statusCode).toBe(200);
    expect((await check(admin.token, customer.id)).json().blockers.map((b: Blocker) => b.resourceId)).toEqual(
      [reservation],
    );
    expect((await change(reservation, 'POST', '/cancel')).statusCode).toBe(200);
    expect((await check(admin.token, customer.id)).json()).toMatchObject({ canRemove: true, blockers: [] });
    expect((await remove(admin.token, customer.id)).statusCode).toBe(200);
    // The suspended subscription stays the partner's; the customer is gone from its list.
    expect(
      (
        await app.inject({
          method: 'GET',
          url: `/v1/customers/${customer.id}/subscriptions`,
          headers: bearer(admin.token),
        })
      ).statusCode,
    ).toBe(404);
  });

  it('takes the customer out of the list and export, 404 afterwards; tenant, users and past activity stay', async () => {
    const { partner, admin } = await createPartnerWithAdmin(store.store);
    const other = await createPartnerWithAdmin(store.store);
    const customer = await customerWithAdmin(app, admin.token, { name: 'Leaving Ltd' });
    const staying = await createCustomer(app, admin.token, { name: 'Staying Ltd' });
    // A second partner of the same customer keeps it.
    await insertRelationship(store.store, other.partner.id, customer.id);

    const r = await remove(admin.token, customer.id, {
      RelationshipToPartner: 'none',
      attributes: { objectType: 'Customer' },
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({
      id: customer.id,
      relationshipToPartner: 'none',
      allowDelegatedAccess: false,
      companyProfile: { companyName: 'Leaving Ltd' },
      attributes: { objectType: 'Customer' },
    });

    const list = await call('GET', '/v1/customers', admin.token);
    expect(list.json().items.map((c: { id: string }) => c.id)).toEqual([staying.id]);
    expect(list.json().totalCount).toBe(1);
    const csv = await call('GET', '/v1/customers/export.csv', admin.token);
    expect(csv.body).not.toContain(customer.id);
    expect(csv.body).toContain(staying.id);
    for (const url of [
      `/v1/customers/${customer.id}`,
      `/v1/customers/${customer.id}/profiles/billing`,
      `/v1/customers/${customer.id}/relationship/removal-check`,
    ])
      expect((await call('GET', url, admin.token)).statusCode, url).toBe(404);
    // A repeat: the partner no longer sees the customer.
    const again = await remove(admin.token, customer.id);
    expect(again.statusCode).toBe(404);
    expect(again.json().name).toBe('customerNotFound');

    // The relationship row records the end, DAP included.
    const row = await store.store.owner
      .selectFrom('customer_relationships')
      .selectAll()
      .where('partner_id', '=', partner.id)
      .where('customer_id', '=', customer.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ state: 'removed', delegated_admin: false, removed_at: expect.any(Date) });

    // The tenant and its users belong to the customer: they stay, its admin still signs in and sees the other
    // partner only.
    const partners = await app.inject({
      method: 'GET',
      url: '/v1/customer/partners',
      headers: bearer(customer.token),
    });
    expect(partners.json().items.map((p: { id: string }) => p.id)).toEqual([other.partner.id]);
    expect((await call('GET', `/v1/customers/${customer.id}`, other.admin.token)).statusCode).toBe(200);

    // The partner's activity log still shows the customer's past records, and the removal.
    const log = await call('GET', `/v1/auditrecords?customerId=${customer.id}`, admin.token);
    expect(log.json().items.map((i: { action: string }) => i.action)).toEqual([
      'relationship.remove',
      'customer.create',
    ]);
    expect(log.json().items[0]).toMatchObject({
      customer: { id: customer.id, name: 'Leaving Ltd' },
      partnerUser: expect.objectContaining({ name: admin.userName }),
      additionalInformation: expect.objectContaining({ delegatedAdminEnded: true }),
    });
  });

  it('is for a Global admin only: an Admin agent gets 403 and may still read the preflight', async () => {
    const { partner, admin } = await createPartnerWithAdmin(store.store);
    const customer = await insertCustomer(store.store, partner.id);
    const agent = await createUser(store.store, partner.id, { roles: ['adminAgent'] });
    const r = await remove(agent.token, customer.id);
    expect(r.statusCode).toBe(403);
    expect(r.json()).toMatchObject({ name: 'forbidden', data: [{ operation: 'relationships.remove' }] });
    expect((await check(agent.token, customer.id)).statusCode).toBe(200);
    expect((await call('GET', `/v1/customers/${customer.id}`, admin.token)).statusCode).toBe(200);
  });

  it('takes only {"relationshipToPartner":"none"}: any other property or value is a 400 naming it', async () => {
    const { partner, admin } = await createPartnerWithAdmin(store.store);
    const customer = await insertCustomer(store.store, partner.id);
    const extra = await remove(admin.token, customer.id, { relationshipToPartner: 'none', companyName: 'x' });
    expect(extra.statusCode).toBe(400);
    expect(extra.json().details).toEqual([{ field: 'companyName', reason: 'is not a known property' }]);
    const reseller = await remove(admin.token, customer.id, { relationshipToPartner: 'reseller' });
    expect(reseller.statusCode).toBe(400);
    expect(reseller.json().details).toEqual([
      { field: 'relationshipToPartner', reason: 'must be one of "none"' },
    ]);
    const empty = await remove(admin.token, customer.id, {});
    expect(empty.json().details).toEqual([{ field: 'relationshipToPartner', reason: 'is required' }]);
    expect((await call('GET', `/v1/customers/${customer.id}`, admin.token)).statusCode).toBe(200);
  });

  it('answers 404 for another partner’s customer and leaves it as it was', async () => {
    const a = await createPartnerWithAdmin(store.store);
    const b = await createPartnerWithAdmin(store.store);
    const customer = await insertCustomer(store.store, b.partner.id);
    expect((await remove(a.admin.token, customer.id)).statusCode).toBe(404);
    expect((await check(a.admin.token, customer.id)).statusCode).toBe(404);
    expect((await call('GET', `/v1/customers/${customer.id}`, b.admin.token)).statusCode).toBe(200);
  });

  it('is allowed in every instance (usgov and germany too)', async () => {
    for (const instance of ['usgov', 'germany'] as const) {
      const { partner, admin } = await createPartnerWithAdmin(store.store, { instance });
      const customer = await insertCustomer(store.store, partner.id, { instance });
      const r = await remove(admin.token, customer.id);
      expect(r.statusCode, `${instance} ${r.body}`).toBe(200);
    }
  });
});
