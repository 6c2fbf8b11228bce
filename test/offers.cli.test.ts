// `partnerdesk offers import|list` (operator, owner connection) run as a child process against a test
// database: counts printed, a second import changes nothing, every problem of a broken file on its own line
// naming the offer and field with exit code 1 and nothing written, the list with a country's prices; and
// `partnerdesk seed` imports the demo catalog once, which a store without the demo lacks.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/app.ts';
import { buildApp } from '../src/app.ts';
import type { Store } from '../src/db/database.ts';
import { openStore } from '../src/db/database.ts';
import { runDatabaseCli } from './helpers/child.ts';
import type { TestDatabase } from './helpers/db.ts';
import { createTestDatabase, testConfig } from './helpers/db.ts';
import { bearer, createPartnerWithAdmin } from './helpers/factories.ts';
import { catalogOf, licenseOffer, softwareOffer, usageOffer } from './helpers/catalog-files.ts';

describe('partnerdesk offers (CLI)', () => {
  let db: TestDatabase;
  let store: Store;
  let app: App;
  let tmp: string;

  const cli = (args: string[], env: Record<string, string> = {}, database = db.url) =>
    runDatabaseCli(args, { cwd: tmp, databaseUrl: database, env });

  const write = (name: string, content: unknown) => {
    const file = path.join(tmp, name);
    fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
    return file;
  };

  const offers = [
    licenseOffer('SUITE-STD', 'Suite Standard', { price: 1250 }),
    licenseOffer('SUITE-ADDON', 'Suite add-on', { price: 400, prerequisiteOffers: ['SUITE-STD'] }),
    usageOffer('AZURE-PLAN', 'Azure plan', { productKind: 'azurePlan' }),
    softwareOffer('SRV-16C', 'Server 16 cores', { price: 106900, countries: ['US', 'DE'] }),
  ];

  beforeAll(async () => {
    db = await createTestDatabase();
    const config = testConfig(db.url);
    store = await openStore(config, () => undefined);
    app = await buildApp({ config, store, logger: false });
    await app.ready();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'partnerdesk-offers-'));
  });
  afterAll(async () => {
    await app?.close();
    await store?.close();
    await db?.drop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('says the catalog is empty on a store that never had one', async () => {
    const run = await cli(['offers', 'list']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/The catalog is empty\. Import one with `partnerdesk offers import/);
  });

  it('imports a catalog file and prints the counts; the same file again changes nothing', async () => {
    const file = write('catalog.json', catalogOf(offers));
    const first = await cli(['offers', 'import', file]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('3 markets');
    expect(first.stdout).toContain('Offers added: 4');
    expect(first.stdout).toContain('Offers updated: 0');
    expect(first.stdout).toContain('Offers retired: 0');

    const again = await cli(['offers', 'import', file]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(
      /Offers added: 0\nOffers updated: 0\nOffers unchanged: 4\nOffers retired: 0/,
    );

    // Partners see it at once.
    const { admin } = await createPartnerWithAdmin(store);
    const r = await app.inject({ method: 'GET', url: '/v1/offers', headers: bearer(admin.token) });
    expect(r.json().totalCount).toBe(4);
  });

  it('retires an offer missing from the file and updates a changed one', async () => {
    const changed = [
      licenseOffer('SUITE-STD', 'Suite Standard', { price: 1300 }),
      ...offers.filter((o) => o.id !== 'SUITE-STD' && o.id !== 'SUITE-ADDON'),
    ];
    const run = await cli(['offers', 'import', write('changed.json', catalogOf(changed))]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Offers added: 0\nOffers updated: 1\nOffers unchanged: 2\nOffers retired: 1/);
    const addOn = await store.owner
      .selectFrom('offers')
      .select('is_available')
      .where('id', '=', 'SUITE-ADDON')
      .executeTakeFirstOrThrow();
    expect(addOn.is_available).toBe(false);
    // Back to the first file for the tests below.
    expect((await cli(['offers', 'import', write('catalog.json', catalogOf(offers))])).code).toBe(0);
  });

  it('lists every problem of a broken file on its own line, exits 1 and writes nothing', async () => {
    const before = await store.owner.selectFrom('offers').selectAll().orderBy('id').execute();
    const broken = catalogOf([
      { ...offers[0]!, name: 'Suite Standard (new)', maximumQuantity: 0 },
      { ...offers[1]!, prerequisiteOffers: ['NO-SUCH-SUITE'] },
      { ...offers[2]!, cancellable: true },
      licenseOffer('NEW-OFFER', 'New', { instances: ['moon'] }),
    ]);
    const run = await cli(['offers', 'import', write('broken.json', broken)]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trim().split('\n');
    expect(lines).toEqual([
      'offers[SUITE-STD].maximumQuantity: must be a whole number from 1 to 1000000',
      'offers[SUITE-ADDON].prerequisiteOffers[0]: NO-SUCH-SUITE is not an offer of this catalog',
      'offers[AZURE-PLAN].cancellable: must be false: only reservations and software are cancelled (other subscriptions are suspended)',
      'offers[NEW-OFFER].instances[0]: must be one of global, usgov, germany',
      expect.stringMatching(/^partnerdesk: .*broken\.json has 4 problems; nothing was imported$/),
    ]);
    expect(await store.owner.selectFrom('offers').selectAll().orderBy('id').execute()).toEqual(before);
  });

  it('fails in one line on a file that is missing or not JSON', async () => {
    const missing = await cli(['offers', 'import', path.join(tmp, 'nope.json')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^partnerdesk: cannot read .*nope\.json: ENOENT/);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    const notJson = await cli(['offers', 'import', write('bad.json', '{ "markets": [')]);
    expect(notJson.code).toBe(1);
    expect(notJson.stderr).toMatch(/^partnerdesk: .*bad\.json is not JSON/);
  });

  it('lists the offers for sale, with a country’s default price, or as JSON', async () => {
    const all = await cli(['offers', 'list']);
    expect(all.code, all.stderr).toBe(0);
    const lines = all.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^ID\s+NAME\s+KIND\s+BILLING\s+TERMS\s+QUANTITY\s+INSTANCES$/);
    expect(lines.slice(1, -1).map((l) => l.split(/\s+/)[0])).toEqual([
      'AZURE-PLAN',
      'SRV-16C',
      'SUITE-ADDON',
      'SUITE-STD',
    ]);
    expect(all.stdout).toContain('Suite add-on (add-on)');
    expect(lines.at(-1)).toBe('4 offers');

    const de = await cli(['offers', 'list', '--country', 'de']);
    expect(de.code, de.stderr).toBe(0);
    // First term and cycle: P1M monthly, in euros.
    expect(de.stdout).toMatch(/SUITE-STD .* 12\.50 EUR P1M\/monthly/);
    expect(de.stdout).toMatch(/SRV-16C .* 1069\.00 EUR oneTime/);
    expect(de.stdout).toMatch(/AZURE-PLAN .* usage-based/);

    const jp = await cli(['offers', 'list', '--json'], { PARTNERDESK_OFFERS_COUNTRY: 'JP' });
    expect(jp.code, jp.stderr).toBe(0);
    const items = JSON.parse(jp.stdout) as { id: string; currency: string; instances: string[] }[];
    expect(items.map((o) => o.id)).toEqual(['AZURE-PLAN', 'SUITE-ADDON', 'SUITE-STD']);
    expect(items.every((o) => o.currency === 'JPY')).toBe(true);
    expect(items[0]!.instances).toEqual(['global', 'usgov', 'germany']);

    const unknown = await cli(['offers', 'list', '--country', 'FR']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^partnerdesk: .*country FR is not a market of the catalog/);
  });

  it('seed imports the demo catalog once, and keeps a store’s own catalog', async () => {
    const fresh = await createTestDatabase();
    try {
      const first = await cli(['seed'], {}, fresh.url);
      expect(first.code, first.stderr).toBe(0);
      expect(first.stdout).toMatch(/Created offer catalog: \d+ offers in \d+ markets/);
      const list = await cli(['offers', 'list', '--country', 'US'], {}, fresh.url);
      expect(list.stdout).toContain('M365-E3');
      const again = await cli(['seed'], {}, fresh.url);
      expect(again.stdout).toContain('Already exists: offer catalog');
      expect(again.stdout).toContain('The demo data already exists; nothing to do.');
    } finally {
      await fresh.drop();
    }
    // A store with its own catalog: seeding adds the demo partners but leaves the catalog alone.
    const seeded = await cli(['seed']);
    expect(seeded.code, seeded.stderr).toBe(0);
    expect(seeded.stdout).toContain('Already exists: offer catalog');
    const ids = await store.owner
      .selectFrom('offers')
      .select('id')
      .where('is_available', '=', true)
      .execute();
    expect(ids.map((r) => r.id).sort()).toEqual(['AZURE-PLAN', 'SRV-16C', 'SUITE-ADDON', 'SUITE-STD']);
  });
});
