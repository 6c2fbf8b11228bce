// /v1/auditrecords: the activity log, as a paged list and as a CSV download.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { attachmentDisposition } from '../../http/content-disposition.ts';
import { collection, pageRequest } from '../../http/schemas.ts';
import { exportSchema, listSchema } from './activity.schemas.ts';
import type { ActivityService } from './activity.service.ts';

export const activityRoutes: FastifyPluginAsyncTypebox<{ activity: ActivityService }> = async (
  app,
  { activity },
) => {
  app.get(
    '/v1/auditrecords',
    { config: { operation: 'activity.view' }, schema: listSchema },
    async (request) =>
      collection(
        request,
        await activity.list(request.ctx, request.query, pageRequest(request, request.query)),
      ),
  );

  app.get(
    '/v1/auditrecords/export.csv',
    { config: { operation: 'activity.view' }, schema: exportSchema },
    async (request, reply) => {
      const { filename, stream } = await activity.exportCsv(request.ctx, request.query);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', attachmentDisposition(filename))
        .send(stream);
    },
  );
};
