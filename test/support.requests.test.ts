// Support service requests through the API: creating one (numbered per partner, refused field by field, only
// with an active relationship), reading it by GUID or reference number, the support topics, the lists and their
// filters and paging, the summary, first-response targets and overdue on a controlled clock (and the configured
// targets), the status rules (closed is read-only, reopen within the window), notes and history, reassignment,
// If-Match, MS-RequestId and concurrent changes, the activity records, and who may do what.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { inPartnerTransaction } from '../src/db/database.ts';
import { updateRequest } from '../src/modules/support/serviceRequests.repository.ts';
import type { TestApp } from './helpers/app.ts';
import { createTestApp, injectAs, testClock } from './helpers/app.ts';
import { activityOf } from './helpers/activity.ts';
import { insertCustomer } from './helpers/customers.ts';
import { testConfig } from './helpers/db.ts';
import { createPartnerWithAdmin, createUser } from './helpers/factories.ts';
import type { TestCatalog } from './helpers/offers.ts';
import { insertSubscription, insertTestCatalog } from './helpers/offers.ts';
import type { ServiceRequest, SupportWorld } from './helpers/support.ts';
import {
  CONTACT,
  changeRequest,
  createRequest,
  createRequestAs,
  eventsOf,
  getRequest,
  patchRequest,
  readRequest,
  requestBody,
  requestRow,
  supportWorld,
} from './helpers/support.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const clock = testClock(new Date('2026-12-10T09:00:00Z'));
let t: TestApp;
let cat: TestCatalog;

beforeAll(async () => {
  t = await createTestApp({ clock, transferWorker: false, userImportWorker: false });
  cat = await insertTestCatalog(t.store);
});
afterAll(() => t?.close());

const now = () => clock.now().toISOString();
const plus = (iso: string, ms: number) => new Date(new Date(iso).getTime() + ms).toISOString();

const list = (token: string, query = '') => injectAs(t.app, token, 'GET', `/v1/servicerequests${query}`);

function expectError(
  r: { statusCode: number; body: string; json(): Record<string, unknown> },
  status: number,
  name: string,
) {
  expect(r.statusCode, r.body).toBe(status);
  expect(r.json().name, r.body).toBe(name);
}

/** The request's rows as the API cannot show them: its version, events and activity records, for "nothing written". */
async function footprint(id: string) {
  return {
    version: (await requestRow(t.store, id)).version,
    events: (await eventsOf(t.store, id)).length,
    activity: (await activityOf(t.store, id)).length,
  };
}

const requestsOfPartner = (partnerId: string) =>
  t.store.owner.selectFrom('service_requests').selectAll().where('partner_id', '=', partnerId).execute();

describe('creating a request', () => {
  it('answers 201 with the whole request, its Location and ETag; each partner numbers its own from SR-000001', async () => {
    const w = await supportWorld(t.store, 'Northwind Traders');
    const createdAt = now();
    const r = await createRequestAs(t.app, w.admin.token, w.customer.id, requestBody());
    expect(r.statusCode, r.body).toBe(201);
    const sr = r.json();
    expect(r.headers.location).toBe(`/v1/servicerequests/${sr.id}`);
    expect(r.headers.etag).toBe(sr.attributes.etag);
    expect(sr).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      referenceNumber: 'SR-000001',
      title: 'Mail is not delivered',
      description: 'Since this morning no external mail reaches the shared mailbox.',
      severity: 'moderate',
      status: 'open',
      supportTopicId: 'microsoft365',
      supportTopicName: 'Microsoft 365 and productivity',
      organization: { id: w.customer.id, name: 'Northwind Traders', phoneNumber: null },
      customerId: w.customer.id,
      primaryContact: CONTACT,
      createdBy: { contactId: w.admin.id, name: 'Ada Admin', email: w.admin.userName },
      lastUpdatedBy: { contactId: w.admin.id, name: 'Ada Admin', email: w.admin.userName },
      assignedTo: null,
      subscriptionId: null,
      productId: null,
      productName: null,
      countryCode: 'US',
      createdDate: createdAt,
      lastModifiedDate: createdAt,
      lastClosedDate: null,
      responseTargetMinutes: 240,
      firstResponseDueDate: plus(createdAt, 4 * HOUR),
      firstResponseDate: null,
      isOverdue: false,
      reopenCount: 0,
      noteCount: 0,
      attachmentCount: 0,
      fileLinks: [],
      notes: [],
      history: [
        {
          id: expect.any(String),
          kind: 'created',
          date: createdAt,
          actorName: 'Ada Admin',
          text: null,
          from: null,
          to: null,
          attachmentId: null,
          fileName: null,
        },
      ],
      attributes: { objectType: 'ServiceRequest', etag: expect.any(String) },
    });

    // What was created is what is read back.
    const read = await getRequest(t.app, w.admin.token, sr.id);
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json()).toEqual(sr);
    expect(read.headers.etag).toBe(sr.attributes.etag);

    const second = await createRequest(t.app, w.helpdesk.token, w.customer.id, {
      title: 'Second',
      severity: 'critical',
      primaryContact: { firstName: 'Jo', lastName: 'Doe', email: 'jo@customer.example' },
    });
    expect(second).toMatchObject({
      referenceNumber: 'SR-000002',
      createdBy: { name: 'Hana Helpdesk' },
      primaryContact: { firstName: 'Jo', lastName: 'Doe', email: 'jo@customer.example', phoneNumber: null },
      responseTargetMinutes: 120,
    });

    // Another partner starts at 1 too.
    const other = await supportWorld(t.store);
    expect((await createRequest(t.app, other.admin.token, other.customer.id)).referenceNumber).toBe(
      'SR-000001',
    );
    expect((await createRequest(t.app, w.admin.token, w.customer.id)).referenceNumber).toBe('SR-000003');
  });

  it('takes an assignee, a subscription (which names the product) or a catalog product', async () => {
    const w = await supportWorld(t.store);
    const { subscriptionId } = await insertSubscription(t.store, w.partner.id, w.customer.id, cat.suite, {
      columns: () => ({ friendly_name: 'Head office seats' }),
    });
    const withSub = await createRequest(t.app, w.admin.token, w.customer.id, {
      subscriptionId,
      assignedTo: w.helpdesk.id,
    });
    expect(withSub).toMatchObject({
      subscriptionId,
      productId: cat.suite,
      productName: 'Head office seats',
      assignedTo: { contactId: w.helpdesk.id, name: 'Hana Helpdesk', email: w.helpdesk.userName },
    });
    // The subscription's own product may be named beside it.
    const both = await createRequest(t.app, w.admin.token, w.customer.id, {
      subscriptionId,
      productId: cat.suite,
    });
    expect(both).toMatchObject({ subscriptionId, productId: cat.suite, productName: 'Head office seats' });
    const product = await createRequest(t.app, w.admin.token, w.customer.id, { productId: cat.azure });
    expect(product).toMatchObject({ subscriptionId: null, productId: cat.azure });
  });

  it('refuses bad input naming the field at fault, and writes nothing (not even a number)', async () => {
    const w = await supportWorld(t.store);
    const elsewhere = await insertCustomer(t.store, w.partner.id);
    const { subscriptionId: otherCustomersSub } = await insertSubscription(
      t.store,
      w.partner.id,
      elsewhere.id,
      cat.suite,
    );
    const { subscriptionId } = await insertSubscription(t.store, w.partner.id, w.customer.id, cat.suite);
    const stranger = await createPartnerWithAdmin(t.store);
    const cases: [string, Record<string, unknown>, string][] = [
      ['an empty title', { title: '' }, 'title'],
      ['a blank title', { title: '   \t ' }, 'title'],
      ['a title of 201 characters', { title: 'x'.repeat(201) }, 'title'],
      ['a huge title', { title: 'x'.repeat(100_000) }, 'title'],
      ['no title', { title: undefined }, 'title'],
      ['an empty description', { description: '' }, 'description'],
      ['a description of 10001 characters', { description: 'd'.repeat(10_001) }, 'description'],
      [
        'no contact email',
        { primaryContact: { firstName: 'Casey', lastName: 'Customer' } },
        'primaryContact.email',
      ],
      [
        'a bad contact email',
        { primaryContact: { ...CONTACT, email: 'casey at customer' } },
        'primaryContact.email',
      ],
      ['no contact', { primaryContact: undefined }, 'primaryContact'],
      ['an unknown severity', { severity: 'urgent' }, 'severity'],
      ['an unknown topic', { supportTopicId: 'gardening' }, 'supportTopicId'],
      ['another customer’s subscription', { subscriptionId: otherCustomersSub }, 'subscriptionId'],
      [
        'an unknown subscription',
        { subscriptionId: '00000000-0000-4000-8000-000000000001' },
        'subscriptionId',
      ],
      ['an unknown product', { productId: 'NO-SUCH-OFFER' }, 'productId'],
      ['a product other than the subscription’s', { subscriptionId, productId: cat.azure }, 'productId'],
      ['a Billing admin as assignee', { assignedTo: w.billing.id }, 'assignedTo'],
      ['another partner’s user as assignee', { assignedTo: stranger.admin.id }, 'assignedTo'],
      ['an unknown property', { colour: 'red' }, 'colour'],
    ];
    for (const [what, over, field] of cases) {
      const body = requestBody(over);
      for (const [k, v] of Object.entries(body)) if (v === undefined) delete body[k];
      const r = await createRequestAs(t.app, w.admin.token, w.customer.id, body);
      expect(r.statusCode, `${what}: ${r.body}`).toBe(400);
      expect(r.json(), what).toMatchObject({ name: 'validationFailed', code: 100001 });
      expect(
        (r.json().details as { field: string }[]).map((d) => d.field),
        what,
      ).toContain(field);
    }
    const topic = await createRequestAs(
      t.app,
      w.admin.token,
      w.customer.id,
      requestBody({ supportTopicId: 'x' }),
    );
    expect(topic.json().details).toEqual([
      {
        field: 'supportTopicId',
        reason: 'is not a support topic; see GET /v1/servicerequests/supporttopics',
      },
    ]);
    const extra = await createRequestAs(t.app, w.admin.token, w.customer.id, requestBody({ colour: 'red' }));
    expect(extra.json().details).toEqual([{ field: 'colour', reason: 'is not a known property' }]);

    expect(await requestsOfPartner(w.partner.id)).toEqual([]);
    expect(await eventsOfPartner(w.partner.id)).toEqual([]);
    // Refusals took no number: the first request made is still SR-000001.
    expect((await createRequest(t.app, w.admin.token, w.customer.id)).referenceNumber).toBe('SR-000001');
  });

  it('needs the customer in the partner’s list (404) and an active relationship (403), which old requests outlive', async () => {
    const w = await supportWorld(t.store);
    const other = await supportWorld(t.store);
    expectError(
      await createRequestAs(t.app, w.admin.token, other.customer.id, requestBody()),
      404,
      'customerNotFound',
    );
    expectError(
      await createRequestAs(t.app, w.admin.token, '00000000-0000-4000-8000-000000000002', requestBody()),
      404,
      'customerNotFound',
    );

    const older = await createRequest(t.app, w.admin.token, w.customer.id);
    const closedEarlier = await createRequest(t.app, w.admin.token, w.customer.id);
    await changeRequest(t.app, w.admin.token, closedEarlier.id, { status: 'closed' });
    await t.store.owner
      .updateTable('customer_relationships')
      .set({ state: 'removed', removed_at: clock.now(), delegated_admin: false })
      .where('partner_id', '=', w.partner.id)
      .where('customer_id', '=', w.customer.id)
      .execute();
    const refused = await createRequestAs(t.app, w.admin.token, w.customer.id, requestBody());
    expectError(refused, 403, 'noResellerRelationship');
    expect(refused.json().code).toBe(20002);
    expect(await requestsOfPartner(w.partner.id)).toHaveLength(2);

    // An open request can still be worked and wound down.
    const noted = await changeRequest(t.app, w.admin.token, older.id, {
      newNote: { text: 'Relationship ended.' },
    });
    expect(noted.noteCount).toBe(1);
    expect((await changeRequest(t.app, w.admin.token, older.id, { severity: 'minimal' })).severity).toBe(
      'minimal',
    );
    expect((await changeRequest(t.app, w.admin.token, older.id, { status: 'closed' })).status).toBe('closed');
    // Reopening needs the relationship.
    const reopen = await patchRequest(t.app, w.admin.token, closedEarlier.id, { status: 'open' });
    expectError(reopen, 403, 'noResellerRelationship');
    expect((await readRequest(t.app, w.admin.token, closedEarlier.id)).status).toBe('closed');
    // The list across customers still shows them.
    const theirs = await list(w.admin.token, `?customerId=${w.customer.id}`);
    expect(theirs.statusCode, theirs.body).toBe(200);
    expect(theirs.json().totalCount).toBe(2);
  });
});

const eventsOfPartner = (partnerId: string) =>
  t.store.owner
    .selectFrom('service_request_events')
    .selectAll()
    .where('partner_id', '=', partnerId)
    .execute();

describe('finding a request', () => {
  it('by GUID or reference number in any case; anything else, or another partner’s, is not found', async () => {
    const w = await supportWorld(t.store);
    const sr = await createRequest(t.app, w.admin.token, w.customer.id);
    for (const id of [sr.id, sr.id.toUpperCase(), 'SR-000001', 'sr-000001', 'sr-1', 'SR-1', 'Sr-01']) {
      const r = await getRequest(t.app, w.admin.token, id);
      expect(r.statusCode, `${id}: ${r.body}`).toBe(200);
      expect(r.json().id, id).toBe(sr.id);
    }
    for (const id of [
      'SR-000002',
      'SR-0',
      'SR-',
      'SR--1',
      'SR-1.5',
      'SR-99999999999999999999999',
      'abc',
      '00000000-0000-4000-8000-000000000003',
      `${sr.id}x`,
    ]) {
      const r = await getRequest(t.app, w.admin.token, id);
      expect(r.statusCode, `${id}: ${r.body}`).toBe(404);
      expect(r.json().name, id).toBe('serviceRequestNotFound');
    }
    const stranger = await createPartnerWithAdmin(t.store);
    for (const id of [sr.id, 'SR-000001', 'sr-1']) {
      expectError(await getRequest(t.app, stranger.admin.token, id), 404, 'serviceRequestNotFound');
      expectError(
        await patchRequest(t.app, stranger.admin.token, id, { newNote: { text: 'mine?' } }),
        404,
        'serviceRequestNotFound',
      );
    }
    expect((await readRequest(t.app, w.admin.token, sr.id)).noteCount).toBe(0);
  });
});

describe('support topics', () => {
  it('lists the topics in their order, to every role that sees support', async () => {
    const w = await supportWorld(t.store);
    const r = await injectAs(t.app, w.sales.token, 'GET', '/v1/servicerequests/supporttopics');
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json();
    expect(body.totalCount).toBe(9);
    expect(body.attributes).toEqual({ objectType: 'Collection' });
    expect(body.items.map((i: { id: string }) => i.id)).toEqual([
      'billing',
      'subscriptions',
      'licensing',
      'azure',
      'microsoft365',
      'identity',
      'transfers',
      'serviceHealth',
      'other',
    ]);
    expect(body.items[0]).toEqual({
      id: 'billing',
      name: 'Billing and invoices',
      description: 'Charges, invoices, credit notes, usage and spending budgets.',
      attributes: { objectType: 'SupportTopic' },
    });
    expectError(
      await injectAs(t.app, w.billing.token, 'GET', '/v1/servicerequests/supporttopics'),
      403,
      'forbidden',
    );
  });
});

describe('lists, filters and the summary', () => {
  // Five requests, a minute apart (newest first: r5 … r1), then three hours on: r1 (critical, unanswered) is
  // overdue; r4 (critical) had a note, r2 a status change; r3 is closed; r5 (moderate) is due at 4 h.
  let w: SupportWorld;
  let fabrikam: { id: string };
  const r: ServiceRequest[] = [];
  const ids = (body: { items: { id: string }[] }) => body.items.map((i) => i.id);
  const listed = async (query: string, token = w.admin.token) => {
    const res = await list(token, query);
    expect(res.statusCode, `${query}: ${res.body}`).toBe(200);
    return res.json();
  };
  const idsOf = (...n: number[]) => n.map((i) => r[i - 1]!.id);

  beforeAll(async () => {
    w = await supportWorld(t.store, 'Northwind Traders');
    fabrikam = await insertCustomer(t.store, w.partner.id, { name: 'Fabrikam Fiber' });
    const made: [string, string, string, string | null][] = [
      [w.customer.id, 'critical', 'Mailbox full', w.admin.id],
      [w.customer.id, 'moderate', 'Invoice total looks wrong', null],
      [fabrikam.id, 'minimal', 'Licence count', w.helpdesk.id],
      [fabrikam.id, 'critical', 'Teams calls drop', null],
      [fabrikam.id, 'moderate', 'Azure quota', w.helpdesk.id],
    ];
    for (const [customerId, severity, title, assignedTo] of made) {
      r.push(await createRequest(t.app, w.admin.token, customerId, { severity, title, assignedTo }));
      clock.advance(MINUTE);
    }
    await changeRequest(t.app, w.admin.token, r[1]!.id, { status: 'attentionNeeded' });
    await changeRequest(t.app, w.admin.token, r[2]!.id, { status: 'closed' });
    await changeRequest(t.app, w.admin.token, r[3]!.id, { newNote: { text: 'Looking into it.' } });
    clock.advance(3 * HOUR);
    // Another partner's request is never listed.
    const other = await supportWorld(t.store, 'Northwind Traders');
    await createRequest(t.app, other.admin.token, other.customer.id, {
      title: 'Mailbox full',
      severity: 'critical',
    });
  });

  it('lists newest first, with totalCount and without notes, files or history', async () => {
    const all = await listed('');
    expect(ids(all)).toEqual(idsOf(5, 4, 3, 2, 1));
    expect(all.totalCount).toBe(5);
    expect(all.attributes).toEqual({ objectType: 'Collection' });
    const item = all.items[4];
    expect(item).toMatchObject({
      id: r[0]!.id,
      referenceNumber: 'SR-000001',
      title: 'Mailbox full',
      isOverdue: true,
      organization: { name: 'Northwind Traders' },
      assignedTo: { contactId: w.admin.id, name: 'Ada Admin' },
      attributes: { objectType: 'ServiceRequest' },
    });
    for (const key of ['fileLinks', 'notes', 'history']) expect(item).not.toHaveProperty(key);
    expect(all.items.map((i: ServiceRequest) => i.isOverdue)).toEqual([false, false, false, false, true]);
  });

  it.each([
    ['?status=open', [5, 4, 1]],
    ['?status=attentionNeeded', [2]],
    ['?status=closed', [3]],
    ['?status=open,attentionNeeded', [5, 4, 2, 1]],
    ['?status=open&status=closed', [5, 4, 3, 1]],
    ['?severity=critical', [4, 1]],
    ['?severity=moderate,minimal', [5, 3, 2]],
    ['?severity=minimal&severity=critical', [4, 3, 1]],
    ['?overdue=true', [1]],
    ['?overdue=false', [5, 4, 3, 2]],
    ['?assignedTo=me', [1]],
    ['?assignedTo=unassigned', [4, 2]],
    ['?q=mailbox', [1]],
    ['?q=MAILBOX%20FU', [1]],
    ['?q=fabrikam', [5, 4, 3]],
    ['?q=northwind%20trad', [2, 1]],
    ['?q=SR-000002', [2]],
    ['?q=SR-2', [2]],
    ['?q=sr-2', [2]],
    ['?q=2', [2]],
    ['?q=SR-000009', []],
    // LIKE's wildcards are plain characters here.
    ['?q=%25', []],
    ['?q=_', []],
    ['?status=open&severity=critical&q=northwind', [1]],
  ])('%s', async (query, expected) => {
    const body = await listed(query);
    expect(ids(body)).toEqual(idsOf(...expected));
    expect(body.totalCount).toBe(expected.length);
  });

  it('filters by assignee GUID and by customer', async () => {
    expect(ids(await listed(`?assignedTo=${w.helpdesk.id}`))).toEqual(idsOf(5, 3));
    expect(ids(await listed(`?assignedTo=me`, w.helpdesk.token))).toEqual(idsOf(5, 3));
    expect(ids(await listed(`?customerId=${w.customer.id}`))).toEqual(idsOf(2, 1));
    expect(ids(await listed(`?customerId=${fabrikam.id}&status=open`))).toEqual(idsOf(5, 4));
  });

  it('lists one customer’s requests, with the same filters; an unknown customer is not found', async () => {
    const url = (customerId: string, query = '') => `/v1/customers/${customerId}/servicerequests${query}`;
    const mine = await injectAs(t.app, w.sales.token, 'GET', url(fabrikam.id));
    expect(mine.statusCode, mine.body).toBe(200);
    expect(ids(mine.json())).toEqual(idsOf(5, 4, 3));
    expect(mine.json().totalCount).toBe(3);
    const open = await injectAs(t.app, w.admin.token, 'GET', url(fabrikam.id, '?status=closed'));
    expect(ids(open.json())).toEqual(idsOf(3));
    for (const customerId of [
      '00000000-0000-4000-8000-000000000004',
      (await supportWorld(t.store)).customer.id,
    ])
      expectError(await injectAs(t.app, w.admin.token, 'GET', url(customerId)), 404, 'customerNotFound');
  });

  it('pages with a continuation token (query or MS-ContinuationToken), totalCount on every page', async () => {
    const first = await listed('?size=2');
    expect(ids(first)).toEqual(idsOf(5, 4));
    expect(first.totalCount).toBe(5);
    expect(first.links.next).toBeDefined();
    const second = await injectAs(t.app, w.admin.token, 'GET', first.links.next.uri);
    expect(second.statusCode, second.body).toBe(200);
    expect(ids(second.json())).toEqual(idsOf(3, 2));
    expect(second.json().totalCount).toBe(5);
    const third = await injectAs(t.app, w.admin.token, 'GET', '/v1/servicerequests?size=2', {
      headers: { 'ms-continuationtoken': second.json().links.next.headers[0].value },
    });
    expect(third.statusCode, third.body).toBe(200);
    expect(ids(third.json())).toEqual(idsOf(1));
    expect(third.json().links.next).toBeUndefined();
    // Filtered paging keeps the filter.
    const open = await listed('?status=open&size=2');
    expect(ids(open)).toEqual(idsOf(5, 4));
    const rest = await injectAs(t.app, w.admin.token, 'GET', open.links.next.uri);
    expect(ids(rest.json())).toEqual(idsOf(1));
    expect(rest.json().totalCount).toBe(3);
  });

  it('pages requests made at the same instant without losing or repeating one', async () => {
    const same = await supportWorld(t.store);
    const made: string[] = [];
    for (let i = 0; i < 5; i++)
      made.push((await createRequest(t.app, same.admin.token, same.customer.id)).id);
    const seen: string[] = [];
    let url: string | undefined = '/v1/servicerequests?size=2';
    while (url) {
      const page = await injectAs(t.app, same.admin.token, 'GET', url);
      expect(page.statusCode, page.body).toBe(200);
      expect(page.json().totalCount).toBe(5);
      seen.push(...ids(page.json()));
      url = page.json().links.next?.uri;
    }
    expect(seen).toHaveLength(5);
    expect(new Set(seen)).toEqual(new Set(made));
  });

  it.each([
    ['?status=pending', 'querystring.status'],
    ['?status=open,nope', 'querystring.status'],
    ['?severity=high', 'querystring.severity'],
    ['?overdue=maybe', 'querystring.overdue'],
    ['?assignedTo=somebody', 'querystring.assignedTo'],
    ['?q=', 'querystring.q'],
    [`?q=${'x'.repeat(101)}`, 'querystring.q'],
    ['?size=0', 'querystring.size'],
    ['?size=1001', 'querystring.size'],
    ['?customerId=nope', 'querystring.customerId'],
  ])('refuses %s naming %s', async (query, field) => {
    const res = await list(w.admin.token, query);
    expectError(res, 400, 'validationFailed');
    expect(res.json().details.map((d: { field: string }) => d.field)).toContain(field);
  });

  it('refuses a continuation token that is not one, or is another list’s', async () => {
    expectError(await list(w.admin.token, '?continuationToken=garbage'), 400, 'invalidContinuationToken');
    // A token of the open requests does not page the closed ones.
    const open = await listed('?status=open&size=2');
    const token = encodeURIComponent(open.links.next.headers[0].value);
    expectError(
      await list(w.admin.token, `?status=closed&size=2&continuationToken=${token}`),
      400,
      'invalidContinuationToken',
    );
  });

  it('summarises open, waiting, overdue (by severity, the oldest first due) and recently closed', async () => {
    const summary = async () => {
      const res = await injectAs(t.app, w.sales.token, 'GET', '/v1/servicerequests/summary');
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    };
    expect(await summary()).toEqual({
      open: 3,
      attentionNeeded: 1,
      overdue: 1,
      closedLast30Days: 1,
      overdueBySeverity: { critical: 1, moderate: 0, minimal: 0 },
      oldestOverdue: {
        id: r[0]!.id,
        referenceNumber: 'SR-000001',
        title: 'Mailbox full',
        firstResponseDueDate: r[0]!.firstResponseDueDate,
      },
      attributes: { objectType: 'ServiceRequestSummary' },
    });
    // An hour later r5 (moderate, due 4 h after it was made) is overdue too; r1 is still the oldest.
    clock.advance(HOUR + MINUTE);
    expect(await summary()).toMatchObject({
      overdue: 2,
      overdueBySeverity: { critical: 1, moderate: 1, minimal: 0 },
      oldestOverdue: { id: r[0]!.id },
    });
    expect(ids(await listed('?overdue=true'))).toEqual(idsOf(5, 1));
    // A month on, the close no longer counts as recent.
    clock.advance(31 * DAY);
    expect(await summary()).toMatchObject({ closedLast30Days: 0, open: 3 });
  });
});

describe('first response targets and overdue', () => {
  it('a critical request is due 2 h after it was made; a note is the response that ends the wait', async () => {
    const w = await supportWorld(t.store);
    const sr = await createRequest(t.app, w.admin.token, w.customer.id, { severity: 'critical' });
    expect(sr.responseTargetMinutes).toBe(120);
    expect(sr.firstResponseDueDate).toBe(plus(sr.createdDate, 2 * HOUR));

    clock.advance(2 * HOUR - MINUTE);
    expect((await readRequest(t.app, w.admin.token, sr.id)).isOverdue).toBe(false);
    expect((await list(w.admin.token, '?overdue=true')).json().totalCount).toBe(0);
    clock.advance(MINUTE);
    expect((await readRequest(t.app, w.admin.token, sr.id)).isOverdue).toBe(true);
    expect(
      (await list(w.admin.token, '?overdue=true')).json().items.map((i: ServiceRequest) => i.id),
    ).toEqual([sr.id]);

    // Reassigning and changing the contact are not responses.
    await changeRequest(t.app, w.admin.token, sr.id, { assignedTo: w.helpdesk.id });
    const recontacted = await changeRequest(t.app, w.admin.token, sr.id, {
      primaryContact: { ...CONTACT, phoneNumber: null },
    });
    expect(recontacted).toMatchObject({ isOverdue: true, firstResponseDate: null });

    clock.advance(10 * MINUTE);
    const answeredAt = now();
    const answered = await changeRequest(t.app, w.helpdesk.token, sr.id, { newNote: { text: 'On it.' } });
    expect(answered).toMatchObject({ isOverdue: false, firstResponseDate: answeredAt });
    expect((await list(w.admin.token, '?overdue=true')).json().totalCount).toBe(0);
    // A later note is not the first response.
    clock.advance(MINUTE);
    await changeRequest(t.app, w.admin.token, sr.id, { newNote: { text: 'Still on it.' } });
    expect((await readRequest(t.app, w.admin.token, sr.id)).firstResponseDate).toBe(answeredAt);
  });

  it('closing is the first response when nothing came before it', async () => {
    const w = await supportWorld(t.store);
    const sr = await createRequest(t.app, w.admin.token, w.customer.id, { severity: 'critical' });
    clock.advance(3 * HOUR);
    expect((await readRequest(t.app, w.admin.token, sr.id)).isOverdue).toBe(true);
    const at = now();
    expect(await changeRequest(t.app, w.helpdesk.token, sr.id, { status: 'closed' })).toMatchObject({
      status: 'closed',
      firstResponseDate: at,
      lastClosedDate: at,
      isOverdue: false,
    });
  });

  it('a severity change after a reopen counts the due time from the reopen', async () => {
    const w = await supportWorld(t.store);
    const sr = await createRequest(t.app, w.admin.token, w.customer.id, { severity: 'minimal' });
    await changeRequest(t.app, w.admin.token, sr.id, { newNote: { text: 'Answered.' } });
    await changeRequest(t.app, w.admin.token, sr.id, { status: 'closed' });
    clock.advance(3 * DAY);
    const reopenedAt = now();
    expect(await changeRequest(t.app, w.admin.token, sr.id, { status: 'open' })).toMatchObject({
      firstResponseDueDate: plus(reopenedAt, 8 * HOUR),
      firstResponseDate: null,
    });
    clock.advance(HOUR);
    expect(await changeRequest(t.app, w.admin.token, sr.id, { severity: 'critical' })).toMatchObject({
      severity: 'critical',
      responseTargetMinutes: 120,
      firstResponseDueDate: plus(reopenedAt, 2 * HOUR),
      isOverdue: false,
    });
    clock.advance(HOUR);
    expect((await readRequest(t.app, w.admin.token, sr.id)).isOverdue).toBe(true);
  });

  it('a status change is a response too', async () => {
    const w = await supportWorld(t.store);
    const sr = await createRequest(t.app, w.admin.token, w.customer.id, { severity: 'critical' });
    clock.advance(HOUR);
    const at = now();
    expect(await changeRequest(t.app, w.admin.token, sr.id, { status: 'attentionNeeded' })).toMatchObject({
      firstResponseDate: at,
      isOverdue: false,
    });
    clock.advance(5 * HOUR);
    expect((await readRequest(t.app, w.admin.token, sr.id)).isOverdue).toBe(false);
  });

  it('a severity change before the response moves the due time from when the clock started; after it, not', async () => {
    const w = await supportWorld(t.store);
    const sr = await createRequest(t.app, w.admin.token, w.customer.id, { severity: 'minimal' });
    expect(sr.firstResponseDueDate).toBe(plus(sr.createdDate, 8 * HOUR));
    clock.advance(HOUR);
    const critical = await changeRequest(t.app, w.admin.token, sr.id, { severity: 'critical' });
    expect(critical).toMatchObject({
      severity: 'critical',
      responseTargetMinutes: 120,
      firstResponseDueDate: plus(sr.createdDate, 2 * HOUR),
      isOverdue: false,
      firstResponseDate: null,
    });
    clock.advance(HOUR);
    expect((await readRequest(t.app, w.admin.token, sr.id)).isOverdue).toBe(true);
    const moderate = await changeRequest(t.app, w.admin.token, sr.id, { severity: 'moderate' });
    expect(moderate).toMatchObject({
      responseTargetMinutes: 240,
      firstResponseDueDate: plus(sr.createdDate, 4 * HOUR),
      isOverdue: false,
    });
    expect(moderate.history.filter((h) => h.kind === 'severityChanged').map((h) => [h.from, h.to])).toEqual([
      ['minimal', 'critical'],
      ['critical', 'moderate'],
    ]);

    await changeRequest(t.app, w.admin.token, sr.id, { newNote: { text: 'Answered.' } });
    const after = await changeRequest(t.app, w.admin.token, sr.id, { severity: 'minimal' });
    expect(after).toMatchObject({
      severity: 'minimal',
      firstResponseDueDate: plus(sr.createdDate, 4 * HOUR),
    });
  });

  it('SUPPORT_RESPONSE_TARGETS sets the targets of requests made from then on', async () => {
    const w = await supportWorld(t.store);
    const before = await createRequest(t.app, w.admin.token, w.customer.id, { severity: 'critical' });
    // The same database, restarted with other targets.
    const config = testConfig(t.config.databaseUrl!, {
      SUPPORT_RESPONSE_TARGETS: 'critical=30m,moderate=1h,minimal=1d',
    });
    const app = await buildApp({
      config,
      store: t.store,
      clock,
      logger: false,
      transferWorker: false,
      userImportWorker: false,
    });
    try {
      await app.ready();
      const made = clock.now();
      const created = await createRequestAs(
        app,
        w.admin.token,
        w.customer.id,
        requestBody({ severity: 'critical' }),
      );
      expect(created.statusCode, created.body).toBe(201);
      expect(created.json()).toMatchObject({
        responseTargetMinutes: 30,
        firstResponseDueDate: plus(made.toISOString(), 30 * MINUTE),
      });
      const minimal = await createRequestAs(
        app,
        w.admin.token,
        w.customer.id,
        requestBody({ severity: 'minimal' }),
      );
      expect(minimal.json()).toMatchObject({ responseTargetMinutes: 1440 });
      // The request made before keeps its 2 h.
      const old = await getRequest(app, w.admin.token, before.id);
      expect(old.json()).toMatchObject({
        responseTargetMinutes: 120,
        firstResponseDueDate: before.firstResponseDueDate,
      });
      clock.advance(30 * MINUTE);
      expect((await getRequest(app, w.admin.token, created.json().id)).json().isOverdue).toBe(true);
      expect((await getRequest(app, w.admin.token, before.id)).json().isOverdue).toBe(false);
    } finally {
      await app.close();
    }
  });
});

describe('status', () => {
  it('goes open → attentionNeeded → open → closed, each change in the history', async () => {
    const w = await supportWorld(t.store);
    const sr = await createRequest(t.app, w.admin.token, w.customer.id);
    clock.advance(MINUTE);
    expect((await changeRequest(t.app, w.admin.token, sr.id, { status: 'attentionNeeded' })).status).toBe(
      'attentionNeeded',
    );
    clock.advance(MINUTE);
    expect((await changeRequest(t.app, w.admin.token, sr.id, { status: 'open' })).status).toBe('open');
    clock.advance(MINUTE);
    const closedAt = now();
    const closed = await changeRequest(t.app, w.helpdesk.token, sr.id, { status: 'closed' });
    expect(closed).toMatchObject({
      status: 'closed',
      lastClosedDate: closedAt,
      lastModifiedDate: closedAt,
      lastUpdatedBy: { contactId: w.helpdesk.id, name: 'Hana Helpdesk' },
      isOverdue: false,
    });
    expect(closed.history.map((h) => [h.kind, h.from, h.to, h.actorName])).toEqual([
      ['created', null, null, 'Ada Admin'],
      ['statusChanged', 'open', 'attentionNeeded', 'Ada Admin'],
      ['statusChanged', 'attentionNeeded', 'open', 'Ada Admin'],
      ['statusChanged', 'open', 'closed', 'Hana Helpdesk'],
    ]);
    // attentionNeeded may close directly too.
    const other = await createRequest(t.app, w.admin.token, w.customer.id);
    await changeRequest(t.app, w.admin.token, other.id, { status: 'attentionNeeded' });
    expect((await changeRequest(t.app, w.admin.token, other.id, { status: 'closed' })).status).toBe('closed');
  });

  it('a closed request refuses every change but a reopen, and nothing is written', async () => {
    const w = await supportWorld(t.store);
    const sr = await createRequest(t.app, w.admin.token, w.customer.id);
    const closed = await changeRequest(t.app, w.admin.token, sr.id, { status: 'closed' });
    const before = await footprint(sr.id);
    for (const body of [
      { newNote: { text: 'One more thing' } },
      { severity: 'critical' },
      { status: 'attentionNeeded' },
      { assignedTo: w.helpdesk.id },
      { primaryContact: { ...CONTACT, email: 'new@customer.example' } },
      { status: 'open', severity: 'critical' },
    ]) {
      const r = await patchRequest(t.app, w.admin.token, sr.id, body);
      expectError(r, 409, 'serviceRequestClosed');
    }
    expect(await footprint(sr.id)).toEqual(before);
    expect(await readRequest(t.app, w.admin.token, sr.id)).toEqual(closed);
  });

  it('a reopen restarts the response clock, counts, keeps the last close date; its own note is no response', async () => {
    const w = await supportWorld(t.store);
    const sr = await createRequest(t.app, w.admin.token, w.customer.id, { severity: 'critical' });
    await changeRequest(t.app, w.admin.token, sr.id, { newNote: { text: 'Answered.' } });
    const closedAt = now();
    await changeRequest(t.app, w.admin.token, sr.id, { status: 'closed' });
    clock.advance(3 * DAY);
    const reopenedAt = now();
    const reopened = await changeRequest(t.app, w.admin.token, sr.id, {
      status: 'open',
      newNote: { text: 'It is back.' },
    });
    expect(reopened).toMatchObject({
      status: 'open',
      reopenCount: 1,
      lastClosedDate: closedAt,
      firstResponseDate: null,
      responseTargetMinutes: 120,
      firstResponseDueDate: plus(reopenedAt, 2 * HOUR),
      isOverdue: false,
      noteCount: 2,
    });
    expect(reopened.notes.map((n) => n.text)).toEqual(['Answered.', 'It is back.']);
    clock.advance(2 * HOUR);
    expect((await readRequest(t.app, w.admin.token, sr.id)).isOverdue).toBe(true);
    const answeredAt = now();
    expect(
      await changeRequest(t.app, w.helpdesk.token, sr.id, { newNote: { text: 'Looking again.' } }),
    ).toMatchObject({ firstResponseDate: answeredAt, isOverdue: false });
    // A second close and reopen.
    clock.advance(HOUR);
    const secondClose = now();
    await changeRequest(t.app, w.admin.token, sr.id, { status: 'closed' });
    expect(await changeRequest(t.app, w.admin.token, sr.id, { status: 'open' })).toMatchObject({
      reopenCount: 2,
      lastClosedDate: secondClose,
    });
  });

  it('a request closed more than 30 days ago cannot be reopened', async () => {
    const w = await supportWorld(t.store);
    const late = await createRequest(t.app, w.admin.token, w.customer.id);
    const inTime = await createRequest(t.app, w.admin.token, w.customer.id);
    await changeRequest(t.app, w.admin.token, late.id, { status: 'closed' });
    clock.advance(DAY);
    await changeRequest(t.app, w.admin.token, inTime.id, { status: 'closed' });
    clock.advance(29 * DAY + MINUTE);
    const before = await footprint(late.id);
    expectError(
      await patchRequest(t.app, w.admin.token, late.id, { status: 'open' }),
      409,
      'serviceRequestReopenExpired',
    );
    expect(await footprint(late.id)).toEqual(before);
    expect((await readRequest(t.app, w.admin.token, late.id)).status).toBe('closed');
    // Closed 29 days and a minute ago: still in time.
    expect((await changeRequest(t.app, w.admin.token, inTime.id, { status: 'open' })).status).toBe('open');
  });
});

describe('notes, history and reassignment', () => {
  it('keeps notes and every change in order, with who and when', async () => {
    const w = await supportWorld(t.store);
    const sr = await createRequest(t.app, w.admin.token, w.customer.id);
    clock.advance(MINUTE);
    const firstAt = now();
    await changeRequest(t.app, w.admin.token, sr.id, { newNote: { text: 'Asked for the bounce message.' } });
    clock.advance(MINUTE);
    await changeRequest(t.app, w.admin.token, sr.id, { severity: 'critical' });
    clock.advance(MINUTE);
    await changeRequest(t.app, w.admin.token, sr.id, { primaryContact: { ...CONTACT, lastName: 'Other' } });
    clock.advance(MINUTE);
    const secondAt = now();
    const last = await changeRequest(t.app, w.helpdesk.token, sr.id, { newNote: { text: 'Got it: DNS.' } });
    expect(last.noteCount).toBe(2);
    expect(last.primaryContact).toEqual({ ...CONTACT, lastName: 'Other' });
    expect(last.lastUpdatedBy).toEqual({
      contactId: w.helpdesk.id,
      name: 'Hana Helpdesk',
      email: w.helpdesk.userName,
    });
    expect(last.lastModifiedDate).toBe(secondAt);
    expect(last.notes).toEqual([
      {
        id: expect.any(String),
        createdByName: 'Ada Admin',
        createdDate: firstAt,
        text: 'Asked for the bounce message.',
      },
      { id: expect.any(String), createdByName: 'Hana Helpdesk', createdDate: secondAt, text: 'Got it: DNS.' },
    ]);
    expect(last.history.map((h) => [h.kind, h.text, h.from, h.to])).toEqual([
      ['created', null, null, null],
      ['note', 'Asked for the bounce message.', null, null],
      ['severityChanged', null, 'moderate', 'critical'],
      ['contactChanged', null, null, null],
      ['note', 'Got it: DNS.', null, null],
    ]);
    expect(new Set(last.history.map((h) => h.id)).size).toBe(5);
    expect((await readRequest(t.app, w.sales.token, sr.id)).history).toEqual(last.history);
  });

  it('refuses an empty or over-long note, an empty body and unknown properties', async () => {
    const w = await supportWorld(t.store);
    const sr = await createRequest(t.app, w.admin.token, w.customer.id);
    const before = await footprint(sr.id);
    for (const [body, field] of [
      [{ newNote: { text: '' } }, 'newNote.text'],
      [{ newNote: { text: 'n'.repeat(5001) } }, 'newNote.text'],
      [{ status: 'pending' }, 'status'],
      [{ severity: 'urgent' }, 'severity'],
      [{ title: 'Renamed' }, 'title'],
      [{ primaryContact: { ...CONTACT, email: 'nope' } }, 'primaryContact.email'],
    ] as const) {
      const r = await patchRequest(t.app, w.admin.token, sr.id, body);
      expectError(r, 400, 'validationFailed');
      expect(
        r.json().details.map((d: { field: string }) => d.field),
        JSON.stringify(body),
      ).toContain(field);
    }
    expectError(await patchRequest(t.app, w.admin.token, sr.id, {}), 400, 'validationFailed');
    expect(await footprint(sr.id)).toEqual(before);
  });

  it('reassigns to a partner user who may manage support, or to nobody; anyone else is refused', async () => {
    const w = await supportWorld(t.store);
    const sr = await createRequest(t.app, w.admin.token, w.customer.id);
    const assigned = await changeRequest(t.app, w.admin.token, sr.id, { assignedTo: w.helpdesk.id });
    expect(assigned.assignedTo).toEqual({
      contactId: w.helpdesk.id,
      name: 'Hana Helpdesk',
      email: w.helpdesk.userName,
    });
    expect(assigned.firstResponseDate).toBeNull();

    const stranger = await createPartnerWithAdmin(t.store);
    const leaver = await createUser(t.store, w.partner.id, {
      roles: ['helpdeskAgent'],
      displayName: 'Lee Leaver',
    });
    await t.store.owner
      .updateTable('partner_users')
      .set({ state: 'inactive' })
      .where('id', '=', leaver.id)
      .execute();
    const before = await footprint(sr.id);
    const cannot = (userName: string) =>
      `${userName} cannot work on service requests: assign a Global admin, Admin agent or Helpdesk agent`;
    for (const [who, id, reason] of [
      ['a Billing admin', w.billing.id, cannot(w.billing.userName)],
      ['a Sales agent', w.sales.id, cannot(w.sales.userName)],
      ['another partner’s Global admin', stranger.admin.id, 'is not one of your partner users'],
      ['a deactivated Helpdesk agent', leaver.id, `${leaver.userName} is deactivated`],
      ['nobody known', '00000000-0000-4000-8000-000000000005', 'is not one of your partner users'],
    ] as const) {
      const r = await patchRequest(t.app, w.admin.token, sr.id, { assignedTo: id });
      expectError(r, 400, 'validationFailed');
      expect(r.json().details, who).toEqual([{ field: 'assignedTo', reason }]);
    }
    // Not a GUID at all: refused by the body's schema, in one detail that says what would do.
    const notGuid = await patchRequest(t.app, w.admin.token, sr.id, { assignedTo: 'hana' });
    expectError(notGuid, 400, 'validationFailed');
    expect(notGuid.json().details).toEqual([
      { field: 'assignedTo', reason: 'must match format "uuid", or be null' },
    ]);
    expect(await footprint(sr.id)).toEqual(before);

    const admin = await changeRequest(t.app, w.admin.token, sr.id, { assignedTo: w.admin.id });
    expect(admin.assignedTo).toMatchObject({ contactId: w.admin.id, name: 'Ada Admin' });
    const nobody = await changeRequest(t.app, w.admin.token, sr.id, { assignedTo: null });
    expect(nobody.assignedTo).toBeNull();
    expect(nobody.history.filter((h) => h.kind === 'reassigned').map((h) => [h.from, h.to])).toEqual([
      [null, 'Hana Helpdesk'],
      ['Hana Helpdesk', 'Ada Admin'],
      ['Ada Admin', null],
    ]);
  });
});

describe('concurrency and repeats', () => {
  it('If-Match: a stale ETag is 412 with the request as it is; the current one works by GUID or reference number', async () => {
    const w = await supportWorld(t.store);
    const sr = await createRequest(t.app, w.admin.token, w.customer.id);
    const etag0 = sr.attributes.etag;
    const first = await patchRequest(
      t.app,
      w.admin.token,
      'SR-000001',
      { newNote: { text: 'One' } },
      { 'if-match': etag0 },
    );
    expect(first.statusCode, first.body).toBe(200);
    expect(first.headers.etag).toBe(first.json().attributes.etag);
    expect(first.json().attributes.etag).not.toBe(etag0);

    const before = await footprint(sr.id);
    const stale = await patchRequest(
      t.app,
      w.admin.token,
      sr.id,
      { newNote: { text: 'Two' } },
      { 'if-match': etag0 },
    );
    expectError(stale, 412, 'preconditionFailed');
    expect(stale.json().data).toEqual([expect.objectContaining({ id: sr.id, noteCount: 1 })]);
    expect(stale.json().data[0].attributes.etag).toBe(first.json().attributes.etag);
    // By reference number alike; and another request's ETag is stale for this one.
    const other = await createRequest(t.app, w.admin.token, w.customer.id);
    for (const etag of [etag0, other.attributes.etag]) {
      const byNumber = await patchRequest(
        t.app,
        w.admin.token,
        'sr-000001',
        { newNote: { text: 'Two' } },
        { 'if-match': etag },
      );
      expectError(byNumber, 412, 'preconditionFailed');
      expect(byNumber.json().data).toEqual(stale.json().data);
    }
    expect(await footprint(sr.id)).toEqual(before);

    const current = await patchRequest(
      t.app,
      w.admin.token,
      'sr-1',
      { newNote: { text: 'Two' } },
      { 'if-match': first.json().attributes.etag },
    );
    expect(current.statusCode, current.body).toBe(200);
    expect(current.json().noteCount).toBe(2);
  });

  it('a PATCH that changes nothing answers the request unchanged: same ETag, no event, no record', async () => {
    const w = await supportWorld(t.store);
    const sr = await createRequest(t.app, w.admin.token, w.customer.id, { assignedTo: w.helpdesk.id });
    const before = await footprint(sr.id);
    clock.advance(MINUTE);
    for (const body of [
      { status: 'open' },
      { severity: 'moderate' },
      { assignedTo: w.helpdesk.id },
      { primaryContact: CONTACT },
      { status: 'open', severity: 'moderate', primaryContact: CONTACT, assignedTo: w.helpdesk.id },
    ]) {
      const r = await patchRequest(t.app, w.admin.token, sr.id, body, { 'if-match': sr.attributes.etag });
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json(), JSON.stringify(body)).toEqual(sr);
      expect(r.headers.etag).toBe(sr.attributes.etag);
    }
    expect(await footprint(sr.id)).toEqual(before);
  });

  it('sending back the assignee it has is no change, even one deactivated since; another deactivated one is refused', async () => {
    const w = await supportWorld(t.store);
    const leaver = await createUser(t.store, w.partner.id, {
      roles: ['helpdeskAgent'],
      displayName: 'Lee Leaver',
    });
    const sr = await createRequest(t.app, w.admin.token, w.customer.id, { assignedTo: leaver.id });
    await t.store.owner
      .updateTable('partner_users')
      .set({ state: 'inactive' })
      .where('id', '=', leaver.id)
      .execute();
    const before = await footprint(sr.id);
    clock.advance(MINUTE);
    for (const assignedTo of [leaver.id, leaver.id.toUpperCase()]) {
      const r = await patchRequest(
        t.app,
        w.admin.token,
        sr.id,
        { status: 'open', severity: sr.severity, assignedTo },
        { 'if-match': sr.attributes.etag },
      );
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json()).toEqual(sr);
    }
    expect(await footprint(sr.id)).toEqual(before);
    // With a note: the note is added, the assignee stays.
    const noted = await changeRequest(t.app, w.admin.token, sr.id, {
      assignedTo: leaver.id,
      newNote: { text: 'Lee has left; still on it.' },
    });
    expect(noted.assignedTo).toMatchObject({ contactId: leaver.id, name: 'Lee Leaver' });
    expect(noted.history.map((h) => h.kind)).toEqual(['created', 'note']);
    // Reassigning it away and back to the deactivated user is a change, and refused.
    await changeRequest(t.app, w.admin.token, sr.id, { assignedTo: w.helpdesk.id });
    const back = await patchRequest(t.app, w.admin.token, sr.id, { assignedTo: leaver.id });
    expectError(back, 400, 'validationFailed');
    expect(back.json().details).toEqual([
      { field: 'assignedTo', reason: `${leaver.userName} is deactivated` },
    ]);
  });

  it('MS-RequestId: a repeated PATCH or create replays the answer and writes once', async () => {
    const w = await supportWorld(t.store);
    const sr = await createRequest(t.app, w.admin.token, w.customer.id);
    const headers = { 'ms-requestid': `note-${sr.id}` };
    const first = await patchRequest(t.app, w.admin.token, sr.id, { newNote: { text: 'Once' } }, headers);
    expect(first.statusCode, first.body).toBe(200);
    const again = await patchRequest(t.app, w.admin.token, sr.id, { newNote: { text: 'Once' } }, headers);
    expect(again.statusCode).toBe(200);
    expect(again.headers['ms-idempotent-replay']).toBe('true');
    expect(again.body).toBe(first.body);
    const now1 = await readRequest(t.app, w.admin.token, sr.id);
    expect(now1.notes.map((n) => n.text)).toEqual(['Once']);
    expect((await activityOf(t.store, sr.id)).filter((a) => a.action === 'serviceRequest.note')).toHaveLength(
      1,
    );

    const createHeaders = { 'ms-requestid': `create-${sr.id}` };
    const made = await createRequestAs(
      t.app,
      w.admin.token,
      w.customer.id,
      requestBody({ title: 'Once only' }),
      createHeaders,
    );
    const remade = await createRequestAs(
      t.app,
      w.admin.token,
      w.customer.id,
      requestBody({ title: 'Once only' }),
      createHeaders,
    );
    expect(made.statusCode, made.body).toBe(201);
    expect(remade.statusCode).toBe(201);
    expect(remade.json().id).toBe(made.json().id);
    expect(remade.headers.location).toBe(made.headers.location);
    expect((await requestsOfPartner(w.partner.id)).map((row) => row.title).sort()).toEqual([
      'Mail is not delivered',
      'Once only',
    ]);
  });

  it('requests made at once for one partner get distinct numbers, 1 to 8', async () => {
    const w = await supportWorld(t.store);
    const made = await Promise.all(
      [1, 2, 3, 4, 5, 6, 7, 8].map((n) =>
        createRequestAs(t.app, w.admin.token, w.customer.id, requestBody({ title: `At once ${n}` })),
      ),
    );
    for (const r of made) expect(r.statusCode, r.body).toBe(201);
    expect(made.map((r) => r.json().referenceNumber).sort()).toEqual(
      [1, 2, 3, 4, 5, 6, 7, 8].map((n) => `SR-00000${n}`),
    );
    expect((await requestsOfPartner(w.partner.id)).map((row) => row.number).sort()).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8,
    ]);
  });

  it('two PATCHes at once with the same If-Match: one wins, the other is 412', async () => {
    const w = await supportWorld(t.store);
    const sr = await createRequest(t.app, w.admin.token, w.customer.id);
    const ifMatch = { 'if-match': sr.attributes.etag };
    const answers = await Promise.all([
      patchRequest(t.app, w.admin.token, sr.id, { newNote: { text: 'From Ada' } }, ifMatch),
      patchRequest(t.app, w.helpdesk.token, sr.id, { severity: 'critical' }, ifMatch),
    ]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 412]);
    const after = await readRequest(t.app, w.admin.token, sr.id);
    const winner = answers.find((a) => a.statusCode === 200)!.json();
    expect(after).toEqual(winner);
    expect(after.history).toHaveLength(2);
    expect((await requestRow(t.store, sr.id)).version).toBe(2);
  });
});

describe('writing a change', () => {
  it('from a stale read of the request (not under its lock) is refused and writes nothing, never lost silently', async () => {
    const w = await supportWorld(t.store);
    const sr = await createRequest(t.app, w.admin.token, w.customer.id);
    const stale = await requestRow(t.store, sr.id);
    await changeRequest(t.app, w.admin.token, sr.id, { newNote: { text: 'First' } });
    await expect(
      inPartnerTransaction(t.store.app, w.partner.id, (trx) =>
        updateRequest(trx, stale, { severity: 'critical' }),
      ),
    ).rejects.toThrow(`service request ${sr.id} is no longer at version 1`);
    expect(await requestRow(t.store, sr.id)).toMatchObject({ version: 2, severity: 'moderate' });
  });
});

describe('activity records', () => {
  it('records each action on the request with its customer and reference number', async () => {
    const w = await supportWorld(t.store, 'Contoso Pharmacy');
    const sr = await createRequest(t.app, w.admin.token, w.customer.id);
    await changeRequest(t.app, w.admin.token, sr.id, { newNote: { text: 'Noted.' } });
    await changeRequest(t.app, w.admin.token, sr.id, { status: 'attentionNeeded' });
    await changeRequest(t.app, w.admin.token, sr.id, { severity: 'critical' });
    await changeRequest(t.app, w.admin.token, sr.id, { primaryContact: { ...CONTACT, firstName: 'Kim' } });
    await changeRequest(t.app, w.admin.token, sr.id, { assignedTo: w.helpdesk.id });
    await changeRequest(t.app, w.helpdesk.token, sr.id, { status: 'closed' });
    await changeRequest(t.app, w.helpdesk.token, sr.id, { status: 'open' });
    const records = await activityOf(t.store, sr.id);
    expect(records.map((a) => a.action)).toEqual([
      'serviceRequest.create',
      'serviceRequest.note',
      'serviceRequest.statusChange',
      'serviceRequest.update',
      'serviceRequest.update',
      'serviceRequest.reassign',
      'serviceRequest.close',
      'serviceRequest.reopen',
    ]);
    for (const a of records) {
      expect(a).toMatchObject({
        partner_id: w.partner.id,
        resource_type: 'serviceRequest',
        resource_id: sr.id,
        customer_id: w.customer.id,
        customer_name: 'Contoso Pharmacy',
        status: 'succeeded',
      });
      expect(a.details, a.action).toMatchObject({ referenceNumber: 'SR-000001' });
    }
    expect(records[0]!.actor_name).toBe(w.admin.userName);
    expect(records[6]!.actor_name).toBe(w.helpdesk.userName);
    expect(records[2]!.details).toMatchObject({ from: 'open', to: 'attentionNeeded' });
    expect(records[3]!.details).toMatchObject({
      changes: { severity: { from: 'moderate', to: 'critical' } },
    });
    expect(records[4]!.details).toMatchObject({
      changes: { primaryContact: { from: CONTACT, to: { ...CONTACT, firstName: 'Kim' } } },
    });
    expect(records[4]!.details).not.toHaveProperty('changes.severity');
    expect(records[5]!.details).toMatchObject({ from: null, to: 'Hana Helpdesk' });
  });
});

describe('roles', () => {
  it('a Sales agent reads but cannot create or change; a Billing or User management admin sees nothing', async () => {
    const w = await supportWorld(t.store);
    const sr = await createRequest(t.app, w.helpdesk.token, w.customer.id);
    expect(sr.createdBy.name).toBe('Hana Helpdesk');
    const usersAdmin = await createUser(t.store, w.partner.id, { roles: ['userManagementAdmin'] });
    const reads = [
      '/v1/servicerequests',
      '/v1/servicerequests/summary',
      '/v1/servicerequests/supporttopics',
      `/v1/servicerequests/${sr.id}`,
      `/v1/customers/${w.customer.id}/servicerequests`,
    ];
    for (const url of reads) {
      const r = await injectAs(t.app, w.sales.token, 'GET', url);
      expect(r.statusCode, `${url}: ${r.body}`).toBe(200);
      for (const token of [w.billing.token, usersAdmin.token])
        expectError(await injectAs(t.app, token, 'GET', url), 403, 'forbidden');
    }
    for (const token of [w.sales.token, w.billing.token, usersAdmin.token]) {
      expectError(await createRequestAs(t.app, token, w.customer.id, requestBody()), 403, 'forbidden');
      expectError(await patchRequest(t.app, token, sr.id, { newNote: { text: 'hi' } }), 403, 'forbidden');
    }
    expect(await requestsOfPartner(w.partner.id)).toHaveLength(1);
    expect((await readRequest(t.app, w.admin.token, sr.id)).noteCount).toBe(0);
  });
});
