// A sortable column header: a button named "Sort by <column>" inside a <th> whose aria-sort tells screen
// readers which column the list is sorted by and which way. The owner decides what a click does (usually: the
// same column again reverses the order, another column starts ascending) and asks the API for that order.
import { useI18n } from '../i18n/i18n.tsx';

export type SortOrder = 'asc' | 'desc';

export interface SortState<F extends string> {
  by: F;
  order: SortOrder;
}

export function SortHeader<F extends string>(props: {
  field: F;
  label: string;
  sort: SortState<F>;
  onSort: (field: F) => void;
}) {
  const { t } = useI18n();
  const active = props.sort.by === props.field;
  const direction = props.sort.order === 'asc' ? 'ascending' : 'descending';
  return (
    <th scope="col" aria-sort={active ? direction : 'none'}>
      <button
        type="button"
        className="link-button sort-button"
        aria-label={t('common.sortBy', { column: props.label })}
        onClick={() => props.onSort(props.field)}
      >
        {props.label}
        <span aria-hidden="true">{active ? (props.sort.order === 'asc' ? ' ▲' : ' ▼') : ''}</span>
      </button>
    </th>
  );
}

/** The usual click: the sorted column flips its order, another column starts ascending. */
export function nextSort<F extends string>(current: SortState<F>, field: F): SortState<F> {
  return { by: field, order: current.by === field && current.order === 'asc' ? 'desc' : 'asc' };
}
