// API tokens: your own (/v1/profiles/apitokens) and, for user managers, the whole organisation's.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IdParams, collection, pageRequest } from '../../http/schemas.ts';
import { Type } from 'typebox';
import type { ApiTokensService } from './apitokens.service.ts';
import { ApiTokenListQuery } from './apitokens.schemas.ts';
import { ApiTokenCreated, ApiTokenList, CreateApiTokenBody, errors } from './partners.schemas.ts';

const TAGS = ['API tokens'];

export const apiTokensRoutes: FastifyPluginAsyncTypebox<{ apiTokens: ApiTokensService }> = async (
  app,
  { apiTokens },
) => {
  app.get(
    '/v1/profiles/apitokens',
    {
      config: { operation: 'self' },
      schema: {
        tags: TAGS,
        summary: 'Your API tokens',
        description:
          'Never includes the secrets; shows when each was last used and whether it was revoked. Sort by name, ' +
          'creation, last use or expiry (`sort`, `order`); cursor paging per sort.',
        querystring: ApiTokenListQuery,
        response: { 200: ApiTokenList, ...errors(400, 401, 403) },
      },
    },
    async (request) =>
      collection(
        request,
        await apiTokens.listOwn(request.ctx, {
          ...pageRequest(request, request.query),
          sort: request.query.sort,
          order: request.query.order,
        }),
      ),
  );

  app.post(
    '/v1/profiles/apitokens',
    {
      config: { operation: 'self' },
      schema: {
        tags: TAGS,
        summary: 'Create an API token',
        description:
          'The token acts with the roles given (a subset of yours). The secret is answered only now: store it. ' +
          'A token created with an API token expires no later than that token.',
        body: CreateApiTokenBody,
        response: { 201: ApiTokenCreated, ...errors(400, 401, 403) },
      },
    },
    async (request, reply) => reply.code(201).send(await apiTokens.create(request.ctx, request.body)),
  );

  app.delete(
    '/v1/profiles/apitokens/:id',
    {
      config: { operation: 'self' },
      schema: {
        tags: TAGS,
        summary: 'Revoke one of your API tokens',
        description: 'It stops working at once. Revoking a revoked token is fine.',
        params: IdParams,
        response: { 204: Type.Null(), ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await apiTokens.revokeOwn(request.ctx, request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/v1/apitokens',
    {
      config: { operation: 'partnerUsers.manage' },
      schema: {
        tags: TAGS,
        summary: "Your organisation's API tokens",
        description:
          'Every API token of the partner with its owner. Sort by name, creation, last use or expiry ' +
          '(`sort`, `order`); cursor paging per sort.',
        querystring: ApiTokenListQuery,
        response: { 200: ApiTokenList, ...errors(400, 401, 403) },
      },
    },
    async (request) =>
      collection(
        request,
        await apiTokens.listAll(request.ctx, {
          ...pageRequest(request, request.query),
          sort: request.query.sort,
          order: request.query.order,
        }),
      ),
  );

  app.delete(
    '/v1/apitokens/:id',
    {
      config: { operation: 'partnerUsers.manage' },
      schema: {
        tags: TAGS,
        summary: "Revoke any of your organisation's API tokens",
        params: IdParams,
        response: { 204: Type.Null(), ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await apiTokens.revokeAny(request.ctx, request.params.id);
      return reply.code(204).send(null);
    },
  );
};
