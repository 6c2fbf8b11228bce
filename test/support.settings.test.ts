// GET /v1/servicerequests/settings: the response targets, the file size limit, the files per request and the
// allowed file types a form names before a request exists — the defaults, and an installation's own
// (SUPPORT_RESPONSE_TARGETS, SUPPORT_ATTACHMENT_MAX_BYTES, SUPPORT_REOPEN_DAYS), which its requests and uploads
// then follow.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/app.ts';
import { buildApp } from '../src/app.ts';
import type { TestApp } from './helpers/app.ts';
import { createTestApp, injectAs, testClock } from './helpers/app.ts';
import { testConfig } from './helpers/db.ts';
import type { SupportWorld } from './helpers/support.ts';
import { createRequest, supportWorld } from './helpers/support.ts';

const clock = testClock(new Date('2026-12-10T09:00:00Z'));
let t: TestApp;
let w: SupportWorld;

beforeAll(async () => {
  t = await createTestApp({ clock, transferWorker: false, userImportWorker: false });
  w = await supportWorld(t.store);
});
afterAll(() => t?.close());

const settingsOf = (app: App, token: string | undefined) =>
  injectAs(app, token, 'GET', '/v1/servicerequests/settings');

const ALLOWED_TYPES = [
  { contentType: 'image/png', extensions: ['.png'] },
  { contentType: 'image/jpeg', extensions: ['.jpg', '.jpeg'] },
  { contentType: 'image/gif', extensions: ['.gif'] },
  { contentType: 'application/pdf', extensions: ['.pdf'] },
  { contentType: 'application/zip', extensions: ['.zip'] },
  {
    contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    extensions: ['.docx'],
  },
  { contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extensions: ['.xlsx'] },
  {
    contentType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    extensions: ['.pptx'],
  },
  { contentType: 'text/plain', extensions: ['.txt', '.log'] },
  { contentType: 'text/csv', extensions: ['.csv'] },
  { contentType: 'application/json', extensions: ['.json'] },
  { contentType: 'message/rfc822', extensions: ['.eml'] },
];

describe('GET /v1/servicerequests/settings', () => {
  it('answers the defaults: 2 h / 4 h / 8 h, 5 MB files, 20 per request and 3 at creation, 30 days to reopen', async () => {
    const r = await settingsOf(t.app, w.admin.token);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toEqual({
      responseTargetMinutes: { critical: 120, moderate: 240, minimal: 480 },
      attachmentMaxBytes: 5 * 1024 * 1024,
      maxAttachmentsPerRequest: 20,
      maxAttachmentsAtCreate: 3,
      reopenDays: 30,
      allowedAttachmentTypes: ALLOWED_TYPES,
      attributes: { objectType: 'ServiceRequestSettings' },
    });
  });

  it('answers everyone who sees service requests; a Billing admin is refused, and nobody without signing in', async () => {
    for (const user of [w.admin, w.helpdesk, w.sales])
      expect((await settingsOf(t.app, user.token)).statusCode, user.roles.join()).toBe(200);
    const billing = await settingsOf(t.app, w.billing.token);
    expect(billing.statusCode).toBe(403);
    expect((await settingsOf(t.app, undefined)).statusCode).toBe(401);
  });

  it('tells an installation’s own targets, file limit and reopen window, which its requests and uploads follow', async () => {
    // The same database, restarted with other settings.
    const config = testConfig(t.config.databaseUrl!, {
      SUPPORT_RESPONSE_TARGETS: 'critical=1h,moderate=3h,minimal=1d',
      SUPPORT_ATTACHMENT_MAX_BYTES: String(2 * 1024 * 1024),
      SUPPORT_REOPEN_DAYS: '7',
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
      const r = await settingsOf(app, w.helpdesk.token);
      expect(r.statusCode, r.body).toBe(200);
      const settings = r.json();
      expect(settings).toMatchObject({
        responseTargetMinutes: { critical: 60, moderate: 180, minimal: 1440 },
        attachmentMaxBytes: 2 * 1024 * 1024,
        maxAttachmentsPerRequest: 20,
        maxAttachmentsAtCreate: 3,
        reopenDays: 7,
        allowedAttachmentTypes: ALLOWED_TYPES,
      });

      // What the settings say is what a request made now is held to.
      for (const severity of ['critical', 'moderate', 'minimal'] as const) {
        const sr = await createRequest(app, w.helpdesk.token, w.customer.id, { severity });
        expect(sr.responseTargetMinutes, severity).toBe(settings.responseTargetMinutes[severity]);
      }
      // A file of exactly the limit is taken; one byte more is refused.
      const sr = await createRequest(app, w.helpdesk.token, w.customer.id);
      const upload = (size: number) =>
        app.inject({
          method: 'POST',
          url: `/v1/servicerequests/${sr.id}/attachments?fileName=big.txt`,
          headers: { authorization: `Bearer ${w.helpdesk.token}`, 'content-type': 'text/plain' },
          payload: Buffer.alloc(size, 'a'),
        });
      const atLimit = await upload(settings.attachmentMaxBytes);
      expect(atLimit.statusCode, atLimit.body).toBe(201);
      const over = await upload(settings.attachmentMaxBytes + 1);
      expect(over.statusCode, over.body).toBe(413);
      expect(over.json().name).toBe('attachmentTooLarge');
    } finally {
      await app.close();
    }
  });
});
