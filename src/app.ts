// buildApp(deps): every plugin and every module's routes. No I/O at import time; the caller owns the store.
import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify from 'fastify';
import type { FastifyServerOptions } from 'fastify';
import type { Config } from './config.ts';
import type { Store } from './db/database.ts';
import authPlugin from './http/auth.plugin.ts';
import errorsPlugin from './http/errors.plugin.ts';
import { healthRoutes } from './http/health.routes.ts';
import requestContextPlugin from './http/request-context.plugin.ts';
import type { Clock } from './lib/clock.ts';
import { systemClock } from './lib/clock.ts';
import { createInstanceService } from './modules/instances/instances.ts';

export interface AppDeps {
  config: Config;
  store: Store;
  clock?: Clock;
  logger?: FastifyServerOptions['logger'];
}

export async function buildApp(deps: AppDeps) {
  const { config, store } = deps;
  const clock = deps.clock ?? systemClock;
  const app = Fastify({
    logger: deps.logger ?? { level: config.logLevel },
    disableRequestLogging: true,
    genReqId: () => randomUUID(),
    requestIdLogLabel: 'requestId',
    bodyLimit: config.bodyLimitBytes,
    trustProxy: false,
    ajv: {
      customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: true },
    },
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // ── services (plain factories with explicit dependencies) ──
  const instances = createInstanceService(config);

  // ── cross-cutting HTTP conventions (order matters: ids → auth → limits → idempotency) ──
  await app.register(errorsPlugin);
  await app.register(requestContextPlugin, { hsts: config.auth.cookieSecure });
  await app.register(cookie);
  await app.register(authPlugin, { db: store.app });

  // ── routes, one plugin per module ──
  await app.register(healthRoutes, { db: store.owner });

  void clock;
  void instances;
  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;
