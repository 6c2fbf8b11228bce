// Query shapes of the API token lists (/v1/profiles/apitokens and /v1/apitokens): paging plus a sort field and
// order. The token resource itself is ApiTokenSchema in partners.schemas.ts.
import { Type } from 'typebox';
import { PageQuery } from '../../http/schemas.ts';

export const TOKEN_SORTS = ['name', 'createdAt', 'lastUsedAt', 'expiresAt'] as const;
export type TokenSort = (typeof TOKEN_SORTS)[number];
export const SORT_ORDERS = ['asc', 'desc'] as const;
export type TokenSortOrder = (typeof SORT_ORDERS)[number];

const literals = <T extends string>(values: readonly T[], description: string) =>
  Type.Enum([...values] as T[], { description });

export const ApiTokenListQuery = Type.Object({
  ...PageQuery,
  sort: Type.Optional(
    literals(
      TOKEN_SORTS,
      'Sort field (default createdAt). Never-used tokens count as used before any other (first in ' +
        'ascending lastUsedAt order), tokens without expiry as expiring after any other (last in ascending ' +
        'expiresAt order); ties are broken by id.',
    ),
  ),
  order: Type.Optional(literals(SORT_ORDERS, 'Sort order (default asc)')),
});
