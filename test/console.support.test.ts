// The console's service request logic without a browser: the list's filters as the URL keeps them and the query
// they send, the new request's body and the API's field names as the form's inputs (a file's reason names the
// file), what the forms say about response targets and files as an installation's settings have them (read from
// a server started with its own), the file types the pickers offer, the type a file is sent as, a file over the
// limit refused before it is sent and the bytes as base64, which actions a request offers to whom (a closed one
// only its reopening), the close body, who a request may be assigned to, and the customer page's Service
// requests tab by role.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerTabs } from '../web/src/features/customers/tabs.ts';
import type { Draft, SupportSettings } from '../web/src/features/support/model.ts';
import {
  SEVERITIES,
  acceptOf,
  actionsFor,
  anyFilter,
  assignees,
  attachmentIndex,
  awaitingResponse,
  closeBody,
  contentTypeOf,
  createBody,
  filterParams,
  inputForField,
  listQuery,
  filesHint,
  missingInputs,
  readFilters,
  severityChoiceText,
  sizeParts,
  toBase64,
  tooLarge,
  uploadHint,
} from '../web/src/features/support/model.ts';
import type { Language } from '../web/src/i18n/catalogs.ts';
import { CATALOGS, format } from '../web/src/i18n/catalogs.ts';
import type { TestApp } from './helpers/app.ts';
import { createTestApp, injectAs } from './helpers/app.ts';
import { createPartnerWithAdmin } from './helpers/factories.ts';

const MB = 1024 * 1024;

/** The console's texts in a language, as useI18n() gives them to the forms. */
const texts = (language: Language, locale: string) => ({
  locale,
  t: (key: keyof (typeof CATALOGS)['en'], params?: Record<string, string | number>) =>
    format(CATALOGS[language][key], params),
  number: (n: number) => new Intl.NumberFormat(locale).format(n),
});
const en = texts('en', 'en-US');

// An installation with its own targets and file limit; the forms read its settings from the API.
let t: TestApp;
let settings: SupportSettings;
beforeAll(async () => {
  t = await createTestApp({
    env: {
      SUPPORT_RESPONSE_TARGETS: 'critical=1h,moderate=90m,minimal=1d',
      SUPPORT_ATTACHMENT_MAX_BYTES: String(2 * MB),
    },
    transferWorker: false,
    userImportWorker: false,
  });
  const { admin } = await createPartnerWithAdmin(t.store);
  const r = await injectAs(t.app, admin.token, 'GET', '/v1/servicerequests/settings');
  expect(r.statusCode, r.body).toBe(200);
  settings = r.json();
});
afterAll(() => t?.close());

describe('the list’s filters in the URL', () => {
  it('reads what the page knows and ignores the rest', () => {
    const f = readFilters(
      new URLSearchParams('status=active&severity=critical&overdue=true&assigned=me&q=printer'),
    );
    expect(f).toEqual({ status: 'active', severity: 'critical', overdue: true, mine: true, q: 'printer' });
    expect(readFilters(new URLSearchParams('status=pending&severity=high&overdue=1&assigned=bob'))).toEqual({
      status: undefined,
      severity: undefined,
      overdue: false,
      mine: false,
      q: '',
    });
  });

  it('writes only what differs from the default, and reads it back the same', () => {
    const f = { status: 'closed', severity: undefined, overdue: true, mine: false, q: '  SR-42 ' } as const;
    const written = filterParams(f);
    expect(written).toEqual({
      status: 'closed',
      severity: undefined,
      overdue: 'true',
      assigned: undefined,
      q: 'SR-42',
    });
    const params = new URLSearchParams(
      Object.entries(written).filter((e): e is [string, string] => e[1] !== undefined),
    );
    expect(params.toString()).toBe('status=closed&overdue=true&q=SR-42');
    expect(readFilters(params)).toEqual({ ...f, q: 'SR-42' });
  });

  it('asks the API for every status not closed, the chosen values, and a search once it has text', () => {
    const none = readFilters(new URLSearchParams());
    expect(listQuery(none)).toEqual({});
    expect(anyFilter(none)).toBe(false);
    expect(listQuery({ ...none, status: 'active', overdue: true, mine: true, q: ' sr-42 ' })).toEqual({
      status: ['open', 'attentionNeeded'],
      overdue: true,
      assignedTo: 'me',
      q: 'sr-42',
    });
    expect(listQuery({ ...none, status: 'attentionNeeded', severity: 'minimal', q: '   ' })).toEqual({
      status: ['attentionNeeded'],
      severity: ['minimal'],
    });
    expect(anyFilter({ ...none, q: '   ' })).toBe(false);
    expect(anyFilter({ ...none, overdue: true })).toBe(true);
  });
});

describe('a new request', () => {
  const draft: Draft = {
    title: '  Printer offline  ',
    description: ' Nobody can print since Monday. ',
    severity: 'critical',
    supportTopicId: 'microsoft365',
    subscriptionId: '',
    firstName: ' Ana ',
    lastName: 'Lopez',
    email: 'ana@contoso.example ',
    phoneNumber: '  ',
  };

  it('needs a title, description, severity, topic and the contact’s names and email', () => {
    expect(missingInputs(draft)).toEqual([]);
    expect(missingInputs({ ...draft, title: '  ', severity: '', email: '' })).toEqual([
      'title',
      'severity',
      'email',
    ]);
  });

  it('sends the values trimmed, the optional ones only when given, and the files inline', () => {
    expect(createBody(draft, [])).toEqual({
      title: 'Printer offline',
      description: 'Nobody can print since Monday.',
      severity: 'critical',
      supportTopicId: 'microsoft365',
      primaryContact: { firstName: 'Ana', lastName: 'Lopez', email: 'ana@contoso.example' },
    });
    const file = { fileName: 'error.png', contentType: 'image/png', content: 'iVBORw0KGgo=' };
    const body = createBody({ ...draft, subscriptionId: 'sub-1', phoneNumber: '+1 425 555 0100' }, [file]);
    expect(body.subscriptionId).toBe('sub-1');
    expect(body.primaryContact.phoneNumber).toBe('+1 425 555 0100');
    expect(body.attachments).toEqual([file]);
  });

  it('shows each of the API’s reasons next to the field it names, any letter case', () => {
    expect(inputForField('title')).toBe('title');
    expect(inputForField('SupportTopicId')).toBe('supportTopicId');
    expect(inputForField('primaryContact.email')).toBe('email');
    expect(inputForField('PrimaryContact.PhoneNumber')).toBe('phoneNumber');
    // The form picks a subscription, which sets the product: a reason about either is the picker's.
    expect(inputForField('productId')).toBe('subscriptionId');
    expect(inputForField('subscriptionId')).toBe('subscriptionId');
    expect(inputForField('attachments[2].content')).toBe('attachments');
    expect(inputForField('attachments')).toBe('attachments');
    expect(inputForField('email')).toBeUndefined();
    expect(inputForField('assignedTo')).toBeUndefined();
    expect(attachmentIndex('attachments[2].contentType')).toBe(2);
    expect(attachmentIndex('title')).toBeUndefined();
  });
});

describe('what the forms say, as the installation has it', () => {
  it('offers each severity with the configured first-response target', () => {
    expect(SEVERITIES.map((s) => severityChoiceText(en, settings, s))).toEqual([
      'Critical — first response within 1 hour',
      'Moderate — first response within 90 minutes',
      'Minimal — first response within 24 hours',
    ]);
    expect(severityChoiceText(texts('de', 'de-DE'), settings, 'critical')).toBe(
      'Kritisch – erste Antwort innerhalb von 1 Stunde',
    );
    expect(severityChoiceText(texts('ru', 'ru-RU'), settings, 'minimal')).toBe(
      'Низкая — первый ответ не позже чем через 24 часа',
    );
  });

  it('names the configured file size limit, the files a new request takes and the allowed types', () => {
    const types = '.png, .jpg, .jpeg, .gif, .pdf, .zip, .docx, .xlsx, .pptx, .txt, .log, .csv, .json, .eml';
    expect(filesHint(en, settings)).toBe(
      `Up to 3 files of up to 2 MB each (the server has the final say). Allowed types: ${types}.`,
    );
    expect(uploadHint(en, settings)).toBe(
      `Up to 2 MB (the server has the final say). Allowed types: ${types}.`,
    );
    expect(uploadHint(texts('ru', 'ru-RU'), settings)).toMatch(/^До 2 МБ /);
  });

  it('offers the allowed types in the file pickers', () => {
    expect(acceptOf(settings)).toBe(
      '.png,.jpg,.jpeg,.gif,.pdf,.zip,.docx,.xlsx,.pptx,.txt,.log,.csv,.json,.eml',
    );
  });

  it('refuses a file over the configured limit before sending it, naming it and its size', () => {
    expect(tooLarge(en, settings, [{ name: 'shot.png', size: 2 * MB }])).toBeUndefined();
    expect(
      tooLarge(en, settings, [
        { name: 'dump.zip', size: 2.2 * MB },
        { name: 'shot.png', size: 2 * MB },
        { name: 'trace.log', size: 2 * MB + 1 },
      ]),
    ).toBe(
      'dump.zip is 2.2 MB, more than the limit of 2 MB. trace.log is 2 MB, more than the limit of 2 MB.',
    );
  });
});

describe('files', () => {
  it('sends a file with the browser’s type when allowed, else the allowed type of its extension', () => {
    expect(contentTypeOf({ name: 'shot.PNG', type: 'image/png' }, settings)).toBe('image/png');
    expect(contentTypeOf({ name: 'server.log', type: '' }, settings)).toBe('text/plain');
    expect(contentTypeOf({ name: 'Mail.EML', type: '' }, settings)).toBe('message/rfc822');
    expect(contentTypeOf({ name: 'data.json', type: '' }, settings)).toBe('application/json');
    // Names some systems give that the API does not take.
    expect(contentTypeOf({ name: 'logs.zip', type: 'application/x-zip-compressed' }, settings)).toBe(
      'application/zip',
    );
    expect(contentTypeOf({ name: 'users.csv', type: 'application/vnd.ms-excel' }, settings)).toBe('text/csv');
    // Neither: sent as it is, and the API says why it refuses it.
    expect(contentTypeOf({ name: 'mail.html', type: 'text/html' }, settings)).toBe('text/html');
    expect(contentTypeOf({ name: 'tool.exe', type: '' }, settings)).toBe('application/octet-stream');
  });

  it('writes bytes as base64, also past the chunk a call can take at once', () => {
    expect(toBase64(new Uint8Array([0x89, 0x50, 0x4e, 0x47]))).toBe('iVBORw==');
    expect(toBase64(new Uint8Array())).toBe('');
    const big = new Uint8Array(100_000).map((_, i) => i % 251);
    expect(Buffer.from(toBase64(big), 'base64').equals(Buffer.from(big))).toBe(true);
  });

  it('says a size in bytes, kilobytes or megabytes with one decimal', () => {
    expect(sizeParts(120)).toEqual({ unit: 'byte', value: 120 });
    expect(sizeParts(1536)).toEqual({ unit: 'kilobyte', value: 1.5 });
    expect(sizeParts(5 * 1024 * 1024)).toEqual({ unit: 'megabyte', value: 5 });
  });
});

describe('what a request offers', () => {
  it('an open request: notes, files, severity, assignment, attention needed and close — to the support roles', () => {
    expect(actionsFor({ status: 'open' }, true)).toEqual({
      edit: true,
      toggleStatus: 'attentionNeeded',
      close: true,
      reopen: false,
    });
    expect(actionsFor({ status: 'attentionNeeded' }, true).toggleStatus).toBe('open');
  });

  it('a closed request only its reopening; nothing at all without support.manage', () => {
    expect(actionsFor({ status: 'closed' }, true)).toEqual({
      edit: false,
      toggleStatus: undefined,
      close: false,
      reopen: true,
    });
    for (const status of ['open', 'attentionNeeded', 'closed'])
      expect(actionsFor({ status }, false)).toEqual({
        edit: false,
        toggleStatus: undefined,
        close: false,
        reopen: false,
      });
  });

  it('closes with the closing note only when one was written', () => {
    expect(closeBody('  ')).toEqual({ status: 'closed' });
    expect(closeBody(' Fixed the driver. ')).toEqual({
      status: 'closed',
      newNote: { text: 'Fixed the driver.' },
    });
  });

  it('waits for a response until one came, never once closed', () => {
    expect(awaitingResponse({ status: 'open', firstResponseDate: null })).toBe(true);
    expect(awaitingResponse({ status: 'attentionNeeded', firstResponseDate: '2026-12-01T10:00:00Z' })).toBe(
      false,
    );
    expect(awaitingResponse({ status: 'closed', firstResponseDate: null })).toBe(false);
  });

  it('is assigned only to active partner users who may work on support, by name', () => {
    const user = (displayName: string, roles: string[], state = 'active') => ({ displayName, roles, state });
    const list = assignees([
      user('Zoe Helpdesk', ['helpdeskAgent']),
      user('Sam Sales', ['salesAgent']),
      user('Ada Admin', ['globalAdmin']),
      user('Old Agent', ['adminAgent'], 'inactive'),
      user('Bea Billing', ['billingAdmin']),
      user('Al Agent', ['adminAgent', 'billingAdmin']),
    ]);
    expect(list.map((u) => u.displayName)).toEqual(['Ada Admin', 'Al Agent', 'Zoe Helpdesk']);
  });
});

describe('the customer page’s Service requests tab by role', () => {
  it('shows to the roles that see support (a Sales agent reads it), and to no other', () => {
    const has = (roles: string[]) => customerTabs(roles).some((t) => t.id === 'serviceRequests');
    for (const role of ['globalAdmin', 'adminAgent', 'salesAgent', 'helpdeskAgent'])
      expect(has([role]), role).toBe(true);
    for (const role of ['billingAdmin', 'userManagementAdmin']) expect(has([role]), role).toBe(false);
  });
});
