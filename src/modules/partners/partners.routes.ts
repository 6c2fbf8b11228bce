// The caller's profile and organisation, and partner users with their roles.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { expectedVersion } from '../../http/etag.ts';
import { IdParams, collection, pageRequest } from '../../http/schemas.ts';
import {
  CreatePartnerUserBody,
  PartnerSchema,
  PartnerUserList,
  PartnerUserListQuery,
  PartnerUserSchema,
  PartnerUserWithPassword,
  PasswordReset,
  ProfileSchema,
  UpdatePartnerUserBody,
  UpdateProfileBody,
  errors,
} from './partners.schemas.ts';
import type { PartnersService } from './partners.service.ts';

export const partnersRoutes: FastifyPluginAsyncTypebox<{ partners: PartnersService }> = async (
  app,
  { partners },
) => {
  app.get(
    '/v1/profiles/me',
    {
      config: { operation: 'self', allowDuringPasswordChange: true },
      schema: {
        tags: ['Profile'],
        summary: 'Your profile',
        description: 'User name, roles, language, your partner and its cloud instance policy.',
        response: { 200: ProfileSchema, ...errors(401, 403) },
      },
    },
    async (request, reply) => {
      const profile = await partners.me(request.ctx);
      reply.header('etag', profile.attributes.etag);
      return profile;
    },
  );

  app.patch(
    '/v1/profiles/me',
    {
      config: { operation: 'self' },
      schema: {
        tags: ['Profile'],
        summary: 'Update your display name or language',
        body: UpdateProfileBody,
        response: { 200: ProfileSchema, ...errors(400, 401, 403, 412) },
      },
    },
    async (request, reply) => {
      const profile = await partners.updateMe(
        request.ctx,
        request.body,
        expectedVersion(request, request.ctx.userId),
      );
      reply.header('etag', profile.attributes.etag);
      return profile;
    },
  );

  app.get(
    '/v1/profiles/partner',
    {
      config: { operation: 'self' },
      schema: {
        tags: ['Profile'],
        summary: 'Your partner organisation',
        description: 'The partner with its cloud instance and what that instance allows.',
        response: { 200: PartnerSchema, ...errors(401, 403) },
      },
    },
    async (request, reply) => {
      const partner = await partners.myPartner(request.ctx);
      reply.header('etag', partner.attributes.etag);
      return partner;
    },
  );

  app.get(
    '/v1/partnerusers',
    {
      config: { operation: 'partnerUsers.manage' },
      schema: {
        tags: ['Partner users'],
        summary: 'List partner users',
        description:
          'Search by user name or display name (`q`), filter by role and state; sort by display name, user name or creation time (`sort`, `order`); cursor paging.',
        querystring: PartnerUserListQuery,
        response: { 200: PartnerUserList, ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const { q, role, state, sort, order } = request.query;
      const page = await partners.listUsers(request.ctx, {
        ...pageRequest(request, request.query),
        q,
        role,
        state,
        sort,
        order,
      });
      return collection(request, page);
    },
  );

  app.post(
    '/v1/partnerusers',
    {
      config: { operation: 'partnerUsers.manage' },
      schema: {
        tags: ['Partner users'],
        summary: 'Add a partner user',
        description:
          'Answers the user with a temporary password, shown only now; it must be changed at first sign-in. ' +
          'Only a Global admin may grant the Global admin role.',
        body: CreatePartnerUserBody,
        response: { 201: PartnerUserWithPassword, ...errors(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const user = await partners.createUser(request.ctx, request.body);
      reply.header('etag', user.attributes.etag);
      return reply.code(201).send(user);
    },
  );

  app.get(
    '/v1/partnerusers/:id',
    {
      config: { operation: 'partnerUsers.manage' },
      schema: {
        tags: ['Partner users'],
        summary: 'Get a partner user',
        params: IdParams,
        response: { 200: PartnerUserSchema, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const user = await partners.getUser(request.ctx, request.params.id);
      reply.header('etag', user.attributes.etag);
      return user;
    },
  );

  app.patch(
    '/v1/partnerusers/:id',
    {
      config: { operation: 'partnerUsers.manage' },
      schema: {
        tags: ['Partner users'],
        summary: 'Change roles, display name or state',
        description:
          'Optional If-Match (412 when stale). A partner keeps at least one active Global admin; you cannot ' +
          'deactivate yourself or remove your own roles; deactivating ends the user’s sessions.',
        params: IdParams,
        body: UpdatePartnerUserBody,
        response: { 200: PartnerUserSchema, ...errors(400, 401, 403, 404, 409, 412) },
      },
    },
    async (request, reply) => {
      const user = await partners.updateUser(
        request.ctx,
        request.params.id,
        request.body,
        expectedVersion(request, request.params.id),
      );
      reply.header('etag', user.attributes.etag);
      return user;
    },
  );

  app.post(
    '/v1/partnerusers/:id/resetpassword',
    {
      config: { operation: 'partnerUsers.manage' },
      schema: {
        tags: ['Partner users'],
        summary: "Reset a partner user's password",
        description:
          'Answers a new temporary password, shown only now; the user must change it at next sign-in and ' +
          'their sessions end.',
        params: IdParams,
        response: { 200: PasswordReset, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => partners.resetPassword(request.ctx, request.params.id),
  );
};
