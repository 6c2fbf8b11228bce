// The customer-facing API of transfer requests between partners: the organisation's requests, and a Global
// admin's consent or refusal. Routes with the 'customerPortal' operation take only a customer session's bearer
// token (see src/http/auth.plugin.ts).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { Db } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import type { CustomerContext } from '../../lib/context.ts';
import { AppError } from '../../lib/errors.ts';
import { createTransferPortalService } from './transfers.portal.service.ts';
import { CustomerTransferList, CustomerTransferSchema, TransferParams, errors } from './transfers.schemas.ts';

const TAGS = ['Customer portal'];

/** The customer of a 'customerPortal' route; the auth plugin has refused the request without one. */
function customerOf(request: FastifyRequest): CustomerContext {
  if (!request.customer) throw new AppError('unauthenticated');
  return request.customer;
}

const ANSWER_CODES =
  '403 transferConsentNotAllowed when you are not a Global admin of your organisation; 404 transferNotFound ' +
  'when the request is not your organisation’s; 409 transferAlreadyProcessed (data: its status and consent) ' +
  'when it no longer awaits consent: already answered, cancelled, rejected or expired.';

/** Builds its own service, so the app registers the customer's side of transfers in one place. */
export const transferPortalRoutes: FastifyPluginAsyncTypebox<{ db: Db; clock: Clock }> = async (
  app,
  deps,
) => {
  const transfers = createTransferPortalService(deps);

  app.get(
    '/v1/customer/transfers',
    {
      config: { operation: 'customerPortal' },
      schema: {
        tags: TAGS,
        summary: 'Your organisation’s transfer requests',
        description:
          'Requests of partners to take over your organisation’s Azure subscriptions from another partner, ' +
          'newest first: who asks, which subscriptions, the note, whether your organisation has consented, and ' +
          'the request’s status. A request past its 30 days shows as expired.',
        response: { 200: CustomerTransferList, ...errors(401, 403) },
      },
    },
    async (request) => {
      const items = await transfers.list(customerOf(request));
      return { totalCount: items.length, items, attributes: { objectType: 'Collection' as const } };
    },
  );

  app.post(
    '/v1/customer/transfers/:transferId/consent',
    {
      config: { operation: 'customerPortal' },
      schema: {
        tags: TAGS,
        summary: 'Consent to a transfer request',
        description:
          'Only a Global admin of your organisation, and only while the request is pending and awaits your ' +
          'consent. The partner of record may then accept it: the subscriptions move to the requesting partner, ' +
          `which bills you for them from then on. ${ANSWER_CODES}`,
        params: TransferParams,
        response: { 200: CustomerTransferSchema, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => transfers.consent(customerOf(request), request.params.transferId),
  );

  app.post(
    '/v1/customer/transfers/:transferId/decline',
    {
      config: { operation: 'customerPortal' },
      schema: {
        tags: TAGS,
        summary: 'Decline a transfer request',
        description:
          'Only a Global admin of your organisation, and only while the request awaits your consent. The ' +
          'request becomes rejected (by the customer) and your subscriptions stay with their partner of ' +
          `record. ${ANSWER_CODES}`,
        params: TransferParams,
        response: { 200: CustomerTransferSchema, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => transfers.decline(customerOf(request), request.params.transferId),
  );
};
