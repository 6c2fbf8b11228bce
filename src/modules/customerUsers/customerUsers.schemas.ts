// Request and response shapes of a customer's directory, in Partner Center's resource model: CustomerUser,
// DirectoryRole, UserMember. Limits here only keep absurd input out; the service checks the real rules (names
// up to 50 characters, the customer's domains, countries, password rules) and answers each broken one as a
// field-level reason.
import { Type } from 'typebox';
import { Attributes, Collection, DateTime, PageQuery, Uuid } from '../../http/schemas.ts';
import { errors } from '../partners/partners.schemas.ts';
import { DIRECTORY_ROLES } from './customerUsers.directory.ts';

export { errors };

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

const DirectoryRoleName = Type.Enum([...DIRECTORY_ROLES], { description: 'A directory role' });
const Name = (description: string) => Type.String({ maxLength: 1000, description });

const AssignedLicense = Type.Object({
  productSku: Type.Object({ id: Type.String(), name: Type.String() }, { description: 'The product as sold' }),
  soldByYou: Type.Boolean({
    description: 'Sold by you; false: by another partner of the customer (only it may take it away)',
  }),
});

export const CustomerUserSchema = Type.Object({
  id: Uuid,
  userPrincipalName: Type.String({ description: 'The user name, at one of the customer’s domains' }),
  firstName: Nullable(Type.String()),
  lastName: Nullable(Type.String()),
  displayName: Type.String(),
  usageLocation: Nullable(
    Type.String({ description: 'ISO 3166-1 alpha-2 country where the user uses services; licences need it' }),
  ),
  phoneNumber: Nullable(Type.String()),
  state: Type.Enum(['active', 'inactive'], { description: 'inactive: deleted, restorable for 30 days' }),
  softDeletionTime: Nullable(DateTime),
  restorableUntil: Nullable(
    Type.String({ format: 'date-time', description: 'While deleted: 30 days after the deletion' }),
  ),
  directoryRoles: Type.Array(DirectoryRoleName, {
    description: 'None: the user can use licences and services',
  }),
  userDomainType: Type.Literal('managed'),
  mustChangePassword: Type.Boolean({ description: 'Signs in with a temporary password, to change first' }),
  lastSignInTime: Nullable(DateTime),
  createdTime: DateTime,
  lastModifiedTime: DateTime,
  licenseCount: Type.Integer({ minimum: 0, description: 'Licences assigned to the user' }),
  assignedLicenses: Type.Array(AssignedLicense, {
    description:
      'The licences counted in licenseCount, from every partner, by product name (a deleted user’s are ' +
      'released: none); …/users/{userId}/licenses has the details',
  }),
  attributes: Attributes('CustomerUser'),
});

const PasswordProfileOut = Type.Object(
  {
    password: Type.String({ description: 'The generated temporary password: shown this once' }),
    forceChangePassword: Type.Boolean(),
  },
  { description: 'Only when the password was generated' },
);

export const CustomerUserWithPasswordSchema = Type.Object({
  ...CustomerUserSchema.properties,
  passwordProfile: Type.Optional(PasswordProfileOut),
});

export const CustomerUserList = Collection(CustomerUserSchema);

const PasswordProfileIn = Type.Object(
  {
    password: Type.Optional(
      Nullable(
        Type.String({
          maxLength: 1000,
          description:
            'A chosen password (at least 12 characters, three of lower case, upper case, digits, symbols); ' +
            'leave out for a generated temporary one',
        }),
      ),
    ),
    forceChangePassword: Type.Optional(
      Nullable(Type.Boolean({ description: 'Must change it at next sign-in (default true)' })),
    ),
  },
  { additionalProperties: false },
);

export const CreateUserBody = Type.Object(
  {
    userPrincipalName: Type.String({
      maxLength: 1000,
      description: 'At one of the customer’s domains, e.g. ana@contoso.onpartnerdesk.com; unique',
    }),
    firstName: Type.Optional(Nullable(Name('Up to 50 characters'))),
    lastName: Type.Optional(Nullable(Name('Up to 50 characters'))),
    displayName: Name('Required, up to 50 characters'),
    usageLocation: Type.Optional(Nullable(Type.String({ maxLength: 100, description: 'e.g. US' }))),
    phoneNumber: Type.Optional(
      Nullable(Type.String({ maxLength: 1000, description: 'Up to 40 characters' })),
    ),
    passwordProfile: Type.Optional(Nullable(PasswordProfileIn)),
    directoryRoles: Type.Optional(
      Nullable(
        Type.Array(Type.String({ maxLength: 100 }), {
          maxItems: 20,
          description: `Any of ${DIRECTORY_ROLES.join(', ')}; none: can use licences and services`,
        }),
      ),
    ),
    // Partner Center's CustomerUser also carries these; taken so that its clients' bodies work as they are.
    userDomainType: Type.Optional(Nullable(Type.String({ maxLength: 100, description: 'Ignored' }))),
    attributes: Type.Optional(Type.Unknown({ description: 'Ignored' })),
  },
  { additionalProperties: false },
);

const WRITABLE = [
  'userPrincipalName',
  'firstName',
  'lastName',
  'displayName',
  'usageLocation',
  'phoneNumber',
  'state',
] as const;

/**
 * The CustomerUser's other fields, which a Partner Center client sends back with the whole resource: taken
 * when they equal the user's current values (the service checks), refused as read-only otherwise.
 */
export const READ_ONLY_USER_FIELDS = Object.keys(CustomerUserSchema.properties).filter(
  (k) => !(WRITABLE as readonly string[]).includes(k),
);

export const UpdateUserBody = Type.Object(
  {
    userPrincipalName: Type.Optional(Type.String({ maxLength: 1000, description: 'A new user name' })),
    firstName: Type.Optional(Nullable(Name('Up to 50 characters; null clears it'))),
    lastName: Type.Optional(Nullable(Name('Up to 50 characters; null clears it'))),
    displayName: Type.Optional(Name('Up to 50 characters')),
    usageLocation: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
    phoneNumber: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
    state: Type.Optional(
      Type.Enum(['active', 'inactive'], {
        description: 'active on a deleted user restores it (within 30 days); delete with DELETE',
      }),
    ),
    passwordProfile: Type.Optional(
      Nullable(
        Type.Object(
          { ...PasswordProfileIn.properties },
          {
            additionalProperties: false,
            description:
              'Resets the password: the given one, or a generated temporary one returned this once',
          },
        ),
      ),
    ),
    ...Object.fromEntries(
      READ_ONLY_USER_FIELDS.filter((k) => k !== 'passwordProfile').map((k) => [
        k,
        Type.Optional(Type.Unknown({ description: 'Read-only: accepted only unchanged' })),
      ]),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const UserListQuery = Type.Object({
  ...PageQuery,
  state: Type.Optional(
    Type.Enum(['active', 'inactive'], { description: 'active (default), or inactive: the deleted users' }),
  ),
  filter: Type.Optional(
    Type.String({
      maxLength: 1000,
      description: 'Partner Center’s form: {"Field":"UserState","Value":"inactive","Operator":"equals"}',
    }),
  ),
  q: Type.Optional(
    Type.String({
      maxLength: 200,
      description: 'Contained in the names or the user name, any case or accent',
    }),
  ),
  hasLicenses: Type.Optional(
    Type.Boolean({ description: 'Only users with (true) or without (false) licences' }),
  ),
  sort: Type.Optional(
    Type.String({ maxLength: 50, description: 'displayName (default), userPrincipalName or createdTime' }),
  ),
  sortField: Type.Optional(Type.String({ maxLength: 50, description: 'Partner Center’s name for sort' })),
  sortDirection: Type.Optional(Type.String({ maxLength: 20, description: 'asc (default) or desc' })),
});

export const RestoreBody = Type.Object(
  {
    userIds: Type.Array(Uuid, { minItems: 1, maxItems: 1000, description: 'Deleted users to restore' }),
  },
  { additionalProperties: false },
);

const LicenseOutcome = Type.Object({
  productSku: Type.Object({ id: Type.String(), name: Type.String() }),
  restored: Type.Boolean(),
  reason: Type.Optional(Type.String({ description: 'Why it did not come back, e.g. no seats left' })),
});

export const RestoreResult = Type.Object({
  items: Type.Array(
    Type.Object({
      userId: Uuid,
      status: Type.Enum(['restored', 'failed']),
      code: Type.Optional(Type.Integer({ description: 'The error code, when it failed' })),
      name: Type.Optional(Type.String({ description: 'The error name, when it failed' })),
      description: Type.Optional(Type.String()),
      licenses: Type.Array(LicenseOutcome, { description: 'The user’s licences, back or not' }),
    }),
    { description: 'One per user, in the order sent' },
  ),
  attributes: Type.Object({ objectType: Type.Literal('UserRestoreResult') }),
});

export const DirectoryRoleSchema = Type.Object({
  id: DirectoryRoleName,
  name: Type.String(),
  description: Type.String(),
  attributes: Type.Object({ objectType: Type.Literal('DirectoryRole') }),
});

export const DirectoryRoleList = Collection(DirectoryRoleSchema);

export const UserMemberSchema = Type.Object({
  id: Uuid,
  displayName: Type.String(),
  userPrincipalName: Type.String(),
  roleId: DirectoryRoleName,
  attributes: Type.Object({ objectType: Type.Literal('UserMember') }),
});

export const UserMemberList = Collection(UserMemberSchema);
export const MemberListQuery = Type.Object({ ...PageQuery });

export const AddMemberBody = Type.Object(
  {
    id: Type.String({ format: 'uuid', description: 'The user to add' }),
    // Partner Center sends the user's names too; they are not needed.
    displayName: Type.Optional(Nullable(Type.String({ maxLength: 1000, description: 'Ignored' }))),
    userPrincipalName: Type.Optional(Nullable(Type.String({ maxLength: 1000, description: 'Ignored' }))),
    roleId: Type.Optional(
      Nullable(Type.String({ maxLength: 100, description: 'Ignored: the path names it' })),
    ),
    attributes: Type.Optional(Type.Unknown({ description: 'Ignored' })),
  },
  { additionalProperties: false },
);

export const CustomerParams = Type.Object({ customerId: Uuid });
export const UserParams = Type.Object({ customerId: Uuid, userId: Uuid });
const RoleId = Type.String({
  minLength: 1,
  maxLength: 100,
  description: `${DIRECTORY_ROLES.join(', ')}, or Partner Center’s role template id`,
});
export const RoleParams = Type.Object({ customerId: Uuid, roleId: RoleId });
export const RoleMemberParams = Type.Object({ customerId: Uuid, roleId: RoleId, userId: Uuid });
