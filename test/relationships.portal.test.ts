// The customer's side of an invitation: sign-in for customer directory users (wrong password, lockout, the
// temporary password that must be changed first), customer and partner credentials kept apart, accepting (only a
// Global admin, only within one instance, the customer agreement when none is confirmed, idempotent, reactivating
// a removed relationship, DAP added), the activity record with the customer as actor, the customer's partners,
// and removing a partner's DAP while the relationship stays.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from './helpers/app.ts';
import { createTestApp, testClock } from './helpers/app.ts';
import { createCustomer, insertCustomer } from './helpers/customers.ts';
import { TEST_PASSWORD, bearer, createPartnerWithAdmin } from './helpers/factories.ts';
import {
  AGREEMENT,
  NEW_CUSTOMER_PASSWORD,
  customerWithAdmin,
  insertCustomerUser,
  issueCustomerToken,
  requestLink,
  signInCustomer,
} from './helpers/relationships.ts';

const MAX_FAILURES = 3;
const LOCKOUT_SECONDS = 600;

describe('the customer’s side of a relationship', () => {
  // Starts at the real time: sessions are checked against the database clock.
  const clock = testClock(new Date());
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      clock,
      env: { SIGNIN_MAX_FAILURES: String(MAX_FAILURES), SIGNIN_LOCKOUT_SECONDS: String(LOCKOUT_SECONDS) },
    });
  });
  afterAll(() => t.close());

  const call = (method: 'GET' | 'POST' | 'DELETE' | 'PATCH', url: string, token?: string, payload?: object) =>
    t.app.inject({ method, url, headers: token ? bearer(token) : {}, ...(payload ? { payload } : {}) });
  const signIn = (userName: string, password: string) =>
    call('POST', '/v1/customer/sessions', undefined, { userName, password });
  /** Without `payload`, no body at all: an organisation with a confirmed agreement has nothing to send. */
  const accept = (linkToken: string, customerToken: string, payload?: object) =>
    call('POST', `/v1/invitations/${linkToken}/accept`, customerToken, payload);
  const partnerView = (partnerToken: string, customerId: string) =>
    call('GET', `/v1/customers/${customerId}`, partnerToken);

  describe('sign-in', () => {
    it('answers a customer session for the tenant’s user; a temporary password must be changed first', async () => {
      const { admin } = await createPartnerWithAdmin(t.store);
      const created = await createCustomer(t.app, admin.token, { name: 'Contoso Pharma' });
      const { userName, password } = created.userCredentials;
      const r = await signIn(userName.toUpperCase(), password);
      expect(r.statusCode, r.body).toBe(200);
      const session = r.json();
      expect(session).toEqual({
        access_token: expect.stringMatching(/^pdu_/),
        token_type: 'Bearer',
        expires_in: 3600,
        mustChangePassword: true,
        user: { id: expect.any(String), userName, displayName: expect.any(String), roles: ['globalAdmin'] },
        customer: { id: created.id, name: 'Contoso Pharma', domain: userName.split('@')[1] },
      });

      // Until changed, everything else answers passwordChangeRequired; /me and the change itself work.
      const blocked = await call('GET', '/v1/customer/partners', session.access_token);
      expect(blocked.statusCode).toBe(403);
      expect(blocked.json().name).toBe('passwordChangeRequired');
      const link = await requestLink(t.app, (await createPartnerWithAdmin(t.store)).admin.token);
      expect((await accept(link.token, session.access_token)).json().name).toBe('passwordChangeRequired');
      const me = await call('GET', '/v1/customer/me', session.access_token);
      expect(me.statusCode).toBe(200);
      expect(me.json()).toMatchObject({
        user: { userName, mustChangePassword: true, roles: ['globalAdmin'] },
        customer: { id: created.id, name: 'Contoso Pharma', instance: 'global' },
        customerAgreement: { confirmed: false, dateAgreed: null },
        attributes: { objectType: 'CustomerPortalProfile' },
      });

      // The password rules apply.
      const weak = await call('POST', '/v1/customer/me/password', session.access_token, {
        currentPassword: password,
        newPassword: 'short',
      });
      expect(weak.statusCode).toBe(400);
      expect(weak.json()).toMatchObject({ name: 'passwordTooWeak' });
      expect(weak.json().details[0].field).toBe('newPassword');
      const wrong = await call('POST', '/v1/customer/me/password', session.access_token, {
        currentPassword: 'Not-the-password-1',
        newPassword: NEW_CUSTOMER_PASSWORD,
      });
      expect(wrong.json()).toMatchObject({ name: 'currentPasswordIncorrect' });

      // A second session, which the change ends; the one making it stays.
      const other = (await signIn(userName, password)).json().access_token;
      const changed = await call('POST', '/v1/customer/me/password', session.access_token, {
        currentPassword: password,
        newPassword: NEW_CUSTOMER_PASSWORD,
      });
      expect(changed.statusCode).toBe(204);
      expect((await call('GET', '/v1/customer/partners', session.access_token)).statusCode).toBe(200);
      expect((await call('GET', '/v1/customer/me', other)).statusCode).toBe(401);
      expect((await signIn(userName, password)).statusCode).toBe(401);
      expect((await signIn(userName, NEW_CUSTOMER_PASSWORD)).json().mustChangePassword).toBe(false);

      // Only hashes are stored.
      const stored = await t.store.owner.selectFrom('customer_sessions').selectAll().execute();
      expect(JSON.stringify(stored)).not.toContain(session.access_token.slice(4));

      // Signing out ends the session.
      expect((await call('DELETE', '/v1/customer/sessions/current', session.access_token)).statusCode).toBe(
        204,
      );
      expect((await call('GET', '/v1/customer/me', session.access_token)).statusCode).toBe(401);
    });

    it('gives one answer for an unknown user, a wrong password and a deactivated user', async () => {
      const customer = await insertCustomer(t.store, (await createPartnerWithAdmin(t.store)).partner.id);
      const user = await insertCustomerUser(t.store, customer.id);
      const inactive = await insertCustomerUser(t.store, customer.id);
      await t.store.owner
        .updateTable('customer_users')
        // A deleted user: inactive since its deletion time (the table's check ties the two together).
        .set({ state: 'inactive', soft_deleted_at: new Date() })
        .where('id', '=', inactive.id)
        .execute();
      for (const [name, password] of [
        ['nobody@customer.example', TEST_PASSWORD],
        [user.userName, 'Not-the-password-1'],
        [inactive.userName, TEST_PASSWORD],
      ] as const) {
        const r = await signIn(name, password);
        expect(r.statusCode, name).toBe(401);
        expect(r.json()).toMatchObject({ name: 'invalidCredentials', code: 100102 });
      }
      expect((await signIn(user.userName, TEST_PASSWORD)).statusCode).toBe(200);
    });

    it('locks the user after repeated failures, refuses even the right password until the lock ends', async () => {
      const customer = await insertCustomer(t.store, (await createPartnerWithAdmin(t.store)).partner.id);
      const user = await insertCustomerUser(t.store, customer.id);
      for (let i = 0; i < MAX_FAILURES; i++)
        expect((await signIn(user.userName, 'Not-the-password-1')).statusCode).toBe(401);
      const locked = await signIn(user.userName, TEST_PASSWORD);
      expect(locked.statusCode).toBe(403);
      expect(locked.json()).toMatchObject({
        name: 'accountLocked',
        data: [{ retryAfterSeconds: LOCKOUT_SECONDS }],
      });
      expect(locked.headers['retry-after']).toBe(String(LOCKOUT_SECONDS));
      clock.advance(LOCKOUT_SECONDS * 1000 + 1000);
      expect((await signIn(user.userName, TEST_PASSWORD)).statusCode).toBe(200);
      clock.set(new Date());
    });
  });

  describe('credentials', () => {
    it('refuses partner credentials on customer routes and customer tokens on partner routes', async () => {
      const { admin } = await createPartnerWithAdmin(t.store);
      const customer = await customerWithAdmin(t.app, admin.token);
      const link = await requestLink(t.app, admin.token);
      for (const [method, url] of [
        ['GET', '/v1/customer/me'],
        ['GET', '/v1/customer/partners'],
        ['POST', `/v1/invitations/${link.token}/accept`],
      ] as const) {
        const r = await call(method, url, admin.token, method === 'POST' ? {} : undefined);
        expect(r.statusCode, url).toBe(401);
        expect(r.json().name).toBe('unauthenticated');
        expect(r.json().description).toContain('/v1/customer/sessions');
      }
      for (const url of ['/v1/customers', '/v1/profiles/me', `/v1/customers/${customer.id}`]) {
        const r = await call('GET', url, customer.token);
        expect(r.statusCode, url).toBe(401);
        expect(r.json().description).toContain('customer’s sign-in token');
      }
      // The console's cookie is a partner credential: not a customer session either.
      const cookie = await t.app.inject({
        method: 'GET',
        url: '/v1/customer/me',
        cookies: { pd_session: customer.token },
      });
      expect(cookie.statusCode).toBe(401);
    });
  });

  describe('accepting', () => {
    it('creates the relationship with DAP as invited; the customer appears in the partner’s list', async () => {
      const first = await createPartnerWithAdmin(t.store, { name: 'First Partner' });
      const second = await createPartnerWithAdmin(t.store, { name: 'Second Partner' });
      const customer = await customerWithAdmin(t.app, first.admin.token, { name: 'Multi Partner Co' });
      const link = await requestLink(t.app, second.admin.token, true);

      expect((await partnerView(second.admin.token, customer.id)).statusCode).toBe(404);
      const r = await accept(link.token, customer.token, { customerAgreement: AGREEMENT });
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json()).toMatchObject({
        partner: { id: second.partner.id, name: 'Second Partner' },
        customer: { id: customer.id, name: 'Multi Partner Co' },
        relationshipToPartner: 'reseller',
        delegatedAdminPrivileges: true,
        outcome: 'created',
        attributes: { objectType: 'RelationshipAcceptance' },
      });

      const list = await call('GET', '/v1/customers', second.admin.token);
      expect(list.json().items).toEqual([
        expect.objectContaining({
          id: customer.id,
          relationshipToPartner: 'reseller',
          allowDelegatedAccess: true,
          customerAgreement: { confirmed: true, dateAgreed: AGREEMENT.dateAgreed },
          companyProfile: expect.objectContaining({ companyName: 'Multi Partner Co' }),
        }),
      ]);
      // Multi-partner: the first partner keeps the customer too.
      expect((await partnerView(first.admin.token, customer.id)).statusCode).toBe(200);

      const agreements = await call('GET', `/v1/customers/${customer.id}/agreements`, second.admin.token);
      expect(agreements.json().items[0]).toMatchObject({
        confirmedBy: 'customer',
        dateAgreed: AGREEMENT.dateAgreed,
        primaryContact: { firstName: 'Casey', lastName: 'Customer', email: AGREEMENT.email },
      });

      // The partner's activity log: the acceptance, by the customer's user.
      const log = await call('GET', `/v1/auditrecords?customerId=${customer.id}`, second.admin.token);
      const actions = log.json().items.map((i: { action: string }) => i.action);
      expect(actions).toEqual(['relationship.accept', 'customer.confirmAgreement']);
      expect(log.json().items[0]).toMatchObject({
        customer: { id: customer.id, name: 'Multi Partner Co' },
        partnerUser: { kind: 'customer', name: customer.userName },
        additionalInformation: expect.objectContaining({ outcome: 'created', invitationId: link.id }),
      });

      // The customer's own view: both partners, both with DAP.
      const partners = await call('GET', '/v1/customer/partners', customer.token);
      expect(partners.json()).toMatchObject({ totalCount: 2 });
      expect(partners.json().items).toEqual([
        expect.objectContaining({
          id: first.partner.id,
          name: 'First Partner',
          delegatedAdminPrivileges: true,
        }),
        expect.objectContaining({
          id: second.partner.id,
          name: 'Second Partner',
          delegatedAdminPrivileges: true,
          instance: 'global',
          attributes: { objectType: 'PartnerRelationship' },
        }),
      ]);
      const me = await call('GET', '/v1/customer/me', customer.token);
      expect(me.json().customerAgreement).toEqual({ confirmed: true, dateAgreed: AGREEMENT.dateAgreed });

      // Accepting again changes nothing and records nothing.
      const again = await accept(link.token, customer.token);
      expect(again.statusCode).toBe(200);
      expect(again.json()).toMatchObject({ outcome: 'unchanged', delegatedAdminPrivileges: true });
      const logAgain = await call('GET', `/v1/auditrecords?customerId=${customer.id}`, second.admin.token);
      expect(logAgain.json().totalCount).toBe(2);
    });

    it('without DAP when so invited, and adds DAP when a later invitation includes it', async () => {
      const { admin } = await createPartnerWithAdmin(t.store);
      const owner = await createPartnerWithAdmin(t.store);
      const customer = await customerWithAdmin(t.app, owner.admin.token);
      const noDap = await requestLink(t.app, admin.token, false);
      const r = await accept(noDap.token, customer.token, { customerAgreement: AGREEMENT });
      expect(r.json()).toMatchObject({ outcome: 'created', delegatedAdminPrivileges: false });
      expect((await partnerView(admin.token, customer.id)).json().allowDelegatedAccess).toBe(false);

      // The agreement is confirmed now: no body needed.
      const withDap = await requestLink(t.app, admin.token, true);
      const granted = await accept(withDap.token, customer.token);
      expect(granted.json()).toMatchObject({
        outcome: 'delegatedAdminGranted',
        delegatedAdminPrivileges: true,
      });
      expect((await partnerView(admin.token, customer.id)).json().allowDelegatedAccess).toBe(true);

      // An invitation without DAP never takes DAP away.
      const keep = await accept(noDap.token, customer.token);
      expect(keep.json()).toMatchObject({ outcome: 'unchanged', delegatedAdminPrivileges: true });

      const list = await call('GET', '/v1/relationshipinvitations', admin.token);
      expect(list.json().items.map((i: { acceptedCount: number }) => i.acceptedCount)).toEqual([1, 1]);
    });

    it('needs the customer agreement when none is confirmed: 400 naming the fields; never a future date', async () => {
      const { admin } = await createPartnerWithAdmin(t.store);
      const customer = await customerWithAdmin(t.app, (await createPartnerWithAdmin(t.store)).admin.token);
      const link = await requestLink(t.app, admin.token);

      const missing = await accept(link.token, customer.token);
      expect(missing.statusCode).toBe(400);
      expect(missing.json()).toMatchObject({ name: 'validationFailed' });
      expect(missing.json().details.map((d: { field: string }) => d.field)).toEqual([
        'customerAgreement.firstName',
        'customerAgreement.lastName',
        'customerAgreement.email',
        'customerAgreement.dateAgreed',
      ]);

      const future = new Date(clock.now().getTime() + 3 * 86_400_000).toISOString().slice(0, 10);
      const bad = await accept(link.token, customer.token, {
        customerAgreement: { firstName: '', lastName: 'Signer', email: 'not-an-email', dateAgreed: future },
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().details).toEqual(
        expect.arrayContaining([
          { field: 'customerAgreement.firstName', reason: 'is required' },
          { field: 'customerAgreement.email', reason: 'is not an email address' },
          { field: 'customerAgreement.dateAgreed', reason: 'must not be in the future' },
        ]),
      );

      const noDate = await accept(link.token, customer.token, {
        customerAgreement: { ...AGREEMENT, dateAgreed: '' },
      });
      expect(noDate.json().details).toEqual([
        { field: 'customerAgreement.dateAgreed', reason: 'is required' },
      ]);

      // Another property is named, not ignored.
      const extra = await accept(link.token, customer.token, { customerAgreement: AGREEMENT, note: 'x' });
      expect(extra.statusCode).toBe(400);
      expect(extra.json().details).toContainEqual({ field: 'note', reason: 'is not a known property' });

      // Nothing was written.
      expect((await partnerView(admin.token, customer.id)).statusCode).toBe(404);
      const rows = await t.store.owner
        .selectFrom('customer_agreements')
        .selectAll()
        .where('customer_id', '=', customer.id)
        .execute();
      expect(rows).toEqual([]);
    });

    it('is for a Global admin of the tenant only: another user gets 403 with a clear message', async () => {
      const { admin } = await createPartnerWithAdmin(t.store);
      const owner = await createPartnerWithAdmin(t.store);
      const customer = await insertCustomer(t.store, owner.partner.id, { name: 'Plain Users Ltd' });
      const user = await insertCustomerUser(t.store, customer.id, { roles: ['helpdeskAdmin'] });
      const token = (await signInCustomer(t.app, user.userName, TEST_PASSWORD)).access_token;
      const link = await requestLink(t.app, admin.token);
      const r = await accept(link.token, token, { customerAgreement: AGREEMENT });
      expect(r.statusCode).toBe(403);
      expect(r.json()).toMatchObject({ name: 'customerAdminRequired', code: 100704 });
      expect(r.json().description).toBe(
        'Only a Global admin of Plain Users Ltd may accept a partner’s invitation; ask one of your Global admins.',
      );
      const dap = await call('DELETE', `/v1/customer/partners/${owner.partner.id}/delegatedadmin`, token);
      expect(dap.statusCode).toBe(403);
      expect(dap.json().name).toBe('customerAdminRequired');
      expect((await partnerView(owner.admin.token, customer.id)).json().allowDelegatedAccess).toBe(true);
      expect((await partnerView(admin.token, customer.id)).statusCode).toBe(404);
    });

    it('refuses a partner of another cloud instance', async () => {
      // A usgov partner cannot make links; one made before (or by another path) is still refused at acceptance.
      const usgov = await createPartnerWithAdmin(t.store, { instance: 'usgov', name: 'Gov Partner' });
      const global = await createPartnerWithAdmin(t.store);
      const link = await requestLink(t.app, global.admin.token);
      await t.store.owner
        .updateTable('relationship_invitations')
        .set({ partner_id: usgov.partner.id })
        .where('id', '=', link.id)
        .execute();
      const customer = await customerWithAdmin(t.app, global.admin.token);
      const r = await accept(link.token, customer.token, { customerAgreement: AGREEMENT });
      expect(r.statusCode).toBe(403);
      expect(r.json()).toMatchObject({
        name: 'relationshipAcrossInstances',
        data: [{ partnerInstance: 'usgov', customerInstance: 'global' }],
      });
      expect(r.json().description).toContain('US Government');

      // And a usgov customer with a global partner's link.
      const govCustomer = await customerWithAdmin(t.app, usgov.admin.token, { instance: 'usgov' });
      const globalLink = await requestLink(t.app, global.admin.token);
      const r2 = await accept(globalLink.token, govCustomer.token, { customerAgreement: AGREEMENT });
      expect(r2.statusCode).toBe(403);
      expect(r2.json().name).toBe('relationshipAcrossInstances');
      expect((await partnerView(global.admin.token, govCustomer.id)).statusCode).toBe(404);
    });

    it('refuses revoked, expired and unknown links', async () => {
      const { admin } = await createPartnerWithAdmin(t.store);
      const customer = await customerWithAdmin(t.app, (await createPartnerWithAdmin(t.store)).admin.token);
      const link = await requestLink(t.app, admin.token);
      await call('DELETE', `/v1/relationshipinvitations/${link.id}`, admin.token);
      const revoked = await accept(link.token, customer.token, { customerAgreement: AGREEMENT });
      expect(revoked.statusCode).toBe(410);
      expect(revoked.json().name).toBe('invitationRevoked');

      const next = await requestLink(t.app, admin.token);
      clock.advance(31 * 86_400_000);
      const expired = await accept(next.token, customer.token, { customerAgreement: AGREEMENT });
      expect(expired.statusCode).toBe(410);
      expect(expired.json().name).toBe('invitationExpired');
      clock.set(new Date());

      expect((await accept('pdi_nope', customer.token)).statusCode).toBe(404);
      expect((await partnerView(admin.token, customer.id)).statusCode).toBe(404);
    });

    it('re-establishes a removed relationship through a new acceptance', async () => {
      const { admin } = await createPartnerWithAdmin(t.store);
      const customer = await customerWithAdmin(t.app, admin.token, { name: 'Comeback Inc' });
      const removed = await call('PATCH', `/v1/customers/${customer.id}`, admin.token, {
        relationshipToPartner: 'none',
      });
      expect(removed.statusCode).toBe(200);
      expect((await partnerView(admin.token, customer.id)).statusCode).toBe(404);
      expect((await call('GET', '/v1/customer/partners', customer.token)).json().items).toEqual([]);

      const link = await requestLink(t.app, admin.token, false);
      const r = await accept(link.token, customer.token, { customerAgreement: AGREEMENT });
      expect(r.json()).toMatchObject({ outcome: 'reactivated', delegatedAdminPrivileges: false });
      const view = await partnerView(admin.token, customer.id);
      expect(view.statusCode).toBe(200);
      expect(view.json()).toMatchObject({ relationshipToPartner: 'reseller', allowDelegatedAccess: false });
      const list = await call('GET', '/v1/customers?q=comeback', admin.token);
      expect(list.json().items.map((c: { id: string }) => c.id)).toEqual([customer.id]);
    });
  });

  describe('removing a partner’s DAP', () => {
    it('keeps the relationship; the partner sees allowDelegatedAccess false and an activity record', async () => {
      const first = await createPartnerWithAdmin(t.store);
      const second = await createPartnerWithAdmin(t.store);
      const customer = await customerWithAdmin(t.app, first.admin.token, { name: 'Dap Less Ltd' });
      const link = await requestLink(t.app, second.admin.token);
      await accept(link.token, customer.token, { customerAgreement: AGREEMENT });

      const remove = () =>
        call('DELETE', `/v1/customer/partners/${second.partner.id}/delegatedadmin`, customer.token);
      expect((await remove()).statusCode).toBe(204);
      expect((await remove()).statusCode).toBe(204);

      const view = await partnerView(second.admin.token, customer.id);
      expect(view.statusCode).toBe(200);
      expect(view.json()).toMatchObject({ relationshipToPartner: 'reseller', allowDelegatedAccess: false });
      expect((await partnerView(first.admin.token, customer.id)).json().allowDelegatedAccess).toBe(true);
      const partners = await call('GET', '/v1/customer/partners', customer.token);
      expect(
        partners
          .json()
          .items.map((p: { id: string; delegatedAdminPrivileges: boolean }) => [
            p.id,
            p.delegatedAdminPrivileges,
          ]),
      ).toEqual(
        expect.arrayContaining([
          [first.partner.id, true],
          [second.partner.id, false],
        ]),
      );

      const log = await call(
        'GET',
        `/v1/auditrecords?action=relationship.removeDelegatedAdmin`,
        second.admin.token,
      );
      expect(log.json().items).toEqual([
        expect.objectContaining({
          customer: { id: customer.id, name: 'Dap Less Ltd' },
          partnerUser: { kind: 'customer', id: expect.any(String), name: customer.userName },
        }),
      ]);
      const firstLog = await call(
        'GET',
        '/v1/auditrecords?action=relationship.removeDelegatedAdmin',
        first.admin.token,
      );
      expect(firstLog.json().items).toEqual([]);
    });

    it('answers 404 for a partner the customer has no relationship with', async () => {
      const { partner } = await createPartnerWithAdmin(t.store);
      const owner = await createPartnerWithAdmin(t.store);
      const customer = await insertCustomer(t.store, owner.partner.id);
      const user = await insertCustomerUser(t.store, customer.id);
      const token = await issueCustomerToken(t.store, customer.id, user.id);
      for (const id of [partner.id, '00000000-0000-4000-8000-000000000000']) {
        const r = await call('DELETE', `/v1/customer/partners/${id}/delegatedadmin`, token);
        expect(r.statusCode).toBe(404);
        expect(r.json().name).toBe('partnerNotFound');
      }
      // Another customer's relationships are untouched by this one's calls.
      const other = await insertCustomer(t.store, partner.id);
      const r = await call('DELETE', `/v1/customer/partners/${partner.id}/delegatedadmin`, token);
      expect(r.statusCode).toBe(404);
      const rel = await t.store.owner
        .selectFrom('customer_relationships')
        .select('delegated_admin')
        .where('customer_id', '=', other.id)
        .executeTakeFirstOrThrow();
      expect(rel.delegated_admin).toBe(true);
    });
  });
});
