// A request's files: each a download (saved under its own name; the API never shows one in the browser) with
// its size, who added it and when; and, while the request is open to changes, "Attach file" (the file's bytes
// sent as they are, with its type). The picker offers the types the API takes and the hint names the limit, both
// as the server's settings tell them; a file over the limit is refused before it is sent, and otherwise the API
// decides: its reason shows next to the picker.
import { useId, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { ApiError } from '../../api/client.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Loading } from '../../components/states.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { FileSize } from './FileSize.tsx';
import type { SupportSettings } from './model.ts';
import { acceptOf, contentTypeOf, tooLarge, uploadHint } from './model.ts';
import type { FileLink, ServiceRequest } from './support.queries.ts';
import { downloadAttachment, useRequestMutations, useSupportSettings } from './support.queries.ts';

function Download(props: { file: FileLink; onError: (e: unknown) => void }) {
  const f = props.file;
  return (
    <a
      href={f.links.self.uri}
      download={f.fileName}
      onClick={(e) => {
        // Through fetch, so an error is said instead of being saved as the file.
        e.preventDefault();
        downloadAttachment(f).catch(props.onError);
      }}
    >
      {f.fileName}
    </a>
  );
}

function Upload(props: { idOrNumber: string; onAttached: (name: string) => void }) {
  const settings = useSupportSettings();
  if (settings.isPending) return <Loading />;
  if (settings.isError) return <ErrorAlert error={settings.error} onRetry={() => void settings.refetch()} />;
  return <UploadForm {...props} settings={settings.data} />;
}

function UploadForm(props: {
  idOrNumber: string;
  settings: SupportSettings;
  onAttached: (name: string) => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const { attach } = useRequestMutations(props.idOrNumber);
  const [file, setFile] = useState<File>();
  const [precheck, setPrecheck] = useState<string>();
  const refusal = attach.error instanceof ApiError ? attach.error : undefined;
  const reason = precheck ?? (refusal?.details.map((d) => d.reason).join('; ') || undefined);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const problem = file ? tooLarge(i18n, props.settings, [file]) : t('support.attach.choose');
    if (!file || problem) {
      setPrecheck(problem);
      input.current?.focus();
      return;
    }
    attach.mutate(
      { file, contentType: contentTypeOf(file, props.settings) },
      {
        onSuccess: () => {
          props.onAttached(file.name);
          setFile(undefined);
          if (input.current) input.current.value = '';
        },
      },
    );
  };
  return (
    <form className="sr-upload" noValidate onSubmit={submit}>
      {attach.isError && <ErrorAlert error={attach.error} />}
      <div className="field">
        <label htmlFor={id}>{t('support.attach.file')}</label>
        <p id={`${id}-hint`} className="hint">
          {uploadHint(i18n, props.settings)}
        </p>
        <input
          ref={input}
          id={id}
          name="file"
          type="file"
          accept={acceptOf(props.settings)}
          aria-invalid={reason ? true : undefined}
          aria-describedby={reason ? `${id}-hint ${id}-error` : `${id}-hint`}
          onChange={(e) => {
            setFile(e.target.files?.[0]);
            setPrecheck(undefined);
            attach.reset();
          }}
        />
        {reason && (
          <p id={`${id}-error`} className="field-error">
            {reason}
          </p>
        )}
      </div>
      <button type="submit" className="button secondary" disabled={attach.isPending}>
        {attach.isPending ? t('support.attach.sending') : t('support.attach.submit')}
      </button>
    </form>
  );
}

export function Attachments(props: {
  request: ServiceRequest;
  idOrNumber: string;
  canAttach: boolean;
  onAttached: (name: string) => void;
}) {
  const { t, dateTime, number } = useI18n();
  const [downloadError, setDownloadError] = useState<unknown>();
  const files = props.request.fileLinks;
  return (
    <section className="panel" aria-labelledby="sr-files">
      <h2 id="sr-files">{t('support.files.title', { count: number(files.length) })}</h2>
      {downloadError !== undefined && <ErrorAlert error={downloadError} />}
      {files.length === 0 ? (
        <p className="muted">{t('support.files.none')}</p>
      ) : (
        <ul className="sr-files">
          {files.map((f) => (
            <li key={f.id}>
              <Download file={f} onError={setDownloadError} /> <FileSize bytes={f.sizeBytes} />
              <span className="block muted small">
                {t('support.files.added', { name: f.createdByName, time: dateTime(f.createdDate) })}
              </span>
            </li>
          ))}
        </ul>
      )}
      {props.canAttach && <Upload idOrNumber={props.idOrNumber} onAttached={props.onAttached} />}
    </section>
  );
}
