// Partner organisations (operator side), partner users and roles, and the caller's own profile.
// Request-path functions take the CallerContext first and run in inPartnerTransaction, so row-level security
// hides every other partner (another partner's ids are simply "not found"). Operator functions have no
// caller: they run on the owner connection, still inside the partner's transaction where there is one.
import { randomUUID } from 'node:crypto';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import { inPartnerTransaction } from '../../db/database.ts';
import { etagOf } from '../../http/etag.ts';
import type { Clock } from '../../lib/clock.ts';
import type { CallerContext } from '../../lib/context.ts';
import { AppError, invalid } from '../../lib/errors.ts';
import type { FieldIssue } from '../../lib/errors.ts';
import type { CursorKey, Page } from '../../lib/paging.ts';
import { decodeCreatedCursor, decodeCursor, pageOf } from '../../lib/paging.ts';
import { hashPassword, passwordIssues, temporaryPassword } from '../../lib/passwords.ts';
import { EMAIL } from '../../lib/text.ts';
import type { Actor } from '../activity/activity.record.ts';
import { record, recordAs } from '../activity/activity.record.ts';
import type { Capability, Instance, InstanceId, InstanceService } from '../instances/instances.ts';
import { isInstanceId } from '../instances/instances.ts';
import { findUserForSignIn } from './auth.repository.ts';
import type { Language } from './partners.schemas.ts';
import { LANGUAGES } from './partners.schemas.ts';
import * as repo from './partners.repository.ts';
import type { PartnerRow, PartnerUserRow, SortOrder, UserChanges, UserSort } from './partners.repository.ts';
import type { Role } from './roles.ts';
import { AGENT_ROLES, ROLES, isRole } from './roles.ts';

import { PARTNER_KINDS } from './partners.kinds.ts';
import type { PartnerKind } from './partners.kinds.ts';

export { PARTNER_KINDS };
export type { PartnerKind };

const OPERATOR: Actor = { kind: 'operator', name: 'operator' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// ── API shapes ──

export interface InstanceView {
  id: InstanceId;
  name: string;
  domainSuffix: string;
  policy: Record<Capability, boolean>;
}

export interface PartnerView {
  id: string;
  name: string;
  country: string;
  kind: PartnerKind;
  state: 'active' | 'inactive';
  createdAt: string;
  instance: InstanceView;
  attributes: { objectType: 'Partner'; etag: string };
}

export interface PartnerUser {
  id: string;
  userName: string;
  displayName: string;
  roles: Role[];
  state: 'active' | 'inactive';
  language: Language | null;
  mustChangePassword: boolean;
  lockedUntil: string | null;
  lastSignInAt: string | null;
  createdAt: string;
  updatedAt: string;
  attributes: { objectType: 'PartnerUser'; etag: string };
}

export interface Profile {
  id: string;
  userName: string;
  displayName: string;
  roles: Role[];
  language: Language | null;
  mustChangePassword: boolean;
  credentialKind: CallerContext['credential']['kind'];
  partner: { id: string; name: string; instance: InstanceId; kind: PartnerKind; country: string };
  instance: InstanceView;
  attributes: { objectType: 'PartnerUserProfile'; etag: string };
}

export interface PasswordReset {
  id: string;
  userName: string;
  temporaryPassword: string;
  mustChangePassword: true;
  attributes: { objectType: 'PartnerUserPasswordReset' };
}

export interface CreatePartnerInput {
  name: string;
  country: string;
  instance: string;
  kind: string;
  adminEmail: string;
  adminDisplayName?: string;
}

export interface UserListQuery {
  size: number;
  cursor?: string;
  q?: string;
  role?: Role;
  state?: 'active' | 'inactive';
  sort?: UserSort;
  order?: SortOrder;
}

export interface UserUpdate {
  displayName?: string;
  roles?: string[];
  state?: 'active' | 'inactive';
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const isLanguage = (v: string | null): v is Language =>
  v !== null && (LANGUAGES as readonly string[]).includes(v);

function rolesOf(row: { roles: string[] }): Role[] {
  return row.roles.filter(isRole);
}

/** The user fields an activity record shows as before/after (never passwords or hashes). */
function auditView(row: Pick<PartnerUserRow, 'display_name' | 'roles' | 'state'>) {
  return { displayName: row.display_name, roles: row.roles, state: row.state };
}

// ── input checks ──

export function normaliseUserName(raw: string, field = 'userName'): string {
  const userName = raw.trim().toLowerCase();
  if (userName.length < 3 || userName.length > 254 || !EMAIL.test(userName))
    throw invalid({ field, reason: 'must be an email address' });
  return userName;
}

function normaliseDisplayName(raw: string, field = 'displayName'): string {
  const name = raw.trim();
  if (name.length < 1 || name.length > 100) throw invalid({ field, reason: 'must be 1–100 characters' });
  return name;
}

/** Known roles, each once, at least one, at most one agent role. */
export function normaliseRoles(raw: readonly string[], field = 'roles'): Role[] {
  const issues: FieldIssue[] = [];
  const unknown = raw.filter((r) => !isRole(r));
  if (unknown.length)
    issues.push({ field, reason: `unknown role ${unknown.join(', ')}; known: ${ROLES.join(', ')}` });
  const roles = ROLES.filter((r) => raw.includes(r));
  if (roles.length === 0 && unknown.length === 0)
    issues.push({ field, reason: 'must name at least one role' });
  const agents = roles.filter((r) => AGENT_ROLES.includes(r));
  if (agents.length > 1)
    issues.push({ field, reason: `at most one agent role may be held, got ${agents.join(', ')}` });
  if (issues.length) throw invalid(...issues);
  return roles;
}

function isGlobalAdmin(roles: readonly string[]): boolean {
  return roles.includes('globalAdmin');
}

/** Only a Global admin may hand out, take away or act on the Global admin role. */
function assertMayTouchGlobalAdmin(ctx: CallerContext, what: string): void {
  if (!isGlobalAdmin(ctx.roles))
    throw new AppError('forbidden', {
      message: `Only a Global admin may ${what}.`,
      data: [{ requiredRole: 'globalAdmin' }],
    });
}

/** A (text, id) keyset cursor: the text as stored (at most 254 characters, no NUL), then a GUID. */
function textKeysetCursor(key: CursorKey | undefined): [string, string] | undefined {
  if (!key) return undefined;
  const [text, id] = key;
  if (typeof text !== 'string' || text.length > 254 || text.includes('\u0000'))
    throw new AppError('invalidContinuationToken');
  if (typeof id !== 'string' || !UUID.test(id)) throw new AppError('invalidContinuationToken');
  return [text, id];
}

// ── the service ──

export interface PartnersServiceDeps {
  /** The app role: every request-path call. */
  db: Db;
  /** The owner connection: operator tasks only (CLI, demo seed). */
  owner: Db;
  config: Config;
  clock: Clock;
  instances: InstanceService;
}

export function createPartnersService(deps: PartnersServiceDeps) {
  const { db, owner, clock, instances } = deps;

  function instanceView(id: InstanceId): InstanceView {
    const i: Instance = instances.get(id);
    return { id: i.id, name: i.name, domainSuffix: i.domainSuffix, policy: { ...i.policy } };
  }

  function toPartner(row: PartnerRow): PartnerView {
    return {
      id: row.id,
      name: row.name,
      country: row.country.trim(),
      kind: row.kind,
      state: row.state,
      createdAt: row.created_at.toISOString(),
      instance: instanceView(row.instance),
      attributes: { objectType: 'Partner', etag: etagOf(row.id, row.version) },
    };
  }

  function toUser(row: PartnerUserRow): PartnerUser {
    const now = clock.now();
    return {
      id: row.id,
      userName: row.user_name,
      displayName: row.display_name,
      roles: rolesOf(row),
      state: row.state,
      language: isLanguage(row.language) ? row.language : null,
      mustChangePassword: row.must_change_password,
      lockedUntil: row.locked_until && row.locked_until > now ? row.locked_until.toISOString() : null,
      lastSignInAt: iso(row.last_sign_in_at),
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
      attributes: { objectType: 'PartnerUser', etag: etagOf(row.id, row.version) },
    };
  }

  function toProfile(ctx: CallerContext, user: PartnerUserRow, partner: repo.ProfilePartner): Profile {
    return {
      id: user.id,
      userName: user.user_name,
      displayName: user.display_name,
      // What this credential may do: an API token acts only with its own roles.
      roles: ctx.roles,
      language: isLanguage(user.language) ? user.language : null,
      mustChangePassword: user.must_change_password,
      credentialKind: ctx.credential.kind,
      partner: {
        id: partner.id,
        name: partner.name,
        instance: partner.instance,
        kind: partner.kind,
        country: partner.country.trim(),
      },
      instance: instanceView(partner.instance),
      attributes: { objectType: 'PartnerUserProfile', etag: etagOf(user.id, user.version) },
    };
  }

  /** A 412 that tells the caller the current state, so a client can show it and retry. */
  function stale(current: PartnerUserRow): AppError {
    return new AppError('preconditionFailed', { data: [toUser(current)] });
  }

  // ── operator ──

  async function createPartner(
    input: CreatePartnerInput,
    opts: { password?: string; mustChangePassword?: boolean } = {},
  ): Promise<{ partner: PartnerView; admin: { id: string; userName: string }; temporaryPassword?: string }> {
    const issues: FieldIssue[] = [];
    const name = input.name.trim();
    if (name.length < 1 || name.length > 200)
      issues.push({ field: 'name', reason: 'must be 1–200 characters' });
    const country = input.country.trim().toUpperCase();
    if (!/^[A-Z]{2}$/.test(country))
      issues.push({ field: 'country', reason: 'must be an ISO 3166 alpha-2 code such as US' });
    const instance = input.instance.trim().toLowerCase();
    if (!isInstanceId(instance))
      issues.push({
        field: 'instance',
        reason: `must be one of ${instances
          .list()
          .map((i) => i.id)
          .join(', ')}`,
      });
    const kind = PARTNER_KINDS.find((k) => k.toLowerCase() === input.kind.trim().toLowerCase());
    if (!kind) issues.push({ field: 'kind', reason: `must be one of ${PARTNER_KINDS.join(', ')}` });
    let adminEmail = '';
    try {
      adminEmail = normaliseUserName(input.adminEmail, 'adminEmail');
    } catch (err) {
      issues.push(...((err as AppError).extra.details ?? []));
    }
    let displayName = adminEmail.split('@')[0] || 'Global admin';
    if (input.adminDisplayName !== undefined) {
      displayName = input.adminDisplayName.trim();
      if (displayName.length < 1 || displayName.length > 100)
        issues.push({ field: 'adminDisplayName', reason: 'must be 1–100 characters' });
    }
    if (opts.password !== undefined) {
      const weak = passwordIssues(opts.password, 'password', adminEmail || undefined);
      if (weak.length) throw new AppError('passwordTooWeak', { details: weak });
    }
    if (issues.length || !kind || !isInstanceId(instance)) throw invalid(...issues);

    const generated = opts.password === undefined ? temporaryPassword() : undefined;
    const mustChange = opts.password === undefined ? true : (opts.mustChangePassword ?? true);
    const passwordHash = await hashPassword(opts.password ?? generated!);
    const id = randomUUID();
    const now = clock.now();
    // The partner's own transaction: row-level security accepts its rows even on a non-superuser owner.
    return inPartnerTransaction(owner, id, async (trx) => {
      const partner = await repo.insertPartner(trx, { id, name, country, instance, kind, now });
      const admin = await repo.insertUser(trx, {
        partnerId: id,
        userName: adminEmail,
        displayName,
        passwordHash,
        mustChangePassword: mustChange,
        roles: ['globalAdmin'],
        now,
      });
      if (!admin)
        throw new AppError('userNameTaken', {
          details: [{ field: 'adminEmail', reason: 'is already the user name of another partner user' }],
        });
      await recordAs(trx, id, OPERATOR, {
        action: 'partner.create',
        resourceType: 'Partner',
        resourceId: id,
        details: { after: { name, country, instance, kind } },
      });
      await recordAs(trx, id, OPERATOR, {
        action: 'partnerUser.create',
        resourceType: 'PartnerUser',
        resourceId: admin.id,
        details: { userName: admin.user_name, after: auditView(admin) },
      });
      return {
        partner: toPartner(partner),
        admin: { id: admin.id, userName: admin.user_name },
        ...(generated ? { temporaryPassword: generated } : {}),
      };
    });
  }

  /** Every partner of the installation (the owner connection must see across partners). */
  async function listPartners(): Promise<PartnerView[]> {
    return (await repo.listPartners(owner)).map(toPartner);
  }

  async function findPartnerById(id: string): Promise<PartnerView | undefined> {
    if (!UUID.test(id)) return undefined;
    const row = await inPartnerTransaction(owner, id, (trx) => repo.getPartner(trx, id));
    return row ? toPartner(row) : undefined;
  }

  /** The oldest partner with this name (case-insensitive); names are not unique, ids are. */
  async function findPartnerByName(name: string): Promise<PartnerView | undefined> {
    const rows = await repo.findPartnersByName(owner, name.trim());
    return rows[0] ? toPartner(rows[0]) : undefined;
  }

  /** Which partner a user name belongs to (user names are unique across the installation). */
  async function findUserPartner(
    userName: string,
  ): Promise<{ partnerId: string; userId: string } | undefined> {
    const found = await findUserForSignIn(owner, userName.trim().toLowerCase());
    return found ? { partnerId: found.partner_id, userId: found.id } : undefined;
  }

  async function listPartnerUsers(partnerId: string): Promise<PartnerUser[]> {
    if (!UUID.test(partnerId)) throw new AppError('partnerNotFound');
    return inPartnerTransaction(owner, partnerId, async (trx) => {
      if (!(await repo.getPartner(trx, partnerId))) throw new AppError('partnerNotFound');
      return (await repo.listUsersOfPartner(trx, partnerId)).map(toUser);
    });
  }

  /** Operator reset: a new temporary password (returned once), sessions ended, lockout cleared. */
  async function resetPartnerUserPassword(
    partnerId: string,
    userName: string,
  ): Promise<{ userId: string; userName: string; temporaryPassword: string }> {
    if (!UUID.test(partnerId)) throw new AppError('partnerNotFound');
    const password = temporaryPassword();
    const passwordHash = await hashPassword(password);
    return inPartnerTransaction(owner, partnerId, async (trx) => {
      const id = await repo.findUserIdByName(trx, partnerId, userName.trim());
      const current = id && (await repo.lockUser(trx, partnerId, id));
      if (!current) throw new AppError('partnerUserNotFound');
      await repo.updateUser(
        trx,
        partnerId,
        current.id,
        undefined,
        { passwordHash, mustChangePassword: true, passwordChangedAt: null, unlock: true },
        clock.now(),
      );
      const ended = await repo.revokeUserSessions(trx, partnerId, current.id);
      await recordAs(trx, partnerId, OPERATOR, {
        action: 'partnerUser.resetPassword',
        resourceType: 'PartnerUser',
        resourceId: current.id,
        details: { userName: current.user_name, sessionsEnded: ended },
      });
      return { userId: current.id, userName: current.user_name, temporaryPassword: password };
    });
  }

  // ── the caller's own profile and organisation ──

  async function me(ctx: CallerContext): Promise<Profile> {
    return inPartnerTransaction(db, ctx.partnerId, async (trx) => {
      const found = await repo.getUserWithPartner(trx, ctx.partnerId, ctx.userId);
      if (!found) throw new AppError('unauthenticated');
      return toProfile(ctx, found.user, found.partner);
    });
  }

  async function updateMe(
    ctx: CallerContext,
    input: { displayName?: string; language?: string | null },
    expectedVersion?: number,
  ): Promise<Profile> {
    const changes: UserChanges = {};
    if (input.displayName !== undefined) changes.displayName = normaliseDisplayName(input.displayName);
    if (input.language !== undefined) {
      if (input.language !== null && !isLanguage(input.language))
        throw invalid({ field: 'language', reason: `must be one of ${LANGUAGES.join(', ')}` });
      changes.language = input.language;
    }
    return inPartnerTransaction(db, ctx.partnerId, async (trx) => {
      const [current, partner] = await Promise.all([
        repo.lockUser(trx, ctx.partnerId, ctx.userId),
        repo.getPartner(trx, ctx.partnerId),
      ]);
      if (!current || !partner) throw new AppError('unauthenticated');
      if (expectedVersion !== undefined && current.version !== expectedVersion)
        throw new AppError('preconditionFailed', { data: [toProfile(ctx, current, partner)] });
      const before = { displayName: current.display_name, language: current.language };
      const after = { displayName: changes.displayName ?? before.displayName, language: before.language };
      if (changes.language !== undefined) after.language = changes.language;
      if (after.displayName === before.displayName && after.language === before.language)
        return toProfile(ctx, current, partner);
      const updated = await repo.updateUser(
        trx,
        ctx.partnerId,
        ctx.userId,
        current.version,
        changes,
        clock.now(),
      );
      if (!updated) throw new AppError('preconditionFailed');
      await record(trx, ctx, {
        action: 'partnerUser.updateProfile',
        resourceType: 'PartnerUser',
        resourceId: ctx.userId,
        details: { userName: current.user_name, before, after },
      });
      return toProfile(ctx, updated, partner);
    });
  }

  async function myPartner(ctx: CallerContext): Promise<PartnerView> {
    const row = await inPartnerTransaction(db, ctx.partnerId, (trx) => repo.getPartner(trx, ctx.partnerId));
    if (!row) throw new AppError('partnerNotFound');
    return toPartner(row);
  }

  // ── partner users (operation partnerUsers.manage) ──

  async function listUsers(ctx: CallerContext, query: UserListQuery): Promise<Page<PartnerUser>> {
    const filter = { q: query.q?.trim() || undefined, role: query.role, state: query.state };
    const sort = { by: query.sort ?? 'createdAt', order: query.order ?? 'asc' } as const;
    // The scope binds a continuation token to this partner, these filters and this sort.
    const scope = ['partnerUsers', ctx.partnerId, filter, sort.by, sort.order];
    const after =
      sort.by === 'createdAt'
        ? decodeCreatedCursor(query.cursor, scope)
        : textKeysetCursor(decodeCursor(query.cursor, scope, 2));
    return inPartnerTransaction(db, ctx.partnerId, (trx) =>
      pageOf(
        query.size,
        scope,
        (limit) => repo.listUsers(trx, ctx.partnerId, filter, sort, after, limit),
        (row) => [
          sort.by === 'createdAt'
            ? row.cursor_at
            : sort.by === 'displayName'
              ? row.display_name
              : row.user_name,
          row.id,
        ],
        toUser,
        () => repo.countUsers(trx, ctx.partnerId, filter),
      ),
    );
  }

  async function getUser(ctx: CallerContext, id: string): Promise<PartnerUser> {
    const row = await inPartnerTransaction(db, ctx.partnerId, (trx) => repo.getUser(trx, ctx.partnerId, id));
    if (!row) throw new AppError('partnerUserNotFound');
    return toUser(row);
  }

  async function createUser(
    ctx: CallerContext,
    input: { userName: string; displayName: string; roles: string[] },
  ): Promise<PartnerUser & { temporaryPassword: string }> {
    const issues: FieldIssue[] = [];
    const collect = <T>(fn: () => T): T | undefined => {
      try {
        return fn();
      } catch (err) {
        if (err instanceof AppError && err.errorName === 'validationFailed')
          issues.push(...(err.extra.details ?? []));
        else throw err;
        return undefined;
      }
    };
    const userName = collect(() => normaliseUserName(input.userName));
    const displayName = collect(() => normaliseDisplayName(input.displayName));
    const roles = collect(() => normaliseRoles(input.roles));
    if (issues.length || !userName || !displayName || !roles) throw invalid(...issues);
    if (isGlobalAdmin(roles)) assertMayTouchGlobalAdmin(ctx, 'grant the Global admin role');

    const password = temporaryPassword();
    const passwordHash = await hashPassword(password);
    return inPartnerTransaction(db, ctx.partnerId, async (trx) => {
      const row = await repo.insertUser(trx, {
        partnerId: ctx.partnerId,
        userName,
        displayName,
        passwordHash,
        mustChangePassword: true,
        roles,
        now: clock.now(),
      });
      if (!row)
        throw new AppError('userNameTaken', { details: [{ field: 'userName', reason: 'is already taken' }] });
      await record(trx, ctx, {
        action: 'partnerUser.create',
        resourceType: 'PartnerUser',
        resourceId: row.id,
        details: { userName, after: auditView(row) },
      });
      return { ...toUser(row), temporaryPassword: password };
    });
  }

  async function updateUser(
    ctx: CallerContext,
    id: string,
    input: UserUpdate,
    expectedVersion?: number,
  ): Promise<PartnerUser> {
    const changes: UserChanges = {};
    if (input.displayName !== undefined) changes.displayName = normaliseDisplayName(input.displayName);
    if (input.roles !== undefined) changes.roles = normaliseRoles(input.roles);
    if (input.state !== undefined) changes.state = input.state;

    return inPartnerTransaction(db, ctx.partnerId, async (trx) => {
      // Partner first, then the user: one lock order for every change of a partner's users.
      await repo.lockPartnerForUserChanges(trx, ctx.partnerId);
      const current = await repo.lockUser(trx, ctx.partnerId, id);
      if (!current) throw new AppError('partnerUserNotFound');
      if (expectedVersion !== undefined && current.version !== expectedVersion) throw stale(current);

      const beforeRoles = current.roles;
      const afterRoles = changes.roles ?? beforeRoles;
      const removed = beforeRoles.filter((r) => !afterRoles.includes(r));
      const added = afterRoles.filter((r) => !beforeRoles.includes(r));
      const afterState = changes.state ?? current.state;
      const deactivating = current.state === 'active' && afterState === 'inactive';

      if (id === ctx.userId && (deactivating || removed.length > 0)) throw new AppError('cannotChangeSelf');
      if (added.includes('globalAdmin') || removed.includes('globalAdmin'))
        assertMayTouchGlobalAdmin(ctx, 'grant or remove the Global admin role');
      if (afterState !== current.state && isGlobalAdmin(beforeRoles))
        assertMayTouchGlobalAdmin(ctx, 'activate or deactivate a Global admin');

      const wasActiveAdmin = current.state === 'active' && isGlobalAdmin(beforeRoles);
      const staysActiveAdmin = afterState === 'active' && isGlobalAdmin(afterRoles);
      if (wasActiveAdmin && !staysActiveAdmin) {
        if ((await repo.countOtherActiveGlobalAdmins(trx, ctx.partnerId, id)) === 0)
          throw new AppError('lastGlobalAdmin');
      }

      const before = auditView(current);
      const after = {
        displayName: changes.displayName ?? current.display_name,
        roles: afterRoles,
        state: afterState,
      };
      const unchanged =
        after.displayName === before.displayName &&
        after.state === before.state &&
        added.length === 0 &&
        removed.length === 0 &&
        afterRoles.join() === beforeRoles.join();
      if (unchanged) return toUser(current);

      const updated = await repo.updateUser(trx, ctx.partnerId, id, current.version, changes, clock.now());
      if (!updated) throw stale(current);
      // Deactivation ends sign-in sessions and revokes API tokens now, so reactivating the user later does not
      // bring old credentials back to life.
      const sessionsEnded = deactivating ? await repo.revokeUserSessions(trx, ctx.partnerId, id) : 0;
      const tokensRevoked = deactivating
        ? await repo.revokeUserApiTokens(trx, ctx.partnerId, id, clock.now())
        : 0;
      await record(trx, ctx, {
        action: 'partnerUser.update',
        resourceType: 'PartnerUser',
        resourceId: id,
        details: {
          userName: current.user_name,
          before,
          after,
          ...(deactivating ? { sessionsEnded, tokensRevoked } : {}),
        },
      });
      return toUser(updated);
    });
  }

  async function resetPassword(ctx: CallerContext, id: string): Promise<PasswordReset> {
    const password = temporaryPassword();
    const passwordHash = await hashPassword(password);
    return inPartnerTransaction(db, ctx.partnerId, async (trx) => {
      const current = await repo.lockUser(trx, ctx.partnerId, id);
      if (!current) throw new AppError('partnerUserNotFound');
      // Otherwise a User management admin could take over a Global admin's account.
      if (isGlobalAdmin(current.roles)) assertMayTouchGlobalAdmin(ctx, "reset a Global admin's password");
      await repo.updateUser(
        trx,
        ctx.partnerId,
        id,
        undefined,
        { passwordHash, mustChangePassword: true, passwordChangedAt: null, unlock: true },
        clock.now(),
      );
      const sessionsEnded = await repo.revokeUserSessions(trx, ctx.partnerId, id);
      await record(trx, ctx, {
        action: 'partnerUser.resetPassword',
        resourceType: 'PartnerUser',
        resourceId: id,
        details: { userName: current.user_name, sessionsEnded },
      });
      return {
        id,
        userName: current.user_name,
        temporaryPassword: password,
        mustChangePassword: true,
        attributes: { objectType: 'PartnerUserPasswordReset' },
      };
    });
  }

  return {
    createPartner,
    listPartners,
    findPartnerById,
    findPartnerByName,
    findUserPartner,
    listPartnerUsers,
    resetPartnerUserPassword,
    me,
    updateMe,
    myPartner,
    listUsers,
    getUser,
    createUser,
    updateUser,
    resetPassword,
  };
}

export type PartnersService = ReturnType<typeof createPartnersService>;
