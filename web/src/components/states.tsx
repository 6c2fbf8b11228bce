// The loading, empty and paged-list states every page shows the same way.
import type { ReactNode } from 'react';
import { useI18n } from '../i18n/i18n.tsx';
import { ErrorAlert } from './ErrorAlert.tsx';

export function Loading() {
  const { t } = useI18n();
  return (
    <p className="loading" role="status">
      {t('common.loading')}
    </p>
  );
}

export function EmptyState(props: { children: ReactNode }) {
  return <div className="empty">{props.children}</div>;
}

/**
 * What a list needs from its query: TanStack Query's useInfiniteQuery result, or a plain useQuery result for a
 * list the API answers whole (no paging fields: no "Load more").
 */
interface PagedQuery {
  isPending: boolean;
  isError: boolean;
  isSuccess: boolean;
  error: unknown;
  hasNextPage?: boolean;
  isFetchingNextPage?: boolean;
  refetch: () => unknown;
  fetchNextPage?: () => unknown;
}

/**
 * The states of a paged list, the same on every page: loading, the error with a retry, the empty message,
 * the items (`children`, shown once there are any), and "Load more" while the API has another page.
 */
export function PagedList(props: { query: PagedQuery; count: number; empty: string; children: ReactNode }) {
  const { t } = useI18n();
  const { query } = props;
  return (
    <>
      {query.isPending && <Loading />}
      {query.isError && <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />}
      {query.isSuccess && props.count === 0 && (
        <EmptyState>
          <p>{props.empty}</p>
        </EmptyState>
      )}
      {props.count > 0 && props.children}
      {query.hasNextPage && (
        <button
          type="button"
          className="button secondary"
          disabled={query.isFetchingNextPage}
          onClick={() => void query.fetchNextPage?.()}
        >
          {query.isFetchingNextPage ? t('common.loading') : t('common.loadMore')}
        </button>
      )}
    </>
  );
}
