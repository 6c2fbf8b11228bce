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
import { api, unwrap, type Json } from '../../api/client.ts';
import type { paths } from '../../api/schema';
import { nextToken } from '../activity/activity.queries.ts';

export type Offer = Json<paths['/v1/offers/{offerId}']['get']['responses'][200]>;
export type OfferPrice = Offer['prices'][number];

type SubscriptionPath = paths['/v1/customers/{customerId}/subscriptions/{subscriptionId}'];
type OrdersPath = paths['/v1/customers/{customerId}/orders'];

export type Subscription = Json<SubscriptionPath['get']['responses'][200]>;
export type SubscriptionStatus = Subscription['status'];
export type SubscriptionPatch = Json<SubscriptionPath['patch']['requestBody']>;
export type Order = Json<OrdersPath['post']['responses'][201]>;
export type LineItemBody = Json<OrdersPath['post']['requestBody']>['lineItems'][number];
export type SupportContact = Json<
  paths['/v1/customers/{customerId}/subscriptions/{subscriptionId}/supportcontact']['get']['responses'][200]
>;

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
  return unwrap(
    api.GET('/v1/customers/{customerId}/subscriptions', { params: { path: { customerId }, query: opts } }),
  );
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
  return unwrap(
    api.GET('/v1/customers/{customerId}/subscriptions/{subscriptionId}', {
      params: { path: { customerId, subscriptionId } },
    }),
  );
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
      unwrap(
        api.GET('/v1/customers/{customerId}/subscriptions/{subscriptionId}/supportcontact', {
          params: { path: { customerId, subscriptionId } },
        }),
      ),
  });
}

/** The CSV download of the customer's subscriptions with the same status filter; the session cookie signs it. */
export function exportHref(customerId: string, status: SubscriptionStatus | undefined): string {
  const path = `/v1/customers/${encodeURIComponent(customerId)}/subscriptions/export.csv`;
  return status ? `${path}?status=${status}` : path;
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
        unwrap(
          api.POST('/v1/customers/{customerId}/orders', {
            params: { path: { customerId }, header: { 'MS-RequestId': args.requestId } },
            body: { lineItems: args.lineItems },
          }),
        ),
      onSuccess: refresh,
    }),
    // If-Match: a change made meanwhile by someone else is refused (412, with the current subscription).
    update: useMutation({
      mutationFn: (args: { subscription: Subscription; body: SubscriptionPatch }) =>
        unwrap(
          api.PATCH('/v1/customers/{customerId}/subscriptions/{subscriptionId}', {
            params: { path: { customerId, subscriptionId: args.subscription.id } },
            body: args.body,
            headers: { 'If-Match': args.subscription.attributes.etag },
          }),
        ),
      onSuccess: (s) => {
        show(s);
        return refresh();
      },
    }),
    cancel: useMutation({
      mutationFn: (subscription: Subscription) =>
        unwrap(
          api.POST('/v1/customers/{customerId}/subscriptions/{subscriptionId}/cancel', {
            params: { path: { customerId, subscriptionId: subscription.id } },
            headers: { 'If-Match': subscription.attributes.etag },
          }),
        ),
      onSuccess: (s) => {
        show(s);
        return refresh();
      },
    }),
    setSupportContact: useMutation({
      mutationFn: (args: { subscriptionId: string; supportPartnerId: string }) =>
        unwrap(
          api.PUT('/v1/customers/{customerId}/subscriptions/{subscriptionId}/supportcontact', {
            params: { path: { customerId, subscriptionId: args.subscriptionId } },
            body: { supportPartnerId: args.supportPartnerId },
          }),
        ),
      onSuccess: (contact, args) =>
        queryClient.setQueryData(
          [...subscriptionKey(customerId, args.subscriptionId), 'supportcontact'],
          contact,
        ),
    }),
  };
}
