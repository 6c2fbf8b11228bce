// Support service requests: /v1/servicerequests (support topics, settings, summary, every customer's requests, one
// request, its changes) and a customer's requests under /v1/customers/{customerId}/servicerequests.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Config } from '../../config.ts';
import { collection, pageRequest } from '../../http/schemas.ts';
import {
  CreateRequestBody,
  CustomerParams,
  CustomerRequestsQuery,
  RULES,
  RequestParams,
  RequestsQuery,
  ServiceRequestList,
  ServiceRequestSchema,
  SettingsSchema,
  SummarySchema,
  SupportTopicList,
  UpdateRequestBody,
  errors,
} from './serviceRequests.schemas.ts';
import type { ServiceRequestsService } from './serviceRequests.service.ts';
import { requestUri } from './serviceRequests.service.ts';

const TAGS = ['Support'];
const KIB = 1024;

const LIST_RULES =
  'Newest first. Filter by `status` and `severity` (repeated or comma-separated), `overdue`, `assignedTo` ' +
  '(`me`, `unassigned` or a partner user’s GUID) and `q` (text in the title or the organization’s name, or a ' +
  'reference number). `totalCount` counts every match. A bad filter value is a 400 naming the parameter. ' +
  RULES.overdue;

export const serviceRequestsRoutes: FastifyPluginAsyncTypebox<{
  serviceRequests: ServiceRequestsService;
  config: Pick<Config, 'support'>;
}> = async (app, { serviceRequests, config }) => {
  // Room for the largest inline files (base64 is 4/3 of a file) and the rest of the request.
  const createBodyLimit = 3 * Math.ceil((config.support.attachmentMaxBytes * 4) / 3) + 256 * KIB;

  app.get(
    '/v1/servicerequests/supporttopics',
    {
      config: { operation: 'support.view' },
      schema: {
        tags: TAGS,
        summary: 'List the support topics',
        description:
          'What a service request can be about (its `supportTopicId`), in the order to offer them.',
        response: { 200: SupportTopicList, ...errors(401, 403) },
      },
    },
    async (request) => {
      const items = await serviceRequests.topics(request.ctx);
      return collection(request, { items, totalCount: items.length });
    },
  );

  app.get(
    '/v1/servicerequests/settings',
    {
      config: { operation: 'support.view' },
      schema: {
        tags: TAGS,
        summary: 'The response targets and file rules of new requests',
        description:
          'What this installation holds a request made now to, for forms to state before a request exists: ' +
          'the first response target of each severity (SUPPORT_RESPONSE_TARGETS), the largest file ' +
          '(SUPPORT_ATTACHMENT_MAX_BYTES), how many files a request takes (in all, and inline at creation), the ' +
          'reopen window in days (SUPPORT_REOPEN_DAYS) and the allowed file types with their extensions.',
        response: { 200: SettingsSchema, ...errors(401, 403) },
      },
    },
    async () => serviceRequests.settings(),
  );

  app.get(
    '/v1/servicerequests/summary',
    {
      config: { operation: 'support.view' },
      schema: {
        tags: TAGS,
        summary: 'Counts of your service requests',
        description:
          '`open` and `attentionNeeded`: requests with that status; `overdue` (also by severity) and the ' +
          '`oldestOverdue` one, whose first response was due longest ago; `closedLast30Days`. ' +
          RULES.overdue,
        response: { 200: SummarySchema, ...errors(401, 403) },
      },
    },
    async (request) => serviceRequests.summary(request.ctx),
  );

  app.post(
    '/v1/customers/:customerId/servicerequests',
    {
      // A NUL in a file's name is refused by the attachment check, as attachmentNotAllowed naming that name.
      config: { operation: 'support.manage', ownTextCheck: ['attachments[].fileName'] },
      bodyLimit: createBodyLimit,
      schema: {
        tags: TAGS,
        summary: 'Open a service request for a customer',
        description:
          'The request is `open` and gets your next reference number (SR-000042). Needs an active reseller ' +
          'relationship with the customer (404 for a customer you never had one with, 403 code 20002 once it ' +
          'has ended). `title` must not be blank; `supportTopicId` one of GET /v1/servicerequests/supporttopics; ' +
          '`subscriptionId` one of the customer’s subscriptions with you, which sets `productId` and ' +
          '`productName`; `productId` alone an offer of the catalog; `assignedTo` an active partner user whose ' +
          'roles allow managing support requests. Each problem is a 400 naming its field. Up to 3 files may come ' +
          'inline, base64-encoded (refusals name `attachments[i].contentType`, `.fileName` or `.content`). ' +
          `${RULES.responseTargets} ${RULES.attachments}`,
        params: CustomerParams,
        body: CreateRequestBody,
        response: { 201: ServiceRequestSchema, ...errors(400, 401, 403, 404, 409, 413) },
      },
    },
    async (request, reply) => {
      const { attributes: _ignored, ...input } = request.body;
      const created = await serviceRequests.create(request.ctx, request.params.customerId, input);
      reply.header('location', requestUri(created.id));
      reply.header('etag', created.attributes.etag);
      return reply.code(201).send(created);
    },
  );

  app.get(
    '/v1/customers/:customerId/servicerequests',
    {
      config: { operation: 'support.view' },
      schema: {
        tags: TAGS,
        summary: 'List a customer’s service requests',
        description: `${LIST_RULES} A customer not in your list is a 404.`,
        params: CustomerParams,
        querystring: CustomerRequestsQuery,
        response: { 200: ServiceRequestList, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { size: _size, continuationToken: _token, ...query } = request.query;
      return collection(
        request,
        await serviceRequests.listForCustomer(
          request.ctx,
          request.params.customerId,
          query,
          pageRequest(request, request.query),
        ),
      );
    },
  );

  app.get(
    '/v1/servicerequests',
    {
      config: { operation: 'support.view' },
      schema: {
        tags: TAGS,
        summary: 'List your service requests, every customer',
        description: `${LIST_RULES} \`customerId\`: one customer’s.`,
        querystring: RequestsQuery,
        response: { 200: ServiceRequestList, ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const { size: _size, continuationToken: _token, ...query } = request.query;
      return collection(
        request,
        await serviceRequests.list(request.ctx, query, pageRequest(request, request.query)),
      );
    },
  );

  app.get(
    '/v1/servicerequests/:id',
    {
      config: { operation: 'support.view' },
      schema: {
        tags: TAGS,
        summary: 'Get a service request with its notes, files and history',
        description: `${RULES.ids} ${RULES.overdue}`,
        params: RequestParams,
        response: { 200: ServiceRequestSchema, ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const found = await serviceRequests.get(request.ctx, request.params.id);
      reply.header('etag', found.attributes.etag);
      return found;
    },
  );

  app.patch(
    '/v1/servicerequests/:id',
    {
      config: { operation: 'support.manage' },
      schema: {
        tags: TAGS,
        summary: 'Change a service request, add a note, close or reopen it',
        description:
          'Send only what changes (at least one property; others are a 400): `status` (open ↔ attentionNeeded, ' +
          'either → closed, closed → open), `severity`, `primaryContact`, `assignedTo` (an active partner user ' +
          'whose roles allow managing support requests, or null), `newNote`. Each change is added to the ' +
          'history; sending what the request already has changes nothing. With If-Match, a stale ETag is a ' +
          '412 carrying the request as it is now. Notes, status changes and the rest work after your reseller ' +
          `relationship with the customer has ended, so that old requests can be wound down. ${RULES.ids} ` +
          `${RULES.responseTargets} ${RULES.closed} ${RULES.reopen}`,
        params: RequestParams,
        body: UpdateRequestBody,
        response: { 200: ServiceRequestSchema, ...errors(400, 401, 403, 404, 409, 412) },
      },
    },
    async (request, reply) => {
      // The ETag names the request by its GUID, which a reference number in the path does not give: the service
      // compares it with the request's own once it holds the request.
      const updated = await serviceRequests.update(
        request.ctx,
        request.params.id,
        request.body,
        request.headers['if-match'],
      );
      reply.header('etag', updated.attributes.etag);
      return updated;
    },
  );
};
