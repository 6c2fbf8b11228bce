// The route table the matrices walk. Every route the app registers must be here (the matrices fail when one is
// missing or extra), with the roles PRODUCT.md gives it — written out literally, not read from the code, so a
// wrong entry in modules/partners/roles.ts is caught — and how partner B's resource is named in its path.
// A feature that adds routes adds its rows here.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Store } from '../../src/db/database.ts';
import type { ServiceRequestEventKind } from '../../src/db/schema.ts';
import type { Role } from '../../src/modules/partners/roles.ts';
import { ROLES } from '../../src/modules/partners/roles.ts';
import { customerBody, insertCustomer } from '../helpers/customers.ts';
import { createPartner, createUser } from '../helpers/factories.ts';
import {
  MATRIX_OFFERS,
  confirmAgreement,
  ensureMatrixOffers,
  insertSubscription,
} from '../helpers/offers.ts';
import { insertCustomerUser, insertRelationship, issueCustomerToken } from '../helpers/relationships.ts';
import { insertSubscriptions, insertTransfer } from '../helpers/transfers.ts';
import { hashSecret, newSecret } from '../../src/lib/tokens.ts';

const GA: Role = 'globalAdmin';
const AA: Role = 'adminAgent';
const SA: Role = 'salesAgent';
const HA: Role = 'helpdeskAgent';
const BA: Role = 'billingAdmin';
const UMA: Role = 'userManagementAdmin';
const EVERY_ROLE = [...ROLES];

/** Resources a route's path can name, made in one partner; `fresh` makes one just for this call. */
export interface Fixture {
  partnerId: string;
  /** A partner user other than the caller (safe to patch, reset, deactivate). */
  userId: string;
  /** An API token owned by `owner` (made fresh per call where the call revokes it). */
  apiToken(ownerUserId: string): Promise<string>;
  /** A customer the partner has an active reseller relationship with. */
  customer: { id: string; name: string; domain: string };
  /** Another such customer, made for this call (removing a relationship ends it). */
  newCustomer(): Promise<{ id: string }>;
  /** An active invitation link of the partner, made for this call (revoking ends it). */
  invitation(): Promise<{ id: string; token: string }>;
  /**
   * A new session of a Global admin of a customer the partner is related to (the customer-facing routes take
   * only such a token; a fresh one per call, since one route signs it out).
   */
  customerToken(): Promise<string>;
  /** An order of `customer` (confirmed agreement) and its active subscription. */
  subscription: { id: string; orderId: string };
  /** A cancellable subscription of `customer`, made for this call (cancelling ends it). */
  newReservation(): Promise<{ id: string }>;
  /** A user of `customer`'s directory without roles (safe to change). */
  customerUser: { id: string };
  /** Another such user, made for this call (deleting ends it). */
  newCustomerUser(): Promise<{ id: string }>;
  /** A User admin of `customer`'s directory, made for this call (removing the role ends it). */
  newRoleMember(): Promise<{ id: string }>;
  /**
   * A completed users import of `customer` with one created user whose temporary password is still to be
   * downloaded, made for this call (the download is once).
   */
  userImport(): Promise<{ id: string }>;
  /**
   * A pending transfer request made for this call between the partner and another one related to the
   * customer, for an Azure plan subscription: `side` source — the partner is asked to give it (accepts,
   * rejects); target — the partner asked for it (cancels). `portal`: about the customer `customerToken` signs
   * in to (whose Global admin consents or declines); `consent`: the customer has consented.
   */
  transfer(opts?: {
    side?: 'source' | 'target';
    consent?: boolean;
    portal?: boolean;
  }): Promise<{ id: string }>;
  /**
   * Billing: an issued invoice of the partner (one line, for `customer`'s subscription), a usage record of an
   * Azure plan subscription of `customer`, and `customer`'s spending budget.
   */
  invoice: { id: string };
  /**
   * Support: a service request of `customer` with a note and a PNG, closed and reopened since, so it waits for a
   * response and is overdue (see insertServiceRequest).
   */
  serviceRequest: ServiceRequestFixture;
}

export async function makeFixture(store: Store, partnerId: string): Promise<Fixture> {
  const user = await createUser(store, partnerId, { roles: ['salesAgent'] });
  const customer = await insertCustomer(store, partnerId);
  const portalCustomer = await insertCustomer(store, partnerId);
  const portalUser = await insertCustomerUser(store, portalCustomer.id, { roles: ['globalAdmin'] });
  await ensureMatrixOffers(store);
  await confirmAgreement(store, customer.id, partnerId);
  const sub = await insertSubscription(store, partnerId, customer.id, MATRIX_OFFERS.suite);
  const customerUser = await insertCustomerUser(store, customer.id, { roles: [] });
  const invoice = await insertBilling(store, partnerId, customer, sub.subscriptionId);
  const serviceRequest = await insertServiceRequest(store, partnerId, customer, {
    id: user.id,
    name: user.userName,
  });
  // The other party of the fixture's transfer requests, made on first use, related to both customers.
  let counterpart: Promise<string> | undefined;
  const other = () =>
    (counterpart ??= (async () => {
      await ensureMatrixOffers(store);
      const p = await createPartner(store);
      await insertRelationship(store, p.id, customer.id);
      await insertRelationship(store, p.id, portalCustomer.id);
      return p.id;
    })());
  return {
    partnerId,
    userId: user.id,
    customer,
    newCustomer: () => insertCustomer(store, partnerId),
    invitation: async () => {
      const token = newSecret('pdi');
      const now = new Date();
      const row = await store.owner
        .insertInto('relationship_invitations')
        .values({
          id: randomUUID(),
          partner_id: partnerId,
          token_hash: hashSecret(token),
          token_prefix: token.slice(4, 12),
          token_sealed: 'v1.matrix',
          include_dap: true,
          created_by: user.id,
          created_at: now,
          expires_at: new Date(now.getTime() + 30 * 86_400_000),
          revoked_at: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return { id: row.id, token };
    },
    customerToken: () => issueCustomerToken(store, portalCustomer.id, portalUser.id),
    subscription: { id: sub.subscriptionId, orderId: sub.orderId },
    newReservation: async () => ({
      id: (await insertSubscription(store, partnerId, customer.id, MATRIX_OFFERS.reservation)).subscriptionId,
    }),
    customerUser: { id: customerUser.id },
    invoice,
    serviceRequest,
    newCustomerUser: async () => ({ id: (await insertCustomerUser(store, customer.id, { roles: [] })).id }),
    newRoleMember: async () => ({
      id: (await insertCustomerUser(store, customer.id, { roles: ['userAdmin'] })).id,
    }),
    userImport: () => insertUserImport(store, partnerId, customer, user.id),
    transfer: async ({ side = 'target', consent = true, portal = false } = {}) => {
      const them = await other();
      const [source, target] = side === 'source' ? [partnerId, them] : [them, partnerId];
      const customerId = portal ? portalCustomer.id : customer.id;
      const [sub] = await insertSubscriptions(store, source, customerId, MATRIX_OFFERS.azurePlan);
      return insertTransfer(store, {
        customerId,
        sourcePartnerId: source,
        targetPartnerId: target,
        subscriptionIds: [sub!.id],
        consent,
      });
    },
    apiToken: async (ownerUserId) => {
      const row = await store.owner
        .insertInto('api_tokens')
        .values({
          partner_id: partnerId,
          user_id: ownerUserId,
          name: 'matrix',
          token_hash: hashSecret(newSecret('pdk')),
          token_prefix: 'matrix00',
          roles: ['salesAgent'],
          expires_at: null,
          revoked_at: null,
          last_used_at: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    },
  };
}

/** Billing as the invoice job and usage ingestion leave it (see Fixture.invoice), written as the owner. */
async function insertBilling(
  store: Store,
  partnerId: string,
  customer: { id: string; name: string },
  subscriptionId: string,
): Promise<{ id: string }> {
  const db = store.owner;
  const now = new Date();
  await db
    .insertInto('offer_meters')
    .values({
      offer_id: MATRIX_OFFERS.azurePlan,
      meter_id: 'matrix-hours',
      name: 'Matrix hours',
      unit: 'Hours',
    })
    .onConflict((oc) => oc.doNothing())
    .execute();
  const [azure] = await insertSubscriptions(store, partnerId, customer.id, MATRIX_OFFERS.azurePlan);
  await db
    .insertInto('usage_records')
    .values({
      id: randomUUID(),
      partner_id: partnerId,
      customer_id: customer.id,
      subscription_id: azure!.id,
      offer_id: MATRIX_OFFERS.azurePlan,
      meter_id: 'matrix-hours',
      usage_date: now.toISOString().slice(0, 10),
      quantity: '2',
      unit_price: '10',
      currency: 'USD',
      amount: '20',
      client_record_id: `matrix-${randomUUID()}`,
      created_by: 'matrix',
      created_at: now,
    })
    .execute();
  await db
    .insertInto('customer_budgets')
    .values({
      partner_id: partnerId,
      customer_id: customer.id,
      amount: 50000,
      currency: 'USD',
      updated_by: 'matrix',
      updated_at: now,
    })
    .execute();
  const n = await sql<{ n: string }>`select nextval('invoice_numbers')::text as n`.execute(db);
  const id = `PD${n.rows[0]!.n.padStart(10, '0')}`;
  // One invoice per partner, currency, type and month: a fixture made again for the partner takes the month
  // before its last one.
  const earlier = await db
    .selectFrom('invoices')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('partner_id', '=', partnerId)
    .executeTakeFirstOrThrow();
  const start = new Date(Date.UTC(2026, 8 - Number(earlier.n), 1));
  const end = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 0));
  const [periodStart, periodEnd] = [start, end].map((d) => d.toISOString().slice(0, 10)) as [string, string];
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('invoice_line_items')
      .values({
        invoice_id: id,
        line_number: 1,
        partner_id: partnerId,
        provider: 'office',
        line_item_type: 'billingLineItems',
        charge_type: 'cycleCharge',
        customer_id: customer.id,
        customer_name: customer.name,
        subscription_id: subscriptionId,
        subscription_name: 'Matrix suite',
        offer_id: MATRIX_OFFERS.suite,
        offer_name: 'Matrix suite',
        meter_id: null,
        meter_name: null,
        unit: 'Licenses',
        quantity: '1',
        unit_price: '1000',
        days: end.getUTCDate(),
        charge_start_date: periodStart,
        charge_end_date: periodEnd,
        amount: 1000,
        amends_line: null,
      })
      .execute();
    await trx
      .insertInto('invoices')
      .values({
        id,
        partner_id: partnerId,
        document_type: 'invoice',
        invoice_type: 'recurring',
        currency: 'USD',
        billing_period_start: periodStart,
        billing_period_end: periodEnd,
        invoice_date: now,
        amends_of: null,
        reason: null,
        total_charges: 1000,
        line_count: 1,
        created_by: 'system',
        created_at: now,
      })
      .execute();
  });
  return { id };
}

export interface ServiceRequestFixture {
  id: string;
  referenceNumber: string;
  /** Its title, note text and file name, each unique to this request (so an answer can be searched for them). */
  title: string;
  noteText: string;
  fileName: string;
  attachmentId: string;
}

/** The smallest file the support routes take as a PNG: its eight-byte signature and a few bytes more. */
export const MATRIX_PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001', 'hex');

/**
 * A service request as the API leaves one, written as the owner: the partner's next number, and its timeline.
 * Made ten days ago (critical, 2 h target) with a PNG, answered by a note an hour later, closed the next day,
 * and reopened a day ago: the reopen restarted the response clock, so it now waits for a response and is
 * overdue — a summary or an overdue list that leaked it would show it.
 */
export async function insertServiceRequest(
  store: Store,
  partnerId: string,
  customer: { id: string; name: string },
  actor: { id: string; name: string },
): Promise<ServiceRequestFixture> {
  const tag = randomBytes(4).toString('hex');
  const id = randomUUID();
  const attachmentId = randomUUID();
  const title = `Matrix request ${tag}`;
  const noteText = `Matrix note ${tag}`;
  const fileName = `matrix-${tag}.png`;
  const hour = 3_600_000;
  const made = new Date(Date.now() - 240 * hour);
  const noted = new Date(made.getTime() + hour);
  const closed = new Date(made.getTime() + 24 * hour);
  const reopened = new Date(Date.now() - 24 * hour);
  const by = { actor_kind: 'partnerUser' as const, actor_id: actor.id, actor_name: actor.name };
  return store.owner.transaction().execute(async (trx) => {
    const { last_number: number } = await trx
      .insertInto('service_request_counters')
      .values({ partner_id: partnerId, last_number: 1 })
      .onConflict((oc) =>
        oc.column('partner_id').doUpdateSet({ last_number: sql`service_request_counters.last_number + 1` }),
      )
      .returning('last_number')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('service_requests')
      .values({
        id,
        partner_id: partnerId,
        customer_id: customer.id,
        number,
        title,
        description: 'Made by the matrix fixture.',
        severity: 'critical',
        support_topic_id: 'other',
        subscription_id: null,
        product_id: null,
        product_name: null,
        status: 'open',
        contact_first_name: 'Casey',
        contact_last_name: 'Contact',
        contact_email: 'casey@matrix.example',
        contact_phone: null,
        organization_name: customer.name,
        organization_phone: null,
        country_code: 'US',
        assigned_to_id: null,
        created_by_id: actor.id,
        created_by_name: actor.name,
        last_updated_by_id: actor.id,
        last_updated_by_name: actor.name,
        created_at: made,
        updated_at: reopened,
        response_clock_started_at: reopened,
        response_due_at: new Date(reopened.getTime() + 2 * hour),
        first_response_at: null,
        closed_at: null,
        last_closed_at: closed,
        reopen_count: 1,
        version: 5,
      })
      .execute();
    await trx
      .insertInto('service_request_attachments')
      .values({
        id: attachmentId,
        request_id: id,
        partner_id: partnerId,
        file_name: fileName,
        content_type: 'image/png',
        size_bytes: MATRIX_PNG.length,
        sha256: createHash('sha256').update(MATRIX_PNG).digest('hex'),
        content: MATRIX_PNG,
        created_at: made,
        created_by_id: actor.id,
        created_by_name: actor.name,
      })
      .execute();
    const event = (
      occurred_at: Date,
      kind: ServiceRequestEventKind,
      details: object = {},
      text?: string,
    ) => ({
      request_id: id,
      partner_id: partnerId,
      occurred_at,
      kind,
      ...by,
      text: text ?? null,
      details: JSON.stringify(details),
    });
    await trx
      .insertInto('service_request_events')
      .values([
        event(made, 'created'),
        event(made, 'attachmentAdded', { attachmentId, fileName }),
        event(noted, 'note', {}, noteText),
        event(closed, 'statusChanged', { from: 'open', to: 'closed' }),
        event(reopened, 'statusChanged', { from: 'closed', to: 'open' }),
      ])
      .execute();
    return {
      id,
      referenceNumber: `SR-${String(number).padStart(6, '0')}`,
      title,
      noteText,
      fileName,
      attachmentId,
    };
  });
}

/** A completed import as the worker leaves one: one row, its user created, its sealed password kept. */
async function insertUserImport(
  store: Store,
  partnerId: string,
  customer: { id: string; domain: string },
  actorId: string,
): Promise<{ id: string }> {
  const id = randomUUID();
  const now = new Date();
  const userName = `imported-${id.slice(0, 8)}@${customer.domain}`;
  const user = await insertCustomerUser(store, customer.id, { roles: [], userName });
  await store.owner
    .insertInto('user_imports')
    .values({
      id,
      partner_id: partnerId,
      customer_id: customer.id,
      actor_kind: 'partnerUser',
      actor_id: actorId,
      actor_name: 'matrix',
      file_name: 'matrix.csv',
      file_sha256: id,
      delimiter: ',',
      header: ['First name', 'Last name', 'Display name', 'Email', 'Status update'],
      has_bom: false,
      usage_location: 'US',
      state: 'completed',
      total_rows: 1,
      rows_done: 1,
      created_count: 1,
      error: null,
      lease_owner: null,
      lease_until: null,
      passwords_downloaded_at: null,
      created_at: now,
      started_at: now,
      completed_at: now,
      updated_at: now,
    })
    .execute();
  await store.owner
    .insertInto('user_import_rows')
    .values({
      import_id: id,
      row_number: 1,
      partner_id: partnerId,
      cells: ['', '', 'Imported', userName, ''],
      first_name: null,
      last_name: null,
      display_name: 'Imported',
      user_name: userName,
      status: 'created',
      message: null,
      user_id: user.id,
      // Not opened with this key: the file says so in the password's cell, which is all the matrices read.
      temporary_password: 'v1.matrix',
    })
    .execute();
  return { id };
}

export interface RouteSpec {
  /**
   * Roles allowed; 'public' needs no sign-in; 'customer' needs a customer session (the customer-facing
   * routes), which no partner role opens.
   */
  roles: Role[] | 'public' | 'customer';
  /** Path parameters for a call made by `callerId` against the resources of `fx`. */
  params?: (fx: Fixture, callerId: string) => Promise<Record<string, string>>;
  /** A plausible body (the matrices check authorization, not validation): JSON, or a Buffer sent as is. */
  body?: unknown;
  /** Headers and a query string a plausible call carries (a file upload's type and name). */
  headers?: Record<string, string>;
  query?: Record<string, string>;
  /**
   * Isolation: other spellings of `params` that name the same resources (a service request by its reference
   * number, which every partner has its own of: the answer may be the caller's own, never the fixture's).
   */
  aliases?: (fx: Fixture) => Record<string, string>[];
  /**
   * Isolation: `names` — the path names one of the fixture's resources, so another partner gets 404;
   * `list` — a collection, which must not mention the other partner's resources; `none` — reason why neither.
   */
  isolation: 'names' | 'list' | { none: string };
}

/** A service request's reference number as written (SR-000001) and as typed (sr-1). */
const byReferenceNumber = (fx: Fixture) => {
  const ref = fx.serviceRequest.referenceNumber;
  return [{ id: ref }, { id: `sr-${Number(ref.slice(3))}` }];
};

export const ROUTES: Record<string, RouteSpec> = {
  // The console's files and pages (src/http/console.routes.ts): the same static build for everyone.
  'GET /*': { roles: 'public', isolation: { none: 'the console’s static files, the same for every caller' } },
  'GET /healthz': { roles: 'public', isolation: { none: 'process health' } },
  'GET /readyz': { roles: 'public', isolation: { none: 'database health' } },
  'POST /v1/auth/token': {
    roles: 'public',
    body: { userName: 'nobody@example.com', password: 'x' },
    isolation: { none: 'sign-in' },
  },
  'POST /v1/auth/sessions': {
    roles: 'public',
    body: { userName: 'nobody@example.com', password: 'x' },
    isolation: { none: 'sign-in' },
  },
  'DELETE /v1/auth/sessions/current': { roles: EVERY_ROLE, isolation: { none: "the caller's own session" } },
  'GET /v1/profiles/me': { roles: EVERY_ROLE, isolation: 'list' },
  'PATCH /v1/profiles/me': {
    roles: EVERY_ROLE,
    body: { language: 'de' },
    isolation: { none: "the caller's own profile" },
  },
  'POST /v1/profiles/me/password': {
    roles: EVERY_ROLE,
    body: { currentPassword: 'wrong-password-1', newPassword: 'Another-password-77' },
    isolation: { none: "the caller's own password" },
  },
  'GET /v1/profiles/partner': { roles: EVERY_ROLE, isolation: 'list' },
  'GET /v1/profiles/apitokens': { roles: EVERY_ROLE, isolation: 'list' },
  'POST /v1/profiles/apitokens': {
    roles: EVERY_ROLE,
    body: { name: 'matrix', roles: ['salesAgent'] },
    isolation: { none: 'creates for the caller' },
  },
  'DELETE /v1/profiles/apitokens/:id': {
    roles: EVERY_ROLE,
    params: async (fx, callerId) => ({ id: await fx.apiToken(callerId) }),
    isolation: 'names',
  },
  'GET /v1/apitokens': { roles: [GA, UMA], isolation: 'list' },
  'DELETE /v1/apitokens/:id': {
    roles: [GA, UMA],
    params: async (fx) => ({ id: await fx.apiToken(fx.userId) }),
    isolation: 'names',
  },
  'GET /v1/partnerusers': { roles: [GA, UMA], isolation: 'list' },
  'POST /v1/partnerusers': {
    roles: [GA, UMA],
    body: { userName: 'new-user@matrix.example', displayName: 'New', roles: ['salesAgent'] },
    isolation: { none: 'creates in the caller’s partner' },
  },
  'GET /v1/partnerusers/:id': {
    roles: [GA, UMA],
    params: async (fx) => ({ id: fx.userId }),
    isolation: 'names',
  },
  'PATCH /v1/partnerusers/:id': {
    roles: [GA, UMA],
    params: async (fx) => ({ id: fx.userId }),
    body: { displayName: 'Renamed' },
    isolation: 'names',
  },
  'POST /v1/partnerusers/:id/resetpassword': {
    roles: [GA, UMA],
    params: async (fx) => ({ id: fx.userId }),
    isolation: 'names',
  },
  'GET /v1/auditrecords': { roles: [GA, AA, BA], isolation: 'list' },
  'GET /v1/auditrecords/export.csv': { roles: [GA, AA, BA], isolation: 'list' },
  // Customer accounts (PRODUCT.md "Partner roles": view, add, update account info / billing profile).
  'POST /v1/customers': {
    roles: [GA, AA, SA, UMA],
    body: customerBody(),
    isolation: { none: 'creates a customer of the caller’s partner' },
  },
  'GET /v1/customers': { roles: [GA, AA, SA, HA], isolation: 'list' },
  'GET /v1/customers/export.csv': { roles: [GA, AA, SA, HA], isolation: 'list' },
  'GET /v1/customers/:customerId': {
    roles: [GA, AA, SA, HA],
    params: async (fx) => ({ customerId: fx.customer.id }),
    isolation: 'names',
  },
  'GET /v1/customers/:customerId/profiles/company': {
    roles: [GA, AA, SA, HA],
    params: async (fx) => ({ customerId: fx.customer.id }),
    isolation: 'names',
  },
  'PUT /v1/customers/:customerId/profiles/company': {
    roles: [GA, AA, SA, HA],
    params: async (fx) => ({ customerId: fx.customer.id }),
    body: { companyName: 'Renamed Ltd' },
    isolation: 'names',
  },
  'GET /v1/customers/:customerId/profiles/billing': {
    roles: [GA, AA, SA, HA],
    params: async (fx) => ({ customerId: fx.customer.id }),
    isolation: 'names',
  },
  'PUT /v1/customers/:customerId/profiles/billing': {
    roles: [GA, AA, SA],
    params: async (fx) => ({ customerId: fx.customer.id }),
    body: customerBody().billingProfile,
    isolation: 'names',
  },
  'GET /v1/customers/:customerId/agreements': {
    roles: [GA, AA, SA, HA],
    params: async (fx) => ({ customerId: fx.customer.id }),
    isolation: 'names',
  },
  'POST /v1/customers/:customerId/agreements': {
    roles: [GA, AA, SA],
    params: async (fx) => ({ customerId: fx.customer.id }),
    body: { firstName: 'Sam', lastName: 'Signer', email: 'sam@matrix.example', dateAgreed: '2026-01-01' },
    isolation: 'names',
  },
  'GET /v1/domains/:domain': {
    roles: [GA, AA, SA, UMA],
    params: async (fx) => ({ domain: fx.customer.domain }),
    isolation: { none: 'whether a domain is taken is answered for every tenant alike (HEAD: 200 or 404)' },
  },
  // Reseller relationships (PRODUCT.md "Partner roles": request reseller relationship, remove reseller
  // relationship; the removal preflight is part of viewing a customer).
  'GET /v1/customers/relationshiprequests': { roles: [GA, AA, SA], isolation: 'list' },
  'GET /v1/relationshipinvitations': { roles: [GA, AA, SA], isolation: 'list' },
  'DELETE /v1/relationshipinvitations/:id': {
    roles: [GA, AA, SA],
    params: async (fx) => ({ id: (await fx.invitation()).id }),
    isolation: 'names',
  },
  'GET /v1/customers/:customerId/relationship/removal-check': {
    roles: [GA, AA, SA, HA],
    params: async (fx) => ({ customerId: fx.customer.id }),
    isolation: 'names',
  },
  'PATCH /v1/customers/:customerId': {
    roles: [GA],
    params: async (fx) => ({ customerId: (await fx.newCustomer()).id }),
    body: { relationshipToPartner: 'none' },
    isolation: 'names',
  },
  // Orders and subscriptions (PRODUCT.md "Partner roles": orders, subscriptions; seeing them goes with seeing
  // the customer).
  'POST /v1/customers/:customerId/orders': {
    roles: [GA, AA, SA],
    params: async (fx) => ({ customerId: fx.customer.id }),
    body: { lineItems: [{ offerId: MATRIX_OFFERS.suite, quantity: 1 }] },
    isolation: 'names',
  },
  'GET /v1/customers/:customerId/orders': {
    roles: [GA, AA, SA, HA],
    params: async (fx) => ({ customerId: fx.customer.id }),
    isolation: 'names',
  },
  'GET /v1/customers/:customerId/orders/:orderId': {
    roles: [GA, AA, SA, HA],
    params: async (fx) => ({ customerId: fx.customer.id, orderId: fx.subscription.orderId }),
    isolation: 'names',
  },
  'GET /v1/customers/:customerId/subscriptions': {
    roles: [GA, AA, SA, HA],
    params: async (fx) => ({ customerId: fx.customer.id }),
    isolation: 'names',
  },
  'GET /v1/customers/:customerId/subscriptions/export.csv': {
    roles: [GA, AA, SA, HA],
    params: async (fx) => ({ customerId: fx.customer.id }),
    isolation: 'names',
  },
  'GET /v1/customers/:customerId/subscriptions/:subscriptionId': {
    roles: [GA, AA, SA, HA],
    params: async (fx) => ({ customerId: fx.customer.id, subscriptionId: fx.subscription.id }),
    isolation: 'names',
  },
  'PATCH /v1/customers/:customerId/subscriptions/:subscriptionId': {
    roles: [GA, AA, SA],
    params: async (fx) => ({ customerId: fx.customer.id, subscriptionId: fx.subscription.id }),
    body: { friendlyName: 'Renamed by the matrix' },
    isolation: 'names',
  },
  'POST /v1/customers/:customerId/subscriptions/:subscriptionId/cancel': {
    roles: [GA, AA, SA],
    params: async (fx) => ({ customerId: fx.customer.id, subscriptionId: (await fx.newReservation()).id }),
    isolation: 'names',
  },
  'GET /v1/customers/:customerId/subscriptions/:subscriptionId/supportcontact': {
    roles: [GA, AA, SA, HA],
    params: async (fx) => ({ customerId: fx.customer.id, subscriptionId: fx.subscription.id }),
    isolation: 'names',
  },
  'PUT /v1/customers/:customerId/subscriptions/:subscriptionId/supportcontact': {
    roles: [GA, AA, SA],
    params: async (fx) => ({ customerId: fx.customer.id, subscriptionId: fx.subscription.id }),
    body: { supportPartnerId: '00000000-0000-4000-8000-000000000000' },
    isolation: 'names',
  },
  // The customer-facing pages' API: public, or a customer session; no partner resource is named.
  'GET /v1/invitations/:token': {
    roles: 'public',
    params: async (fx) => ({ token: (await fx.invitation()).token }),
    isolation: {
      none: 'what an invitation link shows anyone who holds it: the partner’s name, instance, country',
    },
  },
  'POST /v1/customer/sessions': {
    roles: 'public',
    body: { userName: 'nobody@customer.example', password: 'x' },
    isolation: { none: 'customer sign-in' },
  },
  'DELETE /v1/customer/sessions/current': {
    roles: 'customer',
    isolation: { none: 'the customer user’s own session' },
  },
  'GET /v1/customer/me': { roles: 'customer', isolation: { none: 'the customer user’s own organisation' } },
  'POST /v1/customer/me/password': {
    roles: 'customer',
    body: { currentPassword: 'wrong-password-1', newPassword: 'Another-password-77' },
    isolation: { none: 'the customer user’s own password' },
  },
  'POST /v1/invitations/:token/accept': {
    roles: 'customer',
    params: async (fx) => ({ token: (await fx.invitation()).token }),
    body: {
      customerAgreement: {
        firstName: 'Sam',
        lastName: 'Signer',
        email: 'sam@matrix.example',
        dateAgreed: '2026-01-01',
      },
    },
    isolation: { none: 'accepts for the customer user’s own organisation (tests: relationships.portal)' },
  },
  'GET /v1/customer/partners': {
    roles: 'customer',
    isolation: { none: 'the customer user’s own organisation’s partners' },
  },
  'DELETE /v1/customer/partners/:partnerId/delegatedadmin': {
    roles: 'customer',
    params: async (fx) => ({ partnerId: fx.partnerId }),
    isolation: { none: 'the customer user’s own organisation (tests: relationships.portal)' },
  },
  'GET /v1/customer/transfers': {
    roles: 'customer',
    isolation: { none: 'the customer user’s own organisation’s transfer requests' },
  },
  // A request of the signed-in customer's, awaiting its consent, made for this call (answering ends it).
  'POST /v1/customer/transfers/:transferId/consent': {
    roles: 'customer',
    params: async (fx) => ({ transferId: (await fx.transfer({ portal: true, consent: false })).id }),
    isolation: { none: 'the customer user’s own organisation’s requests (tests: transfers.portal)' },
  },
  'POST /v1/customer/transfers/:transferId/decline': {
    roles: 'customer',
    params: async (fx) => ({ transferId: (await fx.transfer({ portal: true, consent: false })).id }),
    isolation: { none: 'the customer user’s own organisation’s requests (tests: transfers.portal)' },
  },
  // Customer users (PRODUCT.md features 7 and 8).
  'GET /v1/users/import-template.csv': {
    roles: [GA, AA, UMA],
    isolation: { none: 'the same template for every partner' },
  },
  // Users from a file (feature 8): the upload is sent without a file here (the matrices check who may call,
  // which is decided before the file is read; test/imports.*.test.ts send files).
  'POST /v1/customers/:customerId/users/imports': {
    roles: [GA, AA, UMA],
    params: async (fx) => ({ customerId: fx.customer.id }),
    isolation: 'names',
  },
  'GET /v1/customers/:customerId/users/imports': {
    roles: [GA, AA, UMA],
    params: async (fx) => ({ customerId: fx.customer.id }),
    isolation: 'names',
  },
  'GET /v1/customers/:customerId/users/imports/:importId': {
    roles: [GA, AA, UMA],
    params: async (fx) => ({ customerId: fx.customer.id, importId: (await fx.userImport()).id }),
    isolation: 'names',
  },
  'GET /v1/customers/:customerId/users/imports/:importId/results.csv': {
    roles: [GA, AA, UMA],
    params: async (fx) => ({ customerId: fx.customer.id, importId: (await fx.userImport()).id }),
    isolation: 'names',
  },
  'GET /v1/customers/:customerId/users/imports/:importId/passwords.csv': {
    roles: [GA, AA, UMA],
    params: async (fx) => ({ customerId: fx.customer.id, importId: (await fx.userImport()).id }),
    isolation: 'names',
  },
  'GET /v1/customers/:customerId/users': {
    roles: [GA, AA, UMA],
    params: async (fx) => ({ customerId: fx.customer.id }),
    isolation: 'names',
  },
  'POST /v1/customers/:customerId/users': {
    roles: [GA, AA, UMA],
    params: async (fx) => ({ customerId: fx.customer.id }),
    body: { userPrincipalName: 'new-user@matrix.example', displayName: 'Matrix user' },
    isolation: 'names',
  },
  'POST /v1/customers/:customerId/users/restore': {
    roles: [GA, AA, UMA],
    params: async (fx) => ({ customerId: fx.customer.id }),
    body: { userIds: ['00000000-0000-4000-8000-000000000000'] },
    isolation: 'names',
  },
  'GET /v1/customers/:customerId/users/:userId': {
    roles: [GA, AA, UMA],
    params: async (fx) => ({ customerId: fx.customer.id, userId: fx.customerUser.id }),
    isolation: 'names',
  },
  'PATCH /v1/customers/:customerId/users/:userId': {
    roles: [GA, AA, UMA],
    params: async (fx) => ({ customerId: fx.customer.id, userId: fx.customerUser.id }),
    body: { displayName: 'Renamed by the matrix' },
    isolation: 'names',
  },
  'DELETE /v1/customers/:customerId/users/:userId': {
    roles: [GA, AA, UMA],
    params: async (fx) => ({ customerId: fx.customer.id, userId: (await fx.newCustomerUser()).id }),
    isolation: 'names',
  },
  'GET /v1/customers/:customerId/directoryroles': {
    roles: [GA, AA, UMA],
    params: async (fx) => ({ customerId: fx.customer.id }),
    isolation: 'names',
  },
  'GET /v1/customers/:customerId/directoryroles/:roleId/usermembers': {
    roles: [GA, AA, UMA],
    params: async (fx) => ({ customerId: fx.customer.id, roleId: 'globalAdmin' }),
    isolation: 'names',
  },
  'POST /v1/customers/:customerId/directoryroles/:roleId/usermembers': {
    roles: [GA, AA, UMA],
    params: async (fx) => ({ customerId: fx.customer.id, roleId: 'helpdeskAdmin' }),
    body: { id: '00000000-0000-4000-8000-000000000000' },
    isolation: 'names',
  },
  'DELETE /v1/customers/:customerId/directoryroles/:roleId/usermembers/:userId': {
    roles: [GA, AA, UMA],
    params: async (fx) => ({
      customerId: fx.customer.id,
      roleId: 'userAdmin',
      userId: (await fx.newRoleMember()).id,
    }),
    isolation: 'names',
  },
  // Licences (PRODUCT.md feature 7): seen and changed by those who manage the customer's users.
  'GET /v1/customers/:customerId/subscribedskus': {
    roles: [GA, AA, UMA],
    params: async (fx) => ({ customerId: fx.customer.id }),
    isolation: 'names',
  },
  'GET /v1/customers/:customerId/users/:userId/licenses': {
    roles: [GA, AA, UMA],
    params: async (fx) => ({ customerId: fx.customer.id, userId: fx.customerUser.id }),
    isolation: 'names',
  },
  'POST /v1/customers/:customerId/users/:userId/licenseupdates': {
    roles: [GA, AA, UMA],
    params: async (fx) => ({ customerId: fx.customer.id, userId: fx.customerUser.id }),
    body: { licensesToAssign: [{ skuId: MATRIX_OFFERS.suite }], licensesToRemove: [] },
    isolation: 'names',
  },
  'POST /v1/customers/:customerId/licenseupdates': {
    roles: [GA, AA, UMA],
    params: async (fx) => ({ customerId: fx.customer.id }),
    body: { userIds: ['00000000-0000-4000-8000-000000000000'], licensesToRemove: [MATRIX_OFFERS.suite] },
    isolation: 'names',
  },
  // Transfers between partners (PRODUCT.md feature 6): seen with subscriptions and billing, made and answered by
  // those who order. Each write gets a request made for the call with the partner as the party who may make it
  // (accept, reject: the source, after the customer's consent; cancel: the target).
  'GET /v1/customers/:customerId/transferseligibility': {
    roles: [GA, AA, SA, BA],
    params: async (fx) => ({ customerId: fx.customer.id }),
    isolation: 'names',
  },
  'POST /v1/customers/:customerId/transfers': {
    roles: [GA, AA, SA],
    params: async (fx) => ({ customerId: fx.customer.id }),
    body: { allEligible: true, sourcePartnerTenantId: '00000000-0000-4000-8000-000000000000' },
    isolation: 'names',
  },
  'GET /v1/customers/:customerId/transfers': {
    roles: [GA, AA, SA, BA],
    params: async (fx) => ({ customerId: fx.customer.id }),
    isolation: 'names',
  },
  'GET /v1/customers/:customerId/transfers/:transferId': {
    roles: [GA, AA, SA, BA],
    params: async (fx) => ({ customerId: fx.customer.id, transferId: (await fx.transfer()).id }),
    isolation: 'names',
  },
  'POST /v1/customers/:customerId/transfers/:transferId/accept': {
    roles: [GA, AA, SA],
    params: async (fx) => ({
      customerId: fx.customer.id,
      transferId: (await fx.transfer({ side: 'source' })).id,
    }),
    body: {},
    isolation: 'names',
  },
  'POST /v1/customers/:customerId/transfers/:transferId/reject': {
    roles: [GA, AA, SA],
    params: async (fx) => ({
      customerId: fx.customer.id,
      transferId: (await fx.transfer({ side: 'source' })).id,
    }),
    body: { reason: 'Not now' },
    isolation: 'names',
  },
  'POST /v1/customers/:customerId/transfers/:transferId/cancel': {
    roles: [GA, AA, SA],
    params: async (fx) => ({ customerId: fx.customer.id, transferId: (await fx.transfer()).id }),
    isolation: 'names',
  },
  'GET /v1/transfers': { roles: [GA, AA, SA, BA], isolation: 'list' },
  'GET /v1/transfers/summary': { roles: [GA, AA, SA, BA], isolation: 'list' },
  'GET /v1/transfers/:transferId': {
    roles: [GA, AA, SA, BA],
    params: async (fx) => ({ transferId: (await fx.transfer()).id }),
    isolation: 'names',
  },
  // Billing (PRODUCT.md feature 10; "Partner roles": invoices, billing, spending budgets — Global admin, Admin
  // agent, Billing admin). Invoices are the partner's own: another partner's id is a 404.
  'POST /v1/usage-records': {
    roles: [GA, AA, BA],
    body: {
      items: [
        {
          clientRecordId: 'matrix-1',
          subscriptionId: '00000000-0000-4000-8000-000000000000',
          meterId: 'matrix-hours',
          usageDate: '2026-01-01',
          quantity: 1,
        },
      ],
    },
    isolation: {
      none: 'names subscriptions in its body: another partner’s is refused as "No such subscription" (tests: billing.usage)',
    },
  },
  'GET /v1/usage-records': { roles: [GA, AA, BA], isolation: 'list' },
  'GET /v1/invoices': { roles: [GA, AA, BA], isolation: 'list' },
  'GET /v1/invoices/summaries': { roles: [GA, AA, BA], isolation: 'list' },
  'GET /v1/invoices/unbilled/lineitems': { roles: [GA, AA, BA], isolation: 'list' },
  'GET /v1/invoices/:id': {
    roles: [GA, AA, BA],
    params: async (fx) => ({ id: fx.invoice.id }),
    isolation: 'names',
  },
  'GET /v1/invoices/:id/lineitems': {
    roles: [GA, AA, BA],
    params: async (fx) => ({ id: fx.invoice.id }),
    isolation: 'names',
  },
  'GET /v1/invoices/:id/documents/statement': {
    roles: [GA, AA, BA],
    params: async (fx) => ({ id: fx.invoice.id }),
    isolation: 'names',
  },
  'GET /v1/invoices/:id/documents/reconciliation': {
    roles: [GA, AA, BA],
    params: async (fx) => ({ id: fx.invoice.id }),
    isolation: 'names',
  },
  'GET /v1/customers/:customerId/usagebudget': {
    roles: [GA, AA, BA],
    params: async (fx) => ({ customerId: fx.customer.id }),
    isolation: 'names',
  },
  'PUT /v1/customers/:customerId/usagebudget': {
    roles: [GA, AA, BA],
    params: async (fx) => ({ customerId: fx.customer.id }),
    body: { amount: 60000 },
    isolation: 'names',
  },
  'DELETE /v1/customers/:customerId/usagebudget': {
    roles: [GA, AA, BA],
    params: async (fx) => ({ customerId: fx.customer.id }),
    isolation: 'names',
  },
  'GET /v1/customers/:customerId/charges': {
    roles: [GA, AA, BA],
    params: async (fx) => ({ customerId: fx.customer.id }),
    isolation: 'names',
  },
  // Support (PRODUCT.md feature 11; "Partner roles": service requests for customers — Global admin, Admin agent,
  // Helpdesk agent; Sales agent views). A request's {id} is its uuid or its reference number.
  'GET /v1/servicerequests/supporttopics': {
    roles: [GA, AA, SA, HA],
    isolation: { none: 'the operator’s support topics, the same for every partner' },
  },
  'GET /v1/servicerequests/settings': {
    roles: [GA, AA, SA, HA],
    isolation: { none: 'the installation’s response targets and file rules, the same for every partner' },
  },
  'GET /v1/servicerequests/summary': { roles: [GA, AA, SA, HA], isolation: 'list' },
  'GET /v1/servicerequests': { roles: [GA, AA, SA, HA], isolation: 'list' },
  'POST /v1/customers/:customerId/servicerequests': {
    roles: [GA, AA, HA],
    params: async (fx) => ({ customerId: fx.customer.id }),
    body: {
      title: 'Mail is not delivered',
      description: 'Since this morning no mail reaches the customer’s mailboxes.',
      severity: 'moderate',
      supportTopicId: 'microsoft365',
      primaryContact: { firstName: 'Casey', lastName: 'Contact', email: 'casey@matrix.example' },
    },
    isolation: 'names',
  },
  'GET /v1/customers/:customerId/servicerequests': {
    roles: [GA, AA, SA, HA],
    params: async (fx) => ({ customerId: fx.customer.id }),
    isolation: 'names',
  },
  'GET /v1/servicerequests/:id': {
    roles: [GA, AA, SA, HA],
    params: async (fx) => ({ id: fx.serviceRequest.id }),
    aliases: byReferenceNumber,
    isolation: 'names',
  },
  'PATCH /v1/servicerequests/:id': {
    roles: [GA, AA, HA],
    params: async (fx) => ({ id: fx.serviceRequest.id }),
    body: { newNote: { text: 'Noted by the matrix' } },
    aliases: byReferenceNumber,
    isolation: 'names',
  },
  'POST /v1/servicerequests/:id/attachments': {
    roles: [GA, AA, HA],
    params: async (fx) => ({ id: fx.serviceRequest.id }),
    headers: { 'content-type': 'image/png' },
    query: { fileName: 'matrix.png' },
    body: MATRIX_PNG,
    aliases: byReferenceNumber,
    isolation: 'names',
  },
  'GET /v1/servicerequests/:id/attachments/:attachmentId': {
    roles: [GA, AA, SA, HA],
    params: async (fx) => ({ id: fx.serviceRequest.id, attachmentId: fx.serviceRequest.attachmentId }),
    aliases: (fx) =>
      byReferenceNumber(fx).map((p) => ({ ...p, attachmentId: fx.serviceRequest.attachmentId })),
    isolation: 'names',
  },
  // Meters and their prices are part of the catalog: offers.view, every role.
  'GET /v1/offers/:offerId/meters': {
    roles: EVERY_ROLE,
    params: async () => ({ offerId: MATRIX_OFFERS.azurePlan }),
    isolation: { none: 'the operator’s catalog, the same for every partner of a cloud instance' },
  },
  // The offer catalog (PRODUCT.md feature 9): the operator's, read by anyone working for a partner.
  'GET /v1/offers': { roles: EVERY_ROLE, isolation: 'list' },
  'GET /v1/offers/:offerId': {
    roles: EVERY_ROLE,
    params: async () => ({ offerId: 'M365-E3' }),
    isolation: { none: 'the operator’s catalog, the same for every partner of a cloud instance' },
  },
  'GET /v1/countryvalidationrules/:iso2': {
    roles: EVERY_ROLE,
    params: async () => ({ iso2: 'US' }),
    isolation: { none: 'reference data, the same for every partner' },
  },
  'GET /v1/countries': {
    roles: EVERY_ROLE,
    isolation: { none: 'reference data, the same for every partner' },
  },
  'POST /v1/validations/address': {
    roles: EVERY_ROLE,
    body: {
      country: 'US',
      state: 'WA',
      city: 'Redmond',
      addressLine1: '1 Microsoft Way',
      postalCode: '98052',
      phoneNumber: '+1 425 882 8080',
    },
    isolation: { none: 'reference data, the same for every partner' },
  },
};

export function fillPath(url: string, params: Record<string, string>): string {
  return url.replace(/:(\w+)/g, (_, name: string) => {
    const v = params[name];
    if (v === undefined) throw new Error(`no value for :${name} in ${url}`);
    return encodeURIComponent(v);
  });
}
