// Customer bodies and a creation helper for route tests: a valid POST /v1/customers body per cloud instance,
// with unique domains, and overrides for the field under test.
import { randomBytes, randomUUID } from 'node:crypto';
import type { App } from '../../src/app.ts';
import type { Store } from '../../src/db/database.ts';
import { foldForSearch } from '../../src/lib/text.ts';
import { bearer } from './factories.ts';

const SUFFIX = {
  global: 'onpartnerdesk.com',
  usgov: 'onpartnerdesk.us',
  germany: 'onpartnerdesk.de',
} as const;

export const uniquePrefix = (base = 'cust') => `${base}${randomBytes(4).toString('hex')}`;

export function customerBody(opts: { name?: string; prefix?: string; instance?: keyof typeof SUFFIX } = {}): {
  companyProfile: Record<string, unknown>;
  billingProfile: Record<string, unknown> & { defaultAddress: Record<string, unknown> };
  customerAgreement?: Record<string, unknown>;
} {
  const prefix = opts.prefix ?? uniquePrefix();
  return {
    companyProfile: { domain: `${prefix}.${SUFFIX[opts.instance ?? 'global']}` },
    billingProfile: {
      firstName: 'Bill',
      lastName: 'Payer',
      email: 'billing@contoso.example',
      culture: 'en-US',
      language: 'en',
      companyName: opts.name ?? `Contoso ${prefix}`,
      defaultAddress: {
        country: 'US',
        city: 'Redmond',
        state: 'WA',
        addressLine1: '1 Microsoft Way',
        postalCode: '98052',
        firstName: 'Pat',
        lastName: 'Primary',
        phoneNumber: '+1 425 555 0100',
      },
    },
  };
}

/** A customer made through the API by `token`; answers the created resource (with its one-time credentials). */
export async function createCustomer(
  app: App,
  token: string,
  opts: Parameters<typeof customerBody>[0] = {},
): Promise<
  { id: string; userCredentials: { userName: string; password: string } } & Record<string, unknown>
> {
  const r = await app.inject({
    method: 'POST',
    url: '/v1/customers',
    headers: bearer(token),
    payload: customerBody(opts),
  });
  if (r.statusCode !== 201) throw new Error(`createCustomer: ${r.statusCode} ${r.body}`);
  return r.json();
}

/**
 * A customer of `partnerId` written straight into the store (owner connection): the tenant, its primary domain
 * and an active reseller relationship with DAP — what POST /v1/customers makes, without the API.
 */
export async function insertCustomer(
  store: Store,
  partnerId: string,
  opts: { name?: string; prefix?: string; instance?: keyof typeof SUFFIX } = {},
): Promise<{ id: string; name: string; domain: string }> {
  const id = randomUUID();
  const name = opts.name ?? `Fixture Customer ${randomBytes(3).toString('hex')}`;
  const domain = `${opts.prefix ?? uniquePrefix('fixture')}.${SUFFIX[opts.instance ?? 'global']}`;
  const nameKey = foldForSearch(name);
  await store.owner.transaction().execute(async (trx) => {
    await trx
      .insertInto('customers')
      .values({
        id,
        instance: opts.instance ?? 'global',
        primary_domain: domain,
        company_name: name,
        registration_number: null,
        billing_email: 'billing@fixture.example',
        culture: 'en-US',
        language: 'en',
        billing_company_name: name,
        default_address: JSON.stringify({
          country: 'US',
          city: 'Redmond',
          state: 'WA',
          addressLine1: '1 Microsoft Way',
          postalCode: '98052',
          firstName: 'Pat',
          lastName: 'Primary',
        }),
        name_key: nameKey,
        domain_key: domain,
      })
      .execute();
    await trx
      .insertInto('customer_relationships')
      .values({
        partner_id: partnerId,
        customer_id: id,
        delegated_admin: true,
        removed_at: null,
        company_name: name,
        name_key: nameKey,
        primary_domain: domain,
        domain_key: domain,
        customer_created_at: new Date(),
      })
      .execute();
    await trx.insertInto('customer_domains').values({ domain, customer_id: id, is_primary: true }).execute();
  });
  return { id, name, domain };
}
