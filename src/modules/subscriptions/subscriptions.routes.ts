// /v1/customers/{customerId}/orders (place, list, get) and /v1/customers/{customerId}/subscriptions (list,
// export, get, update with suspend and reactivate, cancel, support contact).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { attachmentDisposition } from '../../http/content-disposition.ts';
import { expectedVersion } from '../../http/etag.ts';
import { collection, pageRequest } from '../../http/schemas.ts';
import type { OrdersService } from './orders.service.ts';
import {
  CreateOrderBody,
  CustomerParams,
  OrderList,
  OrderListQuery,
  OrderParams,
  OrderSchema,
  SubscriptionList,
  SubscriptionListQuery,
  SubscriptionParams,
  SubscriptionSchema,
  SupportContactBody,
  SupportContactSchema,
  UpdateSubscriptionBody,
  errors,
  exportSchema,
} from './subscriptions.schemas.ts';
import type { SubscriptionsService } from './subscriptions.service.ts';

const ORDERS = ['Orders'];
const SUBSCRIPTIONS = ['Subscriptions'];

export const subscriptionsRoutes: FastifyPluginAsyncTypebox<{
  orders: OrdersService;
  subscriptions: SubscriptionsService;
}> = async (app, { orders, subscriptions }) => {
  app.post(
    '/v1/customers/:customerId/orders',
    {
      config: { operation: 'subscriptions.manage' },
      schema: {
        tags: ORDERS,
        summary: 'Place an order',
        description:
          'Each of the 1–50 line items becomes a subscription, all in one transaction. Refused with 403 ' +
          '(code 20002) once your reseller relationship with the customer has ended, and with 409 ' +
          'customerAgreementRequired until the customer agreement is confirmed. Every line-item problem is then ' +
          'answered at once as a field-level reason (`lineItems[1].quantity`): an offer not in the catalog, not ' +
          'sold in your cloud instance or in the customer’s country, a quantity outside the offer’s limits ' +
          '(exactly 1 for usage-based offers), a term or billing cycle the offer does not have, an add-on ' +
          'without an active parent subscription (named in `parentSubscriptionId`, or ordered in the same ' +
          'order), a friendly name over 200 characters. Prices are the customer’s market’s. Send MS-RequestId ' +
          'so that a retry never places a second order.',
        params: CustomerParams,
        body: CreateOrderBody,
        response: { 201: OrderSchema, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const { customerId } = request.params;
      const order = await orders.create(request.ctx, customerId, request.body);
      reply.header('location', `/v1/customers/${customerId}/orders/${order.id}`);
      return reply.code(201).send(order);
    },
  );

  app.get(
    '/v1/customers/:customerId/orders',
    {
      config: { operation: 'subscriptions.view' },
      schema: {
        tags: ORDERS,
        summary: 'List a customer’s orders',
        description: 'Your orders for the customer, oldest first, with their line items as ordered.',
        params: CustomerParams,
        querystring: OrderListQuery,
        response: { 200: OrderList, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) =>
      collection(
        request,
        await orders.list(request.ctx, request.params.customerId, pageRequest(request, request.query)),
      ),
  );

  app.get(
    '/v1/customers/:customerId/orders/:orderId',
    {
      config: { operation: 'subscriptions.view' },
      schema: {
        tags: ORDERS,
        summary: 'Get an order',
        params: OrderParams,
        response: { 200: OrderSchema, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => orders.get(request.ctx, request.params.customerId, request.params.orderId),
  );

  app.get(
    '/v1/customers/:customerId/subscriptions',
    {
      config: { operation: 'subscriptions.view' },
      schema: {
        tags: SUBSCRIPTIONS,
        summary: 'List a customer’s subscriptions',
        description:
          'Your subscriptions for the customer (you are their partner of record), oldest first; filter by ' +
          '`status`, `offerId` or `orderId`; cursor paging with a total count.',
        params: CustomerParams,
        querystring: SubscriptionListQuery,
        response: { 200: SubscriptionList, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { size: _s, continuationToken: _c, ...filters } = request.query;
      return collection(
        request,
        await subscriptions.list(
          request.ctx,
          request.params.customerId,
          filters,
          pageRequest(request, request.query),
        ),
      );
    },
  );

  app.get(
    '/v1/customers/:customerId/subscriptions/export.csv',
    { config: { operation: 'subscriptions.view' }, schema: exportSchema },
    async (request, reply) => {
      const { filename, stream } = await subscriptions.exportCsv(
        request.ctx,
        request.params.customerId,
        request.query,
      );
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', attachmentDisposition(filename))
        .send(stream);
    },
  );

  app.get(
    '/v1/customers/:customerId/subscriptions/:subscriptionId',
    {
      config: { operation: 'subscriptions.view' },
      schema: {
        tags: SUBSCRIPTIONS,
        summary: 'Get a subscription',
        description: 'With its ETag, to send back as If-Match when changing it.',
        params: SubscriptionParams,
        response: { 200: SubscriptionSchema, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { customerId, subscriptionId } = request.params;
      const subscription = await subscriptions.get(request.ctx, customerId, subscriptionId);
      reply.header('etag', subscription.attributes.etag);
      return subscription;
    },
  );

  app.patch(
    '/v1/customers/:customerId/subscriptions/:subscriptionId',
    {
      config: { operation: 'subscriptions.manage' },
      schema: {
        tags: SUBSCRIPTIONS,
        summary: 'Change, suspend or reactivate a subscription',
        description:
          'Any of quantity (within the offer’s limits; fixed at 1 for usage-based subscriptions), friendly ' +
          'name, auto-renew, and `status`: `suspended` suspends it with `suspensionReasons` (default ' +
          'partnerInitiated) and its active add-ons with it; it is deleted 90 days later (`deletionDate`) ' +
          'unless reactivated with `active`, which brings back the add-ons suspended with it. The quantity ' +
          'cannot change while suspended (409 subscriptionSuspended) unless the same call reactivates it; ' +
          'reservations and software cannot be suspended (cancel them); an add-on cannot be reactivated while ' +
          'its base subscription is suspended. With If-Match, a stale ETag is a 412 carrying the subscription ' +
          'as it is now, and nothing is written. The whole subscription as read may be sent back with the ' +
          'changes (as Partner Center clients do): its other fields must be unchanged (400 naming each that ' +
          'is not).',
        params: SubscriptionParams,
        body: UpdateSubscriptionBody,
        response: { 200: SubscriptionSchema, ...errors(400, 401, 403, 404, 409, 412) },
      },
    },
    async (request, reply) => {
      const { customerId, subscriptionId } = request.params;
      const { quantity, friendlyName, autoRenewEnabled, status, suspensionReasons, ...readOnly } =
        request.body;
      const subscription = await subscriptions.update(
        request.ctx,
        customerId,
        subscriptionId,
        { quantity, friendlyName, autoRenewEnabled, status, suspensionReasons, readOnly },
        expectedVersion(request, subscriptionId),
      );
      reply.header('etag', subscription.attributes.etag);
      return subscription;
    },
  );

  app.post(
    '/v1/customers/:customerId/subscriptions/:subscriptionId/cancel',
    {
      config: { operation: 'subscriptions.manage' },
      schema: {
        tags: SUBSCRIPTIONS,
        summary: 'Cancel a reservation or software subscription',
        description:
          'Only subscriptions whose offer is cancellable (reservations, software); others are suspended ' +
          'instead (409 subscriptionNotCancellable). With If-Match, a stale ETag is a 412 carrying the ' +
          'subscription as it is now.',
        params: SubscriptionParams,
        response: { 200: SubscriptionSchema, ...errors(400, 401, 403, 404, 409, 412) },
      },
    },
    async (request, reply) => {
      const { customerId, subscriptionId } = request.params;
      const subscription = await subscriptions.cancel(
        request.ctx,
        customerId,
        subscriptionId,
        expectedVersion(request, subscriptionId),
      );
      reply.header('etag', subscription.attributes.etag);
      return subscription;
    },
  );

  app.get(
    '/v1/customers/:customerId/subscriptions/:subscriptionId/supportcontact',
    {
      config: { operation: 'subscriptions.view' },
      schema: {
        tags: SUBSCRIPTIONS,
        summary: 'Get a subscription’s support contact',
        description:
          'The partner that supports the customer for it: you (the partner of record) unless changed.',
        params: SubscriptionParams,
        response: { 200: SupportContactSchema, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) =>
      subscriptions.getSupportContact(request.ctx, request.params.customerId, request.params.subscriptionId),
  );

  app.put(
    '/v1/customers/:customerId/subscriptions/:subscriptionId/supportcontact',
    {
      config: { operation: 'subscriptions.manage' },
      schema: {
        tags: SUBSCRIPTIONS,
        summary: 'Designate a subscription’s support contact',
        description:
          'You, or another partner with a reseller relationship with the customer (400 ' +
          'supportContactNotEligible otherwise). When that partner’s relationship ends, the contact falls back ' +
          'to you.',
        params: SubscriptionParams,
        body: SupportContactBody,
        response: { 200: SupportContactSchema, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      subscriptions.setSupportContact(
        request.ctx,
        request.params.customerId,
        request.params.subscriptionId,
        request.body.supportPartnerId,
      ),
  );
};
