// Checking a users file (PRODUCT.md feature 8): the header, then every row, streamed — memory does not grow
// with the file, beyond one set of the e-mail addresses seen, which finding duplicates needs. The file is the
// template's: `First name,Last name,Display name,Email,Status update`, UTF-8 with or without a BOM, separated
// by `,` or `;` (what a spreadsheet saves in locales with a decimal comma). A problem with the file as a whole
// (a column missing, extra or out of order, not CSV, too many rows) refuses it with `usersFileInvalid`; a
// problem with a row is reported on that row, and the other rows are still checked.
import { Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import type { FieldIssue } from '../../lib/errors.ts';
import { AppError } from '../../lib/errors.ts';
import { isEmail } from '../../lib/text.ts';

export const USER_CSV_COLUMNS = [
  'First name',
  'Last name',
  'Display name',
  'Email',
  'Status update',
] as const;
export const MAX_NAME_LENGTH = 50;
/** How much of the file is read to find the header row and its separator. */
const HEAD_LIMIT = 64 * 1024;
/** A longer row is not a row of this template; it refuses the file rather than filling memory. */
const MAX_ROW_BYTES = 16 * 1024;

export interface UserCsvRow {
  /** 1 for the first row after the header. */
  row: number;
  /** The line of the file the row ends on (the header is line 1). */
  line: number;
  /** The row's cells as they are in the file (for the results file). */
  cells: string[];
  firstName: string | null;
  lastName: string | null;
  displayName: string;
  /** Lower-cased. */
  email: string;
  /** Each problem, the column named as the template names it (`Email`), or `row` for the row as a whole. */
  issues: FieldIssue[];
}

export interface UsersCsvOptions {
  /** The customer's domains: an Email must be at one of them. */
  domains: readonly string[];
  /** More data rows than this refuse the whole file. */
  maxRows: number;
  /** Which of these (lower-cased) addresses the directory already has. */
  existing(emails: string[]): Promise<Set<string>>;
  /** How many rows are checked against the directory at once. */
  batchSize?: number;
  /** Told how the file is written once its header row is accepted (before the first row). */
  onHeader?(form: UsersCsvForm): void;
}

/** How a users file is written, so that a file made from it (the results) reads like it. */
export interface UsersCsvForm {
  /** The header row's cells as they are in the file. */
  header: string[];
  delimiter: ',' | ';';
  /** Whether the file starts with a UTF-8 byte order mark. */
  bom: boolean;
}

/** The template to fill in: the header row, with a BOM so that spreadsheets read the file as UTF-8. */
export function usersTemplateCsv(): string {
  return `\uFEFF${USER_CSV_COLUMNS.join(',')}\r\n`;
}

const SAVE_AS_UTF8 = 'Save it as "CSV UTF-8" and upload it again.';
const UTF16 = `The file is UTF-16 ("Unicode text"), not UTF-8. ${SAVE_AS_UTF8}`;

const fileInvalid = (reason: string, field = 'file') =>
  new AppError('usersFileInvalid', { details: [{ field, reason }] });

const chars = (s: string) => [...s].length;

/** The first line (without a BOM) and the bytes read so far, so parsing can start from the beginning. */
async function readHead(input: AsyncIterable<Buffer | string>) {
  const iterator = input[Symbol.asyncIterator]();
  const chunks: Buffer[] = [];
  let size = 0;
  for (;;) {
    const text = Buffer.concat(chunks).toString('utf8');
    const end = text.search(/\r?\n/);
    if (end >= 0 || size > HEAD_LIMIT)
      return { firstLine: end >= 0 ? text.slice(0, end) : text, chunks, iterator };
    const next = await iterator.next();
    if (next.done) return { firstLine: text, chunks, iterator };
    const chunk = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
    chunks.push(chunk);
    size += chunk.length;
  }
}

/** `;` when the header row is separated by it (and has no comma), else `,`. */
function separatorOf(headerLine: string): ',' | ';' {
  return headerLine.includes(';') && !headerLine.includes(',') ? ';' : ',';
}

function headerIssues(header: string[]): string | undefined {
  const names = header.map((h) => h.trim());
  const known = (h: string) => USER_CSV_COLUMNS.some((c) => c.toLowerCase() === h.toLowerCase());
  const extra = names.filter((h) => !known(h));
  if (extra.length > 0)
    return `The file has ${extra.length === 1 ? 'a column' : 'columns'} that the template does not: ${extra
      .map((h) => (h === '' ? '(a column without a name)' : `"${h}"`))
      .join(
        ', ',
      )}. Remove ${extra.length === 1 ? 'it' : 'them'}: the file must have exactly the template's columns.`;
  const missing = USER_CSV_COLUMNS.filter((c) => !names.some((h) => h.toLowerCase() === c.toLowerCase()));
  if (missing.length > 0)
    return `The file has no ${missing.map((c) => `"${c}"`).join(', ')} column${missing.length === 1 ? '' : 's'}: the header row must be ${USER_CSV_COLUMNS.join(',')}.`;
  const twice = names.filter((h, i) => names.findIndex((o) => o.toLowerCase() === h.toLowerCase()) !== i);
  if (twice.length > 0) return `The column "${twice[0]}" appears twice; each column appears once.`;
  if (names.some((h, i) => h.toLowerCase() !== USER_CSV_COLUMNS[i]!.toLowerCase()))
    return `The columns are not in the template's order: the header row must be ${USER_CSV_COLUMNS.join(',')}.`;
  return undefined;
}

function rowIssues(cells: string[], domains: readonly string[]): Omit<UserCsvRow, 'row' | 'line' | 'cells'> {
  const issues: FieldIssue[] = [];
  if (cells.length !== USER_CSV_COLUMNS.length)
    issues.push({
      field: 'row',
      reason: `has ${cells.length} cell${cells.length === 1 ? '' : 's'}; every row has the template's ${USER_CSV_COLUMNS.length}`,
    });
  const [first = '', last = '', display = '', email = '', status = ''] = cells.map((c) => c.trim());
  for (const [column, value] of [
    ['First name', first],
    ['Last name', last],
    ['Display name', display],
  ] as const)
    if (chars(value) > MAX_NAME_LENGTH)
      issues.push({
        field: column,
        reason: `must be at most ${MAX_NAME_LENGTH} characters (it has ${chars(value)})`,
      });
  if (display === '') issues.push({ field: 'Display name', reason: 'is required' });
  const address = email.toLowerCase();
  if (address === '') issues.push({ field: 'Email', reason: 'is required' });
  else if (!isEmail(address)) issues.push({ field: 'Email', reason: 'is not an e-mail address' });
  else {
    const domain = address.slice(address.lastIndexOf('@') + 1);
    if (!domains.includes(domain))
      issues.push({
        field: 'Email',
        reason: `must be at one of the customer's domains (${domains.join(', ')})`,
      });
  }
  if (status !== '')
    issues.push({ field: 'Status update', reason: 'must be empty: it is filled in the results file' });
  return { firstName: first || null, lastName: last || null, displayName: display, email: address, issues };
}

/**
 * Every data row of a users file with its problems, in file order. Throws `usersFileInvalid` for a problem with
 * the whole file — before the first row for the header, or when the row limit is passed.
 */
export async function* checkUsersCsv(
  input: AsyncIterable<Buffer | string>,
  options: UsersCsvOptions,
): AsyncGenerator<UserCsvRow> {
  const domains = options.domains.map((d) => d.toLowerCase());
  const batchSize = options.batchSize ?? 500;
  const head = await readHead(input);
  const start = Buffer.concat(head.chunks).subarray(0, 2);
  // Spreadsheets also save "Unicode text" (UTF-16): every other byte is zero, which no parser reads as CSV.
  if (start.equals(Buffer.from([0xff, 0xfe])) || start.equals(Buffer.from([0xfe, 0xff])))
    throw fileInvalid(UTF16);
  const bom = head.firstLine.startsWith('\uFEFF');
  const firstLine = head.firstLine.replace(/^\uFEFF/, '');
  if (
    firstLine.trim() === '' &&
    head.chunks.every(
      (c) =>
        c
          .toString('utf8')
          .replace(/^\uFEFF/, '')
          .trim() === '',
    )
  )
    throw fileInvalid(
      `The file is empty: it needs the header row ${USER_CSV_COLUMNS.join(',')} and a row per user.`,
    );

  const delimiter = separatorOf(firstLine);
  const parser = parse({
    bom: true,
    delimiter,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_empty_values: true,
    max_record_size: MAX_ROW_BYTES,
    info: true,
  });
  const source = Readable.from(
    (async function* () {
      yield* head.chunks;
      for (let next = await head.iterator.next(); !next.done; next = await head.iterator.next())
        yield next.value;
    })(),
  );
  source.on('error', (err) => parser.destroy(err));
  source.pipe(parser);

  const seen = new Set<string>();
  let header: string[] | undefined;
  let count = 0;
  let batch: UserCsvRow[] = [];

  async function* flush(): AsyncGenerator<UserCsvRow> {
    const candidates = batch.filter((r) => r.issues.every((i) => i.field !== 'Email'));
    const taken =
      candidates.length > 0 ? await options.existing(candidates.map((r) => r.email)) : new Set<string>();
    for (const r of candidates)
      if (taken.has(r.email)) r.issues.push({ field: 'Email', reason: 'is already a user of this customer' });
    yield* batch;
    batch = [];
  }

  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: string[];
      info: { lines: number };
    }>) {
      // PostgreSQL stores no U+0000 in text, and a users file has none: it is another encoding or not text.
      if (record.some((cell) => cell.includes('\u0000')))
        throw fileInvalid(
          `Line ${info.lines} has the NUL character (U+0000): the file is not UTF-8 text. ${SAVE_AS_UTF8}`,
        );
      if (!header) {
        const problem = headerIssues(record);
        if (problem) throw fileInvalid(problem, 'header');
        header = record;
        options.onHeader?.({ header, delimiter, bom });
        continue;
      }
      count += 1;
      if (count > options.maxRows)
        throw fileInvalid(
          `The file has more than ${options.maxRows.toLocaleString('en-US')} users; split it into files of at most that many rows.`,
        );
      const checked = rowIssues(record, domains);
      if (checked.email !== '' && checked.issues.every((i) => i.field !== 'Email')) {
        if (seen.has(checked.email))
          checked.issues.push({ field: 'Email', reason: 'appears more than once in the file' });
        seen.add(checked.email);
      }
      batch.push({ row: count, line: info.lines, cells: record, ...checked });
      if (batch.length >= batchSize) yield* flush();
    }
  } catch (err) {
    if (err instanceof CsvError)
      throw fileInvalid(
        `The file is not valid CSV near line ${String((err as { lines?: number }).lines ?? '?')}: ${err.message}`,
      );
    throw err;
  } finally {
    source.destroy();
  }
  if (!header)
    throw fileInvalid(
      `The file is empty: it needs the header row ${USER_CSV_COLUMNS.join(',')} and a row per user.`,
    );
  yield* flush();
}
