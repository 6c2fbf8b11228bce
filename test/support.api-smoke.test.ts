// Service requests end to end through the API, briefly: topics, create (numbered per partner), get by GUID or
// reference number, the lists with a filter and a cursor, a note that is the first response, overdue by the
// app clock, a stale If-Match, reopen, and a file uploaded and downloaded with its safety headers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from './helpers/app.ts';
import { createTestApp, injectAs, testClock } from './helpers/app.ts';
import { insertCustomer } from './helpers/customers.ts';
import { createPartnerWithAdmin, createUser } from './helpers/factories.ts';

const clock = testClock(new Date('2026-12-09T09:00:00Z'));
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ clock, transferWorker: false, userImportWorker: false });
});
afterAll(() => t?.close());

const request = (over: Record<string, unknown> = {}) => ({
  title: '  Mail stopped  ',
  description: 'Nobody receives mail since this morning.',
  severity: 'critical',
  supportTopicId: 'microsoft365',
  primaryContact: { firstName: 'Ann', lastName: 'Lee', email: 'ann@contoso.example' },
  ...over,
});

describe('service requests', () => {
  it('are numbered per partner, found by GUID or number, listed, answered, overdue and reopened', async () => {
    const { partner, admin } = await createPartnerWithAdmin(t.store);
    const customer = await insertCustomer(t.store, partner.id);
    const other = await createPartnerWithAdmin(t.store);

    const topics = await injectAs(t.app, admin.token, 'GET', '/v1/servicerequests/supporttopics');
    expect(topics.statusCode).toBe(200);
    expect(topics.json().items[0]).toMatchObject({
      id: 'billing',
      attributes: { objectType: 'SupportTopic' },
    });

    const url = `/v1/customers/${customer.id}/servicerequests`;
    const bad = await injectAs(t.app, admin.token, 'POST', url, {
      payload: request({
        title: '   ',
        supportTopicId: 'nope',
        primaryContact: { firstName: 'A', lastName: 'B', email: 'not-an-email' },
      }),
    });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .details.map((d: { field: string }) => d.field)
        .sort(),
    ).toEqual(['primaryContact.email', 'supportTopicId', 'title']);

    const created = await injectAs(t.app, admin.token, 'POST', url, { payload: request() });
    expect(created.statusCode).toBe(201);
    const sr = created.json();
    expect(sr).toMatchObject({
      referenceNumber: 'SR-000001',
      title: 'Mail stopped',
      status: 'open',
      responseTargetMinutes: 120,
      firstResponseDueDate: '2026-12-09T11:00:00.000Z',
      isOverdue: false,
      organization: { id: customer.id, name: customer.name },
      history: [{ kind: 'created' }],
    });
    expect(created.headers.location).toBe(`/v1/servicerequests/${sr.id}`);
    clock.advance(60_000);
    const second = await injectAs(t.app, admin.token, 'POST', url, {
      payload: request({ severity: 'minimal' }),
    });
    expect(second.json().referenceNumber).toBe('SR-000002');

    const byNumber = await injectAs(t.app, admin.token, 'GET', '/v1/servicerequests/sr-1');
    expect(byNumber.json().id).toBe(sr.id);
    expect((await injectAs(t.app, other.admin.token, 'GET', `/v1/servicerequests/${sr.id}`)).statusCode).toBe(
      404,
    );
    expect((await injectAs(t.app, admin.token, 'GET', '/v1/servicerequests/SR-x')).statusCode).toBe(404);

    clock.advance(2 * 3600_000);
    const overdue = await injectAs(t.app, admin.token, 'GET', '/v1/servicerequests?overdue=true&size=1');
    expect(overdue.json()).toMatchObject({ totalCount: 1, items: [{ id: sr.id, isOverdue: true }] });
    const page1 = await injectAs(t.app, admin.token, 'GET', `${url}?status=open,attentionNeeded&size=1`);
    expect(page1.json().totalCount).toBe(2);
    const page2 = await injectAs(t.app, admin.token, 'GET', page1.json().links.next.uri);
    expect(page2.json().items[0].id).toBe(sr.id);
    expect(page2.json().links.next).toBeUndefined();
    const badQuery = await injectAs(
      t.app,
      admin.token,
      'GET',
      '/v1/servicerequests?status=shut&assignedTo=x',
    );
    expect(badQuery.statusCode).toBe(400);

    const stale = sr.attributes.etag;
    const noted = await injectAs(t.app, admin.token, 'PATCH', '/v1/servicerequests/SR-000001', {
      payload: { newNote: { text: 'Looking into it' } },
      headers: { 'if-match': stale },
    });
    expect(noted.statusCode).toBe(200);
    expect(noted.json()).toMatchObject({
      isOverdue: false,
      noteCount: 1,
      firstResponseDate: clock.now().toISOString(),
    });
    const refused = await injectAs(t.app, admin.token, 'PATCH', `/v1/servicerequests/${sr.id}`, {
      payload: { severity: 'minimal' },
      headers: { 'if-match': stale },
    });
    expect(refused.statusCode).toBe(412);

    const closed = await injectAs(t.app, admin.token, 'PATCH', `/v1/servicerequests/${sr.id}`, {
      payload: { status: 'closed' },
    });
    expect(closed.json().status).toBe('closed');
    const readOnly = await injectAs(t.app, admin.token, 'PATCH', `/v1/servicerequests/${sr.id}`, {
      payload: { severity: 'minimal' },
    });
    expect(readOnly.json().name).toBe('serviceRequestClosed');
    const reopened = await injectAs(t.app, admin.token, 'PATCH', `/v1/servicerequests/${sr.id}`, {
      payload: { status: 'open', newNote: { text: 'Back again' } },
    });
    expect(reopened.json()).toMatchObject({ status: 'open', reopenCount: 1, firstResponseDate: null });
  });

  it('takes a file as the body and serves it only as a download', async () => {
    const { partner, admin } = await createPartnerWithAdmin(t.store);
    const sales = await createUser(t.store, partner.id, { roles: ['salesAgent'] });
    const customer = await insertCustomer(t.store, partner.id);
    const sr = (
      await injectAs(t.app, admin.token, 'POST', `/v1/customers/${customer.id}/servicerequests`, {
        payload: request(),
      })
    ).json();
    const upload = (contentType: string, body: string | Buffer, fileName = 'trace.json') =>
      t.app.inject({
        method: 'POST',
        url: `/v1/servicerequests/${sr.referenceNumber}/attachments?fileName=${encodeURIComponent(fileName)}`,
        headers: {
          authorization: `Bearer ${admin.token}`,
          'content-type': contentType,
          'ms-requestid': fileName,
        },
        payload: body,
      });
    expect((await upload('text/html', '<script>1</script>', 'x.html')).json().name).toBe(
      'attachmentNotAllowed',
    );
    const up = await upload('application/json', '{"a":1}');
    expect(up.statusCode).toBe(201);
    const again = await upload('application/json', '{"a":1}');
    expect(again.headers['ms-idempotent-replay']).toBe('true');
    expect(again.json().id).toBe(up.json().id);

    const down = await injectAs(t.app, sales.token, 'GET', up.json().links.self.uri);
    expect(down.statusCode).toBe(200);
    expect(down.body).toBe('{"a":1}');
    expect(down.headers).toMatchObject({
      'content-type': 'text/plain; charset=utf-8',
      'content-disposition': 'attachment; filename="trace.json"',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; sandbox",
      'cache-control': 'private, no-store',
    });
    const full = (await injectAs(t.app, admin.token, 'GET', `/v1/servicerequests/${sr.id}`)).json();
    expect(full).toMatchObject({ attachmentCount: 1, fileLinks: [{ fileName: 'trace.json', sizeBytes: 7 }] });
    expect(full.history.map((h: { kind: string }) => h.kind)).toEqual(['created', 'attachmentAdded']);
  });
});
