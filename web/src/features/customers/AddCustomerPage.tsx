// /customers/new: add a customer in steps — Account info → Subscriptions → Review → Submit → Confirmation —
// with the steps shown above (the current one marked). The form lives in this page's state, so moving between
// steps ("Update" on Review, Back) keeps every value. Submit sends one MS-RequestId per attempt sequence: the
// same body again (a double click, a retry after a network error) reuses it and can never add the customer
// twice. The chosen subscriptions go with the customer as its first order (only with the agreement attestation,
// which the API requires for it). The API's field reasons go back to the step of their field (Account info, or
// Subscriptions for an order line), next to it, with the summary focused. The confirmation shows the new admin's
// user name and temporary password once, and the subscriptions made.
import { useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { allows } from '../../../../src/modules/partners/roles.ts';
import { canOpen } from '../../app/access.ts';
import { useProfile } from '../../app/auth.tsx';
import { OneTimeSecret } from '../../components/OneTimeSecret.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import type { AccountInfo } from './accountInfo.ts';
import { ACCOUNT_INPUTS, createBody, emptyAccountInfo, missingInputs } from './accountInfo.ts';
import { AccountInfoStep } from './AccountInfoStep.tsx';
import type { LineDraft } from '../subscriptions/model.ts';
import { lineItemBody } from '../subscriptions/model.ts';
import { lineInputFor } from '../subscriptions/orderErrors.ts';
import type { CreatedCustomer } from './customers.queries.ts';
import { useCountryRules, useCustomerMutations } from './customers.queries.ts';
import type { FieldErrors, Problem } from './forms.ts';
import { apiProblems, inFormOrder, inputForField, requestIdSequence } from './forms.ts';
import { ReviewStep } from './ReviewStep.tsx';
import { SubscriptionsStep } from './SubscriptionsStep.tsx';
import type { Step } from './Stepper.tsx';
import { StepHeading, Stepper } from './Stepper.tsx';

function CreatedSubscriptions(props: { customer: CreatedCustomer; canOpen: boolean }) {
  const { t, number } = useI18n();
  const items = props.customer.orders.flatMap((o) => o.lineItems);
  if (items.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="created-subscriptions">
      <h3 id="created-subscriptions">{t('addCustomer.ordered', { count: items.length })}</h3>
      <ul>
        {items.map((l) => {
          const text = t('addCustomer.orderedLine', {
            name: l.friendlyName,
            quantity: number(l.quantity),
            offer: l.offerId,
          });
          return (
            <li key={l.subscriptionId}>
              {props.canOpen ? (
                <Link to={`/customers/${props.customer.id}/subscriptions/${l.subscriptionId}`}>{text}</Link>
              ) : (
                text
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function ConfirmationStep(props: {
  customer: CreatedCustomer;
  canOpen: boolean;
  onDone: (customerId: string) => void;
}) {
  const { t } = useI18n();
  const c = props.customer;
  return (
    <section aria-labelledby="step-heading">
      <StepHeading>{t('addCustomer.step.confirmation')}</StepHeading>
      <p role="status" className="success">
        {t('addCustomer.created', { name: c.billingProfile.companyName, domain: c.companyProfile.domain })}
      </p>
      <div className="alert alert-warning">
        <p className="alert-title">{t('addCustomer.credentialsTitle')}</p>
        <p>{t('addCustomer.credentialsOnce')}</p>
      </div>
      <OneTimeSecret
        label={t('addCustomer.adminUserName')}
        value={c.userCredentials.userName}
        hint={t('addCustomer.adminUserNameHint')}
      />
      <OneTimeSecret
        label={t('addCustomer.temporaryPassword')}
        value={c.userCredentials.password}
        hint={t('addCustomer.temporaryPasswordHint')}
      />
      <CreatedSubscriptions customer={c} canOpen={props.canOpen} />
      <div className="actions step-actions">
        <button type="button" className="button primary" onClick={() => props.onDone(c.id)}>
          {t('addCustomer.done')}
        </button>
      </div>
    </section>
  );
}

export function AddCustomerPage() {
  const { t } = useI18n();
  const profile = useProfile();
  const navigate = useNavigate();
  const { create } = useCustomerMutations();
  const [step, setStep] = useState<Step>('account');
  const [moved, setMoved] = useState(false);
  const [info, setInfo] = useState<AccountInfo>(() => emptyAccountInfo(profile.partner.country));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [problems, setProblems] = useState<Problem[]>([]);
  const [focusKey, setFocusKey] = useState<object>();
  const [tried, setTried] = useState(false);
  const [lines, setLines] = useState<LineDraft[]>([]);
  const [lineErrors, setLineErrors] = useState<FieldErrors>({});
  const [lineProblems, setLineProblems] = useState<Problem[]>([]);
  const [lineFocusKey, setLineFocusKey] = useState<object>();
  const [requestIdFor] = useState(requestIdSequence);
  // A synchronous guard as well as the disabled button: two clicks in one frame send one request.
  const sending = useRef(false);
  const rules = useCountryRules(info.address.country || undefined).data;
  const suffix = profile.instance.domainSuffix;
  const canList = canOpen(profile.roles, 'customers');
  const canOpenSubscriptions = canList && allows(profile.roles, 'subscriptions.view');

  const go = (next: Step) => {
    setStep(next);
    setMoved(true);
  };
  const refuse = (fieldErrors: FieldErrors, list: Problem[]) => {
    setErrors(fieldErrors);
    setProblems(list);
    setFocusKey({});
  };
  const refuseLines = (fieldErrors: FieldErrors, list: Problem[]) => {
    setLineErrors(fieldErrors);
    setLineProblems(list);
    setLineFocusKey({});
  };
  const onLines = (next: LineDraft[], touched: string[]) => {
    setLines(next);
    if (touched.some((k) => lineErrors[k])) {
      setLineErrors((e) => Object.fromEntries(Object.entries(e).filter(([k]) => !touched.includes(k))));
      setLineProblems((list) => list.filter((p) => !p.input || !touched.includes(p.input)));
    }
  };
  // Only with the attestation: the API refuses an order for a customer without the agreement.
  const ordered = info.agreementAccepted ? lines : [];
  const onChange = (patch: Partial<AccountInfo>, inputs: string[]) => {
    setInfo((i) => ({ ...i, ...patch }));
    // A field being corrected no longer shows the reason it was refused.
    if (inputs.some((k) => errors[k])) {
      const rest = { ...errors };
      for (const k of inputs) delete rest[k];
      setErrors(rest);
      setProblems((list) => list.filter((p) => !p.input || !inputs.includes(p.input)));
    }
  };
  const onNext = () => {
    setTried(true);
    const missing = missingInputs(info, rules, t('customers.form.required'));
    if (info.agreementAccepted && !info.agreement.dateValid)
      missing.dateAgreed = t('customer.agreement.dateUnreadable');
    if (Object.keys(missing).length > 0) {
      refuse(missing, inFormOrder(missing, ACCOUNT_INPUTS));
      return;
    }
    setErrors({});
    setProblems([]);
    setFocusKey(undefined);
    go('subscriptions');
  };
  const onSubmit = () => {
    if (sending.current) return;
    sending.current = true;
    const body = {
      ...createBody(info, rules, suffix),
      ...(ordered.length > 0 ? { lineItems: ordered.map(lineItemBody) } : {}),
    };
    create.mutate(
      { body, requestId: requestIdFor(body) },
      {
        onSuccess: () => go('confirmation'),
        onError: (error) => {
          if (error instanceof ApiError && error.details.length > 0) {
            const onLines = error.details.filter((d) => lineInputFor(d.field));
            if (onLines.length === error.details.length) {
              // Only the order is refused: back to Subscriptions, each reason next to its line's input.
              const { errors: byInput, problems: list } = apiProblems(error, lineInputFor);
              refuseLines(byInput, list);
              create.reset();
              go('subscriptions');
              return;
            }
            const { errors: byInput, problems: list } = apiProblems(error, inputForField);
            // In the form's order, then what no input shows.
            refuse(byInput, [...inFormOrder(byInput, ACCOUNT_INPUTS), ...list.filter((p) => !p.input)]);
            create.reset();
            go('account');
          }
        },
        onSettled: () => {
          sending.current = false;
        },
      },
    );
  };

  if (!profile.instance.policy['customers.create'])
    return (
      <section className="notice">
        <PageHeader title={t('addCustomer.title')} />
        <p>{t('addCustomer.notInInstance', { instance: t(`instance.${profile.instance.id}`) })}</p>
      </section>
    );

  return (
    <section className="add-customer">
      <PageHeader title={t('addCustomer.title')}>
        {canList && step !== 'confirmation' && <Link to="/customers">{t('addCustomer.backToList')}</Link>}
      </PageHeader>
      <Stepper current={step} />
      {step === 'account' && (
        <AccountInfoStep
          info={info}
          rules={rules}
          suffix={suffix}
          errors={errors}
          problems={problems}
          focusKey={focusKey}
          tried={tried}
          focusHeading={moved}
          onChange={onChange}
          onNext={onNext}
          onCancel={() => void navigate(canList ? '/customers' : '/')}
        />
      )}
      {step === 'subscriptions' && (
        <SubscriptionsStep
          country={info.address.country}
          agreementAccepted={info.agreementAccepted}
          lines={lines}
          errors={lineErrors}
          problems={lineProblems}
          focusKey={lineFocusKey}
          onLines={onLines}
          onRefuse={refuseLines}
          onAgreement={() => go('account')}
          onBack={() => go('account')}
          onNext={() => {
            setLineProblems([]);
            go('review');
          }}
        />
      )}
      {step === 'review' && (
        <ReviewStep
          info={info}
          lines={lines}
          rules={rules}
          suffix={suffix}
          error={create.error}
          pending={create.isPending}
          onUpdate={go}
          onBack={() => go('subscriptions')}
          onSubmit={onSubmit}
        />
      )}
      {step === 'confirmation' && create.data && (
        <ConfirmationStep
          customer={create.data}
          canOpen={canOpenSubscriptions}
          // Whoever may not open customers (a user management admin adds them) goes back to the dashboard.
          onDone={(id) => void navigate(canList ? `/customers/${id}` : '/', { replace: true })}
        />
      )}
    </section>
  );
}
