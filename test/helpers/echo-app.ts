// The real app plus a few test-only routes that exercise the cross-cutting HTTP conventions (idempotency,
// rate limits, case-insensitive names, body handling) independently of any feature module. Each execution
// of the write route inserts an activity record, so tests count executions in the database.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { Type } from 'typebox';
import type { App } from '../../src/app.ts';
import { buildApp } from '../../src/app.ts';
import type { Config } from '../../src/config.ts';
import type { Store } from '../../src/db/database.ts';
import { inPartnerTransaction } from '../../src/db/database.ts';
import { AppError } from '../../src/lib/errors.ts';
import { record } from '../../src/modules/activity/activity.record.ts';
import { createTestStore } from './db.ts';

export const EchoBody = Type.Object(
  {
    companyProfile: Type.Optional(
      Type.Object(
        { domain: Type.String(), companyName: Type.Optional(Type.String()) },
        { additionalProperties: false },
      ),
    ),
    lineItems: Type.Optional(
      Type.Array(
        Type.Object({ offerId: Type.String(), quantity: Type.Integer() }, { additionalProperties: false }),
      ),
    ),
    note: Type.Optional(Type.String()),
    delayMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 5000 })),
    outcome: Type.Optional(Type.Union([Type.Literal('ok'), Type.Literal('reject'), Type.Literal('crash')])),
  },
  { additionalProperties: false },
);

const EchoQuery = Type.Object(
  { size: Type.Optional(Type.Integer()), continuationToken: Type.Optional(Type.String()) },
  { additionalProperties: false },
);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function addTestRoutes(app: App, store: Store) {
  app.post(
    '/v1/test/echo',
    { config: { operation: 'self' }, schema: { body: EchoBody } },
    async (request, reply) => {
      const executionId = randomUUID();
      await inPartnerTransaction(store.app, request.ctx.partnerId, (trx) =>
        record(trx, request.ctx, {
          action: 'test.echo',
          resourceType: 'test',
          resourceId: executionId,
          details: { note: request.body.note ?? null },
        }),
      );
      if (request.body.delayMs) await sleep(request.body.delayMs);
      if (request.body.outcome === 'reject')
        throw new AppError('validationFailed', {
          details: [{ field: 'outcome', reason: 'rejected on purpose' }],
        });
      if (request.body.outcome === 'crash') throw new Error('crashed on purpose');
      return reply
        .code(201)
        .header('etag', `"${executionId}"`)
        .header('location', `/v1/test/echo/${executionId}`)
        .send({ executionId, received: request.body });
    },
  );

  app.get(
    '/v1/test/query',
    { config: { operation: 'self' }, schema: { querystring: EchoQuery } },
    async (request) => ({
      query: request.query,
    }),
  );

  app.get(
    '/v1/test/items/:id',
    { config: { operation: 'self' }, schema: { params: Type.Object({ id: Type.String() }) } },
    async (request) => ({ id: request.params.id }),
  );

  // A public write: exempt from idempotency.
  app.post('/v1/test/public', { config: { operation: 'public' } }, async () => ({
    executionId: randomUUID(),
  }));
}

export interface EchoApp {
  app: App;
  store: Store;
  config: Config;
  /** How many times the echo route ran for a partner. */
  executions(partnerId: string): Promise<number>;
  close(): Promise<void>;
}

export async function createEchoApp(opts: { env?: Record<string, string> } = {}): Promise<EchoApp> {
  const t = await createTestStore(opts.env);
  const app = await buildApp({ config: t.config, store: t.store, logger: false });
  addTestRoutes(app, t.store);
  await app.ready();
  return {
    app,
    store: t.store,
    config: t.config,
    async executions(partnerId) {
      const r = await sql<{ n: number }>`
        select count(*)::int as n from activity_records
         where partner_id = ${partnerId} and action = 'test.echo'`.execute(t.store.owner);
      return r.rows[0]!.n;
    },
    async close() {
      await app.close();
      await t.close();
    },
  };
}
