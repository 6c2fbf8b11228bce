// The dashboard's Service requests card: how many requests are open, waiting on the customer, and overdue (no
// first response by the due time) — the overdue count highlighted while there are any, and a link to exactly
// those requests.
import { Link } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Loading } from '../../components/states.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { useSupportSummary } from './support.queries.ts';
import './support.css';

export function ServiceRequestsCard() {
  const { t, number } = useI18n();
  const summary = useSupportSummary();
  const s = summary.data;
  return (
    <section className="panel sr-card" aria-labelledby="sr-card">
      <h2 id="sr-card">{t('support.card.title')}</h2>
      {summary.isPending && <Loading />}
      {summary.isError && <ErrorAlert error={summary.error} onRetry={() => void summary.refetch()} />}
      {s && (
        <>
          <dl className="sr-counts">
            <div>
              <dt>{t('support.card.open')}</dt>
              <dd>{number(s.open)}</dd>
            </div>
            <div>
              <dt>{t('support.card.attentionNeeded')}</dt>
              <dd>{number(s.attentionNeeded)}</dd>
            </div>
            <div className={s.overdue > 0 ? 'sr-count-overdue' : undefined}>
              <dt>{t('support.card.overdue')}</dt>
              <dd>{number(s.overdue)}</dd>
            </div>
          </dl>
          <p>
            {s.overdue > 0 ? (
              <Link to="/service-requests?overdue=true">
                {t('support.card.showOverdue', { count: number(s.overdue) })}
              </Link>
            ) : (
              <Link to="/service-requests">{t('support.card.showAll')}</Link>
            )}
          </p>
        </>
      )}
    </section>
  );
}
