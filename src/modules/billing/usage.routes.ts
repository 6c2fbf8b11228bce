// /v1/usage-records: record usage in batches, and list what was recorded.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { collection, pageRequest } from '../../http/schemas.ts';
import {
  MAX_USAGE_BATCH,
  UsageBatchBody,
  UsageBatchResult,
  UsageRecordList,
  UsageRecordListQuery,
  errors,
} from './usage.schemas.ts';
import type { UsageService } from './usage.service.ts';

const TAGS = ['Billing'];

export const usageRoutes: FastifyPluginAsyncTypebox<{ usage: UsageService }> = async (app, { usage }) => {
  app.post(
    '/v1/usage-records',
    {
      config: { operation: 'billing.manage' },
      schema: {
        tags: TAGS,
        summary: 'Record usage',
        description:
          `1–${MAX_USAGE_BATCH} records of usage-based subscriptions, all or nothing. Each is rated with the ` +
          'meter price of its usage day in the subscription’s currency (GET /v1/offers/{offerId}/meters) and ' +
          'kept exactly (quantity × unit price, unrounded; each invoice line rounds its sum once). Any bad ' +
          'record makes it a 400 usageRecordsRejected naming every problem (`items[3].usageDate`): a ' +
          'subscription that is not yours (“No such subscription”), not usage-based or not active on that ' +
          'day (UTC), a meter its offer lacks or has no price for that day, a future day, a negative or too ' +
          'precise quantity, a clientRecordId repeated in the batch. A clientRecordId recorded before with the ' +
          'same content is a duplicate (nothing written); with other content, 409 usageRecordConflict. Usage ' +
          'of a month already invoiced is a 409 billingPeriodClosed. Re-sending a batch is harmless.',
        body: UsageBatchBody,
        response: { 200: UsageBatchResult, ...errors(400, 401, 403, 409) },
      },
    },
    async (request) => usage.record(request.ctx, request.body.items),
  );

  app.get(
    '/v1/usage-records',
    {
      config: { operation: 'billing.manage' },
      schema: {
        tags: TAGS,
        summary: 'List usage records',
        description:
          'Your recorded usage, newest usage day first; filter by subscription, customer (one you do not see ' +
          'is a 404) and days (`from`, `to`, inclusive). Cursor paging with a total count.',
        querystring: UsageRecordListQuery,
        response: { 200: UsageRecordList, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { size: _s, continuationToken: _c, ...filters } = request.query;
      return collection(request, await usage.list(request.ctx, filters, pageRequest(request, request.query)));
    },
  );
};
