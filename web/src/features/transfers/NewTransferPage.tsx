// /customers/:customerId/subscriptions/transfers/new: the target partner asks another partner to move this
// customer's subscriptions to it. The customer's subscriptions come grouped by their partner of record (the
// possible sources; your own are counted apart); for the source chosen, each subscription has a checkbox when
// it can move and otherwise its reason; "all eligible" takes every one that can. A note for the source and the
// customer, then Send: the request page opens with the link to send the customer for consent.
import { useId, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { FormActions } from '../../components/FormActions.tsx';
import { EmptyState, Loading } from '../../components/states.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { useCustomerOfPage } from '../customers/CustomerPage.tsx';
import { requestIdSequence } from '../customers/forms.ts';
import { useTransferAccess } from './access.ts';
import { useTransferLabels } from './labels.ts';
import type { DraftProblem, SourceGroup } from './model.ts';
import { createBody, defaultSource, draftProblem, groupBySource, refusedSubscriptions } from './model.ts';
import type { Eligibility } from './transfers.queries.ts';
import { useEligibility, useTransferMutations } from './transfers.queries.ts';
import './transfers.css';

function SubscriptionChoice(props: {
  item: Eligibility;
  checked: boolean;
  disabled: boolean;
  onChange: (checked: boolean) => void;
}) {
  const { t } = useI18n();
  const label = useTransferLabels();
  const id = useId();
  const s = props.item;
  return (
    <li className={s.isEligible ? 'eligibility' : 'eligibility ineligible'}>
      <label className="checkbox">
        <input
          type="checkbox"
          name="subscriptionIds"
          value={s.subscriptionId}
          checked={s.isEligible && props.checked}
          disabled={!s.isEligible || props.disabled}
          aria-describedby={`${id}-about`}
          onChange={(e) => props.onChange(e.target.checked)}
        />
        <span className="strong">{s.friendlyName}</span>
      </label>
      <div id={`${id}-about`} className="eligibility-about">
        <span className="block muted small">
          {s.azureSubscriptionId
            ? `${s.offerName} · ${t('transfers.new.azureId', { id: s.azureSubscriptionId })}`
            : s.offerName}
        </span>
        {!s.isEligible && (
          <span className="block">
            <span className="strong">
              {s.reason ? label('reason', s.reason) : t('transfers.new.notEligible')}
            </span>
            {s.description && <span className="block small">{s.description}</span>}
          </span>
        )}
      </div>
      {s.openTransferId && (
        <Link to={`/transfers/${s.openTransferId}`} className="small">
          {t('transfers.new.openRequest', { name: s.friendlyName })}
        </Link>
      )}
    </li>
  );
}

function SourceSubscriptions(props: {
  group: SourceGroup<Eligibility>;
  allEligible: boolean;
  chosen: string[];
  onAllEligible: (on: boolean) => void;
  onChosen: (ids: string[]) => void;
  error?: string;
}) {
  const { t, number } = useI18n();
  const legendId = useId();
  const errorId = useId();
  const g = props.group;
  return (
    <fieldset
      className="form-section eligibility-group"
      aria-labelledby={legendId}
      aria-describedby={props.error ? errorId : undefined}
    >
      <legend id={legendId}>{t('transfers.new.subscriptionsOf', { partner: g.partnerName })}</legend>
      <p className="hint">
        {t('transfers.new.eligibleCount', { eligible: number(g.eligible), total: number(g.items.length) })}
      </p>
      {g.eligible > 0 && (
        <label className="checkbox all-eligible">
          <input
            type="checkbox"
            name="allEligible"
            checked={props.allEligible}
            onChange={(e) => props.onAllEligible(e.target.checked)}
          />
          {t('transfers.new.allEligible', { partner: g.partnerName })}
        </label>
      )}
      <ul className="eligibility-list">
        {g.items.map((s) => (
          <SubscriptionChoice
            key={s.subscriptionId}
            item={s}
            checked={props.allEligible || props.chosen.includes(s.subscriptionId)}
            disabled={props.allEligible}
            onChange={(on) =>
              props.onChosen(
                on
                  ? [...props.chosen, s.subscriptionId]
                  : props.chosen.filter((id) => id !== s.subscriptionId),
              )
            }
          />
        ))}
      </ul>
      {props.error && (
        <p id={errorId} className="field-error">
          {props.error}
        </p>
      )}
    </fieldset>
  );
}

export function NewTransferPage() {
  const { t, number } = useI18n();
  const c = useCustomerOfPage();
  const navigate = useNavigate();
  const access = useTransferAccess();
  const eligibility = useEligibility(c.id, access.canManage);
  const { create } = useTransferMutations(c.id);
  const form = useRef<HTMLFormElement>(null);
  const sourceLegend = useId();
  const noteId = useId();
  const [requestIdFor] = useState(requestIdSequence);
  const [source, setSource] = useState<string>();
  const [allEligible, setAllEligible] = useState(false);
  const [chosen, setChosen] = useState<string[]>([]);
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<DraftProblem>();
  const [sent, setSent] = useState<string[]>([]);
  const back = `/customers/${c.id}/subscriptions`;
  const name = c.billingProfile.companyName;

  const header = (
    <>
      <p>
        <Link to={back}>{t('subscriptions.backToList')}</Link>
      </p>
      <h2 id="new-transfer-heading" className="step-heading">
        {t('transfers.new.title')}
      </h2>
      <p className="muted">{t('transfers.new.intro', { customer: name })}</p>
    </>
  );
  if (!access.canManage)
    return (
      <section aria-labelledby="new-transfer-heading">
        {header}
        <EmptyState>
          <p>{access.refusedHere ? t('transfers.refusedHere') : t('transfers.new.notAllowed')}</p>
        </EmptyState>
      </section>
    );
  if (eligibility.isPending)
    return (
      <section aria-labelledby="new-transfer-heading">
        {header}
        <Loading />
      </section>
    );
  if (eligibility.isError)
    return (
      <section aria-labelledby="new-transfer-heading">
        {header}
        <ErrorAlert error={eligibility.error} onRetry={() => void eligibility.refetch()} />
      </section>
    );

  const { sources, yours } = groupBySource(eligibility.data.items);
  const sourceId = source ?? defaultSource(sources);
  const group = sources.find((s) => s.partnerId === sourceId);
  const draft = { sourcePartnerId: sourceId, allEligible, chosen, note };
  const refusal = create.error instanceof ApiError ? create.error : undefined;
  const refused = refusal ? refusedSubscriptions(refusal.details, sent, eligibility.data.items) : [];

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const p = draftProblem(draft);
    setProblem(p);
    if (p) {
      form.current
        ?.querySelector<HTMLElement>(
          p === 'noSource' ? '[name="sourcePartner"]' : '[name="subscriptionIds"]:not(:disabled)',
        )
        ?.focus();
      return;
    }
    const body = createBody(draft);
    setSent(body.subscriptionIds ?? []);
    create.mutate(
      { body, requestId: requestIdFor(body) },
      { onSuccess: (x) => void navigate(`/transfers/${x.id}`, { state: { created: true } }) },
    );
  };

  return (
    <section aria-labelledby="new-transfer-heading" className="new-transfer">
      {header}
      {sources.length === 0 ? (
        <EmptyState>
          <p>{t('transfers.new.noSources', { customer: name })}</p>
        </EmptyState>
      ) : (
        <form ref={form} noValidate onSubmit={submit}>
          {create.isError && (
            <>
              <ErrorAlert error={create.error} />
              {refused.length > 0 && (
                <ul className="refused">
                  {refused.map((r, i) => (
                    <li key={`${r.subscriptionId ?? ''}${i}`}>
                      {r.name ? `${r.name}: ${r.reason}` : r.reason}
                    </li>
                  ))}
                </ul>
              )}
            </>
          )}
          <fieldset
            className="form-section"
            aria-labelledby={sourceLegend}
            aria-describedby={problem === 'noSource' ? `${sourceLegend}-error` : undefined}
          >
            <legend id={sourceLegend}>{t('transfers.new.source')}</legend>
            <p className="hint">{t('transfers.new.sourceHint')}</p>
            {sources.map((s) => (
              <label key={s.partnerId} className="checkbox">
                <input
                  type="radio"
                  name="sourcePartner"
                  value={s.partnerId}
                  checked={s.partnerId === sourceId}
                  onChange={() => {
                    setSource(s.partnerId);
                    setChosen([]);
                    setAllEligible(false);
                    setProblem(undefined);
                  }}
                />
                <span>
                  {s.partnerName}
                  <span className="muted small">
                    {` · ${t('transfers.new.eligibleCount', { eligible: number(s.eligible), total: number(s.items.length) })}`}
                  </span>
                </span>
              </label>
            ))}
            {problem === 'noSource' && (
              <p id={`${sourceLegend}-error`} className="field-error">
                {t('transfers.new.chooseSource')}
              </p>
            )}
          </fieldset>
          {yours.length > 0 && (
            <p className="muted">{t('transfers.new.yours', { count: number(yours.length) })}</p>
          )}
          {group && (
            <SourceSubscriptions
              group={group}
              allEligible={allEligible}
              chosen={chosen}
              onAllEligible={(on) => {
                setAllEligible(on);
                setProblem(undefined);
              }}
              onChosen={(ids) => {
                setChosen(ids);
                setProblem(undefined);
              }}
              error={problem === 'noSubscription' ? t('transfers.new.chooseSubscription') : undefined}
            />
          )}
          <div className="field">
            <label htmlFor={noteId}>{t('transfers.new.note')}</label>
            <p id={`${noteId}-hint`} className="hint">
              {t('transfers.new.noteHint')}
            </p>
            <textarea
              id={noteId}
              name="note"
              rows={3}
              maxLength={1000}
              value={note}
              aria-describedby={`${noteId}-hint`}
              onChange={(e) => setNote(e.target.value)}
            />
          </div>
          <FormActions
            pending={create.isPending}
            actionLabel={t('transfers.new.submit')}
            onCancel={() => void navigate(back)}
          />
        </form>
      )}
    </section>
  );
}
