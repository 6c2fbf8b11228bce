// /billing/unbilled: this month's charges so far, not invoiced yet (they are when the month closes): the totals
// per currency, then the charge lines a page at a time, filtered by provider (in the URL: ?provider=azure).
import { useSearchParams } from 'react-router';
import { oneOf, withParams } from '../../app/searchParams.ts';
import { PagedList } from '../../components/states.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { SelectField } from '../customers/SelectField.tsx';
import { useUnbilled } from './billing.queries.ts';
import { useBillingLabels, useMonth } from './labels.ts';
import { LineItemsTable } from './LineItemsTable.tsx';
import { PROVIDERS } from './model.ts';

const PAGE_SIZE = 100;

export function UnbilledCharges() {
  const { t, money, number } = useI18n();
  const label = useBillingLabels();
  const month = useMonth();
  const [params, setParams] = useSearchParams();
  const provider = oneOf(params, 'provider', PROVIDERS);
  const query = useUnbilled({ provider, size: PAGE_SIZE });
  const first = query.data?.pages[0];
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section aria-labelledby="unbilled-heading">
      <h2 id="unbilled-heading">{t('billing.unbilled.title')}</h2>
      <p className="hint">
        {first
          ? t('billing.unbilled.introMonth', { month: month(first.billingPeriodStartDate) })
          : t('billing.unbilled.intro')}
      </p>
      {first && first.totals.length > 0 && (
        <dl className="stats">
          {first.totals.map((x) => (
            <div className="stat" key={x.currencyCode}>
              <dt>{t('billing.unbilled.totalIn', { currency: x.currencyCode })}</dt>
              <dd>{money(x.totalCharges, x.currencyCode)}</dd>
            </div>
          ))}
        </dl>
      )}
      <div className="search-row">
        <SelectField
          label={t('billing.filter.provider')}
          value={provider ?? ''}
          placeholder={t('billing.filter.allProviders')}
          options={PROVIDERS.map((p) => ({ value: p, label: label('provider', p) }))}
          onChange={(e) => setParams((p) => withParams(p, { provider: e.target.value }), { replace: true })}
        />
      </div>
      <p className="muted" role="status">
        {first ? t('billing.lines.total', { count: number(first.totalCount) }) : ''}
      </p>
      <PagedList query={query} count={items.length} empty={t('billing.unbilled.none')}>
        <LineItemsTable items={items} label={t('billing.unbilled.table')} />
      </PagedList>
    </section>
  );
}
