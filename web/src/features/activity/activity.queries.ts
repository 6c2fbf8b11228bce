// Activity log reads shared by the dashboard and the activity log page.
import { api, unwrap } from '../../api/client.ts';

/** Records since `startDate` (ISO), newest first; `totalCount` counts the whole range. */
export function fetchActivity(opts: { startDate?: string; size: number; continuationToken?: string }) {
  return unwrap(
    api.GET('/v1/auditrecords', {
      params: {
        query: { startDate: opts.startDate, size: opts.size, continuationToken: opts.continuationToken },
      },
    }),
  );
}

/** The continuation token of links.next, if there is a next page. */
export function nextToken(links: { next?: { uri: string } }): string | undefined {
  if (!links.next) return undefined;
  return new URL(links.next.uri, 'http://x').searchParams.get('continuationToken') ?? undefined;
}
