// Long-lived API tokens: a partner user creates them for scripts, scoped to a subset of their own roles.
// The secret is returned once and stored only as a hash; a token acts with the roles it was given that its
// user still holds (auth_resolve_credential), and stops when revoked, expired or its user is deactivated.
import type { Db } from '../../db/database.ts';
import { inPartnerTransaction } from '../../db/database.ts';
import { etagOf } from '../../http/etag.ts';
import type { Clock } from '../../lib/clock.ts';
import type { CallerContext } from '../../lib/context.ts';
import { AppError, invalid } from '../../lib/errors.ts';
import type { Page } from '../../lib/paging.ts';
import type { CursorKey } from '../../lib/paging.ts';
import { decodeCursor, isCursorInstant, pageOf } from '../../lib/paging.ts';
import { hashSecret, newSecret } from '../../lib/tokens.ts';
import { record } from '../activity/activity.record.ts';
import * as repo from './apitokens.repository.ts';
import type { ApiTokenRow } from './apitokens.repository.ts';
import type { TokenSort, TokenSortOrder } from './apitokens.schemas.ts';
import { normaliseRoles } from './partners.service.ts';
import type { Role } from './roles.ts';
import { isRole } from './roles.ts';

const DAY_MS = 86_400_000;
export const MAX_TOKEN_DAYS = 730;

export interface ApiToken {
  id: string;
  name: string;
  prefix: string;
  roles: Role[];
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  owner: { id: string; userName: string };
  attributes: { objectType: 'ApiToken'; etag: string };
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface TokenListQuery {
  size: number;
  cursor?: string;
  sort?: TokenSort;
  order?: TokenSortOrder;
}

/**
 * The (sort key, id) position a continuation token of this sort carries. Its fingerprint binds it to the query
 * but is no secret, so the key is checked as our encoder writes it: a name as stored (1–100 characters, no NUL),
 * or an instant at microsecond precision — null only where the column may be null (never used, no expiry).
 */
function tokenCursor(sort: TokenSort, key: CursorKey | undefined): [string | null, string] | undefined {
  if (!key) return undefined;
  const [value, id] = key;
  const bad = () => new AppError('invalidContinuationToken');
  if (typeof id !== 'string' || !UUID.test(id)) throw bad();
  if (sort === 'name') {
    if (typeof value !== 'string' || value.length > 100 || value.includes('\u0000')) throw bad();
    return [value, id];
  }
  if (value === null && (sort === 'lastUsedAt' || sort === 'expiresAt')) return [null, id];
  if (!isCursorInstant(value, 6)) throw bad();
  return [value, id];
}

function toApiToken(row: ApiTokenRow): ApiToken {
  return {
    id: row.id,
    name: row.name,
    prefix: row.token_prefix,
    roles: row.roles.filter(isRole),
    createdAt: row.created_at.toISOString(),
    expiresAt: iso(row.expires_at),
    lastUsedAt: iso(row.last_used_at),
    revokedAt: iso(row.revoked_at),
    owner: { id: row.user_id, userName: row.owner_user_name },
    // A token changes once, when revoked.
    attributes: { objectType: 'ApiToken', etag: etagOf(row.id, row.revoked_at ? 2 : 1) },
  };
}

export function createApiTokensService(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;

  async function create(
    ctx: CallerContext,
    input: { name: string; roles: string[]; expiresInDays?: number | null },
  ): Promise<ApiToken & { token: string }> {
    const name = input.name.trim();
    if (name.length < 1 || name.length > 100)
      throw invalid({ field: 'name', reason: 'must be 1–100 characters' });
    const roles = normaliseRoles(input.roles);
    // ctx.roles are the creator's current roles (or, for a token creating a token, that token's roles).
    const notHeld = roles.filter((r) => !ctx.roles.includes(r));
    if (notHeld.length)
      throw new AppError('tokenRolesNotHeld', {
        details: [{ field: 'roles', reason: `you do not hold ${notHeld.join(', ')}` }],
        data: [{ rolesNotHeld: notHeld, rolesHeld: ctx.roles }],
      });
    const days = input.expiresInDays ?? null;
    if (days !== null && (!Number.isInteger(days) || days < 1 || days > MAX_TOKEN_DAYS))
      throw invalid({
        field: 'expiresInDays',
        reason: `must be a whole number of days from 1 to ${MAX_TOKEN_DAYS}`,
      });

    const secret = newSecret('pdk');
    const prefix = secret.slice(4, 12);
    const now = clock.now();
    let expiresAt = days === null ? null : new Date(now.getTime() + days * DAY_MS);
    // A token made with a token lives no longer than it, as it carries no more roles: otherwise a leaked
    // short-lived token could mint itself a permanent successor.
    const parentExpiry = ctx.credential.kind === 'apiToken' ? ctx.credential.expiresAt : null;
    if (parentExpiry && (expiresAt === null || expiresAt > parentExpiry)) expiresAt = parentExpiry;
    return inPartnerTransaction(db, ctx.partnerId, async (trx) => {
      const id = await repo.insertToken(trx, {
        partnerId: ctx.partnerId,
        userId: ctx.userId,
        name,
        tokenHash: hashSecret(secret),
        prefix,
        roles,
        createdAt: now,
        expiresAt,
      });
      await record(trx, ctx, {
        action: 'apiToken.create',
        resourceType: 'ApiToken',
        resourceId: id,
        details: { name, prefix, roles, expiresAt: iso(expiresAt) },
      });
      const row = await repo.getToken(trx, ctx.partnerId, id);
      return { ...toApiToken(row!), token: secret };
    });
  }

  function list(ctx: CallerContext, ownerId: string | undefined, query: TokenListQuery) {
    const sort = { by: query.sort ?? 'createdAt', order: query.order ?? 'asc' } as const;
    // The scope binds a continuation token to this partner, this list (own or all) and this sort.
    const scope = ['apiTokens', ctx.partnerId, ownerId ?? '*', sort.by, sort.order];
    const after = tokenCursor(sort.by, decodeCursor(query.cursor, scope, 2));
    return inPartnerTransaction(db, ctx.partnerId, (trx) =>
      pageOf(
        query.size,
        scope,
        (limit) => repo.listTokens(trx, ctx.partnerId, ownerId, sort, after, limit),
        (row) => [row.sort_key, row.id],
        toApiToken,
        () => repo.countTokens(trx, ctx.partnerId, ownerId),
      ),
    );
  }

  /** Revokes one token; `ownerId` restricts it to the caller's own. Revoking a revoked token is fine. */
  async function revoke(ctx: CallerContext, id: string, ownerId: string | undefined): Promise<void> {
    await inPartnerTransaction(db, ctx.partnerId, async (trx) => {
      const token = await repo.getToken(trx, ctx.partnerId, id, ownerId);
      if (!token) throw new AppError('apiTokenNotFound');
      if (!(await repo.revokeToken(trx, ctx.partnerId, id, clock.now()))) return;
      await record(trx, ctx, {
        action: 'apiToken.revoke',
        resourceType: 'ApiToken',
        resourceId: id,
        details: { name: token.name, prefix: token.token_prefix, owner: token.owner_user_name },
      });
    });
  }

  return {
    create,
    /** The caller's own tokens. */
    listOwn: (ctx: CallerContext, query: TokenListQuery): Promise<Page<ApiToken>> =>
      list(ctx, ctx.userId, query),
    revokeOwn: (ctx: CallerContext, id: string) => revoke(ctx, id, ctx.userId),
    /** Every token of the partner with its owner (partnerUsers.manage). */
    listAll: (ctx: CallerContext, query: TokenListQuery): Promise<Page<ApiToken>> =>
      list(ctx, undefined, query),
    revokeAny: (ctx: CallerContext, id: string) => revoke(ctx, id, undefined),
  };
}

export type ApiTokensService = ReturnType<typeof createApiTokensService>;
