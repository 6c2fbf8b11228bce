// /customers/:customerId/users/upload: add many users from a file built on the template (a link downloads it).
// Choose the file → Validate: every row is checked and nothing is written; a problem with the file as a whole
// (a missing or unknown column, too many rows) is shown as such, and the rows with problems are listed (row,
// email, column, reason) to be fixed in the file, which is then chosen and validated again. Then one location
// for all the users → Save, which starts adding them and opens the page that follows the progress. The
// customer's earlier files are listed below, each with its page. Offered only where the cloud instance allows
// adding users in bulk and to the roles that may change the directory.
import { useMutation } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { EmptyState, PagedList } from '../../components/states.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { useCustomerOfPage } from '../customers/CustomerPage.tsx';
import { useCountryName } from '../customers/display.tsx';
import { StepHeading } from '../customers/Stepper.tsx';
import { useDirectoryAccess } from './access.ts';
import { UsageLocationField } from './fields.tsx';
import type { FileValidation } from './imports.queries.ts';
import { TEMPLATE_HREF, startImport, useImports, validateFile } from './imports.queries.ts';
import { issueRows } from './model.ts';
import { UploadSteps } from './UploadSteps.tsx';

/** A problem with the file as a whole: what the API said about it, the column named when it named one. */
function FileRefused(props: { error: ApiError }) {
  const { t } = useI18n();
  const e = props.error;
  return (
    <div className="alert alert-error" role="alert">
      <p className="alert-title">{t('customerUsers.upload.fileRefused')}</p>
      {e.details.length > 0 ? (
        <ul>
          {e.details.map((d, i) => (
            <li key={i}>{d.field && d.field !== 'file' ? `${d.field}: ${d.reason}` : d.reason}</li>
          ))}
        </ul>
      ) : (
        <p>{e.description}</p>
      )}
      <p>{t('customerUsers.upload.fixFile')}</p>
    </div>
  );
}

function RowProblems(props: { validation: FileValidation }) {
  const { t, number } = useI18n();
  const rows = issueRows(props.validation.rows);
  return (
    <section>
      <h3 id="row-problems">
        {t('customerUsers.upload.rowProblems', { count: number(props.validation.invalidRows) })}
      </h3>
      <p>{t('customerUsers.upload.fixRows')}</p>
      <div className="table-wrap" role="region" aria-labelledby="row-problems" tabIndex={0}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('customerUsers.upload.column.row')}</th>
              <th scope="col">{t('customerUsers.upload.column.email')}</th>
              <th scope="col">{t('customerUsers.upload.column.column')}</th>
              <th scope="col">{t('customerUsers.upload.column.reason')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key}>
                <td data-label={t('customerUsers.upload.column.row')}>
                  {t('customerUsers.upload.rowLine', { row: number(r.row), line: number(r.line) })}
                </td>
                <td data-label={t('customerUsers.upload.column.email')}>{r.email || '—'}</td>
                <td data-label={t('customerUsers.upload.column.column')}>
                  {r.column === 'row' ? t('customerUsers.upload.wholeRow') : r.column}
                </td>
                <td data-label={t('customerUsers.upload.column.reason')}>{r.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function EarlierUploads(props: { customerId: string }) {
  const { t, number, dateTime } = useI18n();
  const query = useImports(props.customerId, 10);
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section className="panel">
      <h2 id="earlier-uploads">{t('customerUsers.upload.earlier')}</h2>
      <PagedList query={query} count={items.length} empty={t('customerUsers.upload.noEarlier')}>
        <div className="table-wrap" role="region" aria-labelledby="earlier-uploads" tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('customerUsers.upload.column.file')}</th>
                <th scope="col">{t('customerUsers.upload.column.started')}</th>
                <th scope="col">{t('customerUsers.column.state')}</th>
                <th scope="col">{t('customerUsers.upload.column.outcome')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((i) => (
                <tr key={i.id}>
                  <td data-label={t('customerUsers.upload.column.file')}>
                    <Link to={`/customers/${props.customerId}/users/imports/${i.id}`}>
                      {i.fileName ?? t('customerUsers.upload.unnamed')}
                    </Link>
                  </td>
                  <td data-label={t('customerUsers.upload.column.started')}>{dateTime(i.createdTime)}</td>
                  <td data-label={t('customerUsers.column.state')}>
                    {t(`customerUsers.import.state.${i.state}`)}
                  </td>
                  <td data-label={t('customerUsers.upload.column.outcome')}>
                    {t('customerUsers.import.counts', {
                      done: number(i.rowsDone),
                      total: number(i.totalRows),
                      created: number(i.created),
                      failed: number(i.failed),
                    })}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </PagedList>
    </section>
  );
}

export function UploadUsersPage() {
  const { t, number } = useI18n();
  const c = useCustomerOfPage();
  const access = useDirectoryAccess();
  const countryName = useCountryName();
  const navigate = useNavigate();
  const fileId = useId();
  const [file, setFile] = useState<File>();
  const [step, setStep] = useState<'file' | 'location'>('file');
  const [location, setLocation] = useState(c.billingProfile.defaultAddress.country);
  const [locationError, setLocationError] = useState<string>();
  const validate = useMutation({ mutationFn: (f: File) => validateFile(c.id, f) });
  const start = useMutation({
    mutationFn: (args: { file: File; usageLocation: string }) =>
      startImport(c.id, args.file, args.usageLocation),
    onSuccess: (started) => void navigate(`/customers/${c.id}/users/imports/${started.id}`),
  });

  if (!access.canUpload)
    return (
      <EmptyState>
        <p>
          {access.readOnlyHere
            ? t('customerUsers.upload.notInInstance', { instance: t(`instance.${access.instance}`) })
            : t('customerUsers.upload.notAllowed')}
        </p>
      </EmptyState>
    );

  const checked = validate.data;
  const refused =
    validate.error instanceof ApiError && validate.error.name === 'usersFileInvalid'
      ? validate.error
      : undefined;

  const onValidate = (event: FormEvent) => {
    event.preventDefault();
    if (file && !validate.isPending) validate.mutate(file);
  };
  const onSave = (event: FormEvent) => {
    event.preventDefault();
    if (!file || start.isPending) return;
    if (!location) return setLocationError(t('customerUsers.upload.locationRequired'));
    start.mutate({ file, usageLocation: location });
  };

  return (
    <section className="upload-users" aria-labelledby="step-heading">
      <UploadSteps current={step} />
      {step === 'file' ? (
        <form onSubmit={onValidate} noValidate>
          <StepHeading focus={false}>{t('customerUsers.upload.fileTitle')}</StepHeading>
          <p>{t('customerUsers.upload.intro')}</p>
          <p>
            <a href={TEMPLATE_HREF} download>
              {t('customerUsers.upload.template')}
            </a>
          </p>
          <div className="field">
            <label htmlFor={fileId}>{t('customerUsers.upload.file')}</label>
            <p id={`${fileId}-hint`} className="hint">
              {t('customerUsers.upload.fileHint')}
            </p>
            <input
              id={fileId}
              type="file"
              accept=".csv,text/csv"
              aria-describedby={`${fileId}-hint`}
              onChange={(e) => {
                setFile(e.target.files?.[0] ?? undefined);
                // A new file (the fixed one) is checked again before it can be saved.
                validate.reset();
              }}
            />
          </div>
          {refused && <FileRefused error={refused} />}
          {validate.isError && !refused && <ErrorAlert error={validate.error} />}
          {checked && (
            <div
              role="status"
              className={checked.invalidRows > 0 ? 'validation-summary' : 'validation-summary success'}
            >
              <p className="strong">
                {t('customerUsers.upload.checked', {
                  total: number(checked.totalRows),
                  valid: number(checked.validRows),
                  invalid: number(checked.invalidRows),
                })}
              </p>
            </div>
          )}
          {checked && checked.invalidRows > 0 && <RowProblems validation={checked} />}
          <div className="actions step-actions">
            <button type="submit" className="button secondary" disabled={!file || validate.isPending}>
              {validate.isPending
                ? t('customerUsers.upload.validating')
                : checked
                  ? t('customerUsers.upload.validateAgain')
                  : t('customerUsers.upload.validate')}
            </button>
            {checked && checked.validRows > 0 && (
              <button
                type="button"
                // With problems left, fixing the file is the way forward this page suggests.
                className={checked.invalidRows > 0 ? 'button secondary' : 'button primary'}
                onClick={() => setStep('location')}
              >
                {checked.invalidRows > 0
                  ? t('customerUsers.upload.continueWithout', { count: number(checked.invalidRows) })
                  : t('customerUsers.upload.next')}
              </button>
            )}
          </div>
        </form>
      ) : (
        <form onSubmit={onSave} noValidate>
          <StepHeading>{t('customerUsers.upload.locationTitle')}</StepHeading>
          <p>
            {t('customerUsers.upload.locationIntro', {
              count: number(checked?.validRows ?? 0),
              file: file?.name ?? '',
            })}
          </p>
          {checked && checked.invalidRows > 0 && (
            <p className="hint">
              {t('customerUsers.upload.skippedRows', { count: number(checked.invalidRows) })}
            </p>
          )}
          <UsageLocationField
            label={t('customerUsers.upload.location')}
            hint={t('customerUsers.upload.locationHint')}
            value={location}
            error={
              locationError ??
              (start.error instanceof ApiError ? start.error.fieldError('usageLocation') : undefined)
            }
            onChange={(v) => {
              setLocation(v);
              setLocationError(undefined);
            }}
          />
          {start.isError && <ErrorAlert error={start.error} />}
          <div className="actions step-actions">
            <button type="submit" className="button primary" disabled={start.isPending}>
              {start.isPending
                ? t('common.saving')
                : t('customerUsers.upload.save', { location: location ? countryName(location) : '' })}
            </button>
            <button type="button" className="button secondary" onClick={() => setStep('file')}>
              {t('customerUsers.upload.back')}
            </button>
          </div>
        </form>
      )}
      <EarlierUploads customerId={c.id} />
    </section>
  );
}
