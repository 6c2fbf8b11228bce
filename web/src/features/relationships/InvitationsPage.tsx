// /customers/invitations — "manage invitations": the partner's invitation links (InvitationsPanel) and the
// button that opens the request dialog (RequestRelationshipDialog). The request dialog links here.
import { useState } from 'react';
import { Link } from 'react-router';
import { useProfile } from '../../app/auth.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { InvitationsPanel } from './InvitationsPanel.tsx';
import { RequestRelationshipDialog } from './RequestRelationshipDialog.tsx';

export function InvitationsPage() {
  const { t } = useI18n();
  const profile = useProfile();
  const [requesting, setRequesting] = useState(false);
  const allowedHere = profile.instance.policy['relationships.requestExisting'];
  return (
    <section>
      <PageHeader title={t('relationships.page.title')}>
        <p>
          <Link to="/customers">{t('relationships.page.back')}</Link>
        </p>
      </PageHeader>
      {allowedHere ? (
        <div className="toolbar">
          <p className="muted">{t('relationships.page.intro')}</p>
          <button type="button" className="button primary" onClick={() => setRequesting(true)}>
            {t('relationships.request.open')}
          </button>
        </div>
      ) : (
        <p className="notice">
          {t('relationships.request.notInInstance', { instance: t(`instance.${profile.instance.id}`) })}
        </p>
      )}
      <InvitationsPanel />
      {requesting && <RequestRelationshipDialog onClose={() => setRequesting(false)} />}
    </section>
  );
}
