// The partner roles as a labelled group of checkboxes, with the API's reason for `roles` when it gave one.
import { useId } from 'react';
import type { Role } from '../api/client.ts';
import { ROLES } from '../../../src/modules/partners/roles.ts';
import { useI18n } from '../i18n/i18n.tsx';

export function RoleCheckboxes(props: {
  value: Role[];
  onChange: (roles: Role[]) => void;
  error?: string;
  /** Offer only these roles (an API token can carry only roles its creator holds). */
  only?: readonly Role[];
  hint?: string;
}) {
  const { t } = useI18n();
  const id = useId();
  const toggle = (role: Role, on: boolean) =>
    props.onChange(on ? [...props.value, role] : props.value.filter((r) => r !== role));
  return (
    <fieldset
      className="field roles"
      aria-describedby={`${id}-hint${props.error ? ` ${id}-error` : ''}`}
      aria-invalid={props.error ? true : undefined}
    >
      <legend>{t('users.roles')}</legend>
      <p id={`${id}-hint`} className="hint">
        {props.hint ?? t('users.rolesHint')}
      </p>
      {ROLES.filter((role) => !props.only || props.only.includes(role)).map((role) => (
        <label key={role} className="checkbox">
          <input
            type="checkbox"
            name="roles"
            value={role}
            checked={props.value.includes(role)}
            onChange={(e) => toggle(role, e.target.checked)}
          />
          {t(`role.${role}`)}
        </label>
      ))}
      {props.error && (
        <p id={`${id}-error`} className="field-error">
          {props.error}
        </p>
      )}
    </fieldset>
  );
}
