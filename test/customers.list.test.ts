// The customer list, its export and a customer's profiles: search by name or domain (prefix or contains, case-
// and accent-insensitive), Partner Center's filter, sort, cursor paging with totalCount, the exact CSV export
// neutralising formula cells, billing and company profile edits guarded by If-Match with before/after in the
// activity log, agreements; and another partner sees none of it.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { etagOf } from '../src/http/etag.ts';
import type { TestApp } from './helpers/app.ts';
import { createTestApp } from './helpers/app.ts';
import { createCustomer, customerBody, uniquePrefix } from './helpers/customers.ts';
import type { TestUser } from './helpers/factories.ts';
import { bearer, createPartnerWithAdmin, createUser } from './helpers/factories.ts';

describe('the customer list', () => {
  let t: TestApp;
  let admin: TestUser;
  const made: Record<string, { id: string; domain: string }> = {};

  beforeAll(async () => {
    t = await createTestApp();
    const p = await createPartnerWithAdmin(t.store);
    admin = p.admin;
    for (const [key, name, prefix] of [
      ['cafe', 'Café Zürich AG', 'cafezurich'],
      ['contoso', 'Contoso Ltd', 'contoso'],
      ['contosoEu', 'contoso europe', 'ctsoeu'],
      ['fabrikam', 'Fabrikam Inc', 'fabrikam'],
      ['formula', '=HYPERLINK("http://evil.example","x")', 'formula'],
      ['romashka', 'Ромашка ООО', 'romashka'],
    ] as const) {
      const c = await createCustomer(t.app, admin.token, { name, prefix: uniquePrefix(prefix) });
      made[key] = { id: c.id, domain: (c.companyProfile as { domain: string }).domain };
    }
  });
  afterAll(() => t.close());

  const get = (url: string, token = admin.token) =>
    t.app.inject({ method: 'GET', url, headers: bearer(token) });
  const names = async (url: string) => {
    const r = await get(url);
    expect(r.statusCode, r.body).toBe(200);
    return r
      .json()
      .items.map((c: { billingProfile: { companyName: string } }) => c.billingProfile.companyName);
  };

  it('lists by name with a total, and expands to ids and relationship', async () => {
    const r = await get('/v1/customers');
    expect(r.json().totalCount).toBe(6);
    expect(r.json().attributes).toEqual({ objectType: 'Collection' });
    expect(await names('/v1/customers')).toEqual([
      '=HYPERLINK("http://evil.example","x")',
      'Café Zürich AG',
      'contoso europe',
      'Contoso Ltd',
      'Fabrikam Inc',
      'Ромашка ООО',
    ]);
    const first = r.json().items[1];
    expect(first).toMatchObject({
      id: made.cafe!.id,
      relationshipToPartner: 'reseller',
      allowDelegatedAccess: true,
      companyProfile: { domain: made.cafe!.domain },
    });
  });

  it('searches names and domains from the start or anywhere, ignoring case and accents', async () => {
    expect(await names('/v1/customers?q=CONTOSO')).toEqual(['contoso europe', 'Contoso Ltd']);
    expect(await names('/v1/customers?q=cafe%20zu')).toEqual(['Café Zürich AG']);
    expect(await names(`/v1/customers?q=${encodeURIComponent('CAFÉ')}`)).toEqual(['Café Zürich AG']);
    expect(await names(`/v1/customers?q=${encodeURIComponent('ромаш')}`)).toEqual(['Ромашка ООО']);
    // Prefix: "ltd" is not the start of any name or domain; contains finds it.
    expect(await names('/v1/customers?q=ltd')).toEqual([]);
    expect(await names('/v1/customers?q=ltd&match=contains')).toEqual(['Contoso Ltd']);
    // By domain.
    expect(await names('/v1/customers?q=ctsoeu')).toEqual(['contoso europe']);
    expect(await names(`/v1/customers?q=${made.fabrikam!.domain}`)).toEqual(['Fabrikam Inc']);
    expect(await names('/v1/customers?q=onpartnerdesk&match=contains')).toHaveLength(6);
    // LIKE's own wildcards are plain characters.
    expect(await names('/v1/customers?q=%25')).toEqual([]);
    expect(await names('/v1/customers?q=_&match=contains')).toEqual([]);
    // By id.
    expect(await names(`/v1/customers?customerId=${made.romashka!.id}`)).toEqual(['Ромашка ООО']);
  });

  it('takes Partner Center’s filter, and refuses a bad one with the field at fault', async () => {
    const filter = (f: object) => `/v1/customers?filter=${encodeURIComponent(JSON.stringify(f))}`;
    expect(await names(filter({ Field: 'CompanyName', Value: 'con', Operator: 'starts_with' }))).toEqual([
      'contoso europe',
      'Contoso Ltd',
    ]);
    expect(await names(filter({ field: 'companyname', value: 'ZÜR', operator: 'substring' }))).toEqual([
      'Café Zürich AG',
    ]);
    expect(await names(filter({ Field: 'Domain', Value: 'fabrikam', Operator: 'starts_with' }))).toEqual([
      'Fabrikam Inc',
    ]);
    // "contoso" is a company name, not the start of a domain of the Contoso Europe customer (ctsoeu…).
    expect(await names(filter({ Field: 'Domain', Value: 'contoso', Operator: 'starts_with' }))).toEqual([
      'Contoso Ltd',
    ]);
    for (const [f, field] of [
      [{ Field: 'Country', Value: 'x', Operator: 'starts_with' }, 'filter.Field'],
      [{ Field: 'CompanyName', Value: 'x', Operator: 'equals' }, 'filter.Operator'],
      [{ Field: 'CompanyName', Value: '', Operator: 'starts_with' }, 'filter.Value'],
    ] as const) {
      const r = await get(filter(f));
      expect(r.statusCode).toBe(400);
      expect(r.json()).toMatchObject({ name: 'invalidFilter', details: [{ field }] });
    }
    expect((await get('/v1/customers?filter=nope')).json().name).toBe('invalidFilter');
  });

  it('sorts by creation either way and pages with a cursor bound to its query', async () => {
    expect(await names('/v1/customers?sort=createdAt&order=desc&size=2')).toEqual([
      'Ромашка ООО',
      '=HYPERLINK("http://evil.example","x")',
    ]);
    const seen: string[] = [];
    let url: string | undefined = '/v1/customers?size=4&order=desc';
    let pages = 0;
    while (url) {
      const r = await get(url);
      expect(r.json().totalCount).toBe(6);
      seen.push(...r.json().items.map((c: { id: string }) => c.id));
      url = r.json().links.next?.uri;
      pages++;
    }
    expect(pages).toBe(2);
    expect(new Set(seen).size).toBe(6);
    const first = await get('/v1/customers?size=2');
    const token = first.json().links.next.headers[0].value;
    // The header form works; the token used with another query is refused.
    const viaHeader = await t.app.inject({
      method: 'GET',
      url: '/v1/customers?size=2',
      headers: { ...bearer(admin.token), 'ms-continuationtoken': token },
    });
    expect(viaHeader.json().items[0].billingProfile.companyName).toBe('contoso europe');
    const other = await get(`/v1/customers?size=2&q=c&continuationToken=${token}`);
    expect(other.json().name).toBe('invalidContinuationToken');
  });

  it('exports the exact columns, neutralising formula cells, for the whole list or the search', async () => {
    const all = await get('/v1/customers/export.csv');
    expect(all.statusCode).toBe(200);
    expect(all.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(all.headers['content-disposition']).toMatch(
      /^attachment; filename="customers-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const lines = all.body.trimEnd().split('\r\n');
    expect(lines[0]).toBe('Microsoft ID,Company name,Primary domain name,Relationship');
    expect(lines).toHaveLength(7);
    expect(lines[1]).toBe(
      `${made.formula!.id},"'=HYPERLINK(""http://evil.example"",""x"")",${made.formula!.domain},Reseller`,
    );
    expect(lines).toContain(`${made.cafe!.id},Café Zürich AG,${made.cafe!.domain},Reseller`);
    const some = await get('/v1/customers/export.csv?q=contoso');
    expect(
      some.body
        .trimEnd()
        .split('\r\n')
        .slice(1)
        .map((l) => l.split(',')[1]),
    ).toEqual(['contoso europe', 'Contoso Ltd']);
    expect((await get('/v1/customers/export.csv?filter=%7B')).statusCode).toBe(400);
  });

  it('shows another partner nothing: not in its list or export, 404 on every customer path', async () => {
    const other = await createPartnerWithAdmin(t.store);
    expect((await get('/v1/customers', other.admin.token)).json()).toMatchObject({
      totalCount: 0,
      items: [],
    });
    expect(
      (await get('/v1/customers/export.csv', other.admin.token)).body.trimEnd().split('\r\n'),
    ).toHaveLength(1);
    const id = made.contoso!.id;
    for (const path of [
      `/v1/customers/${id}`,
      `/v1/customers/${id}/profiles/billing`,
      `/v1/customers/${id}/profiles/company`,
      `/v1/customers/${id}/agreements`,
    ]) {
      const r = await get(path, other.admin.token);
      expect(r.statusCode, path).toBe(404);
      expect(r.json().name).toBe('customerNotFound');
    }
    const put = await t.app.inject({
      method: 'PUT',
      url: `/v1/customers/${id}/profiles/billing`,
      // A well-formed ETag of the customer: a malformed one is refused (412) before anything is looked up.
      headers: { ...bearer(other.admin.token), 'if-match': etagOf(id, 1) },
      payload: customerBody().billingProfile,
    });
    expect(put.statusCode).toBe(404);
    // Nothing about the partner's customers in its own list, searched by the other partner's domain.
    expect((await get(`/v1/customers?q=${made.contoso!.domain}`, other.admin.token)).json().totalCount).toBe(
      0,
    );
  });
});

describe('a customer’s profiles and agreements', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const req = (
    token: string,
    method: 'GET' | 'PUT' | 'POST',
    url: string,
    payload?: object,
    headers: Record<string, string> = {},
  ) =>
    t.app.inject({ method, url, headers: { ...bearer(token), ...headers }, ...(payload ? { payload } : {}) });

  it('updates the billing profile with If-Match: stale gets 412 and the current profile, the list follows', async () => {
    const { admin } = await createPartnerWithAdmin(t.store);
    const c = await createCustomer(t.app, admin.token, { name: 'Old Name Inc' });
    const url = `/v1/customers/${c.id}/profiles/billing`;
    const read = await req(admin.token, 'GET', url);
    const profile = read.json();
    expect(read.headers.etag).toBe(profile.attributes.etag);

    const changed = { ...profile, companyName: 'New Name Inc', email: 'ap@newname.example' };
    expect((await req(admin.token, 'PUT', url, changed)).statusCode).toBe(428);
    const ok = await req(admin.token, 'PUT', url, changed, { 'if-match': profile.attributes.etag });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ companyName: 'New Name Inc', email: 'ap@newname.example' });
    expect(ok.json().attributes.etag).not.toBe(profile.attributes.etag);

    // A second tab still holding the old ETag: 412 with the current profile, and nothing overwritten.
    const stale = await req(
      admin.token,
      'PUT',
      url,
      { ...profile, companyName: 'Overwrite Attempt' },
      { 'if-match': profile.attributes.etag },
    );
    expect(stale.statusCode).toBe(412);
    expect(stale.json()).toMatchObject({
      name: 'preconditionFailed',
      data: [{ companyName: 'New Name Inc' }],
    });
    expect((await req(admin.token, 'GET', url)).json().companyName).toBe('New Name Inc');
    // An ETag that is not this profile's (malformed, or another resource's) is stale like any other.
    for (const tag of ['"not-ours"', etagOf(randomUUID(), 1)]) {
      const foreign = await req(
        admin.token,
        'PUT',
        url,
        { ...profile, companyName: 'X' },
        { 'if-match': tag },
      );
      expect(foreign.statusCode, tag).toBe(412);
      expect(foreign.json().data).toMatchObject([{ companyName: 'New Name Inc' }]);
    }

    // The list shows the bill-to name, and finds it by the new name only.
    const list = await req(admin.token, 'GET', '/v1/customers?q=new%20name');
    expect(list.json().items.map((x: { id: string }) => x.id)).toEqual([c.id]);
    expect((await req(admin.token, 'GET', '/v1/customers?q=old%20name')).json().totalCount).toBe(0);

    const log = await req(
      admin.token,
      'GET',
      `/v1/auditrecords?customerId=${c.id}&action=customer.updateBillingProfile`,
    );
    expect(log.json().items[0].additionalInformation).toEqual({
      before: { companyName: 'Old Name Inc', email: 'billing@contoso.example' },
      after: { companyName: 'New Name Inc', email: 'ap@newname.example' },
    });

    // Bad input is named by field, without the body's prefix; nothing changes.
    const bad = await req(
      admin.token,
      'PUT',
      url,
      { ...ok.json(), defaultAddress: { ...ok.json().defaultAddress, postalCode: 'ABC' } },
      { 'if-match': ok.json().attributes.etag },
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details.map((d: { field: string }) => d.field)).toEqual(['defaultAddress.postalCode']);
  });

  it('lets exactly one of two concurrent updates with the same ETag win', async () => {
    const { admin } = await createPartnerWithAdmin(t.store);
    const c = await createCustomer(t.app, admin.token);
    const url = `/v1/customers/${c.id}/profiles/billing`;
    const profile = (await req(admin.token, 'GET', url)).json();
    const results = await Promise.all(
      ['First Writer Inc', 'Second Writer Inc'].map((companyName) =>
        req(admin.token, 'PUT', url, { ...profile, companyName }, { 'if-match': profile.attributes.etag }),
      ),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 412]);
    const winner = results.find((r) => r.statusCode === 200)!.json().companyName;
    expect((await req(admin.token, 'GET', url)).json().companyName).toBe(winner);
    const log = await req(
      admin.token,
      'GET',
      `/v1/auditrecords?customerId=${c.id}&action=customer.updateBillingProfile`,
    );
    expect(log.json().totalCount).toBe(1);
  });

  it('lets a helpdesk agent edit company details but not the billing profile', async () => {
    const { partner, admin } = await createPartnerWithAdmin(t.store);
    const helpdesk = await createUser(t.store, partner.id, { roles: ['helpdeskAgent'] });
    const c = await createCustomer(t.app, admin.token);
    const company = await req(helpdesk.token, 'GET', `/v1/customers/${c.id}/profiles/company`);
    expect(company.statusCode).toBe(200);
    const put = await req(
      helpdesk.token,
      'PUT',
      `/v1/customers/${c.id}/profiles/company`,
      { companyName: 'Contoso Holdings' },
      { 'if-match': company.json().attributes.etag },
    );
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json().companyName).toBe('Contoso Holdings');
    const billing = await req(helpdesk.token, 'GET', `/v1/customers/${c.id}/profiles/billing`);
    const refused = await req(
      helpdesk.token,
      'PUT',
      `/v1/customers/${c.id}/profiles/billing`,
      billing.json(),
      {
        'if-match': billing.json().attributes.etag,
      },
    );
    expect(refused.statusCode).toBe(403);
    // The registration number is refused for a US customer.
    const reg = await req(
      helpdesk.token,
      'PUT',
      `/v1/customers/${c.id}/profiles/company`,
      { companyName: 'Contoso Holdings', organizationRegistrationNumber: '12345' },
      { 'if-match': put.json().attributes.etag },
    );
    expect(reg.json().details[0].field).toBe('organizationRegistrationNumber');
  });

  it('confirms the customer agreement, never with a future date', async () => {
    const { admin } = await createPartnerWithAdmin(t.store);
    const c = await createCustomer(t.app, admin.token);
    const url = `/v1/customers/${c.id}/agreements`;
    const signer = {
      firstName: 'Sam',
      lastName: 'Signer',
      email: 'sam@contoso.example',
      phoneNumber: '+1 425 555 0199',
    };
    const future = await req(admin.token, 'POST', url, { ...signer, dateAgreed: '2999-12-31' });
    expect(future.statusCode).toBe(400);
    expect(future.json().details).toEqual([{ field: 'dateAgreed', reason: 'must not be in the future' }]);
    const longName = await req(admin.token, 'POST', url, {
      ...signer,
      firstName: 'x'.repeat(51),
      dateAgreed: '2026-11-01',
    });
    expect(longName.json().details[0].field).toBe('firstName');
    const ok = await req(admin.token, 'POST', url, { ...signer, dateAgreed: '2026-11-01' });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ dateAgreed: '2026-11-01', confirmedBy: 'partner' });
    expect((await req(admin.token, 'GET', `/v1/customers/${c.id}`)).json().customerAgreement).toEqual({
      confirmed: true,
      dateAgreed: '2026-11-01',
    });
  });
});
