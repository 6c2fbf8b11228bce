// The loading and empty states every page shows the same way.
import type { ReactNode } from 'react';
import { useI18n } from '../i18n/i18n.tsx';

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
