// Partner roles and what each may do (PRODUCT.md "Partner roles"). Every route names one operation;
// the auth plugin checks it with `allows`, the only authorization check in the system.

export const ROLES = [
  'globalAdmin',
  'adminAgent',
  'salesAgent',
  'helpdeskAgent',
  'billingAdmin',
  'userManagementAdmin',
] as const;
export type Role = (typeof ROLES)[number];

/** A user holds at most one agent role; admin roles combine freely. */
export const AGENT_ROLES: readonly Role[] = ['adminAgent', 'salesAgent', 'helpdeskAgent'];

export const ROLE_LABELS: Record<Role, string> = {
  globalAdmin: 'Global admin',
  adminAgent: 'Admin agent',
  salesAgent: 'Sales agent',
  helpdeskAgent: 'Helpdesk agent',
  billingAdmin: 'Billing admin',
  userManagementAdmin: 'User management admin',
};

const GA = 'globalAdmin';
const AA = 'adminAgent';
const SA = 'salesAgent';
const HA = 'helpdeskAgent';
const BA = 'billingAdmin';
const UMA = 'userManagementAdmin';

/**
 * Operation → roles allowed. `public` needs no sign-in; `self` needs only a signed-in user (own profile,
 * own API tokens, sign-out). Later features add their operations here.
 */
export const OPERATIONS = {
  public: [],
  self: [],
  'customers.view': [GA, AA, SA, HA],
  'customers.add': [GA, AA, SA, UMA],
  // Company details (name, registration number): helpdesk agents too. The billing profile and the customer
  // agreement: not helpdesk agents (PRODUCT.md "update customer account info / billing profile").
  'customers.update': [GA, AA, SA, HA],
  'customers.updateBilling': [GA, AA, SA],
  'relationships.request': [GA, AA, SA],
  'relationships.remove': [GA],
  // A customer's directory and licences: reading them and changing them go together (PRODUCT.md "customer
  // users, licenses, bulk upload, password reset"); the instance policy may still make them read-only.
  'customerUsers.view': [GA, AA, UMA],
  'customerUsers.manage': [GA, AA, UMA],
  // The catalog is no secret: anyone working for a partner may read it.
  'offers.view': [GA, AA, SA, HA, BA, UMA],
  // Seeing a customer's subscriptions goes with seeing the customer; changing them is selling.
  'subscriptions.view': [GA, AA, SA, HA],
  'subscriptions.manage': [GA, AA, SA],
  'transfers.manage': [GA, AA, SA],
  'transfers.view': [GA, AA, SA, BA],
  'billing.manage': [GA, AA, BA],
  'support.manage': [GA, AA, HA],
  'support.view': [GA, AA, SA, HA],
  'activity.view': [GA, AA, BA],
  'partnerUsers.manage': [GA, UMA],
  // The customer-facing pages: no partner role opens them. The auth plugin requires a customer session
  // (POST /v1/customer/sessions) instead of a partner credential, and refuses partner credentials.
  customerPortal: [],
} as const satisfies Record<string, readonly Role[]>;
export type Operation = keyof typeof OPERATIONS;

export function allows(roles: readonly string[], operation: Operation): boolean {
  if (operation === 'public' || operation === 'self') return true;
  const allowed: readonly string[] = OPERATIONS[operation];
  return roles.some((r) => allowed.includes(r));
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
