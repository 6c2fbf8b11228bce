// Customer accounts for the console: the list (search, sort, paging) and its CSV export link, one customer
// with its agreements, the country data the address forms need, the domain check, and the writes. Every write
// refreshes what shows the customer (the list, the customer page, the dashboard count).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { paths } from '../../api/schema';
import { ApiError, api, unwrap, type Json } from '../../api/client.ts';

export type Customer = Json<paths['/v1/customers/{customerId}']['get']['responses'][200]>;
export type CreatedCustomer = Json<paths['/v1/customers']['post']['responses'][201]>;
export type CreateCustomerBody = Json<paths['/v1/customers']['post']['requestBody']>;
export type BillingProfile = Customer['billingProfile'];
export type CompanyProfile = Customer['companyProfile'];
export type AddressView = BillingProfile['defaultAddress'];
export type BillingProfileBody = Json<
  paths['/v1/customers/{customerId}/profiles/billing']['put']['requestBody']
>;
export type CompanyProfileBody = Json<
  paths['/v1/customers/{customerId}/profiles/company']['put']['requestBody']
>;
export type AgreementBody = Json<paths['/v1/customers/{customerId}/agreements']['post']['requestBody']>;
export type Agreement = Json<
  paths['/v1/customers/{customerId}/agreements']['get']['responses'][200]
>['items'][number];
export type CountrySummary = Json<paths['/v1/countries']['get']['responses'][200]>['items'][number];
export type CountryRules = Json<paths['/v1/countryvalidationrules/{iso2}']['get']['responses'][200]>;
export type AddressInput = Json<paths['/v1/validations/address']['post']['requestBody']>;
export type AddressValidation = Json<paths['/v1/validations/address']['post']['responses'][200]>;

export const CUSTOMERS_KEY = ['customers'] as const;

export const CUSTOMER_SORTS = ['name', 'createdAt'] as const;
export type CustomerSort = (typeof CUSTOMER_SORTS)[number];

/** What the list page asks for; empty means "not filtered" (the API's defaults: name, ascending). */
export interface CustomerFilters {
  q?: string;
  match?: 'prefix' | 'contains';
  sort?: CustomerSort;
  order?: 'asc' | 'desc';
}

export function fetchCustomers(opts: CustomerFilters & { size: number; continuationToken?: string }) {
  return unwrap(api.GET('/v1/customers', { params: { query: opts } }));
}

/** The CSV download of the same selection (the whole list without a search); the session cookie signs it. */
export function exportHref(filters: CustomerFilters): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value) query.set(key, value);
  const qs = query.toString();
  return `/v1/customers/export.csv${qs ? `?${qs}` : ''}`;
}

export function useCustomer(customerId: string) {
  return useQuery({
    queryKey: [...CUSTOMERS_KEY, 'one', customerId],
    queryFn: () => unwrap(api.GET('/v1/customers/{customerId}', { params: { path: { customerId } } })),
  });
}

export function useAgreements(customerId: string) {
  return useQuery({
    queryKey: [...CUSTOMERS_KEY, 'one', customerId, 'agreements'],
    queryFn: () =>
      unwrap(api.GET('/v1/customers/{customerId}/agreements', { params: { path: { customerId } } })),
  });
}

/** The profiles as they are now (after a 412 that did not carry them). */
export function fetchBillingProfile(customerId: string) {
  return unwrap(api.GET('/v1/customers/{customerId}/profiles/billing', { params: { path: { customerId } } }));
}

export function fetchCompanyProfile(customerId: string) {
  return unwrap(api.GET('/v1/customers/{customerId}/profiles/company', { params: { path: { customerId } } }));
}

/** The customer count for the dashboard: one item asked, the total read. */
export function useCustomerCount(enabled: boolean) {
  return useQuery({
    queryKey: [...CUSTOMERS_KEY, 'count'],
    queryFn: () => unwrap(api.GET('/v1/customers', { params: { query: { size: 1 } } })),
    enabled,
  });
}

// ── country data: the same for everyone and rarely changing, so read once per session ──

export function useCountries(language: 'en' | 'ru' | 'de') {
  return useQuery({
    queryKey: ['countries', language],
    queryFn: () => unwrap(api.GET('/v1/countries', { params: { query: { language } } })),
    staleTime: Infinity,
  });
}

export function useCountryRules(iso2: string | undefined) {
  return useQuery({
    queryKey: ['countryvalidationrules', iso2],
    queryFn: () =>
      unwrap(api.GET('/v1/countryvalidationrules/{iso2}', { params: { path: { iso2: iso2 ?? '' } } })),
    enabled: Boolean(iso2),
    staleTime: Infinity,
  });
}

export function validateAddress(address: AddressInput): Promise<AddressValidation> {
  return unwrap(api.POST('/v1/validations/address', { body: address }));
}

// ── domain availability ──

export type DomainCheck = { state: 'available' } | { state: 'taken' } | { state: 'invalid'; reason: string };

/**
 * Is `domain` free? GET rather than HEAD (which the API also answers): a HEAD response has no body, and the
 * reason a prefix is not valid is in the body.
 */
export async function checkDomain(domain: string): Promise<DomainCheck> {
  try {
    await unwrap(api.GET('/v1/domains/{domain}', { params: { path: { domain } } }));
    return { state: 'taken' };
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return { state: 'available' };
    if (error instanceof ApiError && error.status === 400)
      return { state: 'invalid', reason: error.fieldError('domain') ?? error.description };
    throw error;
  }
}

// ── writes ──

export function useCustomerMutations() {
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: CUSTOMERS_KEY });
  return {
    create: useMutation({
      mutationFn: (args: { body: CreateCustomerBody; requestId: string }) =>
        unwrap(
          api.POST('/v1/customers', {
            body: args.body,
            params: { header: { 'MS-RequestId': args.requestId } },
          }),
        ),
      onSuccess: refresh,
    }),
    // If-Match: a change made meanwhile by someone else is refused (412, with the current profile) rather than
    // overwritten.
    updateBilling: useMutation({
      mutationFn: (args: { customerId: string; etag: string; body: BillingProfileBody }) =>
        unwrap(
          api.PUT('/v1/customers/{customerId}/profiles/billing', {
            params: { path: { customerId: args.customerId } },
            body: args.body,
            headers: { 'If-Match': args.etag },
          }),
        ),
      onSettled: refresh,
    }),
    updateCompany: useMutation({
      mutationFn: (args: { customerId: string; etag: string; body: CompanyProfileBody }) =>
        unwrap(
          api.PUT('/v1/customers/{customerId}/profiles/company', {
            params: { path: { customerId: args.customerId } },
            body: args.body,
            headers: { 'If-Match': args.etag },
          }),
        ),
      onSettled: refresh,
    }),
    confirmAgreement: useMutation({
      mutationFn: (args: { customerId: string; body: AgreementBody }) =>
        unwrap(
          api.POST('/v1/customers/{customerId}/agreements', {
            params: { path: { customerId: args.customerId } },
            body: args.body,
          }),
        ),
      onSuccess: refresh,
    }),
  };
}
