// Directory values in the console's language: directory roles (no role at all reads as what such a user may
// do), and a role the catalogs do not name yet shows as the API sends it rather than as a key.
import type { MessageKey } from '../../i18n/catalogs.ts';
import { CATALOGS } from '../../i18n/catalogs.ts';
import { useI18n } from '../../i18n/i18n.tsx';

export function useRoleLabel(): (role: string) => string {
  const { t } = useI18n();
  return (role) => {
    const key = `customerUsers.role.${role}`;
    return key in CATALOGS.en ? t(key as MessageKey) : role;
  };
}

/** A user's roles as one line. */
export function useRoleLabels(): (roles: readonly string[]) => string {
  const { t } = useI18n();
  const label = useRoleLabel();
  return (roles) => (roles.length === 0 ? t('customerUsers.role.none') : roles.map(label).join(', '));
}
