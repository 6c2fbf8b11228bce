// Reading invoices through the API: the list (newest first, filters, paging), one invoice with its lines per
// provider, amendments and totals, its lines (paged, filtered in any case), another partner's invoice as not
// found, bad query values as field-level 400s, the month's unbilled charges, the monthly totals, the statement
// PDF read back as text, and the reconciliation CSV whose Amount column adds up to the invoice's total.
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDuePeriods } from '../src/modules/billing/invoices.close.ts';
import { createCreditNote } from '../src/modules/billing/invoices.creditnotes.ts';
import type { TestApp } from './helpers/app.ts';
import { createTestApp, injectAs, testClock } from './helpers/app.ts';
import type { TestInvoice, TestLine } from './helpers/billing.ts';
import { insertInvoice, minorUnits, pdfText } from './helpers/billing.ts';
import type { TestUser } from './helpers/factories.ts';
import { createPartner, createPartnerWithAdmin, createUser } from './helpers/factories.ts';
import { insertReadyCustomer, insertTestCatalog, subscribe } from './helpers/offers.ts';

const clock = testClock(new Date('2026-12-10T12:00:00Z'));
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ clock, transferWorker: false, userImportWorker: false });
});
afterAll(async () => t?.close());

const CUSTOMER_A = '11111111-1111-4111-8111-111111111111';
const CUSTOMER_B = '22222222-2222-4222-8222-222222222222';

async function partnerWith(name?: string) {
  const partner = await createPartner(t.store, {
    name: name ?? `Partner ${Math.random().toString(16).slice(2, 8)}`,
  });
  const admin = await createUser(t.store, partner.id, { roles: ['globalAdmin'] });
  return { partner, admin };
}

const get = (user: TestUser, url: string, headers: Record<string, string> = {}) =>
  injectAs(t.app, user.token, 'GET', url, { headers });

async function ok(user: TestUser, url: string) {
  const r = await get(user, url);
  expect(r.statusCode, r.body).toBe(200);
  return r.json();
}

const invoice = (partnerId: string, spec: Omit<Parameters<typeof insertInvoice>[1], 'partnerId'>) =>
  insertInvoice(t.store.owner, { partnerId, ...spec });

/** A November invoice with licence lines for two customers and usage lines for one. */
function mixedLines(): TestLine[] {
  return [
    {
      customerId: CUSTOMER_A,
      customerName: 'Adatum',
      offerId: 'M365-E3',
      offerName: 'Microsoft 365 E3',
      amount: 36000,
      quantity: '10',
      unitPrice: '3600',
    },
    {
      customerId: CUSTOMER_A,
      customerName: 'Adatum',
      provider: 'azure',
      offerId: 'AZURE-PLAN',
      offerName: 'Azure plan',
      meterId: 'vm-d2',
      meterName: 'VM D2 hours',
      unit: 'Hours',
      quantity: '731.5',
      unitPrice: '0.52',
      amount: 380,
      days: null,
    },
    {
      customerId: CUSTOMER_B,
      customerName: 'Blue Yonder',
      offerId: 'M365-E3',
      offerName: 'Microsoft 365 E3',
      chargeType: 'prorateCredit',
      amount: -1250,
      quantity: '-5',
      unitPrice: '3600',
      days: 7,
    },
    {
      customerId: CUSTOMER_B,
      customerName: 'Blue Yonder',
      provider: 'azure',
      offerId: 'AZURE-PLAN',
      offerName: 'Azure plan',
      meterId: 'storage',
      meterName: 'Storage GB-month',
      unit: 'GB-month',
      quantity: '12.25',
      unitPrice: '2',
      amount: 25,
      days: null,
    },
  ];
}

describe('listing and reading invoices', () => {
  let p: Awaited<ReturnType<typeof partnerWith>>;
  let nov: TestInvoice;
  let novOneTime: TestInvoice;
  let oct: TestInvoice;
  let jpy: TestInvoice;
  let other: TestInvoice;

  beforeAll(async () => {
    p = await partnerWith();
    oct = await invoice(p.partner.id, {
      periodStart: '2026-10-01',
      currency: 'EUR',
      invoiceDate: new Date('2026-11-01T01:00:00Z'),
      lines: [{ amount: 5000 }],
    });
    nov = await invoice(p.partner.id, { invoiceDate: new Date('2026-12-01T01:00:00Z'), lines: mixedLines() });
    novOneTime = await invoice(p.partner.id, {
      invoiceType: 'oneTime',
      invoiceDate: new Date('2026-12-01T01:00:00Z'),
      lines: [
        {
          provider: 'oneTime',
          chargeType: 'oneTime',
          offerId: 'SW',
          offerName: 'Software',
          amount: 25000,
          days: null,
        },
      ],
    });
    jpy = await invoice(p.partner.id, {
      currency: 'JPY',
      invoiceDate: new Date('2026-12-01T02:00:00Z'),
      lines: [{ amount: 658, unitPrice: '65.8', quantity: '10' }],
    });
    const b = await partnerWith();
    other = await invoice(b.partner.id, {
      invoiceDate: new Date('2026-12-01T03:00:00Z'),
      lines: [{ amount: 100 }],
    });
  });

  it('lists the partner’s documents newest first, with their lines per provider, and pages through them', async () => {
    const all = await ok(p.admin, '/v1/invoices');
    expect(all.attributes).toEqual({ objectType: 'Collection' });
    expect(all.totalCount).toBe(4);
    const ids = all.items.map((i: { id: string }) => i.id);
    // Newest first; the two documents of one instant by id, descending.
    expect(ids).toEqual([jpy.id, novOneTime.id, nov.id, oct.id]);
    expect(ids).not.toContain(other.id);

    const first = all.items.find((i: { id: string }) => i.id === nov.id);
    expect(first).toMatchObject({
      documentType: 'invoice',
      invoiceType: 'recurring',
      invoiceDate: '2026-12-01T01:00:00.000Z',
      billingPeriodStartDate: '2026-11-01',
      billingPeriodEndDate: '2026-11-30',
      totalCharges: 36000 + 380 - 1250 + 25,
      paidAmount: 0,
      currencyCode: 'USD',
      currencySymbol: '$',
      currencyDecimals: 2,
      amendsOf: null,
      lineCount: 4,
      links: {
        self: { uri: `/v1/invoices/${nov.id}` },
        statement: { uri: `/v1/invoices/${nov.id}/documents/statement` },
        reconciliation: { uri: `/v1/invoices/${nov.id}/documents/reconciliation` },
      },
      attributes: { objectType: 'Invoice' },
    });
    expect(first.invoiceDetails).toEqual([
      {
        invoiceLineItemType: 'usageLineItems',
        billingProvider: 'azure',
        lineCount: 2,
        totalCharges: 405,
        links: {
          self: {
            uri: `/v1/invoices/${nov.id}/lineitems?provider=azure&invoicelineitemtype=usagelineitems`,
            method: 'GET',
          },
        },
      },
      {
        invoiceLineItemType: 'billingLineItems',
        billingProvider: 'office',
        lineCount: 2,
        totalCharges: 34750,
        links: {
          self: {
            uri: `/v1/invoices/${nov.id}/lineitems?provider=office&invoicelineitemtype=billinglineitems`,
            method: 'GET',
          },
        },
      },
    ]);
    // The list leaves out what only one invoice carries.
    expect(first).not.toHaveProperty('amendments');
    expect(first).not.toHaveProperty('totalsByCustomer');

    const paged: string[] = [];
    let next: string | undefined = '/v1/invoices?size=3';
    while (next) {
      const page = await ok(p.admin, next);
      expect(page.totalCount).toBe(4);
      paged.push(...page.items.map((i: { id: string }) => i.id));
      next = page.links.next?.uri;
    }
    expect(paged).toEqual(ids);

    // The continuation token also works as the MS-ContinuationToken header.
    const one = await ok(p.admin, '/v1/invoices?size=3');
    const rest = await get(p.admin, '/v1/invoices?size=3', {
      'MS-ContinuationToken': one.links.next.headers[0].value,
    });
    expect(rest.json().items.map((i: { id: string }) => i.id)).toEqual([oct.id]);
  });

  it('filters by period, document type and currency (any case)', async () => {
    const credit = await invoice(p.partner.id, {
      amendsOf: nov.id,
      invoiceDate: new Date('2026-12-02T00:00:00Z'),
      lines: [{ amount: -500, amendsLine: 1 }],
    });
    const ids = async (query: string) =>
      (await ok(p.admin, `/v1/invoices?${query}`)).items.map((i: { id: string }) => i.id);
    expect(await ids('period=2026-10')).toEqual([oct.id]);
    expect(await ids('documentType=creditNote')).toEqual([credit.id]);
    expect(await ids('documenttype=CREDITNOTE')).toEqual([credit.id]);
    expect(await ids('documentType=invoice&period=2026-11&currencyCode=usd')).toEqual([
      novOneTime.id,
      nov.id,
    ]);
    expect(await ids('currencyCode=JPY')).toEqual([jpy.id]);
    expect(await ids('currencyCode=GBP')).toEqual([]);
    const c = await ok(p.admin, `/v1/invoices/${credit.id}`);
    expect(c).toMatchObject({
      documentType: 'creditNote',
      amendsOf: nov.id,
      reason: 'Correction',
      totalCharges: -500,
    });
  });

  it('gets one invoice with its amendments and its totals by customer and by offer; a credit note changes its ETag', async () => {
    const fresh = await invoice(p.partner.id, {
      periodStart: '2026-09-01',
      invoiceDate: new Date('2026-10-01T01:00:00Z'),
      lines: mixedLines(),
    });
    const before = await ok(p.admin, `/v1/invoices/${fresh.id}`);
    expect(before.amendments).toEqual([]);
    expect(before.totalsByCustomer).toEqual([
      { customerId: CUSTOMER_A, customerName: 'Adatum', totalCharges: 36380 },
      { customerId: CUSTOMER_B, customerName: 'Blue Yonder', totalCharges: -1225 },
    ]);
    expect(before.totalsByOffer).toEqual([
      { offerId: 'AZURE-PLAN', offerName: 'Azure plan', totalCharges: 405 },
      { offerId: 'M365-E3', offerName: 'Microsoft 365 E3', totalCharges: 34750 },
    ]);

    const credit = await invoice(p.partner.id, {
      amendsOf: fresh.id,
      periodStart: '2026-09-01',
      invoiceDate: new Date('2026-10-05T00:00:00Z'),
      reason: 'Seats charged twice',
      lines: [{ amount: -3600, amendsLine: 1, customerId: CUSTOMER_A, customerName: 'Adatum' }],
    });
    const after = await ok(p.admin, `/v1/invoices/${fresh.id}`);
    expect(after.amendments).toEqual([
      { id: credit.id, invoiceDate: '2026-10-05T00:00:00.000Z', totalCharges: -3600 },
    ]);
    // The invoice itself is as issued; its ETag tells a client that it has a new amendment.
    expect(after.totalCharges).toBe(before.totalCharges);
    expect(after.attributes.etag).not.toBe(before.attributes.etag);
    // Ids are matched in any case.
    expect((await ok(p.admin, `/v1/invoices/${fresh.id.toLowerCase()}`)).id).toBe(fresh.id);
  });

  it('gives a zero-decimal currency its decimals and symbol', async () => {
    const j = await ok(p.admin, `/v1/invoices/${jpy.id}`);
    expect(j).toMatchObject({
      currencyCode: 'JPY',
      currencySymbol: '¥',
      currencyDecimals: 0,
      totalCharges: 658,
    });
  });

  it('pages an invoice’s lines by line number and filters them by provider, line item type and customer in any case', async () => {
    const url = `/v1/invoices/${nov.id}/lineitems`;
    const all = await ok(p.admin, url);
    expect(all.totalCount).toBe(4);
    expect(all.items.map((l: { lineNumber: number }) => l.lineNumber)).toEqual([1, 2, 3, 4]);
    expect(all.items[1]).toEqual({
      invoiceNumber: nov.id,
      lineNumber: 2,
      provider: 'azure',
      invoiceLineItemType: 'usageLineItems',
      chargeType: 'cycleCharge',
      customerId: CUSTOMER_A,
      customerName: 'Adatum',
      subscriptionId: expect.any(String),
      subscriptionName: 'Microsoft 365 E3',
      offerId: 'AZURE-PLAN',
      offerName: 'Azure plan',
      meterId: 'vm-d2',
      meterName: 'VM D2 hours',
      unit: 'Hours',
      quantity: '731.5',
      unitPrice: '0.52',
      days: null,
      chargeStartDate: '2026-11-01',
      chargeEndDate: '2026-11-30',
      amount: 380,
      currencyCode: 'USD',
      billingPeriodStartDate: '2026-11-01',
      billingPeriodEndDate: '2026-11-30',
      attributes: { objectType: 'InvoiceLineItem' },
    });

    const numbers = async (query: string) =>
      (await ok(p.admin, `${url}?${query}`)).items.map((l: { lineNumber: number }) => l.lineNumber);
    expect(await numbers('provider=Azure&invoicelineitemtype=UsageLineItems')).toEqual([2, 4]);
    expect(await numbers('Provider=OFFICE&InvoiceLineItemType=billinglineitems')).toEqual([1, 3]);
    expect(await numbers('invoicelineitemtype=usagelineitems')).toEqual([2, 4]);
    expect(await numbers(`customerId=${CUSTOMER_B}`)).toEqual([3, 4]);
    expect(await numbers(`customerId=${CUSTOMER_B.toUpperCase()}&provider=azure`)).toEqual([4]);
    expect(await numbers('provider=onetime')).toEqual([]);
    expect(
      (await ok(p.admin, `/v1/invoices/${novOneTime.id}/lineitems?provider=ONETIME`)).items.map(
        (l: { provider: string }) => l.provider,
      ),
    ).toEqual(['oneTime']);

    // The links of invoiceDetails lead to their lines.
    const details = (await ok(p.admin, `/v1/invoices/${nov.id}`)).invoiceDetails;
    for (const d of details) {
      const lines = await ok(p.admin, d.links.self.uri);
      expect(lines.totalCount).toBe(d.lineCount);
      expect(lines.items.reduce((s: number, l: { amount: number }) => s + l.amount, 0)).toBe(d.totalCharges);
    }

    const paged: number[] = [];
    let next: string | undefined = `${url}?size=1`;
    while (next) {
      const page = await ok(p.admin, next);
      paged.push(...page.items.map((l: { lineNumber: number }) => l.lineNumber));
      next = page.links.next?.uri;
    }
    expect(paged).toEqual([1, 2, 3, 4]);
    expect((await ok(p.admin, `${url}?size=2000`)).items).toHaveLength(4);
  });

  it('answers another partner’s invoice, or none, as not found, on every invoice route', async () => {
    for (const id of [other.id, 'PD9999999999', 'nonsense']) {
      for (const suffix of ['', '/lineitems', '/documents/statement', '/documents/reconciliation']) {
        const r = await get(p.admin, `/v1/invoices/${id}${suffix}`);
        expect(r.statusCode, `${id}${suffix}`).toBe(404);
        expect(r.json().name).toBe('invoiceNotFound');
      }
    }
  });

  it('refuses bad query values with the field and the reason', async () => {
    const refused = async (url: string, field: string) => {
      const r = await get(p.admin, url);
      expect(r.statusCode, url).toBe(400);
      expect(r.json().name, url).toBe('validationFailed');
      expect(
        r.json().details.map((d: { field: string }) => d.field),
        url,
      ).toContain(field);
    };
    await refused('/v1/invoices?period=2026-13', 'querystring.period');
    await refused('/v1/invoices?period=november', 'querystring.period');
    await refused('/v1/invoices?documentType=receipt', 'querystring.documentType');
    await refused('/v1/invoices?currencyCode=US', 'querystring.currencyCode');
    await refused('/v1/invoices?size=0', 'querystring.size');
    await refused(`/v1/invoices/${nov.id}/lineitems?provider=aws`, 'querystring.provider');
    await refused(
      `/v1/invoices/${nov.id}/lineitems?invoicelineitemtype=all`,
      'querystring.invoicelineitemtype',
    );
    await refused(`/v1/invoices/${nov.id}/lineitems?customerId=not-a-guid`, 'querystring.customerId');
    await refused(`/v1/invoices/${nov.id}/lineitems?size=2001`, 'querystring.size');
    await refused('/v1/invoices/unbilled/lineitems?provider=gcp', 'querystring.provider');
    await refused('/v1/invoices/unbilled/lineitems?currencyCode=dollars', 'querystring.currencyCode');
    await refused('/v1/invoices/summaries?months=0', 'querystring.months');
    await refused('/v1/invoices/summaries?months=37', 'querystring.months');

    // A continuation token of another query is refused, not applied to this one.
    const token = (await ok(p.admin, '/v1/invoices?size=1')).links.next.headers[0].value;
    const r = await get(p.admin, `/v1/invoices?size=1&period=2026-11&continuationToken=${token}`);
    expect(r.statusCode).toBe(400);
    expect(r.json().name).toBe('invalidContinuationToken');
    const lines = await get(p.admin, `/v1/invoices/${nov.id}/lineitems?continuationToken=${token}`);
    expect(lines.json().name).toBe('invalidContinuationToken');
  });

  it('lets the billing roles read invoices and no one else', async () => {
    const billing = await createUser(t.store, p.partner.id, { roles: ['billingAdmin'] });
    const agent = await createUser(t.store, p.partner.id, { roles: ['adminAgent'] });
    const sales = await createUser(t.store, p.partner.id, { roles: ['salesAgent'] });
    const helpdesk = await createUser(t.store, p.partner.id, { roles: ['helpdeskAgent'] });
    expect((await get(billing, `/v1/invoices/${nov.id}`)).statusCode).toBe(200);
    expect((await get(agent, '/v1/invoices')).statusCode).toBe(200);
    for (const user of [sales, helpdesk]) {
      const r = await get(user, `/v1/invoices/${nov.id}/documents/reconciliation`);
      expect(r.statusCode).toBe(403);
      expect(r.json().name).toBe('forbidden');
    }
  });
});

describe('the statement PDF', () => {
  it('shows the partner, the invoice id, dates, the totals formatted, by customer, and names in any script', async () => {
    const p = await partnerWith('Fabrikam Cloud Solutions');
    const inv = await invoice(p.partner.id, {
      invoiceDate: new Date('2026-12-01T01:00:00Z'),
      lines: [
        {
          customerId: CUSTOMER_A,
          customerName: 'ООО «Ромашка»',
          amount: 123456,
          quantity: '12',
          unitPrice: '10288',
        },
        {
          customerId: CUSTOMER_B,
          customerName: 'Müller & Söhne GmbH',
          amount: 7899,
          quantity: '731.5',
          unitPrice: '10.8',
          provider: 'azure',
          meterName: 'VM D2 hours',
          days: null,
        },
        {
          customerId: CUSTOMER_B,
          customerName: 'Müller & Söhne GmbH',
          amount: -1250,
          chargeType: 'prorateCredit',
          quantity: '-1',
          unitPrice: '3600',
          days: 10,
        },
      ],
    });
    const r = await get(p.admin, `/v1/invoices/${inv.id}/documents/statement`);
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('application/pdf');
    expect(r.headers['content-disposition']).toBe(`attachment; filename="${inv.id}.pdf"`);
    expect(r.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const pages = await pdfText(r.rawPayload);
    expect(pages).toHaveLength(1);
    const text = pages[0]!;
    for (const expected of [
      'Fabrikam Cloud Solutions',
      'United States',
      'INVOICE',
      inv.id,
      'Recurring',
      '2026-12-01', // invoice date
      '2026-11-01 to 2026-11-30',
      'USD ($)',
      '1301.05 USD', // 123456 + 7899 - 1250 minor units
      '1234.56 USD', // the first customer
      '66.49 USD', // the second: 7899 - 1250
      'ООО «Ромашка»',
      'Müller & Söhne GmbH',
      '1234.56',
      '-12.50',
      '0.108', // 10.8 cents an hour, in dollars
      'Page 1 of 1',
    ])
      expect(text).toContain(expected);
    expect(text).not.toContain('CREDIT NOTE');
  });

  it('labels a credit note as one, with the invoice it credits and why, in a zero-decimal currency', async () => {
    const p = await partnerWith();
    const inv = await invoice(p.partner.id, {
      currency: 'JPY',
      lines: [
        { customerName: 'Токио Трейдинг', amount: 65800 },
        { customerName: 'Osaka KK', amount: 1200 },
      ],
    });
    const credit = await invoice(p.partner.id, {
      currency: 'JPY',
      amendsOf: inv.id,
      invoiceDate: new Date('2026-12-05T00:00:00Z'),
      reason: 'Licences returned',
      lines: [{ customerName: 'Токио Трейдинг', amount: -658, amendsLine: 1 }],
    });
    const invText = (
      await pdfText((await get(p.admin, `/v1/invoices/${inv.id}/documents/statement`)).rawPayload)
    ).join(' ');
    expect(invText).toContain('67000 JPY');
    expect(invText).toContain('JPY (¥)');
    expect(invText).toContain(credit.id); // the credit notes issued against it
    expect(invText).toContain('Токио Трейдинг');

    const r = await get(p.admin, `/v1/invoices/${credit.id}/documents/statement`);
    expect(r.headers['content-disposition']).toBe(`attachment; filename="${credit.id}.pdf"`);
    const text = (await pdfText(r.rawPayload)).join(' ');
    for (const expected of [
      'CREDIT NOTE',
      credit.id,
      'Credits invoice',
      inv.id,
      'Licences returned',
      '-658 JPY',
      'credits line 1',
    ])
      expect(text).toContain(expected);
    expect(text).not.toContain('-658.00');
  });

  it('keeps a very long invoice to its first lines, says how many more the reconciliation file has, and numbers the pages', async () => {
    const p = await partnerWith();
    const lines: TestLine[] = Array.from({ length: 520 }, (_, i) => ({
      customerId: i % 2 ? CUSTOMER_A : CUSTOMER_B,
      customerName: i % 2 ? 'Adatum' : 'Blue Yonder',
      amount: 100 + i,
    }));
    const inv = await invoice(p.partner.id, { lines });
    const pages = await pdfText(
      (await get(p.admin, `/v1/invoices/${inv.id}/documents/statement`)).rawPayload,
    );
    expect(pages.length).toBeGreaterThan(5);
    pages.forEach((page, i) => expect(page).toContain(`Page ${i + 1} of ${pages.length}`));
    const text = pages.join(' ');
    expect(text).toContain('20 more lines in the reconciliation file');
    expect(text).toContain(`${(inv.totalCharges / 100).toFixed(2)} USD`);
  });
});

describe('the reconciliation CSV', () => {
  const COLUMNS =
    'InvoiceNumber,LineNumber,CustomerId,CustomerName,SubscriptionId,SubscriptionName,OfferId,OfferName,MeterName,' +
    'ChargeType,Quantity,UnitPrice,Days,ChargeStartDate,ChargeEndDate,BillingPeriodStart,BillingPeriodEnd,Amount,Currency';

  async function csvOf(user: TestUser, id: string) {
    const r = await get(user, `/v1/invoices/${id}/documents/reconciliation`);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(r.headers['content-disposition']).toBe(`attachment; filename="${id}-reconciliation.csv"`);
    expect(r.body.split('\r\n')[0]).toBe(COLUMNS);
    return parse(r.body, { columns: true }) as Record<string, string>[];
  }

  it('lists every line, in major units, and its Amount column sums exactly to the total (2 decimals)', async () => {
    const p = await partnerWith();
    // Amounts that a floating-point sum of 0.1s would get wrong.
    const lines: TestLine[] = [
      ...Array.from({ length: 30 }, (_, i) => ({ amount: 10, customerName: `Customer ${i}` })),
      ...mixedLines(),
      {
        amount: 1,
        customerName: '=HYPERLINK("http://evil.example","x")',
        subscriptionName: '+cmd',
        offerName: '@SUM(A1)',
      },
    ];
    const inv = await invoice(p.partner.id, { lines });
    const rows = await csvOf(p.admin, inv.id);
    expect(rows).toHaveLength(inv.lineCount);
    expect(rows.map((r) => Number(r.LineNumber))).toEqual(lines.map((_, i) => i + 1));
    expect(rows.reduce((sum, r) => sum + minorUnits(r.Amount!, 2), 0)).toBe(inv.totalCharges);
    expect(rows.every((r) => r.Currency === 'USD' && r.InvoiceNumber === inv.id)).toBe(true);

    const usage = rows[31]!;
    expect(usage).toMatchObject({
      CustomerId: CUSTOMER_A,
      CustomerName: 'Adatum',
      OfferId: 'AZURE-PLAN',
      MeterName: 'VM D2 hours',
      ChargeType: 'cycleCharge',
      Quantity: '731.5',
      UnitPrice: '0.0052',
      Days: '',
      ChargeStartDate: '2026-11-01',
      ChargeEndDate: '2026-11-30',
      BillingPeriodStart: '2026-11-01',
      BillingPeriodEnd: '2026-11-30',
      Amount: '3.80',
    });
    // A credit is a plain negative number; formula-like text is neutralised.
    expect(rows[32]).toMatchObject({ Quantity: '-5', UnitPrice: '36.00', Days: '7', Amount: '-12.50' });
    expect(rows[34]).toMatchObject({
      CustomerName: `'=HYPERLINK("http://evil.example","x")`,
      SubscriptionName: "'+cmd",
      OfferName: "'@SUM(A1)",
      Amount: '0.01',
    });
  });

  it('sums exactly to the total in a zero-decimal currency, credit notes included', async () => {
    const p = await partnerWith();
    const inv = await invoice(p.partner.id, {
      currency: 'JPY',
      lines: [
        { customerName: 'Токио Трейдинг', amount: 658, unitPrice: '65.8', quantity: '10' },
        { customerName: 'Osaka KK', amount: 33, unitPrice: '0.33', quantity: '100' },
        { customerName: 'Osaka KK', amount: 120000 },
      ],
    });
    const rows = await csvOf(p.admin, inv.id);
    expect(rows.map((r) => r.Amount)).toEqual(['658', '33', '120000']);
    expect(rows.map((r) => r.UnitPrice)).toEqual(['65.8', '0.33', '120000']);
    expect(rows[0]!.CustomerName).toBe('Токио Трейдинг');
    expect(rows.reduce((sum, r) => sum + minorUnits(r.Amount!, 0), 0)).toBe(inv.totalCharges);

    const credit = await invoice(p.partner.id, {
      currency: 'JPY',
      amendsOf: inv.id,
      lines: [{ amount: -658, amendsLine: 1, chargeType: 'creditNote' }],
    });
    const creditRows = await csvOf(p.admin, credit.id);
    expect(creditRows.map((r) => [r.ChargeType, r.Amount])).toEqual([['creditNote', '-658']]);
    expect(creditRows.reduce((sum, r) => sum + minorUnits(r.Amount!, 0), 0)).toBe(credit.totalCharges);
  });

  it('streams a large invoice whole, in more than one batch', async () => {
    const p = await partnerWith();
    const lines = Array.from({ length: 2500 }, (_, i) => ({
      amount: (i % 7) - 2,
      customerName: `C${i % 13}`,
    }));
    const inv = await invoice(p.partner.id, { lines });
    const rows = await csvOf(p.admin, inv.id);
    expect(rows).toHaveLength(2500);
    expect(rows[2499]!.LineNumber).toBe('2500');
    expect(rows.reduce((sum, r) => sum + minorUnits(r.Amount!, 2), 0)).toBe(inv.totalCharges);
  });
});

describe('from the invoice job', () => {
  it('shows the month’s charges to date as unbilled, then the closed month’s invoice, statement and file agreeing to the cent', async () => {
    const catalog = await insertTestCatalog(t.store);
    const { partner, admin } = await createPartnerWithAdmin(t.store, { name: 'Northwind Reseller' });
    const customer = await insertReadyCustomer(t.store, partner.id, { name: 'Лукойл Сервис' });
    clock.set(new Date('2027-01-01T09:00:00Z'));
    const sub = await subscribe(t.app, admin.token, customer.id, catalog.suite, 10);

    // 10 Jan, noon: days 1–10 of 31 charged so far: 10 × 3600 × 10/31 = 11612.90… → 11613.
    clock.set(new Date('2027-01-10T12:00:00Z'));
    const unbilled = await ok(admin, '/v1/invoices/unbilled/lineitems');
    expect(unbilled).toMatchObject({
      totalCount: 1,
      totals: [{ currencyCode: 'USD', totalCharges: 11613 }],
      billingPeriodStartDate: '2027-01-01',
      billingPeriodEndDate: '2027-01-31',
      attributes: { objectType: 'Collection' },
    });
    expect(unbilled.items[0]).toMatchObject({
      provider: 'office',
      invoiceLineItemType: 'billingLineItems',
      chargeType: 'prorateCharge',
      customerId: customer.id,
      customerName: 'Лукойл Сервис',
      subscriptionId: sub,
      offerId: catalog.suite,
      quantity: '10',
      unitPrice: '3600',
      days: 10,
      chargeStartDate: '2027-01-01',
      chargeEndDate: '2027-01-10',
      amount: 11613,
      currencyCode: 'USD',
    });
    expect(unbilled.items[0]).not.toHaveProperty('invoiceNumber');
    const none = async (query: string) =>
      (await ok(admin, `/v1/invoices/unbilled/lineitems?${query}`)).totalCount;
    expect(await none('provider=Azure')).toBe(0);
    expect(await none('invoicelineitemtype=USAGELINEITEMS')).toBe(0);
    expect(await none('currencyCode=eur')).toBe(0);
    expect(await none('currencyCode=usd&provider=OFFICE')).toBe(1);
    expect(await none(`customerId=${customer.id}`)).toBe(1);
    // A customer the partner never had is not found, as on every customer route.
    const unknown = await get(admin, `/v1/invoices/unbilled/lineitems?customerId=${CUSTOMER_A}`);
    expect(unknown.statusCode, unknown.body).toBe(404);
    expect(unknown.json().name).toBe('customerNotFound');
    // Another partner sees none of it, and not its customer either.
    const stranger = await createPartnerWithAdmin(t.store);
    const theirs = await get(stranger.admin, `/v1/invoices/unbilled/lineitems?customerId=${customer.id}`);
    expect(theirs.statusCode, theirs.body).toBe(404);
    expect(await ok(stranger.admin, '/v1/invoices/unbilled/lineitems')).toMatchObject({
      totalCount: 0,
      totals: [],
    });

    // The month closes: one invoice for the whole month (a cycle charge), and the documents agree with it.
    clock.set(new Date('2027-02-01T00:05:00Z'));
    expect(await closeDuePeriods(t.store.owner, clock.now(), { partnerId: partner.id })).toMatchObject({
      invoices: 1,
    });
    const list = await ok(admin, '/v1/invoices');
    expect(list.totalCount).toBe(1);
    const inv = await ok(admin, list.items[0].links.self.uri);
    expect(inv).toMatchObject({ totalCharges: 36000, lineCount: 1, billingPeriodStartDate: '2027-01-01' });
    const rows = parse((await get(admin, inv.links.reconciliation.uri)).body, { columns: true }) as Record<
      string,
      string
    >[];
    expect(
      rows.map((r) => [r.CustomerName, r.ChargeType, r.Quantity, r.UnitPrice, r.Days, r.Amount]),
    ).toEqual([['Лукойл Сервис', 'cycleCharge', '10', '36.00', '31', '360.00']]);
    const text = (await pdfText((await get(admin, inv.links.statement.uri)).rawPayload)).join(' ');
    expect(text).toContain('Northwind Reseller');
    expect(text).toContain(inv.id);
    expect(text).toContain('360.00 USD');
    expect(text).toContain('Лукойл Сервис');

    // A credit note from the operator shows on the invoice and in the monthly totals.
    const credit = await createCreditNote(
      t.store.owner,
      { invoiceId: inv.id, lines: [{ lineNumber: 1, amount: 3600 }], reason: 'One seat never used' },
      new Date('2027-02-03T10:00:00Z'),
    );
    expect((await ok(admin, inv.links.self.uri)).amendments).toEqual([
      { id: credit.id, invoiceDate: '2027-02-03T10:00:00.000Z', totalCharges: -3600 },
    ]);
    clock.set(new Date('2027-02-10T00:00:00Z'));
    const summaries = await ok(admin, '/v1/invoices/summaries?months=3');
    expect(summaries).toEqual({
      items: [
        {
          currencyCode: 'USD',
          months: [
            { billingPeriodStartDate: '2026-11-01', totalCharges: 0, invoiceIds: [] },
            { billingPeriodStartDate: '2026-12-01', totalCharges: 0, invoiceIds: [] },
            { billingPeriodStartDate: '2027-01-01', totalCharges: 32400, invoiceIds: [credit.id, inv.id] },
          ],
        },
      ],
    });
    expect((await ok(admin, '/v1/invoices/summaries')).items[0].months).toHaveLength(12);
    expect(await ok(stranger.admin, '/v1/invoices/summaries')).toEqual({ items: [] });
  });

  it('pages unbilled lines, a page ending inside a subscription, with the month’s totals on every page', async () => {
    const catalog = await insertTestCatalog(t.store);
    const { partner, admin } = await createPartnerWithAdmin(t.store);
    clock.set(new Date('2027-03-01T08:00:00Z'));
    const subs: Record<string, string> = {};
    const customers: Record<string, string> = {};
    for (const name of ['Alpha', 'Beta', 'Gamma']) {
      const c = await insertReadyCustomer(t.store, partner.id, { name });
      customers[name] = c.id;
      subs[name] = await subscribe(t.app, admin.token, c.id, catalog.suite, 1);
    }
    // Beta goes from 1 seat to 2 on 16 March: two lines for one subscription.
    clock.set(new Date('2027-03-16T10:00:00Z'));
    const url = `/v1/customers/${customers.Beta}/subscriptions/${subs.Beta}`;
    const etag = (await ok(admin, url)).attributes.etag;
    const patched = await injectAs(t.app, admin.token, 'PATCH', url, {
      payload: { quantity: 2 },
      headers: { 'if-match': etag },
    });
    expect(patched.statusCode, patched.body).toBe(200);

    clock.set(new Date('2027-03-31T12:00:00Z'));
    const all = await ok(admin, '/v1/invoices/unbilled/lineitems');
    const key = (l: { customerName: string; quantity: string; amount: number }) =>
      `${l.customerName} ${l.quantity} ${l.amount}`;
    // Alpha and Gamma a whole month: 3600 each; Beta 1 × 3600 × 15/31 = 1741.94 → 1742 and
    // 2 × 3600 × 16/31 = 3716.13 → 3716.
    expect(all.items.map(key)).toEqual(['Alpha 1 3600', 'Beta 1 1742', 'Beta 2 3716', 'Gamma 1 3600']);
    expect(all.totals).toEqual([{ currencyCode: 'USD', totalCharges: 12658 }]);
    expect(all.links.next).toBeUndefined();

    for (const size of [1, 2, 3]) {
      const seen: string[] = [];
      let next: string | undefined = `/v1/invoices/unbilled/lineitems?size=${size}`;
      while (next) {
        const page = await ok(admin, next);
        expect(page.totalCount).toBe(4);
        expect(page.totals).toEqual(all.totals);
        expect(page.items.length).toBeLessThanOrEqual(size);
        seen.push(...page.items.map(key));
        next = page.links.next?.uri;
      }
      expect(seen, `size ${size}`).toEqual(all.items.map(key));
    }
    const office = await ok(admin, '/v1/invoices/unbilled/lineitems?size=1&provider=office');
    const second = await ok(admin, office.links.next.uri);
    expect(second.items.map(key)).toEqual(['Beta 1 1742']);

    // A token of another query, or made up, is refused.
    const token = office.links.next.headers[0].value;
    for (const bad of [
      token,
      'eyJrIjpbXX0',
      (await ok(admin, '/v1/invoices?size=1')).links.next?.headers[0].value ?? 'x',
    ]) {
      const r = await get(admin, `/v1/invoices/unbilled/lineitems?continuationToken=${bad}`);
      expect(r.statusCode).toBe(400);
      expect(r.json().name).toBe('invalidContinuationToken');
    }
  });
});
