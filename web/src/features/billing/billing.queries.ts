// Billing for the console: the partner's invoices (newest first, a page at a time), one invoice with its line
// items (a provider and line type at a time, paged by line number), the monthly totals of the last 12 months,
// the charges not yet invoiced, the two documents of an invoice (saved as files), and a customer's charges by
// month and usage budget (set, change, remove).
import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { api, unwrap, type Json } from '../../api/client.ts';
import { downloadFile } from '../../api/download.ts';
import type { paths } from '../../api/schema';
import { nextToken } from '../activity/activity.queries.ts';
import type { LineFilter } from './model.ts';

export type InvoiceListItem = Json<paths['/v1/invoices']['get']['responses'][200]>['items'][number];
export type Invoice = Json<paths['/v1/invoices/{id}']['get']['responses'][200]>;
export type InvoiceLine = Json<
  paths['/v1/invoices/{id}/lineitems']['get']['responses'][200]
>['items'][number];
export type UnbilledLine = Json<
  paths['/v1/invoices/unbilled/lineitems']['get']['responses'][200]
>['items'][number];
export type Summaries = Json<paths['/v1/invoices/summaries']['get']['responses'][200]>;
export type CustomerCharges = Json<paths['/v1/customers/{customerId}/charges']['get']['responses'][200]>;
export type UsageBudget = Json<paths['/v1/customers/{customerId}/usagebudget']['get']['responses'][200]>;

export const BILLING_KEY = ['billing'] as const;
const invoicesKey = [...BILLING_KEY, 'invoices'] as const;
const customerKey = (customerId: string) => [...BILLING_KEY, 'customer', customerId] as const;
const budgetKey = (customerId: string) => [...customerKey(customerId), 'budget'] as const;

/** How many months the charts show. */
export const CHART_MONTHS = 12;

// ── invoices ──

export function useInvoiceList(opts: { documentType?: 'invoice' | 'creditNote'; size: number }) {
  return useInfiniteQuery({
    queryKey: [...invoicesKey, 'list', opts.documentType ?? 'all', opts.size],
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/v1/invoices', {
          params: {
            query: { documentType: opts.documentType, size: opts.size, continuationToken: pageParam },
          },
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => nextToken(last.links),
    placeholderData: keepPreviousData,
  });
}

export function useInvoice(invoiceId: string) {
  return useQuery({
    queryKey: [...invoicesKey, 'one', invoiceId],
    queryFn: () => unwrap(api.GET('/v1/invoices/{id}', { params: { path: { id: invoiceId } } })),
  });
}

/** One provider and line type of an invoice (every line when not given), by line number, a page at a time. */
export function useInvoiceLines(invoiceId: string, filter: LineFilter | undefined, size: number) {
  return useInfiniteQuery({
    queryKey: [
      ...invoicesKey,
      'one',
      invoiceId,
      'lines',
      filter?.provider ?? '',
      filter?.lineItemType ?? '',
      size,
    ],
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/v1/invoices/{id}/lineitems', {
          params: {
            path: { id: invoiceId },
            query: {
              provider: filter?.provider,
              invoicelineitemtype: filter?.lineItemType,
              size,
              continuationToken: pageParam,
            },
          },
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => nextToken(last.links),
    placeholderData: keepPreviousData,
    // Issued lines never change (corrections are credit notes of their own): once read, kept.
    staleTime: Infinity,
  });
}

/** The totals of the last closed months, per currency (credit notes subtracted), oldest first. */
export function useSummaries() {
  return useQuery({
    queryKey: [...invoicesKey, 'summaries', CHART_MONTHS],
    queryFn: () => unwrap(api.GET('/v1/invoices/summaries', { params: { query: { months: CHART_MONTHS } } })),
  });
}

/** This month's charges so far (not invoiced yet), a page at a time, with the totals per currency. */
export function useUnbilled(opts: { provider?: LineFilter['provider']; size: number }) {
  return useInfiniteQuery({
    queryKey: [...BILLING_KEY, 'unbilled', opts.provider ?? 'all', opts.size],
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/v1/invoices/unbilled/lineitems', {
          params: { query: { provider: opts.provider, size: opts.size, continuationToken: pageParam } },
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => nextToken(last.links),
    placeholderData: keepPreviousData,
    // Usage can be recorded any time.
    staleTime: 0,
  });
}

/** The invoice's statement (PDF) or reconciliation (CSV), saved under the API's file name. */
export function downloadDocument(
  invoice: Pick<Invoice, 'id' | 'links'>,
  which: 'statement' | 'reconciliation',
) {
  const fallback = which === 'statement' ? `${invoice.id}.pdf` : `${invoice.id}-reconciliation.csv`;
  return downloadFile(invoice.links[which].uri, fallback);
}

// ── one customer ──

export function useCustomerCharges(customerId: string) {
  return useQuery({
    queryKey: [...customerKey(customerId), 'charges', CHART_MONTHS],
    queryFn: () =>
      unwrap(
        api.GET('/v1/customers/{customerId}/charges', {
          params: { path: { customerId }, query: { months: CHART_MONTHS } },
        }),
      ),
    staleTime: 0,
  });
}

export function useUsageBudget(customerId: string) {
  return useQuery({
    queryKey: budgetKey(customerId),
    queryFn: () =>
      unwrap(api.GET('/v1/customers/{customerId}/usagebudget', { params: { path: { customerId } } })),
    // The spend moves with every usage record.
    staleTime: 0,
  });
}

export function useBudgetMutations(customerId: string) {
  const queryClient = useQueryClient();
  const path = { customerId };
  return {
    /** Sets or changes the budget; If-Match keeps a change made meanwhile by someone else (412). */
    save: useMutation({
      mutationFn: (args: { amount: number; currencyCode: string; etag?: string }) =>
        unwrap(
          api.PUT('/v1/customers/{customerId}/usagebudget', {
            params: { path },
            body: { amount: args.amount, currencyCode: args.currencyCode },
            headers: args.etag ? { 'If-Match': args.etag } : undefined,
          }),
        ),
      onSuccess: (budget) => queryClient.setQueryData(budgetKey(customerId), budget),
      onError: () => void queryClient.invalidateQueries({ queryKey: budgetKey(customerId) }),
    }),
    remove: useMutation({
      mutationFn: () => unwrap(api.DELETE('/v1/customers/{customerId}/usagebudget', { params: { path } })),
      onSettled: () => queryClient.invalidateQueries({ queryKey: budgetKey(customerId) }),
    }),
  };
}
