// What a service request may carry as a file, decided from the bytes alone (no I/O): the declared type must be on
// the allow list, the name must end in one of that type's extensions, and the content must look like that type.
// A file is downloaded later by people at the partner, so anything a browser could render as active content (HTML,
// SVG, script) is refused, and the declared type is never trusted without checking the first bytes.
import { createHash } from 'node:crypto';
import { AppError } from '../../lib/errors.ts';

export const MAX_ATTACHMENTS_PER_REQUEST = 20;

type Kind = 'png' | 'jpeg' | 'gif' | 'pdf' | 'zip' | 'text';

export const ALLOWED_ATTACHMENT_TYPES: readonly {
  contentType: string;
  extensions: readonly string[];
  kind: Kind;
}[] = [
  { contentType: 'image/png', extensions: ['.png'], kind: 'png' },
  { contentType: 'image/jpeg', extensions: ['.jpg', '.jpeg'], kind: 'jpeg' },
  { contentType: 'image/gif', extensions: ['.gif'], kind: 'gif' },
  { contentType: 'application/pdf', extensions: ['.pdf'], kind: 'pdf' },
  { contentType: 'application/zip', extensions: ['.zip'], kind: 'zip' },
  {
    contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    extensions: ['.docx'],
    kind: 'zip',
  },
  {
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    extensions: ['.xlsx'],
    kind: 'zip',
  },
  {
    contentType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    extensions: ['.pptx'],
    kind: 'zip',
  },
  { contentType: 'text/plain', extensions: ['.txt', '.log'], kind: 'text' },
  { contentType: 'text/csv', extensions: ['.csv'], kind: 'text' },
  { contentType: 'application/json', extensions: ['.json'], kind: 'text' },
  { contentType: 'message/rfc822', extensions: ['.eml'], kind: 'text' },
];

// The first bytes each binary kind starts with; a file may match any one of its kind's signatures.
const SIGNATURES: Record<Exclude<Kind, 'text'>, { name: string; starts: readonly Buffer[] }> = {
  png: { name: 'a PNG image', starts: [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])] },
  jpeg: { name: 'a JPEG image', starts: [Buffer.from([0xff, 0xd8, 0xff])] },
  gif: { name: 'a GIF image', starts: [Buffer.from('GIF87a', 'latin1'), Buffer.from('GIF89a', 'latin1')] },
  pdf: { name: 'a PDF document', starts: [Buffer.from('%PDF-', 'latin1')] },
  // Office documents are ZIP archives; an empty archive is only its end record.
  zip: {
    name: 'a ZIP archive',
    starts: [Buffer.from('PK\x03\x04', 'latin1'), Buffer.from('PK\x05\x06', 'latin1')],
  },
};

const MAX_FILE_NAME_LENGTH = 255;
// Path separators would let a name point elsewhere when saved; control characters (NUL included) and the
// invisible direction overrides can make "invoice‮fdp.exe" read as something it is not.
const FORBIDDEN_IN_NAME = /[/\\\p{Cc}\p{Bidi_Control}]/u;
// A declared type is echoed back in the refusal; a pathological one is cut short there.
const MAX_ECHOED_TYPE = 100;

/** The declared type as compared: lower-case, without parameters (`Text/Plain; charset=utf-8` → `text/plain`). */
function normalizeContentType(declared: string): string {
  return (declared.split(';')[0] ?? '').trim().toLowerCase();
}

function notAllowed(field: string, reason: string): AppError {
  return new AppError('attachmentNotAllowed', { details: [{ field, reason }] });
}

function isUtf8Text(bytes: Buffer): boolean {
  if (bytes.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * Checks one file and returns what is stored about it. Throws AppError attachmentNotAllowed (400) or
 * attachmentTooLarge (413) with one detail whose field is prefixed by `fieldPrefix` ('' or 'attachments[0].').
 */
export function checkAttachment(
  file: { fileName: string; contentType: string; bytes: Buffer },
  maxBytes: number,
  fieldPrefix = '',
): { fileName: string; contentType: string; sizeBytes: number; sha256: string } {
  const contentType = normalizeContentType(file.contentType);
  const type = ALLOWED_ATTACHMENT_TYPES.find((t) => t.contentType === contentType);
  if (!type) {
    const allowed = ALLOWED_ATTACHMENT_TYPES.map((t) => t.contentType).join(', ');
    const shown =
      contentType.length > MAX_ECHOED_TYPE ? `${contentType.slice(0, MAX_ECHOED_TYPE)}…` : contentType;
    throw notAllowed(
      `${fieldPrefix}contentType`,
      shown === ''
        ? `is missing; allowed: ${allowed}`
        : `${shown} is not an allowed type; allowed: ${allowed}`,
    );
  }

  const fileName = file.fileName.trim();
  const nameField = `${fieldPrefix}fileName`;
  if (fileName === '') throw notAllowed(nameField, 'is empty');
  // Counted in characters (code points), as the database counts them. A character is one or two UTF-16 units,
  // so the name's length in units bounds the count: a name of any size is refused by that alone, and only one
  // of up to twice the limit is walked character by character (an unbounded one would cost memory and time).
  if (
    fileName.length > MAX_FILE_NAME_LENGTH &&
    (fileName.length > 2 * MAX_FILE_NAME_LENGTH || [...fileName].length > MAX_FILE_NAME_LENGTH)
  )
    throw notAllowed(nameField, `is longer than ${MAX_FILE_NAME_LENGTH} characters`);
  if (FORBIDDEN_IN_NAME.test(fileName))
    throw notAllowed(nameField, 'contains /, \\, a NUL or another control character');
  const lowerName = fileName.toLowerCase();
  if (!type.extensions.some((ext) => lowerName.endsWith(ext)))
    throw notAllowed(nameField, `must end in ${type.extensions.join(' or ')} for ${contentType}`);

  const sizeBytes = file.bytes.length;
  const contentField = `${fieldPrefix}content`;
  if (sizeBytes > maxBytes) throw tooLarge(sizeBytes, maxBytes, contentField);
  if (sizeBytes === 0) throw notAllowed(contentField, 'is empty');
  if (type.kind === 'text') {
    if (!isUtf8Text(file.bytes)) throw notAllowed(contentField, 'is not UTF-8 text');
  } else {
    const signature = SIGNATURES[type.kind];
    if (!signature.starts.some((start) => file.bytes.subarray(0, start.length).equals(start)))
      throw notAllowed(contentField, `is not ${signature.name}`);
  }

  return {
    fileName,
    contentType,
    sizeBytes,
    sha256: createHash('sha256').update(file.bytes).digest('hex'),
  };
}

/**
 * attachmentTooLarge (413) naming `field`, with the file's size (undefined: not known, the body being cut off at
 * the limit) and the limit.
 */
export function tooLarge(sizeBytes: number | undefined, maxBytes: number, field = 'content'): AppError {
  const limit = formatBytes(maxBytes);
  const size = sizeBytes === undefined ? undefined : formatBytes(sizeBytes);
  return new AppError('attachmentTooLarge', {
    details: [
      {
        field,
        reason:
          size === undefined
            ? `is larger than the limit of ${limit}`
            : // Just over the limit both round to the same figure ("5 MB; the limit is 5 MB"): then in bytes.
              size === limit
              ? `is ${sizeBytes} bytes; the limit is ${maxBytes} bytes`
              : `is ${size}; the limit is ${limit}`,
      },
    ],
  });
}

/**
 * The content type a download is served with: text kinds as plain UTF-8 text (a browser never interprets JSON,
 * CSV or mail as anything else), the others as stored. Anything not on the allow list is served as opaque bytes.
 */
export function servedContentType(storedContentType: string): string {
  const type = ALLOWED_ATTACHMENT_TYPES.find(
    (t) => t.contentType === normalizeContentType(storedContentType),
  );
  if (!type) return 'application/octet-stream';
  return type.kind === 'text' ? 'text/plain; charset=utf-8' : type.contentType;
}

const UNITS = ['KB', 'MB', 'GB'] as const;

/** A size for people, in 1024s with at most one decimal: 900 → "900 bytes", 5242880 → "5 MB", 6396313 → "6.1 MB". */
export function formatBytes(n: number): string {
  if (n < 1024) return n === 1 ? '1 byte' : `${n} bytes`;
  let value = n / 1024;
  let unit = 0;
  // Move up a unit when the rounded figure would read 1024 (1048575 bytes is "1 MB", not "1024 KB").
  while (unit < UNITS.length - 1 && Math.round(value * 10) / 10 >= 1024) {
    value /= 1024;
    unit++;
  }
  const rounded = Math.round(value * 10) / 10;
  return `${Number.isInteger(rounded) ? rounded.toFixed(0) : rounded.toFixed(1)} ${UNITS[unit]}`;
}

/**
 * The file name a Content-Disposition header gives (filename* before filename), if any: the name of an upload,
 * and the name the CLI saves a download under.
 */
export function dispositionFileName(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const extended = /(?:^|;)\s*filename\*\s*=\s*([^']*)'[^']*'([^;]*)/i.exec(header);
  if (extended && /^utf-8$/i.test(extended[1]!.trim()))
    try {
      return decodeURIComponent(extended[2]!.trim());
    } catch {
      // Not percent-encoded UTF-8: fall back to the plain name.
    }
  const plain = /(?:^|;)\s*filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/i.exec(header);
  if (!plain) return undefined;
  return plain[1] !== undefined ? plain[1].replace(/\\(.)/g, '$1') : plain[2]!.trim();
}
