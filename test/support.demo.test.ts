// The demo's service requests, seeded on a controlled clock: Demo Reseller's Helpdesk agent, signed in with the
// demo password, finds three — Wingtip's closed with a note and a log file it can download (and reopen), Alpine's
// waiting on the customer after two notes and assigned to the agent, Contoso's critical one unanswered for longer
// than its target and so overdue — numbered in the order they were made; the summary counts them, the activity
// log has who did what, Northwind Cloud sees none of them, and a second seed adds nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, seedDemo, seedDepsFor } from '../src/demo/seed.ts';
import type { TestApp } from './helpers/app.ts';
import { createTestApp, injectAs, testClock } from './helpers/app.ts';

// Ahead of the real date: the seed's writes stamped by the database's own clock then come before its own.
const NOW = new Date('2030-03-04T12:00:00Z');
const clock = testClock(NOW);
const ago = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000).toISOString();
let t: TestApp;
let created: string[];
let helpdesk: string;

interface Request {
  id: string;
  referenceNumber: string;
  title: string;
  severity: string;
  status: string;
  isOverdue: boolean;
  organization: { name: string };
  createdDate: string;
  createdBy: { name: string };
  assignedTo: { name: string } | null;
  subscriptionId: string | null;
  productName: string | null;
  firstResponseDate: string | null;
  firstResponseDueDate: string;
  lastClosedDate: string | null;
  noteCount: number;
  attachmentCount: number;
  notes: { createdByName: string; text: string }[];
  history: { kind: string; actorName: string; date: string; from: string | null; to: string | null }[];
  fileLinks: { id: string; fileName: string; contentType: string; sizeBytes: number }[];
}

async function signIn(userName: string): Promise<string> {
  const r = await injectAs(t.app, undefined, 'POST', '/v1/auth/token', {
    payload: { userName, password: DEMO_PASSWORD },
  });
  expect(r.statusCode, r.body).toBe(200);
  return r.json().access_token;
}

const get = async <T>(token: string, url: string): Promise<T> => {
  const r = await injectAs(t.app, token, 'GET', url);
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as T;
};

beforeAll(async () => {
  t = await createTestApp({ clock });
  created = (await seedDemo(seedDepsFor(t.store, t.config, clock))).created;
  helpdesk = await signIn('helpdesk@demo-reseller.example');
});
afterAll(() => t?.close());

describe('the demo service requests', () => {
  it('are three of Demo Reseller, numbered in the order they were made', async () => {
    expect(created).toEqual(
      expect.arrayContaining([
        'service request SR-000001 of Wingtip Travel: minimal, closed, 1 note, 1 attachment',
        'service request SR-000002 of Alpine Ski House: moderate, attentionNeeded, 2 notes, 0 attachments',
        'service request SR-000003 of Contoso Pharmacy: critical, open, overdue, 0 notes, 0 attachments',
      ]),
    );
    const list = await get<{ totalCount: number; items: Request[] }>(helpdesk, '/v1/servicerequests');
    expect(list.totalCount).toBe(3);
    expect(
      list.items.map((r) => [r.referenceNumber, r.organization.name, r.severity, r.status, r.isOverdue]),
    ).toEqual([
      ['SR-000003', 'Contoso Pharmacy', 'critical', 'open', true],
      ['SR-000002', 'Alpine Ski House', 'moderate', 'attentionNeeded', false],
      ['SR-000001', 'Wingtip Travel', 'minimal', 'closed', false],
    ]);
  });

  it('has a critical request made an hour longer ago than its target, unanswered: overdue', async () => {
    const r = await get<Request>(helpdesk, '/v1/servicerequests/SR-3');
    const target = t.config.support.responseTargetMinutes.critical;
    expect(r.createdDate).toBe(ago(target + 60));
    expect(r.firstResponseDueDate).toBe(ago(60));
    expect(r.firstResponseDate).toBeNull();
    expect(r.isOverdue).toBe(true);
    expect(r.title).toBe('Pharmacy tills cannot sign in to Microsoft 365');
    expect(r.createdBy.name).toBe('Dana Admin');
    // About the customer's Microsoft 365 subscription, named as the customer knows it.
    expect(r.subscriptionId).not.toBeNull();
    expect(r.productName).toBe('Pharmacy staff');
    expect(r.history.map((h) => h.kind)).toEqual(['created']);

    const overdue = await get<{ items: Request[] }>(helpdesk, '/v1/servicerequests?overdue=true');
    expect(overdue.items.map((i) => i.referenceNumber)).toEqual(['SR-000003']);
  });

  it('has a moderate request waiting on the customer after two notes, assigned to the Helpdesk agent', async () => {
    const r = await get<Request>(helpdesk, '/v1/servicerequests/SR-000002');
    expect(r.status).toBe('attentionNeeded');
    expect(r.assignedTo?.name).toBe('Harper Helpdesk');
    expect(r.notes.map((n) => n.createdByName)).toEqual(['Harper Helpdesk', 'Harper Helpdesk']);
    expect(r.notes[0]!.text).toContain('forwarding rule');
    // The first note was the first response, an hour after it was made and well within its target.
    expect(r.createdDate).toBe(ago(26 * 60));
    expect(r.firstResponseDate).toBe(ago(25 * 60));
    expect(r.isOverdue).toBe(false);
    expect(r.history.map((h) => [h.kind, h.date])).toEqual(
      expect.arrayContaining([
        ['statusChanged', ago(25 * 60)],
        ['note', ago(3 * 60)],
      ]),
    );
    const mine = await get<{ items: Request[] }>(helpdesk, '/v1/servicerequests?assignedTo=me');
    expect(mine.items.map((i) => i.referenceNumber)).toEqual(['SR-000002']);
  });

  it('has a minimal request closed with a note and a log file, which downloads as text', async () => {
    const r = await get<Request>(helpdesk, '/v1/servicerequests/sr-1');
    expect(r.status).toBe('closed');
    expect(r.lastClosedDate).toBe(ago(5 * 1440));
    expect(r.notes).toHaveLength(1);
    expect(r.notes[0]!.text).toMatch(/longer than|pass 400 characters/);
    expect(r.fileLinks.map((f) => [f.fileName, f.contentType])).toEqual([
      ['onedrive-sync.log', 'text/plain'],
    ]);
    const file = await injectAs(
      t.app,
      helpdesk,
      'GET',
      `/v1/servicerequests/${r.id}/attachments/${r.fileLinks[0]!.id}`,
    );
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(file.body).toContain('path is longer than 400 characters');
    expect(file.rawPayload.length).toBe(r.fileLinks[0]!.sizeBytes);
  });

  it('counts them in the summary', async () => {
    const s = await get<{
      open: number;
      attentionNeeded: number;
      overdue: number;
      closedLast30Days: number;
      overdueBySeverity: Record<string, number>;
      oldestOverdue: { referenceNumber: string } | null;
    }>(helpdesk, '/v1/servicerequests/summary');
    expect(s).toMatchObject({
      open: 1,
      attentionNeeded: 1,
      overdue: 1,
      closedLast30Days: 1,
      overdueBySeverity: { critical: 1, moderate: 0, minimal: 0 },
      oldestOverdue: { referenceNumber: 'SR-000003' },
    });
  });

  it('records who did what in the activity log, with the customer', async () => {
    const rows = await t.store.owner
      .selectFrom('activity_records as a')
      .innerJoin('partners as p', 'p.id', 'a.partner_id')
      .select(['a.customer_name', 'a.action', 'a.actor_name'])
      .where('p.name', '=', 'Demo Reseller')
      .where('a.action', 'like', 'serviceRequest.%')
      .orderBy('a.customer_name')
      .orderBy('a.action')
      .execute();
    expect(rows.map((a) => [a.customer_name, a.action, a.actor_name])).toEqual([
      ['Alpine Ski House', 'serviceRequest.create', 'admin@demo-reseller.example'],
      ['Alpine Ski House', 'serviceRequest.note', 'helpdesk@demo-reseller.example'],
      ['Alpine Ski House', 'serviceRequest.note', 'helpdesk@demo-reseller.example'],
      ['Alpine Ski House', 'serviceRequest.statusChange', 'helpdesk@demo-reseller.example'],
      ['Contoso Pharmacy', 'serviceRequest.create', 'admin@demo-reseller.example'],
      ['Wingtip Travel', 'serviceRequest.attach', 'helpdesk@demo-reseller.example'],
      ['Wingtip Travel', 'serviceRequest.close', 'helpdesk@demo-reseller.example'],
      ['Wingtip Travel', 'serviceRequest.create', 'helpdesk@demo-reseller.example'],
      ['Wingtip Travel', 'serviceRequest.note', 'helpdesk@demo-reseller.example'],
    ]);
  });

  it('are Demo Reseller’s alone, and a second seed adds none', async () => {
    const northwind = await signIn('admin@northwind-cloud.example');
    expect((await get<{ totalCount: number }>(northwind, '/v1/servicerequests')).totalCount).toBe(0);
    const missing = await injectAs(t.app, northwind, 'GET', '/v1/servicerequests/SR-000001');
    expect(missing.statusCode).toBe(404);

    const again = await seedDemo(seedDepsFor(t.store, t.config, clock));
    expect(again.created).toEqual([]);
    expect((await get<{ totalCount: number }>(helpdesk, '/v1/servicerequests')).totalCount).toBe(3);
  });

  it('lets the closed one be reopened, as the README walks through', async () => {
    const r = await injectAs(t.app, helpdesk, 'PATCH', '/v1/servicerequests/SR-000001', {
      payload: { status: 'open', newNote: { text: 'The warnings are back on one laptop.' } },
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ status: 'open', reopenCount: 1, isOverdue: false });
  });
});
