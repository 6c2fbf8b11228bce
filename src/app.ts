// buildApp(deps): every plugin and every module's routes. No I/O at import time; the caller owns the store.
import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { LogController } from 'fastify';
import type { FastifyServerOptions } from 'fastify';
import type { Config } from './config.ts';
import type { Store } from './db/database.ts';
import authPlugin from './http/auth.plugin.ts';
import caseInsensitivePlugin from './http/case-insensitive.plugin.ts';
import { DEFAULT_CONSOLE_DIR, consoleRoutes } from './http/console.routes.ts';
import errorsPlugin, { frameworkErrorHandler } from './http/errors.plugin.ts';
import { healthRoutes } from './http/health.routes.ts';
import idempotencyPlugin from './http/idempotency.plugin.ts';
import openapiPlugin from './http/openapi.plugin.ts';
import rateLimitPlugin from './http/rate-limit.plugin.ts';
import requestContextPlugin from './http/request-context.plugin.ts';
import textInputPlugin from './http/text-input.plugin.ts';
import type { Clock } from './lib/clock.ts';
import { systemClock } from './lib/clock.ts';
import { activityRoutes } from './modules/activity/activity.routes.ts';
import { createActivityService } from './modules/activity/activity.service.ts';
import { invoicesRoutes } from './modules/billing/invoices.routes.ts';
import { createInvoicesService } from './modules/billing/invoices.service.ts';
import { budgetsRoutes } from './modules/billing/budgets.routes.ts';
import { createBudgetsService } from './modules/billing/budgets.service.ts';
import { usageRoutes } from './modules/billing/usage.routes.ts';
import { createUsageService } from './modules/billing/usage.service.ts';
import { countriesRoutes } from './modules/countries/countries.routes.ts';
import { createCountriesService } from './modules/countries/countries.service.ts';
import { createCustomerUsersService } from './modules/customerUsers/customerUsers.service.ts';
import { usersRoutes } from './modules/customerUsers/users.routes.ts';
import { customersRoutes } from './modules/customers/customers.routes.ts';
import { licensesRoutes } from './modules/licenses/licenses.routes.ts';
import {
  assignedSeats,
  createLicensesService,
  releaseUserLicenses,
  restoreUserLicenses,
} from './modules/licenses/licenses.service.ts';
import { createCustomersService } from './modules/customers/customers.service.ts';
import { createInstanceService } from './modules/instances/instances.ts';
import { offersRoutes } from './modules/offers/offers.routes.ts';
import { createOffersService } from './modules/offers/offers.service.ts';
import { apiTokensRoutes } from './modules/partners/apitokens.routes.ts';
import { createApiTokensService } from './modules/partners/apitokens.service.ts';
import { authRoutes } from './modules/partners/auth.routes.ts';
import { createAuthService } from './modules/partners/auth.service.ts';
import { partnersRoutes } from './modules/partners/partners.routes.ts';
import { createPartnersService } from './modules/partners/partners.service.ts';
import { portalRoutes } from './modules/relationships/portal.routes.ts';
import { createPortalService } from './modules/relationships/portal.service.ts';
import { relationshipsRoutes } from './modules/relationships/relationships.routes.ts';
import { createOrdersService } from './modules/subscriptions/orders.service.ts';
import { subscriptionsRoutes } from './modules/subscriptions/subscriptions.routes.ts';
import {
  createSubscriptionsService,
  subscriptionBlockers,
} from './modules/subscriptions/subscriptions.service.ts';
import { attachmentsRoutes } from './modules/support/attachments.routes.ts';
import { serviceRequestsRoutes } from './modules/support/serviceRequests.routes.ts';
import { createServiceRequestsService } from './modules/support/serviceRequests.service.ts';
import { transferBlockers } from './modules/transfers/transfers.blockers.ts';
import { transfersRoutes } from './modules/transfers/transfers.routes.ts';
import { createTransfersService, expireTransfers } from './modules/transfers/transfers.service.ts';
import { createTransferWorker } from './modules/transfers/transfers.worker.ts';
import { userImportsRoutes } from './modules/userImports/userImports.routes.ts';
import { createUserImportsService, importPasswordsKey } from './modules/userImports/userImports.service.ts';
import { createUserImportWorker } from './modules/userImports/userImports.worker.ts';
import type { BlockerProvider } from './modules/relationships/relationships.service.ts';
import {
  createRelationshipsService,
  invitationLinkKey,
} from './modules/relationships/relationships.service.ts';

export interface AppDeps {
  config: Config;
  store: Store;
  clock?: Clock;
  logger?: FastifyServerOptions['logger'];
  /** The built console (default: dist/web of this checkout). */
  consoleDir?: string;
  /**
   * More of what can block removing a reseller relationship, after the features' own (active subscriptions);
   * tests inject one.
   */
  relationshipBlockers?: readonly BlockerProvider[];
  /**
   * Whether this process creates the users of stored imports (default true). Off, imports wait for a process
   * whose worker runs; tests that drive a worker themselves turn it off.
   */
  userImportWorker?: boolean;
  /**
   * Whether this process completes accepted transfer requests (default true). Off, they wait for a process
   * whose worker runs; tests that drive a worker themselves turn it off.
   */
  transferWorker?: boolean;
}

export async function buildApp(deps: AppDeps) {
  const { config, store } = deps;
  const clock = deps.clock ?? systemClock;
  const app = Fastify({
    logger: deps.logger ?? { level: config.logLevel },
    // One log line per request, written by request-context.plugin.ts with ids, partner and timing.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    genReqId: () => randomUUID(),
    bodyLimit: config.bodyLimitBytes,
    trustProxy: false,
    ajv: {
      customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: true },
      // ajv-formats' "uuid" also takes a "urn:uuid:" prefix, which PostgreSQL's uuid type refuses: such an id
      // passed validation and failed the first query as a 500. Ids here are plain GUIDs.
      onCreate: (ajv) => {
        ajv.addFormat('uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
      },
    },
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    frameworkErrors: frameworkErrorHandler({ hsts: config.auth.cookieSecure }),
  }).withTypeProvider<TypeBoxTypeProvider>();

  // ── services (plain factories with explicit dependencies) ──
  const instances = createInstanceService(config);
  const partners = createPartnersService({ db: store.app, owner: store.owner, config, clock, instances });
  const apiTokens = createApiTokensService({ db: store.app, clock });
  const auth = createAuthService({ db: store.app, config, clock, profiles: partners });
  const activity = createActivityService({ db: store.app, clock });
  const countries = createCountriesService();
  const customers = createCustomersService({ db: store.app, clock, instances, countries });
  const relationships = createRelationshipsService({
    db: store.app,
    clock,
    publicUrl: config.publicUrl,
    linkKey: invitationLinkKey(store.ownerUrl),
    instances,
    partners,
    customers,
    blockers: [subscriptionBlockers, transferBlockers, ...(deps.relationshipBlockers ?? [])],
  });
  const portal = createPortalService({ db: store.app, clock, config, instances, countries });
  const offers = createOffersService({ db: store.app });
  const orders = createOrdersService({ db: store.app, clock, customers });
  const subscriptions = createSubscriptionsService({ db: store.app, clock, customers, assignedSeats });
  const users = createCustomerUsersService({
    db: store.app,
    clock,
    customers,
    instances,
    licenses: { releaseUserLicenses, restoreUserLicenses },
  });
  const licenses = createLicensesService({ db: store.app, clock, customers, instances });
  const budgets = createBudgetsService({ db: store.app, clock, customers });
  const usage = createUsageService({ db: store.app, clock, customers, budgetAlerts: budgets.checkAlerts });
  const importPasswords = importPasswordsKey(store.ownerUrl);
  // Creates the users of stored imports; runs while the app is up (started on ready, stopped on close).
  const importWorker = createUserImportWorker({
    owner: store.owner,
    db: store.app,
    clock,
    settings: config.usersImport,
    passwordKey: importPasswords,
    log: { info: (o, m) => app.log.info(o, m), error: (o, m) => app.log.error(o, m) },
  });
  const userImports = createUserImportsService({
    db: store.app,
    clock,
    config,
    instances,
    countries,
    customers,
    passwordKey: importPasswords,
    onQueued: () => importWorker.poke(),
  });
  if (deps.userImportWorker ?? true) {
    app.addHook('onReady', async () => importWorker.start());
    app.addHook('onClose', async () => importWorker.stop());
  }

  // Completes accepted transfer requests; runs while the app is up (started on ready, stopped on close).
  const transferWorker = createTransferWorker({
    owner: store.owner,
    clock,
    leaseSeconds: config.transfers.leaseSeconds,
    log: { info: (o, m) => app.log.info(o, m), error: (o, m) => app.log.error(o, m) },
  });
  const transfers = createTransfersService({
    db: store.app,
    clock,
    publicUrl: config.publicUrl,
    customers,
    instances,
    onQueued: () => transferWorker.poke(),
    expireLapsed: (customerId, now) => expireTransfers(store.owner, now, customerId),
  });
  const invoices = createInvoicesService({ db: store.app, clock, partners, customers });
  const serviceRequests = createServiceRequestsService({
    db: store.app,
    clock,
    config: config.support,
    customers,
    idempotencyTtlHours: config.idempotencyTtlHours,
  });
  if (deps.transferWorker ?? true) {
    app.addHook('onReady', async () => transferWorker.start());
    app.addHook('onClose', async () => transferWorker.stop());
  }

  // ── cross-cutting HTTP conventions (order matters: ids → auth → limits → idempotency) ──
  await app.register(errorsPlugin);
  // The API speaks JSON: without Fastify's stock text/plain parser, a text body is a 415, not a string that
  // fails validation. A route that takes another type adds its own parser in its scope. An empty body labelled
  // JSON (SDKs send Content-Type on every DELETE) counts as no body: fine where none is needed, a 400
  // validationFailed where one is.
  app.removeContentTypeParser('text/plain');
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) =>
    body.length === 0 ? done(null, undefined) : parseJson(request, String(body), done),
  );
  await app.register(requestContextPlugin, { hsts: config.auth.cookieSecure });
  await app.register(cookie);
  // Before auth: it must see every route as it is added, and marks its /docs routes public before auth's check.
  await app.register(openapiPlugin, { config });
  await app.register(authPlugin, { db: store.app });
  await app.register(rateLimitPlugin, { config });
  await app.register(caseInsensitivePlugin);
  await app.register(textInputPlugin);
  await app.register(idempotencyPlugin, { db: store.app, config, clock });

  // ── routes, one plugin per module ──
  await app.register(healthRoutes, { db: store.owner });
  await app.register(authRoutes, { auth, config });
  await app.register(partnersRoutes, { partners });
  await app.register(apiTokensRoutes, { apiTokens });
  await app.register(activityRoutes, { activity });
  await app.register(countriesRoutes, { countries });
  await app.register(customersRoutes, { customers });
  await app.register(usersRoutes, { users });
  await app.register(userImportsRoutes, { userImports, config });
  await app.register(relationshipsRoutes, { relationships });
  await app.register(portalRoutes, { portal });
  await app.register((await import('./modules/transfers/transfers.portal.routes.ts')).transferPortalRoutes, {
    db: store.app,
    clock,
  });
  await app.register(offersRoutes, { offers });
  await app.register(subscriptionsRoutes, { orders, subscriptions });
  await app.register(licensesRoutes, { licenses });
  await app.register(transfersRoutes, { transfers });
  await app.register(invoicesRoutes, { invoices });
  await app.register(usageRoutes, { usage });
  await app.register(budgetsRoutes, { budgets });
  await app.register(serviceRequestsRoutes, { serviceRequests, config });
  await app.register(attachmentsRoutes, { serviceRequests, config });
  // Last: its GET /* answers whatever GET no other route claims (console pages; the API's 404s stay JSON).
  await app.register(consoleRoutes, { root: deps.consoleDir ?? DEFAULT_CONSOLE_DIR });

  void clock;
  void instances;
  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;
