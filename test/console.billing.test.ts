// The console's billing logic without a browser: a budget typed in major units becomes the minor units the API
// takes (the currency's own decimals, the reader's number format), the months a chart shows and its bars, when
// the 80% alert shows, unit prices and quantities as decimals kept exact, the line item filter in the URL,
// where a customer's billing opens for each role, the customer page's Billing tab by role, and the file name a
// download is saved under.
import { describe, expect, it } from 'vitest';
import { currencyExponent } from '../src/modules/billing/billing.money.ts';
import { demoCatalog } from '../src/demo/seed.ts';
import { fileNameOf } from '../web/src/api/contentDisposition.ts';
import {
  addMonths,
  barLayout,
  budgetState,
  customerBillingPath,
  filterValue,
  formatQuantity,
  formatUnitPrice,
  majorInputText,
  monthSeries,
  parseFilter,
  parseMajorAmount,
  shiftDecimal,
} from '../web/src/features/billing/model.ts';
import { customerTabs } from '../web/src/features/customers/tabs.ts';
import { minorDigits } from '../web/src/i18n/money.ts';

// Intl separates thousands with a (narrow) no-break space in Russian: compare with plain spaces.
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('a budget typed in major units', () => {
  it('becomes minor units with the currency’s own decimals: 2 for USD, 0 for JPY, 3 for KWD', () => {
    expect(parseMajorAmount('1500', 'USD', 'en-US')).toEqual({ minor: 150000 });
    expect(parseMajorAmount('1,500.5', 'USD', 'en-US')).toEqual({ minor: 150050 });
    expect(parseMajorAmount('0.07', 'USD', 'en-US')).toEqual({ minor: 7 });
    expect(parseMajorAmount('1500', 'JPY', 'en-US')).toEqual({ minor: 1500 });
    expect(parseMajorAmount('1,500.000', 'JPY', 'en-US')).toEqual({ minor: 1500 });
    expect(parseMajorAmount('1.234', 'KWD', 'en-US')).toEqual({ minor: 1234 });
  });

  it('reads the reader’s number format: German 1.234,56; Russian 1 234,56 (and a point there too)', () => {
    expect(parseMajorAmount('1.234,56', 'EUR', 'de')).toEqual({ minor: 123456 });
    expect(parseMajorAmount('1234,5', 'EUR', 'de')).toEqual({ minor: 123450 });
    expect(parseMajorAmount('1.234', 'EUR', 'de')).toEqual({ minor: 123400 });
    expect(parseMajorAmount('1\u00a0234,56', 'RUB', 'ru')).toEqual({ minor: 123456 });
    expect(parseMajorAmount('1 234,56', 'RUB', 'ru')).toEqual({ minor: 123456 });
    expect(parseMajorAmount('12.5', 'RUB', 'ru')).toEqual({ minor: 1250 });
    // An English grouping comma is no decimal sign, and a German point groups thousands.
    expect(parseMajorAmount('12,5', 'USD', 'en-US')).toEqual({ problem: 'notANumber' });
    expect(parseMajorAmount('12.50', 'EUR', 'de')).toEqual({ problem: 'notANumber' });
  });

  it('refuses what is no positive amount of that currency, saying why', () => {
    expect(parseMajorAmount('  ', 'USD', 'en-US')).toEqual({ problem: 'empty' });
    expect(parseMajorAmount('ten', 'USD', 'en-US')).toEqual({ problem: 'notANumber' });
    expect(parseMajorAmount('1e3', 'USD', 'en-US')).toEqual({ problem: 'notANumber' });
    expect(parseMajorAmount('12.345', 'USD', 'en-US')).toEqual({ problem: 'tooManyDecimals' });
    expect(parseMajorAmount('12.5', 'JPY', 'en-US')).toEqual({ problem: 'tooManyDecimals' });
    expect(parseMajorAmount('0', 'USD', 'en-US')).toEqual({ problem: 'notPositive' });
    expect(parseMajorAmount('0.00', 'USD', 'en-US')).toEqual({ problem: 'notPositive' });
    expect(parseMajorAmount('-5', 'USD', 'en-US')).toEqual({ problem: 'notPositive' });
    expect(parseMajorAmount('99999999999999999', 'USD', 'en-US')).toEqual({ problem: 'tooLarge' });
  });

  it('shows the current budget in the field as it would be typed, and reads it back the same', () => {
    expect(majorInputText(150000, 'USD', 'en-US')).toBe('1500.00');
    expect(majorInputText(5, 'USD', 'en-US')).toBe('0.05');
    expect(majorInputText(150000, 'EUR', 'de')).toBe('1500,00');
    expect(majorInputText(1500, 'JPY', 'en-US')).toBe('1500');
    for (const [minor, currency, locale] of [
      [150000, 'USD', 'en-US'],
      [123456, 'EUR', 'de'],
      [123456, 'RUB', 'ru'],
      [1500, 'JPY', 'ru'],
      [1234, 'KWD', 'en-US'],
    ] as const)
      expect(parseMajorAmount(majorInputText(minor, currency, locale), currency, locale)).toEqual({ minor });
  });

  it('uses the decimals the server uses for every currency of the catalog', () => {
    const currencies = new Set(['USD', 'JPY', 'KWD', 'BHD', 'CLP', 'KRW']);
    const catalog = demoCatalog() as { offers: { prices: { currency: string }[] }[] };
    for (const offer of catalog.offers) for (const price of offer.prices) currencies.add(price.currency);
    expect(currencies.size).toBeGreaterThan(8);
    for (const c of currencies) expect(minorDigits(c), c).toBe(currencyExponent(c));
  });
});

describe('the months a chart shows', () => {
  it('counts months across years', () => {
    expect(addMonths('2026-11-01', 1)).toBe('2026-12-01');
    expect(addMonths('2026-12-15', 1)).toBe('2027-01-01');
    expect(addMonths('2026-01-01', -1)).toBe('2025-12-01');
    expect(addMonths('2026-03-01', -14)).toBe('2025-01-01');
  });

  it('ends with the latest month, oldest first, 0 for a month the API left out', () => {
    const series = monthSeries(
      [
        { billingPeriodStartDate: '2026-08-01', totalCharges: 500 },
        { billingPeriodStartDate: '2026-10-01', totalCharges: 1200 },
      ],
      4,
    );
    expect(series).toEqual([
      { period: '2026-07-01', total: 0 },
      { period: '2026-08-01', total: 500 },
      { period: '2026-09-01', total: 0 },
      { period: '2026-10-01', total: 1200 },
    ]);
  });

  it('reaches a later month when asked (the invoice’s own), and shows nothing without data or month', () => {
    const series = monthSeries([{ billingPeriodStartDate: '2026-09-01', totalCharges: 7 }], 12, '2026-11-01');
    expect(series).toHaveLength(12);
    expect(series[0]!.period).toBe('2025-12-01');
    expect(series.at(-1)).toEqual({ period: '2026-11-01', total: 0 });
    expect(series.at(-3)).toEqual({ period: '2026-09-01', total: 7 });
    expect(monthSeries([], 12)).toEqual([]);
  });

  it('draws the largest total full height from a bottom baseline; zero is no bar, a tiny total still shows', () => {
    const { baseline, bars } = barLayout([0, 100, 50, 0.01], 160);
    expect(baseline).toBe(160);
    expect(bars[0]).toEqual({ y: 160, height: 0 });
    expect(bars[1]).toEqual({ y: 0, height: 160 });
    expect(bars[2]).toEqual({ y: 80, height: 80 });
    expect(bars[3]!.height).toBe(1);
    expect(barLayout([0, 0], 160).bars.every((b) => b.height === 0)).toBe(true);
  });

  it('draws a negative month below the baseline', () => {
    const { baseline, bars } = barLayout([300, -100], 160);
    expect(baseline).toBe(120);
    expect(bars[0]).toEqual({ y: 0, height: 120 });
    expect(bars[1]).toEqual({ y: 120, height: 40 });
  });
});

describe('the usage budget’s state', () => {
  const budget = { amount: 10000, spend: 0, percentUsed: 0, alertThresholdPercent: 80, alertRaisedAt: null };

  it('alerts from 80% of the budget, or once an alert was raised this month', () => {
    expect(budgetState({ ...budget, amount: null })).toEqual({ level: 'none', barPercent: 0 });
    expect(budgetState({ ...budget, spend: 7999, percentUsed: 79.99 })).toEqual({
      level: 'ok',
      barPercent: 79.99,
    });
    expect(budgetState({ ...budget, spend: 8000, percentUsed: 80 }).level).toBe('alert');
    // Raised, then the budget was raised above the spend: the month's alert still stands.
    expect(
      budgetState({ ...budget, amount: 20000, spend: 8000, percentUsed: 40, alertRaisedAt: '2026-11-20' })
        .level,
    ).toBe('alert');
  });

  it('says when the budget is spent, and never draws the bar past full', () => {
    expect(budgetState({ ...budget, spend: 15000, percentUsed: 150 })).toEqual({
      level: 'over',
      barPercent: 100,
    });
  });
});

describe('decimals kept exact', () => {
  it('shifts a unit price from minor to major units as text', () => {
    expect(shiftDecimal('658', 2)).toBe('6.58');
    expect(shiftDecimal('0.52', 2)).toBe('0.0052');
    expect(shiftDecimal('1200.500000', 2)).toBe('12.005');
    expect(shiftDecimal('5', 0)).toBe('5');
    expect(shiftDecimal('-250', 2)).toBe('-2.5');
  });

  it('writes a fractional unit price in full and quantities with every decimal, in the reader’s format', () => {
    expect(formatUnitPrice('0.52', 'USD', 'en-US')).toBe('$0.0052');
    expect(formatUnitPrice('1250', 'USD', 'en-US')).toBe('$12.50');
    expect(formatUnitPrice('12.5', 'JPY', 'en-US')).toBe('¥12.5');
    expect(plain(formatUnitPrice('123456.7', 'EUR', 'de'))).toBe('1.234,567 €');
    expect(formatQuantity('12.500000', 'en-US')).toBe('12.5');
    expect(formatQuantity('1234.000001', 'de')).toBe('1.234,000001');
  });
});

describe('line item filter in the URL', () => {
  it('names a provider and a line type, and refuses anything else', () => {
    const f = { provider: 'azure', lineItemType: 'usageLineItems' } as const;
    expect(filterValue(f)).toBe('azure.usageLineItems');
    expect(parseFilter('azure.usageLineItems')).toEqual(f);
    for (const bad of [null, '', 'azure', 'azure.other', 'gcp.usageLineItems', 'azure.usageLineItems.x'])
      expect(parseFilter(bad), String(bad)).toBeUndefined();
  });
});

describe('billing by role', () => {
  it('opens a customer’s billing on its Billing tab for those who see customers, else in the billing area', () => {
    expect(customerBillingPath(['globalAdmin'], 'c-1')).toBe('/customers/c-1/billing');
    expect(customerBillingPath(['adminAgent'], 'c-1')).toBe('/customers/c-1/billing');
    expect(customerBillingPath(['billingAdmin'], 'c-1')).toBe('/billing/customers/c-1');
    expect(customerBillingPath(['billingAdmin', 'helpdeskAgent'], 'c-1')).toBe('/customers/c-1/billing');
  });

  it('shows the customer page’s Billing tab to the billing roles only', () => {
    const ids = (roles: string[]) => customerTabs(roles).map((t) => t.id);
    expect(ids(['globalAdmin'])).toEqual(['account', 'subscriptions', 'users', 'billing', 'serviceRequests']);
    expect(ids(['adminAgent'])).toContain('billing');
    expect(ids(['salesAgent'])).toEqual(['account', 'subscriptions', 'users', 'serviceRequests']);
    expect(ids(['helpdeskAgent'])).not.toContain('billing');
    expect(ids(['helpdeskAgent', 'billingAdmin'])).toContain('billing');
  });
});

describe('downloads', () => {
  it('saves a file under the name the API gives, else the fallback', () => {
    expect(fileNameOf('attachment; filename="PD0000000042.pdf"', 'x.pdf')).toBe('PD0000000042.pdf');
    expect(fileNameOf('attachment; filename=PD1-reconciliation.csv', 'x.csv')).toBe('PD1-reconciliation.csv');
    expect(fileNameOf("attachment; filename*=UTF-8''Rechnung%20%C3%BC.pdf", 'x.pdf')).toBe('Rechnung ü.pdf');
    expect(fileNameOf(null, 'PD1.pdf')).toBe('PD1.pdf');
    expect(fileNameOf('attachment', 'PD1.pdf')).toBe('PD1.pdf');
  });
});
