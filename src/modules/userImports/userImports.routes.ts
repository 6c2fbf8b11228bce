// Adding customer users from a file: /v1/users/import-template.csv (the template) and
// /v1/customers/{customerId}/users/imports (upload to validate or create; the imports, their results and their
// one-time passwords). The upload's body is streamed, never parsed into memory: as text/csv (or
// application/csv), or as the `file` part of multipart/form-data.
import multipart from '@fastify/multipart';
import type { MultipartFile, Multipart } from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { Type } from 'typebox';
import type { Config } from '../../config.ts';
import { attachmentDisposition } from '../../http/content-disposition.ts';
import { requestIdOf } from '../../http/idempotency.plugin.ts';
import { collection, pageRequest } from '../../http/schemas.ts';
import { AppError, invalid } from '../../lib/errors.ts';
import type { FileSource, UploadParameters, UserImportsService } from './userImports.service.ts';
import {
  CustomerParams,
  ImportListQuery,
  ImportParams,
  UPLOAD_BODY,
  UploadQuery,
  UserImportList,
  UserImportSchema,
  ValidationSchema,
  csvResponse,
  errors,
} from './userImports.schemas.ts';
import { usersTemplateCsv } from './users.csv.ts';

const TAGS = ['Customer users'];
const FORM_FIELDS: readonly (keyof UploadParameters)[] = ['mode', 'usageLocation', 'fileName'];
const CSV_TYPES = ['text/csv', 'application/csv'];

/** A CSV file the client saves under `filename` (the template, an import's results or its passwords). */
function sendCsv(reply: FastifyReply, file: { filename: string; stream: unknown }): FastifyReply {
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', attachmentDisposition(file.filename))
    .send(file.stream);
}

/** A multipart problem as an answer: too large is a 413, anything else a 400 naming the body. */
function multipartError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const status = (err as { statusCode?: number }).statusCode;
  if (status === 413)
    return new AppError('bodyTooLarge', {
      message: 'The form is larger than allowed: send one users file and the fields mode and usageLocation.',
    });
  return invalid({
    field: 'body',
    reason: `is not a readable multipart/form-data body (${(err as Error).message ?? 'unreadable'})`,
  });
}

async function nextPart(parts: AsyncIterator<Multipart>): Promise<IteratorResult<Multipart>> {
  try {
    return await parts.next();
  } catch (err) {
    throw multipartError(err);
  }
}

/** The file part's bytes, then a check that nothing follows it (the file's reader commits only after this). */
async function* fileThenNothing(part: MultipartFile, parts: AsyncIterator<Multipart>) {
  try {
    for await (const chunk of part.file) yield chunk as Buffer;
  } catch (err) {
    throw multipartError(err);
  }
  const after = await nextPart(parts);
  if (!after.done)
    throw invalid({
      field: after.value.fieldname,
      reason:
        after.value.type === 'file'
          ? 'is a second file: send one users file per upload'
          : 'comes after the file: send the fields first, then the file',
    });
}

/** The body's bytes; a client that goes away part-way is a 400 (nothing is written), not a server error. */
async function* untilCutOff(body: Readable) {
  try {
    for await (const chunk of body) yield chunk as Buffer;
  } catch {
    throw invalid({ field: 'body', reason: 'was cut off before its end: send the file again' });
  }
}

/** The upload's file: the body itself, or the form's `file` part once the fields before it are read. */
function fileSource(request: FastifyRequest): FileSource {
  if (request.isMultipart())
    return {
      async open() {
        const parts = request.parts()[Symbol.asyncIterator]();
        const fields: UploadParameters = {};
        for (;;) {
          const next = await nextPart(parts);
          if (next.done)
            throw new AppError('usersFileInvalid', {
              details: [
                { field: 'file', reason: 'is missing: send the users file as the form part named file' },
              ],
            });
          const part = next.value;
          const name = FORM_FIELDS.find((f) => f.toLowerCase() === part.fieldname.toLowerCase());
          if (part.type === 'file') {
            if (part.fieldname.toLowerCase() !== 'file')
              throw invalid({
                field: part.fieldname,
                reason: 'is not a part of this form: name the file part file',
              });
            return { fields, fileName: part.filename, bytes: fileThenNothing(part, parts) };
          }
          if (!name)
            throw invalid({
              field: part.fieldname,
              reason: `is not a field of this form (${[...FORM_FIELDS, 'file'].join(', ')})`,
            });
          if (typeof part.value !== 'string' || part.valueTruncated)
            throw invalid({ field: name, reason: 'must be a short text value' });
          fields[name] = part.value;
        }
      },
    };
  const body = request.body;
  return {
    async open() {
      if (!(body instanceof Readable))
        throw new AppError('usersFileInvalid', {
          details: [
            {
              field: 'file',
              reason:
                'is missing: send the users file as the body (Content-Type: text/csv) or as the file part of ' +
                'multipart/form-data',
            },
          ],
        });
      return { fields: {}, bytes: untilCutOff(body) };
    },
  };
}

/** A file of an import, as CSV: refused with 409 while the import runs, and with any of `more`. */
const importFileSchema = (summary: string, description: string, ...more: number[]) => ({
  tags: TAGS,
  summary,
  description,
  params: ImportParams,
  produces: ['text/csv'],
  response: { 200: csvResponse, ...errors(400, 401, 403, 404, 409, ...more) },
});

const resultsSchema = importFileSchema(
  'Download the results file of a users import',
  'The file as uploaded (its separator, byte order mark and header) with `Status update` filled in: ' +
    '`Created`, or why the row was not created. 409 importNotFinished while the import runs.',
);

const passwordsSchema = importFileSchema(
  'Download the temporary passwords of a users import, once',
  '`Display name,User name,Temporary password` of every user the import created. Available once the ' +
    'import has ended (409 importNotFinished before), and only once: the passwords are erased when the ' +
    'file has been sent, and asking again is a 410 passwordsAlreadyDownloaded (reset a user’s password ' +
    'to give it a new one). A download cut off part-way erases nothing.',
  410,
);

export const userImportsRoutes: FastifyPluginAsyncTypebox<{
  userImports: UserImportsService;
  config: Pick<Config, 'usersImport'>;
}> = async (app, { userImports, config }) => {
  const limits = config.usersImport;
  // Only in this plugin's routes: the file arrives as the raw stream and is read by the service as it comes.
  app.addContentTypeParser(CSV_TYPES, (_request, payload, done) => done(null, payload));
  await app.register(multipart, {
    // Room for a second file, so that it is refused as such rather than as an oversized form.
    limits: { fileSize: limits.maxFileBytes, files: 2, fields: 10, fieldSize: 1000, parts: 12 },
  });

  app.get(
    '/v1/users/import-template.csv',
    {
      config: { operation: 'customerUsers.manage' },
      schema: {
        tags: TAGS,
        summary: 'Download the users file template',
        description:
          'The header row of a users file, `First name,Last name,Display name,Email,Status update` (UTF-8 ' +
          'with a BOM, so spreadsheets open it as UTF-8). Fill one row per user: Display name and Email ' +
          'required, names up to 50 characters, Email at one of the customer’s domains, Status update empty. ' +
          'Not offered where the cloud instance does not allow adding users in bulk.',
        produces: ['text/csv'],
        response: { 200: csvResponse, ...errors(401, 403) },
      },
    },
    async (request, reply) => {
      userImports.assertBulkAllowed(request.ctx);
      return sendCsv(reply, { filename: 'users-template.csv', stream: usersTemplateCsv() });
    },
  );

  app.post(
    '/v1/customers/:customerId/users/imports',
    {
      config: { operation: 'customerUsers.manage', streamedBody: { content: UPLOAD_BODY } },
      bodyLimit: limits.maxFileBytes,
      schema: {
        tags: TAGS,
        summary: 'Add users from a file: validate it, or create its users as a job',
        description:
          `Send the users file as the body (\`text/csv\`) or as the \`file\` part of multipart/form-data ` +
          `(fields mode, usageLocation, fileName before it). At most ${limits.maxRows.toLocaleString('en-US')} ` +
          `rows and ${Math.round(limits.maxFileBytes / 1024 / 1024)} MiB; the file is read as it arrives. A ` +
          'problem with the file as a whole (a column missing, extra, repeated or out of order, not UTF-8 CSV, ' +
          'no rows, too many rows) refuses it with 400 usersFileInvalid naming the column or the limit, and ' +
          'nothing is written. `mode=validate` answers 200 with each row’s problems (an Email not at one of the ' +
          'customer’s domains, already a user, twice in the file; a name over 50 characters; no Display name; ' +
          'a Status update given) and writes nothing. `mode=create` (with `usageLocation`) stores the file and ' +
          'answers 202 with the import to follow (Location): rows with problems are reported failed, the others ' +
          'are created by a background job, each user without a directory role ("can use licenses and ' +
          'services") and with a temporary password to change at first sign-in. The same file for the same ' +
          'customer and location again answers 200 with that import: a retry never creates a user twice. With ' +
          'MS-RequestId the same file and parameters answer the first import again (MS-Idempotent-Replay: ' +
          'true); another file with the same id is a 409.',
        params: CustomerParams,
        querystring: UploadQuery,
        response: {
          200: Type.Union([ValidationSchema, UserImportSchema]),
          202: UserImportSchema,
          ...errors(400, 401, 403, 404, 409, 413, 415),
        },
      },
    },
    async (request, reply) => {
      const { customerId } = request.params;
      const outcome = await userImports.upload(request.ctx, customerId, {
        query: request.query,
        source: fileSource(request),
        requestId: requestIdOf(request),
        method: request.method,
        path: request.url.split('?', 1)[0]!,
      });
      if (outcome.kind === 'validated') return outcome.validation;
      reply.header('location', outcome.import.links.self.uri);
      if (outcome.kind === 'existing') {
        if (outcome.replay) reply.header('ms-idempotent-replay', 'true');
        return reply.code(outcome.statusCode as 200).send(outcome.import);
      }
      return reply.code(202).send(outcome.import);
    },
  );

  app.get(
    '/v1/customers/:customerId/users/imports',
    {
      config: { operation: 'customerUsers.view' },
      schema: {
        tags: TAGS,
        summary: 'List a customer’s users imports',
        description: 'Your imports for the customer, newest first, with their progress.',
        params: CustomerParams,
        querystring: ImportListQuery,
        response: { 200: UserImportList, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) =>
      collection(
        request,
        await userImports.list(request.ctx, request.params.customerId, pageRequest(request, request.query)),
      ),
  );

  app.get(
    '/v1/customers/:customerId/users/imports/:importId',
    {
      config: { operation: 'customerUsers.view' },
      schema: {
        tags: TAGS,
        summary: 'Get a users import and its progress',
        description:
          'Poll it while `state` is queued or running: `rowsDone` of `totalRows` (`percentComplete`), ' +
          '`created` and `failed` so far.',
        params: ImportParams,
        response: { 200: UserImportSchema, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => userImports.get(request.ctx, request.params.customerId, request.params.importId),
  );

  app.get(
    '/v1/customers/:customerId/users/imports/:importId/results.csv',
    {
      config: { operation: 'customerUsers.view' },
      schema: resultsSchema,
    },
    async (request, reply) =>
      sendCsv(
        reply,
        await userImports.resultsCsv(request.ctx, request.params.customerId, request.params.importId),
      ),
  );

  app.get(
    '/v1/customers/:customerId/users/imports/:importId/passwords.csv',
    {
      config: { operation: 'customerUsers.manage' },
      schema: passwordsSchema,
    },
    async (request, reply) => {
      const file = await userImports.passwordsCsv(
        request.ctx,
        request.params.customerId,
        request.params.importId,
      );
      // The passwords are shown once: no cache may keep a copy.
      return sendCsv(reply.header('cache-control', 'no-store'), file);
    },
  );
};
