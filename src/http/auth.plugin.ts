// Authentication and authorization for every route, in one place.
// Each route declares `config.operation` (see modules/partners/roles.ts); a route without one refuses to
// register, so nothing is reachable by accident. Credentials: `Authorization: Bearer <token>` (access token
// from /v1/auth/token or an API token) or the console's session cookie, whose writes need X-CSRF-Token.
// Routes with the 'customerPortal' operation are the customer-facing pages' API: they take only the bearer token
// of a customer directory user's session (POST /v1/customer/sessions), set `request.customer` instead of
// `request.ctx`, and never look at partner credentials. The two kinds live in separate tables, so neither path
// can resolve the other's tokens: a partner token on a customer route, or a customer token on a partner route,
// is a 401.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Db } from '../db/database.ts';
import type { CallerContext, CustomerContext } from '../lib/context.ts';
import { AppError } from '../lib/errors.ts';
import { hashSecret, sameHash } from '../lib/tokens.ts';
import type { ResolvedCredential } from '../modules/partners/auth.repository.ts';
import { resolveCredential } from '../modules/partners/auth.repository.ts';
import { resolveCustomerSession } from '../modules/relationships/portal.repository.ts';
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
    /** The signed-in customer user; set on every 'customerPortal' route before the handler runs. */
    customer?: CustomerContext;
  }
}

export interface RouteEntry {
  method: string;
  url: string;
  operation: Operation;
  hidden: boolean;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** How a customer session's token begins (lib/tokens.ts), to say which kind of credential was sent. */
const CUSTOMER_TOKEN_PREFIX = 'pdu_';
const CUSTOMER_SIGN_IN =
  'Sign in as a user of your organisation (POST /v1/customer/sessions) and send that bearer token; partner ' +
  'credentials are not accepted here.';

/** The customer session a 'customerPortal' route was called with. */
async function customerOf(request: FastifyRequest, db: Db): Promise<CustomerContext> {
  // A bearer token only: the console's cookie is a partner credential.
  const secret = bearerToken(request);
  if (!secret) throw new AppError('unauthenticated', { message: CUSTOMER_SIGN_IN });
  const sessionHash = hashSecret(secret);
  const found = await resolveCustomerSession(db, sessionHash);
  if (!found)
    throw new AppError('unauthenticated', {
      message: secret.startsWith(CUSTOMER_TOKEN_PREFIX)
        ? 'Your session is not valid or has expired; sign in again.'
        : CUSTOMER_SIGN_IN,
    });
  return {
    customerId: found.customer_id,
    customerName: found.customer_name,
    customerDomain: found.customer_domain,
    instance: found.instance,
    userId: found.user_id,
    userName: found.user_name,
    displayName: found.display_name,
    roles: found.roles,
    mustChangePassword: found.must_change_password,
    sessionHash,
    expiresAt: found.expires_at,
    requestId: String(request.id),
    correlationId: request.correlationId,
  };
}

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
    app.decorateRequest('customer', undefined);

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
      if (operation === 'customerPortal') {
        request.customer = await customerOf(request, opts.db);
        if (request.customer.mustChangePassword && !config.allowDuringPasswordChange)
          throw new AppError('passwordChangeRequired');
        return;
      }
      const header = bearerToken(request);
      const cookie = header ? undefined : request.cookies?.[SESSION_COOKIE];
      const secret = header ?? cookie;
      if (!secret) throw new AppError('unauthenticated');
      const found = await resolveCredential(opts.db, hashSecret(secret));
      if (!found || (cookie ? found.kind !== 'console' : found.kind === 'console'))
        throw new AppError('unauthenticated', {
          message: secret.startsWith(CUSTOMER_TOKEN_PREFIX)
            ? 'This is a customer’s sign-in token; partner operations need a partner credential.'
            : 'The token is not valid, has expired or was revoked; sign in again.',
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
