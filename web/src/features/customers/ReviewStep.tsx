// Add customer, step 3 — Review: everything entered (the subscriptions to order too), each section with "Update"
// back to its step, and Submit.
// A refusal about fields goes back to Account info (the page does that); any other failure (the network, the
// server) stays here with "Submit" to try again, which sends the same request id, so it never adds twice.
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import type { AccountInfo } from './accountInfo.ts';
import { localeLabel } from './BillingContactFields.tsx';
import type { CountryRules } from './customers.queries.ts';
import { AddressBlock, useDay } from './display.tsx';
import { StepHeading } from './Stepper.tsx';
import { useLabels } from '../subscriptions/labels.ts';
import type { LineDraft } from '../subscriptions/model.ts';
import { isFixedQuantity, priceOf } from '../subscriptions/model.ts';
import { effectiveLocale } from './model.ts';

export function ReviewStep(props: {
  info: AccountInfo;
  lines: LineDraft[];
  rules: CountryRules | undefined;
  suffix: string;
  error: unknown;
  pending: boolean;
  onUpdate: (step: 'account' | 'subscriptions') => void;
  onBack: () => void;
  onSubmit: () => void;
}) {
  const { t, locale, number, money } = useI18n();
  const day = useDay();
  const label = useLabels();
  const { info } = props;
  const { culture, language } = effectiveLocale(info.contact, props.rules);
  const a = info.agreement;
  return (
    <section aria-labelledby="step-heading">
      <StepHeading>{t('addCustomer.step.review')}</StepHeading>
      <p className="hint">{t('addCustomer.reviewIntro')}</p>
      <section className="panel" aria-labelledby="review-account">
        <div className="toolbar">
          <h3 id="review-account">{t('addCustomer.step.account')}</h3>
          <button
            type="button"
            className="button secondary"
            aria-label={t('addCustomer.updateSection', { section: t('addCustomer.step.account') })}
            onClick={() => props.onUpdate('account')}
          >
            {t('customer.update')}
          </button>
        </div>
        <dl className="details">
          <dt>{t('customer.company.name')}</dt>
          <dd>{info.companyName}</dd>
          <dt>{t('customer.company.domain')}</dt>
          <dd>{`${info.domainPrefix.trim().toLowerCase()}.${props.suffix}`}</dd>
          {props.rules?.isRegistrationNumberRequired && (
            <>
              <dt>{t('customer.company.registrationNumber')}</dt>
              <dd>{info.registrationNumber}</dd>
            </>
          )}
          <dt>{t('customer.billing.contact')}</dt>
          <dd>{`${info.contact.firstName} ${info.contact.lastName}`}</dd>
          <dt>{t('customer.billing.email')}</dt>
          <dd>{info.contact.email}</dd>
          <dt>{t('customer.billing.culture')}</dt>
          <dd>{localeLabel(culture, locale)}</dd>
          <dt>{t('customer.billing.language')}</dt>
          <dd>{localeLabel(language, locale)}</dd>
          <dt>{t('customer.billing.address')}</dt>
          <dd>
            <AddressBlock address={info.address} />
          </dd>
          <dt>{t('address.phoneNumber')}</dt>
          <dd>{info.address.phoneNumber || t('customer.none')}</dd>
          <dt>{t('customer.agreement.title')}</dt>
          <dd>
            {info.agreementAccepted
              ? t('customer.agreement.confirmedBy', {
                  date: a.dateAgreed ? day(a.dateAgreed) : '',
                  name: `${a.firstName} ${a.lastName}`.trim(),
                  email: a.email,
                })
              : t('addCustomer.agreementAskLater')}
          </dd>
        </dl>
      </section>
      <section className="panel" aria-labelledby="review-subscriptions">
        <div className="toolbar">
          <h3 id="review-subscriptions">{t('addCustomer.step.subscriptions')}</h3>
          <button
            type="button"
            className="button secondary"
            aria-label={t('addCustomer.updateSection', { section: t('addCustomer.step.subscriptions') })}
            onClick={() => props.onUpdate('subscriptions')}
          >
            {t('customer.update')}
          </button>
        </div>
        {props.lines.length === 0 ? (
          <p>{t('addCustomer.noSubscriptions')}</p>
        ) : !info.agreementAccepted ? (
          <p className="field-error">{t('addCustomer.lines.notOrdered', { count: props.lines.length })}</p>
        ) : (
          <ul>
            {props.lines.map((line) => {
              const o = line.offer;
              const quantity = isFixedQuantity(o) ? 1 : Number(line.quantity);
              const price = priceOf(o, line.term, line.billingCycle);
              return (
                <li key={line.key}>
                  <span className="strong">{line.friendlyName.trim() || o.name}</span>
                  <span className="block">
                    {[
                      t('addCustomer.lines.summary', {
                        quantity: number(quantity),
                        unit: o.unitType,
                        offer: o.name,
                      }),
                      o.terms.length > 0 ? label('term', line.term) : t('subscriptions.term.none'),
                      label('cycle', line.billingCycle),
                      price
                        ? t('subscriptions.line.total', {
                            total: money(BigInt(price.unitPrice) * BigInt(quantity), price.currency),
                          })
                        : '',
                    ]
                      .filter(Boolean)
                      .join(' · ')}
                  </span>
                </li>
              );
            })}
          </ul>
        )}
      </section>
      {props.error != null && <ErrorAlert error={props.error} />}
      <div className="actions step-actions">
        <button type="button" className="button primary" disabled={props.pending} onClick={props.onSubmit}>
          {props.pending ? t('addCustomer.submitting') : t('addCustomer.submit')}
        </button>
        <button type="button" className="button secondary" disabled={props.pending} onClick={props.onBack}>
          {t('addCustomer.back')}
        </button>
      </div>
    </section>
  );
}
