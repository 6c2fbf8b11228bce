// The customer-facing API behind the invitation page: the invitation as a customer sees it, sign-in for users
// of the customer's own directory, their password, accepting, and the organisation's partners. Routes with the
// 'customerPortal' operation take only a customer session's bearer token (see src/http/auth.plugin.ts).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { collection } from '../../http/schemas.ts';
import type { CustomerContext } from '../../lib/context.ts';
import { AppError } from '../../lib/errors.ts';
import {
  AcceptBody,
  AcceptanceSchema,
  CustomerChangePasswordBody,
  CustomerMeSchema,
  CustomerPartnerList,
  CustomerSessionSchema,
  CustomerSignInBody,
  InvitationPreviewSchema,
  PartnerParams,
  TokenParams,
  errors,
} from './relationships.schemas.ts';
import type { PortalService } from './portal.service.ts';

const TAGS = ['Customer portal'];

/** The customer of a 'customerPortal' route; the auth plugin has refused the request without one. */
function customerOf(request: FastifyRequest): CustomerContext {
  if (!request.customer) throw new AppError('unauthenticated');
  return request.customer;
}

export const portalRoutes: FastifyPluginAsyncTypebox<{ portal: PortalService }> = async (app, { portal }) => {
  app.get(
    '/v1/invitations/:token',
    {
      config: { operation: 'public' },
      schema: {
        tags: TAGS,
        summary: 'An invitation link, as the customer sees it',
        description:
          'The inviting partner (name, cloud instance, country), whether delegated admin privileges are asked ' +
          'for, and until when the link works. 404 invitationNotFound for an unknown link; 410 ' +
          'invitationExpired or invitationRevoked.',
        params: TokenParams,
        response: { 200: InvitationPreviewSchema, ...errors(400, 404, 410) },
      },
    },
    async (request) => portal.invitation(request.params.token),
  );

  app.post(
    '/v1/customer/sessions',
    {
      config: { operation: 'public' },
      schema: {
        tags: TAGS,
        summary: 'Sign in as a user of your organisation',
        description:
          'For the customer-facing pages: a user of the customer’s own directory signs in and gets a bearer ' +
          'token for the /v1/customer routes and for accepting invitations (it is not a partner credential). ' +
          'A temporary password must be changed first (`mustChangePassword`). Repeated failures lock the ' +
          'account for a while (403 accountLocked with Retry-After).',
        body: CustomerSignInBody,
        response: { 200: CustomerSessionSchema, ...errors(400, 401, 403, 415) },
      },
    },
    async (request) => portal.signIn(request.body.userName, request.body.password),
  );

  app.delete(
    '/v1/customer/sessions/current',
    {
      config: { operation: 'customerPortal', allowDuringPasswordChange: true },
      schema: {
        tags: TAGS,
        summary: 'Sign out of the customer session',
        response: { 204: Type.Null(), ...errors(401) },
      },
    },
    async (request, reply) => {
      await portal.signOut(customerOf(request));
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/v1/customer/me',
    {
      config: { operation: 'customerPortal', allowDuringPasswordChange: true },
      schema: {
        tags: TAGS,
        summary: 'The signed-in customer user and organisation',
        description: 'With whether the organisation has confirmed the customer agreement.',
        response: { 200: CustomerMeSchema, ...errors(401) },
      },
    },
    async (request) => portal.me(customerOf(request)),
  );

  app.post(
    '/v1/customer/me/password',
    {
      config: { operation: 'customerPortal', allowDuringPasswordChange: true },
      schema: {
        tags: TAGS,
        summary: 'Change your password',
        description:
          'Checks the current password and the password rules; ends your other sessions. Required after ' +
          'signing in with a temporary password.',
        body: CustomerChangePasswordBody,
        response: { 204: Type.Null(), ...errors(400, 401, 403) },
      },
    },
    async (request, reply) => {
      await portal.changePassword(
        customerOf(request),
        request.body.currentPassword,
        request.body.newPassword,
      );
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/v1/invitations/:token/accept',
    {
      config: { operation: 'customerPortal' },
      schema: {
        tags: TAGS,
        summary: 'Accept a partner’s invitation',
        description:
          'Only a Global admin of your organisation, and only a partner of your cloud instance. If your ' +
          'organisation has not yet accepted the customer agreement, send `customerAgreement` (signer and day ' +
          'of acceptance, never in the future). Creates the reseller relationship (with delegated admin ' +
          'privileges when the invitation asks for them), re-establishes a removed one, or adds the privileges ' +
          'to an existing one; accepting again changes nothing.',
        params: TokenParams,
        body: AcceptBody,
        response: { 200: AcceptanceSchema, ...errors(400, 401, 403, 404, 410) },
      },
      // The body is optional (an organisation that has confirmed the agreement has nothing to send).
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    async (request) => portal.accept(customerOf(request), request.params.token, request.body),
  );

  app.get(
    '/v1/customer/partners',
    {
      config: { operation: 'customerPortal' },
      schema: {
        tags: TAGS,
        summary: 'Your organisation’s partners',
        description:
          'The partners with an active relationship, and whether each holds delegated admin privileges.',
        response: { 200: CustomerPartnerList, ...errors(401, 403) },
      },
    },
    async (request) => {
      const items = await portal.partners(customerOf(request));
      return collection(request, { items, totalCount: items.length });
    },
  );

  app.delete(
    '/v1/customer/partners/:partnerId/delegatedadmin',
    {
      config: { operation: 'customerPortal' },
      schema: {
        tags: TAGS,
        summary: 'Remove a partner’s delegated admin privileges',
        description:
          'The partner keeps the reseller relationship but no longer administers your tenant. Only a Global ' +
          'admin of your organisation.',
        params: PartnerParams,
        response: { 204: Type.Null(), ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await portal.removeDelegatedAdmin(customerOf(request), request.params.partnerId);
      return reply.code(204).send(null);
    },
  );
};
