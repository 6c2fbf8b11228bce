// Pages whose API does not exist yet: a clear empty state under the page's own title.
import { PageHeader } from '../../components/PageHeader.tsx';
import { EmptyState } from '../../components/states.tsx';
import type { MessageKey } from '../../i18n/catalogs.ts';
import { useI18n } from '../../i18n/i18n.tsx';

export function ComingSoonPage(props: { title: MessageKey }) {
  const { t } = useI18n();
  return (
    <section>
      <PageHeader title={t(props.title)} />
      <EmptyState>
        <p>{t('comingSoon.body')}</p>
      </EmptyState>
    </section>
  );
}
