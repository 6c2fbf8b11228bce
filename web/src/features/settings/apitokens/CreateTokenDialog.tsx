// Create an API token of your own (name, roles you hold, optional lifetime); its secret is shown once.
import { useState } from 'react';
import type { Role } from '../../../api/client.ts';
import { ApiError } from '../../../api/client.ts';
import { useProfile } from '../../../app/auth.tsx';
import { OneTimeResultDialog } from '../../../components/OneTimeResultDialog.tsx';
import { OneTimeSecret } from '../../../components/OneTimeSecret.tsx';
import { RoleCheckboxes } from '../../../components/RoleCheckboxes.tsx';
import { TextField } from '../../../components/TextField.tsx';
import { useI18n } from '../../../i18n/i18n.tsx';
import { useTokenMutations } from './apitokens.queries.ts';

export function CreateTokenDialog(props: { onClose: () => void }) {
  const { t } = useI18n();
  const profile = useProfile();
  const { create } = useTokenMutations();
  const [name, setName] = useState('');
  const [roles, setRoles] = useState<Role[]>([]);
  const [days, setDays] = useState('');
  const error = create.error instanceof ApiError ? create.error : undefined;
  return (
    <OneTimeResultDialog
      title={t('tokens.create')}
      onClose={props.onClose}
      result={
        create.data && (
          <OneTimeSecret label={t('tokens.secret')} value={create.data.token} hint={t('tokens.secretOnce')} />
        )
      }
      onSubmit={() =>
        create.mutate({ name: name.trim(), roles, ...(days.trim() ? { expiresInDays: Number(days) } : {}) })
      }
      error={create.error}
      pending={create.isPending}
      submitLabel={t('tokens.create')}
    >
      <TextField
        label={t('tokens.name')}
        name="name"
        required
        value={name}
        error={error?.fieldError('name')}
        onChange={(e) => setName(e.target.value)}
      />
      <RoleCheckboxes
        value={roles}
        onChange={setRoles}
        only={profile.roles}
        hint={t('tokens.rolesHint')}
        error={error?.fieldError('roles')}
      />
      <TextField
        label={t('tokens.expiresInDays')}
        name="expiresInDays"
        type="number"
        inputMode="numeric"
        min={1}
        max={730}
        hint={t('tokens.expiresHint')}
        value={days}
        error={error?.fieldError('expiresInDays')}
        onChange={(e) => setDays(e.target.value)}
      />
    </OneTimeResultDialog>
  );
}
