// Reading a usage file for `partnerdesk usage upload`: a CSV with the columns clientRecordId (optional),
// subscriptionId, meterId, usageDate and quantity, checked row by row before anything is sent, then read again
// as the API's items. The file is streamed both times, never held in memory.
//
// A row without a clientRecordId gets one derived from what it says (subscription, meter, date, quantity) and
// how many identical rows came before it in the file. So sending the file again — whole, after a failure part
// way, or with rows fixed, removed or added — sends no row twice: the API answers the rows it has as duplicates.
// A row-number or whole-file id would not survive that: fixing one refused row and re-running would record every
// other row a second time.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { CsvError, parse } from 'csv-parse';

export const USAGE_COLUMNS = [
  'clientRecordId',
  'subscriptionId',
  'meterId',
  'usageDate',
  'quantity',
] as const;
const REQUIRED = USAGE_COLUMNS.filter((c) => c !== 'clientRecordId');

/** One record as POST /v1/usage-records takes it, and the file line it came from. */
export interface UsageItem {
  line: number;
  clientRecordId: string;
  subscriptionId: string;
  meterId: string;
  usageDate: string;
  quantity: string;
}

export interface RowProblem {
  line: number;
  column: string;
  reason: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const METER = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,79}$/;
/** numeric(20, 6): up to 14 digits before the point and 6 after. */
const QUANTITY = /^(\d{1,14})(?:\.(\d{1,6}))?$/;

/** The quantity written without leading or trailing zeros ("01.50" → "1.5"): one value, one id. */
export function canonicalQuantity(q: string): string {
  const m = QUANTITY.exec(q)!;
  const whole = m[1]!.replace(/^0+(?=\d)/, '');
  const frac = (m[2] ?? '').replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : whole;
}

function isRealDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

/** The header's column for each known name (case and surrounding spaces ignored), or the header's problem. */
function mapHeader(header: string[]): { index: Record<string, number> } | { problem: string } {
  const index: Record<string, number> = {};
  const unknown: string[] = [];
  header.forEach((raw, i) => {
    const name = USAGE_COLUMNS.find((c) => c.toLowerCase() === raw.trim().toLowerCase());
    if (!name) unknown.push(raw.trim() === '' ? `(empty, column ${i + 1})` : raw.trim());
    else if (index[name] !== undefined) unknown.push(`${raw.trim()} (twice)`);
    else index[name] = i;
  });
  const missing = REQUIRED.filter((c) => index[c] === undefined);
  if (missing.length > 0 || unknown.length > 0)
    return {
      problem:
        `the first line must name the columns ${USAGE_COLUMNS.join(',')} (clientRecordId optional)` +
        (missing.length > 0 ? `; missing: ${missing.join(', ')}` : '') +
        (unknown.length > 0 ? `; not known: ${unknown.join(', ')}` : ''),
    };
  return { index };
}

/** The file's records with their line numbers (a quoted cell may span lines: the record's first line). */
async function* records(file: string): AsyncGenerator<{ line: number; cells: string[] }> {
  const parser = fs
    .createReadStream(file)
    .pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true }));
  try {
    for await (const r of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const start = r.info.lines - (r.record.join(',').match(/\n/g)?.length ?? 0);
      yield { line: start, cells: r.record };
    }
  } catch (err) {
    if (err instanceof CsvError)
      throw new Error(`${file} is not a readable CSV file: ${err.message}`, { cause: err });
    throw err;
  }
}

/** A row's problems (none: it can be sent), and the item it makes. */
function checkRow(
  cells: string[],
  index: Record<string, number>,
  width: number,
  line: number,
  today: string,
): { problems: RowProblem[]; item: Omit<UsageItem, 'clientRecordId'> & { clientRecordId: string | null } } {
  const problems: RowProblem[] = [];
  const cell = (c: string) => (index[c] === undefined ? '' : (cells[index[c]] ?? '').trim());
  if (cells.length !== width)
    problems.push({
      line,
      column: '',
      reason: `has ${cells.length} cells where the first line names ${width} columns`,
    });
  const clientRecordId = cell('clientRecordId');
  if (clientRecordId.length > 100)
    problems.push({ line, column: 'clientRecordId', reason: 'is longer than 100 characters' });
  const subscriptionId = cell('subscriptionId');
  if (!GUID.test(subscriptionId))
    problems.push({
      line,
      column: 'subscriptionId',
      reason: subscriptionId ? `"${subscriptionId}" is not a subscription id (a GUID)` : 'is empty',
    });
  const meterId = cell('meterId');
  if (!METER.test(meterId))
    problems.push({
      line,
      column: 'meterId',
      reason: meterId ? `"${meterId}" is not a meter id (letters, digits and . _ : -, up to 80)` : 'is empty',
    });
  const usageDate = cell('usageDate');
  if (!isRealDate(usageDate))
    problems.push({
      line,
      column: 'usageDate',
      reason: usageDate ? `"${usageDate}" is not a date like 2026-11-30` : 'is empty',
    });
  else if (usageDate > today)
    problems.push({
      line,
      column: 'usageDate',
      reason: `${usageDate} is in the future (today is ${today} UTC)`,
    });
  const quantity = cell('quantity');
  if (!QUANTITY.test(quantity))
    problems.push({
      line,
      column: 'quantity',
      reason: quantity.startsWith('-')
        ? 'must not be negative'
        : quantity
          ? `"${quantity}" is not a quantity like 12 or 0.125 (at most 6 decimals)`
          : 'is empty',
    });
  return {
    problems,
    item: {
      line,
      clientRecordId: clientRecordId || null,
      subscriptionId: subscriptionId.toLowerCase(),
      meterId,
      usageDate,
      quantity: problems.some((p) => p.column === 'quantity') ? quantity : canonicalQuantity(quantity),
    },
  };
}

export interface UsageFileCheck {
  rows: number;
  problems: RowProblem[];
  /** Problems found beyond the ones listed (the list stops at `maxProblems`). */
  moreProblems: number;
}

/**
 * Reads the whole file once and lists what is wrong with it: the header, and each row's cells (the checks the
 * API makes that need nothing but the row). `today`: the UTC date usage may not be after.
 */
export async function checkUsageFile(
  file: string,
  today: string,
  maxProblems = 100,
): Promise<UsageFileCheck> {
  let index: Record<string, number> | undefined;
  let width = 0;
  let rows = 0;
  let count = 0;
  const problems: RowProblem[] = [];
  const add = (p: RowProblem) => {
    if (count++ < maxProblems) problems.push(p);
  };
  // Where each clientRecordId given in the file was first seen: the API refuses a batch that repeats one.
  const seen = new Map<string, number>();
  for await (const { line, cells } of records(file)) {
    if (!index) {
      const header = mapHeader(cells);
      if ('problem' in header)
        return { rows: 0, problems: [{ line, column: '', reason: header.problem }], moreProblems: 0 };
      index = header.index;
      width = cells.length;
      continue;
    }
    rows++;
    const { problems: rowProblems, item } = checkRow(cells, index, width, line, today);
    rowProblems.forEach(add);
    if (item.clientRecordId) {
      const first = seen.get(item.clientRecordId);
      if (first !== undefined)
        add({ line, column: 'clientRecordId', reason: `"${item.clientRecordId}" is also on line ${first}` });
      else seen.set(item.clientRecordId, line);
    }
  }
  if (!index)
    return { rows: 0, problems: [{ line: 1, column: '', reason: 'the file is empty' }], moreProblems: 0 };
  return { rows, problems, moreProblems: Math.max(0, count - problems.length) };
}

/** The id of a row that has none: what it says, and which of the file's identical rows it is. */
export function derivedRecordId(
  item: Omit<UsageItem, 'line' | 'clientRecordId'>,
  occurrence: number,
): string {
  return `csv-${createHash('sha256')
    .update(`${contentKey(item)}|${occurrence}`)
    .digest('hex')
    .slice(0, 40)}`;
}

/** What a row says, a GUID in any letter case the same (the quantity is already written one way only). */
function contentKey(item: Omit<UsageItem, 'line' | 'clientRecordId'>): string {
  return [item.subscriptionId.toLowerCase(), item.meterId, item.usageDate, item.quantity].join('|');
}

/** The file's rows as the API's items, `size` at a time (run checkUsageFile first: this assumes a good file). */
export async function* usageBatches(file: string, size: number): AsyncGenerator<UsageItem[]> {
  let index: Record<string, number> | undefined;
  let width = 0;
  const occurrences = new Map<string, number>();
  let batch: UsageItem[] = [];
  for await (const { line, cells } of records(file)) {
    if (!index) {
      const header = mapHeader(cells);
      if ('problem' in header) throw new Error(header.problem);
      index = header.index;
      width = cells.length;
      continue;
    }
    const { item } = checkRow(cells, index, width, line, '9999-12-31');
    let clientRecordId = item.clientRecordId;
    if (!clientRecordId) {
      const key = contentKey(item);
      const n = occurrences.get(key) ?? 0;
      occurrences.set(key, n + 1);
      clientRecordId = derivedRecordId(item, n);
    }
    batch.push({ ...item, clientRecordId });
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
