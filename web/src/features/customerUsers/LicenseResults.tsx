// What a licence update did, user by user: who got or lost which product, who was left unchanged, and who
// failed and why (each user's update is all or nothing, so a failed user kept the licences they had). It takes
// the focus when it appears, so keyboard and screen-reader users hear the outcome first.
import { useEffect, useRef } from 'react';
import { useI18n } from '../../i18n/i18n.tsx';
import type { LicenseUpdateResults } from './customerUsers.queries.ts';

type Item = LicenseUpdateResults['items'][number];
type Outcome = Item['products'][number];

/** A product's outcome in words: assigned, removed, already so, or refused with the reason. */
function useOutcomeText(): (o: Outcome) => string {
  const { t } = useI18n();
  return (o) => {
    const product = o.productSku?.name ?? o.field;
    const reason = o.reason ?? '';
    if (o.status === 'failed')
      return o.action === 'assign'
        ? t('customerUsers.result.notAssigned', { product, reason })
        : t('customerUsers.result.notRemoved', { product, reason });
    if (o.status === 'unchanged')
      return o.action === 'assign'
        ? t('customerUsers.result.alreadyHad', { product })
        : t('customerUsers.result.didNotHave', { product });
    return o.action === 'assign'
      ? t('customerUsers.result.assigned', { product })
      : t('customerUsers.result.removed', { product });
  };
}

/** One user's products: assigned, removed, unchanged, or refused with the reason. */
export function ProductOutcomes(props: { item: Item }) {
  const { t } = useI18n();
  const text = useOutcomeText();
  const { products, reason } = props.item;
  // A reason for the user as a whole (not found, deleted) is said once rather than under every product.
  if (reason) return <p className="field-error">{reason}</p>;
  if (products.length === 0) return <p className="muted">{t('customerUsers.result.nothing')}</p>;
  return (
    <ul className="outcomes">
      {products.map((o, i) => (
        <li key={`${o.field}-${i}`} className={o.status === 'failed' ? 'field-error' : undefined}>
          {text(o)}
        </li>
      ))}
    </ul>
  );
}

export function LicenseResults(props: { results: LicenseUpdateResults; onDismiss: () => void }) {
  const { t, number } = useI18n();
  const ref = useRef<HTMLElement>(null);
  const r = props.results;
  useEffect(() => {
    ref.current?.focus();
  }, [r]);
  const unchanged = r.items.filter((i) => i.status === 'unchanged').length;
  return (
    <section
      ref={ref}
      tabIndex={-1}
      className="panel results-panel"
      aria-labelledby="license-results-heading"
    >
      <div className="toolbar">
        <h2 id="license-results-heading">{t('customerUsers.result.title')}</h2>
        <button type="button" className="button secondary" onClick={props.onDismiss}>
          {t('customerUsers.result.dismiss')}
        </button>
      </div>
      <p className={r.failed > 0 ? 'strong' : 'success strong'}>
        {t('customerUsers.result.summary', {
          succeeded: number(r.succeeded),
          failed: number(r.failed),
          unchanged: number(unchanged),
        })}
      </p>
      <div className="table-wrap" role="region" aria-label={t('customerUsers.result.table')} tabIndex={0}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('customerUsers.column.user')}</th>
              <th scope="col">{t('customerUsers.column.result')}</th>
              <th scope="col">{t('customerUsers.column.details')}</th>
            </tr>
          </thead>
          <tbody>
            {r.items.map((item) => (
              <tr key={item.userId}>
                <td data-label={t('customerUsers.column.user')}>
                  <span className="strong block">{item.displayName ?? item.userId}</span>
                  {item.userPrincipalName && <span className="muted small">{item.userPrincipalName}</span>}
                </td>
                <td data-label={t('customerUsers.column.result')}>
                  <span className={`badge ${item.status}`}>
                    {t(`customerUsers.result.status.${item.status}`)}
                  </span>
                </td>
                <td data-label={t('customerUsers.column.details')}>
                  <ProductOutcomes item={item} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
