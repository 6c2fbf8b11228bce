// Shapes every resource shares (PRODUCT.md "API conventions"): `attributes: {objectType, etag}` on each
// resource; collections as {totalCount, items, links: {self, next}, attributes: {objectType: "Collection"}}.
import type { FastifyRequest } from 'fastify';
import type { TSchema } from 'typebox';
import { Type } from 'typebox';
import { invalid } from '../lib/errors.ts';
import type { Page } from '../lib/paging.ts';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../lib/paging.ts';

export const Uuid = Type.String({ format: 'uuid', description: 'A GUID' });
export const IdParams = Type.Object({ id: Uuid });
export const DateTime = Type.String({ format: 'date-time' });

export const Attributes = (objectType: string, withEtag = true) =>
  Type.Object({
    objectType: Type.Literal(objectType),
    ...(withEtag ? { etag: Type.String({ description: 'Send back as If-Match to update' }) } : {}),
  });

export const Links = Type.Object({
  self: Type.Object({ uri: Type.String(), method: Type.Literal('GET') }),
  next: Type.Optional(
    Type.Object({
      uri: Type.String(),
      method: Type.Literal('GET'),
      headers: Type.Array(Type.Object({ key: Type.String(), value: Type.String() })),
    }),
  ),
});

export const Collection = <T extends TSchema>(item: T) =>
  Type.Object({
    totalCount: Type.Integer({ minimum: 0 }),
    items: Type.Array(item),
    links: Links,
    attributes: Type.Object({ objectType: Type.Literal('Collection') }),
  });

/** `size` and `continuationToken` query parameters of a list whose pages hold up to `max` items. */
export function pageQuery(max = MAX_PAGE_SIZE) {
  return {
    size: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: max,
        default: DEFAULT_PAGE_SIZE,
        description: max === MAX_PAGE_SIZE ? 'Page size' : `Page size (1–${max})`,
      }),
    ),
    continuationToken: Type.Optional(
      Type.String({ maxLength: 2000, description: 'From links.next; also accepted as MS-ContinuationToken' }),
    ),
  };
}

/** `size` and `continuationToken` query parameters, shared by every list. */
export const PageQuery = pageQuery();

export function pageRequest(
  request: FastifyRequest,
  query: { size?: number; continuationToken?: string },
  max = MAX_PAGE_SIZE,
) {
  const header = request.headers['ms-continuationtoken'];
  const size = query.size ?? DEFAULT_PAGE_SIZE;
  // The schema's bounds let one value through: "1e309", which type coercion turns into Infinity.
  if (!Number.isSafeInteger(size) || size < 1 || size > max)
    throw invalid({ field: 'querystring.size', reason: `must be a whole number from 1 to ${max}` });
  return {
    size,
    cursor: query.continuationToken ?? (typeof header === 'string' ? header : undefined),
  };
}

/** Builds the collection envelope; `links.next` repeats the request with the continuation token. */
export function collection<T>(request: FastifyRequest, page: Page<T>) {
  const url = new URL(request.url, 'http://x');
  // In whatever case the client spelled it (names match case-insensitively): a stale `ContinuationToken` left
  // beside the new one would make links.next a request with two tokens.
  for (const name of [...url.searchParams.keys()])
    if (name.toLowerCase() === 'continuationtoken') url.searchParams.delete(name);
  const self = `${url.pathname}${url.search}`;
  let next;
  if (page.next) {
    url.searchParams.set('continuationToken', page.next);
    next = {
      uri: `${url.pathname}${url.search}`,
      method: 'GET' as const,
      headers: [{ key: 'MS-ContinuationToken', value: page.next }],
    };
  }
  return {
    totalCount: page.totalCount,
    items: page.items,
    links: { self: { uri: self, method: 'GET' as const }, ...(next ? { next } : {}) },
    attributes: { objectType: 'Collection' as const },
  };
}
