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
import type { Client } from 'openapi-fetch';
import { api, unwrap } from '../../api/client.ts';
import { nextToken } from '../activity/activity.queries.ts';
import { SUBSCRIPTIONS_KEY } from '../subscriptions/subscriptions.queries.ts';
import type { Direction, TransferStatus } from './model.ts';

// ── shapes (mirroring src/modules/transfers/transfers.schemas.ts) ──

interface Links {
  self: { uri: string; method: 'GET' };
  next?: { uri: string; method: 'GET'; headers: { key: string; value: string }[] };
}
interface Collection<T> {
  totalCount: number;
  items: T[];
  links: Links;
  attributes: { objectType: 'Collection' };
}

export interface Eligibility {
  id: string;
  subscriptionId: string;
  azureSubscriptionId: string | null;
  offerId: string;
  offerName: string;
  friendlyName: string;
  productKind: 'onlineService' | 'azure' | 'azurePlan' | 'reservation' | 'software';
  billingType: 'license' | 'usage';
  status: string;
  partnerIdOnRecord: string;
  partnerNameOnRecord: string;
  isEligible: boolean;
  reason: string | null;
  description: string | null;
  openTransferId: string | null;
}

export interface TransferLineItem {
  id: number;
  subscriptionId: string;
  azureSubscriptionId: string | null;
  offerId: string;
  offerName: string;
  friendlyName: string;
  quantity: number;
  billingCycle: string;
  partnerIdOnRecord: string;
  status: string;
  transferError: { code: string; description: string } | null;
  newSubscriptionId: string | null;
  completedTime: string | null;
}

export interface TimelineEntry {
  occurredAt: string;
  event: string;
  actor: { side: 'target' | 'source' | 'customer' | 'system'; name: string };
  details: Record<string, unknown>;
}

export interface Transfer {
  id: string;
  customerTenantId: string;
  customerName: string;
  sourcePartnerTenantId: string;
  sourcePartnerName: string;
  targetPartnerTenantId: string;
  targetPartnerName: string;
  direction: Direction;
  status: TransferStatus;
  note: string;
  customerConsent: {
    status: 'pending' | 'given' | 'declined';
    consentedAt: string | null;
    consentedBy: string | null;
    url: string;
  };
  rejection: { by: 'source' | 'customer'; reason: string; rejectedAt: string } | null;
  createdTime: string;
  createdBy: { id: string; name: string };
  lastModifiedTime: string;
  expiresAt: string | null;
  acceptedTime: string | null;
  acceptedBy: string | null;
  completedTime: string | null;
  progress: { total: number; completed: number; failed: number; percent: number };
  lineItems: TransferLineItem[];
  timeline?: TimelineEntry[];
  attributes: { objectType: 'Transfer'; etag: string };
}

export interface TransferSummary {
  receivedPending: number;
  receivedAwaitingConsent: number;
  sentPending: number;
  inProgress: number;
}

export interface CreateTransferBody {
  sourcePartnerTenantId?: string;
  subscriptionIds?: string[];
  allEligible?: boolean;
  note?: string;
}

type Json<T> = { content: { 'application/json': T } };
type ListQuery = {
  direction?: Direction;
  status?: TransferStatus;
  size?: number;
  continuationToken?: string;
};
type Write<P, B, R, S extends number> = {
  parameters: { path: P; header?: { 'MS-RequestId'?: string } };
  requestBody?: Json<B>;
  responses: Record<S, Json<R>>;
};

/** The transfer routes as the generated client will type them (until it does: the client is this shape). */
interface TransferPaths {
  '/v1/customers/{customerId}/transferseligibility': {
    get: {
      parameters: {
        path: { customerId: string };
        query?: { sourcePartnerId?: string; eligibleOnly?: boolean };
      };
      responses: { 200: Json<Collection<Eligibility>> };
    };
  };
  '/v1/customers/{customerId}/transfers': {
    get: {
      parameters: { path: { customerId: string }; query?: ListQuery };
      responses: { 200: Json<Collection<Transfer>> };
    };
    post: Write<{ customerId: string }, CreateTransferBody, Transfer, 201>;
  };
  '/v1/customers/{customerId}/transfers/{transferId}/accept': {
    post: Write<{ customerId: string; transferId: string }, { subscriptionIds?: string[] }, Transfer, 202>;
  };
  '/v1/customers/{customerId}/transfers/{transferId}/reject': {
    post: Write<{ customerId: string; transferId: string }, { reason: string }, Transfer, 200>;
  };
  '/v1/customers/{customerId}/transfers/{transferId}/cancel': {
    post: Write<{ customerId: string; transferId: string }, never, Transfer, 200>;
  };
  '/v1/transfers': {
    get: {
      parameters: { query?: ListQuery & { customerId?: string } };
      responses: { 200: Json<Collection<Transfer>> };
    };
  };
  '/v1/transfers/summary': { get: { responses: { 200: Json<TransferSummary> } } };
  '/v1/transfers/{transferId}': {
    get: { parameters: { path: { transferId: string } }; responses: { 200: Json<Transfer> } };
  };
}

const client = api as unknown as Client<TransferPaths>;

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
        client.GET('/v1/customers/{customerId}/transferseligibility', {
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
        client.GET('/v1/transfers', {
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
    queryFn: () => unwrap(client.GET('/v1/transfers/summary', {})),
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
    queryFn: () => unwrap(client.GET('/v1/transfers/{transferId}', { params: { path: { transferId } } })),
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
          client.POST('/v1/customers/{customerId}/transfers', {
            params: { path: { customerId }, header: { 'MS-RequestId': args.requestId } },
            body: args.body,
          }),
        ),
      onSuccess: show,
    }),
    accept: useMutation({
      mutationFn: (args: { transferId: string; subscriptionIds?: string[] }) =>
        unwrap(
          client.POST('/v1/customers/{customerId}/transfers/{transferId}/accept', {
            params: { path: path(args.transferId) },
            body: args.subscriptionIds ? { subscriptionIds: args.subscriptionIds } : {},
          }),
        ),
      onSuccess: show,
    }),
    reject: useMutation({
      mutationFn: (args: { transferId: string; reason: string }) =>
        unwrap(
          client.POST('/v1/customers/{customerId}/transfers/{transferId}/reject', {
            params: { path: path(args.transferId) },
            body: { reason: args.reason },
          }),
        ),
      onSuccess: show,
    }),
    cancel: useMutation({
      mutationFn: (transferId: string) =>
        unwrap(
          client.POST('/v1/customers/{customerId}/transfers/{transferId}/cancel', {
            params: { path: path(transferId) },
          }),
        ),
      onSuccess: show,
    }),
  };
}
