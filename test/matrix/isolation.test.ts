// Isolation matrix: partner A's Global admin against partner B's resources. A route that names one of B's
// resources answers 404 and changes nothing; a collection never mentions B's resources. Fails when a
// registered route is missing from test/matrix/routes.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../helpers/app.ts';
import { createTestApp } from '../helpers/app.ts';
import { insertCustomer } from '../helpers/customers.ts';
import type { TestUser } from '../helpers/factories.ts';
import { bearer, createPartnerWithAdmin, issueToken } from '../helpers/factories.ts';
import type { Fixture, ServiceRequestFixture } from './routes.ts';
import { ROUTES, fillPath, insertServiceRequest, makeFixture } from './routes.ts';

let t: TestApp;
let adminA: TestUser;
let adminB: TestUser;
let fxB: Fixture;
let partnerBName: string;
let srA: ServiceRequestFixture;

async function snapshotB() {
  const db = t.store.owner;
  const [users, tokens, partner, customer, invitations, relationships, sales, billing, support] =
    await Promise.all([
      db
        .selectFrom('partner_users')
        .selectAll()
        .where('partner_id', '=', fxB.partnerId)
        .orderBy('id')
        .execute(),
      db.selectFrom('api_tokens').selectAll().where('partner_id', '=', fxB.partnerId).orderBy('id').execute(),
      db.selectFrom('partners').selectAll().where('id', '=', fxB.partnerId).execute(),
      db
        .selectFrom('customers')
        .selectAll()
        .where('id', '=', fxB.customer.id)
        .execute()
        .then(async (rows) => ({
          rows,
          agreements: await db
            .selectFrom('customer_agreements')
            .selectAll()
            .where('customer_id', '=', fxB.customer.id)
            .execute(),
          relationships: await db
            .selectFrom('customer_relationships')
            .selectAll()
            .where('customer_id', '=', fxB.customer.id)
            .execute(),
          users: await db
            .selectFrom('customer_users')
            .selectAll()
            .where('customer_id', '=', fxB.customer.id)
            .orderBy('id')
            .execute(),
        })),
      db
        .selectFrom('relationship_invitations')
        .selectAll()
        .where('partner_id', '=', fxB.partnerId)
        .orderBy('id')
        .execute(),
      db
        .selectFrom('customer_relationships')
        .selectAll()
        .where('partner_id', '=', fxB.partnerId)
        .orderBy('customer_id')
        .execute(),
      Promise.all([
        db.selectFrom('orders').selectAll().where('partner_id', '=', fxB.partnerId).orderBy('id').execute(),
        db
          .selectFrom('subscriptions')
          .selectAll()
          .where('partner_id', '=', fxB.partnerId)
          .orderBy('id')
          .execute(),
        db
          .selectFrom('license_assignments')
          .selectAll()
          .where('customer_id', '=', fxB.customer.id)
          .orderBy('id')
          .execute(),
      ]),
      Promise.all([
        db.selectFrom('invoices').selectAll().where('partner_id', '=', fxB.partnerId).orderBy('id').execute(),
        db
          .selectFrom('usage_records')
          .selectAll()
          .where('partner_id', '=', fxB.partnerId)
          .orderBy('id')
          .execute(),
        db
          .selectFrom('customer_budgets')
          .selectAll()
          .where('partner_id', '=', fxB.partnerId)
          .orderBy('customer_id')
          .execute(),
      ]),
      Promise.all([
        db
          .selectFrom('service_requests')
          .selectAll()
          .where('partner_id', '=', fxB.partnerId)
          .orderBy('id')
          .execute(),
        db
          .selectFrom('service_request_events')
          .selectAll()
          .where('partner_id', '=', fxB.partnerId)
          .orderBy('id')
          .execute(),
        db
          .selectFrom('service_request_attachments')
          .selectAll()
          .where('partner_id', '=', fxB.partnerId)
          .orderBy('id')
          .execute(),
        db
          .selectFrom('service_request_counters')
          .selectAll()
          .where('partner_id', '=', fxB.partnerId)
          .execute(),
      ]),
    ]);
  return JSON.stringify({
    users,
    tokens,
    partner,
    customer,
    invitations,
    relationships,
    sales,
    billing,
    support,
  });
}

/**
 * Partner A's Global admin calls `method url` with `params` naming partner B's resources; B's rows are compared
 * before and after (all but its API tokens, which the fixture makes per call and checks apart).
 */
async function callAsA(
  method: string,
  url: string,
  spec: (typeof ROUTES)[string],
  params: Record<string, string>,
) {
  const before = await snapshotB();
  const token = await issueToken(t.store, adminA.partnerId, adminA.id);
  const res = await t.app.inject({
    method: method as 'GET',
    url: fillPath(url, params),
    query: spec.query,
    headers: { ...spec.headers, ...bearer(token) },
    payload: spec.body as object,
  });
  const { tokens: _before, ...rowsBefore } = JSON.parse(before) as Record<string, unknown>;
  const { tokens: _after, ...rowsAfter } = JSON.parse(await snapshotB()) as Record<string, unknown>;
  for (const [rows, was] of Object.entries(rowsBefore)) expect(rowsAfter[rows], rows).toEqual(was);
  return res;
}

/** What of partner B's support data an answer to partner A must never contain. */
const secretsOfB = () => [
  fxB.partnerId,
  partnerBName,
  fxB.customer.id,
  fxB.customer.name,
  fxB.serviceRequest.id,
  fxB.serviceRequest.title,
  fxB.serviceRequest.noteText,
  fxB.serviceRequest.fileName,
  fxB.serviceRequest.attachmentId,
];

beforeAll(async () => {
  t = await createTestApp();
  ({ admin: adminA } = await createPartnerWithAdmin(t.store));
  const b = await createPartnerWithAdmin(t.store);
  adminB = b.admin;
  partnerBName = b.partner.name;
  fxB = await makeFixture(t.store, b.partner.id);
  await fxB.apiToken(adminB.id);
  // A's own first service request: SR-000001, like B's.
  const customerA = await insertCustomer(t.store, adminA.partnerId);
  srA = await insertServiceRequest(t.store, adminA.partnerId, customerA, {
    id: adminA.id,
    name: adminA.userName,
  });
});
afterAll(() => t.close());

// Before the matrix: its calls by reference number reach A's own SR-000001 (a note answers it, so it is no longer
// overdue).
describe('service requests: every partner numbers its own', () => {
  const as = async (url: string) =>
    t.app.inject({ url, headers: bearer(await issueToken(t.store, adminA.partnerId, adminA.id)) });

  it("A asking for SR-000001 gets its own SR-000001, never B's", async () => {
    expect([srA.referenceNumber, fxB.serviceRequest.referenceNumber]).toEqual(['SR-000001', 'SR-000001']);
    for (const ref of ['SR-000001', 'sr-1', 'Sr-000001']) {
      const res = await as(`/v1/servicerequests/${ref}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ id: srA.id, referenceNumber: 'SR-000001', title: srA.title });
      for (const secret of secretsOfB()) expect(res.body).not.toContain(secret);
    }
    const file = await as(`/v1/servicerequests/SR-000001/attachments/${srA.attachmentId}`);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-disposition']).toContain(srA.fileName);
  });

  it("A's lists and searches find A's request only, whatever names B's", async () => {
    // The items only: links.self repeats the query, which may be B's title.
    const own = (res: { statusCode: number; body: string; json(): unknown }) => {
      expect(res.statusCode, res.body).toBe(200);
      const { items, totalCount } = res.json() as { items: { id: string }[]; totalCount: number };
      for (const secret of secretsOfB()) expect(JSON.stringify(items)).not.toContain(secret);
      expect(totalCount).toBe(items.length);
      return items.map((i) => i.id);
    };
    expect(own(await as('/v1/servicerequests'))).toEqual([srA.id]);
    expect(own(await as('/v1/servicerequests?overdue=true'))).toEqual([srA.id]);
    expect(own(await as('/v1/servicerequests?q=SR-000001'))).toEqual([srA.id]);
    expect(own(await as('/v1/servicerequests?q=1'))).toEqual([srA.id]);
    expect(own(await as(`/v1/servicerequests?q=${encodeURIComponent(fxB.serviceRequest.title)}`))).toEqual(
      [],
    );
    expect(own(await as(`/v1/servicerequests?q=${encodeURIComponent(fxB.customer.name)}`))).toEqual([]);
    // B's customer as a filter of the list across customers: an empty list, as for any customer A has no
    // requests of (the customer's own list, /v1/customers/{id}/servicerequests, is the one that says 404).
    expect(own(await as(`/v1/servicerequests?customerId=${fxB.customer.id}`))).toEqual([]);
  });

  it("A's summary counts A's request only (B's is overdue too)", async () => {
    const res = await as('/v1/servicerequests/summary');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      open: 1,
      attentionNeeded: 0,
      overdue: 1,
      overdueBySeverity: { critical: 1, moderate: 0, minimal: 0 },
      oldestOverdue: { id: srA.id, referenceNumber: 'SR-000001', title: srA.title },
    });
    for (const secret of secretsOfB()) expect(res.body).not.toContain(secret);
  });
});

describe('isolation matrix', () => {
  it('covers every registered route', () => {
    const registered = t.app.routeCatalog.map((r) => `${r.method} ${r.url}`).sort();
    expect(registered).toEqual(Object.keys(ROUTES).sort());
  });

  for (const [key, spec] of Object.entries(ROUTES)) {
    const [method, url] = key.split(' ') as [string, string];
    if (spec.isolation === 'names') {
      it(`${key} with partner B's resource → 404, nothing changed`, async () => {
        // Params first: a resource the fixture makes for this call is in the snapshot too.
        const params = await spec.params!(fxB, adminB.id);
        const res = await callAsA(method, url, spec, params);
        expect(res.statusCode, res.body).toBe(404);
        expect(res.body).not.toContain(partnerBName);
        // An API token's id is a uuid (an invoice's is not, and names no token).
        const stillLive = /^[0-9a-f-]{36}$/.test(params.id ?? '')
          ? await t.store.owner
              .selectFrom('api_tokens')
              .select('revoked_at')
              .where('id', '=', params.id!)
              .executeTakeFirst()
          : undefined;
        if (stillLive) expect(stillLive.revoked_at).toBeNull();
      });
      if (spec.aliases)
        it(`${key} with partner B's resource by its reference number → A's own or 404, never B's; nothing of B's changed`, async () => {
          const params = await spec.params!(fxB, adminB.id);
          for (const alias of spec.aliases!(fxB)) {
            const res = await callAsA(method, url, spec, { ...params, ...alias });
            const path = fillPath(url, { ...params, ...alias });
            const at = `${path}: ${res.statusCode} ${res.body.slice(0, 300)}`;
            if (res.statusCode !== 404) expect(res.statusCode, at).toBeLessThan(300);
            // (An id the caller sent may be named back in a 404.)
            for (const secret of secretsOfB().filter((s) => !path.includes(s)))
              expect(res.body, at).not.toContain(secret);
          }
        });
    } else if (spec.isolation === 'list') {
      it(`${key} never mentions partner B`, async () => {
        const token = await issueToken(t.store, adminA.partnerId, adminA.id);
        const res = await t.app.inject({ method: method as 'GET', url, headers: bearer(token) });
        expect(res.statusCode, res.body).toBe(200);
        for (const secret of [
          fxB.partnerId,
          fxB.userId,
          adminB.id,
          adminB.userName,
          partnerBName,
          fxB.customer.id,
          fxB.customer.name,
          fxB.customer.domain,
          fxB.invoice.id,
          ...secretsOfB(),
        ])
          expect(res.body).not.toContain(secret);
      });
    }
    // Routes that name nothing of another partner's (sign-in, the caller's own profile) say why in the table.
  }
});
