// A customer's billing as its partner sees it (PRODUCT.md feature 10): a monthly spending budget for usage-based
// spend, with an alert once the month's usage reaches 80% of it (raised once per month, in the transaction that
// takes the spend there: recording usage, or setting a budget below what is already spent), and the customer's
// charges by month — invoiced months from their invoices and credit notes, the others worked out from charges.
import type { Db, Trx } from '../../db/database.ts';
import { inPartnerTransaction } from '../../db/database.ts';
import { etagOf } from '../../http/etag.ts';
import type { Clock } from '../../lib/clock.ts';
import type { CallerContext } from '../../lib/context.ts';
import { actorOf } from '../../lib/context.ts';
import { AppError } from '../../lib/errors.ts';
import { recordAllAs } from '../activity/activity.record.ts';
import type { CustomersService } from '../customers/customers.service.ts';
import type { OrderCustomer } from '../subscriptions/subscriptions.access.ts';
import { customerForRead, customerForWrite } from '../subscriptions/subscriptions.access.ts';
import { marketCurrency } from '../offers/offers.service.ts';
import { formatMinor } from './billing.money.ts';
import { computeCharges, dayAfter, periodOf, previousPeriod } from './charges.service.ts';
import * as repo from './budgets.repository.ts';
import type { BudgetRow } from './budgets.repository.ts';

/** The share of the budget whose spend raises the alert. */
export const ALERT_THRESHOLD_PERCENT = 80;
export const MAX_BUDGET = 1_000_000_000_000;
export const MAX_CHARGE_MONTHS = 36;

const SYSTEM = { kind: 'system', name: 'Partnerdesk billing' } as const;

export interface UsageBudgetView {
  amount: number | null;
  currencyCode: string;
  periodStartDate: string;
  spend: number;
  percentUsed: number | null;
  alertThresholdPercent: number;
  alertRaisedAt: string | null;
  attributes: { objectType: 'UsageBudget'; etag: string };
}

export interface MonthChargesView {
  billingPeriodStartDate: string;
  billed: boolean;
  recurring: number;
  usage: number;
  oneTime: number;
  totalCharges: number;
}

export interface CustomerChargesView {
  currencyCode: string;
  chargesToDate: number;
  items: MonthChargesView[];
}

export interface BudgetInput {
  amount: number;
  currencyCode?: string | null;
}

export interface BudgetsService {
  get(ctx: CallerContext, customerId: string): Promise<UsageBudgetView>;
  /** `expectedVersion` from If-Match (optional): stale → 412 with the budget as it is now. */
  set(
    ctx: CallerContext,
    customerId: string,
    input: BudgetInput,
    expectedVersion: number | undefined,
  ): Promise<UsageBudgetView>;
  remove(ctx: CallerContext, customerId: string, expectedVersion: number | undefined): Promise<void>;
  charges(ctx: CallerContext, customerId: string, months: number): Promise<CustomerChargesView>;
  /**
   * Raises the alert of each of these customers whose spend in one of these months has reached the threshold of
   * its budget and has none for that month yet (a `budget_alerts` row and a `budget.thresholdReached` record).
   * Runs in the caller's transaction: the one that recorded the usage.
   */
  checkAlerts(
    trx: Trx,
    ctx: CallerContext,
    customerIds: readonly string[],
    periods: readonly string[],
  ): Promise<void>;
}

/** The resource id the budget's ETag is made of: never the customer's own ETag. */
export const budgetEtagId = (customerId: string) => `usagebudget:${customerId.toLowerCase()}`;

/** Tenths of a percent, rounded down: 79.99% reads 79.9, never the 80 that raises the alert. */
function percentOf(spend: number, amount: number): number {
  return Math.floor((spend * 1000) / amount) / 10;
}

const reached = (spend: number, amount: number) => spend * 100 >= amount * ALERT_THRESHOLD_PERCENT;

export function createBudgetsService(deps: {
  db: Db;
  clock: Clock;
  customers: Pick<CustomersService, 'getInTransaction' | 'relationshipState'>;
}): BudgetsService {
  const { db, clock, customers } = deps;

  /**
   * The customer and its market's currency (undefined where the catalog does not sell): reading needs it in the
   * caller's list, changing a budget an active relationship (404 for a stranger, 403 once it has ended), as
   * for orders and subscriptions.
   */
  async function customerOf(trx: Trx, ctx: CallerContext, customerId: string, forChange = false) {
    const customer = await (forChange ? customerForWrite : customerForRead)(customers, trx, ctx, customerId);
    return { customer, country: customer.country, currency: await marketCurrency(trx, customer.country) };
  }

  async function view(
    trx: Trx,
    ctx: CallerContext,
    customer: OrderCustomer,
    currency: string | undefined,
    budget: BudgetRow | undefined,
  ): Promise<UsageBudgetView> {
    const period = periodOf(clock.now());
    const code = budget?.currency ?? currency ?? '';
    const [spends, alert] = await Promise.all([
      repo.usageSpend(trx, ctx.partnerId, [customer.id], period),
      repo.alertOf(trx, ctx.partnerId, customer.id, period, ALERT_THRESHOLD_PERCENT),
    ]);
    const spend = spends.find((s) => s.currency === code)?.spend ?? 0;
    return {
      amount: budget?.amount ?? null,
      currencyCode: code,
      periodStartDate: period,
      spend,
      percentUsed: budget ? percentOf(spend, budget.amount) : null,
      alertThresholdPercent: ALERT_THRESHOLD_PERCENT,
      alertRaisedAt: alert ? alert.raised_at.toISOString() : null,
      attributes: {
        objectType: 'UsageBudget',
        etag: etagOf(budgetEtagId(customer.id), budget?.version ?? 0),
      },
    };
  }

  async function checkAlerts(
    trx: Trx,
    ctx: CallerContext,
    customerIds: readonly string[],
    periods: readonly string[],
  ): Promise<void> {
    const budgets = await repo.budgetsOf(trx, ctx.partnerId, customerIds);
    if (budgets.length === 0) return;
    const now = clock.now();
    const due: repo.AlertRow[] = [];
    for (const period of [...new Set(periods)].sort()) {
      const spends = await repo.usageSpend(
        trx,
        ctx.partnerId,
        budgets.map((b) => b.customer_id),
        period,
      );
      for (const b of budgets) {
        const spend = spends.find((s) => s.customer_id === b.customer_id && s.currency === b.currency)?.spend;
        if (spend !== undefined && reached(spend, b.amount))
          due.push({
            partner_id: ctx.partnerId,
            customer_id: b.customer_id,
            period_start: period,
            threshold_percent: ALERT_THRESHOLD_PERCENT,
            spend,
            budget: b.amount,
            currency: b.currency,
            raised_at: now,
          });
      }
    }
    const raised = await repo.insertAlerts(trx, due);
    if (raised.length === 0) return;
    const names = await repo.customerNames(
      trx,
      ctx.partnerId,
      raised.map((a) => a.customer_id),
    );
    await recordAllAs(
      trx,
      SYSTEM,
      raised.map((a) => ({
        partnerId: ctx.partnerId,
        entry: {
          action: 'budget.thresholdReached',
          resourceType: 'UsageBudget',
          resourceId: a.customer_id,
          customer: { id: a.customer_id, name: names.get(a.customer_id) ?? '' },
          details: {
            periodStartDate: a.period_start,
            spend: formatMinor(a.spend, a.currency),
            budget: formatMinor(a.budget, a.currency),
            currency: a.currency,
            percentUsed: percentOf(a.spend, a.budget),
            thresholdPercent: a.threshold_percent,
          },
        },
      })),
      { requestId: ctx.requestId, correlationId: ctx.correlationId },
    );
  }

  function activity(
    trx: Trx,
    ctx: CallerContext,
    customer: OrderCustomer,
    action: 'budget.updated' | 'budget.removed',
    details: Record<string, unknown>,
  ) {
    return recordAllAs(
      trx,
      actorOf(ctx),
      [
        {
          partnerId: ctx.partnerId,
          entry: {
            action,
            resourceType: 'UsageBudget',
            resourceId: customer.id,
            customer: { id: customer.id, name: customer.name },
            details,
          },
        },
      ],
      { requestId: ctx.requestId, correlationId: ctx.correlationId },
    );
  }

  return {
    get: (ctx, customerId) =>
      inPartnerTransaction(db, ctx.partnerId, async (trx) => {
        const { customer, currency } = await customerOf(trx, ctx, customerId);
        return view(trx, ctx, customer, currency, await repo.getBudget(trx, ctx.partnerId, customer.id));
      }),

    set: (ctx, customerId, input, expectedVersion) =>
      inPartnerTransaction(db, ctx.partnerId, async (trx) => {
        const { customer, country, currency } = await customerOf(trx, ctx, customerId, true);
        const current = await repo.lockBudget(trx, ctx.partnerId, customer.id);
        if (expectedVersion !== undefined && (current?.version ?? 0) !== expectedVersion)
          throw new AppError('preconditionFailed', {
            data: [await view(trx, ctx, customer, currency, current)],
          });
        if (!currency)
          throw new AppError('budgetCurrencyMismatch', {
            details: [
              {
                field: 'currencyCode',
                reason: `the customer’s country ${country} is not a market of the catalog`,
              },
            ],
          });
        const asked = input.currencyCode?.trim().toUpperCase();
        if (asked && asked !== currency)
          throw new AppError('budgetCurrencyMismatch', {
            details: [
              {
                field: 'currencyCode',
                reason: `must be ${currency}, the currency of the customer’s market (${country})`,
              },
            ],
          });
        const now = clock.now();
        const values = { amount: input.amount, currency, updated_by: ctx.userName, updated_at: now };
        const next = current
          ? await repo.updateBudget(trx, current, values)
          : await repo.insertBudget(trx, { partner_id: ctx.partnerId, customer_id: customer.id, ...values });
        // Only a concurrent request (one that made the budget first) gets here without a row.
        if (!next)
          throw new AppError('preconditionFailed', {
            data: [
              await view(trx, ctx, customer, currency, await repo.getBudget(trx, ctx.partnerId, customer.id)),
            ],
          });
        if (!current || current.amount !== next.amount || current.currency !== next.currency)
          await activity(trx, ctx, customer, 'budget.updated', {
            currency,
            before: current ? { amount: formatMinor(current.amount, current.currency) } : {},
            after: { amount: formatMinor(next.amount, next.currency) },
          });
        // A budget set below what the month has already spent raises the alert now.
        await checkAlerts(trx, ctx, [customer.id], [periodOf(now)]);
        return view(trx, ctx, customer, currency, next);
      }),

    remove: (ctx, customerId, expectedVersion) =>
      inPartnerTransaction(db, ctx.partnerId, async (trx) => {
        const { customer, currency } = await customerOf(trx, ctx, customerId, true);
        const current = await repo.lockBudget(trx, ctx.partnerId, customer.id);
        if (expectedVersion !== undefined && (current?.version ?? 0) !== expectedVersion)
          throw new AppError('preconditionFailed', {
            data: [await view(trx, ctx, customer, currency, current)],
          });
        if (!current) return;
        await repo.deleteBudget(trx, current);
        await activity(trx, ctx, customer, 'budget.removed', {
          currency: current.currency,
          before: { amount: formatMinor(current.amount, current.currency) },
        });
      }),

    charges: (ctx, customerId, months) =>
      inPartnerTransaction(db, ctx.partnerId, async (trx) => {
        const { customer, currency } = await customerOf(trx, ctx, customerId);
        const now = clock.now();
        const current = periodOf(now);
        const periods = [current];
        while (periods.length < months) periods.unshift(previousPeriod(periods[0]!));
        const code = currency ?? '';
        const closed = await repo.closedPeriods(trx, ctx.partnerId, periods);
        const totals = new Map(periods.map((p) => [p, { recurring: 0, usage: 0, oneTime: 0 }]));
        const add = (period: string, provider: string, amount: number) => {
          const t = totals.get(period)!;
          if (provider === 'azure') t.usage += amount;
          else if (provider === 'oneTime') t.oneTime += amount;
          else t.recurring += amount;
        };
        for (const row of await repo.invoicedTotals(trx, ctx.partnerId, customer.id, code, [...closed]))
          add(row.period, row.provider, row.total);
        // Months not invoiced yet (this one so far, and an ended one the job has not closed yet): worked out.
        for (const period of periods.filter((p) => !closed.has(p))) {
          const lines = await computeCharges(trx, {
            partnerId: ctx.partnerId,
            customerId: customer.id,
            periodStart: period,
            ...(period === current ? { upToDay: dayAfter(now) } : {}),
          });
          for (const line of lines) if (line.currency === code) add(period, line.provider, line.amount);
        }
        const items = periods.map((p) => {
          const t = totals.get(p)!;
          return {
            billingPeriodStartDate: p,
            billed: closed.has(p),
            ...t,
            totalCharges: t.recurring + t.usage + t.oneTime,
          };
        });
        return { currencyCode: code, chargesToDate: items[items.length - 1]!.totalCharges, items };
      }),

    checkAlerts,
  };
}
