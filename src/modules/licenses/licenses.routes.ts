// /v1/customers/{customerId}/subscribedskus, …/users/{userId}/licenses, …/users/{userId}/licenseupdates and
// …/licenseupdates: a customer's seats, a user's licences, assigning and removing them for one or many users.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import {
  BulkLicenseUpdateBody,
  BulkLicenseUpdateSchema,
  CustomerParams,
  CustomerUserParams,
  LicenseList,
  LicenseUpdateBody,
  LicenseUpdateSchema,
  SubscribedSkuList,
  errors,
} from './licenses.schemas.ts';
import type { Collection, LicensesService } from './licenses.service.ts';

const TAGS = ['Licenses'];

const REFUSALS =
  'A product is refused when no seat is left (noLicensesAvailable), the user has no usage location ' +
  '(usageLocationRequired) or is deleted (userDeleted), the subscription is suspended (subscriptionSuspended) or ' +
  'has ended (subscriptionEnded), the product has no seats to assign — usage-based, reservations, software ' +
  '(productNotAssignable) — or the subscription is not one of yours for this customer (subscriptionNotFound); ' +
  'a licence another partner sold can only be removed by that partner. `skuId` takes a seat of the oldest of ' +
  'your active subscriptions of the product with one free; a product the user already has is `unchanged`. ' +
  'Removals are made before assignments, so one update can move a user from one subscription to another.';

function whole<T>(request: FastifyRequest, c: Collection<T>) {
  const url = new URL(request.url, 'http://x');
  return {
    totalCount: c.totalCount,
    items: c.items,
    links: { self: { uri: `${url.pathname}${url.search}`, method: 'GET' as const } },
    attributes: { objectType: 'Collection' as const },
  };
}

export const licensesRoutes: FastifyPluginAsyncTypebox<{ licenses: LicensesService }> = async (
  app,
  { licenses },
) => {
  app.get(
    '/v1/customers/:customerId/subscribedskus',
    {
      config: { operation: 'customerUsers.view' },
      schema: {
        tags: TAGS,
        summary: 'List a customer’s licences to assign',
        description:
          'One item per subscription of yours for the customer that has seats to assign to users (license-based ' +
          'online services, active or suspended), by product name: seats bought, assigned and left.',
        params: CustomerParams,
        response: { 200: SubscribedSkuList, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => whole(request, await licenses.subscribedSkus(request.ctx, request.params.customerId)),
  );

  app.get(
    '/v1/customers/:customerId/users/:userId/licenses',
    {
      config: { operation: 'customerUsers.view' },
      schema: {
        tags: TAGS,
        summary: 'List a user’s licences',
        description:
          'Every licence the user holds, from any partner (`soldByYou` false and no subscription id for ' +
          'another partner’s), by product name. A deleted user’s licences are `released`; so are those its ' +
          'restore could not take back. Licences of a subscription that ended are gone.',
        params: CustomerUserParams,
        response: { 200: LicenseList, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { customerId, userId } = request.params;
      return whole(request, await licenses.userLicenses(request.ctx, customerId, userId));
    },
  );

  app.post(
    '/v1/customers/:customerId/users/:userId/licenseupdates',
    {
      config: { operation: 'customerUsers.manage' },
      schema: {
        tags: TAGS,
        summary: 'Assign and remove a user’s licences',
        description:
          `All or nothing: when any product is refused, nothing changes and the answer is 409 ` +
          `licenseUpdateFailed with a reason per refused product in \`details\` (\`licensesToAssign[0]\`) and ` +
          `every product's result in \`data\`. ${REFUSALS} Send MS-RequestId so that a retry changes nothing ` +
          `twice.`,
        params: CustomerUserParams,
        body: LicenseUpdateBody,
        response: { 201: LicenseUpdateSchema, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const { customerId, userId } = request.params;
      const update = await licenses.updateUserLicenses(request.ctx, customerId, userId, {
        licensesToAssign: request.body.licensesToAssign ?? [],
        licensesToRemove: request.body.licensesToRemove ?? [],
      });
      return reply.code(201).send(update);
    },
  );

  app.post(
    '/v1/customers/:customerId/licenseupdates',
    {
      config: { operation: 'customerUsers.manage' },
      schema: {
        tags: TAGS,
        summary: 'Assign and remove licences of many users',
        description:
          `The same change for 1–1000 users, taken in the order sent; each user's change is all or nothing, ` +
          `so when seats run out exactly the later users fail. Answers each user's result (\`succeeded\`, ` +
          `\`failed\` or \`unchanged\`) and each product's. ${REFUSALS} A user not in the customer's directory ` +
          `fails with customerUserNotFound.`,
        params: CustomerParams,
        body: BulkLicenseUpdateBody,
        response: { 200: BulkLicenseUpdateSchema, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { userIds, licensesToAssign = [], licensesToRemove = [] } = request.body;
      return licenses.updateLicenses(request.ctx, request.params.customerId, userIds, {
        licensesToAssign,
        licensesToRemove,
      });
    },
  );
};
