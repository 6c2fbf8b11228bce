// `partnerdesk invoices …`, `usage upload` and `billing close|credit-note` run as child processes: the partner's
// commands against a real Partnerdesk listening on a free port, the operator's on the test database (owner
// connection). A partner uploads last month's usage from a file (checked first, nothing sent when a row is wrong;
// sending it again, or a longer copy, records nothing twice; a row the API refuses is named by its line), sees
// the month's charges so far, the operator closes the month, and the partner lists the invoice, shows it,
// exports its reconciliation CSV (which sums to its total) and saves its PDF statement; the operator credits a
// line. Another partner sees none of it.
//
// The month is the one before today (the operator's commands run on the real clock); the server's clock is set
// inside that month while the subscriptions and usage are made.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/app.ts';
import { buildApp } from '../src/app.ts';
import { formatMinor } from '../src/modules/billing/billing.money.ts';
import { testClock } from './helpers/app.ts';
import { minorUnits, pdfText } from './helpers/billing.ts';
import { runApiCli, runDatabaseCli } from './helpers/child.ts';
import { createTestStore } from './helpers/db.ts';
import type { TestPartner, TestUser } from './helpers/factories.ts';
import { createPartnerWithAdmin, createUser } from './helpers/factories.ts';
import type { TestCatalog } from './helpers/offers.ts';
import { insertReadyCustomer, insertTestCatalog, subscribe } from './helpers/offers.ts';

/** The month before today's (UTC), as 'YYYY-MM', its first day as a Date, and a day of it as 'YYYY-MM-DD'. */
const today = new Date();
const month = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - 1, 1));
const P = month.toISOString().slice(0, 7);
const day = (d: number) => `${P}-${String(d).padStart(2, '0')}`;
const at = (d: number, time = '09:00:00') => new Date(`${day(d)}T${time}Z`);
const daysInMonth = new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 0)).getUTCDate();

describe('partnerdesk invoices, usage upload and billing (CLI)', () => {
  let t: Awaited<ReturnType<typeof createTestStore>>;
  let app: App;
  let url: string;
  let tmp: string;
  let catalog: TestCatalog;
  let partner: { partner: TestPartner; admin: TestUser };
  let other: { partner: TestPartner; admin: TestUser };
  let customer: { id: string; name: string; domain: string };
  let suite: string;
  let plan: string;
  const clock = testClock(at(1));

  const asPartner = (args: string[], env: Record<string, string> = {}) =>
    runApiCli(args, { cwd: tmp, url, token: partner.admin.token, env });
  const asOther = (args: string[]) => runApiCli(args, { cwd: tmp, url, token: other.admin.token });
  const operator = (args: string[], env: Record<string, string> = {}) =>
    runDatabaseCli(args, { cwd: tmp, databaseUrl: t.db.url, env });
  const write = (name: string, text: string) => {
    const file = path.join(tmp, name);
    fs.writeFileSync(file, text);
    return file;
  };
  const usageCount = async () =>
    Number(
      (
        await t.store.owner
          .selectFrom('usage_records')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('partner_id', '=', partner.partner.id)
          .executeTakeFirstOrThrow()
      ).n,
    );

  /** The invoice the operator's close wrote for the partner (set by the close test). */
  let invoiceId: string;

  beforeAll(async () => {
    t = await createTestStore();
    app = await buildApp({ config: t.config, store: t.store, clock, logger: false });
    url = await app.listen({ port: 0, host: '127.0.0.1' });
    catalog = await insertTestCatalog(t.store);
    // The Azure plan's meters: hours at 9.6 cents, outbound GB at 0.87 cents (US dollars).
    await t.store.owner
      .insertInto('offer_meters')
      .values([
        { offer_id: catalog.azurePlan, meter_id: 'vm-hours', name: 'Virtual machine', unit: '1 Hour' },
        { offer_id: catalog.azurePlan, meter_id: 'egress-gb', name: 'Data transfer out', unit: '1 GB' },
      ])
      .execute();
    await t.store.owner
      .insertInto('meter_prices')
      .values([
        {
          offer_id: catalog.azurePlan,
          meter_id: 'vm-hours',
          currency: 'USD',
          effective_from: '2020-01-01',
          unit_price: '9.6',
        },
        {
          offer_id: catalog.azurePlan,
          meter_id: 'egress-gb',
          currency: 'USD',
          effective_from: '2020-01-01',
          unit_price: '0.87',
        },
      ])
      .execute();
    partner = await createPartnerWithAdmin(t.store, { name: `Billing Reseller ${Date.now()}` });
    other = await createPartnerWithAdmin(t.store, { name: `Other Reseller ${Date.now()}` });
    customer = await insertReadyCustomer(t.store, partner.partner.id, { name: 'Adatum Corporation' });
    // Both start on the month's first day: ten seats at 36.00 a month, and an Azure plan.
    suite = await subscribe(app, partner.admin.token, customer.id, catalog.suite, 10);
    plan = await subscribe(app, partner.admin.token, customer.id, catalog.azurePlan, 1);
    clock.set(at(20, '12:00:00'));
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'partnerdesk-billing-'));
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('usage upload checks the whole file first: every bad row by its line, and nothing sent', async () => {
    const file = write(
      'bad.csv',
      [
        'subscriptionId,meterId,usageDate,quantity',
        `${plan},vm-hours,${day(3)},10`,
        `not-a-guid,vm-hours,${day(3)},1`,
        `${plan},vm hours,${day(31 + 1)},-2`,
        `${plan},egress-gb,${day(4)},1.1234567`,
        '',
        `${plan},egress-gb,2999-01-01,1`,
      ].join('\n'),
    );
    const run = await asPartner(['usage', 'upload', file]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('line 3: subscriptionId "not-a-guid" is not a subscription id (a GUID)');
    expect(run.stderr).toContain('line 4: meterId "vm hours" is not a meter id');
    expect(run.stderr).toMatch(/line 4: usageDate "\d{4}-\d\d-32" is not a date like 2026-11-30/);
    expect(run.stderr).toContain('line 4: quantity must not be negative');
    expect(run.stderr).toContain('line 5: quantity "1.1234567" is not a quantity like 12 or 0.125');
    // The blank line is skipped, and counted: the next row is line 7.
    expect(run.stderr).toMatch(/line 7: usageDate 2999-01-01 is in the future/);
    expect(run.stderr).toMatch(/partnerdesk: .*bad\.csv has 6 problems; nothing was sent\n$/);
    expect(run.stderr).not.toContain('line 2:');
    expect(await usageCount()).toBe(0);

    const header = await asPartner([
      'usage',
      'upload',
      write('header.csv', `subscription,meterId,usageDate,quantity\n${plan},vm-hours,${day(3)},1\n`),
    ]);
    expect(header.code).toBe(1);
    expect(header.stderr).toMatch(
      /line 1: the first line must name the columns .*missing: subscriptionId; not known: subscription/,
    );
    const twice = await asPartner([
      'usage',
      'upload',
      write(
        'twice.csv',
        `clientRecordId,subscriptionId,meterId,usageDate,quantity\na-1,${plan},vm-hours,${day(3)},1\na-1,${plan},vm-hours,${day(4)},1\n`,
      ),
    ]);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain('line 3: clientRecordId "a-1" is also on line 2');
    expect(await usageCount()).toBe(0);
  });

  /** Last month's usage of the Azure plan. */
  const rows = () => [
    `${plan},vm-hours,${day(3)},10`,
    `${plan},vm-hours,${day(4)},2.50`,
    `${plan},egress-gb,${day(4)},3`,
  ];

  it('usage upload sends the rows in batches and says how many were accepted; again, all are duplicates', async () => {
    const file = write(
      'usage.csv',
      `\uFEFFsubscriptionId,meterId,usageDate,quantity\r\n${rows().join('\r\n')}\r\n`,
    );
    const run = await asPartner(['usage', 'upload', file], { PARTNERDESK_USAGE_BATCH_SIZE: '2' });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(`3 usage records from ${file}: 3 accepted, 0 duplicates (already recorded).\n`);
    // Not a terminal: a progress line instead of a bar.
    expect(run.stderr).toContain('3/3 records (3 accepted, 0 duplicates)');
    expect(await usageCount()).toBe(3);

    const again = await asPartner(['usage', 'upload', file]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('3 usage records from');
    expect(again.stdout).toContain(': 0 accepted, 3 duplicates');
    expect(await usageCount()).toBe(3);
  });

  it('usage upload of a longer copy of the file records only the new row; a row the API refuses is named by its line', async () => {
    // The same rows in another order, written differently, and one more (an hour on the 5th).
    const longer = write(
      'usage-longer.csv',
      `quantity,usageDate,meterId,subscriptionId\n3,${day(4)},egress-gb,${plan}\n010,${day(3)},vm-hours,${plan}\n` +
        `2.5,${day(4)},vm-hours,${plan}\n0,${day(5)},vm-hours,${plan}\n`,
    );
    const run = await asPartner(['usage', 'upload', longer]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(': 1 accepted, 3 duplicates');
    expect(await usageCount()).toBe(4);

    // The licence suite is not usage-based: the API refuses its batch, and nothing of it is recorded.
    const refused = write(
      'refused.csv',
      `subscriptionId,meterId,usageDate,quantity\n${plan},vm-hours,${day(6)},1\n${suite},vm-hours,${day(6)},1\n`,
    );
    const bad = await asPartner(['usage', 'upload', refused]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^line 3: subscriptionId: \S.*\n/);
    expect(bad.stderr).not.toContain('line 2:');
    expect(bad.stderr).toMatch(
      /\npartnerdesk: batch 1 of 1 \(lines 2–3\) was refused, nothing of it recorded: .* \[usageRecordsRejected 101301\]\n$/,
    );
    expect(await usageCount()).toBe(4);
    // Another partner cannot record usage on this partner's subscription.
    const stranger = await asOther([
      'usage',
      'upload',
      write('stranger.csv', `subscriptionId,meterId,usageDate,quantity\n${plan},vm-hours,${day(6)},1\n`),
    ]);
    expect(stranger.code).toBe(1);
    expect(stranger.stderr).toMatch(/line 2: subscriptionId: No such subscription/);
  });

  it('usage upload refused part way: the batches before it are recorded, and once the row is fixed they count as duplicates', async () => {
    const header = 'subscriptionId,meterId,usageDate,quantity\n';
    // Nothing measured on the 6th (zero quantities: the month's amounts stay as they are).
    const good = `${plan},vm-hours,${day(6)},0\n${plan},egress-gb,${day(6)},0\n`;
    const file = write('partly.csv', `${header}${good}${suite},vm-hours,${day(6)},1\n`);
    const run = await asPartner(['usage', 'upload', file, '--batch-size', '2']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^2\/3 records \(2 accepted, 0 duplicates\)\nline 4: subscriptionId: \S.*\n/);
    expect(run.stderr).toContain(
      'The 2 records before line 4 were sent (2 accepted, 0 duplicates): fix the file and run it again, they will count as duplicates.',
    );
    expect(run.stderr).toMatch(
      /\npartnerdesk: batch 2 of 2 \(line 4\) was refused, nothing of it recorded: /,
    );
    expect(await usageCount()).toBe(6);

    fs.writeFileSync(file, `${header}${good}`);
    const fixed = await asPartner(['usage', 'upload', file, '--batch-size', '2']);
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(fixed.stdout).toContain(': 0 accepted, 2 duplicates');
    expect(await usageCount()).toBe(6);
  });

  it("invoices unbilled: the month's charges so far, with the totals", async () => {
    const run = await asPartner(['invoices', 'unbilled']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`Charges so far in ${P} (not invoiced yet):`);
    // Ten seats from the 1st to the 20th (the server's today), and the usage so far, per meter.
    const seats = Math.round((10 * 3600 * 20) / daysInMonth);
    expect(run.stdout).toMatch(
      new RegExp(
        `Adatum Corporation\\s+.*prorateCharge\\s+10 Licenses\\s+20\\s+${day(1)}\\s+${day(20)}\\s+${formatMinor(seats, 'USD').replace('.', '\\.')}\\s+USD\\n`,
      ),
    );
    // 12.5 hours × 9.6 = 120 cents; 3 GB × 0.87 = 2.61, rounded once to 3.
    expect(run.stdout).toMatch(/usage\s+12\.5 1 Hour\s+—\s+\S+\s+\S+\s+1\.20\s+USD\n/);
    expect(run.stdout).toMatch(/usage\s+3 1 GB\s+—\s+\S+\s+\S+\s+0\.03\s+USD\n/);
    expect(run.stdout).toContain(`Total USD: ${formatMinor(seats + 120 + 3, 'USD')}\n`);

    const json = await asPartner(['invoices', 'unbilled', '--customer', customer.domain, '--json']);
    expect(json.code, json.stderr).toBe(0);
    const items = JSON.parse(json.stdout) as { amount: number }[];
    expect(items.reduce((s, i) => s + i.amount, 0)).toBe(seats + 123);

    // A Billing admin may not look customers up: it names the customer by its id.
    const billingAdmin = await createUser(t.store, partner.partner.id, { roles: ['billingAdmin'] });
    const asBillingAdmin = (args: string[]) => runApiCli(args, { cwd: tmp, url, token: billingAdmin.token });
    const byId = await asBillingAdmin(['invoices', 'unbilled', '--customer', customer.id]);
    expect(byId.code, byId.stderr).toBe(0);
    expect(byId.stdout).toContain(`Total USD: ${formatMinor(seats + 123, 'USD')}\n`);
    const byDomain = await asBillingAdmin(['invoices', 'unbilled', '--customer', customer.domain]);
    expect(byDomain.code).toBe(1);
    expect(byDomain.stderr).toContain(
      `--customer: your roles cannot look customers up by domain; give the customer's id instead of ${customer.domain}`,
    );
    // A Sales agent sees no billing.
    const sales = await createUser(t.store, partner.partner.id, { roles: ['salesAgent'] });
    const refused = await runApiCli(['invoices', 'unbilled'], { cwd: tmp, url, token: sales.token });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/\(billing\.manage\)\. \[forbidden 100105\]\n$/);
  });

  it('billing close: the operator closes the ended month, once; usage can no longer be added to it', async () => {
    const early = await operator(['billing', 'close', '--period', today.toISOString().slice(0, 7)]);
    expect(early.code).toBe(1);
    expect(early.stderr).toMatch(/--period \d{4}-\d\d has not ended yet/);

    const run = await operator(['billing', 'close'], { PARTNERDESK_BILLING_PERIOD: P });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(`Closed 1 partner month (${P}): 1 invoice issued.\n`);
    // Progress on stderr, one line per partner's month as it closes.
    expect(run.stderr).toContain(`[1/1] ${P} of partner ${partner.partner.id}: 1 invoice`);
    const again = await operator(['billing', 'close']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toBe('Nothing to close: every ended month is already invoiced.\n');

    const inv = await t.store.owner
      .selectFrom('invoices')
      .select(['id', 'total_charges'])
      .where('partner_id', '=', partner.partner.id)
      .executeTakeFirstOrThrow();
    invoiceId = inv.id;
    // The whole month of ten seats, and the usage.
    expect(inv.total_charges).toBe(36000 + 120 + 3);

    const late = await asPartner([
      'usage',
      'upload',
      write('late.csv', `subscriptionId,meterId,usageDate,quantity\n${plan},vm-hours,${day(7)},1\n`),
    ]);
    expect(late.code).toBe(1);
    expect(late.stderr).toMatch(/^line 2: usageDate: \S.*\n/);
    expect(late.stderr).toMatch(/\[billingPeriodClosed 101303\]\n$/);
    expect(await usageCount()).toBe(6);
  });

  it('invoices list: the month’s invoice, by period; another partner has none', async () => {
    const run = await asPartner(['invoices', 'list']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(
      new RegExp(
        `\\n${invoiceId}\\s+\\d{4}-\\d\\d-\\d\\d\\s+invoice \\(recurring\\)\\s+${P}\\s+USD\\s+361\\.23\\s+3\\s*\\n`,
      ),
    );
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe('1 of 1');
    const none = await asPartner(['invoices', 'list', '--period', '2001-01']);
    expect(none.stdout).toContain('No invoices for 2001-01.');
    const json = await asPartner(['invoices', 'list', '--json'], { PARTNERDESK_INVOICE_PERIOD: P });
    expect(JSON.parse(json.stdout)).toMatchObject([
      { id: invoiceId, totalCharges: 36123, currencyCode: 'USD' },
    ]);
    const bad = await asPartner(['invoices', 'list', '--period', 'November']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--period must be a month like 2026-11, not "November"');

    const stranger = await asOther(['invoices', 'list']);
    expect(stranger.stdout).toContain('No invoices yet.');
  });

  it('invoices show: dates, totals, invoice details and totals by customer; 404 for another partner', async () => {
    const run = await asPartner(['invoices', 'show', invoiceId.toLowerCase()]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(
      new RegExp(`^Invoice:\\s+${invoiceId}\\nDocument:\\s+invoice \\(recurring\\)\\n`),
    );
    expect(run.stdout).toMatch(new RegExp(`Period:\\s+${day(1)} – ${day(daysInMonth)}\\n`));
    expect(run.stdout).toMatch(/Total charges:\s+361\.23 USD\n/);
    expect(run.stdout).toMatch(/Lines:\s+3\n/);
    expect(run.stdout).toMatch(/Invoice details:\n\s+PROVIDER\s+LINE ITEMS\s+LINES\s+TOTAL\n/);
    expect(run.stdout).toMatch(/\n\s+office\s+billingLineItems\s+1\s+360\.00\n/);
    expect(run.stdout).toMatch(/\n\s+azure\s+usageLineItems\s+2\s+1\.23\n/);
    expect(run.stdout).toMatch(
      new RegExp(`Totals by customer:\\n.*\\n\\s+Adatum Corporation\\s+${customer.id}\\s+361\\.23\\n`),
    );

    const json = await asPartner(['invoices', 'show', invoiceId, '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ id: invoiceId, totalCharges: 36123, lineCount: 3 });

    const stranger = await asOther(['invoices', 'show', invoiceId]);
    expect(stranger.code).toBe(1);
    expect(stranger.stderr).toMatch(/\[invoiceNotFound 101304\]\n$/);
    const malformed = await asPartner(['invoices', 'show', 'INV-1']);
    expect(malformed.code).toBe(1);
    expect(malformed.stderr).toContain('"INV-1" is not an invoice id');
  });

  it('invoices export: the reconciliation CSV, whose amounts sum to the total; statement: the PDF', async () => {
    const run = await asPartner(['invoices', 'export', invoiceId]);
    expect(run.code, run.stderr).toBe(0);
    const file = path.join(tmp, `${invoiceId}-reconciliation.csv`);
    expect(run.stdout).toBe(`3 lines of ${invoiceId} exported to ${invoiceId}-reconciliation.csv\n`);
    const records = parse(fs.readFileSync(file, 'utf8'), { bom: true, columns: true }) as Record<
      string,
      string
    >[];
    expect(records).toHaveLength(3);
    expect(records.map((r) => r.CustomerName)).toEqual([
      'Adatum Corporation',
      'Adatum Corporation',
      'Adatum Corporation',
    ]);
    expect(records.reduce((sum, r) => sum + minorUnits(r.Amount!, 2), 0)).toBe(36123);

    const named = await asPartner(['invoices', 'export', invoiceId, '--out', 'november.csv']);
    expect(named.code, named.stderr).toBe(0);
    expect(fs.readFileSync(path.join(tmp, 'november.csv'), 'utf8')).toBe(fs.readFileSync(file, 'utf8'));

    const pdf = await asPartner(['invoices', 'statement', invoiceId]);
    expect(pdf.code, pdf.stderr).toBe(0);
    expect(pdf.stdout).toMatch(
      new RegExp(`^Statement of ${invoiceId} saved to ${invoiceId}\\.pdf \\(\\d+ KB\\)\\n$`),
    );
    const text = (await pdfText(fs.readFileSync(path.join(tmp, `${invoiceId}.pdf`)))).join('\n');
    expect(text).toContain(invoiceId);
    expect(text).toContain('361.23');
    const stranger = await asOther(['invoices', 'statement', invoiceId, '--out', 'theirs.pdf']);
    expect(stranger.code).toBe(1);
    expect(stranger.stderr).toMatch(/\[invoiceNotFound 101304\]\n$/);
    expect(fs.existsSync(path.join(tmp, 'theirs.pdf'))).toBe(false);
  });

  it('billing credit-note: credits part of a line, never more than is left; the invoice shows it', async () => {
    // The seats' line (lines are in customer, subscription and date order).
    const seats = String(
      (
        await t.store.owner
          .selectFrom('invoice_line_items')
          .select('line_number')
          .where('invoice_id', '=', invoiceId)
          .where('subscription_id', '=', suite)
          .executeTakeFirstOrThrow()
      ).line_number,
    );
    const run = await operator([
      'billing',
      'credit-note',
      '--invoice',
      invoiceId,
      '--line',
      seats,
      '--amount',
      '1000',
      '--reason',
      'One seat was never used',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const cn = /Credit note (CN\d{10}) issued/.exec(run.stdout)?.[1];
    expect(run.stdout).toBe(`Credit note ${cn} issued for invoice ${invoiceId}: -10.00 USD (1 line).\n`);

    const tooMuch = await operator(
      ['billing', 'credit-note', '--invoice', invoiceId, '--line', seats, '--amount', '35001'],
      {
        PARTNERDESK_CREDIT_REASON: 'Again',
      },
    );
    expect(tooMuch.code).toBe(1);
    expect(tooMuch.stderr).toContain(`lines[0].amount Line ${seats} has 350.00 USD left to credit`);
    const twoLines = await operator([
      'billing',
      'credit-note',
      '--invoice',
      invoiceId,
      '--line',
      '1,2',
      '--amount',
      '5',
      '--reason',
      'x',
    ]);
    expect(twoLines.code).toBe(1);
    expect(twoLines.stderr).toContain('--amount credits part of one line: give one --line with it');

    const shown = await asPartner(['invoices', 'show', invoiceId]);
    expect(shown.stdout).toMatch(new RegExp(`Credit note:\\s+${cn} of \\S+ \\S+ UTC: -10\\.00 USD\\n`));
    const list = await asPartner(['invoices', 'list', '--document-type', 'creditNote']);
    expect(list.stdout).toMatch(
      new RegExp(
        `\\n${cn}\\s+\\S+\\s+credit note \\(recurring\\)\\s+${P}\\s+USD\\s+-10\\.00\\s+1\\s+${invoiceId}\\n`,
      ),
    );
  });

  it('export --out - (or its variable) writes the CSV to stdout', async () => {
    const run = await asPartner(['invoices', 'export', invoiceId], { PARTNERDESK_INVOICE_EXPORT_OUT: '-' });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^(\uFEFF)?InvoiceNumber,LineNumber,CustomerId,CustomerName,/);
    expect(run.stderr).toContain(`3 lines of ${invoiceId} exported.`);
  });
});
