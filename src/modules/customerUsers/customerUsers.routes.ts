// /v1/users: what adding customer users in bulk starts from — the users file template.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { InstanceService } from '../instances/instances.ts';
import { errors } from '../partners/partners.schemas.ts';
import { usersTemplateCsv } from './users.csv.ts';

const TAGS = ['Customer users'];

export const customerUsersRoutes: FastifyPluginAsyncTypebox<{ instances: InstanceService }> = async (
  app,
  { instances },
) => {
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
        response: {
          200: Type.String({ description: 'CSV document (text/csv)' }),
          ...errors(401, 403),
        },
      },
    },
    async (request, reply) => {
      instances.assert(request.ctx.instance, 'customerUsers.bulkCsv');
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="users-template.csv"')
        .send(usersTemplateCsv());
    },
  );
};
