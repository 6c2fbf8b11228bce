// What a restore did, user by user: restored or not (and why), and for each licence the user had whether it
// came back or why not (its seats were taken meanwhile, its subscription is suspended).
import { useI18n } from '../../i18n/i18n.tsx';
import type { RestoreResult } from './customerUsers.queries.ts';

export function RestoreResults(props: {
  items: RestoreResult[];
  /** The users restored, for their names (the answer names them by id). */
  users: readonly { id: string; displayName: string; userPrincipalName: string }[];
}) {
  const { t } = useI18n();
  return (
    <ul className="restore-results">
      {props.items.map((item) => {
        const user = props.users.find((u) => u.id === item.userId);
        const name = user?.displayName ?? item.userId;
        return (
          <li key={item.userId}>
            <p className={item.status === 'restored' ? 'success strong' : 'field-error strong'}>
              {item.status === 'restored'
                ? t('customerUsers.restore.restored', { name })
                : t('customerUsers.restore.failed', { name, reason: item.description ?? '' })}
            </p>
            {item.licenses.length > 0 && (
              <ul className="outcomes">
                {item.licenses.map((l, i) => (
                  <li key={`${l.productSku.id}-${i}`} className={l.restored ? undefined : 'field-error'}>
                    {l.restored
                      ? t('customerUsers.restore.licenseBack', { product: l.productSku.name })
                      : t('customerUsers.restore.licenseNotBack', {
                          product: l.productSku.name,
                          reason: l.reason ?? '',
                        })}
                  </li>
                ))}
              </ul>
            )}
          </li>
        );
      })}
    </ul>
  );
}
