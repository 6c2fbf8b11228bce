// Optimistic concurrency. A resource's ETag derives from its row version; `If-Match` on an update must match
// the current one or the update is refused with 412 and nothing is written. Repositories apply the check
// atomically (`where version = expected`), so two concurrent updates with the same ETag cannot both win.
import type { FastifyRequest } from 'fastify';
import { AppError } from '../lib/errors.ts';

export function etagOf(id: string, version: number): string {
  return `"${Buffer.from(`${id}:${version}`).toString('base64url')}"`;
}

/**
 * The version the request's If-Match header names for resource `id`, or undefined when absent (`*` = any); see
 * ifMatchVersion. `required`: absent (or `*`) is a 428.
 */
export function expectedVersion(request: FastifyRequest, id: string, required = false): number | undefined {
  const header = request.headers['if-match'];
  if (required && (header === undefined || header === '*')) throw new AppError('preconditionRequired');
  return ifMatchVersion(header, id);
}

/**
 * The version an If-Match value names for resource `id`, or undefined when absent (`*` = any). An ETag that is
 * not one of this resource's (another resource's, or not ours at all) names no version: 0, which matches none,
 * so the service answers as for any stale ETag — 404 when the caller cannot see the resource, else 412 with the
 * resource as it is now. For a service that learns the resource's id only from its row (the path may name it
 * another way), under the row's lock.
 */
export function ifMatchVersion(header: string | undefined, id: string): number | undefined {
  if (header === undefined || header === '*') return undefined;
  const tag = header.trim().replace(/^W\//, '');
  const m = /^"([A-Za-z0-9_-]+)"$/.exec(tag);
  const decoded = m ? Buffer.from(m[1]!, 'base64url').toString('utf8') : '';
  const sep = decoded.lastIndexOf(':');
  const version = Number(decoded.slice(sep + 1));
  if (sep < 0 || decoded.slice(0, sep) !== id || !Number.isInteger(version) || version < 1) return 0;
  return version;
}
