// Service request values without React or the API client, so that they can be tested on their own: the
// statuses and severities, the list's filters as the URL keeps them and the query the API takes, the response
// targets the new-request form names, the files a request takes, the create body and the API's field names as
// the form's inputs, which actions a request offers to whom, and who a request may be assigned to.
import { allows } from '../../../../src/modules/partners/roles.ts';

export const SEVERITIES = ['critical', 'moderate', 'minimal'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const STATUSES = ['open', 'attentionNeeded', 'closed'] as const;
export type Status = (typeof STATUSES)[number];

/**
 * The first-response targets PRODUCT.md names (2 h / 4 h / 8 h), which the new-request form states before a
 * request exists: an installation may configure others (SUPPORT_RESPONSE_TARGETS), and the API does not tell
 * them in advance. A request itself always shows its own target (responseTargetMinutes). These, the file size
 * and the files per new request are checked against the server's defaults in test/console.support.test.ts.
 */
export const DEFAULT_RESPONSE_TARGET_MINUTES: Record<Severity, number> = {
  critical: 120,
  moderate: 240,
  minimal: 480,
};

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

/** Files sent with a new request (the API takes at most 3); more are added one at a time on its page. */
export const MAX_FILES_AT_CREATE = 3;

/**
 * The file types the API accepts (its allow list, by extension): offered by the file pickers and named in
 * their hint. The API decides; test/console.support.test.ts checks this list against the server's.
 */
export const ALLOWED_EXTENSIONS = [
  '.png',
  '.jpg',
  '.jpeg',
  '.gif',
  '.pdf',
  '.zip',
  '.docx',
  '.xlsx',
  '.pptx',
  '.txt',
  '.log',
  '.csv',
  '.json',
  '.eml',
] as const;

/** The file input's `accept`: the extensions, so the picker offers what the API takes. */
export const ACCEPT = ALLOWED_EXTENSIONS.join(',');

/** "5 MB": the largest file the API takes by default (SUPPORT_ATTACHMENT_MAX_BYTES), for the hint. */
export const DEFAULT_MAX_FILE_MB = 5;

/**
 * The type a file is sent as: the browser's, else by its extension for the text types browsers often leave
 * empty (.log, .eml, .json on some systems). What is neither goes as it is and the API says why it refuses it.
 */
export function contentTypeOf(file: { name: string; type: string }): string {
  if (file.type) return file.type;
  const ext = /\.[^.]+$/.exec(file.name.toLowerCase())?.[0] ?? '';
  const byExtension: Record<string, string> = {
    '.log': 'text/plain',
    '.txt': 'text/plain',
    '.csv': 'text/csv',
    '.json': 'application/json',
    '.eml': 'message/rfc822',
  };
  return byExtension[ext] ?? 'application/octet-stream';
}

/** Bytes as base64 (the inline attachments of a new request), in chunks so large files do not overflow. */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK)
    binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(binary);
}

/** A size in the unit a file list shows it in (units of 1024, as the API's limit), one decimal. */
export function sizeParts(bytes: number): { unit: 'byte' | 'kilobyte' | 'megabyte'; value: number } {
  if (bytes < 1024) return { unit: 'byte', value: bytes };
  if (bytes < 1024 * 1024) return { unit: 'kilobyte', value: Math.round(bytes / 102.4) / 10 };
  return { unit: 'megabyte', value: Math.round(bytes / 104857.6) / 10 };
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
