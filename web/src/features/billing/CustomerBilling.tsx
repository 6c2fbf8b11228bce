// One customer's billing, the same on the customer page's Billing tab and on the billing area's page of the
// customer (for a Billing admin, who does not see customers): a clear banner once the month's usage spend has
// reached 80% of the budget (or an alert was raised), this month's charges so far, the monthly spending budget
// for usage with a progress bar and its setting (typed in major units of the customer's currency, sent in minor
// units), and the charges of the last 12 months as a chart and a table.
import { useState } from 'react';
import type { FormEvent } from 'react';
import { ApiError } from '../../api/client.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { EmptyState, Loading } from '../../components/states.tsx';
import { TextField } from '../../components/TextField.tsx';
import type { MessageKey } from '../../i18n/catalogs.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import type { CustomerCharges, UsageBudget } from './billing.queries.ts';
import { CHART_MONTHS, useBudgetMutations, useCustomerCharges, useUsageBudget } from './billing.queries.ts';
import { useMonth } from './labels.ts';
import type { AmountProblem } from './model.ts';
import { amountExample, budgetState, majorInputText, monthSeries, parseMajorAmount } from './model.ts';
import { MonthlyChart } from './MonthlyChart.tsx';
import './billing.css';

const PROBLEM: Record<AmountProblem, MessageKey> = {
  empty: 'billing.budget.problem.empty',
  notANumber: 'billing.budget.problem.notANumber',
  tooManyDecimals: 'billing.budget.problem.tooManyDecimals',
  notPositive: 'billing.budget.problem.notPositive',
  tooLarge: 'billing.budget.problem.tooLarge',
};

/** A percentage as the reader writes it: "85.5%", "85,5 %". */
function usePercent(): (value: number) => string {
  const { locale } = useI18n();
  const format = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
  return (value) => format.format(value / 100);
}

function BudgetAlert(props: { budget: UsageBudget; customerName: string }) {
  const { t, money, dateTime } = useI18n();
  const month = useMonth();
  const percent = usePercent();
  const b = props.budget;
  const { level } = budgetState(b);
  if ((level !== 'alert' && level !== 'over') || b.amount === null) return null;
  return (
    <div className="alert alert-warning budget-alert" role="alert">
      <p className="alert-title">
        {level === 'over'
          ? t('billing.budget.alert.over')
          : t('billing.budget.alert.title', { percent: percent(b.alertThresholdPercent) })}
      </p>
      <p>
        {t('billing.budget.alert.body', {
          name: props.customerName,
          spend: money(b.spend, b.currencyCode),
          month: month(b.periodStartDate),
          percent: percent(b.percentUsed ?? 0),
          amount: money(b.amount, b.currencyCode),
        })}
      </p>
      {b.alertRaisedAt && (
        <p className="muted small">{t('billing.budget.alert.raised', { time: dateTime(b.alertRaisedAt) })}</p>
      )}
    </div>
  );
}

function BudgetBar(props: { budget: UsageBudget & { amount: number } }) {
  const { t, money } = useI18n();
  const percent = usePercent();
  const b = props.budget;
  const { level, barPercent } = budgetState(b);
  const text = t('billing.budget.usedText', {
    percent: percent(b.percentUsed ?? 0),
    spend: money(b.spend, b.currencyCode),
    amount: money(b.amount, b.currencyCode),
  });
  return (
    <div className="budget-progress">
      <div
        className="budget-bar"
        role="progressbar"
        aria-label={t('billing.budget.used')}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(barPercent)}
        aria-valuetext={text}
      >
        <div className={`budget-fill ${level}`} style={{ width: `${barPercent}%` }} />
        <div className="budget-mark" style={{ left: `${b.alertThresholdPercent}%` }} aria-hidden="true" />
      </div>
      <p className="strong">{text}</p>
    </div>
  );
}

function BudgetForm(props: { customerId: string; budget: UsageBudget }) {
  const { t, money, locale } = useI18n();
  const b = props.budget;
  const currency = b.currencyCode;
  const [text, setText] = useState(() =>
    b.amount === null ? '' : majorInputText(b.amount, currency, locale),
  );
  const [problem, setProblem] = useState<AmountProblem>();
  const [removing, setRemoving] = useState(false);
  const [done, setDone] = useState<'saved' | 'removed'>();
  const { save, remove } = useBudgetMutations(props.customerId);
  const apiError = save.error instanceof ApiError ? save.error : undefined;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const reading = parseMajorAmount(text, currency, locale);
    setProblem(reading.problem);
    setDone(undefined);
    if (reading.minor !== undefined)
      save.mutate(
        {
          amount: reading.minor,
          currencyCode: currency,
          etag: b.amount === null ? undefined : b.attributes.etag,
        },
        { onSuccess: () => setDone('saved') },
      );
  };
  const fieldError = problem
    ? t(PROBLEM[problem], { example: amountExample(currency, locale), currency })
    : (apiError?.fieldError('amount') ?? apiError?.fieldError('currencyCode'));
  return (
    <form onSubmit={onSubmit} noValidate className="budget-form">
      {save.isError && <ErrorAlert error={save.error} />}
      <TextField
        label={t('billing.budget.amount', { currency })}
        name="amount"
        inputMode="decimal"
        autoComplete="off"
        hint={t('billing.budget.hint', {
          percent: b.alertThresholdPercent,
          example: amountExample(currency, locale),
        })}
        value={text}
        error={fieldError}
        onChange={(e) => setText(e.target.value)}
      />
      <div className="actions">
        <button type="submit" className="button primary" disabled={save.isPending}>
          {save.isPending
            ? t('common.saving')
            : t(b.amount === null ? 'billing.budget.set' : 'billing.budget.change')}
        </button>
        {b.amount !== null && (
          <button type="button" className="button danger" onClick={() => setRemoving(true)}>
            {t('billing.budget.remove')}
          </button>
        )}
      </div>
      <p role="status" className="success">
        {done === 'saved'
          ? t('billing.budget.saved', { amount: b.amount === null ? '' : money(b.amount, currency) })
          : done === 'removed'
            ? t('billing.budget.removed')
            : ''}
      </p>
      {removing && (
        <ConfirmDialog
          title={t('billing.budget.removeTitle')}
          confirmLabel={t('billing.budget.remove')}
          danger
          pending={remove.isPending}
          error={remove.error}
          onCancel={() => {
            setRemoving(false);
            remove.reset();
          }}
          onConfirm={() =>
            remove.mutate(undefined, {
              onSuccess: () => {
                setRemoving(false);
                setText('');
                setDone('removed');
              },
            })
          }
        >
          <p>{t('billing.budget.removeBody')}</p>
        </ConfirmDialog>
      )}
    </form>
  );
}

function Budget(props: { customerId: string; customerName: string }) {
  const { t, money } = useI18n();
  const budget = useUsageBudget(props.customerId);
  const b = budget.data;
  return (
    <section className="panel" aria-labelledby="budget-heading">
      <h2 id="budget-heading">{t('billing.budget.title')}</h2>
      <p className="hint">{t('billing.budget.intro')}</p>
      {budget.isPending && <Loading />}
      {budget.isError && <ErrorAlert error={budget.error} onRetry={() => void budget.refetch()} />}
      {b && (
        <>
          {b.amount === null ? (
            <p>{t('billing.budget.none', { spend: money(b.spend, b.currencyCode) })}</p>
          ) : (
            <BudgetBar budget={{ ...b, amount: b.amount }} />
          )}
          <BudgetForm customerId={props.customerId} budget={b} />
        </>
      )}
    </section>
  );
}

function ChargesByMonth(props: { charges: CustomerCharges }) {
  const { t, money } = useI18n();
  const month = useMonth();
  const c = props.charges;
  const series = monthSeries(c.items, CHART_MONTHS);
  const newestFirst = [...c.items].reverse();
  // The API's last month is this one, so far.
  const current = c.items.at(-1);
  return (
    <section className="panel" aria-labelledby="charges-heading">
      <h2 id="charges-heading">{t('billing.charges.title')}</h2>
      {c.items.length === 0 ? (
        <EmptyState>
          <p>{t('billing.charges.none')}</p>
        </EmptyState>
      ) : (
        <>
          <MonthlyChart
            series={series}
            currency={c.currencyCode}
            caption={t('billing.charges.caption', { currency: c.currencyCode })}
          />
          <div className="table-wrap" role="region" aria-label={t('billing.charges.table')} tabIndex={0}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('billing.column.month')}</th>
                  <th scope="col" className="money">
                    {t('billing.column.recurring')}
                  </th>
                  <th scope="col" className="money">
                    {t('billing.column.usage')}
                  </th>
                  <th scope="col" className="money">
                    {t('billing.column.oneTime')}
                  </th>
                  <th scope="col" className="money">
                    {t('billing.column.total')}
                  </th>
                  <th scope="col">{t('billing.column.state')}</th>
                </tr>
              </thead>
              <tbody>
                {newestFirst.map((m) => (
                  <tr key={m.billingPeriodStartDate}>
                    <td data-label={t('billing.column.month')}>{month(m.billingPeriodStartDate)}</td>
                    <td data-label={t('billing.column.recurring')} className="money">
                      {money(m.recurring, c.currencyCode)}
                    </td>
                    <td data-label={t('billing.column.usage')} className="money">
                      {money(m.usage, c.currencyCode)}
                    </td>
                    <td data-label={t('billing.column.oneTime')} className="money">
                      {money(m.oneTime, c.currencyCode)}
                    </td>
                    <td data-label={t('billing.column.total')} className="money strong">
                      {money(m.totalCharges, c.currencyCode)}
                    </td>
                    <td data-label={t('billing.column.state')}>
                      {m.billed
                        ? t('billing.charges.billed')
                        : m === current
                          ? t('billing.charges.soFar')
                          : t('billing.charges.notBilled')}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

export function CustomerBilling(props: { customerId: string; customerName: string }) {
  const { t, money } = useI18n();
  const charges = useCustomerCharges(props.customerId);
  const budget = useUsageBudget(props.customerId);
  if (charges.error instanceof ApiError && (charges.error.status === 404 || charges.error.status === 400))
    return (
      <EmptyState>
        <p>{t('billing.customer.notFound')}</p>
      </EmptyState>
    );
  return (
    <div className="customer-billing">
      {budget.data && <BudgetAlert budget={budget.data} customerName={props.customerName} />}
      <section aria-labelledby="month-heading">
        <h2 id="month-heading">{t('billing.customer.thisMonth')}</h2>
        {charges.isPending && <Loading />}
        {charges.isError && <ErrorAlert error={charges.error} onRetry={() => void charges.refetch()} />}
        {charges.data && (
          <dl className="stats">
            <div className="stat">
              <dt>{t('billing.customer.chargesToDate')}</dt>
              <dd>{money(charges.data.chargesToDate, charges.data.currencyCode)}</dd>
            </div>
            {budget.data && (
              <div className="stat">
                <dt>{t('billing.customer.usageSpend')}</dt>
                <dd>{money(budget.data.spend, budget.data.currencyCode)}</dd>
              </div>
            )}
          </dl>
        )}
      </section>
      <Budget customerId={props.customerId} customerName={props.customerName} />
      {charges.data && <ChargesByMonth charges={charges.data} />}
    </div>
  );
}
