// The API's OpenAPI 3.1 document at GET /openapi.json and the Swagger UI page at /docs, both public.
// Every operation says who may call it: bearer security (bearerAuth) unless its config.operation is
// 'public', `x-operation` and `x-roles`, and a sentence naming the roles; writes say how MS-RequestId makes
// them idempotent; each operation states its rate limit. Routes with `schema.hide` stay out.
//
// Registration order: this plugin is registered before auth (see app.ts). @fastify/swagger collects routes
// in an onRoute hook, so it must exist before any route it documents; and the routes swagger-ui adds carry
// no config.operation, which auth's onRoute check would refuse. They are marked 'public' by an onRoute hook
// that lives only in the encapsulated context that registers swagger-ui, so no other route can be made
// public by it (a rule keyed on a /docs URL prefix in auth would be easier to get wrong).
// The page loads only same-origin scripts and styles, so it works under the CSP of request-context.plugin.ts.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifySchema, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config.ts';
import type { Operation } from '../modules/partners/roles.ts';
import { OPERATIONS, ROLE_LABELS } from '../modules/partners/roles.ts';

export const OPENAPI_PATH = '/openapi.json';
export const DOCS_PREFIX = '/docs';
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const DESCRIPTION = [
  'Partnerdesk manages cloud reseller partners’ customer accounts in the shape of the Partner Center REST API.',
  'Sign in at `POST /v1/auth/token` (or create an API token) and send `Authorization: Bearer <token>`.',
  'Request property names are matched case-insensitively. Errors share one envelope ' +
    '`{code, name, description, data, source, details, requestId}`.',
  'Any write accepts `MS-RequestId` (1–128 of `A-Z a-z 0-9 . _ : -`): repeating it with the same request ' +
    'returns the stored response with `MS-Idempotent-Replay: true`; with another request, 409.',
  'Rate limits are per partner (per client address before sign-in); responses carry `RateLimit-Limit`, ' +
    '`RateLimit-Remaining` and `RateLimit-Reset`, and a 429 carries `Retry-After`.',
].join('\n\n');

function rolesSentence(operation: Operation | undefined): string {
  if (!operation) return '';
  if (operation === 'public') return 'No sign-in needed.';
  if (operation === 'self') return 'Any signed-in partner user may call this.';
  if (operation === 'customerPortal')
    return 'Requires a customer session: the bearer token from POST /v1/customer/sessions (partner credentials are refused).';
  const labels = OPERATIONS[operation].map((r) => ROLE_LABELS[r]);
  return `Requires one of the roles: ${labels.join(', ')} (operation \`${operation}\`).`;
}

function rateLimitSentence(route: RouteOptions, config: Pick<Config, 'rateLimit'>): string {
  const own = route.config?.rateLimit;
  if (own === false) return 'Not rate limited.';
  if (own && typeof own.max === 'number')
    return `Rate limit: ${own.max} requests a minute per client address.`;
  return `Rate limit: ${config.rateLimit.perMinute} requests a minute per partner, shared by all operations.`;
}

/** The first path segment after /v1 (`/v1/customers/{id}` → customers). */
export function tagOf(url: string): string | undefined {
  return /^\/v1\/([^/{]+)/.exec(url)?.[1];
}

export default fp(
  async function openapiPlugin(
    app: FastifyInstance,
    opts: { config: Pick<Config, 'rateLimit' | 'publicUrl' | 'idempotencyTtlHours'> },
  ) {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: { title: 'Partnerdesk', version: 'v1', description: DESCRIPTION },
        servers: [{ url: opts.config.publicUrl }],
        components: {
          securitySchemes: {
            bearerAuth: {
              type: 'http',
              scheme: 'bearer',
              description:
                'An access token from POST /v1/auth/token, or an API token (pdk_…). The customer-facing ' +
                'operations take a customer session token from POST /v1/customer/sessions instead.',
            },
          },
        },
      },
      transform: ({ schema, url, route }) => {
        const operation = route.config?.operation;
        const methods = [route.method].flat();
        const isWrite = methods.some((m) => WRITE_METHODS.has(m));
        const tag = tagOf(url);
        const extra: Record<string, unknown> = {
          'x-operation': operation,
          'x-roles': operation ? [...OPERATIONS[operation]] : undefined,
        };
        const description = [
          schema?.description,
          rolesSentence(operation),
          isWrite && operation !== 'public' && operation !== 'customerPortal'
            ? 'Idempotent when MS-RequestId is sent; the same id with another request is a 409.'
            : '',
          rateLimitSentence(route, opts.config),
        ]
          .filter(Boolean)
          .join('\n\n');
        const out: FastifySchema & Record<string, unknown> = {
          ...schema,
          ...extra,
          description,
          ...(schema?.tags || !tag ? {} : { tags: [tag] }),
          ...(operation && operation !== 'public' ? { security: [{ bearerAuth: [] }] } : {}),
          // A body the handler streams has no schema Fastify validates; the document still shows it.
          ...(route.config?.streamedBody ? { body: { content: route.config.streamedBody.content } } : {}),
        };
        return { schema: out, url };
      },
      transformObject: (document) => {
        // Writes of signed-in callers document MS-RequestId as a header parameter.
        const openapiObject = 'openapiObject' in document ? document.openapiObject : document.swaggerObject;
        const doc = openapiObject as {
          paths?: Record<
            string,
            Record<string, { security?: unknown[]; parameters?: unknown[]; 'x-operation'?: string }>
          >;
          components?: { parameters?: Record<string, unknown> };
        };
        doc.components = {
          ...doc.components,
          parameters: {
            ...doc.components?.parameters,
            MSRequestId: {
              name: 'MS-RequestId',
              in: 'header',
              required: false,
              description: `Makes this write idempotent for ${opts.config.idempotencyTtlHours} hours (ids are per partner).`,
              schema: { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,128}$' },
            },
          },
        };
        for (const item of Object.values(doc.paths ?? {}))
          for (const [method, op] of Object.entries(item))
            if (
              WRITE_METHODS.has(method.toUpperCase()) &&
              op.security?.length &&
              op['x-operation'] !== 'customerPortal'
            )
              op.parameters = [...(op.parameters ?? []), { $ref: '#/components/parameters/MSRequestId' }];
        return openapiObject;
      },
    });

    app.get(
      OPENAPI_PATH,
      { config: { operation: 'public' }, schema: { hide: true } },
      async (_request, reply) => reply.type('application/json; charset=utf-8').send(app.swagger()),
    );

    await app.register(async function docs(scope) {
      scope.addHook('onRoute', (route) => {
        route.config = { ...route.config, operation: route.config?.operation ?? 'public' };
      });
      await scope.register(swaggerUi, {
        routePrefix: DOCS_PREFIX,
        // No call to the public validator badge service: the CSP allows our own origin only.
        uiConfig: { validatorUrl: null, deepLinking: true },
        theme: { title: 'Partnerdesk API' },
      });
    });
  },
  { name: 'openapi', dependencies: ['errors', 'request-context'] },
);
