// Add a partner user: user name, display name, roles; then the temporary password, shown once.
import { useState } from 'react';
import type { FormEvent } from 'react';
import type { Role } from '../../../api/client.ts';
import { ApiError } from '../../../api/client.ts';
import { Dialog } from '../../../components/Dialog.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { RoleCheckboxes } from '../../../components/RoleCheckboxes.tsx';
import { TemporaryPassword } from '../../../components/OneTimeSecret.tsx';
import { TextField } from '../../../components/TextField.tsx';
import { useI18n } from '../../../i18n/i18n.tsx';
import { useUserMutations } from './users.queries.ts';

export function AddUserDialog(props: { onClose: () => void }) {
  const { t } = useI18n();
  const { create } = useUserMutations();
  const [userName, setUserName] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [roles, setRoles] = useState<Role[]>([]);
  const error = create.error instanceof ApiError ? create.error : undefined;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ userName: userName.trim(), displayName: displayName.trim(), roles });
  };
  return (
    <Dialog title={t('users.add')} onClose={props.onClose}>
      {create.data ? (
        <>
          <p role="status">{t('users.added', { name: create.data.displayName })}</p>
          <TemporaryPassword password={create.data.temporaryPassword} userName={create.data.userName} />
          <div className="actions">
            <button type="button" className="button primary" onClick={props.onClose}>
              {t('common.close')}
            </button>
          </div>
        </>
      ) : (
        <form onSubmit={onSubmit} noValidate>
          {create.isError && <ErrorAlert error={create.error} />}
          <TextField
            label={t('users.userName')}
            name="userName"
            type="email"
            autoComplete="off"
            required
            value={userName}
            error={error?.fieldError('userName')}
            onChange={(e) => setUserName(e.target.value)}
          />
          <TextField
            label={t('users.displayName')}
            name="displayName"
            required
            value={displayName}
            error={error?.fieldError('displayName')}
            onChange={(e) => setDisplayName(e.target.value)}
          />
          <RoleCheckboxes value={roles} onChange={setRoles} error={error?.fieldError('roles')} />
          <div className="actions">
            <button type="submit" className="button primary" disabled={create.isPending}>
              {create.isPending ? t('common.saving') : t('users.add')}
            </button>
            <button type="button" className="button secondary" onClick={props.onClose}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
