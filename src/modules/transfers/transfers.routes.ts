// Transfers between partners, the partners' side: /v1/customers/{customerId}/transferseligibility, the
// customer's requests under /v1/customers/{customerId}/transfers (create, list, get, accept, reject, cancel),
// and every request of the caller under /v1/transfers (list, summary, get).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { collection, pageRequest } from '../../http/schemas.ts';
import {
  AcceptTransferBody,
  AllTransfersQuery,
  CreateTransferBody,
  CustomerParams,
  CustomerTransferParams,
  EligibilityList,
  EligibilityQuery,
  RejectTransferBody,
  TransferList,
  TransferListQuery,
  TransferParams,
  TransferSchema,
  TransferSummarySchema,
  errors,
} from './transfers.schemas.ts';
import type { TransfersService } from './transfers.service.ts';

const TAGS = ['Transfers'];

export const transfersRoutes: FastifyPluginAsyncTypebox<{ transfers: TransfersService }> = async (
  app,
  { transfers },
) => {
  app.get(
    '/v1/customers/:customerId/transferseligibility',
    {
      config: { operation: 'transfers.view' },
      schema: {
        tags: TAGS,
        summary: 'Which of a customer’s subscriptions could move to you',
        description:
          'Every live subscription of the customer, whoever its partner of record, with `isEligible` and, when ' +
          'not, the first reason (`reason`, and `description` in words): only active usage-based Azure ' +
          'subscriptions move; both partners and the customer must share the cloud instance and the country; ' +
          'a subscription in an open request cannot be asked for twice (`openTransferId` names the request ' +
          'when it is yours). 403 (code 20002) without an active reseller relationship with the customer; ' +
          '403 instanceCapabilityRefused where your cloud instance does not allow transfers. Filter by ' +
          '`sourcePartnerId` and `eligibleOnly`.',
        params: CustomerParams,
        querystring: EligibilityQuery,
        response: { 200: EligibilityList, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const items = await transfers.eligibility(request.ctx, request.params.customerId, request.query);
      return collection(request, { items, totalCount: items.length });
    },
  );

  app.post(
    '/v1/customers/:customerId/transfers',
    {
      config: { operation: 'transfers.manage' },
      schema: {
        tags: TAGS,
        summary: 'Request a transfer of subscriptions to you',
        description:
          'You become the target: name 1–100 `subscriptionIds` of one partner of record, or set ' +
          '`allEligible` with `sourcePartnerTenantId` for every eligible one of that partner. The customer’s ' +
          'Global admin then consents on the page at `customerConsent.url` (send it to them), and the source ' +
          'partner accepts or rejects. Refused with 409 transferNotEligible naming each subscription that ' +
          'cannot move and why (`details`, `data`); 400 when a subscription is not the customer’s or the ' +
          'subscriptions have several partners of record. The request expires 30 days after creation unless ' +
          'answered. Send MS-RequestId so that a retry never makes a second request.',
        params: CustomerParams,
        body: CreateTransferBody,
        response: { 201: TransferSchema, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const { customerId } = request.params;
      const transfer = await transfers.create(request.ctx, customerId, request.body);
      reply.header('location', `/v1/customers/${customerId}/transfers/${transfer.id}`);
      return reply.code(201).send(transfer);
    },
  );

  app.get(
    '/v1/customers/:customerId/transfers',
    {
      config: { operation: 'transfers.view' },
      schema: {
        tags: TAGS,
        summary: 'List a customer’s transfer requests',
        description:
          'The requests for this customer that you sent (you are the target) or received (you are the ' +
          'source), newest first; filter by `direction` and `status`.',
        params: CustomerParams,
        querystring: TransferListQuery,
        response: { 200: TransferList, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { direction, status } = request.query;
      return collection(
        request,
        await transfers.list(
          request.ctx,
          request.params.customerId,
          { direction, status },
          pageRequest(request, request.query),
        ),
      );
    },
  );

  app.get(
    '/v1/customers/:customerId/transfers/:transferId',
    {
      config: { operation: 'transfers.view' },
      schema: {
        tags: TAGS,
        summary: 'Get a transfer request with its timeline',
        params: CustomerTransferParams,
        response: { 200: TransferSchema, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => transfers.get(request.ctx, request.params.customerId, request.params.transferId),
  );

  app.post(
    '/v1/customers/:customerId/transfers/:transferId/accept',
    {
      config: { operation: 'transfers.manage' },
      schema: {
        tags: TAGS,
        summary: 'Accept a transfer request (the source partner)',
        description:
          'All line items, or those whose subscriptions `subscriptionIds` names (the others become ' +
          '`notAccepted`). Only once the customer has consented (409 transferConsentRequired before). Answers ' +
          '202 with the request `inProgress`: each accepted subscription then moves to the target partner in ' +
          'its own step (poll the request for `progress`); from the transfer time you stop billing for it and ' +
          'see it only in your history (`status=transferred`). A subscription that no longer qualifies fails ' +
          'at once with its reason. 409 transferAlreadyProcessed (with the status in `data`) once the request ' +
          'is no longer pending.',
        params: CustomerTransferParams,
        body: AcceptTransferBody,
        response: { 202: TransferSchema, ...errors(400, 401, 403, 404, 409) },
      },
      // The body is optional (no body: every line item); the schema checks an object, so give it one.
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    async (request, reply) => {
      const { customerId, transferId } = request.params;
      const transfer = await transfers.accept(request.ctx, customerId, transferId, request.body);
      return reply.code(202).send(transfer);
    },
  );

  app.post(
    '/v1/customers/:customerId/transfers/:transferId/reject',
    {
      config: { operation: 'transfers.manage' },
      schema: {
        tags: TAGS,
        summary: 'Reject a transfer request (the source partner)',
        description:
          'With a reason the target partner sees; any time while pending. 409 transferAlreadyProcessed ' +
          'otherwise.',
        params: CustomerTransferParams,
        body: RejectTransferBody,
        response: { 200: TransferSchema, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      transfers.reject(
        request.ctx,
        request.params.customerId,
        request.params.transferId,
        request.body.reason,
      ),
  );

  app.post(
    '/v1/customers/:customerId/transfers/:transferId/cancel',
    {
      config: { operation: 'transfers.manage' },
      schema: {
        tags: TAGS,
        summary: 'Withdraw a transfer request (the target partner)',
        description: 'While pending; 409 transferAlreadyProcessed otherwise.',
        params: CustomerTransferParams,
        response: { 200: TransferSchema, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => transfers.cancel(request.ctx, request.params.customerId, request.params.transferId),
  );

  app.get(
    '/v1/transfers',
    {
      config: { operation: 'transfers.view' },
      schema: {
        tags: TAGS,
        summary: 'List your transfer requests, every customer',
        description:
          'Sent (you are the target) and received (you are the source), newest first; filter by ' +
          '`direction`, `status` and `customerId`.',
        querystring: AllTransfersQuery,
        response: { 200: TransferList, ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const { direction, status, customerId } = request.query;
      return collection(
        request,
        await transfers.list(
          request.ctx,
          undefined,
          { direction, status, customerId },
          pageRequest(request, request.query),
        ),
      );
    },
  );

  app.get(
    '/v1/transfers/summary',
    {
      config: { operation: 'transfers.view' },
      schema: {
        tags: TAGS,
        summary: 'Counts of your open transfer requests',
        description:
          '`receivedPending`: received requests waiting for your answer (of which ' +
          '`receivedAwaitingConsent` the customer has not consented to yet); `sentPending`; `inProgress` ' +
          '(either side).',
        response: { 200: TransferSummarySchema, ...errors(401, 403) },
      },
    },
    async (request) => transfers.summary(request.ctx),
  );

  app.get(
    '/v1/transfers/:transferId',
    {
      config: { operation: 'transfers.view' },
      schema: {
        tags: TAGS,
        summary: 'Get a transfer request with its timeline',
        params: TransferParams,
        response: { 200: TransferSchema, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => transfers.get(request.ctx, undefined, request.params.transferId),
  );
};
