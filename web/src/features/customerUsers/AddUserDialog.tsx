// Add a user to a customer's directory: names (the display name follows the first and last names until typed
// in), the user name at one of the customer's domains, usage location, phone, directory roles, and licences
// from the partner's subscriptions with their free seats. The password is generated: the result shows it once,
// with a copy button, and what became of each licence (the user exists even when a seat ran out meanwhile).
// One MS-RequestId per attempt sequence: a double click or a retry never adds the user twice.
import { useId, useRef, useState } from 'react';
import { ApiError } from '../../api/client.ts';
import { OneTimeResultDialog } from '../../components/OneTimeResultDialog.tsx';
import { TemporaryPassword } from '../../components/OneTimeSecret.tsx';
import { TextField } from '../../components/TextField.tsx';
import { Loading } from '../../components/states.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import type { Customer } from '../customers/customers.queries.ts';
import { newRequestId, requestIdSequence } from '../customers/forms.ts';
import { SelectField } from '../customers/SelectField.tsx';
import { useDirectoryAccess } from './access.ts';
import type { CreatedUser, LicenseUpdateResults } from './customerUsers.queries.ts';
import { useDirectoryMutations, useSubscribedSkus } from './customerUsers.queries.ts';
import { DirectoryRolesField, Seats, UsageLocationField } from './fields.tsx';
import { ProductOutcomes } from './LicenseResults.tsx';
import type { DirectoryRole } from './model.ts';
import {
  MAX_NAME,
  MAX_PHONE,
  aliasOf,
  productsOf,
  suggestedDisplayName,
  userPrincipalName,
} from './model.ts';

interface Draft {
  firstName: string;
  lastName: string;
  displayName: string;
  alias: string;
  domain: string;
  usageLocation: string;
  phoneNumber: string;
  roles: DirectoryRole[];
  licenses: string[];
}

type Errors = Partial<Record<keyof Draft | 'userPrincipalName', string>>;

export function AddUserDialog(props: { customer: Customer; onClose: () => void }) {
  const { t, number } = useI18n();
  const c = props.customer;
  const access = useDirectoryAccess();
  const seatsId = useId();
  const { create, updateLicenses } = useDirectoryMutations(c.id);
  const skus = useSubscribedSkus(c.id);
  const products = productsOf(skus.data?.items ?? []);
  const domains = [c.companyProfile.domain, ...c.customDomains.filter((d) => d !== c.companyProfile.domain)];
  const [draft, setDraft] = useState<Draft>({
    firstName: '',
    lastName: '',
    displayName: '',
    alias: '',
    domain: domains[0] ?? '',
    usageLocation: c.billingProfile.defaultAddress.country,
    phoneNumber: '',
    roles: [],
    licenses: [],
  });
  // Until the display name is typed in, it is the first and last names.
  const [displayTyped, setDisplayTyped] = useState(false);
  const [errors, setErrors] = useState<Errors>({});
  const [created, setCreated] = useState<CreatedUser>();
  const [licenseResults, setLicenseResults] = useState<LicenseUpdateResults>();
  const [requestIdFor] = useState(requestIdSequence);
  const sending = useRef(false);
  const apiError = create.error instanceof ApiError ? create.error : undefined;
  const fieldError = (field: keyof Errors) => errors[field] ?? apiError?.fieldError(field);

  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => {
    setDraft((d) => {
      const next = { ...d, [key]: value };
      if (!displayTyped && (key === 'firstName' || key === 'lastName'))
        next.displayName = suggestedDisplayName(next.firstName, next.lastName);
      return next;
    });
    if (errors[key]) setErrors((e) => ({ ...e, [key]: undefined }));
  };

  const check = (): Errors => {
    const e: Errors = {};
    const tooLong = t('customerUsers.field.tooLong', { max: MAX_NAME });
    if (draft.firstName.trim().length > MAX_NAME) e.firstName = tooLong;
    if (draft.lastName.trim().length > MAX_NAME) e.lastName = tooLong;
    if (draft.displayName.trim() === '') e.displayName = t('customers.form.required');
    else if (draft.displayName.trim().length > MAX_NAME) e.displayName = tooLong;
    if (aliasOf(draft.alias).trim() === '') e.alias = t('customers.form.required');
    if (draft.phoneNumber.trim().length > MAX_PHONE)
      e.phoneNumber = t('customerUsers.field.tooLong', { max: MAX_PHONE });
    if (draft.licenses.length > 0 && !draft.usageLocation)
      e.usageLocation = t('customerUsers.field.locationForLicenses');
    return e;
  };

  const submit = () => {
    if (sending.current) return;
    const problems = check();
    setErrors(problems);
    if (Object.values(problems).some(Boolean)) return;
    const body = {
      userPrincipalName: userPrincipalName(aliasOf(draft.alias), draft.domain),
      displayName: draft.displayName.trim(),
      ...(draft.firstName.trim() ? { firstName: draft.firstName.trim() } : {}),
      ...(draft.lastName.trim() ? { lastName: draft.lastName.trim() } : {}),
      ...(draft.usageLocation ? { usageLocation: draft.usageLocation } : {}),
      ...(draft.phoneNumber.trim() ? { phoneNumber: draft.phoneNumber.trim() } : {}),
      directoryRoles: draft.roles,
      passwordProfile: { forceChangePassword: true },
    };
    sending.current = true;
    create.mutate(
      { body, requestId: requestIdFor(body) },
      {
        onSuccess: (user) => {
          setCreated(user);
          if (draft.licenses.length > 0)
            updateLicenses.mutate(
              {
                userIds: [user.id],
                body: { licensesToAssign: draft.licenses.map((skuId) => ({ skuId })), licensesToRemove: [] },
                requestId: newRequestId(),
              },
              { onSuccess: setLicenseResults },
            );
        },
        onSettled: () => {
          sending.current = false;
        },
      },
    );
  };

  const result = created && (
    <div className="add-user-result">
      <p role="status" className="success strong">
        {t('customerUsers.add.done', { name: created.displayName, userName: created.userPrincipalName })}
      </p>
      {created.passwordProfile?.password && (
        <div className="alert alert-warning">
          <p className="alert-title">{t('customerUsers.password.onceTitle')}</p>
          <TemporaryPassword password={created.passwordProfile.password} userName={created.displayName} />
        </div>
      )}
      {draft.licenses.length > 0 && (
        <section aria-labelledby="add-user-licenses">
          <h3 id="add-user-licenses">{t('customerUsers.add.licensesTitle')}</h3>
          {updateLicenses.isPending && <Loading />}
          {updateLicenses.isError && (
            <p className="field-error">
              {updateLicenses.error instanceof ApiError
                ? updateLicenses.error.description
                : t('error.networkErrorDescription')}
            </p>
          )}
          {licenseResults?.items[0] && <ProductOutcomes item={licenseResults.items[0]} />}
        </section>
      )}
    </div>
  );

  return (
    <OneTimeResultDialog
      title={t('customerUsers.add.title', { name: c.billingProfile.companyName })}
      onClose={props.onClose}
      result={result}
      onSubmit={submit}
      error={create.error}
      pending={create.isPending}
      submitLabel={t('customerUsers.add.submit')}
    >
      <div className="form-grid">
        <TextField
          label={t('customerUsers.field.firstName')}
          name="firstName"
          autoComplete="off"
          value={draft.firstName}
          error={fieldError('firstName')}
          onChange={(e) => set('firstName', e.target.value)}
        />
        <TextField
          label={t('customerUsers.field.lastName')}
          name="lastName"
          autoComplete="off"
          value={draft.lastName}
          error={fieldError('lastName')}
          onChange={(e) => set('lastName', e.target.value)}
        />
      </div>
      <TextField
        label={t('customerUsers.field.displayName')}
        name="displayName"
        required
        autoComplete="off"
        value={draft.displayName}
        error={fieldError('displayName')}
        onChange={(e) => {
          setDisplayTyped(true);
          set('displayName', e.target.value);
        }}
      />
      <div className="user-name-row">
        <TextField
          label={t('customerUsers.field.userName')}
          name="alias"
          required
          autoComplete="off"
          spellCheck={false}
          hint={t('customerUsers.field.userNameHint')}
          value={draft.alias}
          error={errors.alias ?? apiError?.fieldError('userPrincipalName')}
          onChange={(e) => set('alias', e.target.value)}
        />
        <span className="at" aria-hidden="true">
          @
        </span>
        <SelectField
          label={t('customerUsers.field.domain')}
          name="domain"
          value={draft.domain}
          options={domains.map((d) => ({ value: d, label: d }))}
          onChange={(e) => set('domain', e.target.value)}
        />
      </div>
      <UsageLocationField
        value={draft.usageLocation}
        error={fieldError('usageLocation')}
        onChange={(v) => set('usageLocation', v)}
      />
      <TextField
        label={t('customerUsers.field.phone')}
        name="phoneNumber"
        type="tel"
        autoComplete="off"
        value={draft.phoneNumber}
        error={fieldError('phoneNumber')}
        onChange={(e) => set('phoneNumber', e.target.value)}
      />
      <DirectoryRolesField
        value={draft.roles}
        error={apiError?.fieldError('directoryRoles')}
        onChange={(roles) => set('roles', roles)}
      />
      <fieldset className="field roles">
        <legend>{t('customerUsers.field.licenses')}</legend>
        {skus.isPending && <Loading />}
        {skus.isSuccess && products.length === 0 && (
          <p className="hint">{t('customerUsers.licenses.noProducts')}</p>
        )}
        {products.map((p) => {
          const chosen = draft.licenses.includes(p.id);
          return (
            <div key={p.id} className="product-choice">
              <label className="checkbox">
                <input
                  type="checkbox"
                  name="licenses"
                  value={p.id}
                  checked={chosen}
                  disabled={!chosen && (p.suspended || p.available === 0)}
                  aria-describedby={`${seatsId}-${p.id}`}
                  onChange={(e) =>
                    set(
                      'licenses',
                      e.target.checked ? [...draft.licenses, p.id] : draft.licenses.filter((x) => x !== p.id),
                    )
                  }
                />
                {p.name}
              </label>
              <Seats id={`${seatsId}-${p.id}`} customerId={c.id} product={p} canBuy={access.canBuy} />
            </div>
          );
        })}
        {draft.licenses.length > 0 && (
          <p className="hint">
            {t('customerUsers.add.licensesHint', { count: number(draft.licenses.length) })}
          </p>
        )}
      </fieldset>
    </OneTimeResultDialog>
  );
}
