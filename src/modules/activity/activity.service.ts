// The activity log: query by date range and filters, page newest (or oldest) first, export as CSV.
import type { Readable } from 'node:stream';
import type { Db } from '../../db/database.ts';
import { inPartnerTransaction } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import type { CallerContext } from '../../lib/context.ts';
import { csvStream } from '../../lib/csv.ts';
import type { CsvCell } from '../../lib/csv.ts';
import type { FieldIssue } from '../../lib/errors.ts';
import { AppError } from '../../lib/errors.ts';
import type { Page, PageRequest } from '../../lib/paging.ts';
import { decodeCursor, isCursorInstant, keysetRows, pageOf } from '../../lib/paging.ts';
import type { ActivityRow, RecordPosition, RecordQuery, TextMatch } from './activity.repository.ts';
import { countRecords, findRecords } from './activity.repository.ts';
import { FILTER_FIELDS, FILTER_OPERATORS } from './activity.schemas.ts';
import { invalidFilter, parseFilter } from '../../lib/filter.ts';

export interface ActivityFilters {
  startDate?: string;
  endDate?: string;
  filter?: string;
  customerId?: string;
  action?: string;
  status?: 'succeeded' | 'failed';
  q?: string;
  /** Time order: desc (newest first, the default) or asc. */
  order?: 'asc' | 'desc';
}

export interface AuditRecordView {
  id: string;
  occurredAt: string;
  action: string;
  status: 'succeeded' | 'failed';
  resourceType: string;
  resourceId: string | null;
  customer: { id: string; name: string } | null;
  partnerUser: { kind: ActivityRow['actor_kind']; id: string | null; name: string };
  additionalInformation: Record<string, unknown>;
  requestId: string | null;
  correlationId: string | null;
  attributes: { objectType: 'AuditRecord' };
}

export const CSV_COLUMNS = [
  'Affected customer',
  'Action',
  'Partner user',
  'Status',
  'Additional information',
];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/** A parsed bound: the instant, and whether it named a whole day (so an end date includes that day). */
function parseDateParam(raw: string, field: string): { at: Date; day: boolean } {
  const bad = () =>
    new AppError('validationFailed', {
      details: [{ field, reason: 'must be a date (YYYY-MM-DD) or an ISO 8601 date-time' }],
    });
  const value = raw.trim();
  const day = DATE_ONLY.exec(value);
  const time = day ? undefined : DATE_TIME.exec(value);
  const parts = day ?? time;
  if (!parts) throw bad();
  // No zone given means UTC, so the same request means the same range wherever the server runs.
  const at = new Date(day ? `${value}T00:00:00Z` : time![7] ? value : `${value}Z`);
  if (Number.isNaN(at.getTime())) throw bad();
  // Date accepts 2026-02-30 as March 2; refuse days that do not exist.
  const [y, m, d] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  const check = new Date(Date.UTC(y, m - 1, d));
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) throw bad();
  return { at, day: Boolean(day) };
}

function minusOneMonth(d: Date): Date {
  const r = new Date(d);
  r.setUTCMonth(r.getUTCMonth() - 1);
  return r;
}

function plusOneYear(d: Date): Date {
  const r = new Date(d);
  r.setUTCFullYear(r.getUTCFullYear() + 1);
  return r;
}

const DAY_MS = 86_400_000;

/** The range [from, to) a request asks for; `to` undefined = up to now (open). */
export function resolveRange(
  filters: Pick<ActivityFilters, 'startDate' | 'endDate'>,
  now: Date,
): { from: Date; to: Date | undefined } {
  const start = filters.startDate ? parseDateParam(filters.startDate, 'startDate') : undefined;
  const end = filters.endDate ? parseDateParam(filters.endDate, 'endDate') : undefined;
  const to = end ? new Date(end.at.getTime() + (end.day ? DAY_MS : 0)) : undefined;
  const from = start?.at ?? minusOneMonth(to ?? now);
  const issues: FieldIssue[] = [];
  if (to && to.getTime() <= from.getTime())
    issues.push({ field: 'endDate', reason: 'must not be before startDate' });
  else if ((to ?? now).getTime() > plusOneYear(from).getTime())
    issues.push({ field: 'startDate', reason: 'the range may span at most one year' });
  if (issues.length) throw new AppError('validationFailed', { details: issues });
  return { from, to };
}

type ParsedFilter =
  | { field: 'CustomerId'; value: string }
  | { field: 'Status'; value: 'succeeded' | 'failed' }
  | { field: 'CustomerName' | 'Action' | 'PartnerUser'; match: TextMatch };

/** Partner Center's `filter` JSON, with what each field of the activity log allows. */
export function parseActivityFilter(raw: string): ParsedFilter {
  const { field, operator, value } = parseFilter(raw, FILTER_FIELDS, FILTER_OPERATORS);
  if (field === 'CustomerId' || field === 'Status') {
    if (operator !== 'equals')
      throw invalidFilter({ field: 'filter.Operator', reason: `${field} supports only equals` });
    if (field === 'CustomerId') {
      if (!UUID.test(value))
        throw invalidFilter({ field: 'filter.Value', reason: 'must be a customer id (GUID)' });
      return { field, value: value.toLowerCase() };
    }
    const status = value.toLowerCase();
    if (status !== 'succeeded' && status !== 'failed')
      throw invalidFilter({ field: 'filter.Value', reason: 'must be succeeded or failed' });
    return { field, value: status };
  }
  return { field, match: { op: operator, value } };
}

function toQuery(
  partnerId: string,
  filters: ActivityFilters,
  range: { from: Date; to: Date | undefined },
): RecordQuery {
  const q: RecordQuery = { partnerId, from: range.from, to: range.to };
  if (filters.customerId) q.customerId = filters.customerId.toLowerCase();
  if (filters.action) q.actionFamily = filters.action.trim();
  if (filters.status) q.status = filters.status;
  if (filters.q?.trim()) q.text = filters.q.trim();
  if (filters.filter) {
    const f = parseActivityFilter(filters.filter);
    if (f.field === 'CustomerId') {
      // Both ways of naming a customer must agree, or nothing can match.
      if (q.customerId && q.customerId !== f.value)
        throw invalidFilter({ field: 'filter.Value', reason: 'names another customer than customerId' });
      q.customerId = f.value;
    } else if (f.field === 'Status') {
      if (q.status && q.status !== f.value)
        throw invalidFilter({ field: 'filter.Value', reason: 'contradicts the status parameter' });
      q.status = f.value;
    } else if (f.field === 'CustomerName') q.customerName = f.match;
    else if (f.field === 'Action') q.action = f.match;
    else q.partnerUser = f.match;
  }
  return q;
}

/** The filters that make two requests "the same query", for the continuation token's fingerprint. */
function scopeOf(partnerId: string, filters: ActivityFilters) {
  return {
    list: 'auditrecords',
    partnerId,
    startDate: filters.startDate ?? null,
    endDate: filters.endDate ?? null,
    filter: filters.filter ?? null,
    customerId: filters.customerId?.toLowerCase() ?? null,
    action: filters.action ?? null,
    status: filters.status ?? null,
    q: filters.q ?? null,
    order: filters.order ?? 'desc',
  };
}

function toView(row: ActivityRow): AuditRecordView {
  return {
    id: row.id,
    occurredAt: row.occurred_at.toISOString(),
    action: row.action,
    status: row.status,
    resourceType: row.resource_type,
    resourceId: row.resource_id,
    customer: row.customer_id ? { id: row.customer_id, name: row.customer_name ?? '' } : null,
    partnerUser: { kind: row.actor_kind, id: row.actor_id, name: row.actor_name },
    additionalInformation: row.details ?? {},
    requestId: row.request_id,
    correlationId: row.correlation_id,
    attributes: { objectType: 'AuditRecord' },
  };
}

function toCsvRow(row: ActivityRow): CsvCell[] {
  const details = row.details && Object.keys(row.details).length > 0 ? JSON.stringify(row.details) : '';
  return [row.customer_name ?? '', row.action, row.actor_name, row.status, details];
}

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

export interface ActivityService {
  list(ctx: CallerContext, filters: ActivityFilters, page: PageRequest): Promise<Page<AuditRecordView>>;
  /** Validates the filters, then streams the CSV document in keyset batches (each its own short transaction). */
  exportCsv(ctx: CallerContext, filters: ActivityFilters): Promise<{ filename: string; stream: Readable }>;
}

export function createActivityService(deps: { db: Db; clock: Clock }): ActivityService {
  const { db, clock } = deps;

  return {
    async list(ctx, filters, page) {
      const scope = scopeOf(ctx.partnerId, filters);
      // The cursor carries the resolved range, so "the last month up to now" means the same on every page.
      const cursor = decodeCursor(page.cursor, scope, 4);
      let range: { from: Date; to: Date | undefined };
      let position: RecordPosition | undefined;
      if (cursor) {
        const [at, id, from, to] = cursor;
        if (
          !isCursorInstant(at, 6) ||
          typeof id !== 'string' ||
          !UUID.test(id) ||
          !isCursorInstant(from, 3) ||
          (to !== null && !isCursorInstant(to, 3))
        )
          throw new AppError('invalidContinuationToken');
        range = { from: new Date(from), to: to === null ? undefined : new Date(to) };
        position = { at, id };
      } else range = resolveRange(filters, clock.now());
      const query = toQuery(ctx.partnerId, filters, range);
      const order = filters.order ?? 'desc';
      return inPartnerTransaction(db, ctx.partnerId, (trx) =>
        pageOf(
          page.size,
          scope,
          (limit) => findRecords(trx, query, position, limit, order),
          (row) => [row.position_at, row.id, range.from.toISOString(), range.to?.toISOString() ?? null],
          toView,
          () => countRecords(trx, query),
        ),
      );
    },

    async exportCsv(ctx, filters) {
      const now = clock.now();
      const range = resolveRange(filters, now);
      const query = toQuery(ctx.partnerId, filters, range);
      const order = filters.order ?? 'desc';
      const rows = await keysetRows(
        (last: ActivityRow | undefined, limit) =>
          inPartnerTransaction(db, ctx.partnerId, (trx) =>
            findRecords(trx, query, last && { at: last.position_at, id: last.id }, limit, order),
          ),
        toCsvRow,
      );
      const lastDay = range.to ? new Date(range.to.getTime() - 1) : now;
      return {
        filename: `activity-log-${isoDay(range.from)}-${isoDay(lastDay)}.csv`,
        stream: csvStream(CSV_COLUMNS, rows),
      };
    },
  };
}
