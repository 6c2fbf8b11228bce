// /service-requests: the partner's service requests across its customers, newest first, with the counts that
// matter (open, waiting on the customer, overdue) above the filtered list. New requests are opened from a
// customer's Service requests tab, which knows the customer, its contact and its subscriptions.
import { PageHeader } from '../../components/PageHeader.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { RequestList } from './RequestList.tsx';
import { useSupportSummary } from './support.queries.ts';
import './support.css';

const PAGE_SIZE = 25;

export function ServiceRequestsPage() {
  const { t, number } = useI18n();
  const summary = useSupportSummary();
  const s = summary.data;
  return (
    <section className="sr-page">
      <PageHeader title={t('support.page.title')}>
        <p className="muted">{t('support.page.intro')}</p>
      </PageHeader>
      <p role="status" className="strong">
        {s
          ? t('support.page.counts', {
              open: number(s.open),
              attentionNeeded: number(s.attentionNeeded),
              overdue: number(s.overdue),
            })
          : ''}
      </p>
      <RequestList pageSize={PAGE_SIZE} />
    </section>
  );
}
