// A customer's directory, one user at a time (PRODUCT.md feature 7): list, search, sort and page; create with a
// temporary password shown once (or a chosen one, checked and hashed with argon2id); edit; reset a password;
// delete (soft: restorable with its licences for 30 days) and restore; directory roles and their members; and
// the job that purges users deleted more than 30 days ago. Every partner with an active reseller relationship
// with the customer sees and manages its directory; the cloud instance may make it read-only.
import type { Db, Trx } from '../../db/database.ts';
import { inPartnerTransaction } from '../../db/database.ts';
import { etagOf } from '../../http/etag.ts';
import type { Clock } from '../../lib/clock.ts';
import type { CallerContext } from '../../lib/context.ts';
import type { FieldIssue } from '../../lib/errors.ts';
import { AppError, invalid } from '../../lib/errors.ts';
import { invalidFilter, parseFilter } from '../../lib/filter.ts';
import type { Page, PageRequest } from '../../lib/paging.ts';
import { decodeCursor, isCursorInstant, pageOf } from '../../lib/paging.ts';
import {
  hashGeneratedPassword,
  hashPassword,
  passwordIssues,
  temporaryPassword,
} from '../../lib/passwords.ts';
import { foldForSearch, isEmail } from '../../lib/text.ts';
import { record, recordAllAs } from '../activity/activity.record.ts';
import { isCountry } from '../countries/countries.data.ts';
import type { InstanceService } from '../instances/instances.ts';
import type { CustomerAccess, OrderCustomer } from '../subscriptions/subscriptions.access.ts';
import { customerForRead } from '../subscriptions/subscriptions.access.ts';
import type { DirectoryRole } from './customerUsers.directory.ts';
import {
  DIRECTORY_ROLES,
  RESTORE_DAYS,
  customerDomains,
  insertDirectoryUsers,
  searchKeyOf,
} from './customerUsers.directory.ts';
import * as repo from './customerUsers.repository.ts';
import type { SortDirection, UserRow, UserSort, UserViewRow } from './customerUsers.repository.ts';

const DAY_MS = 86_400_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const MAX_NAME_LENGTH = 50;
export const MAX_PHONE_LENGTH = 40;
const PHONE = /^\+?[0-9][0-9 ()./-]*$/;
const GLOBAL_ADMIN: DirectoryRole = 'globalAdmin';
const LICENSE_FIELDS = new Set(['licenseCount', 'assignedLicenses']);

/** The directory roles as resources. `id` is the name users carry in `directoryRoles`. */
export const DIRECTORY_ROLE_INFO: Record<
  DirectoryRole,
  { name: string; description: string; alias: string }
> = {
  globalAdmin: {
    name: 'Global admin',
    description:
      'Manages everything in the organisation’s tenant, including other admins; accepts partners’ invitations.',
    // Partner Center clients name roles by their directory template ids.
    alias: '62e90394-69f5-4237-9190-012177145e10',
  },
  helpdeskAdmin: {
    name: 'Helpdesk admin',
    description: 'Resets passwords of users who are not admins and handles service requests.',
    alias: '729827e3-9c14-49f7-bb1b-9608f156bbb8',
  },
  userAdmin: {
    name: 'User admin',
    description: 'Creates and manages users and groups, and resets passwords of users who are not admins.',
    alias: 'fe930be7-5e62-47db-91af-98c3a49a38b1',
  },
  billingAdmin: {
    name: 'Billing admin',
    description: 'Makes purchases, manages subscriptions and support tickets, and watches service health.',
    alias: 'b0f54661-2d74-4c50-afa3-1ec803f12efe',
  },
};

/** A directory role named by its id (`globalAdmin`) or Partner Center's template id, in any case. */
export function directoryRoleOf(roleId: string): DirectoryRole | undefined {
  const key = roleId.trim().toLowerCase();
  return DIRECTORY_ROLES.find((r) => r.toLowerCase() === key || DIRECTORY_ROLE_INFO[r].alias === key);
}

const isDirectoryRole = (r: string): r is DirectoryRole => (DIRECTORY_ROLES as readonly string[]).includes(r);

// ── what the licences feature provides ──

export interface RestoredLicense {
  subscriptionId: string;
  productSku: { id: string; name: string };
  restored: boolean;
  reason?: string;
}

/**
 * A deleted user's licences are released (the seats are free again) and restoring the user takes them back
 * where seats remain. The licences feature provides it; without it, no licence changes.
 */
export interface UserLicenses {
  releaseUserLicenses(trx: Trx, userId: string, now: Date): Promise<void>;
  restoreUserLicenses(trx: Trx, userId: string, now: Date): Promise<RestoredLicense[]>;
}

// ── shapes ──

export interface CustomerUserView {
  id: string;
  userPrincipalName: string;
  firstName: string | null;
  lastName: string | null;
  displayName: string;
  usageLocation: string | null;
  phoneNumber: string | null;
  state: 'active' | 'inactive';
  softDeletionTime: string | null;
  restorableUntil: string | null;
  directoryRoles: DirectoryRole[];
  userDomainType: 'managed';
  mustChangePassword: boolean;
  lastSignInTime: string | null;
  createdTime: string;
  lastModifiedTime: string;
  licenseCount: number;
  /** The licences counted in licenseCount, whoever sold them, by product name. */
  assignedLicenses: AssignedLicense[];
  attributes: { objectType: 'CustomerUser'; etag: string };
}

/** An active licence of a user. Another partner's names its product only, never its subscription. */
export interface AssignedLicense {
  productSku: { id: string; name: string };
  soldByYou: boolean;
}

/** A user just created or given a new password: the generated password, this once. */
export type CustomerUserWithPassword = CustomerUserView & {
  passwordProfile?: { password: string; forceChangePassword: boolean };
};

export interface DirectoryRoleView {
  id: DirectoryRole;
  name: string;
  description: string;
  attributes: { objectType: 'DirectoryRole' };
}

export interface UserMemberView {
  id: string;
  displayName: string;
  userPrincipalName: string;
  roleId: DirectoryRole;
  attributes: { objectType: 'UserMember' };
}

export interface RestoreItem {
  userId: string;
  status: 'restored' | 'failed';
  code?: number;
  name?: string;
  description?: string;
  licenses: { productSku: { id: string; name: string }; restored: boolean; reason?: string }[];
}

export interface PasswordProfileInput {
  password?: string | null;
  forceChangePassword?: boolean | null;
}

export interface NewUserInput {
  userPrincipalName: string;
  firstName?: string | null;
  lastName?: string | null;
  displayName: string;
  usageLocation?: string | null;
  phoneNumber?: string | null;
  passwordProfile?: PasswordProfileInput | null;
  directoryRoles?: string[] | null;
}

export interface UserUpdate {
  userPrincipalName?: string;
  firstName?: string | null;
  lastName?: string | null;
  displayName?: string;
  usageLocation?: string | null;
  phoneNumber?: string | null;
  /** `active` on a deleted user restores it. */
  state?: 'active' | 'inactive';
  /** Present: reset the password (generated unless given). */
  passwordProfile?: PasswordProfileInput | null;
  /** Other CustomerUser fields sent back with the whole resource: each must equal its current value. */
  readOnly?: Record<string, unknown>;
}

export interface UserFilters {
  state?: 'active' | 'inactive';
  /** Partner Center's filter: `{"Field":"UserState","Value":"inactive","Operator":"equals"}`. */
  filter?: string;
  q?: string;
  hasLicenses?: boolean;
  sort?: string;
  sortDirection?: string;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const restorableUntil = (deletedAt: Date) => new Date(deletedAt.getTime() + RESTORE_DAYS * DAY_MS);

export function userView(row: UserViewRow): CustomerUserView {
  return {
    id: row.id,
    userPrincipalName: row.user_name,
    firstName: row.first_name,
    lastName: row.last_name,
    displayName: row.display_name,
    usageLocation: row.usage_location,
    phoneNumber: row.phone_number,
    state: row.state,
    softDeletionTime: iso(row.soft_deleted_at),
    restorableUntil: row.soft_deleted_at ? restorableUntil(row.soft_deleted_at).toISOString() : null,
    directoryRoles: row.roles.filter(isDirectoryRole),
    userDomainType: 'managed',
    mustChangePassword: row.must_change_password,
    lastSignInTime: iso(row.last_sign_in_at),
    createdTime: row.created_at.toISOString(),
    lastModifiedTime: row.updated_at.toISOString(),
    licenseCount: row.license_count,
    assignedLicenses: row.assigned_licenses.map((l) => ({
      productSku: { id: l.offer_id, name: l.offer_name },
      soldByYou: l.sold_by_caller,
    })),
    attributes: { objectType: 'CustomerUser', etag: etagOf(row.id, row.version) },
  };
}

function memberView(
  row: Pick<UserViewRow, 'id' | 'display_name' | 'user_name'>,
  role: DirectoryRole,
): UserMemberView {
  return {
    id: row.id,
    displayName: row.display_name,
    userPrincipalName: row.user_name,
    roleId: role,
    attributes: { objectType: 'UserMember' },
  };
}

function roleView(role: DirectoryRole): DirectoryRoleView {
  const info = DIRECTORY_ROLE_INFO[role];
  return {
    id: role,
    name: info.name,
    description: info.description,
    attributes: { objectType: 'DirectoryRole' },
  };
}

// ── field checks (each broken rule a field-level reason, all at once) ──

/** Trimmed, inner white space as one space; empty is null. */
function clean(v: string | null | undefined): string | null {
  const t = typeof v === 'string' ? v.trim().replace(/\s+/g, ' ') : '';
  return t === '' ? null : t;
}

const chars = (s: string) => [...s].length;

function nameIssues(field: string, value: string | null, required: boolean): FieldIssue[] {
  if (value === null) return required ? [{ field, reason: 'is required' }] : [];
  const n = chars(value);
  return n > MAX_NAME_LENGTH
    ? [{ field, reason: `must be at most ${MAX_NAME_LENGTH} characters (it has ${n})` }]
    : [];
}

function userNameIssues(userName: string): FieldIssue[] {
  const field = 'userPrincipalName';
  if (userName === '') return [{ field, reason: 'is required' }];
  if (!isEmail(userName))
    return [{ field, reason: 'must be a user name like ana@contoso.onpartnerdesk.com' }];
  if (userName.indexOf('@') > 64) return [{ field, reason: 'must have at most 64 characters before the @' }];
  return [];
}

function usageLocationIssues(value: string | null): FieldIssue[] {
  if (value === null || isCountry(value)) return [];
  return [{ field: 'usageLocation', reason: 'must be an ISO 3166-1 alpha-2 country code, like US or DE' }];
}

function phoneIssues(value: string | null): FieldIssue[] {
  if (value === null) return [];
  const n = chars(value);
  if (n > MAX_PHONE_LENGTH)
    return [{ field: 'phoneNumber', reason: `must be at most ${MAX_PHONE_LENGTH} characters (it has ${n})` }];
  if (!PHONE.test(value))
    return [{ field: 'phoneNumber', reason: 'may hold digits, spaces, a leading + and ( ) - . /' }];
  return [];
}

/** A chosen password against the rules; the user name only counts when it is long enough to mean anything. */
function chosenPasswordIssues(password: string, userName: string): FieldIssue[] {
  const local = userName.split('@')[0] ?? '';
  return passwordIssues(password, 'passwordProfile.password', local.length >= 3 ? userName : undefined);
}

/** The password a request asks for: a chosen one, or none given (one is generated). */
function chosenPassword(profile: PasswordProfileInput | null | undefined): string | undefined {
  const p = profile?.password;
  return typeof p === 'string' && p !== '' ? p : undefined;
}

const DOMAIN_FIELD = 'userPrincipalName';

/**
 * Throws the issues as one error: a problem with the password alone is passwordTooWeak, with the user name's
 * domain alone userNameDomainInvalid, anything else (or a mix) validationFailed with every reason.
 */
function refuse(issues: FieldIssue[], domainIssue: FieldIssue | undefined): never {
  if (issues.every((i) => i.field === 'passwordProfile.password'))
    throw new AppError('passwordTooWeak', { details: issues });
  if (domainIssue && issues.length === 1 && issues[0] === domainIssue)
    throw new AppError('userNameDomainInvalid', { details: issues });
  throw invalid(...issues);
}

/** Do a sent value and the current one agree (instants as instants, role lists as sets)? */
function sameValue(field: string, sent: unknown, current: unknown): boolean {
  if (field === 'directoryRoles' && Array.isArray(sent) && Array.isArray(current))
    return JSON.stringify([...sent].sort()) === JSON.stringify([...current].sort());
  if (typeof sent === 'string' && typeof current === 'string') {
    if (sent.toLowerCase() === current.toLowerCase()) return true;
    const a = Date.parse(sent);
    return /^\d{4}-\d{2}-\d{2}T/.test(sent) && !Number.isNaN(a) && a === Date.parse(current);
  }
  return JSON.stringify(sent) === JSON.stringify(current);
}

// ── list parameters ──

const SORTS: Record<string, UserSort> = {
  displayname: 'displayName',
  userprincipalname: 'userPrincipalName',
  createdtime: 'createdTime',
};
const DIRECTIONS: Record<string, SortDirection> = {
  asc: 'asc',
  ascending: 'asc',
  desc: 'desc',
  descending: 'desc',
};

interface ListParams {
  query: repo.UserQuery;
  sort: UserSort;
  direction: SortDirection;
}

function listParams(customerId: string, f: UserFilters): ListParams {
  const issues: FieldIssue[] = [];
  let state = f.state;
  if (f.filter !== undefined) {
    const parsed = parseFilter(f.filter, ['UserState'] as const, ['equals'] as const);
    const value = parsed.value.toLowerCase();
    if (value !== 'active' && value !== 'inactive')
      throw invalidFilter({ field: 'filter.Value', reason: 'must be active or inactive for UserState' });
    if (state !== undefined && state !== value)
      throw invalidFilter({ field: 'filter', reason: 'names another state than the state parameter' });
    state = value;
  }
  const sort = f.sort === undefined ? 'displayName' : SORTS[f.sort.trim().toLowerCase()];
  if (!sort)
    issues.push({
      field: 'querystring.sort',
      reason: 'must be displayName, userPrincipalName or createdTime',
    });
  const direction = f.sortDirection === undefined ? 'asc' : DIRECTIONS[f.sortDirection.trim().toLowerCase()];
  if (!direction) issues.push({ field: 'querystring.sortDirection', reason: 'must be asc or desc' });
  if (issues.length > 0 || !sort || !direction) throw invalid(...issues);
  const text = f.q === undefined ? '' : foldForSearch(f.q);
  return {
    query: {
      customerId,
      state: state ?? 'active',
      ...(text !== '' ? { text } : {}),
      ...(f.hasLicenses !== undefined ? { hasLicenses: f.hasLicenses } : {}),
    },
    sort,
    direction,
  };
}

/** A list cursor's [key, id], checked: a cursor is no secret, and a hand-made one must not reach SQL as junk. */
function cursorPosition(
  token: string | undefined,
  scope: unknown,
  sort: UserSort,
): [string, string] | undefined {
  const cursor = decodeCursor(token, scope, 2);
  if (!cursor) return undefined;
  const [key, id] = cursor;
  const keyOk =
    sort === 'createdTime'
      ? isCursorInstant(key, 6)
      : typeof key === 'string' && key.length <= 1000 && !key.includes('\u0000');
  if (!keyOk || typeof id !== 'string' || !UUID.test(id)) throw new AppError('invalidContinuationToken');
  return [key as string, id];
}

// ── the service ──

export interface CustomerUsersService {
  list(
    ctx: CallerContext,
    customerId: string,
    filters: UserFilters,
    page: PageRequest,
  ): Promise<Page<CustomerUserView>>;
  create(ctx: CallerContext, customerId: string, input: NewUserInput): Promise<CustomerUserWithPassword>;
  get(ctx: CallerContext, customerId: string, userId: string): Promise<CustomerUserView>;
  /** `expectedVersion` from If-Match (optional): stale → 412 with the user as it is now. */
  update(
    ctx: CallerContext,
    customerId: string,
    userId: string,
    input: UserUpdate,
    expectedVersion: number | undefined,
  ): Promise<CustomerUserWithPassword>;
  remove(
    ctx: CallerContext,
    customerId: string,
    userId: string,
    expectedVersion: number | undefined,
  ): Promise<void>;
  restore(ctx: CallerContext, customerId: string, userIds: string[]): Promise<{ items: RestoreItem[] }>;
  listRoles(ctx: CallerContext, customerId: string): Promise<Page<DirectoryRoleView>>;
  listRoleMembers(
    ctx: CallerContext,
    customerId: string,
    roleId: string,
    page: PageRequest,
  ): Promise<Page<UserMemberView>>;
  addRoleMember(
    ctx: CallerContext,
    customerId: string,
    roleId: string,
    userId: string,
  ): Promise<UserMemberView>;
  removeRoleMember(ctx: CallerContext, customerId: string, roleId: string, userId: string): Promise<void>;
}

export function createCustomerUsersService(deps: {
  db: Db;
  clock: Clock;
  customers: CustomerAccess;
  instances: Pick<InstanceService, 'assert'>;
  /** Provided by the licences feature; without it, deleting and restoring leave licences alone. */
  licenses?: UserLicenses;
}): CustomerUsersService {
  const { db, clock, customers, instances, licenses } = deps;

  const userNotFound = () => new AppError('customerUserNotFound');

  /**
   * The customer for a change to its directory, checked in the contract's order: visible to the caller (404),
   * allowed in the caller's cloud instance (403 naming it), an active reseller relationship (403, 20002).
   */
  async function writableCustomer(trx: Trx, ctx: CallerContext, customerId: string): Promise<OrderCustomer> {
    const state = await customers.relationshipState(trx, ctx, customerId);
    if (state === undefined) throw new AppError('customerNotFound');
    instances.assert(ctx.instance, 'customerUsers.write');
    if (state !== 'active') throw new AppError('noResellerRelationship');
    return customerForRead(customers, trx, ctx, customerId);
  }

  async function current(trx: Trx, customerId: string, userId: string): Promise<UserViewRow> {
    const row = await repo.getUser(trx, customerId, userId);
    if (!row) throw userNotFound();
    return row;
  }

  function activity(
    trx: Trx,
    ctx: CallerContext,
    customer: OrderCustomer,
    user: Pick<UserRow, 'id' | 'user_name'>,
    action: string,
    details: Record<string, unknown>,
  ) {
    return record(trx, ctx, {
      action,
      resourceType: 'CustomerUser',
      resourceId: user.id,
      customer: { id: customer.id, name: customer.name },
      details: { userPrincipalName: user.user_name, ...details },
    });
  }

  /** The user name at one of the customer's domains: the issue naming them when it is not. */
  async function domainIssue(
    trx: Trx,
    customerId: string,
    userName: string,
  ): Promise<FieldIssue | undefined> {
    const domains = await customerDomains(trx, customerId);
    const domain = userName.slice(userName.lastIndexOf('@') + 1);
    if (domains.includes(domain)) return undefined;
    return {
      field: DOMAIN_FIELD,
      reason: `must be at one of the customer’s domains (${domains.join(', ')})`,
    };
  }

  /** 409 for a user name the directory already has; a deleted user holding it is restored, not replaced. */
  async function nameTaken(trx: Trx, customerId: string, userName: string): Promise<AppError | undefined> {
    const holder = await repo.findByUserName(trx, customerId, userName);
    if (!holder) return undefined;
    return takenError(userName, holder.state);
  }

  function takenError(userName: string, holderState: 'active' | 'inactive' | undefined): AppError {
    return new AppError('customerUserNameTaken', {
      ...(holderState === 'inactive'
        ? {
            message:
              'A deleted user of the customer holds this user name: restore that user, or choose another ' +
              'name (it is free once the deleted user is purged, 30 days after its deletion).',
          }
        : {}),
      details: [{ field: DOMAIN_FIELD, reason: `${userName} is taken` }],
    });
  }

  interface CheckedNew {
    userName: string;
    firstName: string | null;
    lastName: string | null;
    displayName: string;
    usageLocation: string | null;
    phoneNumber: string | null;
    roles: DirectoryRole[];
    password?: string;
    forceChangePassword: boolean;
    issues: FieldIssue[];
  }

  function checkNew(input: NewUserInput): CheckedNew {
    const userName = input.userPrincipalName.trim().toLowerCase();
    const firstName = clean(input.firstName);
    const lastName = clean(input.lastName);
    const displayName = clean(input.displayName);
    const usageLocation = clean(input.usageLocation)?.toUpperCase() ?? null;
    const phoneNumber = clean(input.phoneNumber);
    const password = chosenPassword(input.passwordProfile);
    const issues = [
      ...userNameIssues(userName),
      ...nameIssues('firstName', firstName, false),
      ...nameIssues('lastName', lastName, false),
      ...nameIssues('displayName', displayName, true),
      ...usageLocationIssues(usageLocation),
      ...phoneIssues(phoneNumber),
    ];
    const roles: DirectoryRole[] = [];
    (input.directoryRoles ?? []).forEach((r, i) => {
      const role = directoryRoleOf(r);
      if (!role)
        issues.push({
          field: `directoryRoles[${i}]`,
          reason: `must be one of ${DIRECTORY_ROLES.join(', ')}`,
        });
      else if (!roles.includes(role)) roles.push(role);
    });
    if (password !== undefined) issues.push(...chosenPasswordIssues(password, userName));
    return {
      userName,
      firstName,
      lastName,
      displayName: displayName ?? '',
      usageLocation,
      phoneNumber,
      roles,
      password,
      forceChangePassword: input.passwordProfile?.forceChangePassword ?? true,
      issues,
    };
  }

  /** Every rule of a new user that needs the directory: 400 first (all reasons at once), then 409. */
  async function checkNewInDirectory(trx: Trx, customerId: string, c: CheckedNew): Promise<void> {
    const issues = [...c.issues];
    const domain =
      userNameIssues(c.userName).length === 0 ? await domainIssue(trx, customerId, c.userName) : undefined;
    if (domain) issues.push(domain);
    if (issues.length > 0) refuse(issues, domain);
    const taken = await nameTaken(trx, customerId, c.userName);
    if (taken) throw taken;
  }

  /**
   * A new password's hash. A chosen one takes argon2id, which is slow on purpose: `precheck` runs first (the
   * caller's access and the request's other rules, in a short transaction of its own), so that a refused
   * request costs no hashing and holds no connection while it hashes.
   */
  async function newPassword(
    password: string | undefined,
    precheck: () => Promise<void>,
  ): Promise<{ hash: string; generated?: string }> {
    if (password === undefined) {
      const generated = temporaryPassword();
      return { hash: hashGeneratedPassword(generated), generated };
    }
    await precheck();
    return { hash: await hashPassword(password) };
  }

  return {
    list(ctx, customerId, filters, page) {
      const { query, sort, direction } = listParams(customerId, filters);
      const scope = {
        list: 'customerUsers',
        partnerId: ctx.partnerId,
        customerId: customerId.toLowerCase(),
        state: query.state,
        text: query.text ?? null,
        hasLicenses: query.hasLicenses ?? null,
        sort,
        direction,
      };
      const after = cursorPosition(page.cursor, scope, sort);
      return inPartnerTransaction(db, ctx.partnerId, async (trx) => {
        await customerForRead(customers, trx, ctx, customerId);
        return pageOf(
          page.size,
          scope,
          (limit) => repo.findUsers(trx, query, sort, direction, after, limit),
          (row) => [row.position, row.id],
          userView,
          () => repo.countUsers(trx, query),
        );
      });
    },

    async create(ctx, customerId, input) {
      const checked = checkNew(input);
      const password = await newPassword(checked.password, () =>
        inPartnerTransaction(db, ctx.partnerId, async (trx) => {
          await writableCustomer(trx, ctx, customerId);
          await checkNewInDirectory(trx, customerId, checked);
        }),
      );
      // A generated password is temporary: it must be changed at first sign-in unless the caller says otherwise.
      const mustChange = checked.forceChangePassword;
      return inPartnerTransaction(db, ctx.partnerId, async (trx) => {
        const customer = await writableCustomer(trx, ctx, customerId);
        await checkNewInDirectory(trx, customerId, checked);
        const now = clock.now();
        const [created] = await insertDirectoryUsers(
          trx,
          [
            {
              customerId,
              userName: checked.userName,
              firstName: checked.firstName,
              lastName: checked.lastName,
              displayName: checked.displayName,
              phoneNumber: checked.phoneNumber,
              usageLocation: checked.usageLocation,
              passwordHash: password.hash,
              mustChangePassword: mustChange,
              roles: checked.roles,
            },
          ],
          now,
        );
        // Another request took the name since the check (the unique key decided).
        if (!created)
          throw (
            (await nameTaken(trx, customerId, checked.userName)) ?? takenError(checked.userName, undefined)
          );
        const row = await current(trx, customerId, created.id);
        await activity(trx, ctx, customer, row, 'customerUser.create', {
          displayName: row.display_name,
          usageLocation: row.usage_location,
          directoryRoles: checked.roles,
          temporaryPassword: password.generated !== undefined,
        });
        return {
          ...userView(row),
          ...(password.generated !== undefined
            ? { passwordProfile: { password: password.generated, forceChangePassword: mustChange } }
            : {}),
        };
      });
    },

    get: (ctx, customerId, userId) =>
      inPartnerTransaction(db, ctx.partnerId, async (trx) => {
        await customerForRead(customers, trx, ctx, customerId);
        return userView(await current(trx, customerId, userId));
      }),

    async update(ctx, customerId, userId, input, expectedVersion) {
      const issues: FieldIssue[] = [];
      const userName = input.userPrincipalName?.trim().toLowerCase();
      if (userName !== undefined) issues.push(...userNameIssues(userName));
      const firstName = input.firstName === undefined ? undefined : clean(input.firstName);
      const lastName = input.lastName === undefined ? undefined : clean(input.lastName);
      const displayName = input.displayName === undefined ? undefined : clean(input.displayName);
      const usageLocation =
        input.usageLocation === undefined ? undefined : (clean(input.usageLocation)?.toUpperCase() ?? null);
      const phoneNumber = input.phoneNumber === undefined ? undefined : clean(input.phoneNumber);
      if (firstName !== undefined) issues.push(...nameIssues('firstName', firstName, false));
      if (lastName !== undefined) issues.push(...nameIssues('lastName', lastName, false));
      if (displayName !== undefined) issues.push(...nameIssues('displayName', displayName, true));
      if (usageLocation !== undefined) issues.push(...usageLocationIssues(usageLocation));
      if (phoneNumber !== undefined) issues.push(...phoneIssues(phoneNumber));
      const resetting = input.passwordProfile !== undefined && input.passwordProfile !== null;
      const chosen = resetting ? chosenPassword(input.passwordProfile) : undefined;

      /** The rules that need the user as it is (or the directory); every 4xx before anything is written. */
      async function check(trx: Trx, row: UserRow) {
        const view = userView({ ...row, assigned_licenses: [], license_count: 0, position: '' });
        const all = [...issues];
        if (chosen !== undefined) all.push(...chosenPasswordIssues(chosen, userName ?? row.user_name));
        for (const [field, sent] of Object.entries(input.readOnly ?? {})) {
          // The ETag travels in If-Match; the body's copy of it, and the licences, which move with licence
          // updates rather than with the user's version, are not compared.
          if (sent === undefined || field === 'attributes' || LICENSE_FIELDS.has(field)) continue;
          if (!sameValue(field, sent, (view as unknown as Record<string, unknown>)[field]))
            all.push({
              field,
              reason:
                field === 'directoryRoles'
                  ? 'is read-only here: add or remove the user through /directoryroles/{roleId}/usermembers'
                  : 'is read-only: send it unchanged or leave it out',
            });
        }
        if (input.state === 'inactive' && row.state === 'active')
          all.push({ field: 'state', reason: 'a user is deleted with DELETE, not by its state' });
        const renamed = userName !== undefined && userName !== row.user_name;
        const domain =
          renamed && userNameIssues(userName).length === 0
            ? await domainIssue(trx, customerId, userName)
            : undefined;
        if (domain) all.push(domain);
        if (usageLocation === null && row.usage_location !== null) {
          const held = (await current(trx, customerId, row.id)).license_count;
          if (held > 0)
            all.push({
              field: 'usageLocation',
              reason: `is required while the user holds licences (${held}); remove them first`,
            });
        }
        if (all.length > 0) refuse(all, domain);
        if (renamed) {
          const taken = await nameTaken(trx, customerId, userName);
          if (taken) throw taken;
        }
      }

      async function lockForChange(trx: Trx): Promise<UserRow> {
        const row = await repo.lockUser(trx, customerId, userId);
        if (!row) throw userNotFound();
        if (expectedVersion !== undefined && row.version !== expectedVersion)
          throw new AppError('preconditionFailed', {
            data: [userView(await current(trx, customerId, userId))],
          });
        return row;
      }

      const password = resetting
        ? await newPassword(chosen, () =>
            inPartnerTransaction(db, ctx.partnerId, async (trx) => {
              await writableCustomer(trx, ctx, customerId);
              const row = await lockForChange(trx);
              if (row.state === 'inactive' && input.state !== 'active') throw new AppError('userDeleted');
              await check(trx, row);
            }),
          )
        : undefined;

      return inPartnerTransaction(db, ctx.partnerId, async (trx) => {
        const customer = await writableCustomer(trx, ctx, customerId);
        const row = await lockForChange(trx);
        const now = clock.now();
        const restoring = input.state === 'active' && row.state === 'inactive';

        // The plain fields, with before/after of those that change.
        const before: Record<string, unknown> = {};
        const after: Record<string, unknown> = {};
        const change: repo.UserChange = {};
        const set = <K extends keyof repo.UserChange>(
          field: string,
          column: K,
          value: repo.UserChange[K] | undefined,
        ) => {
          if (value === undefined || value === row[column]) return;
          before[field] = row[column];
          after[field] = value;
          change[column] = value;
        };
        set('userPrincipalName', 'user_name', userName);
        set('firstName', 'first_name', firstName);
        set('lastName', 'last_name', lastName);
        set('displayName', 'display_name', displayName ?? undefined);
        set('usageLocation', 'usage_location', usageLocation);
        set('phoneNumber', 'phone_number', phoneNumber);

        if (row.state === 'inactive' && !restoring && (Object.keys(change).length > 0 || resetting))
          throw new AppError('userDeleted');
        await check(trx, row);
        if (restoring && now > restorableUntil(row.soft_deleted_at!))
          throw new AppError('restoreWindowPassed');

        if (Object.keys(after).length > 0)
          change.search_key = searchKeyOf({
            displayName: change.display_name ?? row.display_name,
            firstName: change.first_name !== undefined ? change.first_name : row.first_name,
            lastName: change.last_name !== undefined ? change.last_name : row.last_name,
            userName: change.user_name ?? row.user_name,
          });
        if (restoring) Object.assign(change, { state: 'active', soft_deleted_at: null });
        const mustChange = input.passwordProfile?.forceChangePassword ?? true;
        if (password)
          Object.assign(change, {
            password_hash: password.hash,
            must_change_password: mustChange,
            password_changed_at: null,
            failed_sign_ins: 0,
            locked_until: null,
          });
        if (Object.keys(change).length === 0) return userView(await current(trx, customerId, userId));

        if (!(await repo.updateUser(trx, row.id, row.version, change, now)))
          throw new AppError('preconditionFailed', {
            data: [userView(await current(trx, customerId, userId))],
          });
        if (restoring) {
          const restored = (await licenses?.restoreUserLicenses(trx, row.id, now)) ?? [];
          await activity(trx, ctx, customer, row, 'customerUser.restore', {
            deletedAt: iso(row.soft_deleted_at),
            licenses: restored.map(licenseOutcome),
            before: { state: 'inactive' },
            after: { state: 'active' },
          });
        }
        if (Object.keys(after).length > 0)
          await activity(trx, ctx, customer, row, 'customerUser.update', { before, after });
        if (password) {
          // The old password stops working at once, and so do sessions opened with it.
          const sessionsEnded = await repo.endSessions(trx, row.id);
          await activity(trx, ctx, customer, row, 'customerUser.resetPassword', {
            generated: password.generated !== undefined,
            forceChangePassword: mustChange,
            sessionsEnded,
          });
        }
        const view = userView(await current(trx, customerId, userId));
        return password?.generated !== undefined
          ? { ...view, passwordProfile: { password: password.generated, forceChangePassword: mustChange } }
          : view;
      });
    },

    remove: (ctx, customerId, userId, expectedVersion) =>
      inPartnerTransaction(db, ctx.partnerId, async (trx) => {
        const customer = await writableCustomer(trx, ctx, customerId);
        // The Global admins first, in id order, then the user: see lockRoleHolders.
        const admins = await repo.lockRoleHolders(trx, customerId, GLOBAL_ADMIN);
        const row = await repo.lockUser(trx, customerId, userId);
        if (!row) throw userNotFound();
        if (expectedVersion !== undefined && row.version !== expectedVersion)
          throw new AppError('preconditionFailed', {
            data: [userView(await current(trx, customerId, userId))],
          });
        if (row.state === 'inactive') throw new AppError('userDeleted');
        if (admins.includes(row.id) && admins.length === 1) throw new AppError('customerLastGlobalAdmin');
        const now = clock.now();
        await repo.updateUser(trx, row.id, row.version, { state: 'inactive', soft_deleted_at: now }, now);
        const sessionsEnded = await repo.endSessions(trx, row.id);
        await licenses?.releaseUserLicenses(trx, row.id, now);
        await activity(trx, ctx, customer, row, 'customerUser.delete', {
          displayName: row.display_name,
          restorableUntil: restorableUntil(now).toISOString(),
          sessionsEnded,
          before: { state: 'active' },
          after: { state: 'inactive' },
        });
      }),

    restore: (ctx, customerId, userIds) =>
      inPartnerTransaction(db, ctx.partnerId, async (trx) => {
        const customer = await writableCustomer(trx, ctx, customerId);
        const ids = [...new Set(userIds.map((id) => id.toLowerCase()))];
        const rows = new Map((await repo.lockUsers(trx, customerId, ids)).map((r) => [r.id, r]));
        const now = clock.now();
        const items: RestoreItem[] = [];
        const failed = (userId: string, err: AppError): RestoreItem => ({
          userId,
          status: 'failed',
          code: err.code,
          name: err.errorName,
          description: err.message,
          licenses: [],
        });
        for (const id of ids) {
          const row = rows.get(id);
          if (!row) items.push(failed(id, userNotFound()));
          else if (row.state === 'active') items.push(failed(id, new AppError('userNotDeleted')));
          else if (now > restorableUntil(row.soft_deleted_at!))
            items.push(failed(id, new AppError('restoreWindowPassed')));
          else {
            await repo.updateUser(trx, row.id, row.version, { state: 'active', soft_deleted_at: null }, now);
            const restored = ((await licenses?.restoreUserLicenses(trx, row.id, now)) ?? []).map(
              licenseOutcome,
            );
            await activity(trx, ctx, customer, row, 'customerUser.restore', {
              deletedAt: iso(row.soft_deleted_at),
              licenses: restored,
              before: { state: 'inactive' },
              after: { state: 'active' },
            });
            items.push({ userId: id, status: 'restored', licenses: restored });
          }
        }
        return { items };
      }),

    listRoles: (ctx, customerId) =>
      inPartnerTransaction(db, ctx.partnerId, async (trx) => {
        await customerForRead(customers, trx, ctx, customerId);
        return { items: DIRECTORY_ROLES.map(roleView), totalCount: DIRECTORY_ROLES.length };
      }),

    listRoleMembers(ctx, customerId, roleId, page) {
      const role = directoryRoleOf(roleId);
      const scope = {
        list: 'roleMembers',
        partnerId: ctx.partnerId,
        customerId: customerId.toLowerCase(),
        role,
      };
      return inPartnerTransaction(db, ctx.partnerId, async (trx) => {
        await customerForRead(customers, trx, ctx, customerId);
        if (!role) throw new AppError('directoryRoleNotFound');
        const after = cursorPosition(page.cursor, scope, 'displayName');
        return pageOf(
          page.size,
          scope,
          (limit) => repo.findRoleMembers(trx, customerId, role, after, limit),
          (row) => [row.position, row.id],
          (row) => memberView(row, role),
          () => repo.countRoleMembers(trx, customerId, role),
        );
      });
    },

    addRoleMember: (ctx, customerId, roleId, userId) =>
      inPartnerTransaction(db, ctx.partnerId, async (trx) => {
        const customer = await writableCustomer(trx, ctx, customerId);
        const role = directoryRoleOf(roleId);
        if (!role) throw new AppError('directoryRoleNotFound');
        const row = await repo.lockUser(trx, customerId, userId);
        if (!row) throw userNotFound();
        if (row.state === 'inactive') throw new AppError('userDeleted');
        // Already a member: nothing changes, and the answer is the same as for adding it.
        if (!row.roles.includes(role)) {
          const now = clock.now();
          await repo.updateUser(trx, row.id, row.version, { roles: [...row.roles, role] }, now);
          await activity(trx, ctx, customer, row, 'customerUser.addRole', {
            role,
            before: { directoryRoles: row.roles },
            after: { directoryRoles: [...row.roles, role] },
          });
        }
        return memberView(await current(trx, customerId, userId), role);
      }),

    removeRoleMember: (ctx, customerId, roleId, userId) =>
      inPartnerTransaction(db, ctx.partnerId, async (trx) => {
        const customer = await writableCustomer(trx, ctx, customerId);
        const role = directoryRoleOf(roleId);
        if (!role) throw new AppError('directoryRoleNotFound');
        const admins = role === GLOBAL_ADMIN ? await repo.lockRoleHolders(trx, customerId, role) : [];
        const row = await repo.lockUser(trx, customerId, userId);
        if (!row) throw userNotFound();
        if (!row.roles.includes(role))
          throw new AppError('customerUserNotFound', {
            message: `This user is not a member of the ${DIRECTORY_ROLE_INFO[role].name} role.`,
          });
        if (row.state === 'inactive') throw new AppError('userDeleted');
        if (role === GLOBAL_ADMIN && admins.length === 1 && admins[0] === row.id)
          throw new AppError('customerLastGlobalAdmin');
        const roles = row.roles.filter((r) => r !== role);
        const now = clock.now();
        await repo.updateUser(trx, row.id, row.version, { roles }, now);
        await activity(trx, ctx, customer, row, 'customerUser.removeRole', {
          role,
          before: { directoryRoles: row.roles },
          after: { directoryRoles: roles },
        });
      }),
  };
}

/** A restored licence as callers see it: no subscription id, which may be another partner's. */
function licenseOutcome(l: RestoredLicense): RestoreItem['licenses'][number] {
  return { productSku: l.productSku, restored: l.restored, ...(l.reason ? { reason: l.reason } : {}) };
}

// ── the purge job ──

/** The actor of changes the system makes on its own (the maintenance job). */
const SYSTEM = { kind: 'system', name: 'Partnerdesk' } as const;
const PURGE_BATCH = 500;

/**
 * Purges every user deleted more than 30 days before `now` (restorable until exactly then), with its sessions
 * and licence assignments, in batches of short transactions on the owner connection. Each partner related to
 * the user's customer gets an activity record. Safe to run twice at once, or beside a restore: a row one holds
 * is skipped by the other. Answers how many it purged.
 */
export async function purgeDeletedUsers(owner: Db, now: Date): Promise<number> {
  const deletedBefore = new Date(now.getTime() - RESTORE_DAYS * DAY_MS);
  let purged = 0;
  for (;;) {
    const n = await owner.transaction().execute(async (trx) => {
      const due = await repo.lockPurgeable(trx, deletedBefore, PURGE_BATCH);
      await repo.deleteUsers(
        trx,
        due.map((d) => d.id),
      );
      const partners = await repo.relatedPartners(
        trx,
        due.map((d) => d.customer_id),
      );
      await recordAllAs(
        trx,
        SYSTEM,
        due.flatMap((d) =>
          partners
            .filter((p) => p.customer_id === d.customer_id)
            .map((p) => ({
              partnerId: p.partner_id,
              entry: {
                action: 'customerUser.purge',
                resourceType: 'CustomerUser',
                resourceId: d.id,
                ...(d.customer_name ? { customer: { id: d.customer_id, name: d.customer_name } } : {}),
                details: {
                  userPrincipalName: d.user_name,
                  displayName: d.display_name,
                  deletedAt: d.soft_deleted_at.toISOString(),
                  reason: `not restored within ${RESTORE_DAYS} days of its deletion`,
                },
              },
            })),
        ),
      );
      return due.length;
    });
    purged += n;
    if (n < PURGE_BATCH) return purged;
  }
}
