// The per-user actions of Settings → Users: change roles, reset the password (showing the new temporary
// password once), deactivate or activate.
import { useState } from 'react';
import type { FormEvent } from 'react';
import type { PartnerUser, Role } from '../../../api/client.ts';
import { ApiError } from '../../../api/client.ts';
import { Dialog } from '../../../components/Dialog.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { FormActions } from '../../../components/FormActions.tsx';
import { RoleCheckboxes } from '../../../components/RoleCheckboxes.tsx';
import { TemporaryPassword } from '../../../components/OneTimeSecret.tsx';
import { useI18n } from '../../../i18n/i18n.tsx';
import { useUserMutations } from './users.queries.ts';

export type UserAction = 'roles' | 'reset' | 'deactivate' | 'activate';

export function UserActionDialog(props: { user: PartnerUser; action: UserAction; onClose: () => void }) {
  if (props.action === 'roles') return <RolesDialog {...props} />;
  if (props.action === 'reset') return <ResetPasswordDialog {...props} />;
  return <StateDialog {...props} />;
}

function RolesDialog(props: { user: PartnerUser; onClose: () => void }) {
  const { t } = useI18n();
  const { update } = useUserMutations();
  const [roles, setRoles] = useState<Role[]>(props.user.roles);
  const error = update.error instanceof ApiError ? update.error : undefined;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    update.mutate({ user: props.user, roles }, { onSuccess: props.onClose });
  };
  return (
    <Dialog title={t('users.changeRolesOf', { name: props.user.displayName })} onClose={props.onClose}>
      <form onSubmit={onSubmit} noValidate>
        {update.isError && <ErrorAlert error={update.error} />}
        <RoleCheckboxes value={roles} onChange={setRoles} error={error?.fieldError('roles')} />
        <FormActions pending={update.isPending} onCancel={props.onClose} />
      </form>
    </Dialog>
  );
}

function ResetPasswordDialog(props: { user: PartnerUser; onClose: () => void }) {
  const { t } = useI18n();
  const { resetPassword } = useUserMutations();
  return (
    <Dialog title={t('users.resetPasswordOf', { name: props.user.displayName })} onClose={props.onClose}>
      {resetPassword.data ? (
        <TemporaryPassword password={resetPassword.data.temporaryPassword} userName={props.user.userName} />
      ) : (
        <p>{t('users.resetPasswordBody')}</p>
      )}
      {resetPassword.isError && <ErrorAlert error={resetPassword.error} />}
      <div className="actions">
        {!resetPassword.data && (
          <button
            type="button"
            className="button primary"
            disabled={resetPassword.isPending}
            onClick={() => resetPassword.mutate(props.user)}
          >
            {t('users.resetPassword')}
          </button>
        )}
        <button type="button" className="button secondary" onClick={props.onClose}>
          {resetPassword.data ? t('common.close') : t('common.cancel')}
        </button>
      </div>
    </Dialog>
  );
}

function StateDialog(props: { user: PartnerUser; action: UserAction; onClose: () => void }) {
  const { t } = useI18n();
  const { update } = useUserMutations();
  const deactivate = props.action === 'deactivate';
  const name = props.user.displayName;
  return (
    <Dialog
      title={deactivate ? t('users.deactivateOf', { name }) : t('users.activate')}
      onClose={props.onClose}
    >
      {deactivate && <p>{t('users.deactivateBody')}</p>}
      {update.isError && <ErrorAlert error={update.error} />}
      <div className="actions">
        <button
          type="button"
          className="button primary"
          disabled={update.isPending}
          onClick={() =>
            update.mutate(
              { user: props.user, state: deactivate ? 'inactive' : 'active' },
              { onSuccess: props.onClose },
            )
          }
        >
          {deactivate ? t('users.deactivate') : t('users.activate')}
        </button>
        <button type="button" className="button secondary" onClick={props.onClose}>
          {t('common.cancel')}
        </button>
      </div>
    </Dialog>
  );
}
