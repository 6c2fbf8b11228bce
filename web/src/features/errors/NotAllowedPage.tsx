// Shown in place of a page the user's roles do not open (reached by URL or an old bookmark).
import type { PageId } from '../../app/access.ts';
import { PAGES, rolesFor } from '../../app/access.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useI18n } from '../../i18n/i18n.tsx';

export function NotAllowedPage(props: { page: PageId }) {
  const { t } = useI18n();
  const roles = rolesFor(props.page)
    .map((role) => t(`role.${role}`))
    .join(', ');
  return (
    <section className="notice">
      <PageHeader title={t('notAllowed.title')} />
      <p>{t('notAllowed.body', { page: t(PAGES[props.page].label), roles })}</p>
      <p className="muted">{t('notAllowed.hint')}</p>
    </section>
  );
}
