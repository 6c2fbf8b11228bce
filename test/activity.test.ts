// The activity log API: date ranges, filters, paging under concurrent inserts, CSV export, isolation, roles.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inPartnerTransaction } from '../src/db/database.ts';
import type { Store } from '../src/db/database.ts';
import { recordAs } from '../src/modules/activity/activity.record.ts';
import type { TestApp } from './helpers/app.ts';
import { createTestApp } from './helpers/app.ts';
import type { TestPartner, TestUser } from './helpers/factories.ts';
import { bearer, createPartnerWithAdmin, createUser } from './helpers/factories.ts';

interface RecordSpec {
  occurredAt?: Date;
  action?: string;
  status?: 'succeeded' | 'failed';
  customer?: { id: string; name: string };
  actorName?: string;
  details?: Record<string, unknown>;
}

/** Writes records straight into the store (owner connection), so tests can place them in time. */
async function addRecords(store: Store, partnerId: string, specs: RecordSpec[]): Promise<string[]> {
  const rows = await store.owner
    .insertInto('activity_records')
    .values(
      specs.map((s) => ({
        partner_id: partnerId,
        ...(s.occurredAt ? { occurred_at: s.occurredAt } : {}),
        actor_kind: 'partnerUser' as const,
        actor_id: null,
        actor_name: s.actorName ?? 'someone@partner.example',
        customer_id: s.customer?.id ?? null,
        customer_name: s.customer?.name ?? null,
        action: s.action ?? 'customer.update',
        resource_type: 'Customer',
        resource_id: s.customer?.id ?? null,
        status: s.status ?? 'succeeded',
        details: JSON.stringify(s.details ?? {}),
        request_id: null,
        correlation_id: null,
      })),
    )
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY);

interface AuditItem {
  id: string;
  occurredAt: string;
  action: string;
  status: string;
  customer: { id: string; name: string } | null;
  partnerUser: { kind: string; id: string | null; name: string };
  additionalInformation: Record<string, unknown>;
  attributes: { objectType: string };
}
interface AuditPage {
  totalCount: number;
  items: AuditItem[];
  links: { self: { uri: string }; next?: { uri: string; headers: { key: string; value: string }[] } };
  attributes: { objectType: string };
}

describe('activity log', () => {
  let t: TestApp;
  let partner: TestPartner;
  let admin: TestUser;
  let other: { partner: TestPartner; admin: TestUser };

  beforeAll(async () => {
    t = await createTestApp();
    ({ partner, admin } = await createPartnerWithAdmin(t.store));
    other = await createPartnerWithAdmin(t.store);
  });
  afterAll(() => t?.close());

  async function list(query: Record<string, string | number>, token = admin.token) {
    const qs = new URLSearchParams(
      Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]),
    ).toString();
    return t.app.inject({
      method: 'GET',
      url: `/v1/auditrecords${qs ? `?${qs}` : ''}`,
      headers: bearer(token),
    });
  }

  async function listOk(query: Record<string, string | number>, token = admin.token): Promise<AuditPage> {
    const res = await list(query, token);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<AuditPage>();
  }

  /** A fresh partner per test that counts records, so counts never depend on other tests. */
  async function freshPartner() {
    return createPartnerWithAdmin(t.store);
  }

  describe('date range', () => {
    it('defaults to the last month up to now, newest first, in the documented record shape', async () => {
      const p = await freshPartner();
      const customer = { id: randomUUID(), name: 'Contoso' };
      const [old, recent, newest] = await addRecords(t.store, p.partner.id, [
        { occurredAt: daysAgo(40), action: 'customer.create', customer },
        {
          occurredAt: daysAgo(20),
          action: 'customer.update',
          customer,
          details: { before: { a: 1 }, after: { a: 2 } },
        },
        { occurredAt: daysAgo(1), action: 'partnerUser.create' },
      ]);
      const page = await listOk({}, p.admin.token);
      expect(page.items.map((i) => i.id)).toEqual([newest, recent]);
      expect(page.items.map((i) => i.id)).not.toContain(old);
      expect(page.totalCount).toBe(2);
      expect(page.attributes).toEqual({ objectType: 'Collection' });
      expect(page.items[1]).toMatchObject({
        id: recent,
        action: 'customer.update',
        status: 'succeeded',
        resourceType: 'Customer',
        resourceId: customer.id,
        customer,
        partnerUser: { kind: 'partnerUser', id: null, name: 'someone@partner.example' },
        additionalInformation: { before: { a: 1 }, after: { a: 2 } },
        requestId: null,
        correlationId: null,
        attributes: { objectType: 'AuditRecord' },
      });
      expect(new Date(page.items[1]!.occurredAt).getTime()).toBeCloseTo(daysAgo(20).getTime(), -5);

      const wider = await listOk({ startDate: daysAgo(45).toISOString().slice(0, 10) }, p.admin.token);
      expect(wider.items.map((i) => i.id)).toEqual([newest, recent, old]);
    });

    it('takes dates (whole days, UTC) and date-times', async () => {
      const p = await freshPartner();
      const [a, b, c] = await addRecords(t.store, p.partner.id, [
        { occurredAt: new Date('2026-03-01T00:00:00Z') },
        { occurredAt: new Date('2026-03-10T23:59:59.999Z') },
        { occurredAt: new Date('2026-03-11T00:00:00Z') },
      ]);
      const days = await listOk({ startDate: '2026-03-01', endDate: '2026-03-10' }, p.admin.token);
      expect(days.items.map((i) => i.id)).toEqual([b, a]);
      const times = await listOk(
        { startDate: '2026-03-01T00:00:00.001Z', endDate: '2026-03-11T00:00:00.001Z' },
        p.admin.token,
      );
      expect(times.items.map((i) => i.id)).toEqual([c, b]);
      const offset = await listOk(
        { startDate: '2026-03-10T19:00:00-05:00', endDate: '2026-03-12' },
        p.admin.token,
      );
      expect(offset.items.map((i) => i.id)).toEqual([c]);
      // Only an end date: the month before it.
      const endOnly = await listOk({ endDate: '2026-03-31' }, p.admin.token);
      expect(endOnly.items.map((i) => i.id)).toEqual([c, b, a]);
    });

    it('refuses an end before the start, a range over a year, and malformed dates, naming the field', async () => {
      const reversed = await list({ startDate: '2026-05-02', endDate: '2026-05-01' });
      expect(reversed.statusCode).toBe(400);
      expect(reversed.json()).toMatchObject({
        name: 'validationFailed',
        details: [{ field: 'endDate', reason: expect.stringContaining('before startDate') }],
      });

      const long = await list({ startDate: '2025-01-01', endDate: '2026-01-01' });
      expect(long.statusCode).toBe(400);
      expect(long.json().details).toEqual([
        { field: 'startDate', reason: expect.stringContaining('one year') },
      ]);
      const oneYear = await list({ startDate: '2025-01-01', endDate: '2025-12-31' });
      expect(oneYear.statusCode).toBe(200);
      const openLong = await list({ startDate: daysAgo(400).toISOString() });
      expect(openLong.statusCode).toBe(400);

      for (const bad of ['2026-02-30', 'yesterday', '2026-13-01', '01/02/2026']) {
        const res = await list({ startDate: bad });
        expect(res.statusCode, bad).toBe(400);
        expect(res.json().details[0].field).toBe('startDate');
      }
      const badEnd = await list({ endDate: '2026-1-1T00:00' });
      expect(badEnd.statusCode).toBe(400);
    });
  });

  describe('filters', () => {
    let p: { partner: TestPartner; admin: TestUser };
    const contoso = { id: randomUUID(), name: 'Contoso Ltd' };
    const fabrikam = { id: randomUUID(), name: 'Fabrikam' };
    let ids: Record<string, string>;

    beforeAll(async () => {
      p = await freshPartner();
      const [c1, c2, f1, u1, x1] = await addRecords(t.store, p.partner.id, [
        {
          occurredAt: daysAgo(5),
          action: 'customer.create',
          customer: contoso,
          actorName: 'alice@reseller.example',
        },
        {
          occurredAt: daysAgo(4),
          action: 'customer.update',
          customer: contoso,
          status: 'failed',
          actorName: 'bob@reseller.example',
        },
        {
          occurredAt: daysAgo(3),
          action: 'customer.create',
          customer: fabrikam,
          actorName: 'alice@reseller.example',
        },
        { occurredAt: daysAgo(2), action: 'partnerUser.create', actorName: 'carol@reseller.example' },
        { occurredAt: daysAgo(1), action: 'partnerUserX.odd_100%', actorName: 'dave@reseller.example' },
      ]);
      ids = { c1: c1!, c2: c2!, f1: f1!, u1: u1!, x1: x1! };
    });

    const filter = (Field: string, Value: string, Operator = 'equals') =>
      JSON.stringify({ Field, Value, Operator });
    const idsOf = (page: AuditPage) =>
      page.items.map((i) => Object.entries(ids).find(([, id]) => id === i.id)?.[0] ?? i.id);

    it('filters by CustomerId, CustomerName, Action, Status and PartnerUser', async () => {
      const get = async (f: string) => idsOf(await listOk({ filter: f }, p.admin.token));
      expect(await get(filter('CustomerId', contoso.id))).toEqual(['c2', 'c1']);
      expect(await get(filter('CustomerId', contoso.id.toUpperCase()))).toEqual(['c2', 'c1']);
      expect(await get(filter('CustomerName', 'contoso ltd'))).toEqual(['c2', 'c1']);
      expect(await get(filter('CustomerName', 'FAB', 'starts_with'))).toEqual(['f1']);
      expect(await get(filter('CustomerName', 'ntoso', 'substring'))).toEqual(['c2', 'c1']);
      expect(await get(filter('CustomerName', 'ntoso', 'starts_with'))).toEqual([]);
      expect(await get(filter('Action', 'customer.create'))).toEqual(['f1', 'c1']);
      expect(await get(filter('Action', 'partnerUser', 'starts_with'))).toEqual(['x1', 'u1']);
      expect(await get(filter('Action', '_100%', 'substring'))).toEqual(['x1']); // LIKE characters are literal
      expect(await get(filter('Action', 'update', 'substring'))).toEqual(['c2']);
      expect(await get(filter('Status', 'Failed'))).toEqual(['c2']);
      expect(await get(filter('PartnerUser', 'alice@reseller.example'))).toEqual(['f1', 'c1']);
      expect(await get(filter('PartnerUser', 'CAROL', 'starts_with'))).toEqual(['u1']);
      // Partner Center clients may send the property names in any case.
      expect(
        await get(JSON.stringify({ field: 'customername', value: 'fabrikam', operator: 'EQUALS' })),
      ).toEqual(['f1']);
    });

    it('filters by the simple parameters, combined with AND', async () => {
      const get = async (q: Record<string, string>) => idsOf(await listOk(q, p.admin.token));
      expect(await get({ customerId: contoso.id })).toEqual(['c2', 'c1']);
      expect(await get({ action: 'customer.create' })).toEqual(['f1', 'c1']);
      expect(await get({ action: 'customer' })).toEqual(['f1', 'c2', 'c1']); // an action family
      expect(await get({ action: 'partnerUser' })).toEqual(['u1']); // not partnerUserX.*
      expect(await get({ status: 'failed' })).toEqual(['c2']);
      expect(await get({ q: 'fabri' })).toEqual(['f1']);
      expect(await get({ q: 'CAROL' })).toEqual(['u1']);
      expect(await get({ q: 'update' })).toEqual(['c2']);
      expect(await get({ customerId: contoso.id, status: 'succeeded' })).toEqual(['c1']);
      expect(
        await get({ filter: filter('PartnerUser', 'alice@reseller.example'), customerId: fabrikam.id }),
      ).toEqual(['f1']);
    });

    it('refuses a malformed filter with details', async () => {
      const cases: [string, string][] = [
        ['{not json', 'filter'],
        ['[1,2]', 'filter'],
        [filter('Colour', 'red'), 'filter.Field'],
        [filter('Action', 'x', 'like'), 'filter.Operator'],
        [filter('Action', ''), 'filter.Value'],
        [JSON.stringify({ Field: 'Action', Value: 'x', Operator: 'equals', Extra: 1 }), 'filter.Extra'],
        [filter('CustomerId', 'not-a-guid'), 'filter.Value'],
        [filter('CustomerId', contoso.id, 'starts_with'), 'filter.Operator'],
        [filter('Status', 'maybe'), 'filter.Value'],
      ];
      for (const [f, field] of cases) {
        const res = await list({ filter: f }, p.admin.token);
        expect(res.statusCode, f).toBe(400);
        const body = res.json();
        expect(body.name, f).toBe('invalidFilter');
        expect(
          body.details.map((d: { field: string }) => d.field),
          f,
        ).toContain(field);
      }
      const badStatus = await list({ status: 'maybe' }, p.admin.token);
      expect(badStatus.statusCode).toBe(400);
      expect(badStatus.json().details).toEqual([
        { field: 'querystring.status', reason: 'must be one of "succeeded", "failed"' },
      ]);
      const unknownParam = await list({ colour: 'red' }, p.admin.token);
      expect(unknownParam.statusCode).toBe(400);
    });

    it('refuses the NUL character in any filter with 400 naming it, in the list and the export', async () => {
      for (const url of ['/v1/auditrecords', '/v1/auditrecords/export.csv']) {
        const get = (query: Record<string, string>) =>
          t.app.inject({ method: 'GET', url, query, headers: bearer(p.admin.token) });
        for (const [query, name, field] of [
          [{ q: 'a\u0000b' }, 'validationFailed', 'querystring.q'],
          [{ action: 'customer\u0000' }, 'validationFailed', 'querystring.action'],
          // Inside the JSON filter it arrives escaped, so the filter's own check must catch it.
          [{ filter: filter('Action', 'customer\u0000') }, 'invalidFilter', 'filter.Value'],
          [{ filter: filter('CustomerName', '\u0000', 'substring') }, 'invalidFilter', 'filter.Value'],
        ] as const) {
          const res = await get(query);
          expect(res.statusCode, `${url} ${JSON.stringify(query)}`).toBe(400);
          expect(res.json()).toMatchObject({
            name,
            details: [{ field, reason: expect.stringContaining('NUL') }],
          });
        }
      }
    });
  });

  describe('paging', () => {
    it('pages newest first and stays stable while records are inserted', async () => {
      const p = await freshPartner();
      // Several records share one instant, so the id must break ties.
      const same = daysAgo(2);
      const specs: RecordSpec[] = Array.from({ length: 23 }, (_, i) => ({
        occurredAt: i % 3 === 0 ? same : new Date(daysAgo(3).getTime() + i * 1000),
        action: `test.n${i}`,
      }));
      await addRecords(t.store, p.partner.id, specs);
      const all = await listOk({ size: 1000 }, p.admin.token);
      expect(all.items).toHaveLength(23);
      expect(all.links.next).toBeUndefined();

      const seen: string[] = [];
      let page = await listOk({ size: 5 }, p.admin.token);
      expect(page.totalCount).toBe(23);
      seen.push(...page.items.map((i) => i.id));
      let round = 0;
      while (page.links.next) {
        // Concurrent activity: new records (now) and one through the app's own record() path.
        await addRecords(t.store, p.partner.id, [{ action: `concurrent.${round}` }]);
        await inPartnerTransaction(t.store.app, p.partner.id, (trx) =>
          recordAs(
            trx,
            p.partner.id,
            { kind: 'system', name: 'job' },
            { action: `system.${round}`, resourceType: 'Job' },
          ),
        );
        round++;
        // Alternate between the query parameter and the header form of the token.
        const next = page.links.next;
        const res =
          round % 2
            ? await t.app.inject({ method: 'GET', url: next.uri, headers: bearer(p.admin.token) })
            : await t.app.inject({
                method: 'GET',
                url: '/v1/auditrecords?size=5',
                headers: { ...bearer(p.admin.token), 'ms-continuationtoken': next.headers[0]!.value },
              });
        expect(res.statusCode, res.body).toBe(200);
        page = res.json<AuditPage>();
        seen.push(...page.items.map((i) => i.id));
      }
      expect(round).toBe(4);
      expect(seen).toEqual(all.items.map((i) => i.id));
      expect(new Set(seen).size).toBe(23);
    });

    it('pages oldest first with order=asc, both ways stable while records are inserted, tokens bound to the order', async () => {
      const p = await freshPartner();
      const same = daysAgo(2);
      await addRecords(
        t.store,
        p.partner.id,
        Array.from({ length: 17 }, (_, i) => ({
          occurredAt: i % 4 === 0 ? same : new Date(daysAgo(3).getTime() + i * 1000),
          action: `test.n${i}`,
        })),
      );
      const newestFirst = (await listOk({ size: 1000 }, p.admin.token)).items.map((i) => i.id);
      expect((await listOk({ size: 1000, order: 'desc' }, p.admin.token)).items.map((i) => i.id)).toEqual(
        newestFirst,
      );
      const oldestFirst = (await listOk({ size: 1000, order: 'asc' }, p.admin.token)).items.map((i) => i.id);
      expect(oldestFirst).toEqual([...newestFirst].reverse());

      for (const order of ['asc', 'desc'] as const) {
        const seen: string[] = [];
        let page = await listOk({ size: 4, order }, p.admin.token);
        let pages = 1;
        seen.push(...page.items.map((i) => i.id));
        while (page.links.next) {
          // Records written meanwhile (now): newer than every page of the range read so far.
          await addRecords(t.store, p.partner.id, [{ action: `concurrent.${order}.${pages}` }]);
          const res = await t.app.inject({
            method: 'GET',
            url: page.links.next.uri,
            headers: bearer(p.admin.token),
          });
          expect(res.statusCode, res.body).toBe(200);
          page = res.json<AuditPage>();
          seen.push(...page.items.map((i) => i.id));
          if (++pages > 20) throw new Error('paging does not end');
        }
        expect(new Set(seen).size, order).toBe(seen.length); // no repeats
        const expected = order === 'asc' ? oldestFirst : newestFirst;
        // Every record there was, in order; oldest first, the ones written meanwhile come after them.
        expect(
          seen.filter((id) => expected.includes(id)),
          order,
        ).toEqual(expected);
        if (order === 'asc') expect(seen.slice(0, expected.length)).toEqual(expected);
      }

      // A token of one order is refused by the other (and by the default, which is desc).
      const asc = await listOk({ size: 4, order: 'asc' }, p.admin.token);
      const desc = await listOk({ size: 4, order: 'desc' }, p.admin.token);
      for (const [token, query] of [
        [asc.links.next!.headers[0]!.value, { order: 'desc' }],
        [asc.links.next!.headers[0]!.value, {}],
        [desc.links.next!.headers[0]!.value, { order: 'asc' }],
      ] as const) {
        const r = await list({ size: 4, ...query, continuationToken: token }, p.admin.token);
        expect(r.statusCode, JSON.stringify(query)).toBe(400);
        expect(r.json()).toMatchObject({ code: 100005, name: 'invalidContinuationToken' });
      }
      const bad = await list({ order: 'up' }, p.admin.token);
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({
        name: 'validationFailed',
        details: [{ field: 'querystring.order' }],
      });
    });

    it('pages a client that spells the parameters in PascalCase through links.next', async () => {
      const p = await freshPartner();
      const made = await addRecords(t.store, p.partner.id, [
        { action: 'a.1' },
        { action: 'a.2' },
        { action: 'a.3' },
        { action: 'a.4' },
      ]);
      const first = await listOk({ Size: 1 }, p.admin.token);
      const token = first.links.next!.headers[0]!.value;
      // The client goes on with its own spelling, then follows the links it is given.
      let res = await list({ Size: 1, ContinuationToken: token }, p.admin.token);
      const seen = [...first.items.map((i) => i.id)];
      while (res.statusCode === 200 && seen.length < 10) {
        const page = res.json<AuditPage>();
        seen.push(...page.items.map((i) => i.id));
        expect(page.links.self.uri).not.toMatch(/continuationtoken/i);
        if (!page.links.next) break;
        expect(page.links.next.uri.match(/continuationtoken=/gi)).toHaveLength(1);
        res = await t.app.inject({ method: 'GET', url: page.links.next.uri, headers: bearer(p.admin.token) });
      }
      expect(res.statusCode, res.body).toBe(200);
      expect([...seen].sort()).toEqual([...made].sort());
    });

    it('refuses a continuation token used with other filters or tampered with', async () => {
      const p = await freshPartner();
      await addRecords(t.store, p.partner.id, [{ action: 'a.b' }, { action: 'a.c' }, { action: 'a.d' }]);
      const first = await listOk({ size: 1, action: 'a' }, p.admin.token);
      const token = first.links.next!.headers[0]!.value;
      const other = await list({ size: 1, action: 'b', continuationToken: token }, p.admin.token);
      expect(other.statusCode).toBe(400);
      expect(other.json().name).toBe('invalidContinuationToken');
      const tampered = await list({ size: 1, action: 'a', continuationToken: `${token}x` }, p.admin.token);
      expect(tampered.statusCode).toBe(400);
      const elsewhere = await list({ size: 1, action: 'a', continuationToken: token }, other_admin());
      expect(elsewhere.statusCode).toBe(400);
    });

    it('pages a range that ends with the last day there is (9999-12-31)', async () => {
      const p = await freshPartner();
      const made = await addRecords(t.store, p.partner.id, [
        { occurredAt: new Date('9999-06-01T00:00:00Z') },
        { occurredAt: new Date('9999-06-02T00:00:00Z') },
        { occurredAt: new Date('9999-12-31T23:59:59Z') },
      ]);
      const seen: string[] = [];
      let page = await listOk({ startDate: '9999-01-01', endDate: '9999-12-31', size: 1 }, p.admin.token);
      seen.push(...page.items.map((i) => i.id));
      while (page.links.next) {
        const res = await t.app.inject({
          method: 'GET',
          url: page.links.next.uri,
          headers: bearer(p.admin.token),
        });
        expect(res.statusCode, res.body).toBe(200);
        page = res.json<AuditPage>();
        seen.push(...page.items.map((i) => i.id));
      }
      expect(seen).toEqual([...made].reverse());
    });

    it('refuses a hand-made token naming an impossible instant with 400, not a 500', async () => {
      const p = await freshPartner();
      await addRecords(t.store, p.partner.id, [{ action: 'a.b' }, { action: 'a.c' }]);
      const first = await listOk({ size: 1 }, p.admin.token);
      // The fingerprint is no secret: anyone can keep it and change the key beside it.
      const real = JSON.parse(Buffer.from(first.links.next!.headers[0]!.value, 'base64url').toString()) as {
        k: [string, string, string, string | null];
        f: string;
      };
      const [at, id, from, to] = real.k;
      const crafted = (k: unknown[]) => Buffer.from(JSON.stringify({ ...real, k })).toString('base64url');
      expect((await list({ size: 1, continuationToken: crafted(real.k) }, p.admin.token)).statusCode).toBe(
        200,
      );
      for (const k of [
        ['2026-13-45T99:99:99.000000Z', id, from, to],
        ['0000-01-01T00:00:00.000000Z', id, from, to],
        [at, id, '-271821-04-20T00:00:00.000Z', to],
        [at, id, '0000-06-01T00:00:00.000Z', to],
        [at, id, from, '2026-02-30T00:00:00.000Z'],
        [at, id, 'yesterday', to],
      ]) {
        const r = await list({ size: 1, continuationToken: crafted(k) }, p.admin.token);
        expect(r.statusCode, JSON.stringify(k)).toBe(400);
        expect(r.json().name).toBe('invalidContinuationToken');
      }
    });
  });

  function other_admin() {
    return other.admin.token;
  }

  describe('CSV export', () => {
    async function exportCsv(query: Record<string, string>, token = admin.token) {
      const qs = new URLSearchParams(query).toString();
      return t.app.inject({
        method: 'GET',
        url: `/v1/auditrecords/export.csv${qs ? `?${qs}` : ''}`,
        headers: bearer(token),
      });
    }

    it('has exactly the documented columns, neutralises formulas, and names the file after the range', async () => {
      const p = await freshPartner();
      const evil = { id: randomUUID(), name: '=HYPERLINK("http://evil.example","click")' };
      await addRecords(t.store, p.partner.id, [
        {
          occurredAt: new Date('2026-06-02T10:00:00Z'),
          action: 'customer.create',
          customer: evil,
          actorName: '+sum@x.example',
        },
        {
          occurredAt: new Date('2026-06-03T10:00:00Z'),
          action: 'customer.update',
          customer: { id: randomUUID(), name: 'Contoso, Ltd' },
          status: 'failed',
          actorName: 'alice@reseller.example',
          details: { before: { name: 'Contoso' }, after: { name: 'Contoso, Ltd' } },
        },
        { occurredAt: new Date('2026-06-04T10:00:00Z'), action: '@import', actorName: '-minus' },
      ]);
      const res = await exportCsv({ startDate: '2026-06-01', endDate: '2026-06-30' }, p.admin.token);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      expect(res.headers['content-disposition']).toBe(
        'attachment; filename="activity-log-2026-06-01-2026-06-30.csv"',
      );
      const lines = res.body.split('\r\n');
      expect(lines[0]).toBe('Affected customer,Action,Partner user,Status,Additional information');
      expect(lines.slice(1)).toEqual([
        `,'@import,'-minus,succeeded,`,
        '"Contoso, Ltd",customer.update,alice@reseller.example,failed,"{""after"":{""name"":""Contoso, Ltd""},""before"":{""name"":""Contoso""}}"',
        `"'=HYPERLINK(""http://evil.example"",""click"")",customer.create,'+sum@x.example,succeeded,`,
        '',
      ]);
    });

    it('applies the same filters and validation as the list', async () => {
      const p = await freshPartner();
      await addRecords(t.store, p.partner.id, [
        { action: 'customer.create', status: 'failed' },
        { action: 'customer.update' },
      ]);
      const failed = await exportCsv({ status: 'failed' }, p.admin.token);
      expect(failed.body.trim().split('\r\n')).toHaveLength(2);
      const byFilter = await exportCsv(
        { filter: '{"Field":"Action","Value":"customer.update","Operator":"equals"}' },
        p.admin.token,
      );
      expect(byFilter.body.trim().split('\r\n').slice(1)).toEqual([
        ',customer.update,someone@partner.example,succeeded,',
      ]);
      const bad = await exportCsv({ filter: '{' }, p.admin.token);
      expect(bad.statusCode).toBe(400);
      expect(bad.json().name).toBe('invalidFilter');
      const reversed = await exportCsv({ startDate: '2026-05-02', endDate: '2026-05-01' }, p.admin.token);
      expect(reversed.statusCode).toBe(400);
      expect(reversed.headers['content-type']).toMatch(/json/);
    });

    it('streams more records than one batch, each once, newest first or oldest first', async () => {
      const p = await freshPartner();
      const base = daysAgo(10).getTime();
      await addRecords(
        t.store,
        p.partner.id,
        Array.from({ length: 2500 }, (_, i) => ({
          // pairs share an instant, so batches must break ties by id
          occurredAt: new Date(base + Math.floor(i / 2) * 1000),
          action: `bulk.n${String(i).padStart(4, '0')}`,
        })),
      );
      const res = await exportCsv({}, p.admin.token);
      expect(res.statusCode).toBe(200);
      const rows = res.body.trim().split('\r\n').slice(1);
      expect(rows).toHaveLength(2500);
      const actions = rows.map((r) => r.split(',')[1]);
      expect(new Set(actions).size).toBe(2500);
      const instants = actions.map((a) => Math.floor(Number(a!.slice('bulk.n'.length)) / 2));
      expect(instants).toEqual([...instants].sort((a, b) => b - a));

      // Oldest first: the same rows exactly reversed, across the same batch boundaries.
      const asc = await exportCsv({ order: 'asc' }, p.admin.token);
      expect(asc.statusCode).toBe(200);
      expect(asc.body.trim().split('\r\n').slice(1)).toEqual([...rows].reverse());
      const bad = await exportCsv({ order: 'sideways' }, p.admin.token);
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({
        name: 'validationFailed',
        details: [{ field: 'querystring.order' }],
      });
    });
  });

  describe('isolation and roles', () => {
    it("never shows another partner's records, in the list or the export", async () => {
      const shared = { id: randomUUID(), name: 'Shared Customer' };
      await addRecords(t.store, other.partner.id, [
        { action: 'secret.thing', customer: shared, actorName: 'spy@b.example' },
      ]);
      const mine = await addRecords(t.store, partner.id, [{ action: 'mine.thing', customer: shared }]);
      const page = await listOk({ customerId: shared.id });
      expect(page.items.map((i) => i.id)).toEqual(mine);
      const all = await listOk({ size: 1000 });
      expect(all.items.some((i) => i.action === 'secret.thing')).toBe(false);
      const q = await listOk({ q: 'spy' });
      expect(q.items).toEqual([]);
      const csv = await t.app.inject({
        method: 'GET',
        url: `/v1/auditrecords/export.csv?customerId=${shared.id}`,
        headers: bearer(admin.token),
      });
      expect(csv.body).toContain('mine.thing');
      expect(csv.body).not.toContain('secret.thing');
      // And the other partner sees only its own.
      const theirs = await listOk({ customerId: shared.id }, other.admin.token);
      expect(theirs.items.map((i) => i.action)).toEqual(['secret.thing']);
    });

    it('is open to Global admins, Admin agents and Billing admins only', async () => {
      const users = {
        adminAgent: await createUser(t.store, partner.id, { roles: ['adminAgent'] }),
        billingAdmin: await createUser(t.store, partner.id, { roles: ['billingAdmin'] }),
        salesAgent: await createUser(t.store, partner.id, { roles: ['salesAgent'] }),
        helpdeskAgent: await createUser(t.store, partner.id, { roles: ['helpdeskAgent'] }),
        userManagementAdmin: await createUser(t.store, partner.id, { roles: ['userManagementAdmin'] }),
      };
      for (const [role, user] of Object.entries(users)) {
        const allowed = ['adminAgent', 'billingAdmin'].includes(role);
        const res = await list({}, user.token);
        expect(res.statusCode, role).toBe(allowed ? 200 : 403);
        if (!allowed) expect(res.json().name).toBe('forbidden');
        const csv = await t.app.inject({
          method: 'GET',
          url: '/v1/auditrecords/export.csv',
          headers: bearer(user.token),
        });
        expect(csv.statusCode, role).toBe(allowed ? 200 : 403);
      }
      const anonymous = await t.app.inject({ method: 'GET', url: '/v1/auditrecords' });
      expect(anonymous.statusCode).toBe(401);
    });
  });
});
