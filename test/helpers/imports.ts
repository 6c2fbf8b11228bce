// Users files for import tests: CSV text in the template's form (or deliberately not), uploads through the API
// as text/csv or multipart/form-data, and waiting for an import to end.
import { randomBytes } from 'node:crypto';
import type { App } from '../../src/app.ts';
import { bearer } from './factories.ts';

export const HEADER = ['First name', 'Last name', 'Display name', 'Email', 'Status update'];

/** A users file: the header row then `rows`, CRLF line ends (as spreadsheets write them). */
export function csvOf(
  rows: readonly (readonly string[])[],
  opts: { separator?: ',' | ';'; bom?: boolean; header?: readonly string[] } = {},
): string {
  const sep = opts.separator ?? ',';
  const quote = (cell: string) =>
    cell.includes(sep) || cell.includes('"') || /[\r\n]/.test(cell)
      ? `"${cell.replaceAll('"', '""')}"`
      : cell;
  const lines = [opts.header ?? HEADER, ...rows].map((r) => r.map(quote).join(sep));
  return `${opts.bom ? '\uFEFF' : ''}${lines.join('\r\n')}\r\n`;
}

/** `count` good rows at `domain`, user names unique to this call. */
export function usersAt(domain: string, count: number, tag = randomBytes(3).toString('hex')): string[][] {
  return Array.from({ length: count }, (_, i) => [
    `First${i}`,
    `Last${i}`,
    `User ${tag} ${i}`,
    `user.${tag}.${i}@${domain}`,
    '',
  ]);
}

export interface UploadOptions {
  mode?: 'validate' | 'create';
  usageLocation?: string;
  fileName?: string;
  headers?: Record<string, string>;
  contentType?: string;
}

export function uploadCsv(
  app: App,
  token: string,
  customerId: string,
  body: string | Buffer,
  o: UploadOptions = {},
) {
  const query: Record<string, string> = {};
  if (o.mode) query.mode = o.mode;
  if (o.usageLocation) query.usageLocation = o.usageLocation;
  if (o.fileName) query.fileName = o.fileName;
  return app.inject({
    method: 'POST',
    url: `/v1/customers/${customerId}/users/imports`,
    query,
    headers: { ...bearer(token), 'content-type': o.contentType ?? 'text/csv', ...o.headers },
    payload: body,
  });
}

/** A multipart/form-data body: text fields in order, then the file part (unless `file` is undefined). */
export function multipart(
  fields: readonly [string, string][],
  file: { name?: string; filename?: string; content: string | Buffer } | undefined,
  trailing: readonly [string, string][] = [],
): { payload: Buffer; contentType: string } {
  const boundary = `----pd${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  const field = ([name, value]: [string, string]) =>
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
  fields.forEach(field);
  if (file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${file.name ?? 'file'}"; filename="${
          file.filename ?? 'users.csv'
        }"\r\nContent-Type: text/csv\r\n\r\n`,
      ),
      Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content),
      Buffer.from('\r\n'),
    );
  }
  trailing.forEach(field);
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

export function uploadForm(
  app: App,
  token: string,
  customerId: string,
  form: { payload: Buffer; contentType: string },
  headers: Record<string, string> = {},
) {
  return app.inject({
    method: 'POST',
    url: `/v1/customers/${customerId}/users/imports`,
    headers: { ...bearer(token), 'content-type': form.contentType, ...headers },
    payload: form.payload,
  });
}

export interface UserImport {
  id: string;
  state: string;
  totalRows: number;
  rowsDone: number;
  created: number;
  failed: number;
  percentComplete: number;
  passwordsAvailable: boolean;
  [k: string]: unknown;
}

/** Polls the import until it has ended (completed or failed). */
export async function waitForImport(
  app: App,
  token: string,
  customerId: string,
  importId: string,
  ms = 30_000,
): Promise<UserImport> {
  const until = Date.now() + ms;
  for (;;) {
    const r = await app.inject({
      url: `/v1/customers/${customerId}/users/imports/${importId}`,
      headers: bearer(token),
    });
    if (r.statusCode !== 200) throw new Error(`waitForImport: ${r.statusCode} ${r.body}`);
    const body = r.json<UserImport>();
    if (body.state === 'completed' || body.state === 'failed') return body;
    if (Date.now() > until) throw new Error(`import ${importId} still ${body.state}: ${r.body}`);
    await new Promise((res) => setTimeout(res, 50));
  }
}
