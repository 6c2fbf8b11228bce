// A subscription's designated support contact (the partner of record unless changed; another partner only while
// it has a reseller relationship with the customer, and back to the partner of record when that ends), and the
// CSV export of a customer's subscriptions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from './helpers/app.ts';
import { createTestApp } from './helpers/app.ts';
import type { TestUser } from './helpers/factories.ts';
import { bearer, createPartnerWithAdmin } from './helpers/factories.ts';
import type { TestCatalog } from './helpers/offers.ts';
import { insertReadyCustomer, insertTestCatalog, placeOrder, subscribe } from './helpers/offers.ts';
import { insertRelationship } from './helpers/relationships.ts';

let t: TestApp;
let cat: TestCatalog;
let admin: TestUser;
let partnerName: string;

beforeAll(async () => {
  t = await createTestApp();
  cat = await insertTestCatalog(t.store);
  const p = await createPartnerWithAdmin(t.store, { name: `Seller ${Date.now()}` });
  admin = p.admin;
  partnerName = p.partner.name;
});
afterAll(() => t.close());

const readyCustomer = (name?: string) => insertReadyCustomer(t.store, admin.partnerId, name ? { name } : {});

describe('support contact', () => {
  it('is the partner of record, another related partner when designated, and falls back when that ends', async () => {
    const c = await readyCustomer();
    const sub = await subscribe(t.app, admin.token, c.id, cat.suite);
    const contactUrl = `/v1/customers/${c.id}/subscriptions/${sub}/supportcontact`;
    const read = async () =>
      (await t.app.inject({ method: 'GET', url: contactUrl, headers: bearer(admin.token) })).json();
    const put = (supportPartnerId: string) =>
      t.app.inject({
        method: 'PUT',
        url: contactUrl,
        headers: bearer(admin.token),
        payload: { supportPartnerId },
      });

    expect(await read()).toEqual({
      supportPartnerId: admin.partnerId,
      name: partnerName,
      isPartnerOfRecord: true,
      attributes: { objectType: 'SupportContact' },
    });

    const helper = await createPartnerWithAdmin(t.store, { name: `Helper ${Date.now()}` });
    const stranger = await createPartnerWithAdmin(t.store);
    // Not related to the customer: refused, nothing changes.
    const refused = await put(stranger.partner.id);
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({
      name: 'supportContactNotEligible',
      code: 100811,
      details: [{ field: 'supportPartnerId' }],
    });
    expect(refused.body).not.toContain(stranger.partner.name);
    expect((await put('00000000-0000-4000-8000-000000000000')).statusCode).toBe(400);
    expect((await read()).isPartnerOfRecord).toBe(true);

    // Related: accepted.
    await insertRelationship(t.store, helper.partner.id, c.id);
    const set = await put(helper.partner.id);
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toEqual({
      supportPartnerId: helper.partner.id,
      name: helper.partner.name,
      isPartnerOfRecord: false,
      attributes: { objectType: 'SupportContact' },
    });
    expect(await read()).toEqual(set.json());
    const record = await t.store.owner
      .selectFrom('activity_records')
      .selectAll()
      .where('action', '=', 'subscription.updateSupportContact')
      .where('resource_id', '=', sub)
      .executeTakeFirstOrThrow();
    expect(record.details).toMatchObject({
      before: { supportPartnerId: admin.partnerId, name: partnerName },
      after: { supportPartnerId: helper.partner.id, name: helper.partner.name },
    });

    // The helper ends its relationship: the contact falls back to the partner of record.
    const removed = await t.app.inject({
      method: 'PATCH',
      url: `/v1/customers/${c.id}`,
      headers: bearer(helper.admin.token),
      payload: { relationshipToPartner: 'none' },
    });
    expect(removed.statusCode, removed.body).toBe(200);
    expect(await read()).toMatchObject({ supportPartnerId: admin.partnerId, isPartnerOfRecord: true });
    // And it can no longer be designated.
    expect((await put(helper.partner.id)).json().name).toBe('supportContactNotEligible');

    // Designating oneself again is the partner of record.
    await insertRelationship(t.store, stranger.partner.id, c.id);
    expect((await put(stranger.partner.id)).statusCode).toBe(200);
    const self = await put(admin.partnerId.toUpperCase());
    expect(self.statusCode).toBe(200);
    expect(self.json()).toMatchObject({ supportPartnerId: admin.partnerId, isPartnerOfRecord: true });
  });
});

describe('GET /v1/customers/{id}/subscriptions/export.csv', () => {
  it('streams exactly the header and one row per subscription, formulas neutralised, by status', async () => {
    const c = await readyCustomer();
    const order = await placeOrder(t.app, admin.token, c.id, [
      { offerId: cat.suite, quantity: 25, friendlyName: 'Head office, "HQ"' },
      { offerId: cat.other, quantity: 3, friendlyName: '=HYPERLINK("http://evil")' },
      { offerId: cat.azure, friendlyName: '-1+2' },
    ]);
    const [a, b, z] = order.lineItems.map((l) => l.subscriptionId) as [string, string, string];
    const suspend = await t.app.inject({
      method: 'PATCH',
      url: `/v1/customers/${c.id}/subscriptions/${b}`,
      headers: bearer(admin.token),
      payload: { status: 'suspended' },
    });
    expect(suspend.statusCode).toBe(200);

    const r = await t.app.inject({
      method: 'GET',
      url: `/v1/customers/${c.id}/subscriptions/export.csv`,
      headers: bearer(admin.token),
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(r.headers['content-disposition']).toMatch(/^attachment; filename="subscriptions-.+\.csv"$/);
    // Rows in list order (oldest first; one order's subscriptions share their time, then by id).
    const ids = (
      await t.app.inject({
        method: 'GET',
        url: `/v1/customers/${c.id}/subscriptions`,
        headers: bearer(admin.token),
      })
    )
      .json()
      .items.map((s: { id: string }) => s.id);
    const line: Record<string, string> = {
      [a]: `${a},"Head office, ""HQ""",25,Active,${partnerName}`,
      [b]: `${b},"'=HYPERLINK(""http://evil"")",3,Suspended,${partnerName}`,
      [z]: `${z},'-1+2,1,Active,${partnerName}`,
    };
    expect(r.body).toBe(
      ['Subscription ID,Subscription,Quantity,Status,Reseller', ...ids.map((id: string) => line[id])].join(
        '\r\n',
      ) + '\r\n',
    );

    const onlySuspended = await t.app.inject({
      method: 'GET',
      url: `/v1/customers/${c.id}/subscriptions/export.csv?status=suspended`,
      headers: bearer(admin.token),
    });
    expect(onlySuspended.body).toBe(
      `Subscription ID,Subscription,Quantity,Status,Reseller\r\n${line[b]}\r\n`,
    );

    // No subscriptions: the header alone. Another partner: 404, not an empty file.
    const empty = await readyCustomer();
    const none = await t.app.inject({
      method: 'GET',
      url: `/v1/customers/${empty.id}/subscriptions/export.csv`,
      headers: bearer(admin.token),
    });
    expect(none.body).toBe('Subscription ID,Subscription,Quantity,Status,Reseller\r\n');
    const other = await createPartnerWithAdmin(t.store);
    const foreign = await t.app.inject({
      method: 'GET',
      url: `/v1/customers/${c.id}/subscriptions/export.csv`,
      headers: bearer(other.admin.token),
    });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.body).not.toContain(a);
  });
});
