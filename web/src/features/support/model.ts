// Service request values without React or the API client, so that they can be tested on their own: the
// statuses and severities, the list's filters as the URL keeps them and the query the API takes, what the forms
// say about response targets and files (from the server's settings), the files a request takes, the create body
// and the API's field names as the form's inputs, which actions a request offers to whom, and who a request may
// be assigned to.
import { allows } from '../../../../src/modules/partners/roles.ts';
import type { MessageKey, Params } from '../../i18n/catalogs.ts';

export const SEVERITIES = ['critical', 'moderate', 'minimal'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const STATUSES = ['open', 'attentionNeeded', 'closed'] as const;
export type Status = (typeof STATUSES)[number];

/**
 * What the forms state before a request exists, as GET /v1/servicerequests/settings tells it: an installation
 * may configure its own targets and file size limit (SUPPORT_RESPONSE_TARGETS, SUPPORT_ATTACHMENT_MAX_BYTES).
 */
export interface SupportSettings {
  responseTargetMinutes: Record<Severity, number>;
  attachmentMaxBytes: number;
  maxAttachmentsAtCreate: number;
  allowedAttachmentTypes: readonly { contentType: string; extensions: readonly string[] }[];
}

/** What of the console's i18n the texts below use (useI18n() gives it). */
interface Texts {
  locale: string;
  t(key: MessageKey, params?: Params): string;
  number(value: number): string;
}

/** "2 hours", "4 часа", "90 Minuten": a response target in the reader's language. */
export function durationText(locale: string, minutes: number): string {
  const hours = minutes % 60 === 0;
  return new Intl.NumberFormat(locale, {
    style: 'unit',
    unit: hours ? 'hour' : 'minute',
    unitDisplay: 'long',
  }).format(hours ? minutes / 60 : minutes);
}

/** "Critical — first response within 2 hours": a severity as the new-request form offers it. */
export function severityChoiceText(i18n: Texts, settings: SupportSettings, severity: Severity): string {
  return i18n.t('support.severityTarget', {
    severity: i18n.t(`support.severity.${severity}`),
    duration: durationText(i18n.locale, settings.responseTargetMinutes[severity]),
  });
}

// ── the list's filters ──

/** The status choices of the list's filter: one status, or every one not closed. */
export const STATUS_FILTERS = ['active', ...STATUSES] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];

export interface ListFilters {
  status?: StatusFilter;
  severity?: Severity;
  overdue: boolean;
  mine: boolean;
  q: string;
}

const pick = <T extends string>(value: string | null, allowed: readonly T[]): T | undefined =>
  value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : undefined;

/** The filters a URL's query keeps (?status=active&severity=critical&overdue=true&assigned=me&q=printer). */
export function readFilters(params: URLSearchParams): ListFilters {
  return {
    status: pick(params.get('status'), STATUS_FILTERS),
    severity: pick(params.get('severity'), SEVERITIES),
    overdue: params.get('overdue') === 'true',
    mine: params.get('assigned') === 'me',
    q: (params.get('q') ?? '').slice(0, 100),
  };
}

/** The URL query values of filters: only what differs from the default, so links stay short. */
export function filterParams(f: ListFilters): Record<string, string | undefined> {
  return {
    status: f.status,
    severity: f.severity,
    overdue: f.overdue ? 'true' : undefined,
    assigned: f.mine ? 'me' : undefined,
    q: f.q.trim() || undefined,
  };
}

export interface ListQuery {
  status?: Status[];
  severity?: Severity[];
  overdue?: true;
  assignedTo?: 'me';
  q?: string;
}

/** The API's query for filters (every status not closed, or one); the search only once it has text. */
export function listQuery(f: ListFilters): ListQuery {
  const q = f.q.trim();
  return {
    ...(f.status ? { status: f.status === 'active' ? ['open', 'attentionNeeded'] : [f.status] } : {}),
    ...(f.severity ? { severity: [f.severity] } : {}),
    ...(f.overdue ? { overdue: true as const } : {}),
    ...(f.mine ? { assignedTo: 'me' as const } : {}),
    ...(q ? { q } : {}),
  };
}

export const anyFilter = (f: ListFilters) =>
  Boolean(f.status || f.severity || f.overdue || f.mine || f.q.trim());

// ── files ──

/** The extensions the API accepts, in its order, without repeats (a file picker's `accept`, a hint's list). */
export function allowedExtensions(settings: SupportSettings): string[] {
  return [...new Set(settings.allowedAttachmentTypes.flatMap((t) => t.extensions))];
}

/** The file input's `accept`: the extensions, so the picker offers what the API takes. */
export const acceptOf = (settings: SupportSettings) => allowedExtensions(settings).join(',');

const extensionOf = (name: string) => /\.[^.]+$/.exec(name.toLowerCase())?.[0] ?? '';

/**
 * The type a file is sent as: the browser's when the API takes it, else the allowed type of its extension
 * (browsers leave .log or .eml empty, and on some systems name .zip application/x-zip-compressed or .csv
 * application/vnd.ms-excel). Otherwise it goes as it is, and the API says why it refuses it.
 */
export function contentTypeOf(file: { name: string; type: string }, settings: SupportSettings): string {
  const types = settings.allowedAttachmentTypes;
  const declared = file.type.toLowerCase();
  if (types.some((t) => t.contentType === declared)) return declared;
  const ext = extensionOf(file.name);
  return (
    types.find((t) => t.extensions.includes(ext))?.contentType ?? (file.type || 'application/octet-stream')
  );
}

/** A size in the unit a file list shows it in (units of 1024, as the API's limit), one decimal. */
export function sizeParts(bytes: number): { unit: 'byte' | 'kilobyte' | 'megabyte'; value: number } {
  if (bytes < 1024) return { unit: 'byte', value: bytes };
  if (bytes < 1024 * 1024) return { unit: 'kilobyte', value: Math.round(bytes / 102.4) / 10 };
  return { unit: 'megabyte', value: Math.round(bytes / 104857.6) / 10 };
}

/** "4.2 MB", "812 kB", "120 byte" in the reader's language and number format. */
export function sizeText(locale: string, bytes: number): string {
  const { unit, value } = sizeParts(bytes);
  return new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'short' }).format(value);
}

/** The new-request form's hint: how many files, how large, which types. */
export function filesHint(i18n: Texts, settings: SupportSettings): string {
  return i18n.t('support.field.attachmentsHint', {
    count: i18n.number(settings.maxAttachmentsAtCreate),
    size: sizeText(i18n.locale, settings.attachmentMaxBytes),
    types: allowedExtensions(settings).join(', '),
  });
}

/** The request page's upload hint: how large, which types. */
export function uploadHint(i18n: Texts, settings: SupportSettings): string {
  return i18n.t('support.attach.hint', {
    size: sizeText(i18n.locale, settings.attachmentMaxBytes),
    types: allowedExtensions(settings).join(', '),
  });
}

/**
 * Why chosen files cannot be sent before sending them: those larger than the limit, each named with its size
 * (the API would refuse them after the whole upload). Undefined: nothing to say; the API checks the rest.
 */
export function tooLarge(
  i18n: Texts,
  settings: SupportSettings,
  files: readonly { name: string; size: number }[],
): string | undefined {
  const limit = sizeText(i18n.locale, settings.attachmentMaxBytes);
  const reasons = files
    .filter((f) => f.size > settings.attachmentMaxBytes)
    .map((f) =>
      i18n.t('support.field.tooLarge', { name: f.name, size: sizeText(i18n.locale, f.size), limit }),
    );
  return reasons.length ? reasons.join(' ') : undefined;
}

/** Bytes as base64 (the inline attachments of a new request), in chunks so large files do not overflow. */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK)
    binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(binary);
}

// ── the new request ──

export interface Draft {
  title: string;
  description: string;
  severity: Severity | '';
  supportTopicId: string;
  subscriptionId: string;
  firstName: string;
  lastName: string;
  email: string;
  phoneNumber: string;
}

/** The inputs the form checks itself (only that required ones are filled), in the form's order. */
export const REQUIRED_INPUTS = [
  'title',
  'description',
  'severity',
  'supportTopicId',
  'firstName',
  'lastName',
  'email',
] as const satisfies readonly (keyof Draft)[];

export function missingInputs(d: Draft): (keyof Draft)[] {
  return REQUIRED_INPUTS.filter((k) => d[k].trim() === '');
}

export interface FileBody {
  fileName: string;
  contentType: string;
  content: string;
}

export interface CreateBody {
  title: string;
  description: string;
  severity: Severity;
  supportTopicId: string;
  subscriptionId?: string;
  primaryContact: { firstName: string; lastName: string; email: string; phoneNumber?: string };
  attachments?: FileBody[];
}

/** The create body: values trimmed, the optional ones only when given. */
export function createBody(d: Draft, attachments: FileBody[]): CreateBody {
  const phone = d.phoneNumber.trim();
  return {
    title: d.title.trim(),
    description: d.description.trim(),
    severity: d.severity as Severity,
    supportTopicId: d.supportTopicId,
    ...(d.subscriptionId ? { subscriptionId: d.subscriptionId } : {}),
    primaryContact: {
      firstName: d.firstName.trim(),
      lastName: d.lastName.trim(),
      email: d.email.trim(),
      ...(phone ? { phoneNumber: phone } : {}),
    },
    ...(attachments.length ? { attachments } : {}),
  };
}

/**
 * The form's input an API field names, case-insensitively: the contact's fields without their prefix, the
 * product with the subscription (the form picks a subscription, which sets the product), and any attachment's
 * field with the file input. Undefined: no such input (the reason is listed without a link).
 */
export function inputForField(field: string): keyof Draft | 'attachments' | undefined {
  const f = field.toLowerCase();
  if (/^attachments(\[\d+\])?(\.|$)/.test(f)) return 'attachments';
  if (f === 'productid' || f === 'subscriptionid') return 'subscriptionId';
  const contact = /^primarycontact\.(\w+)$/.exec(f);
  const name = contact ? contact[1]! : f;
  const inputs: (keyof Draft)[] = contact
    ? ['firstName', 'lastName', 'email', 'phoneNumber']
    : ['title', 'description', 'severity', 'supportTopicId'];
  return inputs.find((i) => i.toLowerCase() === name);
}

/** Which file an attachment field is about (`attachments[1].content` → 1), to name it in the reason. */
export function attachmentIndex(field: string): number | undefined {
  const m = /^attachments\[(\d+)\]/i.exec(field);
  return m ? Number(m[1]) : undefined;
}

// ── one request ──

export interface RequestLike {
  status: string;
}

export interface RequestActions {
  /** Notes, files, severity, contact, assignment: an open (or waiting) request with the roles to manage. */
  edit: boolean;
  /** "Mark attention needed" (open) or "Mark open" (attention needed); none when closed. */
  toggleStatus: 'attentionNeeded' | 'open' | undefined;
  close: boolean;
  reopen: boolean;
}

/** What the page offers: nothing without support.manage; a closed request only its reopening. */
export function actionsFor(request: RequestLike, canManage: boolean): RequestActions {
  const closed = request.status === 'closed';
  const edit = canManage && !closed;
  return {
    edit,
    toggleStatus: !edit ? undefined : request.status === 'open' ? 'attentionNeeded' : 'open',
    close: edit,
    reopen: canManage && closed,
  };
}

/** The close body: the closing note when one was written. */
export function closeBody(note: string): { status: 'closed'; newNote?: { text: string } } {
  const text = note.trim();
  return { status: 'closed', ...(text ? { newNote: { text } } : {}) };
}

/** Whether the request waits for a first response that has not come (shown with its due time). */
export const awaitingResponse = (r: { status: string; firstResponseDate: string | null }) =>
  r.status !== 'closed' && r.firstResponseDate === null;

/**
 * The partner users a request may be assigned to: active ones whose roles manage support (the API refuses
 * others), by name.
 */
export function assignees<U extends { displayName: string; roles: readonly string[]; state: string }>(
  users: readonly U[],
): U[] {
  return users
    .filter((u) => u.state === 'active' && allows(u.roles, 'support.manage'))
    .sort((a, b) => a.displayName.localeCompare(b.displayName));
}
