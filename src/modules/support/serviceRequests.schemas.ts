// Request and response shapes of support service requests (/v1/servicerequests, and a customer's under
// /v1/customers/{customerId}/servicerequests), their support topics, summary and attachments.
import { Type } from 'typebox';
import { Attributes, Collection, DateTime, Uuid, pageQuery } from '../../http/schemas.ts';
import { errors } from '../partners/partners.schemas.ts';
import { MAX_ATTACHMENTS_PER_REQUEST } from './attachments.check.ts';

export { errors };

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const SEVERITIES = ['critical', 'moderate', 'minimal'] as const;
export const STATUSES = ['open', 'attentionNeeded', 'closed'] as const;
export const EVENT_KINDS = [
  'created',
  'note',
  'statusChanged',
  'severityChanged',
  'reassigned',
  'contactChanged',
  'attachmentAdded',
] as const;
/** Attachments sent inline (base64) with a new request; more go through the upload route one by one. */
export const MAX_INLINE_ATTACHMENTS = 3;
export const MAX_TITLE = 200;
export const MAX_DESCRIPTION = 10_000;
export const MAX_NOTE = 5000;
export const MAX_QUERY_TEXT = 100;

export const RULES = {
  responseTargets:
    'First response targets by severity: critical 2 hours, moderate 4 hours, minimal 8 hours by default (as ' +
    'configured when the response clock started; GET /v1/servicerequests/settings tells the current ones). ' +
    'The clock starts when the request is made and again when it is reopened; the first note, status change ' +
    'or close after that is the first response, whoever makes it.',
  overdue:
    'Overdue (isOverdue): not closed, no first response since the response clock started, and ' +
    'firstResponseDueDate has passed. Worked out when read, never stored.',
  closed:
    'A closed request is read-only: the only change it takes is a reopen, PATCH {"status":"open"} (with a ' +
    'newNote if you like); anything else, and uploading a file to it, is a 409 serviceRequestClosed.',
  reopen:
    'A request can be reopened within the reopen window (30 days after it was closed by default; 409 ' +
    'serviceRequestReopenExpired after) while you have an active reseller relationship with the customer ' +
    '(403, code 20002, otherwise). Reopening restarts the response clock; a note sent with the reopen does not ' +
    'count as its response.',
  attachments:
    'Allowed files (the declared Content-Type, then the file name’s extension, then the content): PNG (.png), ' +
    'JPEG (.jpg, .jpeg), GIF (.gif), PDF (.pdf), ZIP (.zip), Word, Excel and PowerPoint documents (.docx, ' +
    '.xlsx, .pptx), plain text (.txt, .log), CSV (.csv), JSON (.json) and e-mail messages (message/rfc822, ' +
    '.eml); the text types must be UTF-8 without NUL bytes. Anything else (HTML, SVG, scripts, ' +
    'application/octet-stream, …) is refused with 400 attachmentNotAllowed naming the field (contentType, ' +
    'fileName or content). A file larger than the limit (5 MB by default; GET /v1/servicerequests/settings ' +
    `tells it) is a 413 attachmentTooLarge; at most ${MAX_ATTACHMENTS_PER_REQUEST} files per request (409 ` +
    'attachmentLimitReached).',
  ids:
    'The id in the path is the request’s GUID or its reference number (SR-000042; sr-42 works too). Any other ' +
    'id, or another partner’s request, is a 404 serviceRequestNotFound.',
};

// ── params and queries ──

// No format: a malformed id is simply not found (404), never a 400.
export const RequestParams = Type.Object({
  id: Type.String({ description: 'The request’s GUID or its reference number (SR-000042 or sr-42)' }),
});
export const AttachmentParams = Type.Object({
  id: Type.String({ description: 'The request’s GUID or its reference number (SR-000042 or sr-42)' }),
  attachmentId: Type.String({ description: 'The attachment’s GUID' }),
});
export const CustomerParams = Type.Object({ customerId: Uuid });

const listFilters = {
  status: Type.Optional(
    Type.Array(Type.String({ maxLength: 200 }), {
      maxItems: 20,
      description: 'open, attentionNeeded, closed: repeated (status=open&status=closed) or comma-separated',
    }),
  ),
  severity: Type.Optional(
    Type.Array(Type.String({ maxLength: 200 }), {
      maxItems: 20,
      description: 'critical, moderate, minimal: repeated or comma-separated',
    }),
  ),
  overdue: Type.Optional(
    Type.Boolean({ description: 'true: only overdue requests; false: only those that are not' }),
  ),
  assignedTo: Type.Optional(
    Type.String({
      maxLength: 100,
      description: '`me` (assigned to you), `unassigned`, or a partner user’s GUID',
    }),
  ),
  q: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: MAX_QUERY_TEXT,
      description:
        'Text in the title or the organization’s name (any case), or a reference number (SR-42, SR-000042 or 42)',
    }),
  ),
};

export const CustomerRequestsQuery = Type.Object({ ...pageQuery(), ...listFilters });
export const RequestsQuery = Type.Object({
  ...pageQuery(),
  ...listFilters,
  customerId: Type.Optional(Type.String({ format: 'uuid', description: 'Only this customer’s requests' })),
});

// ── bodies ──

const ContactBody = Type.Object(
  {
    firstName: Type.String({ minLength: 1, maxLength: 100 }),
    lastName: Type.String({ minLength: 1, maxLength: 100 }),
    email: Type.String({ minLength: 3, maxLength: 254, description: 'An e-mail address' }),
    phoneNumber: Type.Optional(Nullable(Type.String({ maxLength: 40 }))),
  },
  { additionalProperties: false, description: 'The customer’s contact for this request' },
);

const AssignedToBody = Nullable(
  Type.String({
    format: 'uuid',
    description:
      'An active partner user of yours whose roles allow managing support requests (Global admin, Admin ' +
      'agent, Helpdesk agent); null: nobody',
  }),
);

export const InlineAttachment = Type.Object(
  {
    // No length limits here: the attachment check refuses a long name or an unknown type with its own code.
    fileName: Type.String({ description: 'At most 255 characters, with the extension its type requires' }),
    contentType: Type.String({ description: 'One of the allowed types' }),
    content: Type.String({ description: 'The file, base64-encoded' }),
  },
  { additionalProperties: false },
);

export const CreateRequestBody = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: MAX_TITLE, description: '1–200 characters, not blank' }),
    description: Type.String({ minLength: 1, maxLength: MAX_DESCRIPTION, description: '1–10000 characters' }),
    severity: Type.Enum([...SEVERITIES], { description: 'Sets the first response target' }),
    supportTopicId: Type.String({
      maxLength: 64,
      description: 'One of GET /v1/servicerequests/supporttopics',
    }),
    subscriptionId: Type.Optional(
      Type.String({
        format: 'uuid',
        description:
          'One of the customer’s subscriptions with you (any status); sets productId and productName from it',
      }),
    ),
    productId: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        description: 'An offer of the catalog; with subscriptionId it must be that subscription’s offer',
      }),
    ),
    primaryContact: ContactBody,
    assignedTo: Type.Optional(AssignedToBody),
    attachments: Type.Optional(
      Type.Array(InlineAttachment, {
        maxItems: MAX_INLINE_ATTACHMENTS,
        description: `Up to ${MAX_INLINE_ATTACHMENTS} files sent with the request; add more later one by one`,
      }),
    ),
    // A request read back and sent whole carries these; they are not compared.
    attributes: Type.Optional(Type.Unknown({ description: 'Ignored' })),
  },
  { additionalProperties: false },
);

export const UpdateRequestBody = Type.Object(
  {
    status: Type.Optional(
      Type.Enum([...STATUSES], {
        description:
          'open ↔ attentionNeeded (waiting on the customer); either → closed; closed → open reopens',
      }),
    ),
    severity: Type.Optional(
      Type.Enum([...SEVERITIES], {
        description: 'Before the first response it also moves the due time (from when the clock started)',
      }),
    ),
    primaryContact: Type.Optional(ContactBody),
    assignedTo: Type.Optional(AssignedToBody),
    newNote: Type.Optional(
      Type.Object(
        { text: Type.String({ minLength: 1, maxLength: MAX_NOTE, description: '1–5000 characters' }) },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);

// ── responses ──

export const SupportTopicSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  attributes: Type.Object({ objectType: Type.Literal('SupportTopic') }),
});
export const SupportTopicList = Collection(SupportTopicSchema);

const ContactSchema = Type.Object({
  firstName: Type.String(),
  lastName: Type.String(),
  email: Type.String(),
  phoneNumber: Nullable(Type.String()),
});

const PartnerPersonSchema = Type.Object({
  contactId: Nullable(Uuid),
  name: Type.String({ description: 'The partner user’s display name' }),
  email: Nullable(Type.String({ description: 'The partner user’s user name' })),
});

export const FileLinkSchema = Type.Object({
  id: Uuid,
  fileName: Type.String(),
  contentType: Type.String({
    description: 'The type declared when it was uploaded, in lower case and without parameters (image/png)',
  }),
  sizeBytes: Type.Integer(),
  createdDate: DateTime,
  createdByName: Type.String(),
  links: Type.Object({
    self: Type.Object({ uri: Type.String(), method: Type.Literal('GET') }),
  }),
});

const NoteSchema = Type.Object({
  id: Type.String(),
  createdByName: Type.String(),
  createdDate: DateTime,
  text: Type.String(),
});

const HistoryEntrySchema = Type.Object({
  id: Type.String(),
  kind: Type.Enum([...EVENT_KINDS]),
  date: DateTime,
  actorName: Type.String(),
  text: Nullable(Type.String({ description: 'A note’s text' })),
  from: Nullable(Type.String({ description: 'statusChanged, severityChanged, reassigned (a name)' })),
  to: Nullable(Type.String({ description: 'statusChanged, severityChanged, reassigned (a name)' })),
  attachmentId: Nullable(Type.String()),
  fileName: Nullable(Type.String()),
});

const itemProperties = {
  id: Uuid,
  referenceNumber: Type.String({ description: 'SR- and the partner’s number for it, e.g. SR-000042' }),
  title: Type.String(),
  description: Type.String(),
  severity: Type.Enum([...SEVERITIES]),
  status: Type.Enum([...STATUSES]),
  supportTopicId: Type.String(),
  supportTopicName: Type.String(),
  organization: Type.Object({
    id: Uuid,
    name: Type.String({ description: 'The customer’s name when the request was made' }),
    phoneNumber: Nullable(Type.String()),
  }),
  customerId: Uuid,
  primaryContact: ContactSchema,
  createdBy: PartnerPersonSchema,
  lastUpdatedBy: PartnerPersonSchema,
  assignedTo: Nullable(PartnerPersonSchema),
  subscriptionId: Nullable(Uuid),
  productId: Nullable(Type.String()),
  productName: Nullable(Type.String()),
  countryCode: Type.String(),
  createdDate: DateTime,
  lastModifiedDate: DateTime,
  lastClosedDate: Nullable(DateTime),
  responseTargetMinutes: Type.Integer({ description: 'The first response target this request is held to' }),
  firstResponseDueDate: DateTime,
  firstResponseDate: Nullable(DateTime),
  isOverdue: Type.Boolean({ description: RULES.overdue }),
  reopenCount: Type.Integer(),
  noteCount: Type.Integer(),
  attachmentCount: Type.Integer(),
  attributes: Attributes('ServiceRequest'),
};

export const ServiceRequestItemSchema = Type.Object(itemProperties);
export const ServiceRequestSchema = Type.Object({
  ...itemProperties,
  fileLinks: Type.Array(FileLinkSchema, { description: 'Oldest first' }),
  notes: Type.Array(NoteSchema, { description: 'Oldest first' }),
  history: Type.Array(HistoryEntrySchema, { description: 'Every change, oldest first' }),
});
export const ServiceRequestList = Collection(ServiceRequestItemSchema);

export const SummarySchema = Type.Object({
  open: Type.Integer({ description: 'Requests with status open' }),
  attentionNeeded: Type.Integer({ description: 'Requests waiting on the customer' }),
  overdue: Type.Integer(),
  closedLast30Days: Type.Integer(),
  overdueBySeverity: Type.Object({
    critical: Type.Integer(),
    moderate: Type.Integer(),
    minimal: Type.Integer(),
  }),
  oldestOverdue: Nullable(
    Type.Object({
      id: Uuid,
      referenceNumber: Type.String(),
      title: Type.String(),
      firstResponseDueDate: DateTime,
    }),
  ),
  attributes: Type.Object({ objectType: Type.Literal('ServiceRequestSummary') }),
});

export const SettingsSchema = Type.Object({
  responseTargetMinutes: Type.Object(
    { critical: Type.Integer(), moderate: Type.Integer(), minimal: Type.Integer() },
    { description: 'The first response target of a request made now, by severity, in minutes' },
  ),
  attachmentMaxBytes: Type.Integer({ description: 'The largest file accepted, in bytes' }),
  maxAttachmentsPerRequest: Type.Integer({ description: 'Files one request can have in all' }),
  maxAttachmentsAtCreate: Type.Integer({ description: 'Files that can be sent inline with a new request' }),
  reopenDays: Type.Integer({ description: 'Days after closing during which a request can be reopened' }),
  allowedAttachmentTypes: Type.Array(
    Type.Object({
      contentType: Type.String({ description: 'The Content-Type a file of this type is sent with' }),
      extensions: Type.Array(Type.String(), {
        description: 'The file name must end in one of these (any case), e.g. .jpg',
      }),
    }),
    { description: 'The only file types accepted; the content is checked against the type as well' },
  ),
  attributes: Type.Object({ objectType: Type.Literal('ServiceRequestSettings') }),
});
