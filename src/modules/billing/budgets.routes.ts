// /v1/customers/{customerId}/usagebudget (get, set, remove) and /v1/customers/{customerId}/charges.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { expectedVersion } from '../../http/etag.ts';
import {
  ChargesQuery,
  CustomerChargesSchema,
  CustomerParams,
  UsageBudgetBody,
  UsageBudgetSchema,
  errors,
} from './budgets.schemas.ts';
import type { BudgetsService } from './budgets.service.ts';
import { budgetEtagId } from './budgets.service.ts';

const TAGS = ['Billing'];
const BUDGET_RULES =
  'Alert: once the month’s usage spend reaches 80% of the budget, an alert is raised — once a month — with an ' +
  'activity record budget.thresholdReached. Customers you have no reseller relationship with answer 404.';

export const budgetsRoutes: FastifyPluginAsyncTypebox<{ budgets: BudgetsService }> = async (
  app,
  { budgets },
) => {
  app.get(
    '/v1/customers/:customerId/usagebudget',
    {
      config: { operation: 'billing.manage' },
      schema: {
        tags: TAGS,
        summary: 'Get a customer’s spending budget',
        description:
          'The monthly budget for usage-based spend (amount null when none is set), this month’s usage spend so ' +
          `far and whether the alert has been raised this month. ${BUDGET_RULES}`,
        params: CustomerParams,
        response: { 200: UsageBudgetSchema, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const budget = await budgets.get(request.ctx, request.params.customerId);
      reply.header('etag', budget.attributes.etag);
      return budget;
    },
  );

  app.put(
    '/v1/customers/:customerId/usagebudget',
    {
      config: { operation: 'billing.manage' },
      schema: {
        tags: TAGS,
        summary: 'Set a customer’s spending budget',
        description:
          'In minor units of the currency of the customer’s market (another currency is a 400 ' +
          'budgetCurrencyMismatch). With If-Match, a stale ETag is a 412 carrying the budget as it is now. ' +
          'Setting it below what the month has already spent raises the alert at once. Refused with 403 once ' +
          `your reseller relationship has ended. ${BUDGET_RULES}`,
        params: CustomerParams,
        body: UsageBudgetBody,
        response: { 200: UsageBudgetSchema, ...errors(400, 401, 403, 404, 412) },
      },
    },
    async (request, reply) => {
      const { customerId } = request.params;
      const budget = await budgets.set(
        request.ctx,
        customerId,
        { amount: request.body.amount, currencyCode: request.body.currencyCode },
        expectedVersion(request, budgetEtagId(customerId)),
      );
      reply.header('etag', budget.attributes.etag);
      return budget;
    },
  );

  app.delete(
    '/v1/customers/:customerId/usagebudget',
    {
      config: { operation: 'billing.manage' },
      schema: {
        tags: TAGS,
        summary: 'Remove a customer’s spending budget',
        description:
          'No budget afterwards (removing none is no change). With If-Match, a stale ETag is a 412. Alerts ' +
          'already raised stay on record.',
        params: CustomerParams,
        response: { 204: Type.Null(), ...errors(400, 401, 403, 404, 412) },
      },
    },
    async (request, reply) => {
      const { customerId } = request.params;
      await budgets.remove(request.ctx, customerId, expectedVersion(request, budgetEtagId(customerId)));
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/v1/customers/:customerId/charges',
    {
      config: { operation: 'billing.manage' },
      schema: {
        tags: TAGS,
        summary: 'A customer’s charges by month',
        description:
          'The last `months` months (default 12), oldest first, in the currency of the customer’s market: ' +
          'recurring (licences), usage and one-time charges and their total. Invoiced months (billed) are their ' +
          'invoices less credit notes; the others, this month so far included, are worked out from the ' +
          'subscriptions’ history and recorded usage as the invoice will be. `chargesToDate`: this month so far.',
        params: CustomerParams,
        querystring: ChargesQuery,
        response: { 200: CustomerChargesSchema, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => budgets.charges(request.ctx, request.params.customerId, request.query.months ?? 12),
  );
};
