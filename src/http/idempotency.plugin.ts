// MS-RequestId makes every write of a signed-in caller idempotent (PRODUCT.md "API conventions"):
//   no header                   → no idempotency;
//   first use of an id          → claim it (a `pending` row, committed before the handler runs), run the
//                                 handler, store status, replayable headers and body (`done`) for
//                                 config.idempotencyTtlHours;
//   same id, same request       → the stored response, byte for byte, with `MS-Idempotent-Replay: true`,
//                                 without running the handler;
//   same id, other request      → 409 requestIdReused;
//   same id while the first runs → wait for it (up to ~10 s) and replay, else 409 requestInProgress.
// Ids are per partner. "Same request" means the same caller, method, path, query and body (compared after
// case-insensitive property matching, with object keys sorted); the caller's user id is part of it so that
// one user can never receive another user's stored response (say, a new API token's secret).
// Public routes (sign-in) are exempt: their responses carry credentials, and storing and replaying those to
// anyone who repeats the id would leak them. So are the customer-facing routes ('customerPortal'): their caller
// is no partner, and ids are kept per partner.
// Some stored responses hold secrets (a new API token, a temporary password), so the table keeps neither the
// caller's id nor a readable body: `request_id` is a hash of it, and the body is sealed (AES-256-GCM) with a
// key derived from it. Reading a stored body takes the id the client sent, which the database never sees.
// Some requests hold secrets too (a password change), so the request fingerprint is an HMAC keyed the same way.
// 5xx responses are not stored: the claim is released so that a retry runs again. The claim and the stored
// response live in their own short transactions, not the handler's: a crash after the handler commits and
// before the response is stored lets a retry run again once the claim's lease (5 minutes) has lapsed.
// A route that reads its body as a stream (`config.streamedBody`: a file upload) cannot be fingerprinted before
// its handler runs, and the body cannot be read twice: there the plugin only checks the header's form, and the
// handler calls claimStreamedRequest inside its own transaction once it has read the body, so that the same
// id with another file is a 409 that leaves nothing written.
import { createHash, createHmac } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config.ts';
import type { Db, Trx } from '../db/database.ts';
import { inPartnerTransaction } from '../db/database.ts';
import type { Clock } from '../lib/clock.ts';
import { AppError } from '../lib/errors.ts';
import { seal, unseal } from '../lib/seal.ts';
import type { Claim, StoredResponse } from './idempotency.repository.ts';
import { claimKey, completeKey, findKey, releaseKey } from './idempotency.repository.ts';

export { purgeExpiredIdempotencyKeys } from './idempotency.repository.ts';
export type { StoredResponse } from './idempotency.repository.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The handler reads the body as a stream (a file upload): plugins that inspect `request.body` leave it
     * alone, MS-RequestId is settled by the handler (claimStreamedRequest), and the OpenAPI document shows
     * this request body.
     */
    streamedBody?: { content: Record<string, { schema: unknown }> };
  }
}

export const REQUEST_ID_HEADER = 'ms-requestid';
export const REPLAY_HEADER = 'ms-idempotent-replay';
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Response headers a replay repeats; the others (ids, rate limits) belong to the replaying request. */
const REPLAYED_HEADERS = ['content-type', 'etag', 'location'];
/** How long a claim holds before another request may take it over (the first one presumably crashed). */
const LEASE_MS = 5 * 60_000;
/** How long a request waits for an identical one in progress before answering requestInProgress. */
const WAIT_MS = 10_000;
const MAX_BODY_DEPTH = 64;

export interface IdempotencyOptions {
  db: Db;
  config: Pick<Config, 'idempotencyTtlHours'>;
  clock: Clock;
}

/** JSON with object keys sorted, so that the same body always gives the same fingerprint. */
export function canonicalJson(value: unknown, depth = 0): string {
  if (depth > MAX_BODY_DEPTH)
    throw new AppError('validationFailed', { message: 'The request body is nested too deeply.' });
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v ?? null, depth + 1)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v, depth + 1)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * The fingerprint of a request: caller, method, path, query and body, keyed by the partner and MS-RequestId.
 * Bodies hold passwords (a password change) and a plain hash of them would let a reader of the table test
 * guesses offline; keyed by the id, which the table keeps only hashed, it tells nothing without the id.
 */
export function requestFingerprint(parts: {
  partnerId: string;
  requestId: string;
  userId: string;
  method: string;
  path: string;
  query: unknown;
  body: unknown;
}): string {
  const key = createHash('sha256').update(`fingerprint\0${parts.partnerId}\0${parts.requestId}`).digest();
  const hash = createHmac('sha256', key);
  hash.update(`${parts.userId}\n${parts.method}\n${parts.path}\n${canonicalJson(parts.query ?? {})}\n`);
  if (Buffer.isBuffer(parts.body)) hash.update(parts.body);
  else if (typeof parts.body === 'string') hash.update(`s:${parts.body}`);
  else hash.update(`j:${parts.body === undefined ? '' : canonicalJson(parts.body)}`);
  return hash.digest('hex');
}

/** The id as stored: a hash, so the table never holds the ids that key the sealed bodies. */
export function storedRequestId(partnerId: string, requestId: string): string {
  return createHash('sha256').update(`id\0${partnerId}\0${requestId}`).digest('base64url');
}

function bodyKey(partnerId: string, requestId: string): Buffer {
  return createHash('sha256').update(`key\0${partnerId}\0${requestId}`).digest();
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The MS-RequestId a request carries, checked for form; undefined without one. */
export function requestIdOf(request: FastifyRequest): string | undefined {
  const header = request.headers[REQUEST_ID_HEADER];
  if (header === undefined) return undefined;
  if (typeof header !== 'string' || !REQUEST_ID.test(header)) throw new AppError('invalidRequestId');
  return header;
}

/** A request whose body was read as a stream, for claimStreamedRequest. */
export interface StreamedRequest {
  partnerId: string;
  userId: string;
  requestId: string;
  method: string;
  path: string;
  /** The request's parameters as the handler understood them (query and form fields). */
  query: unknown;
  /** A digest of the body as read (a file's SHA-256). */
  bodyDigest: string;
}

/**
 * MS-RequestId for a streamed body, in the handler's transaction once the body is read: the first use of the
 * id records it with `response` (status and headers; the handler answers a repeat from its own data, so no
 * body is kept) and answers undefined; the same request again answers the recorded response; the id used for
 * another request throws requestIdReused, which rolls the handler's writes back. Two identical requests at
 * once serialize on the key: the second waits for the first's transaction and then sees its record.
 */
export async function claimStreamedRequest(
  trx: Trx,
  request: StreamedRequest,
  response: { statusCode: number; headers: Record<string, string> },
  now: Date,
  ttlHours: number,
): Promise<StoredResponse | undefined> {
  const claim: Claim = {
    partnerId: request.partnerId,
    requestId: storedRequestId(request.partnerId, request.requestId),
    method: request.method,
    url: request.path,
    bodyHash: requestFingerprint({ ...request, body: `digest:${request.bodyDigest}` }),
    leaseUntil: new Date(now.getTime() + LEASE_MS),
  };
  if (await claimKey(trx, claim, now)) {
    await completeKey(trx, claim, { ...response, body: null }, new Date(now.getTime() + ttlHours * 3600_000));
    return undefined;
  }
  const found = await findKey(trx, request.partnerId, claim.requestId, now);
  if (!found || found.bodyHash !== claim.bodyHash) throw new AppError('requestIdReused');
  // Pending: the same id is in use by a request of another kind (a streamed one is never left pending).
  if (!found.response) throw new AppError('requestInProgress', { headers: { 'retry-after': '5' } });
  return found.response;
}

export default fp(
  async function idempotencyPlugin(app: FastifyInstance, opts: IdempotencyOptions) {
    const { db, clock } = opts;
    const ttlMs = opts.config.idempotencyTtlHours * 3600_000;
    /** Claims this process holds, until their response is stored or released. */
    const claims = new WeakMap<FastifyRequest, { claim: Claim; key: Buffer }>();

    function replay(reply: FastifyReply, stored: StoredResponse): FastifyReply {
      reply.code(stored.statusCode);
      for (const [name, value] of Object.entries(stored.headers)) reply.header(name, value);
      reply.header(REPLAY_HEADER, 'true');
      return reply.send(stored.body ?? undefined);
    }

    const lookup: preHandlerAsyncHookHandler = async function (request, reply) {
      const header = request.headers[REQUEST_ID_HEADER];
      const ctx = request.ctx;
      if (header === undefined || !ctx || !WRITE_METHODS.has(request.method)) return;
      if (typeof header !== 'string' || !REQUEST_ID.test(header)) throw new AppError('invalidRequestId');
      const [path = '', query] = request.url.split('?', 2);
      const key = bodyKey(ctx.partnerId, header);
      const claim: Claim = {
        partnerId: ctx.partnerId,
        requestId: storedRequestId(ctx.partnerId, header),
        method: request.method,
        url: query === undefined ? path : `${path}?${query}`,
        bodyHash: requestFingerprint({
          partnerId: ctx.partnerId,
          requestId: header,
          userId: ctx.userId,
          method: request.method,
          path,
          query: request.query,
          body: request.body,
        }),
        leaseUntil: new Date(0),
      };
      const started = performance.now();
      let pause = 25;
      for (;;) {
        const now = clock.now();
        claim.leaseUntil = new Date(now.getTime() + LEASE_MS);
        const outcome = await inPartnerTransaction(db, ctx.partnerId, async (trx) =>
          (await claimKey(trx, claim, now))
            ? 'claimed'
            : await findKey(trx, ctx.partnerId, claim.requestId, now),
        );
        if (outcome === 'claimed') {
          claims.set(request, { claim, key });
          return;
        }
        // undefined: the row vanished between the two statements (released after a 5xx); claim again.
        if (outcome !== undefined) {
          if (outcome.bodyHash !== claim.bodyHash) throw new AppError('requestIdReused');
          if (outcome.response) {
            const { body } = outcome.response;
            return replay(reply, { ...outcome.response, body: body === null ? null : unseal(body, key) });
          }
          if (performance.now() - started >= WAIT_MS)
            throw new AppError('requestInProgress', { headers: { 'retry-after': '5' } });
          await sleep(pause);
          pause = Math.min(pause * 2, 500);
        }
      }
    };

    async function settle(request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<void> {
      const held = claims.get(request);
      if (!held) return;
      claims.delete(request);
      const { claim, key } = held;
      const replayable = typeof payload === 'string' || payload === null || payload === undefined;
      try {
        if (reply.statusCode >= 500 || !replayable) {
          await inPartnerTransaction(db, claim.partnerId, (trx) => releaseKey(trx, claim));
          return;
        }
        const headers: Record<string, string> = {};
        for (const name of REPLAYED_HEADERS) {
          const value = reply.getHeader(name);
          if (value !== undefined) headers[name] = String(value);
        }
        const stored = await inPartnerTransaction(db, claim.partnerId, (trx) =>
          completeKey(
            trx,
            claim,
            {
              statusCode: reply.statusCode,
              headers,
              body: typeof payload === 'string' ? seal(payload, key) : null,
            },
            new Date(clock.now().getTime() + ttlMs),
          ),
        );
        if (!stored)
          request.log.warn({ idempotencyKey: claim.requestId }, 'idempotency claim lost before completion');
      } catch (err) {
        // The handler's work is done and committed; failing the response now would only invite a retry that
        // repeats it. The claim lapses with its lease.
        request.log.error({ err, idempotencyKey: claim.requestId }, 'could not store idempotent response');
      }
    }

    // Hooks go on each write route (not the whole app) so they run after the rate limit's route-level
    // preHandler, which is added the same way by the plugin registered before this one: a throttled caller
    // costs no database round trip.
    app.addHook('onRoute', (route) => {
      const methods = [route.method].flat();
      const operation = route.config?.operation;
      if (
        !operation ||
        operation === 'public' ||
        operation === 'customerPortal' ||
        !methods.some((m) => WRITE_METHODS.has(m))
      )
        return;
      if (route.config?.streamedBody) {
        // A malformed id is refused before the body is read; the handler does the rest.
        const checkForm: preHandlerAsyncHookHandler = async (request) => void requestIdOf(request);
        route.preHandler = [...[route.preHandler ?? []].flat(), checkForm];
        return;
      }
      route.preHandler = [...[route.preHandler ?? []].flat(), lookup];
      route.onSend = [
        ...[route.onSend ?? []].flat(),
        async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
          await settle(request, reply, payload);
          return payload;
        },
      ];
      // If the response never reached onSend (a hijacked reply, a closed connection), give the id back.
      route.onResponse = [
        ...[route.onResponse ?? []].flat(),
        async (request: FastifyRequest, reply: FastifyReply) => {
          if (claims.has(request)) await settle(request, reply, Symbol('unsent'));
        },
      ];
    });
  },
  { name: 'idempotency', dependencies: ['errors', 'auth'] },
);
