// /v1/offers: the catalog a partner sells from, as its cloud instance offers it.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { collection, pageRequest } from '../../http/schemas.ts';
import {
  MeterList,
  MeterQuery,
  OfferList,
  OfferListQuery,
  OfferParams,
  OfferQuery,
  OfferSchema,
  errors,
} from './offers.schemas.ts';
import type { OffersService } from './offers.service.ts';

const TAGS = ['Offers'];

export const offersRoutes: FastifyPluginAsyncTypebox<{ offers: OffersService }> = async (app, { offers }) => {
  app.get(
    '/v1/offers',
    {
      config: { operation: 'offers.view' },
      schema: {
        tags: TAGS,
        summary: 'List the offer catalog',
        description:
          'Offers available in your cloud instance, sorted by name. `country` keeps the offers sold there ' +
          'with their prices in that market’s currency (an unknown country is a 400 on field `country`); ' +
          '`q` searches names and ids (case- and accent-insensitive, anywhere in them); `parentOfferId` ' +
          'lists the add-ons of an offer. Cursor paging.',
        querystring: OfferListQuery,
        response: { 200: OfferList, ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const { size: _s, continuationToken: _c, ...filters } = request.query;
      return collection(
        request,
        await offers.list(request.ctx, filters, pageRequest(request, request.query)),
      );
    },
  );

  app.get(
    '/v1/offers/:offerId',
    {
      config: { operation: 'offers.view' },
      schema: {
        tags: TAGS,
        summary: 'Get an offer',
        description:
          'One offer of your cloud instance’s catalog with its prices; with `country`, only if it is sold ' +
          'there, priced in that market’s currency. Retired offers are not found.',
        params: OfferParams,
        querystring: OfferQuery,
        response: { 200: OfferSchema, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => offers.get(request.ctx, request.params.offerId, request.query.country),
  );

  app.get(
    '/v1/offers/:offerId/meters',
    {
      config: { operation: 'offers.view' },
      schema: {
        tags: TAGS,
        summary: 'List the usage meters of an offer',
        description:
          'What usage of a usage-based offer (Azure, Azure plan) is measured in, with the meter prices: minor ' +
          'units per unit, exact decimals, each valid from its `effectiveFrom` day until the next price in the ' +
          'same currency. `currencyCode` keeps only that currency’s prices. Retired offers are found too (their ' +
          'subscriptions are still rated); an offer not in your cloud instance is not. A licence-based offer ' +
          'has no meters.',
        params: OfferParams,
        querystring: MeterQuery,
        response: { 200: MeterList, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const items = await offers.meters(request.ctx, request.params.offerId, request.query.currencyCode);
      return collection(request, { items, totalCount: items.length });
    },
  );
};
