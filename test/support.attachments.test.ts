// Service request attachments through the API: files sent inline with a new request and uploaded later as raw
// bodies, stored and downloaded byte for byte with headers that keep a browser from running them, the allow list
// refusing by type, name and content (and a refused new request writing nothing), the size limit, at most 20
// files, none on a closed request, and another partner's files not found.
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/app.ts';
import { buildApp } from '../src/app.ts';
import { dispositionFileName } from '../src/modules/support/attachments.check.ts';
import type { TestApp } from './helpers/app.ts';
import { createTestApp, injectAs, testClock } from './helpers/app.ts';
import { activityOf } from './helpers/activity.ts';
import { testConfig } from './helpers/db.ts';
import { bearer, createPartnerWithAdmin } from './helpers/factories.ts';
import type { FileLink, SupportWorld } from './helpers/support.ts';
import {
  changeRequest,
  createRequest,
  createRequestAs,
  readRequest,
  requestBody,
  supportWorld,
} from './helpers/support.ts';

const clock = testClock(new Date('2026-12-11T09:00:00Z'));
let t: TestApp;
/** The same database, with a 2 KiB attachment limit. */
let small: App;
const SMALL_LIMIT = 2048;

beforeAll(async () => {
  t = await createTestApp({ clock, transferWorker: false, userImportWorker: false });
  small = await buildApp({
    config: testConfig(t.config.databaseUrl!, { SUPPORT_ATTACHMENT_MAX_BYTES: String(SMALL_LIMIT) }),
    store: t.store,
    clock,
    logger: false,
    transferWorker: false,
    userImportWorker: false,
  });
  await small.ready();
});
afterAll(async () => {
  await small?.close();
  await t?.close();
});

// A real 1×1 PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n',
  'latin1',
);
const TEXT = Buffer.from('09:12 Zustellung fehlgeschlagen — Grüße\n');
const CSV = Buffer.from('user,error\nada@contoso.com,550 5.1.1\n');
const JSON_FILE = Buffer.from('{"error":"quota exceeded","limit":10}');
const EML = Buffer.from(
  'From: postmaster@contoso.com\r\nSubject: Undeliverable\r\n\r\nYour message was not delivered.\r\n',
);
const ZIP = Buffer.from('PK\x05\x06' + '\x00'.repeat(18), 'latin1');

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const inline = (fileName: string, contentType: string, bytes: Buffer) => ({
  fileName,
  contentType,
  content: bytes.toString('base64'),
});

function upload(
  app: App,
  token: string,
  id: string,
  fileName: string | undefined,
  contentType: string,
  bytes: Buffer,
  headers: Record<string, string> = {},
) {
  const query = fileName === undefined ? '' : `?fileName=${encodeURIComponent(fileName)}`;
  return app.inject({
    method: 'POST',
    url: `/v1/servicerequests/${encodeURIComponent(id)}/attachments${query}`,
    headers: { ...bearer(token), 'content-type': contentType, ...headers },
    payload: bytes,
  });
}

/** Uploads and answers the FileLink; throws unless it is created. */
async function uploaded(
  app: App,
  token: string,
  id: string,
  fileName: string,
  contentType: string,
  bytes: Buffer,
) {
  const r = await upload(app, token, id, fileName, contentType, bytes);
  if (r.statusCode !== 201) throw new Error(`upload ${fileName}: ${r.statusCode} ${r.body}`);
  return r.json() as FileLink;
}

const download = (app: App, token: string, uri: string) => injectAs(app, token, 'GET', uri);

function expectRefusal(
  r: { statusCode: number; body: string; json(): Record<string, unknown> },
  status: number,
  name: string,
  details?: unknown,
) {
  expect(r.statusCode, r.body).toBe(status);
  expect(r.json().name, r.body).toBe(name);
  if (details !== undefined) expect(r.json().details, r.body).toEqual(details);
}

const attachmentRows = (requestId: string) =>
  t.store.owner
    .selectFrom('service_request_attachments')
    .selectAll()
    .where('request_id', '=', requestId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();

const partnerRows = async (partnerId: string) => ({
  requests: await t.store.owner
    .selectFrom('service_requests')
    .select('id')
    .where('partner_id', '=', partnerId)
    .execute(),
  attachments: await t.store.owner
    .selectFrom('service_request_attachments')
    .select('id')
    .where('partner_id', '=', partnerId)
    .execute(),
  events: await t.store.owner
    .selectFrom('service_request_events')
    .select('id')
    .where('partner_id', '=', partnerId)
    .execute(),
});

const ALLOWED_PREFIX = /^text\/html is not an allowed type; allowed: image\/png, /;

describe('attaching files', () => {
  it('stores files sent with a new request, lists them and serves them byte for byte', async () => {
    const w = await supportWorld(t.store);
    const at = clock.now().toISOString();
    const r = await createRequestAs(
      t.app,
      w.admin.token,
      w.customer.id,
      requestBody({
        attachments: [
          inline('screenshot.png', 'image/png', PNG),
          inline('bounce.pdf', 'application/pdf', PDF),
          inline('trace.txt', 'text/plain', TEXT),
        ],
      }),
    );
    expect(r.statusCode, r.body).toBe(201);
    const sr = r.json();
    expect(sr.attachmentCount).toBe(3);
    expect(sr.fileLinks).toEqual(
      [
        ['screenshot.png', 'image/png', PNG],
        ['bounce.pdf', 'application/pdf', PDF],
        ['trace.txt', 'text/plain', TEXT],
      ].map(([fileName, contentType, bytes]) => ({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        fileName,
        contentType,
        sizeBytes: (bytes as Buffer).length,
        createdDate: at,
        createdByName: 'Ada Admin',
        links: { self: { uri: expect.any(String), method: 'GET' } },
      })),
    );
    expect((await readRequest(t.app, w.sales.token, sr.id)).fileLinks).toEqual(sr.fileLinks);
    const rows = await attachmentRows(sr.id);
    expect(rows.map((row) => [row.file_name, row.size_bytes, row.sha256])).toEqual([
      ['screenshot.png', PNG.length, sha256(PNG)],
      ['bounce.pdf', PDF.length, sha256(PDF)],
      ['trace.txt', TEXT.length, sha256(TEXT)],
    ]);

    expect(
      sr.history.map((h: { kind: string; attachmentId: string | null; fileName: string | null }) => [
        h.kind,
        h.attachmentId,
        h.fileName,
      ]),
    ).toEqual([
      ['created', null, null],
      ...sr.fileLinks.map((f: FileLink) => ['attachmentAdded', f.id, f.fileName]),
    ]);
    // Files sent together keep the order they were sent in (made at one instant, their order is theirs alone).
    for (let i = 0; i < 3; i++) {
      const again = await createRequest(t.app, w.admin.token, w.customer.id, {
        attachments: [
          inline('c.txt', 'text/plain', TEXT),
          inline('a.pdf', 'application/pdf', PDF),
          inline('b.png', 'image/png', PNG),
        ],
      });
      expect(again.fileLinks.map((f) => f.fileName)).toEqual(['c.txt', 'a.pdf', 'b.png']);
      expect(again.history.filter((h) => h.kind === 'attachmentAdded').map((h) => h.attachmentId)).toEqual(
        again.fileLinks.map((f) => f.id),
      );
    }

    for (const [link, bytes] of [
      [sr.fileLinks[0], PNG],
      [sr.fileLinks[1], PDF],
      [sr.fileLinks[2], TEXT],
    ] as [FileLink, Buffer][]) {
      const got = await download(t.app, w.sales.token, link.links.self.uri);
      expect(got.statusCode, got.body).toBe(200);
      expect(got.rawPayload.equals(bytes), link.fileName).toBe(true);
      expect(got.headers['content-length']).toBe(String(bytes.length));
    }
  });

  it('uploads a file as the raw body, by GUID or reference number, with its name in the query or Content-Disposition', async () => {
    const w = await supportWorld(t.store);
    const sr = await createRequest(t.app, w.admin.token, w.customer.id);
    clock.advance(60_000);
    const at = clock.now().toISOString();
    const r = await upload(
      t.app,
      w.helpdesk.token,
      'sr-1',
      'mail trace.log',
      'text/plain; charset=utf-8',
      TEXT,
    );
    expect(r.statusCode, r.body).toBe(201);
    const link = r.json();
    expect(link).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      fileName: 'mail trace.log',
      contentType: 'text/plain',
      sizeBytes: TEXT.length,
      createdDate: at,
      createdByName: 'Hana Helpdesk',
      links: { self: { uri: expect.stringContaining(`/attachments/${link.id}`), method: 'GET' } },
    });
    expect(r.headers.location).toBe(link.links.self.uri);
    const got = await download(t.app, w.admin.token, r.headers.location as string);
    expect(got.statusCode).toBe(200);
    expect(got.rawPayload.equals(TEXT)).toBe(true);

    clock.advance(60_000);
    const byHeader = await upload(t.app, w.admin.token, sr.id, undefined, 'image/png', PNG, {
      'content-disposition': 'attachment; filename="screen shot.png"',
    });
    expect(byHeader.statusCode, byHeader.body).toBe(201);
    expect(byHeader.json()).toMatchObject({
      fileName: 'screen shot.png',
      contentType: 'image/png',
      sizeBytes: PNG.length,
    });

    const after = await readRequest(t.app, w.admin.token, sr.id);
    expect(after.attachmentCount).toBe(2);
    expect(after.fileLinks.map((f) => f.id)).toEqual([link.id, byHeader.json().id]);
    expect(after.history.slice(1).map((h) => [h.kind, h.attachmentId, h.fileName, h.actorName])).toEqual([
      ['attachmentAdded', link.id, 'mail trace.log', 'Hana Helpdesk'],
      ['attachmentAdded', byHeader.json().id, 'screen shot.png', 'Ada Admin'],
    ]);
    const attached = (await activityOf(t.store, sr.id)).filter((a) => a.action === 'serviceRequest.attach');
    expect(attached.map((a) => a.details)).toEqual([
      expect.objectContaining({
        referenceNumber: 'SR-000001',
        fileName: 'mail trace.log',
        sizeBytes: TEXT.length,
      }),
      expect.objectContaining({
        referenceNumber: 'SR-000001',
        fileName: 'screen shot.png',
        sizeBytes: PNG.length,
      }),
    ]);
    expect(attached[0]).toMatchObject({ resource_type: 'serviceRequest', customer_id: w.customer.id });
  });
});

describe('repeating an upload', () => {
  it('with the same MS-RequestId and file replays the answer and stores one; with another file it is refused', async () => {
    const w = await supportWorld(t.store);
    const sr = await createRequest(t.app, w.admin.token, w.customer.id);
    const headers = { 'ms-requestid': `upload-${sr.id}` };
    const first = await upload(t.app, w.admin.token, sr.id, 'shot.png', 'image/png', PNG, headers);
    expect(first.statusCode, first.body).toBe(201);
    const again = await upload(t.app, w.admin.token, sr.id, 'shot.png', 'image/png', PNG, headers);
    expect(again.statusCode, again.body).toBe(201);
    expect(again.headers['ms-idempotent-replay']).toBe('true');
    expect(again.json()).toEqual(first.json());
    expect(again.headers.location).toBe(first.headers.location);
    const other = await upload(t.app, w.admin.token, sr.id, 'other.pdf', 'application/pdf', PDF, headers);
    expectRefusal(other, 409, 'requestIdReused');
    expect((await attachmentRows(sr.id)).map((row) => row.file_name)).toEqual(['shot.png']);
    expect((await readRequest(t.app, w.admin.token, sr.id)).attachmentCount).toBe(1);
  });
});

describe('downloads', () => {
  let w: SupportWorld;
  let id: string;
  beforeAll(async () => {
    w = await supportWorld(t.store);
    id = (await createRequest(t.app, w.admin.token, w.customer.id)).id;
  });

  it.each([
    ['shot.png', 'image/png', PNG, 'image/png'],
    ['bounce.pdf', 'application/pdf', PDF, 'application/pdf'],
    ['logs.zip', 'application/zip', ZIP, 'application/zip'],
    [
      'sheet.xlsx',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      ZIP,
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    ],
    ['trace.txt', 'text/plain', TEXT, 'text/plain; charset=utf-8'],
    ['users.csv', 'text/csv', CSV, 'text/plain; charset=utf-8'],
    ['error.json', 'application/json', JSON_FILE, 'text/plain; charset=utf-8'],
    ['bounce.eml', 'message/rfc822', EML, 'text/plain; charset=utf-8'],
  ])(
    '%s (%s) is served as an attachment of type %s that nothing runs',
    async (fileName, type, bytes, served) => {
      const link = await uploaded(t.app, w.admin.token, id, fileName, type, bytes);
      const got = await download(t.app, w.sales.token, link.links.self.uri);
      expect(got.statusCode, got.body).toBe(200);
      expect(got.headers['content-type']).toBe(served);
      expect(got.headers['content-disposition']).toBe(`attachment; filename="${fileName}"`);
      expect(got.headers['x-content-type-options']).toBe('nosniff');
      expect(got.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
      expect(got.headers['cache-control']).toBe('private, no-store');
      expect(got.rawPayload.equals(bytes)).toBe(true);
    },
  );

  it('names a file with other than ASCII letters by filename*, in an ASCII header', async () => {
    const link = await uploaded(t.app, w.admin.token, id, 'Отчёт "final".txt', 'text/plain', TEXT);
    expect(link.fileName).toBe('Отчёт "final".txt');
    const got = await download(t.app, w.admin.token, link.links.self.uri);
    expect(got.statusCode, got.body).toBe(200);
    const disposition = String(got.headers['content-disposition']);
    expect(disposition).toMatch(/^[\x20-\x7e]+$/);
    expect(disposition).toMatch(/^attachment; filename="(?:[^"\\]|\\.)*"; filename\*=UTF-8''/);
    expect(disposition).toContain("filename*=UTF-8''%D0%9E%D1%82%D1%87%D1%91%D1%82%20%22final%22.txt");
  });

  it("percent-encodes ' ( ) * in filename* too, as RFC 5987 wants", async () => {
    const fileName = "Отчёт (v2) *Ada's*.txt";
    const link = await uploaded(t.app, w.admin.token, id, fileName, 'text/plain', TEXT);
    const got = await download(t.app, w.admin.token, link.links.self.uri);
    expect(got.headers['content-disposition']).toBe(
      `attachment; filename="_____ (v2) *Ada's*.txt"; filename*=UTF-8''` +
        '%D0%9E%D1%82%D1%87%D1%91%D1%82%20%28v2%29%20%2AAda%27s%2A.txt',
    );
    // What a client reads back from the header is the name as uploaded.
    expect(dispositionFileName(String(got.headers['content-disposition']))).toBe(fileName);
  });

  it('is for the roles that see support, and only of the request’s own files', async () => {
    const link = await uploaded(t.app, w.admin.token, id, 'a.txt', 'text/plain', TEXT);
    expectRefusal(await download(t.app, w.billing.token, link.links.self.uri), 403, 'forbidden');
    // Another partner: the request is not found, by GUID or by its number.
    const stranger = await createPartnerWithAdmin(t.store);
    expectRefusal(
      await download(t.app, stranger.admin.token, link.links.self.uri),
      404,
      'serviceRequestNotFound',
    );
    expectRefusal(
      await download(t.app, stranger.admin.token, `/v1/servicerequests/SR-000001/attachments/${link.id}`),
      404,
      'serviceRequestNotFound',
    );
    expectRefusal(
      await upload(t.app, stranger.admin.token, id, 'b.txt', 'text/plain', TEXT),
      404,
      'serviceRequestNotFound',
    );
    // The partner's own other request does not have this file; nor does any request have "nope".
    const other = await createRequest(t.app, w.admin.token, w.customer.id);
    expectRefusal(
      await download(t.app, w.admin.token, `/v1/servicerequests/${other.id}/attachments/${link.id}`),
      404,
      'attachmentNotFound',
    );
    for (const attachmentId of ['nope', '00000000-0000-4000-8000-000000000006'])
      expectRefusal(
        await download(t.app, w.admin.token, `/v1/servicerequests/${id}/attachments/${attachmentId}`),
        404,
        'attachmentNotFound',
      );
    // A Sales agent reads but does not attach.
    expectRefusal(await upload(t.app, w.sales.token, id, 'c.txt', 'text/plain', TEXT), 403, 'forbidden');
  });
});

describe('refusals', () => {
  it('an upload of a type, name or content that is not allowed: 400 naming the field, nothing written', async () => {
    const w = await supportWorld(t.store);
    const sr = await createRequest(t.app, w.admin.token, w.customer.id);
    const cases: [string, string | undefined, string, Buffer, string, string | RegExp][] = [
      [
        'HTML',
        'page.html',
        'text/html',
        Buffer.from('<script>alert(1)</script>'),
        'contentType',
        ALLOWED_PREFIX,
      ],
      [
        'SVG',
        'logo.svg',
        'image/svg+xml',
        Buffer.from('<svg onload="alert(1)"/>'),
        'contentType',
        /^image\/svg\+xml /,
      ],
      [
        'script',
        'run.js',
        'application/javascript',
        Buffer.from('alert(1)'),
        'contentType',
        /^application\/javascript /,
      ],
      ['bytes', 'blob.bin', 'application/octet-stream', PDF, 'contentType', /^application\/octet-stream /],
      ['a PDF declared as PNG', 'shot.png', 'image/png', PDF, 'content', 'is not a PNG image'],
      [
        'an .exe declared as PDF',
        'invoice.exe',
        'application/pdf',
        PDF,
        'fileName',
        'must end in .pdf for application/pdf',
      ],
      ['a path in the name', '../../etc/x.txt', 'text/plain', TEXT, 'fileName', /\//],
      ['no name', undefined, 'text/plain', TEXT, 'fileName', 'is empty'],
      ['Latin-1 text', 'a.txt', 'text/plain', Buffer.from('Grüße', 'latin1'), 'content', 'is not UTF-8 text'],
      ['text with NUL', 'a.csv', 'text/csv', Buffer.from('a,b\u0000\n'), 'content', 'is not UTF-8 text'],
      ['an empty file', 'a.txt', 'text/plain', Buffer.alloc(0), 'content', 'is empty'],
    ];
    for (const [what, fileName, type, bytes, field, reason] of cases) {
      const r = await upload(t.app, w.admin.token, sr.id, fileName, type, bytes);
      expect(r.statusCode, `${what}: ${r.body}`).toBe(400);
      expect(r.json(), what).toMatchObject({ name: 'attachmentNotAllowed', code: 101404 });
      expect(r.json().details, what).toEqual([
        { field, reason: typeof reason === 'string' ? reason : expect.stringMatching(reason) },
      ]);
    }
    expect(await attachmentRows(sr.id)).toEqual([]);
    const after = await readRequest(t.app, w.admin.token, sr.id);
    expect(after).toMatchObject({ attachmentCount: 0, fileLinks: [] });
    expect(after.history.map((h) => h.kind)).toEqual(['created']);
    expect(after.attributes.etag).toBe(sr.attributes.etag);
  });

  it('an upload whose Content-Type is empty, missing or not type/subtype: 400 contentType, after the request is found', async () => {
    const w = await supportWorld(t.store);
    const sr = await createRequest(t.app, w.admin.token, w.customer.id);
    const missing = /^is missing; allowed: image\/png, /;
    const cases: [string, Record<string, string>, Buffer, RegExp][] = [
      ['empty', { 'content-type': '' }, PNG, missing],
      ['blank', { 'content-type': '  ' }, PNG, missing],
      ['no header', {}, PNG, missing],
      ['no header, no body', {}, Buffer.alloc(0), missing],
      ['no subtype', { 'content-type': 'png' }, PNG, /^png is not an allowed type; allowed: image\/png, /],
      ['a space for the slash', { 'content-type': 'image png' }, PNG, /^image png is not an allowed type; /],
      ['parameters only', { 'content-type': '; charset=utf-8' }, TEXT, missing],
    ];
    for (const [what, headers, bytes, reason] of cases) {
      const r = await t.app.inject({
        method: 'POST',
        url: `/v1/servicerequests/${sr.id}/attachments?fileName=shot.png`,
        headers: { ...bearer(w.admin.token), ...headers },
        payload: bytes,
      });
      expect(r.statusCode, `${what}: ${r.body}`).toBe(400);
      expect(r.json(), what).toMatchObject({ name: 'attachmentNotAllowed' });
      expect(r.json().details, what).toEqual([
        { field: 'contentType', reason: expect.stringMatching(reason) },
      ]);
    }
    expect(await attachmentRows(sr.id)).toEqual([]);
    // Checked like any other upload: a request that is not the caller's is not found first.
    const other = await supportWorld(t.store);
    const theirs = await createRequest(t.app, other.admin.token, other.customer.id);
    const r = await t.app.inject({
      method: 'POST',
      url: `/v1/servicerequests/${theirs.id}/attachments?fileName=shot.png`,
      headers: { ...bearer(w.admin.token), 'content-type': '' },
      payload: PNG,
    });
    expectRefusal(r, 404, 'serviceRequestNotFound');
    expect(await attachmentRows(theirs.id)).toEqual([]);
  });

  it('a new request with a file that is not allowed: the field of that file, and no request, no number used', async () => {
    const w = await supportWorld(t.store);
    const cases: [string, unknown[], string, string | RegExp][] = [
      [
        'HTML second',
        [inline('a.png', 'image/png', PNG), inline('page.html', 'text/html', Buffer.from('<b>x</b>'))],
        'attachments[1].contentType',
        ALLOWED_PREFIX,
      ],
      ['PDF as PNG', [inline('a.png', 'image/png', PDF)], 'attachments[0].content', 'is not a PNG image'],
      [
        'wrong extension',
        [
          inline('a.txt', 'text/plain', TEXT),
          inline('x.txt', 'text/plain', TEXT),
          inline('invoice.exe', 'application/pdf', PDF),
        ],
        'attachments[2].fileName',
        'must end in .pdf for application/pdf',
      ],
      [
        'not base64',
        [{ fileName: 'a.txt', contentType: 'text/plain', content: 'this is *not* base64!' }],
        'attachments[0].content',
        'is not base64',
      ],
    ];
    for (const [what, attachments, field, reason] of cases) {
      const r = await createRequestAs(t.app, w.admin.token, w.customer.id, requestBody({ attachments }));
      expect(r.statusCode, `${what}: ${r.body}`).toBe(400);
      expect(r.json().name, what).toBe('attachmentNotAllowed');
      expect(r.json().details, what).toEqual([
        { field, reason: typeof reason === 'string' ? reason : expect.stringMatching(reason) },
      ]);
    }
    // More than three inline files is a shape error.
    const four = await createRequestAs(
      t.app,
      w.admin.token,
      w.customer.id,
      requestBody({ attachments: [1, 2, 3, 4].map((n) => inline(`${n}.txt`, 'text/plain', TEXT)) }),
    );
    expectRefusal(four, 400, 'validationFailed');
    expect(four.json().details.map((d: { field: string }) => d.field)).toContain('attachments');

    expect(await partnerRows(w.partner.id)).toEqual({ requests: [], attachments: [], events: [] });
    expect(
      await t.store.owner
        .selectFrom('activity_records')
        .select('action')
        .where('partner_id', '=', w.partner.id)
        .execute(),
    ).toEqual([]);
    const first = await createRequest(t.app, w.admin.token, w.customer.id);
    expect(first.referenceNumber).toBe('SR-000001');
  });

  it('a file larger than SUPPORT_ATTACHMENT_MAX_BYTES: 413 attachmentTooLarge saying both sizes', async () => {
    const w = await supportWorld(t.store);
    const sr = await createRequest(small, w.admin.token, w.customer.id);
    const text = (n: number) => Buffer.alloc(n, 'a');
    // Exactly the limit is fine.
    expect(
      (await uploaded(small, w.admin.token, sr.id, 'full.txt', 'text/plain', text(SMALL_LIMIT))).sizeBytes,
    ).toBe(SMALL_LIMIT);
    expectRefusal(
      await upload(small, w.admin.token, sr.id, 'over.txt', 'text/plain', text(SMALL_LIMIT + 1)),
      413,
      'attachmentTooLarge',
      [{ field: 'content', reason: 'is 2049 bytes; the limit is 2048 bytes' }],
    );
    // Far over: refused before it is read whole, with the same code.
    expectRefusal(
      await upload(small, w.admin.token, sr.id, 'big.txt', 'text/plain', text(100_000)),
      413,
      'attachmentTooLarge',
    );
    expect((await attachmentRows(sr.id)).map((row) => row.file_name)).toEqual(['full.txt']);

    const big = Buffer.concat([PDF, Buffer.alloc(3000 - PDF.length, 0x20)]);
    const inlineBig = await createRequestAs(
      small,
      w.admin.token,
      w.customer.id,
      requestBody({
        title: 'Too big',
        attachments: [inline('ok.png', 'image/png', PNG), inline('big.pdf', 'application/pdf', big)],
      }),
    );
    expectRefusal(inlineBig, 413, 'attachmentTooLarge', [
      { field: 'attachments[1].content', reason: 'is 2.9 KB; the limit is 2 KB' },
    ]);
    expect((await partnerRows(w.partner.id)).requests).toHaveLength(1);
    // The default limit (5 MB) takes the same file.
    expect((await uploaded(t.app, w.admin.token, sr.id, 'big.pdf', 'application/pdf', big)).sizeBytes).toBe(
      3000,
    );
  });

  it('a file sent in chunks (no Content-Length) over the limit: 413 attachmentTooLarge once the limit is passed', async () => {
    const w = await supportWorld(t.store);
    const sr = await createRequest(small, w.admin.token, w.customer.id);
    const chunks = (...sizes: number[]) => Readable.from(sizes.map((n) => Buffer.alloc(n, 'a')));
    const send = (payload: Readable) =>
      small.inject({
        method: 'POST',
        url: `/v1/servicerequests/${sr.id}/attachments?fileName=chunked.txt`,
        headers: { ...bearer(w.admin.token), 'content-type': 'text/plain', 'transfer-encoding': 'chunked' },
        payload,
      });
    // Its size is not known until it ends: the refusal says so.
    expectRefusal(await send(chunks(1500, 1500, 1500)), 413, 'attachmentTooLarge', [
      { field: 'content', reason: 'is larger than the limit of 2 KB' },
    ]);
    expect(await attachmentRows(sr.id)).toEqual([]);
    // Up to the limit, in chunks, it is taken.
    const taken = await send(chunks(1024, 1024));
    expect(taken.statusCode, taken.body).toBe(201);
    expect(taken.json()).toMatchObject({ fileName: 'chunked.txt', sizeBytes: SMALL_LIMIT });
  });

  it('a 21st file: 409 attachmentLimitReached', async () => {
    const w = await supportWorld(t.store);
    const sr = await createRequest(t.app, w.admin.token, w.customer.id, {
      attachments: [1, 2, 3].map((n) => inline(`inline-${n}.txt`, 'text/plain', TEXT)),
    });
    for (let n = 4; n <= 20; n++)
      await uploaded(t.app, w.admin.token, sr.id, `file-${n}.txt`, 'text/plain', TEXT);
    const before = await readRequest(t.app, w.admin.token, sr.id);
    expect(before.attachmentCount).toBe(20);
    expect(before.fileLinks).toHaveLength(20);
    expectRefusal(
      await upload(t.app, w.admin.token, sr.id, 'file-21.txt', 'text/plain', TEXT),
      409,
      'attachmentLimitReached',
    );
    expect(await attachmentRows(sr.id)).toHaveLength(20);
    expect(await readRequest(t.app, w.admin.token, sr.id)).toEqual(before);
  });

  it('two uploads at once to a request with 19 files: one is the 20th, the other 409 attachmentLimitReached', async () => {
    const w = await supportWorld(t.store);
    const sr = await createRequest(t.app, w.admin.token, w.customer.id, {
      attachments: [1, 2, 3].map((n) => inline(`inline-${n}.txt`, 'text/plain', TEXT)),
    });
    for (let n = 4; n <= 19; n++)
      await uploaded(t.app, w.admin.token, sr.id, `file-${n}.txt`, 'text/plain', TEXT);
    const answers = await Promise.all([
      upload(t.app, w.admin.token, sr.id, 'twentieth-a.txt', 'text/plain', TEXT),
      upload(t.app, w.helpdesk.token, sr.id, 'twentieth-b.txt', 'text/plain', TEXT),
    ]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 409]);
    expect(answers.find((a) => a.statusCode === 409)!.json().name).toBe('attachmentLimitReached');
    const stored = await attachmentRows(sr.id);
    expect(stored).toHaveLength(20);
    const names = stored.map((row) => row.file_name);
    const won = answers.find((a) => a.statusCode === 201)!.json().fileName;
    expect(names.filter((name) => name.startsWith('twentieth-'))).toEqual([won]);
    expect((await readRequest(t.app, w.admin.token, sr.id)).attachmentCount).toBe(20);
  });

  it('a file for a closed request: 409 serviceRequestClosed; after a reopen it is taken', async () => {
    const w = await supportWorld(t.store);
    const sr = await createRequest(t.app, w.admin.token, w.customer.id);
    const closed = await changeRequest(t.app, w.admin.token, sr.id, { status: 'closed' });
    expectRefusal(
      await upload(t.app, w.admin.token, sr.id, 'late.txt', 'text/plain', TEXT),
      409,
      'serviceRequestClosed',
    );
    expect(await attachmentRows(sr.id)).toEqual([]);
    expect(await readRequest(t.app, w.admin.token, sr.id)).toEqual(closed);
    await changeRequest(t.app, w.admin.token, sr.id, { status: 'open' });
    expect((await uploaded(t.app, w.admin.token, sr.id, 'late.txt', 'text/plain', TEXT)).fileName).toBe(
      'late.txt',
    );
  });
});

describe('file names of any length', () => {
  it('a new request with a file named by a megabyte of text: 400 attachmentNotAllowed for that name, nothing written', async () => {
    const w = await supportWorld(t.store);
    const r = await createRequestAs(
      t.app,
      w.admin.token,
      w.customer.id,
      requestBody({ attachments: [inline(`${'a'.repeat(1024 * 1024)}.txt`, 'text/plain', TEXT)] }),
    );
    expectRefusal(r, 400, 'attachmentNotAllowed', [
      { field: 'attachments[0].fileName', reason: 'is longer than 255 characters' },
    ]);
    expect(await partnerRows(w.partner.id)).toEqual({ requests: [], attachments: [], events: [] });
  });
});

describe('a NUL in a file name', () => {
  const reason = 'contains /, \\, a NUL or another control character';

  it('of an upload (?fileName=): 400 attachmentNotAllowed naming fileName, with or without MS-RequestId', async () => {
    const w = await supportWorld(t.store);
    const sr = await createRequest(t.app, w.admin.token, w.customer.id);
    expectRefusal(
      await upload(t.app, w.admin.token, sr.id, 'trace\u0000.txt', 'text/plain', TEXT),
      400,
      'attachmentNotAllowed',
      [{ field: 'fileName', reason }],
    );
    expectRefusal(
      await upload(t.app, w.admin.token, sr.id, 'trace\u0000.txt', 'text/plain', TEXT, {
        'ms-requestid': `nul-${sr.id}`,
      }),
      400,
      'attachmentNotAllowed',
      [{ field: 'fileName', reason }],
    );
    expect(await attachmentRows(sr.id)).toEqual([]);
  });

  it('of a file sent with a new request: 400 attachmentNotAllowed naming that file; a NUL elsewhere stays validationFailed', async () => {
    const w = await supportWorld(t.store);
    const named = await createRequestAs(
      t.app,
      w.admin.token,
      w.customer.id,
      requestBody({
        attachments: [inline('a.txt', 'text/plain', TEXT), inline('b\u0000.txt', 'text/plain', TEXT)],
      }),
    );
    expectRefusal(named, 400, 'attachmentNotAllowed', [{ field: 'attachments[1].fileName', reason }]);
    const typed = await createRequestAs(
      t.app,
      w.admin.token,
      w.customer.id,
      requestBody({ attachments: [inline('a.txt', 'text/plain\u0000', TEXT)] }),
    );
    expectRefusal(typed, 400, 'validationFailed', [
      { field: 'attachments[0].contentType', reason: 'must not contain the NUL character (U+0000)' },
    ]);
    expect(await partnerRows(w.partner.id)).toEqual({ requests: [], attachments: [], events: [] });
  });
});
