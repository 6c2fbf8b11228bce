// A customer's subscriptions and the offer catalog for the console: the offer search (in the customer's
// market), the subscriptions list and one subscription, its support contact, the CSV export link, and the
// writes (order, change, cancel, support contact). Every write refreshes what shows the subscriptions.
import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { ApiError, api, unwrap } from '../../api/client.ts';
import type { paths } from '../../api/schema';
import { csrfToken } from '../../api/csrf.ts';
import { nextToken } from '../activity/activity.queries.ts';

type Json<T> = T extends { content: { 'application/json': infer J } } ? J : never;

export type Offer = Json<paths['/v1/offers/{offerId}']['get']['responses'][200]>;
export type OfferPrice = Offer['prices'][number];

export type SubscriptionStatus = 'active' | 'suspended' | 'deleted' | 'cancelled';

export interface Subscription {
  id: string;
  customerId: string;
  offerId: string;
  offerName: string;
  friendlyName: string;
  quantity: number;
  unitType: string;
  status: SubscriptionStatus;
  productKind: string;
  billingType: 'license' | 'usage';
  billingCycle: string;
  termDuration: string | null;
  autoRenewEnabled: boolean;
  creationDate: string;
  effectiveStartDate: string;
  commitmentEndDate: string | null;
  partnerId: string;
  partnerName: string;
  orderId: string;
  parentSubscriptionId: string | null;
  isAddOn: boolean;
  suspensionReasons: string[];
  suspendedAt: string | null;
  deletionDate: string | null;
  cancellationDate: string | null;
  azureSubscriptionId: string | null;
  currency: string;
  unitPrice: number | null;
  cancellable: boolean;
  attributes: { etag: string };
}

export interface LineItemBody {
  offerId: string;
  quantity: number;
  friendlyName?: string;
  termDuration?: string;
  billingCycle?: string;
  parentSubscriptionId?: string;
  autoRenewEnabled?: boolean;
}

export interface Order {
  id: string;
  customerId: string;
  currencyCode: string;
  creationDate: string;
  status: string;
  lineItems: {
    lineItemNumber: number;
    offerId: string;
    subscriptionId: string;
    parentSubscriptionId: string | null;
    friendlyName: string;
    quantity: number;
    termDuration: string | null;
    billingCycle: string;
  }[];
}

export interface SupportContact {
  supportPartnerId: string;
  name: string;
  isPartnerOfRecord: boolean;
}

export interface SubscriptionPatch {
  quantity?: number;
  friendlyName?: string;
  autoRenewEnabled?: boolean;
  status?: 'active' | 'suspended';
  suspensionReasons?: string[];
}

interface Collection<T> {
  items: T[];
  totalCount: number;
  links: { next?: { uri: string } };
}

async function call<T>(
  method: string,
  path: string,
  opts: {
    query?: Record<string, string | number | undefined>;
    body?: unknown;
    headers?: Record<string, string>;
  } = {},
): Promise<T> {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(opts.query ?? {}))
    if (v !== undefined && v !== '') query.set(k, String(v));
  const qs = query.toString();
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const token = csrfToken.get();
  if (method !== 'GET' && token) headers['X-CSRF-Token'] = token;
  let res: Response;
  try {
    res = await fetch(`${path}${qs ? `?${qs}` : ''}`, {
      method,
      headers,
      credentials: 'same-origin',
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
  } catch {
    throw new ApiError(0, { name: 'networkError' });
  }
  const text = await res.text();
  const json: unknown = text ? JSON.parse(text) : undefined;
  if (!res.ok) throw new ApiError(res.status, (json ?? {}) as ConstructorParameters<typeof ApiError>[1]);
  return json as T;
}

const enc = encodeURIComponent;
const subsPath = (customerId: string) => `/v1/customers/${enc(customerId)}/subscriptions`;

export const SUBSCRIPTIONS_KEY = ['subscriptions'] as const;
const OFFERS_KEY = ['offers'] as const;

// ── offers ──

/** Offers sold in `country` matching `q` (name or id), in that market's currency. */
export function useOfferSearch(country: string, q: string, size: number) {
  return useQuery({
    queryKey: [...OFFERS_KEY, country, q, size],
    queryFn: () => unwrap(api.GET('/v1/offers', { params: { query: { country, q: q || undefined, size } } })),
    enabled: Boolean(country),
    placeholderData: keepPreviousData,
    staleTime: 5 * 60_000,
  });
}

/** One offer (its quantity limits for a subscription's quantity form); absent when it left the catalog. */
export function useOffer(offerId: string, country: string | undefined) {
  return useQuery({
    queryKey: [...OFFERS_KEY, 'one', offerId, country],
    queryFn: () =>
      unwrap(api.GET('/v1/offers/{offerId}', { params: { path: { offerId }, query: { country } } })),
    enabled: Boolean(offerId),
    retry: false,
    staleTime: 5 * 60_000,
  });
}

// ── subscriptions ──

export function fetchSubscriptions(
  customerId: string,
  opts: { status?: SubscriptionStatus; size: number; continuationToken?: string },
) {
  return call<Collection<Subscription>>('GET', subsPath(customerId), { query: { ...opts } });
}

export function useSubscriptionList(
  customerId: string,
  status: SubscriptionStatus | undefined,
  size: number,
  enabled = true,
) {
  return useInfiniteQuery({
    enabled,
    queryKey: [...SUBSCRIPTIONS_KEY, customerId, 'list', status ?? 'all', size],
    queryFn: ({ pageParam }) =>
      fetchSubscriptions(customerId, { status, size, continuationToken: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => nextToken(last.links),
    placeholderData: keepPreviousData,
  });
}

/** The customer's active subscriptions (the possible bases of an add-on). */
export function useActiveSubscriptions(customerId: string, enabled: boolean) {
  return useQuery({
    queryKey: [...SUBSCRIPTIONS_KEY, customerId, 'active'],
    queryFn: () => fetchSubscriptions(customerId, { status: 'active', size: 1000 }),
    enabled,
  });
}

export function fetchSubscription(customerId: string, subscriptionId: string) {
  return call<Subscription>('GET', `${subsPath(customerId)}/${enc(subscriptionId)}`);
}

export function subscriptionKey(customerId: string, subscriptionId: string) {
  return [...SUBSCRIPTIONS_KEY, customerId, 'one', subscriptionId] as const;
}

export function useSubscription(customerId: string, subscriptionId: string) {
  return useQuery({
    queryKey: subscriptionKey(customerId, subscriptionId),
    queryFn: () => fetchSubscription(customerId, subscriptionId),
  });
}

export function useSupportContact(customerId: string, subscriptionId: string) {
  return useQuery({
    queryKey: [...subscriptionKey(customerId, subscriptionId), 'supportcontact'],
    queryFn: () =>
      call<SupportContact>('GET', `${subsPath(customerId)}/${enc(subscriptionId)}/supportcontact`),
  });
}

/** The CSV download of the customer's subscriptions with the same status filter; the session cookie signs it. */
export function exportHref(customerId: string, status: SubscriptionStatus | undefined): string {
  return `${subsPath(customerId)}/export.csv${status ? `?status=${status}` : ''}`;
}

// ── writes ──

export function useSubscriptionMutations(customerId: string) {
  const queryClient = useQueryClient();
  // The list, every subscription of the customer (an add-on follows its base), the removal blockers.
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: [...SUBSCRIPTIONS_KEY, customerId] }),
      queryClient.invalidateQueries({ queryKey: ['relationships', 'removal-check', customerId] }),
    ]);
  const show = (s: Subscription) => queryClient.setQueryData(subscriptionKey(customerId, s.id), s);
  return {
    order: useMutation({
      mutationFn: (args: { lineItems: LineItemBody[]; requestId: string }) =>
        call<Order>('POST', `/v1/customers/${enc(customerId)}/orders`, {
          body: { lineItems: args.lineItems },
          headers: { 'MS-RequestId': args.requestId },
        }),
      onSuccess: refresh,
    }),
    // If-Match: a change made meanwhile by someone else is refused (412, with the current subscription).
    update: useMutation({
      mutationFn: (args: { subscription: Subscription; body: SubscriptionPatch }) =>
        call<Subscription>('PATCH', `${subsPath(customerId)}/${enc(args.subscription.id)}`, {
          body: args.body,
          headers: { 'If-Match': args.subscription.attributes.etag },
        }),
      onSuccess: (s) => {
        show(s);
        return refresh();
      },
    }),
    cancel: useMutation({
      mutationFn: (subscription: Subscription) =>
        call<Subscription>('POST', `${subsPath(customerId)}/${enc(subscription.id)}/cancel`, {
          headers: { 'If-Match': subscription.attributes.etag },
        }),
      onSuccess: (s) => {
        show(s);
        return refresh();
      },
    }),
    setSupportContact: useMutation({
      mutationFn: (args: { subscriptionId: string; supportPartnerId: string }) =>
        call<SupportContact>('PUT', `${subsPath(customerId)}/${enc(args.subscriptionId)}/supportcontact`, {
          body: { supportPartnerId: args.supportPartnerId },
        }),
      onSuccess: (contact, args) =>
        queryClient.setQueryData(
          [...subscriptionKey(customerId, args.subscriptionId), 'supportcontact'],
          contact,
        ),
    }),
  };
}
