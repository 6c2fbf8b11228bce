// Fields the directory forms share: the usage location (a country in the console's language), the directory
// roles as a group of checkboxes, and a product's seats in words with "Buy more" when none is left.
import { Link } from 'react-router';
import { CheckboxGroup } from '../../components/CheckboxGroup.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { useCountries } from '../customers/customers.queries.ts';
import { SelectField } from '../customers/SelectField.tsx';
import { useRoleLabel } from './labels.ts';
import type { DirectoryRole, Product } from './model.ts';
import { DIRECTORY_ROLES } from './model.ts';

export function UsageLocationField(props: {
  label?: string;
  hint?: string;
  value: string;
  error?: string;
  onChange: (iso2: string) => void;
  name?: string;
}) {
  const { t, language } = useI18n();
  const countries = useCountries(language);
  return (
    <SelectField
      label={props.label ?? t('customerUsers.field.usageLocation')}
      name={props.name ?? 'usageLocation'}
      hint={props.hint ?? t('customerUsers.field.usageLocationHint')}
      value={props.value}
      error={props.error}
      placeholder={t('customerUsers.field.chooseLocation')}
      options={(countries.data?.items ?? []).map((c) => ({ value: c.iso2Code, label: c.name }))}
      onChange={(e) => props.onChange(e.target.value)}
    />
  );
}

export function DirectoryRolesField(props: {
  value: readonly DirectoryRole[];
  onChange: (roles: DirectoryRole[]) => void;
  error?: string;
  disabled?: boolean;
}) {
  const { t } = useI18n();
  const label = useRoleLabel();
  return (
    <CheckboxGroup
      legend={t('customerUsers.field.roles')}
      hint={t('customerUsers.field.rolesHint')}
      name="directoryRoles"
      options={DIRECTORY_ROLES.map((role) => ({ value: role, label: label(role) }))}
      value={props.value}
      onChange={props.onChange}
      error={props.error}
      disabled={props.disabled}
    />
  );
}

/** "3 of 10 available"; none left: says so, with "Buy more" for those who may buy. */
export function Seats(props: { customerId: string; product: Product; canBuy: boolean; id?: string }) {
  const { t, number } = useI18n();
  const p = props.product;
  if (p.suspended)
    return (
      <span id={props.id} className="hint block">
        {t('customerUsers.licenses.suspended')}
      </span>
    );
  return (
    <span id={props.id} className="hint block">
      {t('customerUsers.licenses.available', { available: number(p.available), total: number(p.total) })}
      {p.available === 0 && props.canBuy && (
        <>
          {' '}
          <Link
            to={`/customers/${props.customerId}/subscriptions?add=${encodeURIComponent(p.id)}`}
            aria-label={t('customerUsers.licenses.buyMoreOf', { name: p.name })}
          >
            {t('customerUsers.licenses.buyMore')}
          </Link>
        </>
      )}
    </span>
  );
}
