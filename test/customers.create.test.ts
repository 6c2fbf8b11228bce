// Adding a customer: one transaction makes the tenant, its domain, the profiles, the first Global admin, the
// reseller relationship with DAP, the optional agreement and the activity record; bad input is answered field
// by field with nothing written; a retried MS-RequestId never makes a second customer; two concurrent creations
// of one domain end with exactly one customer; domains are checked with HEAD /v1/domains/{domain}.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from './helpers/app.ts';
import { createTestApp } from './helpers/app.ts';
import { createCustomer, customerBody, uniquePrefix } from './helpers/customers.ts';
import { bearer, createPartnerWithAdmin, createUser } from './helpers/factories.ts';

describe('adding a customer', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const post = (token: string, payload: object, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url: '/v1/customers',
      headers: { ...bearer(token), ...headers },
      payload,
    });
  const listCount = async (token: string) =>
    (await t.app.inject({ method: 'GET', url: '/v1/customers', headers: bearer(token) })).json().totalCount;

  it('creates the tenant, profiles, first admin, relationship with DAP and an activity record', async () => {
    const { admin } = await createPartnerWithAdmin(t.store);
    const body = customerBody({ prefix: uniquePrefix('contoso'), name: 'Contoso Ltd' });
    body.companyProfile.domain = String(body.companyProfile.domain).toUpperCase();
    body.billingProfile.culture = 'EN-us';
    body.billingProfile.language = 'En';
    const r = await post(admin.token, body);
    expect(r.statusCode).toBe(201);
    const c = r.json();
    const domain = String(body.companyProfile.domain).toLowerCase();
    expect(c).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      companyProfile: { tenantId: c.id, domain, companyName: 'Contoso Ltd' },
      billingProfile: {
        id: c.id,
        email: 'billing@contoso.example',
        culture: 'en-US',
        language: 'en',
        companyName: 'Contoso Ltd',
        defaultAddress: { country: 'US', state: 'WA', postalCode: '98052', city: 'Redmond' },
      },
      relationshipToPartner: 'reseller',
      allowDelegatedAccess: true,
      customDomains: [],
      instance: 'global',
      customerAgreement: { confirmed: false, dateAgreed: null },
      userCredentials: { userName: `admin@${domain}`, password: expect.any(String) },
      attributes: { objectType: 'Customer' },
    });
    expect(c.userCredentials.password.length).toBeGreaterThanOrEqual(12);
    expect(r.headers.location).toBe(`/v1/customers/${c.id}`);
    expect(r.headers.etag).toBe(c.attributes.etag);

    // The first admin: a Global admin of the tenant who must change the temporary password.
    const user = await t.store.owner
      .selectFrom('customer_users')
      .selectAll()
      .where('customer_id', '=', c.id)
      .executeTakeFirstOrThrow();
    expect(user).toMatchObject({
      user_name: `admin@${domain}`,
      roles: ['globalAdmin'],
      must_change_password: true,
      usage_location: 'US',
    });
    expect(user.password_hash).not.toContain(c.userCredentials.password);

    // Readable again, without the credentials.
    const got = await t.app.inject({
      method: 'GET',
      url: `/v1/customers/${c.id}`,
      headers: bearer(admin.token),
    });
    expect(got.statusCode).toBe(200);
    expect(got.json().userCredentials).toBeUndefined();
    expect(got.json().companyProfile.domain).toBe(domain);

    const log = await t.app.inject({
      method: 'GET',
      url: `/v1/auditrecords?customerId=${c.id}`,
      headers: bearer(admin.token),
    });
    expect(log.json().items).toEqual([
      expect.objectContaining({
        action: 'customer.create',
        customer: { id: c.id, name: 'Contoso Ltd' },
        additionalInformation: expect.objectContaining({ domain, adminUserName: `admin@${domain}` }),
      }),
    ]);
    expect(JSON.stringify(log.json())).not.toContain(c.userCredentials.password);
  });

  it('records the customer agreement given with the customer', async () => {
    const { admin } = await createPartnerWithAdmin(t.store);
    const body = customerBody();
    body.customerAgreement = {
      firstName: 'Sam',
      lastName: 'Signer',
      email: 'sam@contoso.example',
      dateAgreed: '2026-11-30',
    };
    const r = await post(admin.token, body);
    expect(r.statusCode).toBe(201);
    expect(r.json().customerAgreement).toEqual({ confirmed: true, dateAgreed: '2026-11-30' });
    const agreements = await t.app.inject({
      method: 'GET',
      url: `/v1/customers/${r.json().id}/agreements`,
      headers: bearer(admin.token),
    });
    expect(agreements.json().items).toEqual([
      expect.objectContaining({
        agreementType: 'customerAgreement',
        primaryContact: {
          firstName: 'Sam',
          lastName: 'Signer',
          email: 'sam@contoso.example',
          phoneNumber: null,
        },
        dateAgreed: '2026-11-30',
        confirmedBy: 'partner',
      }),
    ]);
  });

  it('answers every broken rule as a field-level reason and writes nothing', async () => {
    const { admin } = await createPartnerWithAdmin(t.store);
    const cases: [string, (b: ReturnType<typeof customerBody>) => void, string][] = [
      [
        'prefix starting with a digit',
        (b) => (b.companyProfile.domain = '1contoso.onpartnerdesk.com'),
        'companyProfile.domain',
      ],
      [
        'prefix with a hyphen',
        (b) => (b.companyProfile.domain = 'con-toso.onpartnerdesk.com'),
        'companyProfile.domain',
      ],
      [
        'prefix of 28',
        (b) => (b.companyProfile.domain = `a${'b'.repeat(27)}.onpartnerdesk.com`),
        'companyProfile.domain',
      ],
      [
        'another instance suffix',
        (b) => (b.companyProfile.domain = 'contoso.onpartnerdesk.de'),
        'companyProfile.domain',
      ],
      ['empty domain', (b) => (b.companyProfile.domain = ''), 'companyProfile.domain'],
      [
        'missing US state',
        (b) => delete b.billingProfile.defaultAddress.state,
        'billingProfile.defaultAddress.state',
      ],
      [
        'unknown US state',
        (b) => (b.billingProfile.defaultAddress.state = 'ZZ'),
        'billingProfile.defaultAddress.state',
      ],
      [
        'bad postal code',
        (b) => (b.billingProfile.defaultAddress.postalCode = '9805'),
        'billingProfile.defaultAddress.postalCode',
      ],
      [
        'registration number in the US',
        (b) => (b.companyProfile.organizationRegistrationNumber = '123456'),
        'companyProfile.organizationRegistrationNumber',
      ],
      [
        'missing registration number in Russia',
        (b) =>
          (b.billingProfile.defaultAddress = {
            country: 'RU',
            city: 'Москва',
            addressLine1: 'ул. Тверская, 1',
            postalCode: '125009',
            firstName: 'Иван',
            lastName: 'Петров',
            phoneNumber: '+7 495 123-45-67',
          }),
        'companyProfile.organizationRegistrationNumber',
      ],
      [
        'unknown country',
        (b) => (b.billingProfile.defaultAddress.country = 'XX'),
        'billingProfile.defaultAddress.country',
      ],
      [
        'over-long contact name',
        (b) => (b.billingProfile.defaultAddress.firstName = 'N'.repeat(51)),
        'billingProfile.defaultAddress.firstName',
      ],
      [
        'over-long billing name',
        (b) => (b.billingProfile.lastName = 'N'.repeat(51)),
        'billingProfile.lastName',
      ],
      [
        'address line of 201',
        (b) => (b.billingProfile.defaultAddress.addressLine1 = 'A'.repeat(201)),
        'billingProfile.defaultAddress.addressLine1',
      ],
      ['bad email', (b) => (b.billingProfile.email = 'not-an-email'), 'billingProfile.email'],
      ['unknown culture', (b) => (b.billingProfile.culture = 'english'), 'billingProfile.culture'],
      ['unknown language', (b) => (b.billingProfile.language = 'xx1'), 'billingProfile.language'],
      ['empty company name', (b) => (b.billingProfile.companyName = '   '), 'billingProfile.companyName'],
      [
        'future agreement date',
        (b) =>
          (b.customerAgreement = {
            firstName: 'Sam',
            lastName: 'Signer',
            email: 'sam@contoso.example',
            dateAgreed: '2099-01-01',
          }),
        'customerAgreement.dateAgreed',
      ],
      [
        'impossible agreement date',
        (b) =>
          (b.customerAgreement = {
            firstName: 'Sam',
            lastName: 'Signer',
            email: 'sam@contoso.example',
            dateAgreed: '2026-02-30',
          }),
        'customerAgreement.dateAgreed',
      ],
    ];
    for (const [name, change, field] of cases) {
      const body = customerBody();
      change(body);
      const r = await post(admin.token, body);
      expect(r.statusCode, name).toBe(400);
      const error = r.json();
      expect(error.name, name).toBe('validationFailed');
      expect(
        error.details.map((d: { field: string }) => d.field),
        `${name}: ${JSON.stringify(error.details)}`,
      ).toContain(field);
      for (const d of error.details) expect(d.reason.length, name).toBeGreaterThan(5);
    }
    // Many problems at once are all named.
    const body = customerBody();
    body.companyProfile.domain = '9.onpartnerdesk.com';
    body.billingProfile.email = 'x';
    delete body.billingProfile.defaultAddress.state;
    const r = await post(admin.token, body);
    expect(
      r
        .json()
        .details.map((d: { field: string }) => d.field)
        .sort(),
    ).toEqual(['billingProfile.defaultAddress.state', 'billingProfile.email', 'companyProfile.domain']);
    expect(await listCount(admin.token)).toBe(0);
    expect(
      await t.store.owner
        .selectFrom('customer_users')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('user_name', 'like', 'admin@9.%')
        .executeTakeFirstOrThrow(),
    ).toEqual({ n: 0 });
  });

  it('accepts a Russian customer with its registration number and phone', async () => {
    const { admin } = await createPartnerWithAdmin(t.store);
    const body = customerBody({ name: 'ООО «Ромашка»' });
    body.companyProfile.organizationRegistrationNumber = '7701234567';
    body.billingProfile.culture = 'ru-RU';
    body.billingProfile.language = 'ru';
    body.billingProfile.defaultAddress = {
      country: 'RU',
      city: 'Москва',
      addressLine1: 'ул. Тверская, 1',
      postalCode: '125009',
      firstName: 'Иван',
      lastName: 'Петров',
      phoneNumber: '+7 495 123-45-67',
    };
    const r = await post(admin.token, body);
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().companyProfile.organizationRegistrationNumber).toBe('7701234567');
  });

  it('refuses a taken domain, and answers HEAD /v1/domains for taken, free and invalid domains', async () => {
    const { admin } = await createPartnerWithAdmin(t.store);
    const other = await createPartnerWithAdmin(t.store);
    const prefix = uniquePrefix('taken');
    await createCustomer(t.app, admin.token, { prefix });
    // Taken for every partner: domains are unique across the installation.
    const again = await post(other.admin.token, customerBody({ prefix }));
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({
      name: 'domainTaken',
      details: [{ field: 'companyProfile.domain' }],
    });
    const head = (domain: string) =>
      t.app.inject({ method: 'HEAD', url: `/v1/domains/${domain}`, headers: bearer(other.admin.token) });
    expect((await head(`${prefix}.onpartnerdesk.com`)).statusCode).toBe(200);
    expect((await head(`${prefix.toUpperCase()}.onpartnerdesk.com`)).statusCode).toBe(200);
    expect((await head(`${uniquePrefix('free')}.onpartnerdesk.com`)).statusCode).toBe(404);
    expect((await head('1bad.onpartnerdesk.com')).statusCode).toBe(400);
    const get = await t.app.inject({
      method: 'GET',
      url: '/v1/domains/1bad.onpartnerdesk.com',
      headers: bearer(other.admin.token),
    });
    expect(get.json().details[0]).toMatchObject({ field: 'domain' });
  });

  it('replays a retried MS-RequestId instead of making a second customer', async () => {
    const { admin } = await createPartnerWithAdmin(t.store);
    const body = customerBody();
    const first = await post(admin.token, body, { 'ms-requestid': 'create-once-1' });
    const second = await post(admin.token, body, { 'ms-requestid': 'create-once-1' });
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.headers['ms-idempotent-replay']).toBe('true');
    expect(second.json()).toEqual(first.json());
    expect(await listCount(admin.token)).toBe(1);
  });

  it('lets exactly one of two concurrent creations of one domain succeed', async () => {
    const { admin } = await createPartnerWithAdmin(t.store);
    const other = await createPartnerWithAdmin(t.store);
    for (let round = 0; round < 3; round++) {
      const prefix = uniquePrefix('race');
      const results = await Promise.all([
        post(admin.token, customerBody({ prefix, name: 'Race A' })),
        post(other.admin.token, customerBody({ prefix, name: 'Race B' })),
      ]);
      const codes = results.map((r) => r.statusCode).sort();
      expect(codes).toEqual([201, 409]);
      expect(results.find((r) => r.statusCode === 409)!.json().name).toBe('domainTaken');
      const owners = await t.store.owner
        .selectFrom('customer_domains')
        .select('customer_id')
        .where('domain', '=', `${prefix}.onpartnerdesk.com`)
        .execute();
      expect(owners).toHaveLength(1);
    }
  });

  it('uses the instance’s domain suffix and policy', async () => {
    const usgov = await createPartnerWithAdmin(t.store, { instance: 'usgov' });
    const ok = await post(usgov.admin.token, customerBody({ instance: 'usgov' }));
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().instance).toBe('usgov');
    const wrong = await post(usgov.admin.token, customerBody({ instance: 'global' }));
    expect(wrong.json().details[0].reason).toContain('onpartnerdesk.us');

    // Germany without new customers (the default of a closed instance).
    const germany = await createPartnerWithAdmin(t.store, { instance: 'germany' });
    const refused = await post(germany.admin.token, customerBody({ instance: 'germany' }));
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ name: 'instanceCapabilityRefused' });
    expect(refused.json().description).toContain('Germany');
  });

  it('is refused to roles without it', async () => {
    const { partner } = await createPartnerWithAdmin(t.store);
    const helpdesk = await createUser(t.store, partner.id, { roles: ['helpdeskAgent'] });
    const r = await post(helpdesk.token, customerBody());
    expect(r.statusCode).toBe(403);
    const uma = await createUser(t.store, partner.id, { roles: ['userManagementAdmin'] });
    expect((await post(uma.token, customerBody())).statusCode).toBe(201);
  });
});
