// Bad input never gives a 500: generated malformed bodies, path parameters, query strings and headers are
// thrown at every registered route, signed in as a Global admin (as a customer's Global admin on the
// customer-facing routes, which take only a customer session); every answer is a success or a 4xx whose
// body is the error envelope with a code from the catalog.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCatalog } from '../../src/lib/errors.ts';
import { ALLOWED_ATTACHMENT_TYPES } from '../../src/modules/support/attachments.check.ts';
import type { TestApp } from '../helpers/app.ts';
import { createTestApp } from '../helpers/app.ts';
import { insertCustomer } from '../helpers/customers.ts';
import { createPartnerWithAdmin, issueToken } from '../helpers/factories.ts';
import { insertCustomerUser, issueCustomerToken } from '../helpers/relationships.ts';
import { ROUTES, fillPath, insertServiceRequest, makeFixture } from './routes.ts';

const CODES = new Set<number>(Object.values(errorCatalog).map((e) => e.code));
const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
// Local runs explore with a new seed each time (fast-check prints it with any failure; FUZZ_SEED replays it);
// CI uses a fixed one so that a landing is decided by the code, not by the draw.
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : process.env.CI ? 20261128 : undefined;

let t: TestApp;
let partnerId: string;
let adminId: string;
/** A fresh token for a route: a customer session on the customer-facing routes, the partner admin's elsewhere. */
let tokenFor: (routeKey: string) => Promise<string>;

beforeAll(async () => {
  t = await createTestApp();
  const { partner, admin } = await createPartnerWithAdmin(t.store);
  partnerId = partner.id;
  adminId = admin.id;
  const customer = await insertCustomer(t.store, partnerId);
  const customerAdmin = await insertCustomerUser(t.store, customer.id, { roles: ['globalAdmin'] });
  tokenFor = (routeKey) =>
    ROUTES[routeKey]!.roles === 'customer'
      ? issueCustomerToken(t.store, customer.id, customerAdmin.id)
      : issueToken(t.store, partnerId, adminId);
});
afterAll(() => t.close());

const weirdString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '0',
    '-1',
    '1e309',
    'null',
    'true',
    '%',
    '%00',
    // PostgreSQL cannot store U+0000 in text or jsonb; it must be refused before any query meets it.
    '\u0000',
    'a\u0000b',
    // A GUID with the URN prefix some validators accept and PostgreSQL's uuid type does not.
    'urn:uuid:00000000-0000-4000-8000-000000000000',
    '../..',
    '<script>',
    "' or 1=1 --",
    '__proto__',
  ),
  fc.uuid(),
  fc.string({ minLength: 300, maxLength: 5000 }),
);

const jsonish = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.dictionary(
    fc.constantFrom(
      'userName',
      'password',
      'displayName',
      'roles',
      'state',
      'name',
      'language',
      'newPassword',
      'currentPassword',
      'expiresInDays',
      'UserName',
      'ROLES',
      'relationshipToPartner',
      'customerAgreement',
      'dateAgreed',
      'title',
      'description',
      'severity',
      'status',
      'supportTopicId',
      'primaryContact',
      'assignedTo',
      'newNote',
      'attachments',
      '__proto__',
      'constructor',
    ),
    fc.oneof(fc.jsonValue({ maxDepth: 2 }), weirdString, fc.array(weirdString, { maxLength: 5 })),
  ),
);

const rawBody = fc.oneof(
  jsonish.map((v) => ({ payload: JSON.stringify(v), type: 'application/json' })),
  weirdString.map((s) => ({ payload: s, type: 'application/json' })),
  weirdString.map((s) => ({
    payload: s,
    type: fc.sample(
      fc.constantFrom(
        'text/plain',
        'application/xml',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/json; charset=latin1',
      ),
      1,
    )[0]!,
  })),
);

const query = fc.dictionary(
  fc.constantFrom(
    'size',
    'continuationToken',
    'filter',
    'startDate',
    'endDate',
    'q',
    'role',
    'state',
    'customerId',
    'action',
    'status',
    'sort',
    'order',
    'Size',
    'includeDelegatedAdminPrivileges',
    'severity',
    'overdue',
    'assignedTo',
    'fileName',
  ),
  weirdString,
  { maxKeys: 4 },
);

const headers = fc.record(
  {
    'if-match': weirdString,
    'ms-requestid': weirdString,
    'ms-correlationid': weirdString,
    'ms-continuationtoken': weirdString,
    'x-csrf-token': weirdString,
    'accept-language': weirdString,
    'content-disposition': weirdString,
  },
  { requiredKeys: [] },
);

function printable(h: Record<string, string>): Record<string, string> {
  // Header values a client can actually send (no control characters).
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k, v.replace(/[^\x20-\x7e]/g, '?')]));
}

/** No 500: a success, or a 4xx whose body is the error envelope with a code from the catalog. */
function expectHandled(res: { statusCode: number; body: string; json(): unknown }, what: string) {
  expect(res.statusCode, `${what} → ${res.body.slice(0, 300)}`).toBeLessThan(500);
  if (res.statusCode >= 400) {
    const envelope = res.json() as { code: number; requestId: string; details: unknown[] };
    expect(CODES.has(envelope.code), res.body).toBe(true);
    expect(typeof envelope.requestId).toBe('string');
    expect(Array.isArray(envelope.details)).toBe(true);
  }
}

describe('bad input never gives a 500', () => {
  for (const key of Object.keys(ROUTES)) {
    const [method, url] = key.split(' ') as [string, string];
    it(`${key}`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(weirdString, { minLength: 1, maxLength: 1 }),
          rawBody,
          query,
          headers,
          async ([param], body, q, h) => {
            const token = await tokenFor(key);
            const path = url.replace(/:\w+/g, () => encodeURIComponent(param!));
            const res = await t.app.inject({
              method: method as 'GET',
              url: path,
              query: q,
              headers: { ...printable(h), authorization: `Bearer ${token}`, 'content-type': body.type },
              payload: method === 'GET' ? undefined : body.payload,
            });
            expectHandled(res, `${method} ${path}`);
          },
        ),
        { numRuns: RUNS, seed: SEED },
      );
    });
  }
});

// The generated calls above rarely name a request that exists. These do: a service request is named in every
// spelling of a reference number (numbers past the integer range, signs, exponents, other digits), and real
// requests get files of any declared type, name and content, and any change.
describe('service requests: any spelling of a reference number, any file, any change — never a 500', () => {
  const referenceish = fc.oneof(
    weirdString,
    fc
      .tuple(
        fc.constantFrom('SR-', 'sr-', 'Sr-', 'SR', 'SR--', 'SR-+', 'SR- ', ' SR-', ''),
        fc.oneof(
          fc.nat().map(String),
          fc.bigInt({ min: 0n, max: 10n ** 30n }).map(String),
          fc.stringMatching(/^[0-9]{1,25}$/),
          fc.constantFrom(
            '0',
            '000000',
            '-1',
            '+1',
            '1e3',
            '0x10',
            '1.0',
            '１',
            '٣',
            ' 1',
            '1 ',
            '2147483648',
          ),
        ),
      )
      .map(([prefix, n]) => prefix + n),
  );
  /** The first bytes a file of each kind starts with (text: any UTF-8). */
  const SIGNATURES: Record<string, Buffer> = {
    png: Buffer.from('89504e470d0a1a0a', 'hex'),
    jpeg: Buffer.from('ffd8ff', 'hex'),
    gif: Buffer.from('GIF89a'),
    pdf: Buffer.from('%PDF-'),
    zip: Buffer.from('504b0304', 'hex'),
    text: Buffer.alloc(0),
  };
  const fileBase = fc.oneof(
    weirdString,
    fc.constantFrom('report', 'a', '.', '..', ' ', 'x'.repeat(300), 'résumé', '../etc/passwd', 'a\u0001b'),
  );
  /** How the file's name is sent: the query, a Content-Disposition header (plain or RFC 5987), or not at all. */
  const naming = (fileName: fc.Arbitrary<string>) =>
    fc.oneof(
      fileName.map((n) => ({ query: { fileName: n }, headers: {} })),
      fileName.map((n) => ({ query: {}, headers: { 'content-disposition': `attachment; filename="${n}"` } })),
      fileName.map((n) => ({
        query: {},
        headers: { 'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(n)}` },
      })),
      fc
        .constantFrom(
          "attachment; filename*=UTF-8''%E0%A4%A",
          "attachment; filename*=UTF-8''%",
          "attachment; filename*=ISO-8859-1''caf%E9.txt",
          'attachment; filename=',
          'attachment; filename="',
          'inline',
          'attachment; filename="a.png"; filename="b.png"',
        )
        .map((h) => ({ query: {}, headers: { 'content-disposition': h } })),
      fc.constant({ query: {}, headers: {} }),
    );
  /** A file as a client sends one: an allowed type, a name with its extension, content that starts right. */
  const plausibleFile = fc.constantFrom(...ALLOWED_ATTACHMENT_TYPES).chain((t) =>
    fc.record({
      type: fc.constantFrom(t.contentType, t.contentType.toUpperCase(), `${t.contentType}; charset=utf-8`),
      named: naming(fc.tuple(fileBase, fc.constantFrom(...t.extensions)).map(([b, e]) => b + e)),
      bytes: fc
        .oneof(
          fc.uint8Array({ maxLength: 64 }).map((tail) => Buffer.from(tail)),
          fc.string({ unit: 'grapheme', maxLength: 64 }).map((text) => Buffer.from(text)),
        )
        .map((tail) => Buffer.concat([SIGNATURES[t.kind]!, tail])),
    }),
  );
  /** Anything: any declared type, any name, any bytes. */
  const anyFile = fc.record({
    type: fc.oneof(
      fc.constantFrom(
        ...ALLOWED_ATTACHMENT_TYPES.map((t) => t.contentType),
        'text/html',
        'image/svg+xml',
        'application/javascript',
        'application/octet-stream',
        'multipart/form-data; boundary=x',
        'application/x-www-form-urlencoded',
        ';',
        '*/*',
      ),
      weirdString,
    ),
    named: naming(
      fc.oneof(
        weirdString,
        fc
          .tuple(
            fileBase,
            fc.constantFrom('.png', '.PNG', '.jpg', '.txt', '.html', '.svg', '', '.png.html', '.'),
          )
          .map(([b, e]) => b + e),
      ),
    ),
    bytes: fc
      .tuple(fc.constantFrom(...Object.values(SIGNATURES)), fc.uint8Array({ maxLength: 64 }))
      .map(([head, tail]) => Buffer.concat([head, Buffer.from(tail)])),
  });
  const changes = fc.oneof(
    jsonish,
    fc.record(
      {
        status: fc.oneof(fc.constantFrom('open', 'attentionNeeded', 'closed', 'Closed', ''), weirdString),
        severity: fc.oneof(fc.constantFrom('critical', 'moderate', 'minimal'), weirdString),
        assignedTo: fc.oneof(fc.constant(null), fc.uuid(), weirdString),
        primaryContact: fc.oneof(
          fc.record(
            { firstName: weirdString, lastName: weirdString, email: weirdString, phoneNumber: weirdString },
            { requiredKeys: [] },
          ),
          fc.jsonValue({ maxDepth: 1 }),
        ),
        newNote: fc.oneof(
          fc.record({ text: weirdString }, { requiredKeys: [] }),
          fc.jsonValue({ maxDepth: 1 }),
        ),
      },
      { requiredKeys: [] },
    ),
  );

  const newRequest = async () =>
    insertServiceRequest(t.store, partnerId, await insertCustomer(t.store, partnerId), {
      id: adminId,
      name: 'Fuzz admin',
    });
  const as = async () => `Bearer ${await issueToken(t.store, partnerId, adminId)}`;

  it('GET, PATCH and the attachment routes with any reference', async () => {
    const sr = await newRequest();
    await fc.assert(
      fc.asyncProperty(referenceish, async (ref) => {
        const id = encodeURIComponent(ref);
        for (const [method, url, payload] of [
          ['GET', `/v1/servicerequests/${id}`, undefined],
          ['PATCH', `/v1/servicerequests/${id}`, { severity: 'minimal' }],
          ['GET', `/v1/servicerequests/${id}/attachments/${sr.attachmentId}`, undefined],
          ['POST', `/v1/servicerequests/${id}/attachments?fileName=x.txt`, 'plain text'],
        ] as const) {
          const res = await t.app.inject({
            method,
            url,
            headers: {
              authorization: await as(),
              'content-type': method === 'POST' ? 'text/plain' : 'application/json',
            },
            payload:
              payload === undefined
                ? undefined
                : typeof payload === 'string'
                  ? payload
                  : JSON.stringify(payload),
          });
          expectHandled(res, `${method} ${url}`);
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('lists searched and filtered with anything', async () => {
    await newRequest();
    const filters = fc.record(
      {
        q: referenceish,
        status: fc.oneof(
          fc.constantFrom('open', 'open,closed', 'attentionNeeded,', ',', 'OPEN'),
          weirdString,
        ),
        severity: fc.oneof(fc.constantFrom('critical', 'minimal,moderate'), weirdString),
        overdue: fc.oneof(fc.constantFrom('true', 'false', 'TRUE', '1', 'yes'), weirdString),
        assignedTo: fc.oneof(fc.constantFrom('me', 'unassigned', 'ME'), fc.uuid(), weirdString),
        customerId: fc.oneof(fc.uuid(), weirdString),
        size: fc.oneof(fc.constantFrom('1', '1000', '1001', '0'), weirdString),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(filters, async (query) => {
        const res = await t.app.inject({
          url: '/v1/servicerequests',
          query,
          headers: { authorization: await as() },
        });
        expectHandled(res, `GET /v1/servicerequests?${new URLSearchParams(query)}`);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('uploads of any declared type, name and content', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(plausibleFile, anyFile), async ({ type, named, bytes }) => {
        const sr = await newRequest();
        const res = await t.app.inject({
          method: 'POST',
          url: `/v1/servicerequests/${sr.id}/attachments`,
          query: named.query,
          headers: { ...printable({ ...named.headers, 'content-type': type }), authorization: await as() },
          payload: bytes,
        });
        expectHandled(res, `upload ${type} ${JSON.stringify(named)} (${bytes.length} bytes)`);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('any change to a request, open or closed', async () => {
    await fc.assert(
      fc.asyncProperty(changes, fc.boolean(), async (body, closeFirst) => {
        const sr = await newRequest();
        if (closeFirst)
          expect(
            (
              await t.app.inject({
                method: 'PATCH',
                url: `/v1/servicerequests/${sr.id}`,
                headers: { authorization: await as() },
                payload: { status: 'closed' },
              })
            ).statusCode,
          ).toBe(200);
        const res = await t.app.inject({
          method: 'PATCH',
          url: `/v1/servicerequests/${sr.id}`,
          headers: { authorization: await as(), 'content-type': 'application/json' },
          payload: JSON.stringify(body),
        });
        expectHandled(res, `PATCH ${JSON.stringify(body).slice(0, 200)}`);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });
});

/** Every string in `value` with its path (`['roles', 0]`: array items by number). */
function stringLeaves(
  value: unknown,
  path: (string | number)[] = [],
): { path: (string | number)[]; at: unknown }[] {
  if (typeof value === 'string') return [{ path, at: value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringLeaves(v, [...path, i]));
  if (value !== null && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => stringLeaves(v, [...path, k]));
  return [];
}

/** A path as the API names a field: `roles[0]`, `lineItems[0].offerId`. */
const fieldName = (path: (string | number)[]) =>
  path.reduce<string>(
    (name, seg) => (typeof seg === 'number' ? `${name}[${seg}]` : name ? `${name}.${seg}` : seg),
    '',
  );

/** A copy of `value` with `leaf` at `path`. */
function withLeaf(value: unknown, path: (string | number)[], leaf: string): unknown {
  if (path.length === 0) return leaf;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  if (Array.isArray(value)) return value.map((v, i) => (i === head ? withLeaf(v, rest, leaf) : v));
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  copy[String(head)] = withLeaf(copy[String(head)], rest, leaf);
  return copy;
}

/**
 * Fields a route checks itself (its `config.ownTextCheck`): a NUL there is refused by that check, with its own
 * code and name for the field.
 */
const OWN_TEXT_CHECK: Record<string, Record<string, { name: string; field: string }>> = {
  'POST /v1/servicerequests/:id/attachments': {
    'querystring.fileName': { name: 'attachmentNotAllowed', field: 'fileName' },
  },
};

// Random bodies rarely get far enough for a NUL to reach a query; these start from each route's plausible
// body and put U+0000 in one string at a time, so every field that would be stored is tried.
describe('U+0000 in any field of a plausible request is a 400 naming the field, never a 500', () => {
  for (const [key, spec] of Object.entries(ROUTES)) {
    const [method, url] = key.split(' ') as [string, string];
    const leaves = stringLeaves(spec.body);
    const queries: Record<string, string>[] =
      method === 'GET' ? [{ q: 'x\u0000' }, { continuationToken: '\u0000' }] : [];
    if (leaves.length === 0 && queries.length === 0 && !spec.query) continue;
    it(key, async () => {
      const fx = await makeFixture(t.store, partnerId);
      const path = fillPath(url, spec.params ? await spec.params(fx, adminId) : {});
      const send = async (payload: unknown, query: Record<string, string> = spec.query ?? {}) =>
        t.app.inject({
          method: method as 'GET',
          url: path,
          query,
          headers: { ...spec.headers, authorization: `Bearer ${await tokenFor(key)}` },
          ...(payload === undefined ? {} : { payload: payload as object }),
        });
      const expectRefused = (res: Awaited<ReturnType<typeof send>>, field: string) => {
        const own = OWN_TEXT_CHECK[key]?.[field];
        expect(res.statusCode, `${key} ${field} → ${res.body.slice(0, 300)}`).toBe(400);
        expect(res.json()).toMatchObject({ name: own?.name ?? 'validationFailed' });
        expect(res.json().details).toContainEqual({
          field: own?.field ?? field,
          reason: expect.stringContaining('NUL'),
        });
      };
      for (const leaf of leaves) {
        const field = fieldName(leaf.path);
        expectRefused(await send(withLeaf(spec.body, leaf.path, `${String(leaf.at)}\u0000`)), field);
      }
      // A plausible query's values too (an upload's file name).
      for (const [name, value] of Object.entries(spec.query ?? {}))
        expectRefused(
          await send(spec.body, { ...spec.query, [name]: `${value}\u0000` }),
          `querystring.${name}`,
        );
      for (const query of queries) {
        const res = await send(undefined, query);
        expect(res.statusCode, `${key} ${JSON.stringify(query)} → ${res.body.slice(0, 300)}`).toBeLessThan(
          500,
        );
      }
    });
  }
});

// Found by the generated test above: "1e309" is coerced to Infinity, which the schema's bounds let through.
describe('a page size the lists cannot serve is a 400 on size, never a 500', () => {
  const lists = [
    'GET /v1/partnerusers',
    'GET /v1/apitokens',
    'GET /v1/profiles/apitokens',
    'GET /v1/auditrecords',
    'GET /v1/auditrecords/export.csv',
    'GET /v1/relationshipinvitations',
    'GET /v1/servicerequests',
  ];
  for (const key of lists) {
    const url = key.split(' ')[1]!;
    it(`${url}?size=1e309`, async () => {
      const res = await t.app.inject({
        url: `${url}?size=1e309`,
        headers: { authorization: `Bearer ${await issueToken(t.store, partnerId, adminId)}` },
      });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json()).toMatchObject({ name: 'validationFailed' });
      expect(JSON.stringify(res.json().details)).toContain('size');
    });
  }
});
