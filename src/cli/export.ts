// Saving a file the API streams (a CSV export, a PDF): to a file (written beside it as `.<name>.partial` and
// renamed when complete, so a cut-off download never looks like a whole one) or to stdout, never holding the
// file in memory; a CSV export shows a live row count on a terminal.
import fs from 'node:fs';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { SingleBar } from 'cli-progress';

/**
 * Counts the CSV records passing through: line ends outside quoted cells (a quoted cell may hold a line
 * break), so the count is exact without parsing or holding the file.
 */
class RecordCounter extends Transform {
  records = 0;
  private quoted = false;
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null, data?: Buffer) => void) {
    let quoted = this.quoted;
    let records = 0;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (b === 0x22) quoted = !quoted;
      else if (b === 0x0a && !quoted) records++;
    }
    this.quoted = quoted;
    this.records += records;
    cb(null, chunk);
  }
}

/** A safe file name from the download's Content-Disposition with this extension, or `fallback`. */
function suggestedName(disposition: string | null, extension: string, fallback: string): string {
  const m = /filename="([A-Za-z0-9._-]+)"/.exec(disposition ?? '');
  return m?.[1]?.endsWith(extension) ? m[1] : fallback;
}

/**
 * Writes the download `res` to `output` (`-`: stdout; unset: the name the API suggests, else `fallbackName`),
 * through `through` (a counter, say). Answers where it went (undefined: stdout).
 */
export async function saveDownload(
  res: Response,
  opts: {
    output?: string;
    fallbackName: string;
    /** The file name's extension the suggested name must have ('.csv', '.pdf'). */
    extension: string;
    /** File mode, e.g. 0o600 for secrets. */ mode?: number;
    through?: Transform;
    /**
     * Never replace a file already at the output: refuse with "<file> exists already; <advice>", before the
     * download and, should one appear meanwhile, after it.
     */
    keepExisting?: { advice: string };
  },
): Promise<string | undefined> {
  const toStdout = opts.output === '-';
  const file = toStdout
    ? undefined
    : opts.output?.trim() ||
      suggestedName(res.headers.get('content-disposition'), opts.extension, opts.fallbackName);
  const exists = () => new Error(`${file} exists already; ${opts.keepExisting!.advice}`);
  if (file && opts.keepExisting && fs.existsSync(file)) {
    await res.body?.cancel();
    throw exists();
  }
  const partial = file && path.join(path.dirname(file), `.${path.basename(file)}.partial`);
  const source = Readable.fromWeb(res.body as WebReadableStream<Uint8Array>);
  const sink = partial ? fs.createWriteStream(partial, { mode: opts.mode ?? 0o666 }) : process.stdout;
  try {
    await (opts.through ? pipeline(source, opts.through, sink) : pipeline(source, sink));
  } catch (err) {
    if (partial) fs.rmSync(partial, { force: true });
    throw new Error(`the download was cut off: ${(err as Error).message}`, { cause: err });
  }
  if (!partial) return file;
  try {
    // A copy that fails where the name is taken, where a rename would replace what is there.
    if (opts.keepExisting) fs.copyFileSync(partial, file!, fs.constants.COPYFILE_EXCL);
    else fs.renameSync(partial, file!);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw exists();
    throw err;
  } finally {
    fs.rmSync(partial, { force: true });
  }
  return file;
}

/**
 * Writes the CSV export `res` like saveDownload, with a live row count on a terminal. `what` names the rows on
 * the progress line ("customers"). Answers the data rows written and where.
 */
export async function saveCsvExport(
  res: Response,
  opts: {
    output?: string;
    fallbackName: string;
    what: string;
    /** File mode, e.g. 0o600 for secrets. */ mode?: number;
  },
): Promise<{ rows: number; file: string | undefined }> {
  const counter = new RecordCounter();
  const bar = process.stderr.isTTY
    ? new SingleBar({
        format: `Exporting ${opts.what}… {value} rows written`,
        stream: process.stderr,
        hideCursor: true,
        clearOnComplete: true,
      })
    : undefined;
  bar?.start(0, 0);
  const tick = bar && setInterval(() => bar.update(Math.max(counter.records - 1, 0)), 100);
  try {
    const file = await saveDownload(res, { ...opts, extension: '.csv', through: counter });
    return { rows: Math.max(counter.records - 1, 0), file };
  } finally {
    if (tick) clearInterval(tick);
    bar?.stop();
  }
}
