// The activity log's range and filters. Edits stay local until "Show" applies them, so typing does not fire a
// request per key; the API's reason for a field (an end before the start) shows next to that field.
import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import type { ApiError } from '../../api/client.ts';
import { TextField } from '../../components/TextField.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { ACTIONS, FAMILIES, actionLabel } from './actions.ts';
import type { ActivityFilters } from './activity.queries.ts';

/** YYYY-MM-DD in UTC: the API reads bare dates as UTC days. */
const utcDay = (d: Date) => d.toISOString().slice(0, 10);

/** The last month up to today, as the API's own default. */
export function defaultFilters(now = new Date()): ActivityFilters {
  const start = new Date(now);
  start.setUTCMonth(start.getUTCMonth() - 1);
  return { startDate: utcDay(start), endDate: utcDay(now) };
}

export function ActivityFiltersForm(props: {
  value: ActivityFilters;
  onApply: (filters: ActivityFilters) => void;
  error?: ApiError;
}) {
  const { t } = useI18n();
  const [draft, setDraft] = useState(props.value);
  const actionId = useId();
  const statusId = useId();
  const set = (patch: Partial<ActivityFilters>) => setDraft((d) => ({ ...d, ...patch }));
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    props.onApply({ ...draft, q: draft.q?.trim() || undefined });
  };
  const fieldError = (name: string) => props.error?.fieldError(name);
  return (
    <form className="filters" onSubmit={onSubmit} noValidate aria-label={t('activity.filters')}>
      <TextField
        label={t('activity.startDate')}
        name="startDate"
        type="date"
        value={draft.startDate ?? ''}
        error={fieldError('startDate')}
        onChange={(e) => set({ startDate: e.target.value || undefined })}
      />
      <TextField
        label={t('activity.endDate')}
        name="endDate"
        type="date"
        value={draft.endDate ?? ''}
        error={fieldError('endDate')}
        onChange={(e) => set({ endDate: e.target.value || undefined })}
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
