// CSV exports: streamed row by row (any length, constant memory) and safe to open in a spreadsheet.
import { Readable, pipeline } from 'node:stream';
import { stringify } from 'csv-stringify';

// A cell a spreadsheet would read as a formula (OWASP "CSV injection"): =, +, -, @, or a leading tab/CR
// that some spreadsheets strip before looking for one of those.
const FORMULA_START = /^[=+\-@\t\r]/;

/** A text cell that a spreadsheet shows as text: a formula-like start gets a leading apostrophe. */
export function safeCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/**
 * A decimal number written exactly as given ('-12.50' keeps its sign and its zeros, which a JavaScript number
 * would not): a plain number is no formula, so it is not neutralised.
 */
export class CsvDecimal {
  constructor(readonly text: string) {
    if (!/^-?\d+(\.\d+)?$/.test(text)) throw new Error(`not a decimal number: ${text}`);
  }
}

/** Numbers are written as they are (a negative amount stays a number); text is neutralised. */
export type CsvCell = string | number | CsvDecimal | null | undefined;

function cellText(cell: CsvCell): string | number {
  if (cell === null || cell === undefined) return '';
  if (cell instanceof CsvDecimal) return cell.text;
  return typeof cell === 'number' ? cell : safeCell(cell);
}

/**
 * A readable CSV document: the header line, then one line per row as `rows` yields them. The rows are pulled
 * only as fast as the reader consumes them, and a reader that goes away stops the source (its `return()` runs,
 * so a database cursor or batch loop ends).
 */
export function csvStream(
  columns: readonly string[],
  rows: AsyncIterable<readonly CsvCell[]> | Iterable<readonly CsvCell[]>,
  /** A file that repeats an upload is written as it was: its separator, and a byte order mark if it had one. */
  form: { delimiter?: ',' | ';'; bom?: boolean } = {},
): Readable {
  async function* cells() {
    for await (const row of rows) yield row.map(cellText);
  }
  const stringifier = stringify({
    header: true,
    columns: [...columns],
    record_delimiter: 'windows',
    delimiter: form.delimiter ?? ',',
    bom: form.bom ?? false,
    // csv-stringify quotes only the CRLF delimiter itself; a bare LF or CR inside a cell must be quoted too.
    quoted_match: /[\r\n]/,
  });
  // pipeline() forwards a source failure to the output (so the response is aborted, not truncated silently).
  pipeline(Readable.from(cells()), stringifier, () => undefined);
  return stringifier;
}
