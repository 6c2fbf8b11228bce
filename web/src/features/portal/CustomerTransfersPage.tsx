// /portal/transfers — the organisation's transfer requests: partners asking to take over its Azure
// subscriptions from another partner, newest first, those awaiting the organisation's answer called out; each
// opens its page (/portal/transfers/:transferId) to consent or decline.
import { useId } from 'react';
import { Link } from 'react-router';
import { PagedList } from '../../components/states.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { TransferStatusBadge } from './TransferConsentPage.tsx';
import { useCustomerTransfers } from './portal.queries.ts';
import type { CustomerMe } from './portalClient.ts';
import { SignedInCustomerPage } from './SignedInCustomerPage.tsx';
import { awaitingConsent } from './transfers.model.ts';

function TransfersList(props: { me: CustomerMe }) {
  const { t, dateTime } = useI18n();
  const headingId = useId();
  const transfers = useCustomerTransfers(true);
  const items = transfers.data?.items ?? [];
  const waiting = awaitingConsent(items).length;
  return (
    // Not a landmark of its own: the table's scrolling region already carries this heading's name.
    <section>
      <h2 id={headingId}>{t('portalTransfers.list.title', { organisation: props.me.customer.name })}</h2>
      <p className="muted">{t('portalTransfers.list.intro')}</p>
      {waiting > 0 && (
        <p className="notice strong">{t('portalTransfers.list.waiting', { count: waiting })}</p>
      )}
      <PagedList query={transfers} count={items.length} empty={t('portalTransfers.list.empty')}>
        <div className="table-wrap" role="region" aria-labelledby={headingId} tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('portalTransfers.requestedOn')}</th>
                <th scope="col">{t('portalTransfers.list.request')}</th>
                <th scope="col">{t('portalTransfers.subscriptions')}</th>
                <th scope="col">{t('portalTransfers.status')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr key={item.id}>
                  <td data-label={t('portalTransfers.requestedOn')}>{dateTime(item.createdTime)}</td>
                  <td data-label={t('portalTransfers.list.request')}>
                    <Link to={`/portal/transfers/${item.id}`}>
                      {t('portalTransfers.list.fromTo', {
                        target: item.targetPartnerName,
                        source: item.sourcePartnerName,
                      })}
                    </Link>
                  </td>
                  <td data-label={t('portalTransfers.subscriptions')}>
                    {item.lineItems.map((line) => line.friendlyName).join(', ')}
                  </td>
                  <td data-label={t('portalTransfers.status')}>
                    <TransferStatusBadge status={item.status} />
                    {item.status === 'pending' && (
                      <span className="small muted">
                        {' '}
                        {t(`portalTransfers.consent.${item.customerConsent}`)}
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </PagedList>
    </section>
  );
}

export function CustomerTransfersPage() {
  const { t } = useI18n();
  return (
    <SignedInCustomerPage
      title={t('portalTransfers.list.pageTitle')}
      signInIntro={t('portalTransfers.list.signInIntro')}
    >
      {(me) => <TransfersList me={me} />}
    </SignedInCustomerPage>
  );
}
