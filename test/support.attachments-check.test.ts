// Service request attachments: the allow list, names, sizes and content checks, and how downloads are typed.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AppError } from '../src/lib/errors.ts';
import {
  ALLOWED_ATTACHMENT_TYPES,
  MAX_ATTACHMENTS_PER_REQUEST,
  checkAttachment,
  formatBytes,
  servedContentType,
} from '../src/modules/support/attachments.check.ts';

const MB = 1024 * 1024;
const LIMIT = 5 * MB;

const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('IHDR'),
]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46]);
const GIF87 = Buffer.from('GIF87a\x01\x00\x01\x00', 'latin1');
const GIF89 = Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1');
const PDF = Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n', 'latin1');
const ZIP = Buffer.from('PK\x03\x04\x14\x00\x00\x00\x08\x00', 'latin1');
const EMPTY_ZIP = Buffer.from('PK\x05\x06' + '\x00'.repeat(18), 'latin1');

/** The error `fn` throws, as {status, name, details}. */
function refusal(fn: () => unknown): { status: number; name: string; details: unknown } {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    return { status: err.status, name: err.errorName, details: err.extra.details };
  }
  throw new Error('expected a refusal, but the file was accepted');
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

describe('checkAttachment accepts', () => {
  const cases: [string, string, Buffer][] = [
    ['screenshot.png', 'image/png', PNG],
    ['photo.jpg', 'image/jpeg', JPEG],
    ['photo.JPEG', 'image/jpeg', JPEG],
    ['old.gif', 'image/gif', GIF87],
    ['anim.gif', 'image/gif', GIF89],
    ['invoice.pdf', 'application/pdf', PDF],
    ['logs.zip', 'application/zip', ZIP],
    ['nothing.zip', 'application/zip', EMPTY_ZIP],
    ['letter.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', ZIP],
    ['sheet.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', ZIP],
    ['deck.pptx', 'application/vnd.openxmlformats-officedocument.presentationml.presentation', ZIP],
    ['notes.txt', 'text/plain', Buffer.from('Mail stopped at 09:12 — Grüße, Jörg 🙂\n')],
    ['server.log', 'text/plain', Buffer.from('2026-12-09T09:00:00Z error: timeout\n')],
    ['users.csv', 'text/csv', Buffer.from('name,email\nAda,ada@contoso.com\n')],
    ['settings.json', 'application/json', Buffer.from('{"tenant":"contoso","retries":3}')],
    ['bounce.eml', 'message/rfc822', Buffer.from('From: a@contoso.com\r\nSubject: bounce\r\n\r\nbody\r\n')],
  ];

  it.each(cases)('%s as %s', (fileName, contentType, bytes) => {
    expect(checkAttachment({ fileName, contentType, bytes }, LIMIT)).toEqual({
      fileName,
      contentType,
      sizeBytes: bytes.length,
      sha256: sha256(bytes),
    });
  });

  it('covers every type on the allow list', () => {
    expect(new Set(cases.map(([, type]) => type))).toEqual(
      new Set(ALLOWED_ATTACHMENT_TYPES.map((t) => t.contentType)),
    );
    expect(MAX_ATTACHMENTS_PER_REQUEST).toBe(20);
  });

  it('normalizes the declared type and trims the name', () => {
    expect(
      checkAttachment(
        { fileName: '  Report.PDF \t', contentType: ' Application/PDF ; name="x"', bytes: PDF },
        LIMIT,
      ),
    ).toMatchObject({ fileName: 'Report.PDF', contentType: 'application/pdf' });
    expect(
      checkAttachment(
        { fileName: 'a.txt', contentType: 'TEXT/PLAIN; charset=UTF-8', bytes: Buffer.from('hi') },
        LIMIT,
      ).contentType,
    ).toBe('text/plain');
  });

  it('accepts a file of exactly the limit', () => {
    const bytes = Buffer.concat([PDF, Buffer.alloc(2048 - PDF.length, 0x20)]);
    expect(
      checkAttachment({ fileName: 'a.pdf', contentType: 'application/pdf', bytes }, 2048).sizeBytes,
    ).toBe(2048);
  });

  it('accepts a name of 255 characters, counted as characters', () => {
    const fileName = `${'é'.repeat(251)}.txt`;
    expect(
      checkAttachment({ fileName, contentType: 'text/plain', bytes: Buffer.from('x') }, LIMIT).fileName,
    ).toBe(fileName);
    // Characters outside the BMP are two UTF-16 units each: 255 of them (510 units) are still 255 characters.
    const wide = `${'🙂'.repeat(251)}.txt`;
    expect(
      checkAttachment({ fileName: wide, contentType: 'text/plain', bytes: Buffer.from('x') }, LIMIT).fileName,
    ).toBe(wide);
    expect(
      refusal(() =>
        checkAttachment({ fileName: `🙂${wide}`, contentType: 'text/plain', bytes: Buffer.from('x') }, LIMIT),
      ).details,
    ).toEqual([{ field: 'fileName', reason: 'is longer than 255 characters' }]);
  });
});

describe('checkAttachment refuses', () => {
  it.each([
    'text/html',
    'image/svg+xml',
    'application/javascript',
    'text/javascript',
    'application/octet-stream',
  ])('%s, naming contentType and the allowed types', (contentType) => {
    const err = refusal(() =>
      checkAttachment(
        { fileName: 'page.html', contentType, bytes: Buffer.from('<script>alert(1)</script>') },
        LIMIT,
      ),
    );
    expect(err).toMatchObject({ status: 400, name: 'attachmentNotAllowed' });
    expect(err.details).toEqual([
      {
        field: 'contentType',
        reason: expect.stringMatching(
          new RegExp(`^${contentType.replace(/[+]/g, '\\+')} is not an allowed type; allowed: image/png, `),
        ),
      },
    ]);
  });

  it('a missing content type', () => {
    expect(
      refusal(() => checkAttachment({ fileName: 'a.txt', contentType: '', bytes: Buffer.from('x') }, LIMIT))
        .details,
    ).toEqual([{ field: 'contentType', reason: expect.stringMatching(/^is missing; allowed: /) }]);
  });

  it('an extension that does not match the type', () => {
    const err = refusal(() =>
      checkAttachment({ fileName: 'invoice.exe', contentType: 'application/pdf', bytes: PDF }, LIMIT),
    );
    expect(err).toEqual({
      status: 400,
      name: 'attachmentNotAllowed',
      details: [{ field: 'fileName', reason: 'must end in .pdf for application/pdf' }],
    });
    expect(
      refusal(() => checkAttachment({ fileName: 'photo.png', contentType: 'image/jpeg', bytes: JPEG }, LIMIT))
        .details,
    ).toEqual([{ field: 'fileName', reason: 'must end in .jpg or .jpeg for image/jpeg' }]);
    // The extension is the end of the name, not a part of it.
    expect(
      refusal(() =>
        checkAttachment({ fileName: 'report.pdf.exe', contentType: 'application/pdf', bytes: PDF }, LIMIT),
      ).details,
    ).toMatchObject([{ field: 'fileName' }]);
  });

  it.each([
    ['', 'is empty'],
    ['   ', 'is empty'],
    [`${'a'.repeat(252)}.txt`, 'is longer than 255 characters'],
    ['../etc/passwd.txt', 'contains /, \\, a NUL or another control character'],
    ['C:\\temp\\notes.txt', 'contains /, \\, a NUL or another control character'],
    ['notes\u0000.txt', 'contains /, \\, a NUL or another control character'],
    ['line\nbreak.txt', 'contains /, \\, a NUL or another control character'],
    ['bell\u0007.txt', 'contains /, \\, a NUL or another control character'],
    ['del\u007f.txt', 'contains /, \\, a NUL or another control character'],
    ['invoice\u202Etxt.exe.txt', 'contains /, \\, a NUL or another control character'],
  ])('the file name %j: %s', (fileName, reason) => {
    expect(
      refusal(() => checkAttachment({ fileName, contentType: 'text/plain', bytes: Buffer.from('x') }, LIMIT)),
    ).toEqual({ status: 400, name: 'attachmentNotAllowed', details: [{ field: 'fileName', reason }] });
  });

  it('a name of millions of characters by its length alone, without walking it character by character', () => {
    // Walking 20 million characters one by one holds some 200 MB and takes half a second; a request body may
    // carry a name that long.
    const fileName = `${'a'.repeat(20_000_000)}.txt`;
    // Walking a string character by character ([...name], for…of) goes through its iterator: count the walks.
    const iterator = String.prototype[Symbol.iterator];
    let walks = 0;
    const setIterator = (value: unknown) =>
      Object.defineProperty(String.prototype, Symbol.iterator, { value, configurable: true, writable: true });
    setIterator(function (this: string) {
      walks++;
      return iterator.call(this);
    });
    let refused: ReturnType<typeof refusal>;
    try {
      refused = refusal(() =>
        checkAttachment({ fileName, contentType: 'text/plain', bytes: Buffer.from('x') }, LIMIT),
      );
    } finally {
      setIterator(iterator);
    }
    expect(walks).toBe(0);
    expect(refused).toEqual({
      status: 400,
      name: 'attachmentNotAllowed',
      details: [{ field: 'fileName', reason: 'is longer than 255 characters' }],
    });
  });

  it.each([
    ['a.png', 'image/png', PDF, 'is not a PNG image'],
    ['a.jpg', 'image/jpeg', PNG, 'is not a JPEG image'],
    ['a.gif', 'image/gif', Buffer.from('GIF88a....', 'latin1'), 'is not a GIF image'],
    ['a.pdf', 'application/pdf', Buffer.from('<html>%PDF-</html>'), 'is not a PDF document'],
    ['a.zip', 'application/zip', PDF, 'is not a ZIP archive'],
    [
      'a.docx',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      PDF,
      'is not a ZIP archive',
    ],
    ['a.png', 'image/png', PNG.subarray(0, 7), 'is not a PNG image'],
  ])('%s declared %s with other content: %s', (fileName, contentType, bytes, reason) => {
    expect(refusal(() => checkAttachment({ fileName, contentType, bytes }, LIMIT))).toEqual({
      status: 400,
      name: 'attachmentNotAllowed',
      details: [{ field: 'content', reason }],
    });
  });

  it('an empty file', () => {
    expect(
      refusal(() =>
        checkAttachment({ fileName: 'a.txt', contentType: 'text/plain', bytes: Buffer.alloc(0) }, LIMIT),
      ),
    ).toEqual({
      status: 400,
      name: 'attachmentNotAllowed',
      details: [{ field: 'content', reason: 'is empty' }],
    });
  });

  it.each([
    ['invalid UTF-8', Buffer.from([0x68, 0x69, 0xc3, 0x28])],
    ['a lone continuation byte', Buffer.from([0x80, 0x41])],
    ['Latin-1 text', Buffer.from('Grüße', 'latin1')],
    ['a NUL byte', Buffer.from('before\u0000after')],
    ['UTF-16', Buffer.from('\ufeffhello', 'utf16le')],
  ])('text with %s', (_, bytes) => {
    for (const [fileName, contentType] of [
      ['a.txt', 'text/plain'],
      ['a.csv', 'text/csv'],
      ['a.json', 'application/json'],
      ['a.eml', 'message/rfc822'],
    ] as const)
      expect(refusal(() => checkAttachment({ fileName, contentType, bytes }, LIMIT))).toEqual({
        status: 400,
        name: 'attachmentNotAllowed',
        details: [{ field: 'content', reason: 'is not UTF-8 text' }],
      });
  });

  it('a file over the limit with 413 and both sizes', () => {
    const bytes = Buffer.concat([PDF, Buffer.alloc(6396313 - PDF.length, 0x20)]);
    expect(
      refusal(() => checkAttachment({ fileName: 'big.pdf', contentType: 'application/pdf', bytes }, LIMIT)),
    ).toEqual({
      status: 413,
      name: 'attachmentTooLarge',
      details: [{ field: 'content', reason: 'is 6.1 MB; the limit is 5 MB' }],
    });
  });

  it('a file one byte over the limit, in bytes where the rounded sizes would read the same', () => {
    const bytes = Buffer.alloc(2049, 0x41);
    expect(
      refusal(() => checkAttachment({ fileName: 'a.txt', contentType: 'text/plain', bytes }, 2048)).details,
    ).toEqual([{ field: 'content', reason: 'is 2049 bytes; the limit is 2048 bytes' }]);
  });

  it('with every field prefixed for an inline attachment', () => {
    const at = 'attachments[2].';
    expect(
      refusal(() =>
        checkAttachment({ fileName: 'a.html', contentType: 'text/html', bytes: Buffer.from('x') }, LIMIT, at),
      ).details,
    ).toMatchObject([{ field: 'attachments[2].contentType' }]);
    expect(
      refusal(() =>
        checkAttachment({ fileName: 'a.exe', contentType: 'application/pdf', bytes: PDF }, LIMIT, at),
      ).details,
    ).toMatchObject([{ field: 'attachments[2].fileName' }]);
    expect(
      refusal(() => checkAttachment({ fileName: 'a.png', contentType: 'image/png', bytes: PDF }, LIMIT, at))
        .details,
    ).toEqual([{ field: 'attachments[2].content', reason: 'is not a PNG image' }]);
    const big = Buffer.concat([PDF, Buffer.alloc(6396313 - PDF.length, 0x20)]);
    expect(
      refusal(() =>
        checkAttachment({ fileName: 'a.pdf', contentType: 'application/pdf', bytes: big }, LIMIT, at),
      ),
    ).toEqual({
      status: 413,
      name: 'attachmentTooLarge',
      details: [{ field: 'attachments[2].content', reason: 'is 6.1 MB; the limit is 5 MB' }],
    });
  });
});

describe('servedContentType', () => {
  it.each([
    ['image/png', 'image/png'],
    ['image/jpeg', 'image/jpeg'],
    ['image/gif', 'image/gif'],
    ['application/pdf', 'application/pdf'],
    ['application/zip', 'application/zip'],
    [
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    ],
    ['text/plain', 'text/plain; charset=utf-8'],
    ['text/csv', 'text/plain; charset=utf-8'],
    ['application/json', 'text/plain; charset=utf-8'],
    ['message/rfc822', 'text/plain; charset=utf-8'],
    ['text/html', 'application/octet-stream'],
    ['image/svg+xml', 'application/octet-stream'],
    ['application/javascript', 'application/octet-stream'],
  ])('serves %s as %s', (stored, served) => {
    expect(servedContentType(stored)).toBe(served);
  });
});

describe('formatBytes', () => {
  it.each([
    [0, '0 bytes'],
    [1, '1 byte'],
    [900, '900 bytes'],
    [1023, '1023 bytes'],
    [1024, '1 KB'],
    [1536, '1.5 KB'],
    [2048, '2 KB'],
    [1048575, '1 MB'],
    [5242880, '5 MB'],
    [6396313, '6.1 MB'],
    [50 * 1024 * 1024, '50 MB'],
    [3 * 1024 * 1024 * 1024, '3 GB'],
  ])('%i bytes is %s', (n, text) => {
    expect(formatBytes(n)).toBe(text);
  });
});
