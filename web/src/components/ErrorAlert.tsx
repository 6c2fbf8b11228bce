// An API error for people: a localized title by the error's name and the API's own description (its text
// says what to do), announced by screen readers (role="alert").
import { ApiError } from '../api/client.ts';
import type { MessageKey } from '../i18n/catalogs.ts';
import { CATALOGS } from '../i18n/catalogs.ts';
import { useI18n } from '../i18n/i18n.tsx';

export function ErrorAlert(props: { error: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  const error = props.error instanceof ApiError ? props.error : new ApiError(0, { name: 'networkError' });
  const key = `error.${error.name}`;
  const title = key in CATALOGS.en ? t(key as MessageKey) : t('error.default');
  const description = error.name === 'networkError' ? t('error.networkErrorDescription') : error.description;
  return (
    <div className="alert alert-error" role="alert">
      <p className="alert-title">{title}</p>
      {description && <p>{description}</p>}
      {error.requestId && <p className="muted small">{t('error.requestId', { id: error.requestId })}</p>}
      {props.onRetry && (
        <button type="button" className="button secondary" onClick={props.onRetry}>
          {t('common.retry')}
        </button>
      )}
    </div>
  );
}
