// /customers/:customerId/users/:userId: one customer user. Its details (user name, names, usage location,
// phone, directory roles, whether it must change its password, last sign-in, dates), edited in place (If-Match),
// its directory roles, and its licences with the partner that sold each. For those who may change the
// directory: edit, reset password (the new one shown once), delete (confirmed; the user then waits 30 days
// among the deleted users), roles and Manage licenses. A deleted user's page says until when it can be restored
// and offers to restore it.
import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { FormActions } from '../../components/FormActions.tsx';
import { Loading } from '../../components/states.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { CopyButton } from '../customers/CopyButton.tsx';
import { useCustomerOfPage } from '../customers/CustomerPage.tsx';
import { useCountryName, useDate } from '../customers/display.tsx';
import { useDirectoryAccess } from './access.ts';
import type { CustomerUser, LicenseUpdateResults, RestoreResult } from './customerUsers.queries.ts';
import { useDirectoryMutations, useUser, useUserLicenses } from './customerUsers.queries.ts';
import { EditUserForm } from './EditUserForm.tsx';
import { DirectoryRolesField } from './fields.tsx';
import { useRoleLabels } from './labels.ts';
import { LicenseResults } from './LicenseResults.tsx';
import { ManageLicensesDialog } from './ManageLicensesDialog.tsx';
import type { DirectoryRole } from './model.ts';
import { RestoreResults } from './RestoreResults.tsx';
import { DeleteUserDialog, ResetPasswordDialog } from './UserDialogs.tsx';

function RolesPanel(props: { customerId: string; user: CustomerUser; canManage: boolean }) {
  const { t } = useI18n();
  const roles = useRoleLabels();
  const { setRole } = useDirectoryMutations(props.customerId);
  const u = props.user;
  const [editing, setEditing] = useState(false);
  const [wanted, setWanted] = useState<DirectoryRole[]>(u.directoryRoles);
  const [saved, setSaved] = useState(false);
  const save = async () => {
    const add = wanted.filter((r) => !u.directoryRoles.includes(r));
    const drop = u.directoryRoles.filter((r) => !wanted.includes(r));
    try {
      // One role at a time, so a refusal (the last global admin) names the role it is about.
      for (const role of add) await setRole.mutateAsync({ user: u, role, member: true });
      for (const role of drop) await setRole.mutateAsync({ user: u, role, member: false });
      setEditing(false);
      setSaved(true);
    } catch {
      // Shown from the mutation's error.
    }
  };
  return (
    <section className="panel" aria-labelledby="user-roles">
      <div className="toolbar">
        <h3 id="user-roles">{t('customerUsers.field.roles')}</h3>
        {props.canManage && !editing && (
          <button
            type="button"
            className="button secondary"
            onClick={() => {
              setWanted(u.directoryRoles);
              setEditing(true);
              setSaved(false);
              setRole.reset();
            }}
          >
            {t('customerUsers.roles.change')}
          </button>
        )}
      </div>
      <p role="status" className="success">
        {saved ? t('customerUsers.roles.saved') : ''}
      </p>
      {editing ? (
        <>
          {setRole.isError && <ErrorAlert error={setRole.error} />}
          <DirectoryRolesField value={wanted} onChange={setWanted} disabled={setRole.isPending} />
          <FormActions
            pending={setRole.isPending}
            onAction={() => void save()}
            onCancel={() => setEditing(false)}
          />
        </>
      ) : (
        <p>{roles(u.directoryRoles)}</p>
      )}
    </section>
  );
}

function LicensesPanel(props: { customerId: string; user: CustomerUser; onManage?: () => void }) {
  const { t, dateTime } = useI18n();
  const licenses = useUserLicenses(props.customerId, props.user.id);
  const items = licenses.data?.items ?? [];
  return (
    <section className="panel" aria-labelledby="user-licenses">
      <div className="toolbar">
        <h3 id="user-licenses">{t('customerUsers.licenses.ofUser')}</h3>
        {props.onManage && (
          <button type="button" className="button secondary" onClick={props.onManage}>
            {t('customerUsers.licenses.manage')}
          </button>
        )}
      </div>
      {licenses.isPending && <Loading />}
      {licenses.isError && <ErrorAlert error={licenses.error} onRetry={() => void licenses.refetch()} />}
      {licenses.isSuccess && items.length === 0 && (
        <p className="muted">{t('customerUsers.licenses.none')}</p>
      )}
      {items.length > 0 && (
        <div
          className="table-wrap"
          role="region"
          aria-label={t('customerUsers.licenses.table', { name: props.user.displayName })}
          tabIndex={0}
        >
          <table>
            <thead>
              <tr>
                <th scope="col">{t('customerUsers.column.product')}</th>
                <th scope="col">{t('customerUsers.column.soldBy')}</th>
                <th scope="col">{t('customerUsers.column.state')}</th>
                <th scope="col">{t('customerUsers.column.assigned')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((l, i) => (
                <tr key={`${l.productSku.id}-${l.subscriptionId ?? i}`}>
                  <td data-label={t('customerUsers.column.product')}>
                    {l.subscriptionId ? (
                      <Link to={`/customers/${props.customerId}/subscriptions/${l.subscriptionId}`}>
                        {l.productSku.name}
                      </Link>
                    ) : (
                      l.productSku.name
                    )}
                  </td>
                  <td data-label={t('customerUsers.column.soldBy')}>
                    {l.soldByYou
                      ? t('customerUsers.licenses.soldByYou')
                      : t('customerUsers.licenses.soldByOther')}
                  </td>
                  <td data-label={t('customerUsers.column.state')}>
                    {t(`customerUsers.licenseState.${l.state}`)}
                  </td>
                  <td data-label={t('customerUsers.column.assigned')}>{dateTime(l.assignedTime)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function DeletedNotice(props: {
  customerId: string;
  user: CustomerUser;
  canManage: boolean;
  onRestored: (items: RestoreResult[]) => void;
}) {
  const { t } = useI18n();
  const date = useDate();
  const { restore } = useDirectoryMutations(props.customerId);
  const u = props.user;
  return (
    <div className="alert alert-warning">
      <p className="alert-title">
        {u.softDeletionTime
          ? t('customerUsers.deleted.on', { date: date(u.softDeletionTime) })
          : t('customerUsers.state.inactive')}
      </p>
      {u.restorableUntil && <p>{t('customerUsers.deleted.until', { date: date(u.restorableUntil) })}</p>}
      {restore.isError && <ErrorAlert error={restore.error} />}
      {props.canManage && (
        <button
          type="button"
          className="button primary"
          disabled={restore.isPending}
          onClick={() => restore.mutate([u.id], { onSuccess: (r) => props.onRestored(r.items) })}
        >
          {restore.isPending ? t('common.saving') : t('customerUsers.restore.one')}
        </button>
      )}
    </div>
  );
}

export function UserPage() {
  const { t, dateTime } = useI18n();
  const date = useDate();
  const countryName = useCountryName();
  const roles = useRoleLabels();
  const c = useCustomerOfPage();
  const access = useDirectoryAccess();
  const navigate = useNavigate();
  const { userId = '' } = useParams();
  const user = useUser(c.id, userId);
  const heading = useRef<HTMLHeadingElement>(null);
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState(false);
  const [dialog, setDialog] = useState<'reset' | 'delete' | 'licenses'>();
  const [licenseResults, setLicenseResults] = useState<LicenseUpdateResults>();
  // Kept here: once restored, the user is active and the deleted notice (which asked) is gone.
  const [restored, setRestored] = useState<RestoreResult[]>();
  const listLink = `/customers/${c.id}/users`;
  const loaded = user.isSuccess;
  useEffect(() => {
    if (loaded) heading.current?.focus();
  }, [loaded]);

  if (user.isPending) return <Loading />;
  if (user.isError) {
    const e = user.error;
    if (e instanceof ApiError && (e.status === 404 || e.status === 400))
      return (
        <section className="notice">
          <h2>{t('customerUsers.notFound.title')}</h2>
          <p>{t('customerUsers.notFound.body')}</p>
          <p>
            <Link to={listLink}>{t('customerUsers.backToList')}</Link>
          </p>
        </section>
      );
    return <ErrorAlert error={e} onRetry={() => void user.refetch()} />;
  }
  const u = user.data;
  const deleted = u.state === 'inactive';
  const manage = access.canManage && !deleted;
  const none = <span className="muted">{t('customer.none')}</span>;

  return (
    <section className="user-page" aria-labelledby="user-heading">
      <p>
        <Link to={deleted ? `${listLink}/deleted` : listLink}>
          {deleted ? t('customerUsers.backToDeleted') : t('customerUsers.backToList')}
        </Link>
      </p>
      <div className="toolbar">
        <h2 id="user-heading" ref={heading} tabIndex={-1} className="step-heading">
          {u.displayName}
        </h2>
        <span className={`badge ${u.state}`}>{t(`customerUsers.state.${u.state}`)}</span>
      </div>
      {deleted && (
        <DeletedNotice customerId={c.id} user={u} canManage={access.canManage} onRestored={setRestored} />
      )}
      {restored && (
        <section className="panel results-panel" aria-labelledby="user-restored">
          <h3 id="user-restored">{t('customerUsers.restore.resultsTitle')}</h3>
          <RestoreResults items={restored} users={[u]} />
        </section>
      )}
      <p role="status" className="success">
        {saved ? t('customerUsers.edit.saved') : ''}
      </p>

      {manage && (
        <div className="actions user-actions">
          <button
            type="button"
            className="button secondary"
            onClick={() => {
              setEditing(true);
              setSaved(false);
            }}
            disabled={editing}
          >
            {t('customerUsers.edit.open')}
          </button>
          <button type="button" className="button secondary" onClick={() => setDialog('reset')}>
            {t('customerUsers.reset.open')}
          </button>
          <button type="button" className="button danger" onClick={() => setDialog('delete')}>
            {t('customerUsers.delete.open')}
          </button>
        </div>
      )}

      <section className="panel" aria-labelledby="user-details">
        <h3 id="user-details">{t('customerUsers.details.title')}</h3>
        {editing ? (
          <EditUserForm
            customerId={c.id}
            user={u}
            onDone={(done) => {
              setEditing(false);
              setSaved(done);
            }}
          />
        ) : (
          <dl className="details">
            <dt>{t('customerUsers.field.userName')}</dt>
            <dd className="copy-value">
              <span>{u.userPrincipalName}</span>
              <CopyButton
                value={u.userPrincipalName}
                label={t('customerUsers.details.copyUserName', { name: u.displayName })}
              />
            </dd>
            <dt>{t('customerUsers.field.firstName')}</dt>
            <dd>{u.firstName ?? none}</dd>
            <dt>{t('customerUsers.field.lastName')}</dt>
            <dd>{u.lastName ?? none}</dd>
            <dt>{t('customerUsers.field.usageLocation')}</dt>
            <dd>{u.usageLocation ? countryName(u.usageLocation) : none}</dd>
            <dt>{t('customerUsers.field.phone')}</dt>
            <dd>{u.phoneNumber ?? none}</dd>
            <dt>{t('customerUsers.field.roles')}</dt>
            <dd>{roles(u.directoryRoles)}</dd>
            <dt>{t('customerUsers.details.password')}</dt>
            <dd>
              {u.mustChangePassword
                ? t('customerUsers.mustChangePassword')
                : t('customerUsers.details.passwordChosen')}
            </dd>
            <dt>{t('customerUsers.details.lastSignIn')}</dt>
            <dd>{u.lastSignInTime ? dateTime(u.lastSignInTime) : t('customerUsers.details.never')}</dd>
            <dt>{t('customerUsers.details.created')}</dt>
            <dd>{date(u.createdTime)}</dd>
            <dt>{t('customerUsers.details.modified')}</dt>
            <dd>{dateTime(u.lastModifiedTime)}</dd>
            <dt>{t('customerUsers.details.id')}</dt>
            <dd>
              <code>{u.id}</code>
            </dd>
          </dl>
        )}
      </section>

      {!deleted && <RolesPanel customerId={c.id} user={u} canManage={manage} />}
      {licenseResults && (
        <LicenseResults results={licenseResults} onDismiss={() => setLicenseResults(undefined)} />
      )}
      <LicensesPanel
        customerId={c.id}
        user={u}
        onManage={
          manage
            ? () => {
                setLicenseResults(undefined);
                setDialog('licenses');
              }
            : undefined
        }
      />

      {dialog === 'reset' && (
        <ResetPasswordDialog customerId={c.id} user={u} onClose={() => setDialog(undefined)} />
      )}
      {dialog === 'delete' && (
        <DeleteUserDialog
          customerId={c.id}
          user={u}
          onClose={(gone) => {
            setDialog(undefined);
            if (gone) void navigate(listLink, { state: { deletedUser: u.displayName } });
          }}
        />
      )}
      {dialog === 'licenses' && (
        <ManageLicensesDialog
          customer={c}
          users={[u]}
          onClose={(results) => {
            setDialog(undefined);
            if (results) setLicenseResults(results);
          }}
        />
      )}
    </section>
  );
}
