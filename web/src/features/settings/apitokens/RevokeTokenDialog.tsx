// Confirms revoking an API token (it stops working at once).
import { Dialog } from '../../../components/Dialog.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { useI18n } from '../../../i18n/i18n.tsx';
import type { ApiToken } from './apitokens.queries.ts';
import { useTokenMutations } from './apitokens.queries.ts';

export function RevokeTokenDialog(props: { token: ApiToken; own: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const { revoke } = useTokenMutations();
  return (
    <Dialog title={t('tokens.revokeOf', { name: props.token.name })} onClose={props.onClose}>
      <p>{t('tokens.revokeBody')}</p>
      {revoke.isError && <ErrorAlert error={revoke.error} />}
      <div className="actions">
        <button
          type="button"
          className="button primary"
          disabled={revoke.isPending}
          onClick={() => revoke.mutate({ id: props.token.id, own: props.own }, { onSuccess: props.onClose })}
        >
          {t('tokens.revoke')}
        </button>
        <button type="button" className="button secondary" onClick={props.onClose}>
          {t('common.cancel')}
        </button>
      </div>
    </Dialog>
  );
}
