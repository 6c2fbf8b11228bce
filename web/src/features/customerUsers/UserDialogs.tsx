// The confirmations of a customer user's password reset (the new temporary password then shown once, with a
// copy button) and deletion (what it does and for how long it can be undone, before it happens).
import { useState } from 'react';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { TemporaryPassword } from '../../components/OneTimeSecret.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import type { CustomerUser } from './customerUsers.queries.ts';
import { useDirectoryMutations } from './customerUsers.queries.ts';
import { RESTORE_DAYS } from './model.ts';

export function ResetPasswordDialog(props: { customerId: string; user: CustomerUser; onClose: () => void }) {
  const { t } = useI18n();
  const { resetPassword } = useDirectoryMutations(props.customerId);
  const [force, setForce] = useState(true);
  const u = props.user;
  const password = resetPassword.data?.passwordProfile?.password;
  return (
    <Dialog title={t('customerUsers.reset.title', { name: u.displayName })} onClose={props.onClose}>
      {password ? (
        <div className="alert alert-warning">
          <p className="alert-title">{t('customerUsers.password.onceTitle')}</p>
          <TemporaryPassword password={password} userName={u.displayName} />
        </div>
      ) : (
        <>
          <p>{t('customerUsers.reset.body', { name: u.displayName })}</p>
          <label className="checkbox">
            <input type="checkbox" checked={force} onChange={(e) => setForce(e.target.checked)} />
            {t('customerUsers.reset.force')}
          </label>
        </>
      )}
      {resetPassword.isError && <ErrorAlert error={resetPassword.error} />}
      <div className="actions">
        {!password && (
          <button
            type="button"
            className="button primary"
            disabled={resetPassword.isPending}
            onClick={() => resetPassword.mutate({ user: u, forceChangePassword: force })}
          >
            {resetPassword.isPending ? t('common.saving') : t('customerUsers.reset.confirm')}
          </button>
        )}
        <button type="button" className="button secondary" onClick={props.onClose}>
          {password ? t('common.close') : t('common.cancel')}
        </button>
      </div>
    </Dialog>
  );
}

export function DeleteUserDialog(props: {
  customerId: string;
  user: CustomerUser;
  onClose: (deleted: boolean) => void;
}) {
  const { t } = useI18n();
  const { remove } = useDirectoryMutations(props.customerId);
  const u = props.user;
  return (
    <ConfirmDialog
      title={t('customerUsers.delete.title', { name: u.displayName })}
      onCancel={() => props.onClose(false)}
      onConfirm={() => remove.mutate(u, { onSuccess: () => props.onClose(true) })}
      confirmLabel={t('customerUsers.delete.confirm')}
      danger
      pending={remove.isPending}
      error={remove.error}
    >
      <ul>
        <li>{t('customerUsers.delete.access', { name: u.displayName })}</li>
        <li>{t('customerUsers.delete.licenses')}</li>
        <li>{t('customerUsers.delete.restore', { days: RESTORE_DAYS })}</li>
      </ul>
    </ConfirmDialog>
  );
}
