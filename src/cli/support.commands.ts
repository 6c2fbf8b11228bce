// Service requests over the API of a running Partnerdesk (--url, as a partner user with --token, or --user and
// --password): `partnerdesk support list|show|create|note|close|reopen|topics|attach|download`. A request is
// named by its id or its reference number (SR-000042, sr-42). Answers go to stdout; progress, notices and errors
// to stderr, an error as one line with the API's code and each field's reason.
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { Option } from 'commander';
import type { Api, ApiOptions } from './api.ts';
import { ApiError, apiOptions, flagValue } from './api.ts';
import { collectWords, env, fail, minute, note, out, plural, table, wholeNumber } from './common.ts';
import type { Collection } from './customer.ts';
import { UUID, printCount, readList, resolveCustomer, withApi } from './customer.ts';
import { saveDownload } from './export.ts';
import {
  ALLOWED_ATTACHMENT_TYPES,
  dispositionFileName,
  formatBytes,
} from '../modules/support/attachments.check.ts';
import type {
  FileLinkView as FileLink,
  HistoryEntryView as HistoryEntry,
  ServiceRequestItemView as ServiceRequestItem,
  ServiceRequestView as ServiceRequest,
  SupportTopicView as SupportTopic,
} from '../modules/support/serviceRequests.service.ts';
import {
  MAX_INLINE_ATTACHMENTS,
  SEVERITIES as SEVERITY_VALUES,
  STATUSES as STATUS_VALUES,
} from '../modules/support/serviceRequests.schemas.ts';

const STATUSES: readonly string[] = STATUS_VALUES;
const SEVERITIES: readonly string[] = SEVERITY_VALUES;

// ── helpers ──

/** The path of a request: its id or reference number, as typed (the API says when it names none of yours). */
function requestPath(raw: string): string {
  const text = raw.trim();
  if (text === '') throw new Error('name the service request: its id or reference number (SR-000042)');
  return `/v1/servicerequests/${encodeURIComponent(text)}`;
}

/** `--status open,closed` → the values, each checked against `allowed`. */
function oneOrMore(
  values: string[] | undefined,
  allowed: readonly string[],
  option: string,
): string | undefined {
  if (!values || values.length === 0) return undefined;
  for (const v of values)
    if (!allowed.includes(v)) throw new Error(`${option} takes ${allowed.join(', ')}, not "${v}"`);
  return values.join(',');
}

/** A response target in the unit it was most likely set in: "2 h", "90 min", "1 d". */
function duration(minutes: number): string {
  if (minutes % 1440 === 0) return `${minutes / 1440} d`;
  if (minutes % 60 === 0) return `${minutes / 60} h`;
  return `${minutes} min`;
}

/** The list's due column: when the first response is due while one is awaited. */
function dueLabel(r: ServiceRequestItem): string {
  if (r.status === 'closed') return '—';
  if (r.firstResponseDate) return 'responded';
  return minute(r.firstResponseDueDate);
}

const shorten = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * The customer `--customer` names: an id as it is (requests stay readable after the relationship ended, when
 * the customer is no longer looked up), a domain looked up among your customers.
 */
async function customerIdOf(api: Api, raw: string): Promise<string> {
  const text = raw.trim();
  if (UUID.test(text)) return text.toLowerCase();
  return (await resolveCustomer(api, text)).id;
}

/** The topic `--topic` names: its id or its name, in any case. */
async function topicIdOf(api: Api, raw: string): Promise<string> {
  const text = raw.trim().toLowerCase();
  const topics = await api.get<Collection<SupportTopic>>('/v1/servicerequests/supporttopics');
  const topic = topics.items.find((t) => t.id.toLowerCase() === text || t.name.toLowerCase() === text);
  if (!topic)
    throw new Error(
      `--topic "${raw}" is not a support topic; one of: ${topics.items.map((t) => t.id).join(', ')} ` +
        '(partnerdesk support topics describes them)',
    );
  return topic.id;
}

/** Text from an option or from a file (`-`: stdin), exactly one of the two. */
function textFrom(
  inline: string | undefined,
  file: string | undefined,
  names: [inline: string, file: string],
): string {
  const given = inline !== undefined && inline.trim() !== '';
  const fromFile = file !== undefined && file.trim() !== '';
  if (given && fromFile) throw new Error(`give ${names[0]} or ${names[1]}, not both`);
  if (given) return inline.trim();
  if (!fromFile) throw new Error(`give ${names[0]} "…" or ${names[1]} <file>`);
  try {
    // A file ends with a line break that is no part of the text.
    return (file === '-' ? fs.readFileSync(0, 'utf8') : fs.readFileSync(file, 'utf8')).trimEnd();
  } catch (err) {
    throw new Error(`cannot read ${names[1]} ${file}: ${(err as Error).message}`, { cause: err });
  }
}

/** A file to attach: its name and the content type its extension stands for on the allow list. */
interface LocalFile {
  file: string;
  fileName: string;
  contentType: string;
}

const ALLOWED_EXTENSIONS = ALLOWED_ATTACHMENT_TYPES.flatMap((t) => t.extensions);

/** Checked before anything is sent: the file is there, and its extension is one that can be attached. */
function localFile(file: string): LocalFile {
  let stat;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new Error(`no such file: ${file}`);
  }
  if (!stat.isFile()) throw new Error(`not a file: ${file}`);
  const fileName = path.basename(file);
  const extension = path.extname(fileName).toLowerCase();
  const type = ALLOWED_ATTACHMENT_TYPES.find((t) => t.extensions.includes(extension));
  if (!type)
    throw new Error(
      `${file} cannot be attached: ${extension ? `${extension} files are` : 'a file without an extension is'} ` +
        `not allowed; allowed: ${ALLOWED_EXTENSIONS.join(' ')}`,
    );
  return { file, fileName, contentType: type.contentType };
}

/**
 * A safe name to save a download under, from its Content-Disposition: no folders, no control characters, not
 * hidden; `fallback` when nothing is left.
 */
function downloadName(disposition: string | null, fallback: string): string {
  const name = dispositionFileName(disposition ?? undefined) ?? '';
  const clean = path
    .basename(name.replace(/\\/g, '/'))
    .replace(/[\p{Cc}\p{Bidi_Control}]/gu, '')
    .replace(/^[.\s]+/, '')
    .trim();
  return clean || fallback;
}

/** The API's names for inline files (`attachments[1].content`) also say which file that was. */
function namingFiles(err: unknown, files: readonly LocalFile[]): unknown {
  if (!(err instanceof ApiError)) return err;
  const message = err.message.replace(/attachments\[(\d+)\]\.\w+/g, (whole, i: string) => {
    const f = files[Number(i)];
    return f ? `${whole} (${f.fileName})` : whole;
  });
  return new ApiError(message, err.status, err.body);
}

function historyLine(e: HistoryEntry): string {
  switch (e.kind) {
    case 'created':
      return 'created the request';
    case 'note':
      return 'added a note:';
    case 'statusChanged':
      return `status ${e.from ?? '—'} → ${e.to ?? '—'}`;
    case 'severityChanged':
      return `severity ${e.from ?? '—'} → ${e.to ?? '—'}`;
    case 'reassigned':
      return e.to
        ? `assigned it to ${e.to}${e.from ? ` (was ${e.from})` : ''}`
        : `unassigned ${e.from ?? ''}`;
    case 'contactChanged':
      return 'changed the contact';
    case 'attachmentAdded':
      return `attached ${e.fileName ?? 'a file'}`;
    default:
      return e.kind;
  }
}

/** Text under a line, indented, every line of it. */
const indented = (text: string, by: string) =>
  text.split(/\r?\n/).forEach((line) => out(`${by}${line}`.trimEnd()));

function printRequest(r: ServiceRequest): void {
  const contact = r.primaryContact;
  const lines: [string, string][] = [
    ['Service request', `${r.referenceNumber} (${r.id})`],
    ['Title', r.title],
    ['Customer', `${r.organization.name} (${r.customerId})`],
    [
      'Status',
      r.status === 'attentionNeeded'
        ? 'attentionNeeded (waiting on the customer)'
        : r.status === 'closed'
          ? `closed ${minute(r.lastClosedDate)}`
          : r.status,
    ],
    ['Severity', `${r.severity} (first response within ${duration(r.responseTargetMinutes)})`],
    [
      'First response',
      r.firstResponseDate
        ? `${minute(r.firstResponseDate)} (due ${minute(r.firstResponseDueDate)})`
        : `due ${minute(r.firstResponseDueDate)}${r.isOverdue ? ' — OVERDUE' : ''}`,
    ],
    ['Topic', `${r.supportTopicName} (${r.supportTopicId})`],
  ];
  if (r.productId || r.subscriptionId)
    lines.push([
      'Product',
      [
        r.productName && r.productId ? `${r.productName} (${r.productId})` : (r.productName ?? r.productId),
        r.subscriptionId ? `subscription ${r.subscriptionId}` : undefined,
      ]
        .filter(Boolean)
        .join(', '),
    ]);
  lines.push(
    [
      'Contact',
      `${contact.firstName} ${contact.lastName} <${contact.email}>${contact.phoneNumber ? `, ${contact.phoneNumber}` : ''}`,
    ],
    ['Assigned to', r.assignedTo?.name ?? 'nobody'],
    ['Created', `${minute(r.createdDate)} by ${r.createdBy.name}`],
    ['Last updated', `${minute(r.lastModifiedDate)} by ${r.lastUpdatedBy.name}`],
  );
  if (r.reopenCount > 0)
    lines.push(['Reopened', `${plural(r.reopenCount, 'time')}, last closed ${minute(r.lastClosedDate)}`]);
  const w = Math.max(...lines.map(([k]) => k.length));
  for (const [k, v] of lines) out(`${`${k}:`.padEnd(w + 2)}${v}`);
  out();
  out('Description:');
  indented(r.description, '  ');

  out();
  if (r.fileLinks.length === 0) out('Attachments: none');
  else {
    out(`Attachments (${r.fileLinks.length}):`);
    table([
      ['  ATTACHMENT ID', 'FILE', 'TYPE', 'SIZE', 'ADDED', 'BY'],
      ...r.fileLinks.map((f: FileLink) => [
        `  ${f.id}`,
        f.fileName,
        f.contentType,
        formatBytes(f.sizeBytes),
        minute(f.createdDate),
        f.createdByName,
      ]),
    ]);
  }

  out();
  out('Timeline:');
  // Aligned like a table, with each note's text under its line.
  const rows = r.history.map((e) => [`  ${minute(e.date)}`, e.actorName, historyLine(e)]);
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  r.history.forEach((e, i) => {
    table([rows[i]!], widths);
    if (e.kind === 'note' && e.text) indented(e.text, '      ');
  });
}

const requestIdOption = () =>
  new Option(
    '--request-id <id>',
    'MS-RequestId: repeat a failed run with the same id to retry it safely (default: a new one)',
  ).env(env('REQUEST_ID'));

const noteOption = (what: string) =>
  new Option('--note <text>', `a note recorded with the ${what} (up to 5000 characters)`).env(
    env('SUPPORT_NOTE'),
  );

// ── the commands ──

interface ListOptions extends ApiOptions {
  status?: string[];
  severity?: string[];
  customer?: string;
  assignedTo?: string;
  search?: string;
  size?: string;
}

interface CreateOptions extends ApiOptions {
  customer?: string;
  title?: string;
  description?: string;
  descriptionFile?: string;
  severity?: string;
  topic?: string;
  subscription?: string;
  product?: string;
  contactFirstName?: string;
  contactLastName?: string;
  contactEmail?: string;
  contactPhone?: string;
  attach?: string[];
  requestId?: string;
}

/** Repeatable; a variable lists several files separated like PATH (`:`, or `;` on Windows). */
const collectFiles = (value: string, previous: string[] = []) => [
  ...previous,
  ...value.split(path.delimiter).filter((v) => v.trim() !== ''),
];

export function registerSupportCommands(program: Command): void {
  const support = program
    .command('support')
    .description(
      "service requests for your customers' problems, over the API of a running Partnerdesk (--url, --token or --user/--password)",
    );
  const idArg = '<request>';
  const idHelp = 'the service request: its reference number (SR-000042, sr-42) or id';

  apiOptions(
    support
      .command('list')
      .description('service requests across your customers, newest first; overdue ones marked OVERDUE')
      .addOption(
        new Option('--status <status>', `${STATUSES.join(', ')} (comma-separated or repeated)`)
          .env(env('SUPPORT_STATUS'))
          .argParser(collectWords),
      )
      .addOption(
        new Option('--severity <severity>', `${SEVERITIES.join(', ')} (comma-separated or repeated)`)
          .env(env('SUPPORT_SEVERITY'))
          .argParser(collectWords),
      )
      .addOption(
        new Option('--customer <customer>', "only this customer's (its id or one of its domains)").env(
          env('SUPPORT_CUSTOMER'),
        ),
      )
      .addOption(
        new Option(
          '--overdue',
          'only the overdue ones: not closed, no response yet, past the first-response target (variable: 1 or 0)',
        ).env(env('SUPPORT_OVERDUE')),
      )
      .addOption(
        new Option(
          '--assigned-to <who>',
          'me, unassigned, or a partner user id (whoever they are assigned to)',
        ).env(env('SUPPORT_ASSIGNED_TO')),
      )
      .addOption(
        new Option('--search <text>', 'in titles and customer names, or a reference number (SR-42, 42)').env(
          env('SUPPORT_SEARCH'),
        ),
      )
      .addOption(new Option('--size <n>', 'requests per page, 1–1000 (default 100)').env(env('PAGE_SIZE')))
      .addOption(new Option('--all', 'every page, not just the first (variable: 1 or 0)').env(env('ALL')))
      .addOption(new Option('--json', 'print the API items as JSON (variable: 1 or 0)').env(env('JSON'))),
  ).action(async (opts: ListOptions, cmd: Command) => {
    const json = flagValue(cmd, 'json', env('JSON'));
    const all = flagValue(cmd, 'all', env('ALL'));
    const overdue = flagValue(cmd, 'overdue', env('SUPPORT_OVERDUE'));
    let query: Record<string, string | undefined> = {};
    try {
      const assignedTo = opts.assignedTo?.trim();
      if (assignedTo && !['me', 'unassigned'].includes(assignedTo.toLowerCase()) && !UUID.test(assignedTo))
        throw new Error(`--assigned-to takes me, unassigned or a partner user id, not "${assignedTo}"`);
      query = {
        status: oneOrMore(opts.status, STATUSES, '--status'),
        severity: oneOrMore(opts.severity, SEVERITIES, '--severity'),
        overdue: overdue ? 'true' : undefined,
        assignedTo: assignedTo?.toLowerCase() || undefined,
        q: opts.search?.trim() || undefined,
        size: opts.size?.trim() ? String(wholeNumber(opts.size, '--size', 1, 1000)) : undefined,
      };
    } catch (err) {
      fail(err);
    }
    await withApi(opts, async (api) => {
      const customerId = opts.customer?.trim() ? await customerIdOf(api, opts.customer) : undefined;
      const list = await readList<ServiceRequestItem>(
        api,
        '/v1/servicerequests',
        { ...query, customerId },
        all,
      );
      if (json) {
        out(JSON.stringify(list.items, null, 2));
        return;
      }
      if (list.items.length === 0) out('No service requests.');
      else
        table([
          ['REFERENCE', 'SEVERITY', 'STATUS', 'OVERDUE', 'CUSTOMER', 'TITLE', 'FIRST RESPONSE DUE'],
          ...list.items.map((r) => [
            r.referenceNumber,
            r.severity,
            r.status,
            r.isOverdue ? 'OVERDUE' : '',
            r.organization.name,
            shorten(r.title, 60),
            dueLabel(r),
          ]),
        ]);
      printCount(list);
    });
  });

  apiOptions(
    support
      .command('show')
      .description(
        'a service request: its details, contact, attachments and timeline (notes and every change)',
      )
      .argument(idArg, idHelp)
      .addOption(new Option('--json', 'print the API resource as JSON (variable: 1 or 0)').env(env('JSON'))),
  ).action(async (raw: string, opts: ApiOptions, cmd: Command) => {
    const json = flagValue(cmd, 'json', env('JSON'));
    await withApi(opts, async (api) => {
      const r = await api.get<ServiceRequest>(requestPath(raw));
      if (json) out(JSON.stringify(r, null, 2));
      else printRequest(r);
    });
  });

  apiOptions(
    support
      .command('create')
      .description(
        'open a service request for a customer (you need an active reseller relationship with it); prints its ' +
          'reference number, id and when the first response is due',
      )
      .addOption(
        new Option('--customer <customer>', 'the customer: its id or one of its domains').env(
          env('SUPPORT_CUSTOMER'),
        ),
      )
      .addOption(
        new Option('--title <text>', 'a short summary (up to 200 characters)').env(env('SUPPORT_TITLE')),
      )
      .addOption(
        new Option('--description <text>', 'what happens, in full (up to 10000 characters)').env(
          env('SUPPORT_DESCRIPTION'),
        ),
      )
      .addOption(
        new Option('--description-file <file>', 'the description from a file (- : stdin)').env(
          env('SUPPORT_DESCRIPTION_FILE'),
        ),
      )
      .addOption(
        new Option('--severity <severity>', `${SEVERITIES.join(', ')}: sets the first-response target`).env(
          env('SUPPORT_SEVERITY'),
        ),
      )
      .addOption(
        new Option(
          '--topic <topic>',
          'what it is about: a topic id or name (partnerdesk support topics)',
        ).env(env('SUPPORT_TOPIC')),
      )
      .addOption(
        new Option('--subscription <id>', "the customer's subscription it concerns (sets the product)").env(
          env('SUPPORT_SUBSCRIPTION'),
        ),
      )
      .addOption(
        new Option('--product <offerId>', 'the offer it concerns, without a subscription').env(
          env('SUPPORT_PRODUCT'),
        ),
      )
      .addOption(
        new Option('--contact-first-name <name>', "the customer's contact for it: first name").env(
          env('SUPPORT_CONTACT_FIRST_NAME'),
        ),
      )
      .addOption(
        new Option('--contact-last-name <name>', 'the contact: last name').env(
          env('SUPPORT_CONTACT_LAST_NAME'),
        ),
      )
      .addOption(
        new Option('--contact-email <email>', 'the contact: email').env(env('SUPPORT_CONTACT_EMAIL')),
      )
      .addOption(
        new Option('--contact-phone <number>', 'the contact: phone (optional)').env(
          env('SUPPORT_CONTACT_PHONE'),
        ),
      )
      .addOption(
        new Option(
          '--attach <file>',
          `a file to attach (repeat, up to ${MAX_INLINE_ATTACHMENTS}; its type from its extension: ` +
            `${ALLOWED_EXTENSIONS.join(' ')}); the variable lists several like PATH`,
        )
          .env(env('SUPPORT_ATTACH'))
          .argParser(collectFiles),
      )
      .addOption(requestIdOption())
      .addOption(new Option('--json', 'print the API resource as JSON (variable: 1 or 0)').env(env('JSON'))),
  ).action(async (opts: CreateOptions, cmd: Command) => {
    const json = flagValue(cmd, 'json', env('JSON'));
    let description!: string;
    let files: LocalFile[] = [];
    try {
      const required: [keyof CreateOptions, string][] = [
        ['customer', '--customer'],
        ['title', '--title'],
        ['severity', '--severity'],
        ['topic', '--topic'],
        ['contactFirstName', '--contact-first-name'],
        ['contactLastName', '--contact-last-name'],
        ['contactEmail', '--contact-email'],
      ];
      const missing = required.filter(([k]) => !(opts[k] as string | undefined)?.trim()).map(([, f]) => f);
      if (!opts.description?.trim() && !opts.descriptionFile?.trim())
        missing.push('--description or --description-file');
      if (missing.length > 0) throw new Error(`missing ${missing.join(', ')}`);
      description = textFrom(opts.description, opts.descriptionFile, ['--description', '--description-file']);
      const severity = opts.severity!.trim();
      if (!SEVERITIES.includes(severity))
        throw new Error(`--severity takes ${SEVERITIES.join(', ')}, not "${severity}"`);
      const attach = opts.attach ?? [];
      if (attach.length > MAX_INLINE_ATTACHMENTS)
        throw new Error(
          `--attach takes up to ${MAX_INLINE_ATTACHMENTS} files here; attach the others afterwards with ` +
            'partnerdesk support attach',
        );
      files = attach.map(localFile);
    } catch (err) {
      fail(err);
    }
    await withApi(opts, async (api) => {
      const customerId = await customerIdOf(api, opts.customer!);
      const supportTopicId = await topicIdOf(api, opts.topic!);
      const requestId = opts.requestId?.trim() || randomUUID();
      note(
        `Request id: ${requestId} (if this run fails without an answer, re-run with --request-id ${requestId})`,
      );
      const body = {
        title: opts.title!.trim(),
        description,
        severity: opts.severity!.trim(),
        supportTopicId,
        ...(opts.subscription?.trim() ? { subscriptionId: opts.subscription.trim() } : {}),
        ...(opts.product?.trim() ? { productId: opts.product.trim() } : {}),
        primaryContact: {
          firstName: opts.contactFirstName!.trim(),
          lastName: opts.contactLastName!.trim(),
          email: opts.contactEmail!.trim(),
          ...(opts.contactPhone?.trim() ? { phoneNumber: opts.contactPhone.trim() } : {}),
        },
        ...(files.length > 0
          ? {
              attachments: files.map((f) => ({
                fileName: f.fileName,
                contentType: f.contentType,
                content: fs.readFileSync(f.file).toString('base64'),
              })),
            }
          : {}),
      };
      let res;
      try {
        res = await api.send<ServiceRequest>('POST', `/v1/customers/${customerId}/servicerequests`, body, {
          'ms-requestid': requestId,
        });
      } catch (err) {
        throw namingFiles(err, files);
      }
      if (res.headers.get('ms-idempotent-replay') === 'true')
        note('This request id had already created the service request: its first answer is shown again.');
      const r = res.body;
      if (json) {
        out(JSON.stringify(r, null, 2));
        return;
      }
      out(`Service request ${r.referenceNumber} created (id ${r.id}): ${r.title}`);
      out(
        `${r.organization.name}, ${r.severity}: first response due ${minute(r.firstResponseDueDate)} ` +
          `(within ${duration(r.responseTargetMinutes)}).`,
      );
      for (const f of r.fileLinks) out(`Attached ${f.fileName} (${formatBytes(f.sizeBytes)}): ${f.id}`);
    });
  });

  apiOptions(
    support
      .command('note')
      .description(
        'add a note to a request (the first note, status change or close after it opened is its first response)',
      )
      .argument(idArg, idHelp)
      .addOption(new Option('--text <text>', 'the note (up to 5000 characters)').env(env('SUPPORT_NOTE')))
      .addOption(
        new Option('--text-file <file>', 'the note from a file (- : stdin)').env(env('SUPPORT_NOTE_FILE')),
      ),
  ).action(async (raw: string, opts: ApiOptions & { text?: string; textFile?: string }) => {
    let text!: string;
    try {
      text = textFrom(opts.text, opts.textFile, ['--text', '--text-file']);
    } catch (err) {
      fail(err);
    }
    await withApi(opts, async (api) => {
      const res = await api.send<ServiceRequest>('PATCH', requestPath(raw), { newNote: { text } });
      const r = res.body;
      out(`Note added to ${r.referenceNumber} (${r.status}, ${plural(r.noteCount, 'note')}).`);
    });
  });

  apiOptions(
    support
      .command('close')
      .description(
        'close a request; it can be reopened for a while after (SUPPORT_REOPEN_DAYS on the server)',
      )
      .argument(idArg, idHelp)
      .addOption(noteOption('close')),
  ).action(async (raw: string, opts: ApiOptions & { note?: string }) => {
    await withApi(opts, async (api) => {
      const text = opts.note?.trim();
      const res = await api.send<ServiceRequest>('PATCH', requestPath(raw), {
        status: 'closed',
        ...(text ? { newNote: { text } } : {}),
      });
      const r = res.body;
      out(`Closed ${r.referenceNumber}: ${r.title}`);
      note(`Reopen it, if need be, with: partnerdesk support reopen ${r.referenceNumber}`);
    });
  });

  apiOptions(
    support
      .command('reopen')
      .description(
        'reopen a closed request (within the reopen window, with an active reseller relationship): the wait for a first response starts again',
      )
      .argument(idArg, idHelp)
      .addOption(noteOption('reopening')),
  ).action(async (raw: string, opts: ApiOptions & { note?: string }) => {
    await withApi(opts, async (api) => {
      const text = opts.note?.trim();
      const res = await api.send<ServiceRequest>('PATCH', requestPath(raw), {
        status: 'open',
        ...(text ? { newNote: { text } } : {}),
      });
      const r = res.body;
      out(
        `Reopened ${r.referenceNumber}: first response due ${minute(r.firstResponseDueDate)} ` +
          `(reopened ${plural(r.reopenCount, 'time')}).`,
      );
    });
  });

  apiOptions(
    support
      .command('topics')
      .description('what a service request can be about: the support topics (ids for create --topic)')
      .addOption(new Option('--json', 'print the API items as JSON (variable: 1 or 0)').env(env('JSON'))),
  ).action(async (opts: ApiOptions, cmd: Command) => {
    const json = flagValue(cmd, 'json', env('JSON'));
    await withApi(opts, async (api) => {
      const topics = await api.get<Collection<SupportTopic>>('/v1/servicerequests/supporttopics');
      if (json) out(JSON.stringify(topics.items, null, 2));
      else
        table([['TOPIC', 'NAME', 'DESCRIPTION'], ...topics.items.map((t) => [t.id, t.name, t.description])]);
    });
  });

  apiOptions(
    support
      .command('attach')
      .description(
        `attach files to an open request (streamed as they are; types by extension: ${ALLOWED_EXTENSIONS.join(' ')})`,
      )
      .argument(idArg, idHelp)
      .argument('<files...>', 'the files'),
  ).action(async (raw: string, names: string[], opts: ApiOptions) => {
    let files: LocalFile[] = [];
    try {
      files = names.map(localFile);
    } catch (err) {
      fail(err);
    }
    await withApi(opts, async (api) => {
      const r = await api.get<ServiceRequest>(requestPath(raw));
      for (const f of files) {
        const res = await api.upload<FileLink>(
          `/v1/servicerequests/${r.id}/attachments`,
          { fileName: f.fileName },
          f.file,
          f.contentType,
        );
        out(
          `Attached ${res.body.fileName} (${formatBytes(res.body.sizeBytes)}) to ${r.referenceNumber}: ${res.body.id}`,
        );
      }
    });
  });

  apiOptions(
    support
      .command('download')
      .description("save a request's attachment (the ids are in partnerdesk support show)")
      .argument(idArg, idHelp)
      .argument('<attachmentId>', 'the attachment id')
      .addOption(
        new Option('-o, --output <file>', 'where to write it (default: its file name; - : stdout)').env(
          env('SUPPORT_DOWNLOAD_OUTPUT'),
        ),
      )
      .addOption(
        new Option(
          '-f, --force',
          'replace a file of its name in this folder, if there is one (variable: 1 or 0)',
        ).env(env('SUPPORT_DOWNLOAD_FORCE')),
      ),
  ).action(
    async (raw: string, attachmentId: string, opts: ApiOptions & { output?: string }, cmd: Command) => {
      const force = flagValue(cmd, 'force', env('SUPPORT_DOWNLOAD_FORCE'));
      await withApi(opts, async (api) => {
        const res = await api.stream(
          `${requestPath(raw)}/attachments/${encodeURIComponent(attachmentId.trim())}`,
        );
        const name = downloadName(
          res.headers.get('content-disposition'),
          `attachment-${attachmentId.trim()}`,
        );
        const named = opts.output?.trim();
        // The name is the uploader's choice: a file of that name here is kept unless the caller names it or says so.
        const file = await saveDownload(res, {
          output: named || name,
          fallbackName: name,
          extension: path.extname(name),
          ...(named || force
            ? {}
            : { keepExisting: { advice: 'name another file with --output, or replace it with --force' } }),
        });
        if (file) out(`Saved ${name} (${formatBytes(fs.statSync(file).size)}) to ${file}`);
      });
    },
  );
}
