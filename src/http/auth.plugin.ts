// Authentication and authorization for every route, in one place.
// Each route declares `config.operation` (see modules/partners/roles.ts); a route without one refuses to
// register, so nothing is reachable by accident. Credentials: `Authorization: Bearer <token>` (access token
// from /v1/auth/token or an API token) or the console's session cookie, whose writes need X-CSRF-Token.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Db } from '../db/database.ts';
import type { CallerContext } from '../lib/context.ts';
import { AppError } from '../lib/errors.ts';
import { hashSecret, sameHash } from '../lib/tokens.ts';
import type { ResolvedCredential } from '../modules/partners/auth.repository.ts';
import { resolveCredential } from '../modules/partners/auth.repository.ts';
import type { Operation, Role } from '../modules/partners/roles.ts';
import { OPERATIONS, allows, isRole } from '../modules/partners/roles.ts';

export const SESSION_COOKIE = 'pd_session';
export const CSRF_HEADER = 'x-csrf-token';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** What the route does, for authorization. Required on every route. */
    operation?: Operation;
    /** Reachable while the user must still change a temporary password (profile, password, sign-out). */
    allowDuringPasswordChange?: boolean;
  }
  interface FastifyInstance {
    /** Every route registered after the auth plugin, with its operation: what the role and isolation
     * matrices and the fuzz test walk. */
    routeCatalog: RouteEntry[];
  }
  interface FastifyRequest {
    /** The caller; set on every non-public route before the handler runs. */
    ctx: CallerContext;
    /** Profile fields of the signed-in user, for /v1/profiles/me and the console. */
    caller?: ResolvedCredential;
  }
}

export interface RouteEntry {
  method: string;
  url: string;
  operation: Operation;
  hidden: boolean;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!m)
    throw new AppError('unauthenticated', { message: 'The Authorization header must be "Bearer <token>".' });
  return m[1];
}

export default fp(
  async function authPlugin(app: FastifyInstance, opts: { db: Db }) {
    app.decorateRequest('ctx', null as unknown as CallerContext);
    app.decorateRequest('caller', undefined);

    const catalog: RouteEntry[] = [];
    app.decorate('routeCatalog', catalog);
    app.addHook('onRoute', (route) => {
      const operation = route.config?.operation;
      // Fastify adds HEAD twins of GET routes; they share the GET's config.
      if (!operation || !(operation in OPERATIONS))
        throw new Error(`Route ${route.method} ${route.url} declares no known config.operation`);
      for (const method of [route.method].flat())
        if (method !== 'HEAD' || !catalog.some((r) => r.method === 'GET' && r.url === route.url))
          catalog.push({ method, url: route.url, operation, hidden: Boolean(route.schema?.hide) });
    });

    app.addHook('onRequest', async (request) => {
      const config = request.routeOptions.config;
      const operation = config?.operation;
      if (!operation || operation === 'public') return; // unknown routes fall to the 404 handler
      const header = bearerToken(request);
      const cookie = header ? undefined : request.cookies?.[SESSION_COOKIE];
      const secret = header ?? cookie;
      if (!secret) throw new AppError('unauthenticated');
      const found = await resolveCredential(opts.db, hashSecret(secret));
      if (!found || (cookie ? found.kind !== 'console' : found.kind === 'console'))
        throw new AppError('unauthenticated', {
          message: 'The token is not valid, has expired or was revoked; sign in again.',
        });
      if (found.kind === 'console' && !SAFE_METHODS.has(request.method)) {
        const csrf = request.headers[CSRF_HEADER];
        if (typeof csrf !== 'string' || !found.csrf_hash || !sameHash(hashSecret(csrf), found.csrf_hash))
          throw new AppError('csrfTokenInvalid');
      }
      request.caller = found;
      request.ctx = {
        partnerId: found.partner_id,
        instance: found.instance,
        userId: found.user_id,
        userName: found.user_name,
        roles: found.roles.filter(isRole) as Role[],
        credential: { kind: found.kind, id: found.credential_id, expiresAt: found.expires_at },
        requestId: String(request.id),
        correlationId: request.correlationId,
      };
      if (found.must_change_password && !config.allowDuringPasswordChange)
        throw new AppError('passwordChangeRequired');
      if (!allows(request.ctx.roles, operation))
        throw new AppError('forbidden', {
          message: `Your roles do not allow this operation (${operation}).`,
          data: [{ operation, allowedRoles: OPERATIONS[operation] }],
        });
    });
  },
  { name: 'auth', dependencies: ['errors', 'request-context'] },
);
