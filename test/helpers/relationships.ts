// Customer directory users and their sessions for relationship tests: written straight into the store (owner
// connection) where the test is not about sign-in, or through the API where it is.
import { randomBytes } from 'node:crypto';
import type { App } from '../../src/app.ts';
import type { Store } from '../../src/db/database.ts';
import { hashPassword } from '../../src/lib/passwords.ts';
import { hashSecret, newSecret } from '../../src/lib/tokens.ts';
import { createCustomer } from './customers.ts';
import { TEST_PASSWORD, bearer } from './factories.ts';

let cachedHash: Promise<string> | undefined;
const testPasswordHash = () => (cachedHash ??= hashPassword(TEST_PASSWORD));

/** A user of the customer's directory whose password is TEST_PASSWORD. */
export async function insertCustomerUser(
  store: Store,
  customerId: string,
  over: { roles?: string[]; mustChangePassword?: boolean; userName?: string } = {},
): Promise<{ id: string; userName: string }> {
  const userName = over.userName ?? `user-${randomBytes(4).toString('hex')}@customer.example`;
  const row = await store.owner
    .insertInto('customer_users')
    .values({
      customer_id: customerId,
      user_name: userName,
      first_name: null,
      last_name: null,
      display_name: userName.split('@')[0]!,
      password_hash: await testPasswordHash(),
      must_change_password: over.mustChangePassword ?? false,
      roles: over.roles ?? ['globalAdmin'],
      usage_location: 'US',
      updated_at: new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, userName };
}

/** A customer session's bearer token, as customer sign-in would issue, valid for an hour. */
export async function issueCustomerToken(store: Store, customerId: string, userId: string): Promise<string> {
  const token = newSecret('pdu');
  await store.owner
    .insertInto('customer_sessions')
    .values({
      token_hash: hashSecret(token),
      customer_id: customerId,
      user_id: userId,
      created_at: new Date(),
      expires_at: new Date(Date.now() + 3600_000),
    })
    .execute();
  return token;
}

/** Customer sign-in through the API; throws unless it succeeds. */
export async function signInCustomer(
  app: App,
  userName: string,
  password: string,
): Promise<{ access_token: string; mustChangePassword: boolean } & Record<string, unknown>> {
  const r = await app.inject({
    method: 'POST',
    url: '/v1/customer/sessions',
    payload: { userName, password },
  });
  if (r.statusCode !== 200) throw new Error(`signInCustomer: ${r.statusCode} ${r.body}`);
  return r.json();
}

export const NEW_CUSTOMER_PASSWORD = 'Customer-password-42';

/**
 * A customer made by the partner through the API, whose first Global admin has signed in and replaced the
 * temporary password: ready to accept invitations.
 */
export async function customerWithAdmin(
  app: App,
  partnerToken: string,
  opts: Parameters<typeof createCustomer>[2] = {},
): Promise<{ id: string; name: string; userName: string; token: string }> {
  const created = await createCustomer(app, partnerToken, opts);
  const { userName, password } = created.userCredentials;
  const session = await signInCustomer(app, userName, password);
  const changed = await app.inject({
    method: 'POST',
    url: '/v1/customer/me/password',
    headers: bearer(session.access_token),
    payload: { currentPassword: password, newPassword: NEW_CUSTOMER_PASSWORD },
  });
  if (changed.statusCode !== 204) throw new Error(`customerWithAdmin: ${changed.statusCode} ${changed.body}`);
  const name = (created.billingProfile as { companyName: string }).companyName;
  return { id: created.id, name, userName, token: session.access_token };
}

/** The partner's current invitation link and its token (the last path segment). */
export async function requestLink(
  app: App,
  partnerToken: string,
  includeDelegatedAdminPrivileges = true,
): Promise<{ id: string; url: string; token: string } & Record<string, unknown>> {
  const r = await app.inject({
    method: 'GET',
    url: `/v1/customers/relationshiprequests?includeDelegatedAdminPrivileges=${includeDelegatedAdminPrivileges}`,
    headers: bearer(partnerToken),
  });
  if (r.statusCode !== 200) throw new Error(`requestLink: ${r.statusCode} ${r.body}`);
  const body = r.json();
  return { ...body, token: String(body.url).split('/').pop()! };
}

export const AGREEMENT = {
  firstName: 'Casey',
  lastName: 'Customer',
  email: 'casey@customer.example',
  dateAgreed: '2026-11-30',
};

/** An active reseller relationship of `partnerId` with an existing customer, as accepting an invitation makes. */
export async function insertRelationship(store: Store, partnerId: string, customerId: string): Promise<void> {
  const c = await store.owner
    .selectFrom('customers')
    .selectAll()
    .where('id', '=', customerId)
    .executeTakeFirstOrThrow();
  await store.owner
    .insertInto('customer_relationships')
    .values({
      partner_id: partnerId,
      customer_id: customerId,
      delegated_admin: true,
      removed_at: null,
      company_name: c.billing_company_name,
      name_key: c.name_key,
      primary_domain: c.primary_domain,
      domain_key: c.domain_key,
      customer_created_at: c.created_at,
    })
    .execute();
}
