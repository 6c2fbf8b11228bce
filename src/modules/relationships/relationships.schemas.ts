// Request and response shapes of reseller relationships: the partner's invitation link and its email text, the
// partner's invitations, the removal preflight and removal; and the customer-facing side: the invitation as a
// customer sees it, customer sign-in, the signed-in customer, acceptance and the customer's partners.
import { Type } from 'typebox';
import { Collection, DateTime, PageQuery, Uuid } from '../../http/schemas.ts';
import { INSTANCE_IDS } from '../instances/instances.ts';
import { errors } from '../partners/partners.schemas.ts';

export { errors };

const Instance = Type.Enum([...INSTANCE_IDS]);

// ── partner side ──

export const RelationshipRequestQuery = Type.Object({
  includeDelegatedAdminPrivileges: Type.Optional(
    Type.Boolean({
      default: true,
      description:
        'Whether accepting grants you delegated admin privileges (default true). Omitting them is allowed only ' +
        'in the global cloud instance.',
    }),
  ),
});

export const RelationshipRequestSchema = Type.Object({
  id: Uuid,
  url: Type.String({ description: 'Your personal invitation link; send it to the customer' }),
  includeDelegatedAdminPrivileges: Type.Boolean(),
  createdAt: DateTime,
  expiresAt: DateTime,
  emailText: Type.Object(
    { subject: Type.String(), body: Type.String() },
    { description: 'A ready-to-send email (English) naming you, what is asked and the link' },
  ),
  attributes: Type.Object({ objectType: Type.Literal('RelationshipRequest') }),
});

export const InvitationState = Type.Union([
  Type.Literal('active'),
  Type.Literal('expired'),
  Type.Literal('revoked'),
]);

export const InvitationSchema = Type.Object({
  id: Uuid,
  tokenPrefix: Type.String({ description: 'The first characters after pdi_ in the link, to recognise it' }),
  includeDelegatedAdminPrivileges: Type.Boolean(),
  state: InvitationState,
  createdAt: DateTime,
  expiresAt: DateTime,
  revokedAt: Type.Union([DateTime, Type.Null()]),
  createdBy: Type.Object({ id: Uuid, userName: Type.Union([Type.String(), Type.Null()]) }),
  acceptedCount: Type.Integer({ minimum: 0, description: 'How many customers accepted this link' }),
  attributes: Type.Object({ objectType: Type.Literal('RelationshipInvitation') }),
});

export const InvitationList = Collection(InvitationSchema);
export const InvitationListQuery = Type.Object({ ...PageQuery });
export const InvitationParams = Type.Object({ id: Uuid });

export const BlockerSchema = Type.Object({
  code: Type.String({ description: 'What blocks, e.g. activeSubscription' }),
  description: Type.String(),
  fix: Type.String({ description: 'What to do to clear it' }),
  resourceId: Type.Optional(Type.String()),
});

export const RemovalCheckSchema = Type.Object({
  canRemove: Type.Boolean(),
  blockers: Type.Array(BlockerSchema),
  attributes: Type.Object({ objectType: Type.Literal('RelationshipRemovalCheck') }),
});

export const RemoveRelationshipBody = Type.Object(
  {
    relationshipToPartner: Type.Enum(['none'], {
      description: '"none" removes your reseller relationship with the customer',
    }),
    attributes: Type.Optional(Type.Object({}, { additionalProperties: true })),
  },
  { additionalProperties: false },
);

// ── customer side ──

export const TokenParams = Type.Object({
  token: Type.String({ minLength: 1, maxLength: 200, description: 'The token of the invitation link' }),
});

export const InvitationPreviewSchema = Type.Object({
  partner: Type.Object({ name: Type.String(), instance: Instance, country: Type.String() }),
  includesDelegatedAdminPrivileges: Type.Boolean(),
  expiresAt: DateTime,
  attributes: Type.Object({ objectType: Type.Literal('RelationshipInvitationPreview') }),
});

export const CustomerSignInBody = Type.Object({
  userName: Type.String({ minLength: 1, maxLength: 254 }),
  password: Type.String({ minLength: 1, maxLength: 1024 }),
});

const CustomerUser = Type.Object({
  id: Uuid,
  userName: Type.String(),
  displayName: Type.String(),
  roles: Type.Array(Type.String(), { description: 'Directory roles in your tenant, e.g. globalAdmin' }),
});

const CustomerSummary = Type.Object({
  id: Uuid,
  name: Type.String(),
  domain: Type.String(),
});

export const CustomerSessionSchema = Type.Object({
  access_token: Type.String({ description: 'A customer session token (pdu_…); not a partner credential' }),
  token_type: Type.Literal('Bearer'),
  expires_in: Type.Integer({ description: 'Seconds until the token expires' }),
  mustChangePassword: Type.Boolean({ description: 'Change the temporary password before anything else' }),
  user: CustomerUser,
  customer: CustomerSummary,
});

export const CustomerMeSchema = Type.Object({
  user: Type.Object({ ...CustomerUser.properties, mustChangePassword: Type.Boolean() }),
  customer: Type.Object({ ...CustomerSummary.properties, instance: Instance }),
  customerAgreement: Type.Object({
    confirmed: Type.Boolean(),
    dateAgreed: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
  }),
  attributes: Type.Object({ objectType: Type.Literal('CustomerPortalProfile') }),
});

export const CustomerChangePasswordBody = Type.Object(
  {
    currentPassword: Type.String({ minLength: 1, maxLength: 1024 }),
    newPassword: Type.String({ minLength: 1, maxLength: 1024 }),
  },
  { additionalProperties: false },
);

const Text = (maxLength: number, description?: string) =>
  Type.String({ maxLength, ...(description ? { description } : {}) });

export const AcceptBody = Type.Object(
  {
    customerAgreement: Type.Optional(
      Type.Object(
        {
          firstName: Text(1000, "The signer's first name, 1–50 characters"),
          lastName: Text(1000, "The signer's last name, 1–50 characters"),
          email: Text(1000),
          phoneNumber: Type.Optional(Type.Union([Text(1000), Type.Null()])),
          dateAgreed: Text(100, 'YYYY-MM-DD, not in the future'),
        },
        {
          description:
            'Required when your organisation has not yet accepted the customer agreement: its signer and the ' +
            'day of acceptance',
        },
      ),
    ),
  },
  { additionalProperties: false },
);

export const AcceptanceSchema = Type.Object({
  partner: Type.Object({ id: Uuid, name: Type.String() }),
  customer: Type.Object({ id: Uuid, name: Type.String() }),
  relationshipToPartner: Type.Literal('reseller'),
  delegatedAdminPrivileges: Type.Boolean(),
  outcome: Type.Union(
    [
      Type.Literal('created'),
      Type.Literal('reactivated'),
      Type.Literal('delegatedAdminGranted'),
      Type.Literal('unchanged'),
    ],
    { description: 'What accepting changed; unchanged when the relationship was already as invited' },
  ),
  relationshipEstablishedAt: DateTime,
  attributes: Type.Object({ objectType: Type.Literal('RelationshipAcceptance') }),
});

export const CustomerPartnerSchema = Type.Object({
  id: Uuid,
  name: Type.String(),
  country: Type.String(),
  instance: Instance,
  delegatedAdminPrivileges: Type.Boolean({ description: 'Whether this partner holds DAP for your tenant' }),
  relationshipEstablishedAt: DateTime,
  attributes: Type.Object({ objectType: Type.Literal('PartnerRelationship') }),
});

export const CustomerPartnerList = Collection(CustomerPartnerSchema);
export const PartnerParams = Type.Object({ partnerId: Uuid });
