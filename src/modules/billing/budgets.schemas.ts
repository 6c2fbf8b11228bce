// Request and response shapes of a customer's spending budget (/v1/customers/{customerId}/usagebudget) and its
// charges by month (/v1/customers/{customerId}/charges). Money is integer minor units of `currencyCode`.
import { Type } from 'typebox';
import { Attributes, DateTime, Uuid } from '../../http/schemas.ts';
import { errors } from '../partners/partners.schemas.ts';
import { MAX_BUDGET, MAX_CHARGE_MONTHS } from './budgets.service.ts';

export { errors };

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Minor = (description: string) =>
  Type.Integer({ description: `${description}, in minor units of currencyCode (cents; whole yen for JPY)` });

export const CustomerParams = Type.Object({ customerId: Uuid });

export const UsageBudgetSchema = Type.Object({
  amount: Nullable(Minor('The monthly budget for usage-based spend; null: no budget')),
  currencyCode: Type.String({ description: 'The currency of the customer’s market' }),
  periodStartDate: Type.String({ format: 'date', description: 'The month spend is counted for (UTC)' }),
  spend: Minor('Usage charges of the month so far, each line rounded once as on the invoice'),
  percentUsed: Nullable(Type.Number({ description: 'spend ÷ amount in percent, rounded down to a tenth' })),
  alertThresholdPercent: Type.Integer({ description: 'The share of the budget that raises the alert' }),
  alertRaisedAt: Nullable(DateTime),
  attributes: Attributes('UsageBudget'),
});

export const UsageBudgetBody = Type.Object(
  {
    amount: Type.Integer({ minimum: 1, maximum: MAX_BUDGET, description: 'Minor units, more than 0' }),
    currencyCode: Type.Optional(
      Nullable(
        Type.String({ maxLength: 10, description: 'If given, the currency of the customer’s market' }),
      ),
    ),
    // A budget read back and sent whole carries these; they are not compared.
    attributes: Type.Optional(Type.Unknown({ description: 'Ignored' })),
  },
  { additionalProperties: true },
);

export const ChargesQuery = Type.Object({
  months: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: MAX_CHARGE_MONTHS,
      default: 12,
      description: 'How many months, ending with this one',
    }),
  ),
});

const MonthCharges = Type.Object({
  billingPeriodStartDate: Type.String({ format: 'date' }),
  billed: Type.Boolean({ description: 'Invoiced (its period is closed); otherwise worked out from charges' }),
  recurring: Minor('Licence charges (provider office)'),
  usage: Minor('Usage charges (provider azure)'),
  oneTime: Minor('One-time purchases'),
  totalCharges: Minor('The sum of the three'),
});

export const CustomerChargesSchema = Type.Object({
  currencyCode: Type.String(),
  chargesToDate: Minor('This month so far'),
  items: Type.Array(MonthCharges, { description: 'Oldest first; the last is this month so far' }),
});
