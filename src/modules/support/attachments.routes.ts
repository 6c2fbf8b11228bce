// A service request's files: /v1/servicerequests/{id}/attachments (upload one, the body being the file itself)
// and /v1/servicerequests/{id}/attachments/{attachmentId} (download it, always as a download: never shown as a
// page, never run as a script).
import type { IncomingMessage } from 'node:http';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Config } from '../../config.ts';
import { attachmentDisposition } from '../../http/content-disposition.ts';
import { REPLAY_HEADER, requestIdOf } from '../../http/idempotency.plugin.ts';
import { invalid } from '../../lib/errors.ts';
import { ALLOWED_ATTACHMENT_TYPES, dispositionFileName, tooLarge } from './attachments.check.ts';
import { AttachmentParams, FileLinkSchema, RULES, RequestParams, errors } from './serviceRequests.schemas.ts';
import type { ServiceRequestsService } from './serviceRequests.service.ts';

const TAGS = ['Support'];

/** The body of an upload as documented: one entry per allowed type. */
const UPLOAD_BODY = Object.fromEntries(
  ALLOWED_ATTACHMENT_TYPES.map((t) => [
    t.contentType,
    {
      schema: Type.String({ format: 'binary', description: `The file itself (${t.extensions.join(', ')})` }),
    },
  ]),
);

export const UploadQuery = Type.Object({
  fileName: Type.Optional(
    // No length limit here: the attachment check refuses a long name as attachmentNotAllowed.
    Type.String({
      description:
        'The file’s name, with the extension its type requires; else from Content-Disposition: attachment; ' +
        'filename=…',
    }),
  ),
});

/** Security headers of every download: a file is saved, never rendered, sniffed, run or kept in a cache. */
const DOWNLOAD_HEADERS = {
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; sandbox",
  'cache-control': 'private, no-store',
};

/**
 * The body's bytes, up to `maxBytes`: more is attachmentTooLarge, a body cut off part-way a 400. This is the
 * upload's size limit: Fastify's bodyLimit does not apply to a parser that reads the stream itself.
 */
function readFile(payload: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(payload.headers['content-length']);
  if (declared > maxBytes) return Promise.reject(tooLarge(declared, maxBytes));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    payload.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        payload.removeAllListeners('data');
        payload.resume();
        reject(tooLarge(undefined, maxBytes));
      } else chunks.push(chunk);
    });
    payload.on('end', () => resolve(Buffer.concat(chunks, size)));
    payload.on('error', () =>
      reject(invalid({ field: 'body', reason: 'was cut off before its end: send the file again' })),
    );
  });
}

export const attachmentsRoutes: FastifyPluginAsyncTypebox<{
  serviceRequests: ServiceRequestsService;
  config: Pick<Config, 'support'>;
}> = async (app, { serviceRequests, config }) => {
  const maxBytes = config.support.attachmentMaxBytes;
  // Whatever the declared type (JSON, text, none, or one that is not type/subtype at all), the body is the file's
  // bytes, for the service to check against the allow list and refuse with a code that says why. Fastify would
  // answer a Content-Type it cannot parse (an empty one, `png`) with 415 before any parser runs, so the upload
  // takes the header aside before parsing: every body reaches this parser, and the declared type the service.
  const declaredTypes = new WeakMap<FastifyRequest, string>();
  const setAsideContentType = async (request: FastifyRequest) => {
    declaredTypes.set(request, request.headers['content-type'] ?? '');
    delete request.headers['content-type'];
  };
  app.addContentTypeParser('*', (_request, payload, done) => {
    readFile(payload, maxBytes).then(
      (bytes) => done(null, bytes),
      (err: Error) => done(err, undefined),
    );
  });

  app.post(
    '/v1/servicerequests/:id/attachments',
    {
      config: {
        operation: 'support.manage',
        streamedBody: { content: UPLOAD_BODY },
        // A NUL in the name is refused by the attachment check, as attachmentNotAllowed naming fileName.
        ownTextCheck: ['querystring.fileName'],
      },
      onRequest: setAsideContentType,
      schema: {
        tags: TAGS,
        summary: 'Attach a file to a service request',
        description:
          'The body is the file itself, sent with its Content-Type; its name comes from `fileName` or from ' +
          'Content-Disposition: attachment; filename=…. Answers 201 with the file’s link (Location). Added to ' +
          `the request’s history. ${RULES.attachments} ${RULES.closed} ${RULES.ids}`,
        params: RequestParams,
        querystring: UploadQuery,
        response: { 201: FileLinkSchema, ...errors(400, 401, 403, 404, 409, 413) },
      },
    },
    async (request, reply) => {
      const requestId = requestIdOf(request);
      const header = request.headers['content-disposition'];
      const { fileLink, replayed } = await serviceRequests.addAttachment(
        request.ctx,
        request.params.id,
        {
          fileName: request.query.fileName ?? dispositionFileName(header) ?? '',
          contentType: declaredTypes.get(request) ?? '',
          bytes: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
        },
        requestId ? { requestId, method: request.method, path: request.url.split('?', 1)[0]! } : undefined,
      );
      if (replayed) reply.header(REPLAY_HEADER, 'true');
      reply.header('location', fileLink.links.self.uri);
      return reply.code(201).send(fileLink);
    },
  );

  app.get(
    '/v1/servicerequests/:id/attachments/:attachmentId',
    {
      config: { operation: 'support.view' },
      schema: {
        tags: TAGS,
        summary: 'Download a file of a service request',
        description:
          'Always as a download (Content-Disposition: attachment) with X-Content-Type-Options: nosniff and a ' +
          'sandboxing Content-Security-Policy. Images, PDF, ZIP and Office files come with their own type; every ' +
          'text type (plain text, CSV, JSON, e-mail messages) as text/plain; charset=utf-8. Nothing is ever ' +
          `served as HTML, SVG or script. ${RULES.ids}`,
        params: AttachmentParams,
        produces: ['application/octet-stream'],
        response: {
          200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'The file' }),
          ...errors(401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const file = await serviceRequests.attachment(
        request.ctx,
        request.params.id,
        request.params.attachmentId,
      );
      return reply
        .headers(DOWNLOAD_HEADERS)
        .type(file.contentType)
        .header('content-disposition', attachmentDisposition(file.fileName))
        .send(file.bytes);
    },
  );
};
