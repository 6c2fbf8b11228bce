// Reseller relationships, the partner's side: /v1/customers/relationshiprequests (the personal invitation link),
// /v1/relationshipinvitations (list, revoke), the removal preflight, and PATCH /v1/customers/{id}
// {"relationshipToPartner":"none"} (removal, as Partner Center spells it).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { collection, pageRequest } from '../../http/schemas.ts';
import { CustomerParams, CustomerSchema } from '../customers/customers.schemas.ts';
import {
  InvitationList,
  InvitationListQuery,
  InvitationParams,
  RelationshipRequestQuery,
  RelationshipRequestSchema,
  RemovalCheckSchema,
  RemoveRelationshipBody,
  errors,
} from './relationships.schemas.ts';
import type { RelationshipsService } from './relationships.service.ts';

const TAGS = ['Relationships'];

export const relationshipsRoutes: FastifyPluginAsyncTypebox<{ relationships: RelationshipsService }> = async (
  app,
  { relationships },
) => {
  app.get(
    '/v1/customers/relationshiprequests',
    {
      config: { operation: 'relationships.request' },
      schema: {
        tags: TAGS,
        summary: 'Request a reseller relationship with an existing customer',
        description:
          'Your personal invitation link, with a ready-to-send email text: a Global admin of the customer opens ' +
          'it, signs in and accepts, and the customer then appears in your customer list. The same link is ' +
          'answered again until it expires (30 days) or you revoke it; one link for each choice of ' +
          '`includeDelegatedAdminPrivileges`. Refused in cloud instances that do not allow relationships with ' +
          'existing customers, and without delegated admin privileges outside the global instance.',
        querystring: RelationshipRequestQuery,
        response: { 200: RelationshipRequestSchema, ...errors(400, 401, 403) },
      },
    },
    async (request) =>
      relationships.requestLink(request.ctx, request.query.includeDelegatedAdminPrivileges ?? true),
  );

  app.get(
    '/v1/relationshipinvitations',
    {
      config: { operation: 'relationships.request' },
      schema: {
        tags: TAGS,
        summary: 'List your invitation links',
        description:
          'Newest first, each with its state (active, expired, revoked) and how many customers accepted it.',
        querystring: InvitationListQuery,
        response: { 200: InvitationList, ...errors(400, 401, 403) },
      },
    },
    async (request) =>
      collection(
        request,
        await relationships.listInvitations(request.ctx, pageRequest(request, request.query)),
      ),
  );

  app.delete(
    '/v1/relationshipinvitations/:id',
    {
      config: { operation: 'relationships.request' },
      schema: {
        tags: TAGS,
        summary: 'Revoke an invitation link',
        description:
          'The link stops working at once; relationships already accepted through it stay. The next request ' +
          'for a link makes a new one.',
        params: InvitationParams,
        response: { 204: Type.Null(), ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await relationships.revokeInvitation(request.ctx, request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/v1/customers/:customerId/relationship/removal-check',
    {
      config: { operation: 'customers.view' },
      schema: {
        tags: TAGS,
        summary: 'Can the reseller relationship be removed?',
        description:
          'Lists what blocks removing your relationship with this customer — active subscriptions to suspend, ' +
          'reservations and software to cancel, transfers in flight — each with its fix.',
        params: CustomerParams,
        response: { 200: RemovalCheckSchema, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => relationships.removalCheck(request.ctx, request.params.customerId),
  );

  app.patch(
    '/v1/customers/:customerId',
    {
      config: { operation: 'relationships.remove' },
      schema: {
        tags: TAGS,
        summary: 'Remove the reseller relationship',
        description:
          'Body `{"relationshipToPartner":"none"}`. Checks the blockers again (409 relationshipRemovalBlocked ' +
          'with them in `data`), then in one transaction ends the relationship and your delegated admin ' +
          'privileges: the customer leaves your customer list and exports and is not found for you afterwards. ' +
          'Its tenant and users stay, and your activity log keeps its past records. Re-establishing the ' +
          'relationship takes a new invitation.',
        params: CustomerParams,
        body: RemoveRelationshipBody,
        response: { 200: CustomerSchema, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => relationships.removeRelationship(request.ctx, request.params.customerId),
  );
};
