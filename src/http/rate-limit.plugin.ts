// Rate limits (PRODUCT.md "API conventions"): config.rateLimit.perMinute requests a minute per partner for
// signed-in callers, per client IP otherwise; config.rateLimit.signInPerMinute per IP on the sign-in routes.
// A route may set its own `config.rateLimit` (@fastify/rate-limit's per-route options, or false).
// Every limited response carries RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset (seconds); a 429
// adds Retry-After and our error envelope (rateLimited).
// The counters live in this process's memory: with N processes behind a balancer a partner gets up to N times
// the limit, and a restart resets them. A shared store (Redis) would make them exact; not needed yet.
// Limits count in preHandler, after auth (onRequest) has identified the partner and after validation, so
// unauthenticated and malformed requests are not counted against a partner; sign-in counts from onRequest so
// that every attempt from an address counts, well-formed or not.
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config.ts';
import { AppError } from '../lib/errors.ts';

/** Probes for load balancers and orchestrators must never be throttled. */
const EXEMPT = new Set(['/healthz', '/readyz']);
/** Public sign-in routes: limited per client address, tighter than the rest. */
export const SIGN_IN_ROUTES = new Set(['/v1/auth/token', '/v1/auth/sessions', '/v1/customer/sessions']);

const byAddress = (request: FastifyRequest) => `ip:${request.ip}`;
const byPartnerOrAddress = (request: FastifyRequest) =>
  request.ctx?.partnerId ? `partner:${request.ctx.partnerId}` : byAddress(request);

export default fp(
  async function rateLimitPlugin(app: FastifyInstance, opts: { config: Pick<Config, 'rateLimit'> }) {
    // Runs before @fastify/rate-limit's own onRoute hook (added below), which reads config.rateLimit.
    app.addHook('onRoute', (route) => {
      if (route.config?.rateLimit !== undefined) return; // the route chose for itself
      if (EXEMPT.has(route.url)) route.config = { ...route.config, rateLimit: false };
      else if (SIGN_IN_ROUTES.has(route.url))
        route.config = {
          ...route.config,
          rateLimit: {
            max: opts.config.rateLimit.signInPerMinute,
            keyGenerator: byAddress,
            hook: 'onRequest',
          },
        };
    });

    await app.register(rateLimit, {
      global: true,
      hook: 'preHandler',
      max: opts.config.rateLimit.perMinute,
      timeWindow: 60_000,
      keyGenerator: byPartnerOrAddress,
      enableDraftSpec: true,
      // Partners and addresses tracked at once; beyond this the least recently seen start afresh.
      cache: 10_000,
      errorResponseBuilder: (_request, context) =>
        new AppError('rateLimited', {
          message: `Too many requests; retry in ${context.after}.`,
          data: [{ limit: context.max, retryAfterSeconds: Math.ceil(context.ttl / 1000) }],
        }),
    });
  },
  { name: 'rate-limit', dependencies: ['errors', 'auth'] },
);
