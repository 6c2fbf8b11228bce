import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Db } from '../db/database.ts';
import { pendingMigrationCount } from '../db/migrate.ts';

const Health = Type.Object({ status: Type.String() });

/**
 * /healthz: the process is up. /readyz: the database answers and every migration has run. (`/` is the console:
 * console.routes.ts.)
 */
export const healthRoutes: FastifyPluginAsyncTypebox<{ db: Db }> = async (app, { db }) => {
  app.get(
    '/healthz',
    { config: { operation: 'public' }, schema: { hide: true, response: { 200: Health } } },
    async () => ({ status: 'ok' }),
  );
  app.get(
    '/readyz',
    {
      config: { operation: 'public' },
      schema: {
        hide: true,
        response: { 200: Health, 503: Type.Object({ status: Type.String(), reason: Type.String() }) },
      },
    },
    async (_request, reply) => {
      try {
        if ((await pendingMigrationCount(db)) > 0)
          return reply.code(503).send({ status: 'unavailable', reason: 'migrations pending' });
        return { status: 'ready' };
      } catch {
        return reply.code(503).send({ status: 'unavailable', reason: 'database unreachable' });
      }
    },
  );
};
