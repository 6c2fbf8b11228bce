// Billing in a real browser against a real server on a controlled clock. On the 5th of last month a partner
// sells Contoso Pharmacy an Azure plan and five monthly Microsoft 365 seats; 100 hours of a virtual machine are
// recorded through the API on the 20th; today the invoice job closes last month in-process. A Billing admin
// opens last month's invoice from the Billing page, sees its line items and the chart of the last 12 months,
// downloads the statement PDF and the reconciliation CSV (named after the invoice; the CSV's amounts sum to the
// total the page shows), goes on to the customer's billing, sets a spending budget of $100, and — once usage past
// 80% of it has been recorded through the API — sees the alert after a reload. A Global admin finds the same
// on the customer page's Billing tab, with the partner's unbilled charges adding up to the customer's charges to
// date; a Sales agent sees no billing anywhere. Every page visited is checked with axe and saved as
// test-results/<name>.png.
//
// The clock is in the past only while seeding: the browser's sessions are checked against the database's own
// time, so the console is used with the clock at the real now (the months named are worked out from it).
import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { demoCatalog } from '../../src/demo/seed.ts';
import { closeDuePeriods } from '../../src/modules/billing/invoices.close.ts';
import { importCatalog } from '../../src/modules/offers/offers.service.ts';
import { testClock } from '../helpers/app.ts';
import type { TestUser } from '../helpers/factories.ts';
import { createPartner, createUser } from '../helpers/factories.ts';
import type { Server } from './helpers.ts';
import {
  apiCall,
  checkPage,
  describeInBrowser,
  heading,
  launchBrowser,
  seedCustomer,
  signedIn,
  startServer,
} from './helpers.ts';

const METER = 'VM-D2S-V5';
const CSV_HEADER =
  'InvoiceNumber,LineNumber,CustomerId,CustomerName,SubscriptionId,SubscriptionName,OfferId,OfferName,MeterName,ChargeType,Quantity,UnitPrice,Days,ChargeStartDate,ChargeEndDate,BillingPeriodStart,BillingPeriodEnd,Amount,Currency';
const usd = (minor: number) =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(minor / 100);
const monthName = (d: Date) =>
  new Intl.DateTimeFormat('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(d);

/** "$1,234.56" or "1234.56" (USD) → 123456 minor units, exactly. */
function cents(text: string): number {
  const m = /(-?)\$?([\d,]+)\.(\d{2})/.exec(text.replace(/\s/g, ''));
  if (!m) throw new Error(`not a USD amount: ${text}`);
  return (m[1] ? -1 : 1) * Number(`${m[2]!.replace(/,/g, '')}${m[3]}`);
}

/** Minor units of an exact decimal amount (a usage record's), rounded half away from zero as a line is. */
function roundedMinor(exact: string): number {
  const [whole, frac = ''] = exact.split('.');
  return Number(whole) + (frac !== '' && Number(frac[0]) >= 5 ? 1 : 0);
}

describeInBrowser('billing', () => {
  const now = new Date();
  const thisMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  const day = (month: Date, d: number) => new Date(month.getTime() + (d - 1) * 86_400_000);
  const iso = (d: Date) => d.toISOString().slice(0, 10);
  const clock = testClock(new Date(day(lastMonth, 5).getTime() + 9 * 3600_000));
  let server: Server;
  let browser: Browser;
  let admin: TestUser;
  let billingAdmin: TestUser;
  let sales: TestUser;
  let customer: { id: string; name: string };
  let azureId: string;
  /** What an hour of the meter costs (minor units, exact decimal). */
  let hourPrice: string;
  /** Last month's usage (minor units, exact decimal). */
  let lastMonthUsage: string;

  /** Records `hours` of the virtual machine on `usageDate`; answers the exact amount. */
  async function recordUsage(clientRecordId: string, usageDate: string, hours: number): Promise<string> {
    const r = await apiCall(server, 'POST', '/v1/usage-records', billingAdmin.token, {
      items: [{ clientRecordId, subscriptionId: azureId, meterId: METER, usageDate, quantity: hours }],
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.accepted).toBe(1);
    const [item] = r.body.items as { unitPrice: string; amount: string }[];
    hourPrice = item!.unitPrice;
    return item!.amount;
  }

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer({ clock }), launchBrowser()]);
    await importCatalog(server.store.owner, demoCatalog());
    const partner = await createPartner(server.store, {
      name: 'Northwind Billing',
      instance: 'global',
      country: 'US',
    });
    admin = await createUser(server.store, partner.id, { roles: ['globalAdmin'], displayName: 'Ada Admin' });
    billingAdmin = await createUser(server.store, partner.id, {
      roles: ['billingAdmin'],
      displayName: 'Bea Billing',
    });
    sales = await createUser(server.store, partner.id, { roles: ['salesAgent'], displayName: 'Sam Sales' });

    // The 5th of last month: the customer buys an Azure plan and five monthly seats.
    customer = await seedCustomer(server, admin, 'Contoso Pharmacy', { prefix: 'billing' });
    const order = await apiCall(server, 'POST', `/v1/customers/${customer.id}/orders`, admin.token, {
      lineItems: [
        { offerId: 'AZURE-PLAN', quantity: 1, friendlyName: 'Contoso Azure' },
        {
          offerId: 'M365-BUSINESS-PREMIUM',
          quantity: 5,
          friendlyName: 'Contoso staff',
          termDuration: 'P1M',
          billingCycle: 'monthly',
        },
      ],
    });
    expect(order.status, JSON.stringify(order.body)).toBe(201);
    const subs = await apiCall(
      server,
      'GET',
      `/v1/customers/${customer.id}/subscriptions?size=10`,
      admin.token,
    );
    const items = subs.body.items as { id: string; friendlyName: string }[];
    azureId = items.find((s) => s.friendlyName === 'Contoso Azure')!.id;

    // The 20th: 100 hours of a virtual machine on the 10th.
    clock.set(new Date(day(lastMonth, 20).getTime() + 12 * 3600_000));
    lastMonthUsage = await recordUsage('last-month-vm', iso(day(lastMonth, 10)), 100);

    // Today: the invoice job closes last month.
    clock.set(now);
    const closed = await closeDuePeriods(server.store.owner, clock.now());
    expect(closed.invoices).toBe(1);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('a Billing admin opens last month’s invoice, downloads both files and is alerted at 80% of a budget', async () => {
    const p = await signedIn(browser, server, billingAdmin);
    await p
      .getByRole('navigation', { name: 'Main navigation' })
      .getByRole('link', { name: 'Billing', exact: true })
      .click();
    await heading(p, 'Billing');
    const invoices = p.getByRole('region', { name: 'Invoices, newest first' });
    await invoices.waitFor();
    await checkPage(p, 'billing-invoices');
    await invoices
      .getByRole('link', { name: new RegExp(`^Open Invoice PD\\d{10} for ${monthName(lastMonth)}$`) })
      .click();

    // The invoice: its total, its two line items (the seats from the 5th, the virtual machine), the chart.
    await p.getByRole('heading', { level: 1, name: /^Invoice PD\d{10}$/ }).waitFor();
    const invoiceId = decodeURIComponent(new URL(p.url()).pathname.split('/').pop()!);
    const summary = p.getByRole('region', { name: 'Summary' });
    const total = cents((await summary.getByRole('definition').first().textContent()) ?? '');
    const lines = p.getByRole('region', { name: `Line items of ${invoiceId}` });
    await lines.waitFor();
    const rows = lines.locator('tbody tr');
    expect(await rows.count()).toBe(2);
    const seats = await rows.filter({ hasText: 'Contoso staff' }).textContent();
    expect(seats).toContain('Part of the period');
    const vm = await rows.filter({ hasText: 'Contoso Azure' }).textContent();
    expect(vm).toContain('Usage');
    expect(vm).toContain(usd(roundedMinor(lastMonthUsage)));
    const shown = await rows.locator('td:last-child').allTextContents();
    expect(shown.map(cents).reduce((a, b) => a + b, 0)).toBe(total);

    const chart = p.getByRole('img', { name: 'Invoiced charges by month in USD, credit notes subtracted' });
    await chart.waitFor();
    expect(await chart.locator('rect').count()).toBe(12);
    expect(await chart.locator('rect.marked').count()).toBe(1);
    expect(await chart.locator('desc').textContent()).toContain(`${usd(total)} in ${monthName(lastMonth)}`);
    await p.getByText('Show the figures as a table').click();
    await checkPage(p, 'billing-invoice');

    // The statement PDF.
    const [pdf] = await Promise.all([
      p.waitForEvent('download'),
      p.getByRole('button', { name: 'Download statement (PDF)' }).click(),
    ]);
    expect(pdf.suggestedFilename()).toBe(`${invoiceId}.pdf`);
    expect(
      fs
        .readFileSync(await pdf.path())
        .subarray(0, 5)
        .toString('latin1'),
    ).toBe('%PDF-');
    await p.getByText(`Saved as ${invoiceId}.pdf.`).waitFor();

    // The reconciliation CSV: every line, summing to the total shown.
    const [csv] = await Promise.all([
      p.waitForEvent('download'),
      p.getByRole('button', { name: 'Download reconciliation file (CSV)' }).click(),
    ]);
    expect(csv.suggestedFilename()).toBe(`${invoiceId}-reconciliation.csv`);
    const text = fs.readFileSync(await csv.path(), 'utf8').replace(/^\uFEFF/, '');
    expect(text.split(/\r?\n/)[0]).toBe(CSV_HEADER);
    const records = parse(text, { columns: true }) as Record<string, string>[];
    expect(records).toHaveLength(2);
    expect(records.every((r) => r.InvoiceNumber === invoiceId && r.Currency === 'USD')).toBe(true);
    expect(records.map((r) => cents(r.Amount!)).reduce((a, b) => a + b, 0)).toBe(total);

    // On to the customer's billing (a Billing admin does not see the customers pages).
    await p
      .getByRole('region', { name: 'Totals by customer' })
      .getByRole('link', { name: 'Contoso Pharmacy' })
      .click();
    await heading(p, 'Billing of Contoso Pharmacy');
    expect(new URL(p.url()).pathname).toBe(`/billing/customers/${customer.id}`);
    const budget = p.getByRole('region', { name: 'Monthly spending budget' });
    await budget.getByText('No budget set. Usage spend this month: $0.00.').waitFor();

    // A wrong amount is refused next to the field, before anything is sent.
    const amount = budget.getByLabel('Budget per month in USD');
    await amount.fill('12.345');
    await budget.getByRole('button', { name: 'Set budget' }).click();
    await budget.getByText('Too many decimals for USD: write it like 1,234.56.').waitFor();
    expect(await amount.getAttribute('aria-invalid')).toBe('true');

    // One the API refuses (beyond its largest budget): its reason next to the field.
    await amount.fill('20,000,000,000');
    await budget.getByRole('button', { name: 'Set budget' }).click();
    await budget.getByRole('alert').getByText('Check the fields below').waitFor();
    expect(await amount.getAttribute('aria-invalid')).toBe('true');
    const reasonId = (await amount.getAttribute('aria-describedby'))!.split(' ').pop()!;
    expect(await p.locator(`[id="${reasonId}"]`).textContent()).toMatch(/\S/);

    await amount.fill('100');
    await budget.getByRole('button', { name: 'Set budget' }).click();
    await budget.getByText('Budget saved: $100.00 a month.').waitFor();
    const bar = budget.getByRole('progressbar', { name: 'Spending budget used' });
    expect(await bar.getAttribute('aria-valuenow')).toBe('0');
    expect(await p.getByRole('alert').count()).toBe(0);
    await checkPage(p, 'billing-customer-budget');

    // Usage of this month worth about $85 of the $100: past the 80% alert.
    const hours = Math.ceil(8500 / Number(hourPrice));
    const spend = roundedMinor(await recordUsage('this-month-vm', iso(thisMonth), hours));
    expect(spend).toBeGreaterThanOrEqual(8500);
    expect(spend).toBeLessThan(10000);
    await p.reload();
    await heading(p, 'Billing of Contoso Pharmacy');
    const alert = p.getByRole('alert');
    await alert.getByText('80% of the spending budget reached').waitFor();
    const percent = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 }).format(
      Math.floor(spend / 10) / 1000,
    );
    expect(await alert.textContent()).toContain(
      `Contoso Pharmacy has spent ${usd(spend)} on usage in ${monthName(thisMonth)}: ${percent} of the monthly budget of $100.00.`,
    );
    expect(await alert.textContent()).toContain('Alert raised on');
    expect(Number(await bar.getAttribute('aria-valuenow'))).toBe(Math.round(Math.floor(spend / 10) / 10));
    expect(await bar.getAttribute('aria-valuetext')).toBe(`${percent} used: ${usd(spend)} of $100.00`);
    await checkPage(p, 'billing-customer-alert');
    await p.context().close();
  }, 90_000);

  it('a Global admin sees the same on the customer page’s Billing tab; a Sales agent sees no billing', async () => {
    const p = await signedIn(browser, server, admin);
    await p.goto(`/customers/${customer.id}`);
    await heading(p, 'Contoso Pharmacy');
    await p
      .getByRole('navigation', { name: 'Customer sections' })
      .getByRole('link', { name: 'Billing' })
      .click();
    await p.getByRole('alert').getByText('80% of the spending budget reached').waitFor();
    const charges = p.getByRole('region', { name: 'Charges by month, newest first' });
    await charges.waitFor();
    expect(await charges.locator('tbody tr').first().textContent()).toContain(monthName(thisMonth));
    await p.getByRole('img', { name: 'Charges by month in USD' }).waitFor();
    await checkPage(p, 'billing-customer-tab');
    const toDate = cents((await p.getByText('Charges to date').locator('+ dd').textContent()) ?? '');

    // The partner's unbilled charges: this customer's seats and virtual machine so far, the same total.
    await p
      .getByRole('navigation', { name: 'Main navigation' })
      .getByRole('link', { name: 'Billing', exact: true })
      .click();
    await p
      .getByRole('navigation', { name: 'Billing views' })
      .getByRole('link', { name: 'Unbilled charges' })
      .click();
    const unbilled = p.getByRole('region', { name: 'Unbilled charges of this month' });
    await unbilled.waitFor();
    expect(await unbilled.locator('tbody tr').count()).toBe(2);
    expect(cents((await p.getByText('So far in USD').locator('+ dd').textContent()) ?? '')).toBe(toDate);
    await p.getByText(`Charges of ${monthName(thisMonth)} so far, up to and including today.`).waitFor();
    await checkPage(p, 'billing-unbilled');
    await p.context().close();

    const s: Page = await signedIn(browser, server, sales);
    const nav = s.getByRole('navigation', { name: 'Main navigation' });
    await nav.getByRole('link', { name: 'Customers' }).waitFor();
    expect(await nav.getByRole('link', { name: 'Billing' }).count()).toBe(0);
    await s.goto(`/customers/${customer.id}`);
    await heading(s, 'Contoso Pharmacy');
    expect(
      await s
        .getByRole('navigation', { name: 'Customer sections' })
        .getByRole('link', { name: 'Billing' })
        .count(),
    ).toBe(0);
    await s.goto('/billing');
    await heading(s, 'Not allowed');
    await s.context().close();
  }, 60_000);
});
