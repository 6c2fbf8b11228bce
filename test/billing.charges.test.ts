// The charge arithmetic on its own: state histories in, lines out, each amount worked out by hand.
import { describe, expect, it } from 'vitest';
import { addMonths, dayFromIso, licenseCharges } from '../src/modules/billing/billing.charges.ts';
import type { StateChange } from '../src/modules/billing/billing.charges.ts';
import {
  formatMinor,
  parseDecimal,
  roundHalfAwayFromZero,
  roundLine,
} from '../src/modules/billing/billing.money.ts';

const at = (iso: string) => new Date(iso);
const active = (iso: string, quantity: number, unitPrice: number): StateChange => ({
  validFrom: at(iso),
  quantity,
  status: 'active',
  unitPrice,
});
const suspended = (iso: string, quantity: number, unitPrice: number): StateChange => ({
  validFrom: at(iso),
  quantity,
  status: 'suspended',
  unitPrice,
});
const NOV = dayFromIso('2026-11-01');
const simple = (lines: ReturnType<typeof licenseCharges>) =>
  lines.map((l) => ({ type: l.chargeType, q: l.quantity, days: l.days, amount: l.amount }));

describe('money', () => {
  it('rounds half away from zero, once', () => {
    expect(roundHalfAwayFromZero(5n, 2n)).toBe(3n); // 2.5 → 3
    expect(roundHalfAwayFromZero(-5n, 2n)).toBe(-3n); // -2.5 → -3
    expect(roundHalfAwayFromZero(7n, 3n)).toBe(2n); // 2.33 → 2
    expect(roundLine(parseDecimal('1234.499999'))).toBe(1234);
    expect(roundLine(parseDecimal('1234.5'))).toBe(1235);
  });

  it('formats minor units in major units by the currency’s decimals', () => {
    expect(formatMinor(658, 'USD')).toBe('6.58');
    expect(formatMinor(658, 'JPY')).toBe('658');
    expect(formatMinor(-5, 'EUR')).toBe('-0.05');
    expect(formatMinor(1234, 'KWD')).toBe('1.234');
  });
});

describe('license charges', () => {
  it('prorates a mid-month increase by day, the day of the change at the new quantity', () => {
    // 10 seats at 1000/month from 1 Nov; 15 from 16 Nov 09:30. November has 30 days.
    // 10 × 1000 × 15/30 = 5000; 15 × 1000 × 15/30 = 7500.
    const lines = licenseCharges(
      {
        billingCycle: 'monthly',
        states: [active('2026-11-01T08:00:00Z', 10, 1000), active('2026-11-16T09:30:00Z', 15, 1000)],
      },
      NOV,
    );
    expect(simple(lines)).toEqual([
      { type: 'prorateCharge', q: 10, days: 15, amount: 5000 },
      { type: 'prorateCharge', q: 15, days: 15, amount: 7500 },
    ]);
  });

  it('charges a whole month as one cycle charge, and nothing for suspended days', () => {
    // Started in October: November whole = 3 × 1250 = 3750.
    expect(
      simple(
        licenseCharges({ billingCycle: 'monthly', states: [active('2026-10-05T00:00:00Z', 3, 1250)] }, NOV),
      ),
    ).toEqual([{ type: 'cycleCharge', q: 3, days: 30, amount: 3750 }]);
    // Suspended 11 Nov, reactivated 21 Nov: charged 1–10 and 21–30: 3 × 1250 × 10/30 = 1250 twice.
    const lines = licenseCharges(
      {
        billingCycle: 'monthly',
        states: [
          active('2026-10-05T00:00:00Z', 3, 1250),
          suspended('2026-11-11T12:00:00Z', 3, 1250),
          active('2026-11-21T07:00:00Z', 3, 1250),
        ],
      },
      NOV,
    );
    expect(simple(lines)).toEqual([
      { type: 'prorateCharge', q: 3, days: 10, amount: 1250 },
      { type: 'prorateCharge', q: 3, days: 10, amount: 1250 },
    ]);
  });

  it('rounds each line once: 1 × 1001 × 7/30 = 233.566… → 234', () => {
    const lines = licenseCharges(
      { billingCycle: 'monthly', states: [active('2026-11-24T00:00:00Z', 1, 1001)] },
      NOV,
    );
    expect(simple(lines)).toEqual([{ type: 'prorateCharge', q: 1, days: 7, amount: 234 }]);
  });

  it('counts charges to date up to the given day', () => {
    // 2 × 900 × 10/30 = 600 for 1–10 November.
    const lines = licenseCharges(
      { billingCycle: 'monthly', states: [active('2026-10-01T00:00:00Z', 2, 900)] },
      NOV,
      NOV + 10,
    );
    expect(simple(lines)).toEqual([{ type: 'prorateCharge', q: 2, days: 10, amount: 600 }]);
  });

  it('charges an annual cycle in advance and prorates a change by the days left in the cycle', () => {
    // Annual cycle from 2026-11-10 at 12000/year, 4 seats: 48000 in November (cycle of 365 days).
    const start = [active('2026-11-10T10:00:00Z', 4, 12000)];
    expect(simple(licenseCharges({ billingCycle: 'annual', states: start }, NOV))).toEqual([
      { type: 'cycleCharge', q: 4, days: 365, amount: 48000 },
    ]);
    // Nothing in December; +2 seats on 2027-01-10: 31+30 days used of 365, 304 left... the cycle ends
    // 2027-11-10, so from 2027-01-10 there are 304 days left: 2 × 12000 × 304/365 = 19989.04… → 19989.
    const history = [...start, active('2027-01-10T15:00:00Z', 6, 12000)];
    expect(licenseCharges({ billingCycle: 'annual', states: history }, dayFromIso('2026-12-01'))).toEqual([]);
    expect(
      simple(licenseCharges({ billingCycle: 'annual', states: history }, dayFromIso('2027-01-01'))),
    ).toEqual([{ type: 'prorateCharge', q: 2, days: 304, amount: 19989 }]);
    // Suspension on 2027-02-01 credits 6 seats for the 282 days left: 6 × 12000 × 282/365 = 55627.39… → -55627.
    const suspendedToo = [...history, suspended('2027-02-01T00:00:00Z', 6, 12000)];
    expect(
      simple(licenseCharges({ billingCycle: 'annual', states: suspendedToo }, dayFromIso('2027-02-01'))),
    ).toEqual([{ type: 'prorateCredit', q: -6, days: 282, amount: -55627 }]);
    // The next cycle starts 2027-11-10 and is charged again when active.
    expect(
      simple(licenseCharges({ billingCycle: 'annual', states: history }, dayFromIso('2027-11-01'))),
    ).toEqual([{ type: 'cycleCharge', q: 6, days: 366, amount: 72000 }]);
  });

  it('splits a subscription transferred on the 10th: the source up to the 9th, the target from the 10th', () => {
    // Source row: 1 seat at 1001 from October, transferred 10 Nov 14:00; target row from that instant.
    // Source: 1 × 1001 × 9/30 = 300.3 → 300; target: 1 × 1001 × 21/30 = 700.7 → 701; together 1001, the month.
    const source = licenseCharges(
      {
        billingCycle: 'monthly',
        states: [
          active('2026-10-01T00:00:00Z', 1, 1001),
          { ...active('2026-11-10T14:00:00Z', 1, 1001), status: 'transferred' },
        ],
      },
      NOV,
    );
    const target = licenseCharges(
      { billingCycle: 'monthly', states: [active('2026-11-10T14:00:00Z', 1, 1001)] },
      NOV,
    );
    expect(simple(source)).toEqual([{ type: 'prorateCharge', q: 1, days: 9, amount: 300 }]);
    expect(simple(target)).toEqual([{ type: 'prorateCharge', q: 1, days: 21, amount: 701 }]);
    expect(source[0]!.amount + target[0]!.amount).toBe(1001);
  });

  it('charges a one-time purchase once, in its month', () => {
    const sub = { billingCycle: 'oneTime' as const, states: [active('2026-11-03T00:00:00Z', 2, 100490)] };
    expect(simple(licenseCharges(sub, NOV))).toEqual([{ type: 'oneTime', q: 2, days: null, amount: 200980 }]);
    expect(licenseCharges(sub, addMonths(NOV, 1))).toEqual([]);
    // Cancelled the day it was bought: nothing to pay. Cancelled the next day: bought, charged in full.
    const cancelled = (iso: string): StateChange => ({ ...active(iso, 2, 100490), status: 'cancelled' });
    const sameDay = {
      billingCycle: 'oneTime' as const,
      states: [...sub.states, cancelled('2026-11-03T16:00:00Z')],
    };
    expect(licenseCharges(sameDay, NOV)).toEqual([]);
    const nextDay = {
      billingCycle: 'oneTime' as const,
      states: [...sub.states, cancelled('2026-11-04T09:00:00Z')],
    };
    expect(simple(licenseCharges(nextDay, NOV))).toEqual([
      { type: 'oneTime', q: 2, days: null, amount: 200980 },
    ]);
  });
});
