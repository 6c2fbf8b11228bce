// /: a welcome, the counts the user's roles may see (partner users; activity in the last 30 days), the service
// requests open, waiting and overdue, and the latest activity. Each block has its own loading, empty and error state, so one failing call hides nothing else.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client.ts';
import { canOpen } from '../../app/access.ts';
import { useProfile } from '../../app/auth.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { EmptyState, Loading } from '../../components/states.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { ActivityList } from '../activity/ActivityList.tsx';
import { fetchActivity } from '../activity/activity.queries.ts';
import { useCustomerCount } from '../customers/customers.queries.ts';
import { ServiceRequestsCard } from '../support/ServiceRequestsCard.tsx';

function Stat(props: { label: string; value: number | undefined; error: unknown; retry: () => void }) {
  const { number } = useI18n();
  return (
    <div className="stat">
      <dt>{props.label}</dt>
      <dd>
        {props.error ? (
          <ErrorAlert error={props.error} onRetry={props.retry} />
        ) : props.value === undefined ? (
          <Loading />
        ) : (
          number(props.value)
        )}
      </dd>
    </div>
  );
}

export function DashboardPage() {
  const { t } = useI18n();
  const profile = useProfile();
  const seesUsers = canOpen(profile.roles, 'settings');
  const seesActivity = canOpen(profile.roles, 'activity');
  const seesCustomers = canOpen(profile.roles, 'customers');
  const seesSupport = canOpen(profile.roles, 'serviceRequests');
  const customers = useCustomerCount(seesCustomers);
  // Adding customers without seeing the list (a user management admin): the way in is here.
  const canAddOnly =
    !seesCustomers && canOpen(profile.roles, 'addCustomer') && profile.instance.policy['customers.create'];
  const [since] = useState(() => new Date(Date.now() - 30 * 86_400_000).toISOString());
  const users = useQuery({
    queryKey: ['partnerusers', 'count'],
    queryFn: () => unwrap(api.GET('/v1/partnerusers', { params: { query: { size: 1 } } })),
    enabled: seesUsers,
  });
  const activity = useQuery({
    queryKey: ['auditrecords', 'recent', since],
    queryFn: () => fetchActivity({ startDate: since, size: 5 }),
    enabled: seesActivity,
  });

  let recent: ReactNode = null;
  if (seesActivity)
    recent = (
      <section className="panel" aria-labelledby="recent-activity">
        <h2 id="recent-activity">{t('dashboard.recentActivity')}</h2>
        {activity.isPending && <Loading />}
        {activity.isError && <ErrorAlert error={activity.error} onRetry={() => void activity.refetch()} />}
        {activity.data && activity.data.items.length === 0 && (
          <EmptyState>
            <p>{t('activity.empty')}</p>
          </EmptyState>
        )}
        {activity.data && activity.data.items.length > 0 && <ActivityList records={activity.data.items} />}
        <p>
          <Link to="/activity">{t('dashboard.allActivity')}</Link>
        </p>
      </section>
    );

  return (
    <section>
      <PageHeader title={t('dashboard.title')}>
        <p>{t('dashboard.welcome', { name: profile.displayName })}</p>
      </PageHeader>
      {seesUsers || seesActivity || seesCustomers ? (
        <dl className="stats">
          {seesCustomers && (
            <Stat
              label={t('customers.count')}
              value={customers.data?.totalCount}
              error={customers.error}
              retry={() => void customers.refetch()}
            />
          )}
          {seesUsers && (
            <Stat
              label={t('dashboard.partnerUsers')}
              value={users.data?.totalCount}
              error={users.error}
              retry={() => void users.refetch()}
            />
          )}
          {seesActivity && (
            <Stat
              label={t('dashboard.activity30')}
              value={activity.data?.totalCount}
              error={activity.error}
              retry={() => void activity.refetch()}
            />
          )}
        </dl>
      ) : (
        <EmptyState>
          <p>{t('dashboard.noSummaries')}</p>
        </EmptyState>
      )}
      {canAddOnly && (
        <p>
          <Link to="/customers/new" className="button primary">
            {t('customers.add')}
          </Link>
        </p>
      )}
      {seesSupport && <ServiceRequestsCard />}
      {recent}
    </section>
  );
}
