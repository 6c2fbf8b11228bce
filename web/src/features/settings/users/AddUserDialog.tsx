// Add a partner user: user name, display name, roles; then the temporary password, shown once.
import { useState } from 'react';
import type { Role } from '../../../api/client.ts';
import { ApiError } from '../../../api/client.ts';
import { OneTimeResultDialog } from '../../../components/OneTimeResultDialog.tsx';
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
  return (
    <OneTimeResultDialog
      title={t('users.add')}
      onClose={props.onClose}
      result={
        create.data && (
          <>
            <p role="status">{t('users.added', { name: create.data.displayName })}</p>
            <TemporaryPassword password={create.data.temporaryPassword} userName={create.data.userName} />
          </>
        )
      }
      onSubmit={() => create.mutate({ userName: userName.trim(), displayName: displayName.trim(), roles })}
      error={create.error}
      pending={create.isPending}
      submitLabel={t('users.add')}
    >
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
    </OneTimeResultDialog>
  );
}
