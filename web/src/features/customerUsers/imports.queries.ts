// Adding users from a file, for the console: check a file (nothing written), start adding its users (a job on
// the server), follow the job until it is done, the customer's earlier files, and the downloads — the template,
// the results file, and the temporary passwords, which the API hands out once.
import { keepPreviousData, useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api, unwrap, type Json } from '../../api/client.ts';
import { csrfToken } from '../../api/csrf.ts';
import { downloadFile, responseError } from '../../api/download.ts';
import type { paths } from '../../api/schema';
import { nextToken } from '../activity/activity.queries.ts';
import { directoryKey } from './customerUsers.queries.ts';
import { importRunning } from './model.ts';

type ImportsPath = paths['/v1/customers/{customerId}/users/imports'];
export type UserImport = Json<
  paths['/v1/customers/{customerId}/users/imports/{importId}']['get']['responses'][200]
>;
export type FileValidation = Extract<Json<ImportsPath['post']['responses'][200]>, { mode: 'validate' }>;

export const TEMPLATE_HREF = '/v1/users/import-template.csv';
/** How often a running import is asked for its progress. */
const POLL_MS = 1000;

const importsKey = (customerId: string) => [...directoryKey(customerId), 'imports'] as const;

/**
 * Sends the file as it is (text/csv): openapi-fetch would serialise a body as JSON. The server reads it as a
 * stream, so a large file is never held whole in memory on either side.
 */
async function sendFile(
  customerId: string,
  file: File,
  query: Record<string, string>,
): Promise<{ status: number; body: unknown }> {
  const qs = new URLSearchParams({ ...query, fileName: file.name }).toString();
  const token = csrfToken.get();
  let response: Response;
  try {
    response = await fetch(`/v1/customers/${encodeURIComponent(customerId)}/users/imports?${qs}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'text/csv', ...(token ? { 'X-CSRF-Token': token } : {}) },
      body: file,
    });
  } catch {
    throw new ApiError(0, { name: 'networkError' });
  }
  if (!response.ok) throw await responseError(response);
  return { status: response.status, body: await response.json() };
}

/** Every row checked, nothing written: the rows with problems, or 400 usersFileInvalid for the whole file. */
export async function validateFile(customerId: string, file: File): Promise<FileValidation> {
  return (await sendFile(customerId, file, { mode: 'validate' })).body as FileValidation;
}

/** Starts adding the file's users (or answers the import of the same file already started). */
export async function startImport(
  customerId: string,
  file: File,
  usageLocation: string,
): Promise<UserImport> {
  return (await sendFile(customerId, file, { mode: 'create', usageLocation })).body as UserImport;
}

export function importKey(customerId: string, importId: string) {
  return [...importsKey(customerId), 'one', importId] as const;
}

/** One import, asked again every second while its users are being added. */
export function useImport(customerId: string, importId: string) {
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: importKey(customerId, importId),
    queryFn: async () => {
      const before = queryClient.getQueryData<UserImport>(importKey(customerId, importId));
      const now = await unwrap(
        api.GET('/v1/customers/{customerId}/users/imports/{importId}', {
          params: { path: { customerId, importId } },
        }),
      );
      // Done: the directory has new users. Not this query itself: refetching it would cancel this very fetch.
      if (before && importRunning(before.state) && !importRunning(now.state))
        void queryClient.invalidateQueries({
          queryKey: directoryKey(customerId),
          predicate: (q) => q.queryKey[2] !== 'imports',
        });
      return now;
    },
    refetchInterval: (query) =>
      query.state.data && !importRunning(query.state.data.state) ? false : POLL_MS,
    staleTime: 0,
  });
}

export function useImports(customerId: string, size: number) {
  return useInfiniteQuery({
    queryKey: [...importsKey(customerId), 'list', size],
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/v1/customers/{customerId}/users/imports', {
          params: { path: { customerId }, query: { size, continuationToken: pageParam } },
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => nextToken(last.links),
    placeholderData: keepPreviousData,
    staleTime: 0,
  });
}

export function resultsHref(customerId: string, importId: string): string {
  return `/v1/customers/${encodeURIComponent(customerId)}/users/imports/${encodeURIComponent(importId)}/results.csv`;
}

/**
 * The temporary passwords, once: read through fetch rather than a plain link, so that the page knows the file
 * arrived (and says so) and can explain a refusal (410: downloaded already) instead of saving an error as a file.
 */
export async function downloadPasswords(customerId: string, importId: string): Promise<void> {
  await downloadFile(
    `/v1/customers/${encodeURIComponent(customerId)}/users/imports/${encodeURIComponent(importId)}/passwords.csv`,
    'passwords.csv',
  );
}
