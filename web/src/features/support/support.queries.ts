// Service requests for the console: the support topics, the response targets and file rules, the counts (open, waiting, overdue) for the dashboard
// and the navigation, the requests (partner-wide and one customer's) a page at a time, one request with its
// timeline and files, the partner users a request may be assigned to, and the writes — create (files inline),
// change (If-Match: a change made meanwhile is refused with 412 rather than overwritten), attach a file (its
// bytes as the body) and download one. Every write refreshes what shows requests.
import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { ApiError, api, unwrap, type Json } from '../../api/client.ts';
import { csrfToken } from '../../api/csrf.ts';
import { downloadFile, responseError } from '../../api/download.ts';
import type { paths } from '../../api/schema';
import { nextToken } from '../activity/activity.queries.ts';
import { fetchUsers } from '../settings/users/users.queries.ts';
import { SUBSCRIPTIONS_KEY, fetchSubscriptions } from '../subscriptions/subscriptions.queries.ts';
import type { ListQuery } from './model.ts';
import { assignees } from './model.ts';

type OnePath = paths['/v1/servicerequests/{id}'];
type CustomerPath = paths['/v1/customers/{customerId}/servicerequests'];
export type ServiceRequest = Json<OnePath['get']['responses'][200]>;
export type ServiceRequestItem = Json<paths['/v1/servicerequests']['get']['responses'][200]>['items'][number];
export type HistoryEntry = ServiceRequest['history'][number];
export type FileLink = ServiceRequest['fileLinks'][number];
export type SupportTopic = Json<
  paths['/v1/servicerequests/supporttopics']['get']['responses'][200]
>['items'][number];
export type SupportSummary = Json<paths['/v1/servicerequests/summary']['get']['responses'][200]>;
export type SupportSettingsAnswer = Json<paths['/v1/servicerequests/settings']['get']['responses'][200]>;
export type CreateRequestBody = Json<CustomerPath['post']['requestBody']>;
export type RequestPatch = Json<OnePath['patch']['requestBody']>;

// ── keys ──

export const SUPPORT_KEY = ['serviceRequests'] as const;
const SUMMARY_KEY = [...SUPPORT_KEY, 'summary'] as const;
export const requestKey = (idOrNumber: string) => [...SUPPORT_KEY, 'one', idOrNumber.toUpperCase()] as const;

// ── reads ──

/** What a request can be about, in the catalog's order. */
export function useSupportTopics(enabled = true) {
  return useQuery({
    queryKey: [...SUPPORT_KEY, 'topics'],
    queryFn: () => unwrap(api.GET('/v1/servicerequests/supporttopics', {})),
    enabled,
    staleTime: 10 * 60_000,
  });
}

/**
 * The response targets, the file size limit, the files a new request takes and the allowed file types, as this
 * installation has them. They change only when the server restarts with other settings.
 */
export function useSupportSettings(enabled = true) {
  return useQuery({
    queryKey: [...SUPPORT_KEY, 'settings'],
    queryFn: () => unwrap(api.GET('/v1/servicerequests/settings', {})),
    enabled,
    staleTime: 60 * 60_000,
  });
}

/** Open, waiting on the customer and overdue requests, for the dashboard and the navigation. */
export function useSupportSummary(enabled = true) {
  return useQuery({
    queryKey: SUMMARY_KEY,
    queryFn: () => unwrap(api.GET('/v1/servicerequests/summary', {})),
    enabled,
    // A request turns overdue as time passes, with nobody writing anything: read again on every page that
    // shows the counts, and every minute.
    staleTime: 0,
    refetchInterval: 60_000,
    retry: false,
  });
}

/** The partner's requests (or one customer's), newest first, a page at a time. */
export function useServiceRequestList(
  opts: { customerId?: string; query: ListQuery; size: number },
  enabled = true,
) {
  const { customerId, query, size } = opts;
  return useInfiniteQuery({
    enabled,
    queryKey: [...SUPPORT_KEY, 'list', customerId ?? '', query, size],
    queryFn: ({ pageParam }) => {
      const q = { ...query, size, continuationToken: pageParam };
      return unwrap(
        customerId
          ? api.GET('/v1/customers/{customerId}/servicerequests', {
              params: { path: { customerId }, query: q },
            })
          : api.GET('/v1/servicerequests', { params: { query: q } }),
      );
    },
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => nextToken(last.links),
    placeholderData: keepPreviousData,
    // Overdue follows the clock: a list opened again is read again.
    staleTime: 0,
  });
}

/** One request (by id or reference number) with its notes, files and timeline. */
export function useServiceRequest(idOrNumber: string) {
  return useQuery({
    queryKey: requestKey(idOrNumber),
    queryFn: () => unwrap(api.GET('/v1/servicerequests/{id}', { params: { path: { id: idOrNumber } } })),
    // Overdue follows the clock: a request opened again is read again.
    staleTime: 0,
  });
}

/**
 * The partner users a request may be assigned to, for those who may list partner users (the others assign
 * themselves or nobody).
 */
export function useAssignees(enabled: boolean) {
  return useQuery({
    queryKey: ['partnerusers', 'supportAssignees'],
    queryFn: async () => assignees((await fetchUsers({ size: 1000, sort: 'displayName' })).items),
    enabled,
  });
}

/** The customer's subscriptions (any status) a new request may be about. */
export function useCustomerSubscriptions(customerId: string, enabled = true) {
  return useQuery({
    queryKey: [...SUBSCRIPTIONS_KEY, customerId, 'list', 'all', 'support'],
    queryFn: () => fetchSubscriptions(customerId, { size: 1000 }),
    enabled,
  });
}

/** Saves an attachment as the file it is (the API serves every one as a download). */
export function downloadAttachment(file: FileLink): Promise<string> {
  return downloadFile(file.links.self.uri, file.fileName);
}

// ── writes ──

/** Requests, the counts and the activity log show the change. */
function useRefresh() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: [...SUPPORT_KEY, 'list'] }),
      queryClient.invalidateQueries({ queryKey: SUMMARY_KEY }),
      queryClient.invalidateQueries({ queryKey: ['auditrecords'] }),
    ]);
}

export function useCreateServiceRequest(customerId: string) {
  const queryClient = useQueryClient();
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (args: { body: CreateRequestBody; requestId: string }) =>
      unwrap(
        api.POST('/v1/customers/{customerId}/servicerequests', {
          params: { path: { customerId }, header: { 'MS-RequestId': args.requestId } },
          body: args.body,
        }),
      ),
    onSuccess: (created) => {
      queryClient.setQueryData(requestKey(created.referenceNumber), created);
      return refresh();
    },
  });
}

/**
 * Sends a file as its own body with its type (openapi-fetch would serialise a body as JSON), the name in the
 * query; the CSRF header as every console write.
 */
async function sendAttachment(idOrNumber: string, file: File, contentType: string): Promise<FileLink> {
  const qs = new URLSearchParams({ fileName: file.name }).toString();
  const token = csrfToken.get();
  let response: Response;
  try {
    response = await fetch(`/v1/servicerequests/${encodeURIComponent(idOrNumber)}/attachments?${qs}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': contentType, ...(token ? { 'X-CSRF-Token': token } : {}) },
      body: file,
    });
  } catch {
    throw new ApiError(0, { name: 'networkError' });
  }
  if (!response.ok) throw await responseError(response);
  return (await response.json()) as FileLink;
}

/** The writes on one request, kept under the id or number the page was opened with. */
export function useRequestMutations(idOrNumber: string) {
  const queryClient = useQueryClient();
  const refresh = useRefresh();
  const key = requestKey(idOrNumber);
  return {
    /** A change sent with If-Match of the version shown; a 412 means someone changed it meanwhile. */
    update: useMutation({
      mutationFn: (args: { request: ServiceRequest; body: RequestPatch }) =>
        unwrap(
          api.PATCH('/v1/servicerequests/{id}', {
            params: { path: { id: args.request.id } },
            headers: { 'If-Match': args.request.attributes.etag },
            body: args.body,
          }),
        ),
      onSuccess: (updated) => {
        queryClient.setQueryData(key, updated);
        return refresh();
      },
    }),
    attach: useMutation({
      mutationFn: (args: { file: File; contentType: string }) =>
        sendAttachment(idOrNumber, args.file, args.contentType),
      // The request's files, timeline and version changed: read it again.
      onSuccess: () => Promise.all([queryClient.invalidateQueries({ queryKey: key }), refresh()]),
    }),
    /** After a 412: the request as it is now. */
    reload: () => queryClient.invalidateQueries({ queryKey: key }),
  };
}
