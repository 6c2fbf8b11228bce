// Where it is mounted: behind the customers page's "Request a reseller relationship" button
// (web/src/features/customers/), and on /customers/invitations (InvitationsPage). It shows the partner's
// personal invitation link and a ready-to-send email, each to copy, with the link's expiry; the choice to
// include delegated admin privileges is disabled, with the reason, where the cloud instance requires them, and
// the whole request is explained away where the instance does not allow it at all.
import { useId, useState } from 'react';
import { Link } from 'react-router';
import { allows } from '../../../../src/modules/partners/roles.ts';
import { useProfile } from '../../app/auth.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Loading } from '../../components/states.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { CopyField } from './CopyField.tsx';
import { useRelationshipRequest } from './relationships.queries.ts';
import './relationships.css';

export function RequestRelationshipDialog(props: { onClose: () => void }) {
  const { t, dateTime } = useI18n();
  const profile = useProfile();
  const checkboxId = useId();
  const hintId = useId();
  const instance = t(`instance.${profile.instance.id}`);
  const policy = profile.instance.policy;
  const allowedHere = policy['relationships.requestExisting'];
  const allowedForRole = allows(profile.roles, 'relationships.request');
  const canOmitDap = policy['relationships.withoutDap'];
  const [includeDap, setIncludeDap] = useState(true);
  const request = useRelationshipRequest(includeDap || !canOmitDap, allowedHere && allowedForRole);
  const link = request.data;
  const mailto = link
    ? `mailto:?subject=${encodeURIComponent(link.emailText.subject)}&body=${encodeURIComponent(link.emailText.body)}`
    : undefined;

  let body;
  if (!allowedHere) body = <p>{t('relationships.request.notInInstance', { instance })}</p>;
  else if (!allowedForRole) body = <p>{t('relationships.request.notForRole')}</p>;
  else
    body = (
      <>
        <p>{t('relationships.request.intro')}</p>
        <div className="field">
          <div className="checkbox">
            <input
              id={checkboxId}
              type="checkbox"
              checked={includeDap || !canOmitDap}
              disabled={!canOmitDap}
              aria-describedby={hintId}
              onChange={(e) => setIncludeDap(e.target.checked)}
            />
            <label htmlFor={checkboxId}>{t('relationships.request.includeDap')}</label>
          </div>
          <p id={hintId} className="hint">
            {canOmitDap
              ? t('relationships.request.includeDapHint')
              : t('relationships.request.dapRequired', { instance })}
          </p>
        </div>
        {request.isPending && <Loading />}
        {request.isError && <ErrorAlert error={request.error} onRetry={() => void request.refetch()} />}
        {link && (
          <>
            <CopyField
              label={t('relationships.request.link')}
              copyLabel={t('relationships.request.copyLink')}
              value={link.url}
            />
            <p>{t('relationships.request.expires', { date: dateTime(link.expiresAt) })}</p>
            <CopyField
              label={t('relationships.request.emailSubject')}
              copyLabel={t('relationships.request.copySubject')}
              value={link.emailText.subject}
              plain
            />
            <CopyField
              label={t('relationships.request.emailBody')}
              copyLabel={t('relationships.request.copyBody')}
              value={link.emailText.body}
              multiline
            />
            <p>
              <a href={mailto}>{t('relationships.request.openEmail')}</a>
            </p>
          </>
        )}
        <p>
          <Link to="/customers/invitations" onClick={props.onClose}>
            {t('relationships.request.manage')}
          </Link>
        </p>
      </>
    );

  return (
    <Dialog title={t('relationships.request.title')} onClose={props.onClose}>
      {body}
      <div className="actions">
        <button type="button" className="button primary" onClick={props.onClose}>
          {t('common.close')}
        </button>
      </div>
    </Dialog>
  );
}
