// Support service requests (PRODUCT.md feature 11): requests a partner keeps for its customers, numbered per
// partner (SR-000042), with a first-response target per severity, a timeline of notes and changes, and files.
// The app clock decides every time (creation, due times, overdue), never the database's, so that a controlled
// clock can drive them. A request is changed under its row lock, so concurrent changes apply one after another
// and each sees the last one's version.
import { createHash, randomUUID } from 'node:crypto';
import type { Config } from '../../config.ts';
import type { Db, Trx } from '../../db/database.ts';
import { inPartnerTransaction } from '../../db/database.ts';
import type { ServiceRequestSeverity, ServiceRequestStatus } from '../../db/schema.ts';
import { etagOf, ifMatchVersion } from '../../http/etag.ts';
import { claimStreamedRequest } from '../../http/idempotency.plugin.ts';
import type { Clock } from '../../lib/clock.ts';
import type { CallerContext } from '../../lib/context.ts';
import { actorOf } from '../../lib/context.ts';
import type { FieldIssue } from '../../lib/errors.ts';
import { AppError, invalid } from '../../lib/errors.ts';
import type { Page, PageRequest } from '../../lib/paging.ts';
import { decodeCreatedCursor, pageOf } from '../../lib/paging.ts';
import { isEmail } from '../../lib/text.ts';
import type { ActivityEntry } from '../activity/activity.record.ts';
import { recordAllAs } from '../activity/activity.record.ts';
import { allows } from '../partners/roles.ts';
import type { CustomerAccess } from '../subscriptions/subscriptions.access.ts';
import { assertActiveRelationship, customerForRead } from '../subscriptions/subscriptions.access.ts';
import {
  ALLOWED_ATTACHMENT_TYPES,
  MAX_ATTACHMENTS_PER_REQUEST,
  checkAttachment,
  servedContentType,
} from './attachments.check.ts';
import * as repo from './serviceRequests.repository.ts';
import type {
  AttachmentMeta,
  EventRow,
  NewEvent,
  RequestKey,
  RequestRow,
  RequestViewRow,
} from './serviceRequests.repository.ts';
import { MAX_INLINE_ATTACHMENTS, SEVERITIES, STATUSES } from './serviceRequests.schemas.ts';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
/** How far back the summary counts closed requests. */
const CLOSED_RECENTLY_DAYS = 30;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_NUMBER = 2_147_483_647;

// ── views ──

export interface SupportTopicView {
  id: string;
  name: string;
  description: string;
  attributes: { objectType: 'SupportTopic' };
}

export interface ContactView {
  firstName: string;
  lastName: string;
  email: string;
  phoneNumber: string | null;
}

/** A partner user as a request names it: email is the user name. */
export interface PartnerPersonView {
  contactId: string | null;
  name: string;
  email: string | null;
}

export interface FileLinkView {
  id: string;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  createdDate: string;
  createdByName: string;
  links: { self: { uri: string; method: 'GET' } };
}

export interface NoteView {
  id: string;
  createdByName: string;
  createdDate: string;
  text: string;
}

export interface HistoryEntryView {
  id: string;
  kind: EventRow['kind'];
  date: string;
  actorName: string;
  text: string | null;
  from: string | null;
  to: string | null;
  attachmentId: string | null;
  fileName: string | null;
}

export interface ServiceRequestItemView {
  id: string;
  referenceNumber: string;
  title: string;
  description: string;
  severity: ServiceRequestSeverity;
  status: ServiceRequestStatus;
  supportTopicId: string;
  supportTopicName: string;
  organization: { id: string; name: string; phoneNumber: string | null };
  customerId: string;
  primaryContact: ContactView;
  createdBy: PartnerPersonView;
  lastUpdatedBy: PartnerPersonView;
  assignedTo: PartnerPersonView | null;
  subscriptionId: string | null;
  productId: string | null;
  productName: string | null;
  countryCode: string;
  createdDate: string;
  lastModifiedDate: string;
  lastClosedDate: string | null;
  responseTargetMinutes: number;
  firstResponseDueDate: string;
  firstResponseDate: string | null;
  isOverdue: boolean;
  reopenCount: number;
  noteCount: number;
  attachmentCount: number;
  attributes: { objectType: 'ServiceRequest'; etag: string };
}

export interface ServiceRequestView extends ServiceRequestItemView {
  fileLinks: FileLinkView[];
  notes: NoteView[];
  history: HistoryEntryView[];
}

export interface SummaryView {
  open: number;
  attentionNeeded: number;
  overdue: number;
  closedLast30Days: number;
  overdueBySeverity: Record<ServiceRequestSeverity, number>;
  oldestOverdue: { id: string; referenceNumber: string; title: string; firstResponseDueDate: string } | null;
  attributes: { objectType: 'ServiceRequestSummary' };
}

/** The installation's rules a form names before a request exists. */
export interface SettingsView {
  responseTargetMinutes: Record<ServiceRequestSeverity, number>;
  attachmentMaxBytes: number;
  maxAttachmentsPerRequest: number;
  maxAttachmentsAtCreate: number;
  reopenDays: number;
  allowedAttachmentTypes: { contentType: string; extensions: string[] }[];
  attributes: { objectType: 'ServiceRequestSettings' };
}

// ── inputs ──

export interface ContactInput {
  firstName: string;
  lastName: string;
  email: string;
  phoneNumber?: string | null;
}

export interface CreateInput {
  title: string;
  description: string;
  severity: ServiceRequestSeverity;
  supportTopicId: string;
  subscriptionId?: string;
  productId?: string;
  primaryContact: ContactInput;
  assignedTo?: string | null;
  /** Files sent with the request, each base64-encoded. */
  attachments?: { fileName: string; contentType: string; content: string }[];
}

export interface UpdateInput {
  status?: ServiceRequestStatus;
  severity?: ServiceRequestSeverity;
  primaryContact?: ContactInput;
  assignedTo?: string | null;
  newNote?: { text: string };
}

/** List filters as sent: statuses and severities repeated or comma-separated; checked here. */
export interface ListQuery {
  status?: string[];
  severity?: string[];
  customerId?: string;
  overdue?: boolean;
  /** `me`, `unassigned` or a partner user's id. */
  assignedTo?: string;
  q?: string;
}

/** An upload's MS-RequestId and what it was sent to. */
export interface UploadRequest {
  requestId: string;
  method: string;
  path: string;
}

export interface ServiceRequestsService {
  topics(ctx: CallerContext): Promise<SupportTopicView[]>;
  summary(ctx: CallerContext): Promise<SummaryView>;
  /** The configured response targets and file rules; the same for every partner of this installation. */
  settings(): SettingsView;
  create(ctx: CallerContext, customerId: string, input: CreateInput): Promise<ServiceRequestView>;
  list(ctx: CallerContext, query: ListQuery, page: PageRequest): Promise<Page<ServiceRequestItemView>>;
  listForCustomer(
    ctx: CallerContext,
    customerId: string,
    query: ListQuery,
    page: PageRequest,
  ): Promise<Page<ServiceRequestItemView>>;
  get(ctx: CallerContext, idOrNumber: string): Promise<ServiceRequestView>;
  /**
   * `ifMatch`: the If-Match header as sent (optional), compared with the request's ETag under its lock, whichever
   * way the path names it: stale → 412 with the request as it is now.
   */
  update(
    ctx: CallerContext,
    idOrNumber: string,
    input: UpdateInput,
    ifMatch?: string,
  ): Promise<ServiceRequestView>;
  /**
   * With `repeat` (the upload's MS-RequestId), the same file sent again with the same id answers the file it
   * stored the first time (`replayed`), and another file with that id is a 409 requestIdReused.
   */
  addAttachment(
    ctx: CallerContext,
    idOrNumber: string,
    file: { fileName: string; contentType: string; bytes: Buffer },
    repeat?: UploadRequest,
  ): Promise<{ fileLink: FileLinkView; replayed: boolean }>;
  /** A file to download, with the content type it is served as. */
  attachment(
    ctx: CallerContext,
    idOrNumber: string,
    attachmentId: string,
  ): Promise<{ fileName: string; contentType: string; bytes: Buffer }>;
}

export function referenceNumber(n: number): string {
  return `SR-${String(n).padStart(6, '0')}`;
}

/** A path id as a key: a GUID, or a reference number (SR-000042, sr-42); anything else names no request. */
export function requestKey(idOrNumber: string): RequestKey | undefined {
  if (UUID.test(idOrNumber)) return { id: idOrNumber.toLowerCase() };
  const m = /^sr-(\d{1,10})$/i.exec(idOrNumber);
  const n = m ? Number(m[1]) : 0;
  return n >= 1 && n <= MAX_NUMBER ? { number: n } : undefined;
}

/** The resource id the ETag is made of. */
export const requestEtagId = (id: string) => `servicerequest:${id.toLowerCase()}`;

export const requestUri = (id: string) => `/v1/servicerequests/${id}`;
const attachmentUri = (requestId: string, id: string) => `${requestUri(requestId)}/attachments/${id}`;

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const str = (v: unknown) => (typeof v === 'string' ? v : null);

function isOverdue(row: RequestRow, now: Date): boolean {
  return row.status !== 'closed' && row.first_response_at === null && row.response_due_at <= now;
}

function fileLinkView(a: AttachmentMeta): FileLinkView {
  return {
    id: a.id,
    fileName: a.file_name,
    contentType: a.content_type,
    sizeBytes: a.size_bytes,
    createdDate: a.created_at.toISOString(),
    createdByName: a.created_by_name,
    links: { self: { uri: attachmentUri(a.request_id, a.id), method: 'GET' } },
  };
}

function historyView(e: EventRow): HistoryEntryView {
  const d = e.details ?? {};
  return {
    id: String(e.id),
    kind: e.kind,
    date: e.occurred_at.toISOString(),
    actorName: e.actor_name,
    text: e.text,
    from: str(d.from),
    to: str(d.to),
    attachmentId: str(d.attachmentId),
    fileName: str(d.fileName),
  };
}

export function itemView(row: RequestViewRow, now: Date): ServiceRequestItemView {
  return {
    id: row.id,
    referenceNumber: referenceNumber(row.number),
    title: row.title,
    description: row.description,
    severity: row.severity,
    status: row.status,
    supportTopicId: row.support_topic_id,
    supportTopicName: row.topic_name,
    organization: { id: row.customer_id, name: row.organization_name, phoneNumber: row.organization_phone },
    customerId: row.customer_id,
    primaryContact: {
      firstName: row.contact_first_name,
      lastName: row.contact_last_name,
      email: row.contact_email,
      phoneNumber: row.contact_phone,
    },
    createdBy: { contactId: row.created_by_id, name: row.created_by_name, email: row.created_by_email },
    lastUpdatedBy: {
      contactId: row.last_updated_by_id,
      name: row.last_updated_by_name,
      email: row.last_updated_by_email,
    },
    assignedTo: row.assigned_to_id
      ? { contactId: row.assigned_to_id, name: row.assigned_to_name ?? '', email: row.assigned_to_email }
      : null,
    subscriptionId: row.subscription_id,
    productId: row.product_id,
    productName: row.product_name,
    countryCode: row.country_code,
    createdDate: row.created_at.toISOString(),
    lastModifiedDate: row.updated_at.toISOString(),
    lastClosedDate: iso(row.last_closed_at),
    responseTargetMinutes: Math.round(
      (row.response_due_at.getTime() - row.response_clock_started_at.getTime()) / MINUTE_MS,
    ),
    firstResponseDueDate: row.response_due_at.toISOString(),
    firstResponseDate: iso(row.first_response_at),
    isOverdue: isOverdue(row, now),
    reopenCount: row.reopen_count,
    noteCount: row.note_count,
    attachmentCount: row.attachment_count,
    attributes: { objectType: 'ServiceRequest', etag: etagOf(requestEtagId(row.id), row.version) },
  };
}

/** The contact trimmed, with an issue for each field that is blank or not an e-mail address. */
function checkContact(c: ContactInput, issues: FieldIssue[]): ContactView {
  const contact = {
    firstName: c.firstName.trim(),
    lastName: c.lastName.trim(),
    email: c.email.trim(),
    phoneNumber: c.phoneNumber?.trim() || null,
  };
  if (!contact.firstName) issues.push({ field: 'primaryContact.firstName', reason: 'must not be blank' });
  if (!contact.lastName) issues.push({ field: 'primaryContact.lastName', reason: 'must not be blank' });
  if (!isEmail(contact.email))
    issues.push({
      field: 'primaryContact.email',
      reason: 'must be an e-mail address, like name@example.com',
    });
  return contact;
}

const sameContact = (c: ContactView, row: RequestRow) =>
  c.firstName === row.contact_first_name &&
  c.lastName === row.contact_last_name &&
  c.email === row.contact_email &&
  c.phoneNumber === row.contact_phone;

/** Base64 as RFC 4648 writes it (line breaks allowed); undefined when it is not. */
function decodeBase64(text: string): Buffer | undefined {
  const compact = text.replace(/[\r\n\t ]+/g, '');
  if (compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return undefined;
  return Buffer.from(compact, 'base64');
}

/** The values `sent`, repeated or comma-separated, each one of `allowed` (in any case). */
function oneOf<T extends string>(
  sent: readonly string[] | undefined,
  allowed: readonly T[],
  field: string,
  issues: FieldIssue[],
): T[] | undefined {
  if (!sent) return undefined;
  const out = new Set<T>();
  for (const piece of sent.flatMap((v) => v.split(','))) {
    const value = piece.trim();
    if (value === '') continue;
    const known = allowed.find((a) => a.toLowerCase() === value.toLowerCase());
    if (known) out.add(known);
    else
      issues.push({
        field,
        reason: `${JSON.stringify(value.slice(0, 50))} is not one of ${allowed.join(', ')}`,
      });
  }
  return out.size > 0 ? [...out].sort() : undefined;
}

interface Person {
  id: string;
  name: string;
}

export function createServiceRequestsService(deps: {
  db: Db;
  clock: Clock;
  config: Config['support'];
  customers: CustomerAccess;
  /** How long an upload's MS-RequestId is remembered. */
  idempotencyTtlHours: number;
}): ServiceRequestsService {
  const { db, clock, config, customers, idempotencyTtlHours } = deps;
  const notFound = () => new AppError('serviceRequestNotFound');
  const target = (severity: ServiceRequestSeverity) => config.responseTargetMinutes[severity] * MINUTE_MS;

  /** The caller as requests name it: its display name. */
  async function caller(trx: Trx, ctx: CallerContext): Promise<Person> {
    const me = await repo.partnerUser(trx, ctx.partnerId, ctx.userId);
    return { id: ctx.userId, name: me?.display_name ?? ctx.userName };
  }

  /** The partner user a request may be assigned to, or an issue saying why not. */
  async function assignee(trx: Trx, ctx: CallerContext, userId: string): Promise<Person | FieldIssue> {
    const field = 'assignedTo';
    const user = await repo.partnerUser(trx, ctx.partnerId, userId.toLowerCase());
    if (!user) return { field, reason: 'is not one of your partner users' };
    if (user.state !== 'active') return { field, reason: `${user.user_name} is deactivated` };
    if (!allows(user.roles, 'support.manage'))
      return {
        field,
        reason:
          `${user.user_name} cannot work on service requests: assign a Global admin, Admin agent or ` +
          'Helpdesk agent',
      };
    return { id: user.id, name: user.display_name };
  }

  async function lockOrNotFound(trx: Trx, ctx: CallerContext, idOrNumber: string): Promise<RequestRow> {
    const key = requestKey(idOrNumber);
    const row = key ? await repo.lockRequest(trx, ctx.partnerId, key) : undefined;
    if (!row) throw notFound();
    return row;
  }

  async function fullView(trx: Trx, ctx: CallerContext, key: RequestKey): Promise<ServiceRequestView> {
    const row = await repo.requestView(trx, ctx.partnerId, key);
    if (!row) throw notFound();
    const [events, files] = await Promise.all([repo.eventsOf(trx, row.id), repo.attachmentsOf(trx, row.id)]);
    return {
      ...itemView(row, clock.now()),
      fileLinks: files.map(fileLinkView),
      notes: events
        .filter((e) => e.kind === 'note')
        .map((e) => ({
          id: String(e.id),
          createdByName: e.actor_name,
          createdDate: e.occurred_at.toISOString(),
          text: e.text ?? '',
        })),
      history: events.map(historyView),
    };
  }

  function activities(trx: Trx, ctx: CallerContext, row: RequestRow, entries: readonly ActivityEntry[]) {
    return recordAllAs(
      trx,
      actorOf(ctx),
      entries.map((entry) => ({
        partnerId: ctx.partnerId,
        entry: {
          ...entry,
          resourceType: 'serviceRequest',
          resourceId: row.id,
          customer: { id: row.customer_id, name: row.organization_name },
          details: { referenceNumber: referenceNumber(row.number), ...entry.details },
        },
      })),
      { requestId: ctx.requestId, correlationId: ctx.correlationId },
    );
  }

  function event(
    row: RequestRow,
    ctx: CallerContext,
    by: Person,
    at: Date,
    e: Pick<NewEvent, 'kind' | 'text' | 'details'>,
  ): NewEvent {
    return {
      request_id: row.id,
      partner_id: row.partner_id,
      occurred_at: at,
      kind: e.kind,
      actor_kind: actorOf(ctx).kind,
      actor_id: by.id,
      actor_name: by.name,
      text: e.text ?? null,
      details: e.details,
    };
  }

  /** Stores a checked file with its timeline event and activity record. */
  async function attach(
    trx: Trx,
    ctx: CallerContext,
    row: RequestRow,
    by: Person,
    at: Date,
    file: ReturnType<typeof checkAttachment>,
    bytes: Buffer,
    id: string = randomUUID(),
  ): Promise<AttachmentMeta> {
    const meta: AttachmentMeta = {
      id,
      request_id: row.id,
      partner_id: row.partner_id,
      file_name: file.fileName,
      content_type: file.contentType,
      size_bytes: file.sizeBytes,
      sha256: file.sha256,
      created_at: at,
      created_by_id: by.id,
      created_by_name: by.name,
    };
    await repo.insertAttachment(trx, { ...meta, content: bytes });
    await repo.insertEvents(trx, [
      event(row, ctx, by, at, {
        kind: 'attachmentAdded',
        details: { attachmentId: meta.id, fileName: meta.file_name },
      }),
    ]);
    await activities(trx, ctx, row, [
      {
        action: 'serviceRequest.attach',
        resourceType: 'serviceRequest',
        details: { fileName: meta.file_name, sizeBytes: meta.size_bytes },
      },
    ]);
    return meta;
  }

  /** The list's filters checked: every bad value is a 400 naming its query parameter. */
  function filters(ctx: CallerContext, query: ListQuery, customerId: string | undefined): repo.RequestQuery {
    const issues: FieldIssue[] = [];
    const statuses = oneOf(query.status, STATUSES, 'querystring.status', issues);
    const severities = oneOf(query.severity, SEVERITIES, 'querystring.severity', issues);
    let assignedTo: string | null | undefined;
    if (query.assignedTo !== undefined) {
      const a = query.assignedTo.trim();
      if (a.toLowerCase() === 'me') assignedTo = ctx.userId;
      else if (a.toLowerCase() === 'unassigned') assignedTo = null;
      else if (UUID.test(a)) assignedTo = a.toLowerCase();
      else
        issues.push({
          field: 'querystring.assignedTo',
          reason: 'must be me, unassigned or a partner user’s GUID',
        });
    }
    let text: string | undefined;
    let number: number | undefined;
    if (query.q !== undefined) {
      text = query.q.trim();
      if (text === '') issues.push({ field: 'querystring.q', reason: 'must not be blank' });
      const m = /^(?:sr-?)?(\d{1,10})$/i.exec(text);
      if (m && Number(m[1]) >= 1 && Number(m[1]) <= MAX_NUMBER) number = Number(m[1]);
    }
    if (issues.length > 0) throw invalid(...issues);
    return {
      partnerId: ctx.partnerId,
      customerId: customerId?.toLowerCase(),
      statuses,
      severities,
      overdue: query.overdue,
      assignedTo,
      text,
      number,
      now: clock.now(),
    };
  }

  async function listPage(
    trx: Trx,
    q: repo.RequestQuery,
    page: PageRequest,
  ): Promise<Page<ServiceRequestItemView>> {
    const scope = {
      list: 'serviceRequests',
      partnerId: q.partnerId,
      customerId: q.customerId ?? null,
      statuses: q.statuses ?? null,
      severities: q.severities ?? null,
      overdue: q.overdue ?? null,
      assignedTo: q.assignedTo === undefined ? '' : q.assignedTo,
      text: q.text ?? null,
    };
    const after = decodeCreatedCursor(page.cursor, scope);
    return pageOf(
      page.size,
      scope,
      (limit) => repo.findRequests(trx, q, after, limit),
      (row) => [row.position_at, row.id],
      (row) => itemView(row, q.now),
      () => repo.countRequests(trx, q),
    );
  }

  return {
    topics: (ctx) =>
      inPartnerTransaction(db, ctx.partnerId, async (trx) =>
        (await repo.topics(trx)).map((t) => ({
          id: t.id,
          name: t.name,
          description: t.description,
          attributes: { objectType: 'SupportTopic' as const },
        })),
      ),

    settings: () => ({
      responseTargetMinutes: { ...config.responseTargetMinutes },
      attachmentMaxBytes: config.attachmentMaxBytes,
      maxAttachmentsPerRequest: MAX_ATTACHMENTS_PER_REQUEST,
      maxAttachmentsAtCreate: MAX_INLINE_ATTACHMENTS,
      reopenDays: config.reopenDays,
      allowedAttachmentTypes: ALLOWED_ATTACHMENT_TYPES.map((t) => ({
        contentType: t.contentType,
        extensions: [...t.extensions],
      })),
      attributes: { objectType: 'ServiceRequestSettings' },
    }),

    summary: (ctx) =>
      inPartnerTransaction(db, ctx.partnerId, async (trx) => {
        const now = clock.now();
        const since = new Date(now.getTime() - CLOSED_RECENTLY_DAYS * DAY_MS);
        const [s, oldest] = await Promise.all([
          repo.summary(trx, ctx.partnerId, now, since),
          repo.oldestOverdue(trx, ctx.partnerId, now),
        ]);
        return {
          open: s.open,
          attentionNeeded: s.attention_needed,
          overdue: s.overdue,
          closedLast30Days: s.closed_recently,
          overdueBySeverity: {
            critical: s.overdue_critical,
            moderate: s.overdue_moderate,
            minimal: s.overdue_minimal,
          },
          oldestOverdue: oldest
            ? {
                id: oldest.id,
                referenceNumber: referenceNumber(oldest.number),
                title: oldest.title,
                firstResponseDueDate: oldest.response_due_at.toISOString(),
              }
            : null,
          attributes: { objectType: 'ServiceRequestSummary' },
        };
      }),

    create: (ctx, customerId, input) =>
      inPartnerTransaction(db, ctx.partnerId, async (trx) => {
        // The customer read once: the request keeps its name, country and phone as they are now.
        await assertActiveRelationship(customers, trx, ctx, customerId);
        const customer = await customers.getInTransaction(trx, ctx, customerId);
        const profile = customer.billingProfile;

        const issues: FieldIssue[] = [];
        const title = input.title.trim();
        if (title === '') issues.push({ field: 'title', reason: 'must not be blank' });
        const description = input.description.trim();
        if (description === '') issues.push({ field: 'description', reason: 'must not be blank' });
        const contact = checkContact(input.primaryContact, issues);
        const topic = await repo.topic(trx, input.supportTopicId.trim());
        if (!topic)
          issues.push({
            field: 'supportTopicId',
            reason: 'is not a support topic; see GET /v1/servicerequests/supporttopics',
          });
        let product = {
          subscription_id: null as string | null,
          product_id: null as string | null,
          product_name: null as string | null,
        };
        const productId = input.productId?.trim();
        if (input.subscriptionId !== undefined) {
          const sub = await repo.customerSubscription(
            trx,
            ctx.partnerId,
            customer.id,
            input.subscriptionId.toLowerCase(),
          );
          if (!sub)
            issues.push({
              field: 'subscriptionId',
              reason: 'is not one of this customer’s subscriptions with you',
            });
          else if (productId !== undefined && productId.toLowerCase() !== sub.offer_id.toLowerCase())
            issues.push({
              field: 'productId',
              reason: `does not match the subscription, whose product is ${sub.offer_id}`,
            });
          else
            product = { subscription_id: sub.id, product_id: sub.offer_id, product_name: sub.friendly_name };
        } else if (productId !== undefined) {
          const found = productId === '' ? undefined : await repo.offer(trx, productId);
          if (!found) issues.push({ field: 'productId', reason: 'is not an offer of the catalog' });
          else product = { subscription_id: null, product_id: found.id, product_name: found.name };
        }
        let assigned: Person | null = null;
        if (input.assignedTo) {
          const a = await assignee(trx, ctx, input.assignedTo);
          if ('field' in a) issues.push(a);
          else assigned = a;
        }
        if (issues.length > 0) throw invalid(...issues);

        // The files, checked before anything is written: a refusal names the one at fault.
        const files = (input.attachments ?? []).map((a, i) => {
          const bytes = decodeBase64(a.content);
          if (!bytes)
            throw new AppError('attachmentNotAllowed', {
              details: [{ field: `attachments[${i}].content`, reason: 'is not base64' }],
            });
          const file = { fileName: a.fileName, contentType: a.contentType, bytes };
          return { checked: checkAttachment(file, config.attachmentMaxBytes, `attachments[${i}].`), bytes };
        });

        const by = await caller(trx, ctx);
        const now = clock.now();
        const row: RequestRow = {
          id: randomUUID(),
          partner_id: ctx.partnerId,
          customer_id: customer.id,
          number: await repo.nextNumber(trx, ctx.partnerId),
          title,
          description,
          severity: input.severity,
          support_topic_id: topic!.id,
          ...product,
          status: 'open',
          contact_first_name: contact.firstName,
          contact_last_name: contact.lastName,
          contact_email: contact.email,
          contact_phone: contact.phoneNumber,
          organization_name: profile.companyName,
          organization_phone: profile.defaultAddress.phoneNumber,
          country_code: profile.defaultAddress.country,
          assigned_to_id: assigned?.id ?? null,
          created_by_id: by.id,
          created_by_name: by.name,
          last_updated_by_id: by.id,
          last_updated_by_name: by.name,
          created_at: now,
          updated_at: now,
          response_clock_started_at: now,
          response_due_at: new Date(now.getTime() + target(input.severity)),
          first_response_at: null,
          closed_at: null,
          last_closed_at: null,
          reopen_count: 0,
          version: 1,
        };
        await repo.insertRequest(trx, row);
        await repo.insertEvents(trx, [event(row, ctx, by, now, { kind: 'created' })]);
        await activities(trx, ctx, row, [
          {
            action: 'serviceRequest.create',
            resourceType: 'serviceRequest',
            details: {
              title,
              severity: row.severity,
              supportTopicId: row.support_topic_id,
              ...(assigned ? { assignedTo: assigned.name } : {}),
            },
          },
        ]);
        // The files share one created_at, so their ids order them (fileLinks are by created_at, then id): ids
        // handed out in ascending order keep the files in the order they were sent, as the timeline has them.
        const ids = files.map(() => randomUUID()).sort();
        for (const [i, f] of files.entries())
          await attach(trx, ctx, row, by, now, f.checked, f.bytes, ids[i]);
        return fullView(trx, ctx, { id: row.id });
      }),

    list: (ctx, query, page) =>
      inPartnerTransaction(db, ctx.partnerId, (trx) =>
        listPage(trx, filters(ctx, query, query.customerId), page),
      ),

    listForCustomer: (ctx, customerId, query, page) =>
      inPartnerTransaction(db, ctx.partnerId, async (trx) => {
        const customer = await customerForRead(customers, trx, ctx, customerId);
        return listPage(trx, filters(ctx, query, customer.id), page);
      }),

    get: (ctx, idOrNumber) =>
      inPartnerTransaction(db, ctx.partnerId, async (trx) => {
        const key = requestKey(idOrNumber);
        if (!key) throw notFound();
        return fullView(trx, ctx, key);
      }),

    update: (ctx, idOrNumber, input, ifMatch) =>
      inPartnerTransaction(db, ctx.partnerId, async (trx) => {
        const current = await lockOrNotFound(trx, ctx, idOrNumber);
        const key = { id: current.id };
        const expectedVersion = ifMatchVersion(ifMatch, requestEtagId(current.id));
        if (expectedVersion !== undefined && current.version !== expectedVersion)
          throw new AppError('preconditionFailed', { data: [await fullView(trx, ctx, key)] });
        const now = clock.now();
        const reopening = current.status === 'closed' && input.status === 'open';
        if (current.status === 'closed') {
          const sent = Object.entries(input).filter(([, v]) => v !== undefined);
          if (!reopening || sent.some(([k]) => k !== 'status' && k !== 'newNote'))
            throw new AppError('serviceRequestClosed');
        }

        const issues: FieldIssue[] = [];
        const contact = input.primaryContact ? checkContact(input.primaryContact, issues) : undefined;
        const note = input.newNote?.text.trim();
        if (note === '') issues.push({ field: 'newNote.text', reason: 'must not be blank' });
        let assigned: Person | null | undefined;
        if (input.assignedTo === null) assigned = null;
        // The assignee it already has is no change, even one since deactivated or moved to another role: a
        // request read and sent back as it is must not be refused for it.
        else if (
          input.assignedTo !== undefined &&
          input.assignedTo.toLowerCase() !== current.assigned_to_id
        ) {
          const a = await assignee(trx, ctx, input.assignedTo);
          if ('field' in a) issues.push(a);
          else assigned = a;
        }
        if (issues.length > 0) throw invalid(...issues);

        if (reopening) {
          if (now.getTime() > current.closed_at!.getTime() + config.reopenDays * DAY_MS)
            throw new AppError('serviceRequestReopenExpired');
          if ((await customers.relationshipState(trx, ctx, current.customer_id)) !== 'active')
            throw new AppError('noResellerRelationship');
        }

        const status = input.status ?? current.status;
        const severity = input.severity ?? current.severity;
        const statusChanged = status !== current.status;
        const severityChanged = severity !== current.severity;
        const contactChanged = contact !== undefined && !sameContact(contact, current);
        const reassigned = assigned !== undefined && (assigned?.id ?? null) !== current.assigned_to_id;
        // Nothing to change: the request as it is, no event, no new version.
        if (!statusChanged && !severityChanged && !contactChanged && !reassigned && note === undefined)
          return fullView(trx, ctx, key);

        const by = await caller(trx, ctx);
        const changes: Partial<RequestRow> = {
          updated_at: now,
          last_updated_by_id: by.id,
          last_updated_by_name: by.name,
        };
        const events: NewEvent[] = [];
        const records: ActivityEntry[] = [];
        const at = (e: Pick<NewEvent, 'kind' | 'text' | 'details'>) => event(current, ctx, by, now, e);
        const statusEvent = at({ kind: 'statusChanged', details: { from: current.status, to: status } });

        if (reopening) {
          // The response clock starts again; a note sent with the reopen is not its response.
          Object.assign(changes, {
            status,
            closed_at: null,
            reopen_count: current.reopen_count + 1,
            response_clock_started_at: now,
            response_due_at: new Date(now.getTime() + target(severity)),
            first_response_at: null,
          });
          events.push(statusEvent);
          records.push({ action: 'serviceRequest.reopen', resourceType: 'serviceRequest', details: {} });
        } else if (current.first_response_at === null && (statusChanged || note !== undefined))
          changes.first_response_at = now;

        if (note !== undefined) {
          events.push(at({ kind: 'note', text: note }));
          records.push({ action: 'serviceRequest.note', resourceType: 'serviceRequest', details: {} });
        }
        const updated: Record<string, { from: unknown; to: unknown }> = {};
        if (severityChanged) {
          changes.severity = severity;
          // Before the first response the due time follows the severity; after it, nothing is due.
          if (!reopening && current.first_response_at === null)
            changes.response_due_at = new Date(
              current.response_clock_started_at.getTime() + target(severity),
            );
          events.push(at({ kind: 'severityChanged', details: { from: current.severity, to: severity } }));
          updated.severity = { from: current.severity, to: severity };
        }
        if (contactChanged) {
          Object.assign(changes, {
            contact_first_name: contact.firstName,
            contact_last_name: contact.lastName,
            contact_email: contact.email,
            contact_phone: contact.phoneNumber,
          });
          events.push(at({ kind: 'contactChanged' }));
          updated.primaryContact = {
            from: {
              firstName: current.contact_first_name,
              lastName: current.contact_last_name,
              email: current.contact_email,
              phoneNumber: current.contact_phone,
            },
            to: contact,
          };
        }
        if (Object.keys(updated).length > 0)
          records.push({
            action: 'serviceRequest.update',
            resourceType: 'serviceRequest',
            details: { changes: updated },
          });
        if (reassigned) {
          const from = current.assigned_to_id
            ? ((await repo.partnerUser(trx, ctx.partnerId, current.assigned_to_id))?.display_name ?? null)
            : null;
          const to = assigned?.name ?? null;
          changes.assigned_to_id = assigned?.id ?? null;
          events.push(at({ kind: 'reassigned', details: { from, to } }));
          records.push({
            action: 'serviceRequest.reassign',
            resourceType: 'serviceRequest',
            details: { from, to },
          });
        }
        if (statusChanged && !reopening) {
          changes.status = status;
          if (status === 'closed') {
            changes.closed_at = now;
            changes.last_closed_at = now;
            records.push({
              action: 'serviceRequest.close',
              resourceType: 'serviceRequest',
              details: { from: current.status },
            });
          } else
            records.push({
              action: 'serviceRequest.statusChange',
              resourceType: 'serviceRequest',
              details: { from: current.status, to: status },
            });
          events.push(statusEvent);
        }

        await repo.updateRequest(trx, current, changes);
        await repo.insertEvents(trx, events);
        await activities(trx, ctx, current, records);
        return fullView(trx, ctx, key);
      }),

    addAttachment: (ctx, idOrNumber, file, repeat) =>
      inPartnerTransaction(db, ctx.partnerId, async (trx) => {
        const current = await lockOrNotFound(trx, ctx, idOrNumber);
        const now = clock.now();
        const id = randomUUID();
        if (repeat) {
          // Before the checks: a retry of an upload that was stored is answered as the first time, even if the
          // request has since been closed or filled up.
          const stored = await claimStreamedRequest(
            trx,
            {
              partnerId: ctx.partnerId,
              userId: ctx.userId,
              ...repeat,
              query: { fileName: file.fileName, contentType: file.contentType },
              bodyDigest: createHash('sha256').update(file.bytes).digest('hex'),
            },
            { statusCode: 201, headers: { location: attachmentUri(current.id, id) } },
            now,
            idempotencyTtlHours,
          );
          if (stored) {
            const first = (await repo.attachmentsOf(trx, current.id)).find((a) =>
              stored.headers.location?.endsWith(`/${a.id}`),
            );
            if (!first) throw new AppError('attachmentNotFound');
            return { fileLink: fileLinkView(first), replayed: true };
          }
        }
        if (current.status === 'closed') throw new AppError('serviceRequestClosed');
        if ((await repo.attachmentCount(trx, current.id)) >= MAX_ATTACHMENTS_PER_REQUEST)
          throw new AppError('attachmentLimitReached', {
            details: [
              { field: 'content', reason: `the request has ${MAX_ATTACHMENTS_PER_REQUEST} files already` },
            ],
          });
        const checked = checkAttachment(file, config.attachmentMaxBytes);
        const by = await caller(trx, ctx);
        const meta = await attach(trx, ctx, current, by, now, checked, file.bytes, id);
        await repo.updateRequest(trx, current, {
          updated_at: now,
          last_updated_by_id: by.id,
          last_updated_by_name: by.name,
        });
        return { fileLink: fileLinkView(meta), replayed: false };
      }),

    attachment: (ctx, idOrNumber, attachmentId) =>
      inPartnerTransaction(db, ctx.partnerId, async (trx) => {
        const key = requestKey(idOrNumber);
        const row = key ? await repo.findRequest(trx, ctx.partnerId, key) : undefined;
        if (!row) throw notFound();
        const file = UUID.test(attachmentId)
          ? await repo.attachmentContent(trx, row.id, attachmentId.toLowerCase())
          : undefined;
        if (!file) throw new AppError('attachmentNotFound');
        return {
          fileName: file.file_name,
          contentType: servedContentType(file.content_type),
          bytes: file.content,
        };
      }),
  };
}
