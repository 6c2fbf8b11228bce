// Request and correlation ids, security headers, and one structured log line per request.
// request.id is ours (a UUID, returned as X-Request-Id and in every error); MS-CorrelationId is the
// caller's, echoed back and logged so a chain of calls can be followed (generated when absent).
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyRequest {
    correlationId: string;
  }
}

const ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

const SECURITY_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=()',
};

// The console and the docs page need scripts and styles from our own origin only.
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

/**
 * Sets the request's correlation id and the headers every response carries. Also called for errors the router
 * raises before any hook runs (see frameworkErrorHandler), so those answers carry them too.
 */
export function applyContextHeaders(
  request: FastifyRequest,
  reply: FastifyReply,
  opts: { hsts: boolean },
): void {
  const given = request.headers['ms-correlationid'];
  request.correlationId = typeof given === 'string' && ID_PATTERN.test(given) ? given : randomUUID();
  reply.header('ms-correlationid', request.correlationId);
  reply.header('x-request-id', request.id);
  reply.headers(SECURITY_HEADERS);
  reply.header('content-security-policy', CSP);
  if (opts.hsts) reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
  if (request.url.startsWith('/v1/')) reply.header('cache-control', 'no-store');
}

export default fp(
  async function requestContextPlugin(app: FastifyInstance, opts: { hsts: boolean }) {
    app.decorateRequest('correlationId', '');
    app.addHook('onRequest', async (request, reply) => {
      applyContextHeaders(request, reply, opts);
      request.log = request.log.child({ correlationId: request.correlationId });
    });
    app.addHook('onResponse', async (request, reply) => {
      request.log.info(
        {
          method: request.method,
          route: request.routeOptions.url,
          statusCode: reply.statusCode,
          partnerId: request.ctx?.partnerId,
          userId: request.ctx?.userId,
          ms: Math.round(reply.elapsedTime),
        },
        'request completed',
      );
    });
  },
  { name: 'request-context' },
);
