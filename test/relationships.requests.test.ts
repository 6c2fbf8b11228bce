// The partner's invitation link: one stable link per choice of DAP, answered again until it expires or is
// revoked, then a new one; the email text; the cloud instances that refuse it; the partner's invitations with
// their state and acceptances; revoking; and what the public invitation page reveals (404 / 410 otherwise).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSecret } from '../src/lib/tokens.ts';
import { invitationLinkKey } from '../src/modules/relationships/relationships.service.ts';
import type { TestApp } from './helpers/app.ts';
import { createTestApp, testClock } from './helpers/app.ts';
import { bearer, createPartnerWithAdmin, createUser } from './helpers/factories.ts';
import { AGREEMENT, customerWithAdmin, requestLink } from './helpers/relationships.ts';

const DAY = 86_400_000;

describe('invitation links', () => {
  // Starts at the real time: customer sessions are checked against the database clock.
  const clock = testClock(new Date());
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ clock, env: { PUBLIC_URL: 'https://desk.example.com' } });
  });
  afterAll(() => t.close());

  const get = (token: string, url: string) => t.app.inject({ method: 'GET', url, headers: bearer(token) });
  const preview = (token: string) => t.app.inject({ method: 'GET', url: `/v1/invitations/${token}` });

  it('answers the partner’s personal link with a ready-to-send email, the same link until it expires', async () => {
    const { partner, admin } = await createPartnerWithAdmin(t.store, { name: 'Fabrikam Resellers' });
    const r = await get(admin.token, '/v1/customers/relationshiprequests');
    expect(r.statusCode, r.body).toBe(200);
    const link = r.json();
    expect(link).toMatchObject({
      id: expect.any(String),
      url: expect.stringMatching(/^https:\/\/desk\.example\.com\/invitations\/pdi_[A-Za-z0-9_-]{43}$/),
      includeDelegatedAdminPrivileges: true,
      attributes: { objectType: 'RelationshipRequest' },
    });
    expect(Date.parse(link.expiresAt) - Date.parse(link.createdAt)).toBe(30 * DAY);
    expect(link.emailText.subject).toContain('Fabrikam Resellers');
    expect(link.emailText.body).toContain(link.url);
    expect(link.emailText.body).toContain('delegated admin privileges');
    expect(link.emailText.body).toContain('Global admin');

    // Asked again (by another user of the partner, a day later): the same link.
    const sales = await createUser(t.store, partner.id, { roles: ['salesAgent'] });
    clock.advance(DAY);
    const again = await get(
      sales.token,
      '/v1/customers/relationshiprequests?includeDelegatedAdminPrivileges=true',
    );
    expect(again.json()).toMatchObject({ id: link.id, url: link.url, expiresAt: link.expiresAt });

    // Only a hash and a sealed copy are stored, never the token itself.
    const token = link.url.split('/').pop();
    const row = await t.store.owner
      .selectFrom('relationship_invitations')
      .selectAll()
      .where('id', '=', link.id)
      .executeTakeFirstOrThrow();
    expect(row.token_hash.equals(hashSecret(token))).toBe(true);
    expect(JSON.stringify(row)).not.toContain(token.slice(4));
    expect(row.token_prefix).toBe(token.slice(4, 12));

    // Past its expiry, a new link.
    clock.advance(30 * DAY);
    const fresh = await get(admin.token, '/v1/customers/relationshiprequests');
    expect(fresh.json().id).not.toBe(link.id);
    expect(fresh.json().url).not.toBe(link.url);
    expect((await preview(token)).json()).toMatchObject({ name: 'invitationExpired', code: 100702 });
    expect((await preview(token)).statusCode).toBe(410);

    clock.set(new Date());
    const log = await get(admin.token, '/v1/auditrecords?action=relationshipInvitation.create');
    expect(log.json().items).toHaveLength(2);
    expect(JSON.stringify(log.json())).not.toContain(token);
  });

  it('keeps one link with and one without DAP, each stable', async () => {
    const { admin } = await createPartnerWithAdmin(t.store, { name: 'Northwind Traders' });
    const withDap = await requestLink(t.app, admin.token, true);
    const withoutDap = await requestLink(t.app, admin.token, false);
    expect(withoutDap.id).not.toBe(withDap.id);
    expect(withoutDap).toMatchObject({ includeDelegatedAdminPrivileges: false });
    expect((withoutDap.emailText as { body: string }).body).toContain(
      'does not include delegated admin privileges',
    );
    expect((await requestLink(t.app, admin.token, false)).id).toBe(withoutDap.id);
    expect((await requestLink(t.app, admin.token, true)).id).toBe(withDap.id);
    // The default is with DAP.
    expect((await get(admin.token, '/v1/customers/relationshiprequests')).json().id).toBe(withDap.id);
  });

  it('makes exactly one link when two first requests arrive at once', async () => {
    const { admin } = await createPartnerWithAdmin(t.store);
    const links = await Promise.all([1, 2, 3, 4].map(() => requestLink(t.app, admin.token)));
    expect(new Set(links.map((l) => l.id)).size).toBe(1);
  });

  it('is refused where the instance does not allow it: usgov and germany, and without DAP outside global', async () => {
    for (const instance of ['usgov', 'germany'] as const) {
      const { admin } = await createPartnerWithAdmin(t.store, { instance });
      for (const dap of [true, false]) {
        const r = await get(
          admin.token,
          `/v1/customers/relationshiprequests?includeDelegatedAdminPrivileges=${dap}`,
        );
        expect(r.statusCode, `${instance} ${dap}`).toBe(403);
        expect(r.json()).toMatchObject({
          name: 'instanceCapabilityRefused',
          data: [{ instance, capability: 'relationships.requestExisting' }],
        });
        expect(r.json().description).toContain(instance === 'usgov' ? 'US Government' : 'Germany');
      }
    }
    const count = await t.store.owner
      .selectFrom('relationship_invitations as i')
      .innerJoin('partners as p', 'p.id', 'i.partner_id')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('p.instance', '!=', 'global')
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });

  it('refuses what the role cannot do: a Helpdesk agent or Billing admin gets 403', async () => {
    const { partner } = await createPartnerWithAdmin(t.store);
    for (const role of ['helpdeskAgent', 'billingAdmin', 'userManagementAdmin'] as const) {
      const user = await createUser(t.store, partner.id, { roles: [role] });
      const r = await get(user.token, '/v1/customers/relationshiprequests');
      expect(r.statusCode).toBe(403);
      expect(r.json().name).toBe('forbidden');
    }
  });

  it('lists the partner’s invitations newest first with state and acceptances; revoking ends a link', async () => {
    const { partner, admin } = await createPartnerWithAdmin(t.store, { name: 'Tailspin Partners' });
    const other = await createPartnerWithAdmin(t.store);
    const first = await requestLink(t.app, admin.token, true);
    clock.advance(1000);
    const second = await requestLink(t.app, admin.token, false);
    await requestLink(t.app, other.admin.token);

    // Two customers (of another partner) accept the first link.
    for (let i = 0; i < 2; i++) {
      const customer = await customerWithAdmin(t.app, other.admin.token);
      const accepted = await t.app.inject({
        method: 'POST',
        url: `/v1/invitations/${first.token}/accept`,
        headers: bearer(customer.token),
        payload: { customerAgreement: AGREEMENT },
      });
      expect(accepted.statusCode, accepted.body).toBe(200);
    }

    const list = await get(admin.token, '/v1/relationshipinvitations');
    expect(list.statusCode).toBe(200);
    expect(list.json()).toMatchObject({ totalCount: 2, attributes: { objectType: 'Collection' } });
    expect(list.json().items).toEqual([
      expect.objectContaining({
        id: second.id,
        includeDelegatedAdminPrivileges: false,
        state: 'active',
        acceptedCount: 0,
        revokedAt: null,
        createdBy: { id: admin.id, userName: admin.userName },
        attributes: { objectType: 'RelationshipInvitation' },
      }),
      expect.objectContaining({ id: first.id, state: 'active', acceptedCount: 2 }),
    ]);
    expect(list.body).not.toContain(first.token);

    // Paging: one at a time, newest first.
    const page1 = await get(admin.token, '/v1/relationshipinvitations?size=1');
    expect(page1.json().items.map((i: { id: string }) => i.id)).toEqual([second.id]);
    const page2 = await get(admin.token, page1.json().links.next.uri);
    expect(page2.json().items.map((i: { id: string }) => i.id)).toEqual([first.id]);
    expect(page2.json().links.next).toBeUndefined();

    // Revoke: the link stops working, the next request makes a new one; revoking again is fine.
    const revoke = () =>
      t.app.inject({
        method: 'DELETE',
        url: `/v1/relationshipinvitations/${first.id}`,
        headers: bearer(admin.token),
      });
    expect((await revoke()).statusCode).toBe(204);
    expect((await revoke()).statusCode).toBe(204);
    const gone = await preview(first.token);
    expect(gone.statusCode).toBe(410);
    expect(gone.json()).toMatchObject({ name: 'invitationRevoked', code: 100703 });
    const after = await get(admin.token, '/v1/relationshipinvitations');
    expect(after.json().items[1]).toMatchObject({ id: first.id, state: 'revoked', acceptedCount: 2 });
    expect((await requestLink(t.app, admin.token, true)).id).not.toBe(first.id);

    const log = await get(admin.token, '/v1/auditrecords?action=relationshipInvitation.revoke');
    expect(log.json().items).toEqual([
      expect.objectContaining({
        resourceId: first.id,
        partnerUser: expect.objectContaining({ name: admin.userName }),
        additionalInformation: expect.objectContaining({
          prefix: first.token.slice(4, 12),
          acceptedCount: 2,
        }),
      }),
    ]);

    // Another partner's invitation is not found, and stays as it was.
    const foreign = await t.app.inject({
      method: 'DELETE',
      url: `/v1/relationshipinvitations/${second.id}`,
      headers: bearer(other.admin.token),
    });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().name).toBe('invitationNotFound');
    expect((await preview(second.token)).statusCode).toBe(200);
    void partner;
  });

  it('shows the public page only the partner, what is asked and the expiry', async () => {
    const { admin } = await createPartnerWithAdmin(t.store, { name: 'Woodgrove Cloud', country: 'DE' });
    const link = await requestLink(t.app, admin.token, false);
    const r = await preview(link.token);
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({
      partner: { name: 'Woodgrove Cloud', instance: 'global', country: 'DE' },
      includesDelegatedAdminPrivileges: false,
      expiresAt: link.expiresAt,
      attributes: { objectType: 'RelationshipInvitationPreview' },
    });
    expect(r.body).not.toContain(admin.partnerId);
    expect(r.body).not.toContain(link.id);

    for (const token of ['pdi_unknown', link.token.slice(0, -1), 'x'.repeat(200)]) {
      const unknown = await preview(token);
      expect(unknown.statusCode, token).toBe(404);
      expect(unknown.json()).toMatchObject({ name: 'invitationNotFound', code: 100701 });
    }
  });

  it('seals links with a key derived from the owner credentials, not stored with them', () => {
    const a = invitationLinkKey('postgres://owner:secret-1@db:5432/partnerdesk');
    expect(a).toHaveLength(32);
    expect(invitationLinkKey('postgres://owner:secret-1@other-host:6543/x').equals(a)).toBe(true);
    expect(invitationLinkKey('postgres://owner:secret-2@db:5432/partnerdesk').equals(a)).toBe(false);
  });

  it('gives a new link when the current one can no longer be read back (the key changed)', async () => {
    const { admin } = await createPartnerWithAdmin(t.store);
    const link = await requestLink(t.app, admin.token);
    await t.store.owner
      .updateTable('relationship_invitations')
      .set({ token_sealed: 'v1.AAAA' })
      .where('id', '=', link.id)
      .execute();
    clock.advance(1000); // this test's clock stands still unless moved
    const fresh = await requestLink(t.app, admin.token);
    expect(fresh.id).not.toBe(link.id);
    // The old link keeps working until it expires or is revoked.
    expect((await preview(link.token)).statusCode).toBe(200);
    expect((await requestLink(t.app, admin.token)).id).toBe(fresh.id);
  });
});
