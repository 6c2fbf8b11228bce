// GET /v1/users/import-template.csv: the users file template, where the instance allows adding users in bulk.
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkUsersCsv } from '../src/modules/userImports/users.csv.ts';
import type { TestApp } from './helpers/app.ts';
import { createTestApp } from './helpers/app.ts';
import { bearer, createPartnerWithAdmin, createUser } from './helpers/factories.ts';

const URL = '/v1/users/import-template.csv';

describe('the users file template', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('is the template’s header row, UTF-8 with a BOM, as a download', async () => {
    const { admin } = await createPartnerWithAdmin(t.store);
    const r = await t.app.inject({ method: 'GET', url: URL, headers: bearer(admin.token) });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(r.headers['content-disposition']).toBe('attachment; filename="users-template.csv"');
    expect(r.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(r.body).toBe('\uFEFFFirst name,Last name,Display name,Email,Status update\r\n');
    // The template as it is is a valid file with no users.
    const rows = [];
    for await (const row of checkUsersCsv(Readable.from([r.rawPayload]), {
      domains: ['contoso.example'],
      maxRows: 10,
      existing: async () => new Set(),
    }))
      rows.push(row);
    expect(rows).toEqual([]);
  });

  it('is refused where the instance does not allow bulk users, and to roles that do not manage users', async () => {
    for (const instance of ['usgov', 'germany'] as const) {
      const { admin } = await createPartnerWithAdmin(t.store, { instance });
      const r = await t.app.inject({ method: 'GET', url: URL, headers: bearer(admin.token) });
      expect(r.statusCode, instance).toBe(403);
      expect(r.json()).toMatchObject({ name: 'instanceCapabilityRefused' });
    }
    const { partner } = await createPartnerWithAdmin(t.store);
    const sales = await createUser(t.store, partner.id, { roles: ['salesAgent'] });
    const r = await t.app.inject({ method: 'GET', url: URL, headers: bearer(sales.token) });
    expect(r.json()).toMatchObject({ name: 'forbidden' });
  });
});
