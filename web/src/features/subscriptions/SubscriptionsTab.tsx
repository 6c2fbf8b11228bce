// The customer page's Subscriptions tab (/customers/:customerId/subscriptions): the customer's subscriptions,
// oldest first, a page at a time, with their status, offer, quantity, term and billing cycle, commitment end,
// and for suspended ones the day they will be deleted. The status filter lives in the URL (?status=suspended),
// and "Export CSV" downloads the same selection; transferred ones (moved to another partner) show only under
// their own status, as history. "Add subscription" is there for the roles that may sell; a link
// with ?add=<offer id> (the users tab's "Buy more") opens it with that offer chosen. Below, the customer's
// transfer requests between partners.
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { allows } from '../../../../src/modules/partners/roles.ts';
import { useProfile } from '../../app/auth.tsx';
import { oneOf, withParams } from '../../app/searchParams.ts';
import { EmptyState, PagedList } from '../../components/states.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { useCustomerOfPage } from '../customers/CustomerPage.tsx';
import { CustomerTransfers } from '../transfers/CustomerTransfers.tsx';
import { SelectField } from '../customers/SelectField.tsx';
import { useDate } from '../customers/display.tsx';
import { AddSubscriptionDialog } from './AddSubscriptionDialog.tsx';
import { useLabels } from './labels.ts';
import { STATUSES } from './model.ts';
import { StatusBadge } from './StatusBadge.tsx';
import type { Order, Subscription } from './subscriptions.queries.ts';
import { exportHref, useSubscriptionList } from './subscriptions.queries.ts';
import './subscriptions.css';

const PAGE_SIZE = 25;

function SubscriptionRow(props: { customerId: string; subscription: Subscription }) {
  const { t, number } = useI18n();
  const date = useDate();
  const label = useLabels();
  const s = props.subscription;
  return (
    <tr>
      <td data-label={t('subscriptions.column.name')}>
        <Link to={`/customers/${props.customerId}/subscriptions/${s.id}`} className="strong">
          {s.friendlyName}
        </Link>
        {s.isAddOn && <span className="block muted small">{t('subscriptions.offer.addOn')}</span>}
      </td>
      <td data-label={t('subscriptions.column.offer')}>{s.offerName}</td>
      <td data-label={t('subscriptions.column.status')}>
        <StatusBadge status={s.status} />
      </td>
      <td data-label={t('subscriptions.column.quantity')}>{`${number(s.quantity)} ${s.unitType}`}</td>
      <td data-label={t('subscriptions.column.term')}>
        {`${s.termDuration ? label('term', s.termDuration) : t('subscriptions.term.none')} · ${label('cycle', s.billingCycle)}`}
      </td>
      <td data-label={t('subscriptions.column.commitmentEnd')}>
        {s.commitmentEndDate ? date(s.commitmentEndDate) : t('subscriptions.noCommitment')}
      </td>
      {/* Labelled only when there is a date: an empty cell then takes no line of a narrow-screen card. */}
      {s.status === 'suspended' && s.deletionDate ? (
        <td data-label={t('subscriptions.column.deletion')}>
          <span className="strong deletion">{date(s.deletionDate)}</span>
        </td>
      ) : (
        <td />
      )}
    </tr>
  );
}

export function SubscriptionsTab() {
  const { t, number } = useI18n();
  const profile = useProfile();
  const label = useLabels();
  const c = useCustomerOfPage();
  const [params, setParams] = useSearchParams();
  const status = oneOf(params, 'status', STATUSES);
  const [adding, setAdding] = useState(false);
  const [placed, setPlaced] = useState<Order>();
  const canView = allows(profile.roles, 'subscriptions.view');
  const canManage = allows(profile.roles, 'subscriptions.manage');
  const addOffer = canManage ? (params.get('add') ?? undefined) : undefined;
  const query = useSubscriptionList(c.id, status, PAGE_SIZE, canView);
  if (!canView)
    return (
      <EmptyState>
        <p>{t('subscriptions.notAllowed')}</p>
      </EmptyState>
    );
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];
  const total = query.data?.pages[0]?.totalCount;
  const name = c.billingProfile.companyName;
  return (
    <section className="subscriptions-tab">
      <div className="toolbar">
        <h2 id="subscriptions-heading">{t('subscriptions.title')}</h2>
        <div className="actions">
          {canManage && (
            <button type="button" className="button primary" onClick={() => setAdding(true)}>
              {t('subscriptions.add.open')}
            </button>
          )}
          <a className="button secondary" href={exportHref(c.id, status)} download>
            {status ? t('subscriptions.exportFiltered') : t('subscriptions.export')}
          </a>
        </div>
      </div>
      {(adding || addOffer !== undefined) && (
        <AddSubscriptionDialog
          customer={c}
          offerId={addOffer || undefined}
          onClose={(order) => {
            setAdding(false);
            if (addOffer !== undefined)
              setParams((p) => withParams(p, { add: undefined }), { replace: true });
            if (order) setPlaced(order);
          }}
        />
      )}
      <p role="status" className="success">
        {placed
          ? t('subscriptions.add.done', {
              names: placed.lineItems.map((l) => l.friendlyName).join(', '),
            })
          : ''}
      </p>
      <div className="search-row">
        <SelectField
          label={t('subscriptions.filter.status')}
          value={status ?? ''}
          placeholder={t('subscriptions.filter.all')}
          options={STATUSES.map((s) => ({ value: s, label: label('status', s) }))}
          onChange={(e) => setParams((p) => withParams(p, { status: e.target.value }), { replace: true })}
        />
      </div>
      <p className="muted" role="status">
        {total !== undefined ? t('subscriptions.total', { count: number(total) }) : ''}
      </p>
      <PagedList
        query={query}
        count={items.length}
        empty={
          status
            ? t('subscriptions.noneWithStatus', { status: label('status', status) })
            : t('subscriptions.none', { name })
        }
      >
        <div className="table-wrap" role="region" aria-labelledby="subscriptions-heading" tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('subscriptions.column.name')}</th>
                <th scope="col">{t('subscriptions.column.offer')}</th>
                <th scope="col">{t('subscriptions.column.status')}</th>
                <th scope="col">{t('subscriptions.column.quantity')}</th>
                <th scope="col">{t('subscriptions.column.term')}</th>
                <th scope="col">{t('subscriptions.column.commitmentEnd')}</th>
                <th scope="col">{t('subscriptions.column.deletion')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((s) => (
                <SubscriptionRow key={s.id} customerId={c.id} subscription={s} />
              ))}
            </tbody>
          </table>
        </div>
      </PagedList>
      <CustomerTransfers customerId={c.id} customerName={name} />
    </section>
  );
}
