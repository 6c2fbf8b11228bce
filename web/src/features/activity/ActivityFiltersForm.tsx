// The activity log's range and filters. Edits stay local until "Show" applies them, so typing does not fire a
// request per key. Dates are typed in the console's language format (DateField); an unreadable one stops
// "Show" with its reason next to the field, as does the API's reason for a field (an end before the start).
import { useEffect, useId, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import type { ApiError } from '../../api/client.ts';
import { DateField } from '../../components/DateField.tsx';
import type { DayValue } from '../../components/DateField.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { ACTIONS, FAMILIES, actionLabel } from './actions.ts';
import type { ActivityFilters } from './activity.queries.ts';

/** YYYY-MM-DD in UTC: the API reads bare dates as UTC days. */
const utcDay = (d: Date) => d.toISOString().slice(0, 10);

/** The last month up to today, as the API's own default. */
export function defaultRange(now = new Date()): Pick<ActivityFilters, 'startDate' | 'endDate'> {
  const start = new Date(now);
  start.setUTCMonth(start.getUTCMonth() - 1);
  return { startDate: utcDay(start), endDate: utcDay(now) };
}

type Filters = Omit<ActivityFilters, 'order'>;

export function ActivityFiltersForm(props: {
  value: Filters;
  onApply: (filters: Filters) => void;
  error?: ApiError;
}) {
  const { t } = useI18n();
  const [draft, setDraft] = useState(props.value);
  const [dates, setDates] = useState<{ startDate: boolean; endDate: boolean }>({
    startDate: true,
    endDate: true,
  });
  const [submitted, setSubmitted] = useState(false);
  // The field to focus after a refused "Show", once its error is rendered (a new object each time).
  const [focusRequest, setFocusRequest] = useState<{ name: string }>();
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (focusRequest) form.current?.querySelector<HTMLElement>(`[name="${focusRequest.name}"]`)?.focus();
  }, [focusRequest]);
  const actionId = useId();
  const statusId = useId();
  const set = (patch: Partial<Filters>) => setDraft((d) => ({ ...d, ...patch }));
  const setDate = (field: 'startDate' | 'endDate') => (value: DayValue) => {
    set({ [field]: value.day });
    setDates((v) => ({ ...v, [field]: value.valid }));
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (!dates.startDate || !dates.endDate) {
      // The first field that cannot be read takes the focus; its error says why.
      setFocusRequest({ name: dates.startDate ? 'endDate' : 'startDate' });
      return;
    }
    props.onApply({ ...draft, q: draft.q?.trim() || undefined });
  };
  const fieldError = (name: string) => props.error?.fieldError(name);
  return (
    <form ref={form} className="filters" onSubmit={onSubmit} noValidate aria-label={t('activity.filters')}>
      <DateField
        label={t('activity.startDate')}
        name="startDate"
        initial={props.value.startDate}
        showInvalid={submitted}
        error={fieldError('startDate')}
        onChange={setDate('startDate')}
      />
      <DateField
        label={t('activity.endDate')}
        name="endDate"
        initial={props.value.endDate}
        showInvalid={submitted}
        error={fieldError('endDate')}
        onChange={setDate('endDate')}
      />
      <div className="field">
        <label htmlFor={actionId}>{t('activity.action')}</label>
        <select
          id={actionId}
          value={draft.action ?? ''}
          onChange={(e) => set({ action: e.target.value || undefined })}
        >
          <option value="">{t('activity.allActions')}</option>
          <optgroup label={t('activity.families')}>
            {FAMILIES.map((f) => (
              <option key={f} value={f}>
                {t(`activity.family.${f}`)}
              </option>
            ))}
          </optgroup>
          <optgroup label={t('activity.actionsGroup')}>
            {ACTIONS.map((a) => (
              <option key={a} value={a}>
                {actionLabel(t, a)}
              </option>
            ))}
          </optgroup>
        </select>
      </div>
      <div className="field">
        <label htmlFor={statusId}>{t('activity.status')}</label>
        <select
          id={statusId}
          value={draft.status ?? ''}
          onChange={(e) => {
            const v = e.target.value;
            set({ status: v === 'succeeded' || v === 'failed' ? v : undefined });
          }}
        >
          <option value="">{t('activity.allStatuses')}</option>
          <option value="succeeded">{t('activity.status.succeeded')}</option>
          <option value="failed">{t('activity.status.failed')}</option>
        </select>
      </div>
      <TextField
        label={t('activity.search')}
        name="q"
        type="search"
        hint={t('activity.searchHint')}
        value={draft.q ?? ''}
        error={fieldError('q')}
        onChange={(e) => set({ q: e.target.value })}
      />
      <div className="actions">
        <button type="submit" className="button primary">
          {t('activity.apply')}
        </button>
      </div>
    </form>
  );
}
