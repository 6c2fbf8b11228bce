// Request and response shapes of the partners module: partner users, the caller's profile, the partner
// organisation, API tokens and sign-in. Resources are camelCase with `attributes: {objectType, etag}`.
import { Type } from 'typebox';
import { Attributes, Collection, DateTime, PageQuery, Uuid } from '../../http/schemas.ts';
import { CAPABILITIES, INSTANCE_IDS } from '../instances/instances.ts';
import { ROLES } from './roles.ts';

export const LANGUAGES = ['en', 'ru', 'de'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Error responses refer to the shared envelope registered by the errors plugin. */
export const ErrorRef = Type.Ref('Error');
export const errors = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [s, ErrorRef])) as Record<number, typeof ErrorRef>;

const literals = <T extends string>(values: readonly T[], description?: string) =>
  Type.Enum([...values] as T[], description ? { description } : {});

export const RoleSchema = literals(ROLES, 'A partner role');
export const RolesSchema = Type.Array(RoleSchema, {
  minItems: 1,
  maxItems: ROLES.length,
  description: 'At most one agent role (adminAgent, salesAgent, helpdeskAgent); admin roles combine freely',
});
export const UserState = literals(['active', 'inactive'] as const);
export const LanguageSchema = literals(LANGUAGES, 'Console language');
const Email = Type.String({ minLength: 3, maxLength: 254, description: 'An email address' });
const DisplayName = Type.String({ minLength: 1, maxLength: 100 });

export const InstancePolicy = Type.Object(
  Object.fromEntries(CAPABILITIES.map((c) => [c, Type.Boolean()])) as Record<
    (typeof CAPABILITIES)[number],
    ReturnType<typeof Type.Boolean>
  >,
  { description: 'What partners in this cloud instance may do' },
);

export const InstanceSchema = Type.Object({
  id: literals(INSTANCE_IDS),
  name: Type.String(),
  domainSuffix: Type.String(),
  policy: InstancePolicy,
});

const PartnerKind = literals(['direct', 'indirectProvider', 'indirectReseller'] as const);

export const PartnerSummary = Type.Object({
  id: Uuid,
  name: Type.String(),
  instance: literals(INSTANCE_IDS),
  kind: PartnerKind,
  country: Type.String(),
});

export const PartnerSchema = Type.Object({
  id: Uuid,
  name: Type.String(),
  country: Type.String(),
  kind: PartnerKind,
  state: UserState,
  createdAt: DateTime,
  instance: InstanceSchema,
  attributes: Attributes('Partner'),
});

export const PartnerUserSchema = Type.Object({
  id: Uuid,
  userName: Type.String(),
  displayName: Type.String(),
  roles: Type.Array(RoleSchema),
  state: UserState,
  language: Type.Union([LanguageSchema, Type.Null()]),
  mustChangePassword: Type.Boolean(),
  lockedUntil: Type.Union([DateTime, Type.Null()]),
  lastSignInAt: Type.Union([DateTime, Type.Null()]),
  createdAt: DateTime,
  updatedAt: DateTime,
  attributes: Attributes('PartnerUser'),
});

export const PartnerUserWithPassword = Type.Object({
  ...PartnerUserSchema.properties,
  temporaryPassword: Type.String({ description: 'Shown once; the user must change it at first sign-in' }),
});

export const PartnerUserList = Collection(PartnerUserSchema);

export const PartnerUserListQuery = Type.Object({
  ...PageQuery,
  q: Type.Optional(Type.String({ maxLength: 254, description: 'Part of the user name or display name' })),
  role: Type.Optional(RoleSchema),
  state: Type.Optional(UserState),
  sort: Type.Optional(
    literals(['displayName', 'userName', 'createdAt'] as const, 'Sort field (default createdAt)'),
  ),
  order: Type.Optional(literals(['asc', 'desc'] as const, 'Sort order (default asc)')),
});

export const CreatePartnerUserBody = Type.Object(
  { userName: Email, displayName: DisplayName, roles: RolesSchema },
  { additionalProperties: false },
);

export const UpdatePartnerUserBody = Type.Object(
  {
    displayName: Type.Optional(DisplayName),
    roles: Type.Optional(RolesSchema),
    state: Type.Optional(UserState),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const ProfileSchema = Type.Object({
  id: Uuid,
  userName: Type.String(),
  displayName: Type.String(),
  roles: Type.Array(RoleSchema, { description: 'The roles this credential acts with' }),
  language: Type.Union([LanguageSchema, Type.Null()]),
  mustChangePassword: Type.Boolean(),
  credentialKind: literals(['bearer', 'console', 'apiToken'] as const),
  partner: PartnerSummary,
  instance: InstanceSchema,
  attributes: Attributes('PartnerUserProfile'),
});

export const UpdateProfileBody = Type.Object(
  {
    displayName: Type.Optional(DisplayName),
    language: Type.Optional(Type.Union([LanguageSchema, Type.Null()])),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const ChangePasswordBody = Type.Object(
  {
    currentPassword: Type.String({ minLength: 1, maxLength: 1024 }),
    newPassword: Type.String({ minLength: 1, maxLength: 1024 }),
  },
  { additionalProperties: false },
);

export const PasswordReset = Type.Object({
  id: Uuid,
  userName: Type.String(),
  temporaryPassword: Type.String({ description: 'Shown once; the user must change it at next sign-in' }),
  mustChangePassword: Type.Literal(true),
  attributes: Type.Object({ objectType: Type.Literal('PartnerUserPasswordReset') }),
});

// ── API tokens ──

export const ApiTokenSchema = Type.Object({
  id: Uuid,
  name: Type.String(),
  prefix: Type.String({ description: 'The first characters after pdk_, to recognise the token' }),
  roles: Type.Array(RoleSchema),
  createdAt: DateTime,
  expiresAt: Type.Union([DateTime, Type.Null()]),
  lastUsedAt: Type.Union([DateTime, Type.Null()]),
  revokedAt: Type.Union([DateTime, Type.Null()]),
  owner: Type.Object({ id: Uuid, userName: Type.String() }),
  attributes: Attributes('ApiToken'),
});

export const ApiTokenCreated = Type.Object({
  ...ApiTokenSchema.properties,
  token: Type.String({ description: 'The secret; shown only now, store it safely' }),
});

export const ApiTokenList = Collection(ApiTokenSchema);

export const ApiTokenListQuery = Type.Object({ ...PageQuery });

export const CreateApiTokenBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    roles: RolesSchema,
    // Not nullable: with type coercion on, a 0 would silently become null (a token that never expires).
    expiresInDays: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 730,
        description: 'Days until the token expires (1–730); omit for a token that does not expire',
      }),
    ),
  },
  { additionalProperties: false },
);

// ── sign-in ──

export const SignInBody = Type.Object({
  userName: Type.String({ minLength: 1, maxLength: 254 }),
  password: Type.String({ minLength: 1, maxLength: 1024 }),
});

export const AccessToken = Type.Object({
  access_token: Type.String(),
  token_type: Type.Literal('Bearer'),
  expires_in: Type.Integer({ description: 'Seconds until the token expires' }),
});

export const ConsoleSession = Type.Object({
  csrfToken: Type.String({ description: 'Send as X-CSRF-Token on every write' }),
  mustChangePassword: Type.Boolean(),
  expiresAt: DateTime,
  profile: ProfileSchema,
});
