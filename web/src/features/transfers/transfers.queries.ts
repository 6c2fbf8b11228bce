// Transfers between partners for the console: a customer's eligibility list (the would-be target's view), the
// requests (partner-wide and one customer's), one request with its timeline (read again every 2 s while its
// subscriptions move), the count of received requests waiting, and the writes (create, accept, reject,
// cancel). Every write refreshes what shows requests and the subscriptions they move.
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
import { SUBSCRIPTIONS_KEY } from '../subscriptions/subscriptions.queries.ts';
import type { Direction, TransferStatus } from './model.ts';

type CustomerTransfersPath = paths['/v1/customers/{customerId}/transfers'];
export type Eligibility = Json<
  paths['/v1/customers/{customerId}/transferseligibility']['get']['responses'][200]
>['items'][number];
export type Transfer = Json<paths['/v1/transfers/{transferId}']['get']['responses'][200]>;
export type TransferLineItem = Transfer['lineItems'][number];
export type TimelineEntry = NonNullable<Transfer['timeline']>[number];
export type TransferSummary = Json<paths['/v1/transfers/summary']['get']['responses'][200]>;
export type CreateTransferBody = Json<CustomerTransfersPath['post']['requestBody']>;

// ── keys ──

export const TRANSFERS_KEY = ['transfers'] as const;
export const transferKey = (transferId: string) => [...TRANSFERS_KEY, 'one', transferId] as const;
const SUMMARY_KEY = [...TRANSFERS_KEY, 'summary'] as const;

/** How often a request whose subscriptions are moving is read again. */
export const POLL_MS = 2000;

// ── reads ──

/** The customer's subscriptions as the caller (the would-be target) may or may not take them over. */
export function useEligibility(customerId: string, enabled = true) {
  return useQuery({
    queryKey: [...TRANSFERS_KEY, 'eligibility', customerId],
    queryFn: () =>
      unwrap(
        api.GET('/v1/customers/{customerId}/transferseligibility', {
          params: { path: { customerId } },
        }),
      ),
    enabled,
  });
}

/** The partner's requests, newest first, a page at a time. */
export function useTransferList(
  opts: { direction?: Direction; status?: TransferStatus; customerId?: string; size: number },
  enabled = true,
) {
  return useInfiniteQuery({
    enabled,
    queryKey: [
      ...TRANSFERS_KEY,
      'list',
      opts.direction ?? 'both',
      opts.status ?? 'all',
      opts.customerId ?? '',
      opts.size,
    ],
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/v1/transfers', {
          params: {
            query: {
              direction: opts.direction,
              status: opts.status,
              customerId: opts.customerId,
              size: opts.size,
              continuationToken: pageParam,
            },
          },
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => nextToken(last.links),
    placeholderData: keepPreviousData,
  });
}

/** Received requests waiting for an answer and the others counted, for the navigation and the list. */
export function useTransferSummary(enabled = true) {
  return useQuery({
    queryKey: SUMMARY_KEY,
    queryFn: () => unwrap(api.GET('/v1/transfers/summary', {})),
    enabled,
    // A request can arrive any time; the count is cheap.
    refetchInterval: 60_000,
    retry: false,
  });
}

/** One request with its timeline, read again every 2 s while its subscriptions move. */
export function useTransfer(transferId: string) {
  return useQuery({
    queryKey: transferKey(transferId),
    queryFn: () => unwrap(api.GET('/v1/transfers/{transferId}', { params: { path: { transferId } } })),
    refetchInterval: (query) => (query.state.data?.status === 'inProgress' ? POLL_MS : false),
  });
}

// ── writes ──

export function useTransferMutations(customerId: string) {
  const queryClient = useQueryClient();
  // Requests, the count in the navigation, the customer's subscriptions and the removal blockers.
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: TRANSFERS_KEY }),
      queryClient.invalidateQueries({ queryKey: [...SUBSCRIPTIONS_KEY, customerId] }),
      queryClient.invalidateQueries({ queryKey: ['relationships', 'removal-check', customerId] }),
    ]);
  const show = (t: Transfer) => {
    // The write answers the request without its timeline: keep the one shown until it is read again.
    queryClient.setQueryData<Transfer>(transferKey(t.id), (old) => ({
      ...t,
      timeline: t.timeline ?? old?.timeline,
    }));
    return refresh();
  };
  const path = (transferId: string) => ({ customerId, transferId });
  return {
    create: useMutation({
      mutationFn: (args: { body: CreateTransferBody; requestId: string }) =>
        unwrap(
          api.POST('/v1/customers/{customerId}/transfers', {
            params: { path: { customerId }, header: { 'MS-RequestId': args.requestId } },
            body: args.body,
          }),
        ),
      onSuccess: show,
    }),
    accept: useMutation({
      mutationFn: (args: { transferId: string; subscriptionIds?: string[] }) =>
        unwrap(
          api.POST('/v1/customers/{customerId}/transfers/{transferId}/accept', {
            params: { path: path(args.transferId) },
            body: args.subscriptionIds ? { subscriptionIds: args.subscriptionIds } : {},
          }),
        ),
      onSuccess: show,
    }),
    reject: useMutation({
      mutationFn: (args: { transferId: string; reason: string }) =>
        unwrap(
          api.POST('/v1/customers/{customerId}/transfers/{transferId}/reject', {
            params: { path: path(args.transferId) },
            body: { reason: args.reason },
          }),
        ),
      onSuccess: show,
    }),
    cancel: useMutation({
      mutationFn: (transferId: string) =>
        unwrap(
          api.POST('/v1/customers/{customerId}/transfers/{transferId}/cancel', {
            params: { path: path(transferId) },
          }),
        ),
      onSuccess: show,
    }),
  };
}
