// SQL of spending budgets, their alerts, and what a customer's billing view reads: the month's usage spend
// (rounded as invoice lines are: once per subscription, meter and price), closed periods and invoiced totals.
import type { Selectable } from 'kysely';
import { sql } from 'kysely';
import type { Trx } from '../../db/database.ts';
import type { BillingProvider, BudgetAlertsTable, CustomerBudgetsTable } from '../../db/schema.ts';

export type BudgetRow = Selectable<CustomerBudgetsTable>;
export type AlertRow = Selectable<BudgetAlertsTable>;

export function getBudget(trx: Trx, partnerId: string, customerId: string): Promise<BudgetRow | undefined> {
  return trx
    .selectFrom('customer_budgets')
    .selectAll()
    .where('partner_id', '=', partnerId)
    .where('customer_id', '=', customerId)
    .executeTakeFirst();
}

export function lockBudget(trx: Trx, partnerId: string, customerId: string): Promise<BudgetRow | undefined> {
  return trx
    .selectFrom('customer_budgets')
    .selectAll()
    .where('partner_id', '=', partnerId)
    .where('customer_id', '=', customerId)
    .forUpdate()
    .executeTakeFirst();
}

export function budgetsOf(trx: Trx, partnerId: string, customerIds: readonly string[]): Promise<BudgetRow[]> {
  if (customerIds.length === 0) return Promise.resolve([]);
  return trx
    .selectFrom('customer_budgets')
    .selectAll()
    .where('partner_id', '=', partnerId)
    .where('customer_id', 'in', [...new Set(customerIds)])
    .execute();
}

/** A new budget; undefined when a concurrent request made one first. */
export function insertBudget(trx: Trx, values: Omit<BudgetRow, 'version'>): Promise<BudgetRow | undefined> {
  return trx
    .insertInto('customer_budgets')
    .values({ ...values, version: 1 })
    .onConflict((oc) => oc.columns(['partner_id', 'customer_id']).doNothing())
    .returningAll()
    .executeTakeFirst();
}

export function updateBudget(
  trx: Trx,
  current: BudgetRow,
  values: Pick<BudgetRow, 'amount' | 'currency' | 'updated_by' | 'updated_at'>,
): Promise<BudgetRow | undefined> {
  return trx
    .updateTable('customer_budgets')
    .set({ ...values, version: current.version + 1 })
    .where('partner_id', '=', current.partner_id)
    .where('customer_id', '=', current.customer_id)
    .where('version', '=', current.version)
    .returningAll()
    .executeTakeFirst();
}

export async function deleteBudget(trx: Trx, current: BudgetRow): Promise<boolean> {
  const r = await trx
    .deleteFrom('customer_budgets')
    .where('partner_id', '=', current.partner_id)
    .where('customer_id', '=', current.customer_id)
    .where('version', '=', current.version)
    .executeTakeFirst();
  return r.numDeletedRows > 0n;
}

/**
 * The month's usage spend of these customers per currency, in minor units: one line per subscription, meter
 * and unit price, its exact amount rounded once half away from zero (PostgreSQL's round of a numeric), summed.
 */
export async function usageSpend(
  trx: Trx,
  partnerId: string,
  customerIds: readonly string[],
  period: string,
): Promise<{ customer_id: string; currency: string; spend: number }[]> {
  if (customerIds.length === 0) return [];
  const r = await sql<{ customer_id: string; currency: string; spend: string }>`
    select customer_id, currency, sum(line)::text as spend from (
      select customer_id, currency, round(sum(amount)) as line
        from usage_records
       where partner_id = ${partnerId} and customer_id = any(${[...new Set(customerIds)]}::uuid[])
         and usage_date >= ${period}::date and usage_date < (${period}::date + interval '1 month')
       group by customer_id, subscription_id, meter_id, unit_price, currency) lines
    group by customer_id, currency`.execute(trx);
  return r.rows.map((row) => ({ ...row, spend: Number(row.spend) }));
}

export function alertOf(
  trx: Trx,
  partnerId: string,
  customerId: string,
  period: string,
  threshold: number,
): Promise<AlertRow | undefined> {
  return trx
    .selectFrom('budget_alerts')
    .selectAll()
    .where('partner_id', '=', partnerId)
    .where('customer_id', '=', customerId)
    .where('period_start', '=', period)
    .where('threshold_percent', '=', threshold)
    .executeTakeFirst();
}

/** Writes the alerts not raised before (one per customer, month and threshold); answers those written. */
export async function insertAlerts(trx: Trx, alerts: readonly AlertRow[]): Promise<AlertRow[]> {
  if (alerts.length === 0) return [];
  return trx
    .insertInto('budget_alerts')
    .values([...alerts])
    .onConflict((oc) =>
      oc.columns(['partner_id', 'customer_id', 'period_start', 'threshold_percent']).doNothing(),
    )
    .returningAll()
    .execute();
}

/** The names the partner knows its customers by. */
export async function customerNames(
  trx: Trx,
  partnerId: string,
  customerIds: readonly string[],
): Promise<Map<string, string>> {
  if (customerIds.length === 0) return new Map();
  const rows = await trx
    .selectFrom('customer_relationships')
    .select(['customer_id', 'company_name'])
    .where('partner_id', '=', partnerId)
    .where('customer_id', 'in', [...new Set(customerIds)])
    .execute();
  return new Map(rows.map((r) => [r.customer_id, r.company_name]));
}

/** Which of these months the invoice job has closed for the partner. */
export async function closedPeriods(
  trx: Trx,
  partnerId: string,
  periods: readonly string[],
): Promise<Set<string>> {
  if (periods.length === 0) return new Set();
  const rows = await trx
    .selectFrom('billing_periods')
    .select('period_start')
    .where('partner_id', '=', partnerId)
    .where('period_start', 'in', [...periods])
    .where('status', '=', 'closed')
    .execute();
  return new Set(rows.map((r) => r.period_start));
}

/**
 * What the customer was invoiced for these months in `currency`, per month and provider: invoice lines less
 * the credit notes that amend them.
 */
export async function invoicedTotals(
  trx: Trx,
  partnerId: string,
  customerId: string,
  currency: string,
  periods: readonly string[],
): Promise<{ period: string; provider: BillingProvider; total: number }[]> {
  if (periods.length === 0) return [];
  const rows = await trx
    .selectFrom('invoice_line_items as l')
    .innerJoin('invoices as i', 'i.id', 'l.invoice_id')
    .select(['i.billing_period_start as period', 'l.provider'])
    .select(sql<string>`sum(l.amount)::text`.as('total'))
    .where('l.partner_id', '=', partnerId)
    .where('l.customer_id', '=', customerId)
    .where('i.partner_id', '=', partnerId)
    .where('i.currency', '=', currency)
    .where('i.billing_period_start', 'in', [...periods])
    .groupBy(['i.billing_period_start', 'l.provider'])
    .execute();
  return rows.map((r) => ({ period: r.period, provider: r.provider, total: Number(r.total) }));
}
