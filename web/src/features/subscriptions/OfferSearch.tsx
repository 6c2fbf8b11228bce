// Find an offer to sell: search as you type (a pause in typing asks the API) by name or id among the offers sold
// in the customer's country, each result with its prices per term and billing cycle in that market's currency
// and a button to choose it. Used by the Add subscription dialog and the add-customer Subscriptions step.
import { useId, useState } from 'react';
import { ApiError } from '../../api/client.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Loading } from '../../components/states.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { useCountryName } from '../customers/display.tsx';
import { useDebounced } from '../customers/useDebounced.ts';
import { useLabels } from './labels.ts';
import { NO_TERM } from './model.ts';
import type { Offer } from './subscriptions.queries.ts';
import { useOfferSearch } from './subscriptions.queries.ts';

const RESULTS = 8;
const SEARCH_PAUSE_MS = 300;

export function OfferPrices(props: { offer: Offer }) {
  const { t, money } = useI18n();
  const label = useLabels();
  const o = props.offer;
  if (o.billingType === 'usage' || o.prices.length === 0)
    return <p className="muted small">{t('subscriptions.offer.usagePriced')}</p>;
  return (
    <ul className="offer-prices">
      {o.prices.map((p) => (
        <li key={`${p.term}-${p.billingCycle}-${p.currency}`}>
          {t('subscriptions.offer.price', {
            price: money(p.unitPrice, p.currency),
            unit: o.unitType,
            term: p.term === NO_TERM ? t('subscriptions.term.none') : label('term', p.term),
            cycle: label('cycle', p.billingCycle),
          })}
        </li>
      ))}
    </ul>
  );
}

export function OfferSearch(props: {
  /** The customer's billing country: its market's offers and currency. */
  country: string;
  /** Offers already chosen (marked, not offered again). */
  chosen?: readonly string[];
  onChoose: (offer: Offer) => void;
}) {
  const { t, number } = useI18n();
  const label = useLabels();
  const countryName = useCountryName();
  const id = useId();
  const [text, setText] = useState('');
  const q = useDebounced(text.trim(), SEARCH_PAUSE_MS);
  const offers = useOfferSearch(props.country, q, RESULTS);
  const items = offers.data?.items ?? [];
  const total = offers.data?.totalCount ?? 0;
  // A country the catalog has no market for: nothing is sold there, which is not an error to retry.
  const noMarket =
    offers.error instanceof ApiError &&
    offers.error.status === 400 &&
    Boolean(offers.error.fieldError('country'));
  return (
    <div className="offer-search">
      <div className="field search">
        <label htmlFor={id}>{t('subscriptions.offer.search')}</label>
        <p id={`${id}-hint`} className="hint">
          {t('subscriptions.offer.searchHint')}
        </p>
        <input
          id={id}
          type="search"
          autoComplete="off"
          value={text}
          aria-describedby={`${id}-hint`}
          onChange={(e) => setText(e.target.value)}
        />
      </div>
      {offers.isPending && <Loading />}
      {offers.isError && !noMarket && (
        <ErrorAlert error={offers.error} onRetry={() => void offers.refetch()} />
      )}
      <p className="muted small" role="status">
        {noMarket
          ? t('subscriptions.offer.noneInCountry', { country: countryName(props.country) })
          : offers.isSuccess
            ? items.length === 0
              ? q
                ? t('subscriptions.offer.noMatch', { q })
                : t('subscriptions.offer.noneInCountry', { country: countryName(props.country) })
              : total > items.length
                ? t('subscriptions.offer.someShown', { shown: number(items.length), count: number(total) })
                : t('subscriptions.offer.count', { count: number(total) })
            : ''}
      </p>
      {items.length > 0 && (
        <ul className="offer-results" aria-label={t('subscriptions.offer.results')}>
          {items.map((o) => {
            const taken = props.chosen?.includes(o.id) ?? false;
            return (
              <li key={o.id} className="offer-result">
                <div>
                  <p className="strong">{o.name}</p>
                  <p className="muted small">
                    {[o.id, label('kind', o.productKind), o.isAddOn ? t('subscriptions.offer.addOn') : '']
                      .filter(Boolean)
                      .join(' · ')}
                  </p>
                  {o.description && <p className="small">{o.description}</p>}
                  <OfferPrices offer={o} />
                </div>
                <button
                  type="button"
                  className="button secondary"
                  disabled={taken}
                  aria-label={t('subscriptions.offer.chooseNamed', { name: o.name })}
                  onClick={() => props.onChoose(o)}
                >
                  {taken ? t('subscriptions.offer.chosen') : t('subscriptions.offer.choose')}
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
