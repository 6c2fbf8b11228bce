// /customers/:customerId/users/imports/:importId: one file's users being added. A progress bar and the rows
// done of all, with how many users were created and how many rows failed, read again every second until the
// job is done (the page can be left and opened again from the upload page meanwhile). Then the temporary
// passwords — downloadable once only, which the page says before and after (a second download is refused by
// the API, and the page says that too) — and the results file: the uploaded file with each row's outcome.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Loading } from '../../components/states.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { useCustomerOfPage } from '../customers/CustomerPage.tsx';
import { useCountryName } from '../customers/display.tsx';
import { StepHeading } from '../customers/Stepper.tsx';
import type { UserImport } from './imports.queries.ts';
import { downloadPasswords, importKey, resultsHref, useImport } from './imports.queries.ts';
import { importRunning, percentDone } from './model.ts';
import { UploadSteps } from './UploadSteps.tsx';

function Progress(props: { job: UserImport }) {
  const { t, number } = useI18n();
  const j = props.job;
  const percent = percentDone(j.rowsDone, j.totalRows, j.state);
  const counts = t('customerUsers.import.counts', {
    done: number(j.rowsDone),
    total: number(j.totalRows),
    created: number(j.created),
    failed: number(j.failed),
  });
  return (
    <div className="import-progress">
      <progress
        max={100}
        value={percent}
        aria-label={t('customerUsers.import.progress')}
        aria-valuetext={t('customerUsers.import.percent', { percent: number(percent) })}
      />
      {/* Announced politely as the numbers change. */}
      <p role="status" className="strong">
        {`${t('customerUsers.import.percent', { percent: number(percent) })} · ${counts}`}
      </p>
    </div>
  );
}

function Passwords(props: { customerId: string; job: UserImport }) {
  const { t, dateTime } = useI18n();
  const queryClient = useQueryClient();
  const j = props.job;
  const download = useMutation({
    mutationFn: () => downloadPasswords(props.customerId, j.id),
    // Read the import again: it now says when its passwords were downloaded.
    onSettled: () => queryClient.invalidateQueries({ queryKey: importKey(props.customerId, j.id) }),
  });
  const gone = download.error instanceof ApiError && download.error.name === 'passwordsAlreadyDownloaded';
  const downloadedAt = j.passwordsDownloadedTime;
  if (j.created === 0) return <p className="muted">{t('customerUsers.import.noPasswords')}</p>;
  if (download.isSuccess)
    return (
      <div className="alert alert-warning" role="status">
        <p className="alert-title">{t('customerUsers.import.passwordsSaved')}</p>
        <p>{t('customerUsers.import.passwordsKeep')}</p>
        <button type="button" className="button secondary" disabled>
          {t('customerUsers.import.passwordsDownloaded')}
        </button>
      </div>
    );
  if (downloadedAt || gone)
    return (
      <div className="alert alert-warning" role={gone ? 'alert' : undefined}>
        <p className="alert-title">
          {downloadedAt
            ? t('customerUsers.import.passwordsGoneAt', { date: dateTime(downloadedAt) })
            : t('customerUsers.import.passwordsGone')}
        </p>
        <p>{t('customerUsers.import.passwordsReset')}</p>
        <button type="button" className="button secondary" disabled>
          {t('customerUsers.import.passwordsDownloaded')}
        </button>
      </div>
    );
  return (
    <div className="alert alert-warning">
      <p className="alert-title">{t('customerUsers.import.passwordsOnce')}</p>
      <p>{t('customerUsers.import.passwordsOnceBody')}</p>
      {download.isError && <ErrorAlert error={download.error} />}
      <button
        type="button"
        className="button primary"
        disabled={download.isPending || !j.passwordsAvailable}
        onClick={() => download.mutate()}
      >
        {download.isPending ? t('common.loading') : t('customerUsers.import.downloadPasswords')}
      </button>
    </div>
  );
}

export function ImportPage() {
  const { t, dateTime } = useI18n();
  const c = useCustomerOfPage();
  const countryName = useCountryName();
  const { importId = '' } = useParams();
  const job = useImport(c.id, importId);
  const done = useRef<HTMLHeadingElement>(null);
  const finished = job.data && !importRunning(job.data.state);
  useEffect(() => {
    if (finished) done.current?.focus();
  }, [finished]);

  if (job.isPending) return <Loading />;
  if (job.isError) {
    const e = job.error;
    if (e instanceof ApiError && (e.status === 404 || e.status === 400))
      return (
        <section className="notice">
          <h2>{t('customerUsers.import.notFound')}</h2>
          <p>
            <Link to={`/customers/${c.id}/users/upload`}>{t('customerUsers.import.backToUpload')}</Link>
          </p>
        </section>
      );
    return <ErrorAlert error={e} onRetry={() => void job.refetch()} />;
  }
  const j = job.data;
  const running = importRunning(j.state);
  return (
    <section className="upload-users" aria-labelledby="step-heading">
      <p>
        <Link to={`/customers/${c.id}/users/upload`}>{t('customerUsers.import.backToUpload')}</Link>
      </p>
      <UploadSteps current={running ? 'progress' : 'passwords'} />
      <StepHeading focus={false}>
        {t('customerUsers.import.title', { file: j.fileName ?? t('customerUsers.upload.unnamed') })}
      </StepHeading>
      <dl className="details">
        <dt>{t('customerUsers.upload.location')}</dt>
        <dd>{countryName(j.usageLocation)}</dd>
        <dt>{t('customerUsers.upload.column.started')}</dt>
        <dd>{dateTime(j.createdTime)}</dd>
        <dt>{t('customerUsers.column.state')}</dt>
        <dd>{t(`customerUsers.import.state.${j.state}`)}</dd>
        {j.completedTime && (
          <>
            <dt>{t('customerUsers.import.completed')}</dt>
            <dd>{dateTime(j.completedTime)}</dd>
          </>
        )}
      </dl>
      <Progress job={j} />
      {running ? (
        <p className="hint">{t('customerUsers.import.canLeave')}</p>
      ) : (
        <>
          <h3 ref={done} tabIndex={-1} className="step-heading">
            {j.state === 'completed' ? t('customerUsers.import.done') : t('customerUsers.import.failedJob')}
          </h3>
          <Passwords customerId={c.id} job={j} />
          <section className="panel" aria-labelledby="results-file">
            <h3 id="results-file">{t('customerUsers.import.resultsTitle')}</h3>
            <p>{t('customerUsers.import.resultsBody')}</p>
            <a className="button secondary" href={resultsHref(c.id, j.id)} download>
              {t('customerUsers.import.downloadResults')}
            </a>
          </section>
          <p>
            <Link to={`/customers/${c.id}/users`}>{t('customerUsers.import.toUsers')}</Link>
          </p>
        </>
      )}
    </section>
  );
}
