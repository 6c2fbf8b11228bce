// The partner roles as a labelled group of checkboxes, with the API's reason for `roles` when it gave one.
import type { Role } from '../api/client.ts';
import { ROLES } from '../../../src/modules/partners/roles.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { CheckboxGroup } from './CheckboxGroup.tsx';

export function RoleCheckboxes(props: {
  value: Role[];
  onChange: (roles: Role[]) => void;
  error?: string;
  /** Offer only these roles (an API token can carry only roles its creator holds). */
  only?: readonly Role[];
  hint?: string;
}) {
  const { t } = useI18n();
  return (
    <CheckboxGroup
      legend={t('users.roles')}
      hint={props.hint ?? t('users.rolesHint')}
      name="roles"
      options={ROLES.filter((role) => !props.only || props.only.includes(role)).map((role) => ({
        value: role,
        label: t(`role.${role}`),
      }))}
      value={props.value}
      onChange={props.onChange}
      error={props.error}
    />
  );
}
