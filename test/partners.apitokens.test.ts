// API tokens: shown once, stored hashed, scoped to a subset of the creator's roles, revocable by their owner
// and by user managers, isolated between partners, and recorded in the activity log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from './helpers/app.ts';
import { createTestApp } from './helpers/app.ts';
import { bearer, createPartnerWithAdmin, createUser } from './helpers/factories.ts';

describe('API tokens', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const req = (token: string, method: 'GET' | 'POST' | 'DELETE' | 'PATCH', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) });

  const createToken = (token: string, body: object) => req(token, 'POST', '/v1/profiles/apitokens', body);

  it('answers the secret once, lists tokens without it, records use, and stops working when revoked', async () => {
    const { partner, admin } = await createPartnerWithAdmin(t.store);
    const before = Date.now();
    const r = await createToken(admin.token, {
      name: ' CI pipeline ',
      roles: ['globalAdmin'],
      expiresInDays: 30,
    });
    expect(r.statusCode).toBe(201);
    const created = r.json();
    expect(created).toMatchObject({
      name: 'CI pipeline',
      roles: ['globalAdmin'],
      token: expect.stringMatching(/^pdk_[A-Za-z0-9_-]{43}$/),
      lastUsedAt: null,
      revokedAt: null,
      owner: { id: admin.id, userName: admin.userName },
      attributes: { objectType: 'ApiToken' },
    });
    expect(created.prefix).toBe(created.token.slice(4, 12));
    const expiresIn = Date.parse(created.expiresAt) - Date.parse(created.createdAt);
    expect(expiresIn).toBe(30 * 86_400_000);
    expect(Date.parse(created.createdAt)).toBeGreaterThanOrEqual(before - 1000);

    const stored = await t.store.owner
      .selectFrom('api_tokens')
      .selectAll()
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(stored)).not.toContain(created.token);

    const me = await req(created.token, 'GET', '/v1/profiles/me');
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ id: admin.id, credentialKind: 'apiToken', roles: ['globalAdmin'] });

    const list = await req(admin.token, 'GET', '/v1/profiles/apitokens');
    expect(list.statusCode).toBe(200);
    expect(list.json().totalCount).toBe(1);
    const [listed] = list.json().items;
    expect(listed).not.toHaveProperty('token');
    expect(list.body).not.toContain(created.token);
    expect(listed.lastUsedAt).not.toBeNull();

    const revoke = await req(admin.token, 'DELETE', `/v1/profiles/apitokens/${created.id}`);
    expect(revoke.statusCode).toBe(204);
    expect((await req(created.token, 'GET', '/v1/profiles/me')).statusCode).toBe(401);
    expect((await req(admin.token, 'DELETE', `/v1/profiles/apitokens/${created.id}`)).statusCode).toBe(204);
    const after = await req(admin.token, 'GET', '/v1/profiles/apitokens');
    expect(after.json().items[0].revokedAt).not.toBeNull();

    const log = await t.store.owner
      .selectFrom('activity_records')
      .selectAll()
      .where('partner_id', '=', partner.id)
      .where('resource_type', '=', 'ApiToken')
      .orderBy('occurred_at')
      .execute();
    // Revoking twice is one change.
    expect(log.map((l) => l.action)).toEqual(['apiToken.create', 'apiToken.revoke']);
    expect(log[0]).toMatchObject({
      resource_id: created.id,
      actor_id: admin.id,
      details: { name: 'CI pipeline', roles: ['globalAdmin'] },
    });
    expect(JSON.stringify(log)).not.toContain(created.token);
  });

  it('carries only roles its creator holds, and acts only with them', async () => {
    const { partner } = await createPartnerWithAdmin(t.store);
    const user = await createUser(t.store, partner.id, { roles: ['salesAgent', 'userManagementAdmin'] });
    const refused = await createToken(user.token, { name: 'too much', roles: ['salesAgent', 'globalAdmin'] });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({
      code: 100110,
      name: 'tokenRolesNotHeld',
      data: [{ rolesNotHeld: ['globalAdmin'] }],
      details: [{ field: 'roles' }],
    });

    const sales = (await createToken(user.token, { name: 'sales only', roles: ['salesAgent'] })).json();
    expect(sales.expiresAt).toBeNull();
    // The user may manage partner users; the token may not.
    expect((await req(user.token, 'GET', '/v1/partnerusers')).statusCode).toBe(200);
    const denied = await req(sales.token, 'GET', '/v1/partnerusers');
    expect(denied.statusCode).toBe(403);
    expect(denied.json().name).toBe('forbidden');
    expect((await req(sales.token, 'GET', '/v1/profiles/me')).json().roles).toEqual(['salesAgent']);
    // A token creating a token is bound by its own roles.
    const escalate = await createToken(sales.token, { name: 'escalate', roles: ['userManagementAdmin'] });
    expect(escalate.json().name).toBe('tokenRolesNotHeld');

    // A role taken from the user is taken from the token too.
    const uma = (await createToken(user.token, { name: 'uma', roles: ['userManagementAdmin'] })).json();
    expect((await req(uma.token, 'GET', '/v1/partnerusers')).statusCode).toBe(200);
    await t.store.owner
      .updateTable('partner_users')
      .set({ roles: ['salesAgent'] })
      .where('id', '=', user.id)
      .execute();
    expect((await req(uma.token, 'GET', '/v1/partnerusers')).statusCode).toBe(403);
  });

  it('checks name, roles and expiry', async () => {
    const { admin } = await createPartnerWithAdmin(t.store);
    for (const body of [
      { name: '', roles: ['globalAdmin'] },
      { name: 'x', roles: [] },
      { name: 'x', roles: ['root'] },
      { name: 'x', roles: ['globalAdmin'], expiresInDays: 0 },
      { name: 'x', roles: ['globalAdmin'], expiresInDays: 731 },
      { name: 'x', roles: ['globalAdmin'], expiresInDays: 1.5 },
    ]) {
      const r = await createToken(admin.token, body);
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
      expect(r.json().name).toBe('validationFailed');
    }
    expect(
      (await createToken(admin.token, { name: 'x', roles: ['globalAdmin'], expiresInDays: 730 })).statusCode,
    ).toBe(201);
  });

  it('stops an expired token', async () => {
    const { admin } = await createPartnerWithAdmin(t.store);
    const created = (
      await createToken(admin.token, { name: 'short', roles: ['globalAdmin'], expiresInDays: 1 })
    ).json();
    await t.store.owner
      .updateTable('api_tokens')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', created.id)
      .execute();
    expect((await req(created.token, 'GET', '/v1/profiles/me')).statusCode).toBe(401);
  });

  it('lets a token made with a token live no longer than the token that made it', async () => {
    const { admin } = await createPartnerWithAdmin(t.store);
    const parent = (
      await createToken(admin.token, { name: 'parent', roles: ['globalAdmin'], expiresInDays: 1 })
    ).json();
    const forever = await createToken(parent.token, { name: 'forever', roles: ['globalAdmin'] });
    expect(forever.statusCode).toBe(201);
    expect(forever.json().expiresAt).toBe(parent.expiresAt);
    const longer = await createToken(parent.token, {
      name: 'longer',
      roles: ['globalAdmin'],
      expiresInDays: 30,
    });
    expect(longer.json().expiresAt).toBe(parent.expiresAt);

    // A shorter life than the parent's is kept; tokens made at sign-in are not bound by the session's hour.
    const parent2 = (
      await createToken(admin.token, { name: 'parent2', roles: ['globalAdmin'], expiresInDays: 10 })
    ).json();
    const shorter = (
      await createToken(parent2.token, { name: 'shorter', roles: ['globalAdmin'], expiresInDays: 2 })
    ).json();
    expect(Date.parse(shorter.expiresAt) - Date.parse(shorter.createdAt)).toBe(2 * 86_400_000);
    const fromSession = (await createToken(admin.token, { name: 'session', roles: ['globalAdmin'] })).json();
    expect(fromSession.expiresAt).toBeNull();
  });

  it('cannot be created during a forced password change', async () => {
    const { partner } = await createPartnerWithAdmin(t.store);
    const user = await createUser(t.store, partner.id, { roles: ['salesAgent'], mustChangePassword: true });
    const r = await createToken(user.token, { name: 'x', roles: ['salesAgent'] });
    expect(r.statusCode).toBe(403);
    expect(r.json().name).toBe('passwordChangeRequired');
  });

  it('lets a user revoke only their own tokens through the profile', async () => {
    const { partner, admin } = await createPartnerWithAdmin(t.store);
    const colleague = await createUser(t.store, partner.id, { roles: ['salesAgent'] });
    const theirs = (await createToken(colleague.token, { name: 'theirs', roles: ['salesAgent'] })).json();
    const r = await req(admin.token, 'DELETE', `/v1/profiles/apitokens/${theirs.id}`);
    expect(r.statusCode).toBe(404);
    expect(r.json()).toMatchObject({ code: 100406, name: 'apiTokenNotFound' });
    expect((await req(theirs.token, 'GET', '/v1/profiles/me')).statusCode).toBe(200);
    expect((await req(admin.token, 'GET', '/v1/profiles/apitokens')).json().totalCount).toBe(0);
  });

  it("lets user managers see and revoke the organisation's tokens", async () => {
    const { partner, admin } = await createPartnerWithAdmin(t.store);
    const uma = await createUser(t.store, partner.id, { roles: ['userManagementAdmin'] });
    const agent = await createUser(t.store, partner.id, { roles: ['salesAgent'] });
    const a = (await createToken(agent.token, { name: 'agent script', roles: ['salesAgent'] })).json();
    const b = (await createToken(admin.token, { name: 'admin script', roles: ['globalAdmin'] })).json();

    const all = await req(uma.token, 'GET', '/v1/apitokens');
    expect(all.statusCode).toBe(200);
    expect(all.json().totalCount).toBe(2);
    expect(all.json().items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: a.id, owner: { id: agent.id, userName: agent.userName } }),
        expect.objectContaining({ id: b.id, owner: { id: admin.id, userName: admin.userName } }),
      ]),
    );
    expect(all.body).not.toContain(a.token);

    expect((await req(agent.token, 'GET', '/v1/apitokens')).statusCode).toBe(403);
    expect((await req(agent.token, 'DELETE', `/v1/apitokens/${b.id}`)).statusCode).toBe(403);

    expect((await req(uma.token, 'DELETE', `/v1/apitokens/${a.id}`)).statusCode).toBe(204);
    expect((await req(a.token, 'GET', '/v1/profiles/me')).statusCode).toBe(401);
    const [rec] = await t.store.owner
      .selectFrom('activity_records')
      .selectAll()
      .where('action', '=', 'apiToken.revoke')
      .where('resource_id', '=', a.id)
      .execute();
    expect(rec).toMatchObject({
      actor_id: uma.id,
      partner_id: partner.id,
      details: { owner: agent.userName },
    });
  });

  it("answers 404 for another partner's tokens on every route", async () => {
    const a = await createPartnerWithAdmin(t.store);
    const b = await createPartnerWithAdmin(t.store);
    const theirs = (await createToken(b.admin.token, { name: 'b', roles: ['globalAdmin'] })).json();
    for (const url of [`/v1/profiles/apitokens/${theirs.id}`, `/v1/apitokens/${theirs.id}`]) {
      const r = await req(a.admin.token, 'DELETE', url);
      expect(r.statusCode).toBe(404);
      expect(r.json().name).toBe('apiTokenNotFound');
    }
    expect((await req(a.admin.token, 'GET', '/v1/apitokens')).json().items).toEqual([]);
    expect((await req(theirs.token, 'GET', '/v1/profiles/me')).statusCode).toBe(200);
    expect((await req(a.admin.token, 'DELETE', '/v1/apitokens/nope')).statusCode).toBe(400);
  });

  it('pages the token list', async () => {
    const { admin } = await createPartnerWithAdmin(t.store);
    const ids = [];
    for (let i = 0; i < 5; i++)
      ids.push((await createToken(admin.token, { name: `t${i}`, roles: ['globalAdmin'] })).json().id);
    const first = (await req(admin.token, 'GET', '/v1/profiles/apitokens?size=3')).json();
    expect(first.totalCount).toBe(5);
    const second = (await req(admin.token, 'GET', first.links.next.uri)).json();
    expect([...first.items, ...second.items].map((x: { id: string }) => x.id).sort()).toEqual(ids.sort());
    expect(second.links.next).toBeUndefined();
    const foreign = await req(
      admin.token,
      'GET',
      `/v1/apitokens?continuationToken=${first.links.next.headers[0].value}`,
    );
    expect(foreign.json().name).toBe('invalidContinuationToken');
    // A hand-made key beside the real fingerprint: an impossible instant is refused, not sent to PostgreSQL.
    const real = JSON.parse(Buffer.from(first.links.next.headers[0].value, 'base64url').toString());
    const crafted = Buffer.from(
      JSON.stringify({ ...real, k: ['0000-01-01T00:00:00.000000Z', real.k[1]] }),
    ).toString('base64url');
    const impossible = await req(admin.token, 'GET', `/v1/profiles/apitokens?continuationToken=${crafted}`);
    expect(impossible.statusCode).toBe(400);
    expect(impossible.json().name).toBe('invalidContinuationToken');
  });

  describe('sorting', () => {
    interface Listed {
      id: string;
      name: string;
      createdAt: string;
      lastUsedAt: string | null;
      expiresAt: string | null;
    }
    const bytes = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));
    // Never used counts as used before anything else; no expiry as expiring after anything else.
    const time = (v: string | null, nullAs: number) => (v === null ? nullAs : Date.parse(v));
    const compare: Record<string, (a: Listed, b: Listed) => number> = {
      name: (a, b) => bytes(a.name, b.name),
      lastUsedAt: (a, b) => time(a.lastUsedAt, -Infinity) - time(b.lastUsedAt, -Infinity),
      expiresAt: (a, b) => time(a.expiresAt, Infinity) - time(b.expiresAt, Infinity),
    };

    /** Every page of `url` (size 3), asserting it took more than one page. */
    async function readAll(token: string, url: string): Promise<Listed[]> {
      const seen: Listed[] = [];
      let next: string | undefined = url;
      let pages = 0;
      while (next) {
        const page = await req(token, 'GET', next);
        expect(page.statusCode, `${next}: ${page.body}`).toBe(200);
        seen.push(...page.json().items);
        next = page.json().links.next?.uri;
        if (++pages > 30) throw new Error('paging does not end');
      }
      expect(pages, url).toBeGreaterThan(1);
      return seen;
    }

    /** Tokens with repeated and mixed-case names, shared and missing last-use times and expiries. */
    async function seedTokens() {
      const { partner, admin } = await createPartnerWithAdmin(t.store);
      const colleague = await createUser(t.store, partner.id, { roles: ['salesAgent'] });
      const names = ['beta', 'Alpha', 'beta', 'Émile', 'alpha', 'Zed', 'beta', 'gamma', 'Alpha', 'delta'];
      const used = [
        '2026-03-01T10:00:00.000Z',
        null,
        '2026-01-15T08:30:00.000Z',
        null,
        '2026-03-01T10:00:00.000Z',
        null,
        '2026-01-15T08:30:00.000Z',
        null,
        null,
        null,
      ];
      const days = [30, undefined, 5, 30, undefined, 400, 5, undefined, 90, undefined];
      const ids: string[] = [];
      for (const [i, name] of names.entries()) {
        const owner = i % 3 === 2 ? colleague.token : admin.token;
        const r = await createToken(owner, {
          name,
          roles: [i % 3 === 2 ? 'salesAgent' : 'globalAdmin'],
          ...(days[i] ? { expiresInDays: days[i] } : {}),
        });
        expect(r.statusCode).toBe(201);
        ids.push(r.json().id);
      }
      for (const [i, at] of used.entries())
        await t.store.owner
          .updateTable('api_tokens')
          .set({ last_used_at: at ? new Date(at) : null })
          .where('id', '=', ids[i]!)
          .execute();
      return { partner, admin, colleague };
    }

    it('sorts by name, creation, last use or expiry, either way, across pages, with nulls in a fixed place', async () => {
      const { partner, admin } = await seedTokens();
      for (const [url, ownOnly] of [
        ['/v1/apitokens', false],
        ['/v1/profiles/apitokens', true],
      ] as const) {
        const all = (await req(admin.token, 'GET', `${url}?size=1000`)).json().items as Listed[];
        expect(all.length).toBe(ownOnly ? 7 : 10);
        for (const order of ['asc', 'desc'] as const) {
          for (const sort of ['name', 'lastUsedAt', 'expiresAt'] as const) {
            const expected = [...all].sort((a, b) => compare[sort]!(a, b) || bytes(a.id, b.id));
            if (order === 'desc') expected.reverse();
            const seen = await readAll(admin.token, `${url}?size=3&sort=${sort}&order=${order}`);
            expect(
              seen.map((x) => x.id),
              `${url} ${sort} ${order}`,
            ).toEqual(expected.map((x) => x.id));
          }
          // Creation time at microsecond precision, ids breaking ties: the database's order is the reference.
          let byCreated = t.store.owner
            .selectFrom('api_tokens')
            .select('id')
            .where('partner_id', '=', partner.id)
            .orderBy('created_at', order)
            .orderBy('id', order);
          if (ownOnly) byCreated = byCreated.where('user_id', '=', admin.id);
          const seen = await readAll(admin.token, `${url}?size=3&sort=createdAt&order=${order}`);
          expect(seen.map((x) => x.id)).toEqual((await byCreated.execute()).map((r) => r.id));
        }
        // Never-used tokens come first in ascending last-use order, tokens without expiry last by expiry.
        const byUse = await readAll(admin.token, `${url}?size=3&sort=lastUsedAt`);
        const firstUsed = byUse.findIndex((x) => x.lastUsedAt !== null);
        expect(firstUsed).toBeGreaterThan(3); // the page boundary at 3 falls among never-used tokens
        expect(byUse.slice(firstUsed).every((x) => x.lastUsedAt !== null)).toBe(true);
        const byExpiry = await readAll(admin.token, `${url}?size=3&sort=expiresAt&order=asc`);
        expect(byExpiry.at(-1)!.expiresAt).toBeNull();
        expect(byExpiry[0]!.expiresAt).not.toBeNull();
        // The default is creation, ascending.
        expect((await readAll(admin.token, `${url}?size=3`)).map((x) => x.id)).toEqual(
          (await readAll(admin.token, `${url}?size=3&sort=createdAt&order=asc`)).map((x) => x.id),
        );
      }
    });

    it('binds a continuation token to its list and sort, and refuses unknown sorts and crafted keys', async () => {
      const { admin } = await seedTokens();
      const first = (await req(admin.token, 'GET', '/v1/apitokens?size=3&sort=lastUsedAt')).json();
      const token = first.links.next.headers[0].value as string;
      // The first page of ascending last use is all never-used tokens: the key carries a null.
      const real = JSON.parse(Buffer.from(token, 'base64url').toString()) as { k: unknown[]; f: string };
      expect(real.k[0]).toBeNull();
      expect(
        (await req(admin.token, 'GET', `/v1/apitokens?size=3&sort=lastUsedAt&continuationToken=${token}`))
          .statusCode,
      ).toBe(200);
      for (const url of [
        '/v1/apitokens?sort=name',
        '/v1/apitokens?sort=createdAt',
        '/v1/apitokens?sort=expiresAt',
        '/v1/apitokens?',
        '/v1/apitokens?sort=lastUsedAt&order=desc',
        '/v1/profiles/apitokens?sort=lastUsedAt',
      ]) {
        const r = await req(admin.token, 'GET', `${url}&size=3&continuationToken=${token}`);
        expect(r.statusCode, url).toBe(400);
        expect(r.json()).toMatchObject({ code: 100005, name: 'invalidContinuationToken' });
      }

      // Keys a real fingerprint can be paired with by hand: null only where the column may be null, names as
      // stored, instants PostgreSQL can compare.
      const byName = (await req(admin.token, 'GET', '/v1/apitokens?size=3&sort=name')).json();
      const byCreated = (await req(admin.token, 'GET', '/v1/apitokens?size=3&sort=createdAt')).json();
      const craft = (page: { links: { next: { headers: { value: string }[] } } }, k: unknown[]) => {
        const parsed = JSON.parse(Buffer.from(page.links.next.headers[0]!.value, 'base64url').toString());
        return Buffer.from(JSON.stringify({ ...parsed, k })).toString('base64url');
      };
      const id = real.k[1];
      for (const [query, page, k] of [
        ['sort=createdAt', byCreated, [null, id]],
        ['sort=createdAt', byCreated, ['2026-02-30T00:00:00.000000Z', id]],
        ['sort=name', byName, ['x'.repeat(101), id]],
        ['sort=name', byName, [7, id]],
        ['sort=name', byName, ['beta', 'not-a-guid']],
        ['sort=lastUsedAt', first, ['0000-01-01T00:00:00.000000Z', id]],
      ] as const) {
        const r = await req(
          admin.token,
          'GET',
          `/v1/apitokens?size=3&${query}&continuationToken=${craft(page, [...k])}`,
        );
        expect(r.statusCode, JSON.stringify(k)).toBe(400);
        expect(r.json().name).toBe('invalidContinuationToken');
      }
      expect(
        (
          await req(
            admin.token,
            'GET',
            `/v1/apitokens?size=3&sort=name&continuationToken=${craft(byName, ['beta', id])}`,
          )
        ).statusCode,
      ).toBe(200);

      for (const [query, field] of [
        ['sort=roles', 'querystring.sort'],
        ['order=up', 'querystring.order'],
      ] as const)
        for (const url of ['/v1/apitokens', '/v1/profiles/apitokens']) {
          const r = await req(admin.token, 'GET', `${url}?${query}`);
          expect(r.statusCode).toBe(400);
          expect(r.json()).toMatchObject({ name: 'validationFailed', details: [{ field }] });
        }
    });
  });
});
