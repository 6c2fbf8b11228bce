// One error envelope for every failure: {code, name, description, data, source, details, requestId}.
// AppError carries a catalog name; framework errors (validation, bad JSON, size) are mapped to catalog codes;
// anything else is a 500 that is logged in full and leaks nothing.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { Type } from 'typebox';
import type { ErrorName, FieldIssue } from '../lib/errors.ts';
import { AppError } from '../lib/errors.ts';
import { applyContextHeaders } from './request-context.plugin.ts';

export const ErrorSchema = Type.Object(
  {
    code: Type.Integer({ description: 'Stable numeric code from the error catalog' }),
    name: Type.String({ description: 'Stable symbolic name of the code' }),
    description: Type.String(),
    data: Type.Array(Type.Unknown()),
    source: Type.String(),
    details: Type.Array(Type.Object({ field: Type.String(), reason: Type.String() })),
    requestId: Type.String(),
  },
  { $id: 'Error', description: 'Error envelope' },
);

export function errorBody(request: FastifyRequest, err: AppError) {
  return {
    code: err.code,
    name: err.errorName,
    description: err.message,
    data: err.extra.data ?? [],
    source: 'Partnerdesk',
    details: err.extra.details ?? [],
    requestId: String(request.id),
  };
}

export function sendError(request: FastifyRequest, reply: FastifyReply, err: AppError): FastifyReply {
  if (err.extra.headers) reply.headers(err.extra.headers);
  return reply.code(err.status).type('application/json; charset=utf-8').send(errorBody(request, err));
}

type AjvIssue = NonNullable<FastifyError['validation']>[number];

/**
 * A union of literals (`'succeeded' | 'failed'`, `language | null`) fails with one error per branch ("must be
 * equal to constant", twice) and then "must match a schema in anyOf", none naming what is allowed. When every
 * branch is a constant, an enum or null, they become one issue that lists the allowed values; so does an enum.
 * A value that may also be null (`Uuid | null`) keeps only the other branch's issues, each saying null would do.
 */
function mergeLiteralUnions(errors: readonly AjvIssue[]): AjvIssue[] {
  let out: AjvIssue[] = [];
  for (const e of errors) {
    // AJV reports the branches' errors just before the anyOf error that sums them up.
    const branches =
      e.keyword === 'anyOf'
        ? out.filter((b) => b.instancePath === e.instancePath && b.schemaPath.startsWith(`${e.schemaPath}/`))
        : [];
    const allowed: string[] = [];
    const literal =
      branches.length > 0 &&
      branches.every((b) => {
        const params = b.params as Record<string, unknown>;
        if (b.keyword === 'const') allowed.push(JSON.stringify(params.allowedValue));
        else if (b.keyword === 'enum' && Array.isArray(params.allowedValues))
          allowed.push(...params.allowedValues.map((v) => JSON.stringify(v)));
        else if (b.keyword === 'type' && params.type === 'null') allowed.push('null');
        else return false;
        return true;
      });
    // `Uuid | null` and the like: the other branch's own errors, saying null would do too.
    const nullable = branches.filter((b) => b.keyword === 'type' && b.params.type === 'null');
    const others = branches.filter((b) => !nullable.includes(b));
    const branchOf = (b: AjvIssue) => b.schemaPath.slice(e.schemaPath.length + 1).split('/')[0];
    const params = e.params as Record<string, unknown>;
    if (literal) {
      out = out.filter((o) => !branches.includes(o));
      out.push({ ...e, message: `must be one of ${allowed.join(', ')}` });
    } else if (nullable.length === 1 && others.length > 0 && new Set(others.map(branchOf)).size === 1) {
      out = out.filter((o) => !branches.includes(o));
      out.push(...others.map((o) => ({ ...o, message: `${o.message ?? 'is not valid'}, or be null` })));
    } else if (e.keyword === 'enum' && Array.isArray(params.allowedValues))
      // "must be equal to one of the allowed values" does not say which.
      out.push({
        ...e,
        message: `must be one of ${params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`,
      });
    else out.push(e);
  }
  return out;
}

/** A JSON pointer as services name fields: `/lineItems/0/quantity` → `lineItems[0].quantity`. */
function fieldPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((seg) => seg.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce((path, seg) => (/^\d+$/.test(seg) ? `${path}[${seg}]` : path ? `${path}.${seg}` : seg), '');
}

/** Turns an AJV error list into field issues: `/companyProfile/domain` → `companyProfile.domain`. */
function validationDetails(err: FastifyError): FieldIssue[] {
  const where = err.validationContext ?? 'body';
  return mergeLiteralUnions(err.validation ?? []).map((v) => {
    const base = fieldPath(v.instancePath);
    const params = v.params as Record<string, unknown>;
    const missing = typeof params.missingProperty === 'string' ? params.missingProperty : undefined;
    const extra = typeof params.additionalProperty === 'string' ? params.additionalProperty : undefined;
    const field = [base, missing ?? extra].filter(Boolean).join('.') || where;
    const reason = extra
      ? 'is not a known property'
      : missing
        ? 'is required'
        : (v.message ?? 'is not valid');
    return { field: where === 'body' ? field : `${where}.${field}`, reason };
  });
}

export function toAppError(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  const err = error as FastifyError;
  if (err?.validation) return new AppError('validationFailed', { details: validationDetails(err) });
  const status = typeof err?.statusCode === 'number' ? err.statusCode : 500;
  const byCode: Record<string, ErrorName> = {
    FST_ERR_CTP_BODY_TOO_LARGE: 'bodyTooLarge',
    FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupportedMediaType',
    FST_ERR_CTP_INVALID_JSON_BODY: 'malformedJson',
    FST_ERR_CTP_EMPTY_JSON_BODY: 'malformedJson',
    FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'malformedJson',
  };
  const name = err?.code ? byCode[err.code] : undefined;
  if (name) return new AppError(name);
  // Refused by the router before any route or hook runs (see frameworkErrorHandler).
  if (err?.code === 'FST_ERR_BAD_URL')
    return new AppError('validationFailed', { message: 'The URL is not validly percent-encoded.' });
  if (err?.code === 'FST_ERR_MAX_PARAM_LENGTH')
    return new AppError('validationFailed', { message: 'A path segment of the URL is too long.' });
  if (status === 413) return new AppError('bodyTooLarge');
  if (status === 415) return new AppError('unsupportedMediaType');
  if (err instanceof SyntaxError && status === 400) return new AppError('malformedJson');
  if (status >= 400 && status < 500) return new AppError('validationFailed', { message: err.message });
  return undefined;
}

/**
 * For Fastify's `frameworkErrors` option: errors the router raises before any route, hook or error handler
 * is involved (a badly encoded URL, an over-long path parameter) get the envelope too, and the ids and
 * security headers that no onRequest hook has run to set.
 */
export function frameworkErrorHandler(opts: { hsts: boolean }) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    applyContextHeaders(request, reply, opts);
    return sendError(request, reply, toAppError(error) ?? new AppError('internal'));
  };
}

export default fp(
  async function errorsPlugin(app: FastifyInstance) {
    app.addSchema(ErrorSchema);
    app.setErrorHandler((error, request, reply) => {
      const appError = toAppError(error);
      if (appError) {
        if (appError.status >= 500) request.log.error({ err: error }, 'request failed');
        return sendError(request, reply, appError);
      }
      const unavailable = isDatabaseUnavailable(error);
      request.log.error({ err: error }, unavailable ? 'database unavailable' : 'unhandled error');
      return sendError(request, reply, new AppError(unavailable ? 'serviceUnavailable' : 'internal'));
    });
    app.setNotFoundHandler((request, reply) => sendError(request, reply, new AppError('routeNotFound')));
  },
  { name: 'errors' },
);

function isDatabaseUnavailable(error: unknown): boolean {
  const code = (error as { code?: string })?.code;
  return code === 'ECONNREFUSED' || code === '57P01' || code === '57P03' || code === '53300';
}
