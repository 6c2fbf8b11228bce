// Shapes of the activity log API (`/v1/auditrecords`), after Partner Center's audit records: a date range,
// its JSON `filter` or simpler query parameters, and cursor paging.
import { Type } from 'typebox';
import { Attributes, Collection, DateTime, PageQuery, Uuid } from '../../http/schemas.ts';

const ErrorRef = Type.Ref('Error');

export const ACTOR_KINDS = ['partnerUser', 'apiToken', 'operator', 'system', 'customer'] as const;
export const RECORD_STATUSES = ['succeeded', 'failed'] as const;
export const FILTER_FIELDS = ['CustomerId', 'CustomerName', 'Action', 'Status', 'PartnerUser'] as const;
export const FILTER_OPERATORS = ['equals', 'starts_with', 'substring'] as const;
export const SORT_ORDERS = ['desc', 'asc'] as const;

const literals = <T extends string>(values: readonly T[], description?: string) =>
  Type.Union(
    values.map((v) => Type.Literal(v)),
    description ? { description } : {},
  );

const DateParam = (description: string) =>
  Type.String({
    maxLength: 40,
    description,
    examples: ['2026-11-01', '2026-11-01T08:00:00Z'],
  });

const filterFilters = {
  startDate: Type.Optional(
    DateParam(
      'First day (YYYY-MM-DD, from 00:00 UTC) or instant (ISO 8601 date-time). Default: one month before endDate.',
    ),
  ),
  endDate: Type.Optional(
    DateParam(
      'Last day (YYYY-MM-DD, the whole day in UTC) or the instant before which records end. Default: now.',
    ),
  ),
  filter: Type.Optional(
    Type.String({
      maxLength: 1000,
      description:
        'Partner Center filter as JSON: {"Field":"CustomerId|CustomerName|Action|Status|PartnerUser","Value":"…","Operator":"equals|starts_with|substring"}',
      examples: ['{"Field":"Action","Value":"partnerUser.","Operator":"starts_with"}'],
    }),
  ),
  customerId: Type.Optional(Uuid),
  action: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 100,
      description: 'An action (`partnerUser.create`) or an action family (`partnerUser`)',
    }),
  ),
  status: Type.Optional(literals(RECORD_STATUSES)),
  q: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 200,
      description: 'Text found in the customer name, the action or the partner user (case-insensitive)',
    }),
  ),
  order: Type.Optional(
    literals(SORT_ORDERS, 'By time: `desc` newest first (the default), `asc` oldest first; ties by id'),
  ),
};

export const AuditQuery = Type.Object({ ...filterFilters, ...PageQuery }, { additionalProperties: false });
export const AuditExportQuery = Type.Object(filterFilters, { additionalProperties: false });

export const AuditRecordSchema = Type.Object({
  id: Uuid,
  occurredAt: DateTime,
  action: Type.String({ description: 'Dotted verb, e.g. `partnerUser.create`' }),
  status: literals(RECORD_STATUSES),
  resourceType: Type.String(),
  resourceId: Type.Union([Type.String(), Type.Null()]),
  customer: Type.Union([Type.Object({ id: Uuid, name: Type.String() }), Type.Null()], {
    description: 'The affected customer, if any',
  }),
  partnerUser: Type.Object(
    {
      kind: literals(ACTOR_KINDS),
      id: Type.Union([Uuid, Type.Null()]),
      name: Type.String(),
    },
    { description: 'Who did it: a partner user, an API token (named after its user), the operator, a job' },
  ),
  additionalInformation: Type.Object(
    {},
    { additionalProperties: true, description: 'Details, e.g. before/after' },
  ),
  requestId: Type.Union([Type.String(), Type.Null()]),
  correlationId: Type.Union([Type.String(), Type.Null()]),
  attributes: Attributes('AuditRecord', false),
});

export const AuditRecords = Collection(AuditRecordSchema);

export const listSchema = {
  tags: ['Activity log'],
  summary: 'Activity log records, newest (or oldest) first',
  description:
    'Records in a date range (default: the last month), filtered by a Partner Center `filter` and/or the ' +
    'simple parameters (all combine with AND), newest first or with `order=asc` oldest first. Paged with ' +
    '`size` and `continuationToken` (bound to the filters and the order); pages stay stable while new ' +
    'records are written. A range may span at most one year.',
  querystring: AuditQuery,
  response: { 200: AuditRecords, 400: ErrorRef, 401: ErrorRef, 403: ErrorRef },
};

export const exportSchema = {
  tags: ['Activity log'],
  summary: 'Export the activity log as CSV',
  description:
    'The records the same filters select, as CSV with the columns ' +
    '`Affected customer,Action,Partner user,Status,Additional information`, newest first (`order=asc`: ' +
    'oldest first), streamed.',
  querystring: AuditExportQuery,
  produces: ['text/csv'],
  response: {
    200: Type.String({ description: 'CSV document (text/csv)' }),
    400: ErrorRef,
    401: ErrorRef,
    403: ErrorRef,
  },
};
