// Activity log reads shared by the dashboard and the activity log page, and the export link with the same
// filters.
import { api, unwrap } from '../../api/client.ts';

/** What the activity log page asks for; empty means "not filtered" (the API's defaults apply). */
export interface ActivityFilters {
  startDate?: string;
  endDate?: string;
  action?: string;
  status?: 'succeeded' | 'failed';
  q?: string;
  /** By time: desc (newest first, the API's default) or asc. */
  order?: 'asc' | 'desc';
}

/** Records in the range, newest (or oldest) first; `totalCount` counts the whole selection. */
export function fetchActivity(opts: ActivityFilters & { size: number; continuationToken?: string }) {
  return unwrap(api.GET('/v1/auditrecords', { params: { query: opts } }));
}

/** The CSV download of the same selection; a plain link, the session cookie authenticates it. */
export function exportHref(filters: ActivityFilters): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value) query.set(key, value);
  const qs = query.toString();
  return `/v1/auditrecords/export.csv${qs ? `?${qs}` : ''}`;
}

/** The continuation token of links.next, if there is a next page. */
export function nextToken(links: { next?: { uri: string } }): string | undefined {
  if (!links.next) return undefined;
  return new URL(links.next.uri, 'http://x').searchParams.get('continuationToken') ?? undefined;
}
