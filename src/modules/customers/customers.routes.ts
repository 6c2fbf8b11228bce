// /v1/customers: add a customer, the customer list (search, sort, paging) and its CSV export, a customer's
// company and billing profiles and customer agreements; /v1/domains/{domain}: is a domain taken.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { attachmentDisposition } from '../../http/content-disposition.ts';
import { expectedVersion } from '../../http/etag.ts';
import { collection, pageRequest } from '../../http/schemas.ts';
import { AppError } from '../../lib/errors.ts';
import {
  AgreementList,
  AgreementSchema,
  BillingProfileSchema,
  CompanyProfileSchema,
  CreateAgreementBody,
  CreateCustomerBody,
  CreatedCustomerSchema,
  CustomerList,
  CustomerListQuery,
  CustomerParams,
  CustomerSchema,
  DomainParams,
  DomainSchema,
  UpdateBillingProfileBody,
  UpdateCompanyProfileBody,
  errors,
  exportSchema,
} from './customers.schemas.ts';
import type { CustomersService } from './customers.service.ts';

const TAGS = ['Customers'];

export const customersRoutes: FastifyPluginAsyncTypebox<{ customers: CustomersService }> = async (
  app,
  { customers },
) => {
  app.post(
    '/v1/customers',
    {
      config: { operation: 'customers.add' },
      schema: {
        tags: TAGS,
        summary: 'Add a new customer',
        description:
          'Creates, in one transaction, the customer’s tenant with its primary domain, the company and billing ' +
          'profiles, the first Global admin (user name and temporary password answered once in ' +
          '`userCredentials`), your reseller relationship with delegated admin privileges and, when given, the ' +
          'customer-agreement confirmation. Every broken rule is answered at once as a field-level reason. ' +
          'Send MS-RequestId so that a retry never creates a second customer.',
        body: CreateCustomerBody,
        response: { 201: CreatedCustomerSchema, ...errors(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const created = await customers.create(request.ctx, request.body);
      reply.header('etag', created.attributes.etag);
      reply.header('location', `/v1/customers/${created.id}`);
      return reply.code(201).send(created);
    },
  );

  app.get(
    '/v1/customers',
    {
      config: { operation: 'customers.view' },
      schema: {
        tags: TAGS,
        summary: 'List your customers',
        description:
          'Customers you have an active reseller relationship with. Search company names and domains ' +
          '(`q`, case- and accent-insensitive, from the start or with `match=contains`) or use Partner ' +
          'Center’s `filter`; sort by `name` (default) or `createdAt`; cursor paging.',
        querystring: CustomerListQuery,
        response: { 200: CustomerList, ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const { size: _s, continuationToken: _c, ...filters } = request.query;
      return collection(
        request,
        await customers.list(request.ctx, filters, pageRequest(request, request.query)),
      );
    },
  );

  app.get(
    '/v1/customers/export.csv',
    { config: { operation: 'customers.view' }, schema: exportSchema },
    async (request, reply) => {
      const { filename, stream } = await customers.exportCsv(request.ctx, request.query);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', attachmentDisposition(filename))
        .send(stream);
    },
  );

  app.get(
    '/v1/customers/:customerId',
    {
      config: { operation: 'customers.view' },
      schema: {
        tags: TAGS,
        summary: 'Get a customer',
        params: CustomerParams,
        response: { 200: CustomerSchema, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const customer = await customers.get(request.ctx, request.params.customerId);
      reply.header('etag', customer.attributes.etag);
      return customer;
    },
  );

  app.get(
    '/v1/customers/:customerId/profiles/company',
    {
      config: { operation: 'customers.view' },
      schema: {
        tags: TAGS,
        summary: 'Get a customer’s company profile',
        params: CustomerParams,
        response: { 200: CompanyProfileSchema, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const profile = await customers.getCompanyProfile(request.ctx, request.params.customerId);
      reply.header('etag', profile.attributes.etag);
      return profile;
    },
  );

  app.put(
    '/v1/customers/:customerId/profiles/company',
    {
      config: { operation: 'customers.update' },
      schema: {
        tags: TAGS,
        summary: 'Update company details',
        description:
          'Company name and registration number. Requires If-Match with the profile’s ETag: a stale one is a ' +
          '412 carrying the current profile, and nothing is written.',
        params: CustomerParams,
        body: UpdateCompanyProfileBody,
        response: { 200: CompanyProfileSchema, ...errors(400, 401, 403, 404, 412, 428) },
      },
    },
    async (request, reply) => {
      const { customerId } = request.params;
      const profile = await customers.updateCompanyProfile(
        request.ctx,
        customerId,
        request.body,
        expectedVersion(request, customerId),
      );
      reply.header('etag', profile.attributes.etag);
      return profile;
    },
  );

  app.get(
    '/v1/customers/:customerId/profiles/billing',
    {
      config: { operation: 'customers.view' },
      schema: {
        tags: TAGS,
        summary: 'Get a customer’s billing profile',
        params: CustomerParams,
        response: { 200: BillingProfileSchema, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const profile = await customers.getBillingProfile(request.ctx, request.params.customerId);
      reply.header('etag', profile.attributes.etag);
      return profile;
    },
  );

  app.put(
    '/v1/customers/:customerId/profiles/billing',
    {
      config: { operation: 'customers.updateBilling' },
      schema: {
        tags: TAGS,
        summary: 'Update a customer’s billing profile',
        description:
          'The full profile: billing contact, email, culture, language, bill-to company name (the name your ' +
          'customer list shows) and default address. Requires If-Match with the profile’s ETag: a stale one ' +
          'is a 412 carrying the current profile, and nothing is written.',
        params: CustomerParams,
        body: UpdateBillingProfileBody,
        response: { 200: BillingProfileSchema, ...errors(400, 401, 403, 404, 412, 428) },
      },
    },
    async (request, reply) => {
      const { customerId } = request.params;
      const profile = await customers.updateBillingProfile(
        request.ctx,
        customerId,
        request.body,
        expectedVersion(request, customerId),
      );
      reply.header('etag', profile.attributes.etag);
      return profile;
    },
  );

  app.get(
    '/v1/customers/:customerId/agreements',
    {
      config: { operation: 'customers.view' },
      schema: {
        tags: TAGS,
        summary: 'List a customer’s agreement confirmations',
        description: 'Newest first; the newest one is the customer’s current confirmation.',
        params: CustomerParams,
        response: { 200: AgreementList, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const items = await customers.listAgreements(request.ctx, request.params.customerId);
      return collection(request, { items, totalCount: items.length });
    },
  );

  app.post(
    '/v1/customers/:customerId/agreements',
    {
      config: { operation: 'customers.updateBilling' },
      schema: {
        tags: TAGS,
        summary: 'Confirm the customer’s acceptance of the customer agreement',
        description:
          'Your attestation that the customer accepted the customer agreement: the signer’s names, email, ' +
          'optional phone and the date of acceptance (never in the future). Orders are refused until one exists.',
        params: CustomerParams,
        body: CreateAgreementBody,
        response: { 201: AgreementSchema, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const agreement = await customers.createAgreement(request.ctx, request.params.customerId, request.body);
      return reply.code(201).send(agreement);
    },
  );

  app.get(
    '/v1/domains/:domain',
    {
      config: { operation: 'customers.add' },
      schema: {
        tags: TAGS,
        summary: 'Is a domain taken?',
        description:
          'Use HEAD as Partner Center clients do: 200 when the domain belongs to a tenant (taken), 404 when it ' +
          'is free, 400 (with the reason) when it is not a valid `<prefix>.<instance suffix>` domain.',
        params: DomainParams,
        response: { 200: DomainSchema, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const domain = request.params.domain.trim().toLowerCase();
      if (!(await customers.domainTaken(request.ctx, domain))) throw new AppError('domainNotFound');
      return { domain, attributes: { objectType: 'Domain' as const } };
    },
  );
};
