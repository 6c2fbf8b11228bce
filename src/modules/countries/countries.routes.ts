// Country reference data (/v1/countries, /v1/countryvalidationrules/{iso2}) and address validation
// (/v1/validations/address): the same for every partner, open to any signed-in partner user.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { collection } from '../../http/schemas.ts';
import { listSchema, rulesSchema, validateAddressSchema } from './countries.schemas.ts';
import type { CountriesService } from './countries.service.ts';

export const countriesRoutes: FastifyPluginAsyncTypebox<{ countries: CountriesService }> = async (
  app,
  { countries },
) => {
  app.get(
    '/v1/countryvalidationrules/:iso2',
    { config: { operation: 'self' }, schema: rulesSchema },
    async (request) => countries.rules(request.params.iso2),
  );

  app.get('/v1/countries', { config: { operation: 'self' }, schema: listSchema }, async (request) =>
    collection(request, countries.list(request.query.language)),
  );

  app.post(
    '/v1/validations/address',
    { config: { operation: 'self' }, schema: validateAddressSchema },
    async (request) => countries.validateAddress(request.body),
  );
};
