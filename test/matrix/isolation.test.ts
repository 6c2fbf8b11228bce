// Isolation matrix: partner A's Global admin against partner B's resources. A route that names one of B's
// resources answers 404 and changes nothing; a collection never mentions B's resources. Fails when a
// registered route is missing from test/matrix/routes.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../helpers/app.ts';
import { createTestApp } from '../helpers/app.ts';
import type { TestUser } from '../helpers/factories.ts';
import { bearer, createPartnerWithAdmin, issueToken } from '../helpers/factories.ts';
import type { Fixture } from './routes.ts';
import { ROUTES, fillPath, makeFixture } from './routes.ts';

let t: TestApp;
let adminA: TestUser;
let adminB: TestUser;
let fxB: Fixture;
let partnerBName: string;

async function snapshotB() {
  const db = t.store.owner;
  const [users, tokens, partner, customer, invitations, relationships, sales, billing] = await Promise.all([
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
  ]);
  return JSON.stringify({ users, tokens, partner, customer, invitations, relationships, sales, billing });
}

beforeAll(async () => {
  t = await createTestApp();
  ({ admin: adminA } = await createPartnerWithAdmin(t.store));
  const b = await createPartnerWithAdmin(t.store);
  adminB = b.admin;
  partnerBName = b.partner.name;
  fxB = await makeFixture(t.store, b.partner.id);
  await fxB.apiToken(adminB.id);
});
afterAll(() => t.close());

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
        const before = await snapshotB();
        const token = await issueToken(t.store, adminA.partnerId, adminA.id);
        const res = await t.app.inject({
          method: method as 'GET',
          url: fillPath(url, params),
          headers: bearer(token),
          payload: spec.body as object,
        });
        expect(res.statusCode, res.body).toBe(404);
        expect(res.body).not.toContain(partnerBName);
        // The fixture made a fresh token for this call; drop it from the comparison by re-reading after.
        const after = await snapshotB();
        const strip = (s: string) =>
          JSON.parse(s) as {
            users: unknown;
            partner: unknown;
            customer: unknown;
            invitations: unknown;
            relationships: unknown;
            sales: unknown;
            billing: unknown;
          };
        expect(strip(after).users).toEqual(strip(before).users);
        expect(strip(after).invitations).toEqual(strip(before).invitations);
        expect(strip(after).relationships).toEqual(strip(before).relationships);
        expect(strip(after).partner).toEqual(strip(before).partner);
        expect(strip(after).customer).toEqual(strip(before).customer);
        expect(strip(after).sales).toEqual(strip(before).sales);
        expect(strip(after).billing).toEqual(strip(before).billing);
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
        ])
          expect(res.body).not.toContain(secret);
      });
    }
    // Routes that name nothing of another partner's (sign-in, the caller's own profile) say why in the table.
  }
});
