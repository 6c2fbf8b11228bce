// /v1/customers/{customerId}/users (list, create, get, change, reset password, delete, restore) and
// /v1/customers/{customerId}/directoryroles (roles and their members): a customer's directory.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { expectedVersion } from '../../http/etag.ts';
import { collection, pageRequest } from '../../http/schemas.ts';
import {
  AddMemberBody,
  CreateUserBody,
  CustomerParams,
  CustomerUserList,
  CustomerUserSchema,
  CustomerUserWithPasswordSchema,
  DirectoryRoleList,
  MemberListQuery,
  RestoreBody,
  RestoreResult,
  RoleMemberParams,
  RoleParams,
  UpdateUserBody,
  UserListQuery,
  UserMemberList,
  UserMemberSchema,
  UserParams,
  errors,
} from './customerUsers.schemas.ts';
import type { CustomerUsersService } from './customerUsers.service.ts';

const USERS = ['Customer users'];
const ROLES = ['Directory roles'];
const WRITE_RULES =
  'Refused with 403 where your cloud instance keeps customer directories read-only (the error names it), and ' +
  'with 403 (code 20002) once your reseller relationship with the customer has ended.';

export const usersRoutes: FastifyPluginAsyncTypebox<{ users: CustomerUsersService }> = async (
  app,
  { users },
) => {
  app.get(
    '/v1/customers/:customerId/users',
    {
      config: { operation: 'customerUsers.view' },
      schema: {
        tags: USERS,
        summary: 'List a customer’s users',
        description:
          'The active users (or `state=inactive`: the deleted ones, restorable until `restorableUntil`; also ' +
          'Partner Center’s `filter={"Field":"UserState","Value":"inactive","Operator":"equals"}`), by display ' +
          'name unless `sort` (or `sortField`) names userPrincipalName or createdTime, `sortDirection` asc or ' +
          'desc. `q` finds users whose names or user name contain it, ignoring case and accents; ' +
          '`hasLicenses` keeps users with or without licences. Cursor paging with a total count.',
        params: CustomerParams,
        querystring: UserListQuery,
        response: { 200: CustomerUserList, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { state, filter, q, hasLicenses, sort, sortField, sortDirection } = request.query;
      return collection(
        request,
        await users.list(
          request.ctx,
          request.params.customerId,
          { state, filter, q, hasLicenses, sort: sort ?? sortField, sortDirection },
          pageRequest(request, request.query),
        ),
      );
    },
  );

  app.post(
    '/v1/customers/:customerId/users',
    {
      config: { operation: 'customerUsers.manage' },
      schema: {
        tags: USERS,
        summary: 'Add a user to a customer’s directory',
        description:
          'The user name is lower-cased and must be at one of the customer’s domains (400 ' +
          'userNameDomainInvalid) and not taken (409 customerUserNameTaken, also when a deleted user holds ' +
          'it: restore that one). Names up to 50 characters, display name required, usage location an ' +
          'ISO 3166-1 country, phone up to 40 characters. Without `passwordProfile.password` a temporary ' +
          'password is generated and returned in `passwordProfile` — this once only; a chosen password must ' +
          'meet the password rules (400 passwordTooWeak). ' +
          WRITE_RULES +
          ' Send MS-RequestId so that a retry never adds a second user.',
        params: CustomerParams,
        body: CreateUserBody,
        response: { 201: CustomerUserWithPasswordSchema, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const { customerId } = request.params;
      const user = await users.create(request.ctx, customerId, request.body);
      reply.header('location', `/v1/customers/${customerId}/users/${user.id}`);
      reply.header('etag', user.attributes.etag);
      return reply.code(201).send(user);
    },
  );

  app.post(
    '/v1/customers/:customerId/users/restore',
    {
      config: { operation: 'customerUsers.manage' },
      schema: {
        tags: USERS,
        summary: 'Restore deleted users',
        description:
          'Each of the 1–1000 users comes back active with its roles, and with its licences where their ' +
          'subscriptions still have seats (`licenses` says which did not and why). A user deleted more than ' +
          '30 days ago (restoreWindowPassed), not deleted (userNotDeleted) or unknown fails on its own, the ' +
          'others are restored. ' +
          WRITE_RULES,
        params: CustomerParams,
        body: RestoreBody,
        response: { 200: RestoreResult, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const result = await users.restore(request.ctx, request.params.customerId, request.body.userIds);
      return { ...result, attributes: { objectType: 'UserRestoreResult' as const } };
    },
  );

  app.get(
    '/v1/customers/:customerId/users/:userId',
    {
      config: { operation: 'customerUsers.view' },
      schema: {
        tags: USERS,
        summary: 'Get a customer user',
        description: 'With its ETag, to send back as If-Match when changing it. Deleted users too.',
        params: UserParams,
        response: { 200: CustomerUserSchema, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const user = await users.get(request.ctx, request.params.customerId, request.params.userId);
      reply.header('etag', user.attributes.etag);
      return user;
    },
  );

  app.patch(
    '/v1/customers/:customerId/users/:userId',
    {
      config: { operation: 'customerUsers.manage' },
      schema: {
        tags: USERS,
        summary: 'Change, restore a customer user or reset its password',
        description:
          'Any of the user name (at one of the customer’s domains), names, usage location (needed while the ' +
          'user holds licences) and phone. `state: active` on a deleted user restores it, within 30 days of ' +
          'its deletion (410 restoreWindowPassed after). `passwordProfile` resets the password: to the one ' +
          'given, or to a generated temporary one returned in `passwordProfile` this once; the old password ' +
          'and the user’s sessions stop working. A deleted user cannot change otherwise (409 userDeleted). ' +
          'With If-Match, a stale ETag is a 412 carrying the user as it is now. The whole user as read may be ' +
          'sent back with the changes: its other fields must be unchanged. ' +
          WRITE_RULES,
        params: UserParams,
        body: UpdateUserBody,
        response: { 200: CustomerUserWithPasswordSchema, ...errors(400, 401, 403, 404, 409, 410, 412) },
      },
    },
    async (request, reply) => {
      const { customerId, userId } = request.params;
      const {
        userPrincipalName,
        firstName,
        lastName,
        displayName,
        usageLocation,
        phoneNumber,
        state,
        passwordProfile,
        ...readOnly
      } = request.body;
      const user = await users.update(
        request.ctx,
        customerId,
        userId,
        {
          userPrincipalName,
          firstName,
          lastName,
          displayName,
          usageLocation,
          phoneNumber,
          state,
          passwordProfile,
          readOnly,
        },
        expectedVersion(request, userId),
      );
      reply.header('etag', user.attributes.etag);
      return user;
    },
  );

  app.delete(
    '/v1/customers/:customerId/users/:userId',
    {
      config: { operation: 'customerUsers.manage' },
      schema: {
        tags: USERS,
        summary: 'Delete a customer user',
        description:
          'Soft: the user becomes inactive, its sessions end and its licences are released; it can be ' +
          'restored for 30 days, then it is purged. The customer’s last Global admin cannot be deleted (409 ' +
          'customerLastGlobalAdmin); a deleted user cannot be deleted again (409 userDeleted). With If-Match, ' +
          'a stale ETag is a 412. ' +
          WRITE_RULES,
        params: UserParams,
        response: { 204: Type.Null(), ...errors(400, 401, 403, 404, 409, 412) },
      },
    },
    async (request, reply) => {
      const { customerId, userId } = request.params;
      await users.remove(request.ctx, customerId, userId, expectedVersion(request, userId));
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/v1/customers/:customerId/directoryroles',
    {
      config: { operation: 'customerUsers.view' },
      schema: {
        tags: ROLES,
        summary: 'List the directory roles',
        description:
          'Global admin, Helpdesk admin, User admin, Billing admin. A user with none can use licences and ' +
          'services. Paths take a role’s `id` or Partner Center’s role template id.',
        params: CustomerParams,
        response: { 200: DirectoryRoleList, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => collection(request, await users.listRoles(request.ctx, request.params.customerId)),
  );

  app.get(
    '/v1/customers/:customerId/directoryroles/:roleId/usermembers',
    {
      config: { operation: 'customerUsers.view' },
      schema: {
        tags: ROLES,
        summary: 'List a directory role’s members',
        description: 'Its active users, by display name; cursor paging with a total count.',
        params: RoleParams,
        querystring: MemberListQuery,
        response: { 200: UserMemberList, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { customerId, roleId } = request.params;
      return collection(
        request,
        await users.listRoleMembers(request.ctx, customerId, roleId, pageRequest(request, request.query)),
      );
    },
  );

  app.post(
    '/v1/customers/:customerId/directoryroles/:roleId/usermembers',
    {
      config: { operation: 'customerUsers.manage' },
      schema: {
        tags: ROLES,
        summary: 'Add a user to a directory role',
        description:
          'The user (`id`) must be active (409 userDeleted). Adding a member again changes nothing. ' +
          WRITE_RULES,
        params: RoleParams,
        body: AddMemberBody,
        response: { 201: UserMemberSchema, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const { customerId, roleId } = request.params;
      const member = await users.addRoleMember(request.ctx, customerId, roleId, request.body.id);
      return reply.code(201).send(member);
    },
  );

  app.delete(
    '/v1/customers/:customerId/directoryroles/:roleId/usermembers/:userId',
    {
      config: { operation: 'customerUsers.manage' },
      schema: {
        tags: ROLES,
        summary: 'Remove a user from a directory role',
        description:
          'The customer keeps at least one active Global admin (409 customerLastGlobalAdmin). ' + WRITE_RULES,
        params: RoleMemberParams,
        response: { 204: Type.Null(), ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const { customerId, roleId, userId } = request.params;
      await users.removeRoleMember(request.ctx, customerId, roleId, userId);
      return reply.code(204).send(null);
    },
  );
};
