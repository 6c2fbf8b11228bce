// The customer page's "Users and licenses" tab (/customers/:customerId/users): its own sections as links —
// the users, the deleted users with their count, adding users from a file — each its own URL, and the pages
// under them (one user, one file being added). Where the cloud instance manages users elsewhere, a note says
// the directory is read-only here; the sections then offer no change.
import { NavLink, Outlet } from 'react-router';
import { EmptyState } from '../../components/states.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { useCustomerOfPage } from '../customers/CustomerPage.tsx';
import { useDirectoryAccess } from './access.ts';
import { useDeletedCount } from './customerUsers.queries.ts';
import './customerUsers.css';

export function UsersTab() {
  const { t, number } = useI18n();
  const c = useCustomerOfPage();
  const access = useDirectoryAccess();
  const deleted = useDeletedCount(c.id, access.canView);
  if (!access.canView)
    return (
      <EmptyState>
        <p>{t('customerUsers.notAllowed')}</p>
      </EmptyState>
    );
  const base = `/customers/${c.id}/users`;
  return (
    <section className="users-tab">
      {access.readOnlyHere && (
        <div className="alert alert-info" role="note">
          <p className="alert-title">{t('customerUsers.readOnly.title')}</p>
          <p>{t('customerUsers.readOnly.body', { instance: t(`instance.${access.instance}`) })}</p>
        </div>
      )}
      <nav aria-label={t('customerUsers.sections')} className="subnav users-sections">
        <NavLink to={base} end>
          {t('customerUsers.section.users')}
        </NavLink>
        <NavLink to={`${base}/deleted`}>
          {deleted.data === undefined
            ? t('customerUsers.section.deleted')
            : t('customerUsers.section.deletedCount', { count: number(deleted.data) })}
        </NavLink>
        {access.canUpload && <NavLink to={`${base}/upload`}>{t('customerUsers.section.upload')}</NavLink>}
      </nav>
      {/* The pages under it read the customer as the customer page's tabs do. */}
      <Outlet context={c} />
    </section>
  );
}
