// Request and response shapes of adding customer users from a file (PRODUCT.md feature 8): the upload's
// parameters, the validation answer (UserImportValidation) and the import job (UserImport) with its progress.
import { Type } from 'typebox';
import { Collection, DateTime, PageQuery, Uuid } from '../../http/schemas.ts';
import { errors } from '../partners/partners.schemas.ts';

export { errors };

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const IMPORT_MODES = ['validate', 'create'] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];
export const IMPORT_STATES = ['queued', 'running', 'completed', 'failed'] as const;

export const CustomerParams = Type.Object({ customerId: Uuid });
export const ImportParams = Type.Object({ customerId: Uuid, importId: Uuid });

const UsageLocation = Type.String({
  maxLength: 10,
  description: 'ISO 3166-1 alpha-2 country code given to every new user (required to create)',
});
const FileName = Type.String({
  maxLength: 1000,
  description: 'The file’s name, shown with the import (default: the uploaded file part’s name)',
});

export const UploadQuery = Type.Object({
  mode: Type.Optional(
    Type.Enum([...IMPORT_MODES], {
      description:
        'validate: check every row and write nothing; create: store the file and create its users as a job. ' +
        'Required here or as a form field',
    }),
  ),
  usageLocation: Type.Optional(UsageLocation),
  fileName: Type.Optional(FileName),
});

/** The upload's body as the OpenAPI document shows it (the handler streams it; Fastify does not parse it). */
export const UPLOAD_BODY = {
  'text/csv': {
    schema: Type.String({
      format: 'binary',
      description:
        'The users file itself: `First name,Last name,Display name,Email,Status update`, UTF-8 with or ' +
        'without a BOM, separated by `,` or `;`. Also accepted as application/csv',
    }),
  },
  'multipart/form-data': {
    schema: Type.Object({
      mode: Type.Optional(Type.Enum([...IMPORT_MODES])),
      usageLocation: Type.Optional(UsageLocation),
      fileName: Type.Optional(FileName),
      file: Type.String({ format: 'binary', description: 'The users file; after the other fields' }),
    }),
  },
};

export const IssueSchema = Type.Object({ field: Type.String(), reason: Type.String() });

export const ValidationSchema = Type.Object({
  mode: Type.Literal('validate'),
  totalRows: Type.Integer({ minimum: 0, description: 'Data rows in the file (the header excluded)' }),
  validRows: Type.Integer({ minimum: 0 }),
  invalidRows: Type.Integer({ minimum: 0 }),
  rows: Type.Array(
    Type.Object({
      row: Type.Integer({ minimum: 1, description: '1 for the first row after the header' }),
      line: Type.Integer({ minimum: 2, description: 'The line of the file the row ends on' }),
      email: Type.String(),
      displayName: Type.String(),
      issues: Type.Array(IssueSchema, {
        description: 'field: the template’s column name (`Email`), or `row` for the row as a whole',
      }),
    }),
    { description: 'The rows with problems only, in file order' },
  ),
  attributes: Type.Object({ objectType: Type.Literal('UserImportValidation') }),
});

const Link = Type.Object({ uri: Type.String(), method: Type.Literal('GET') });

export const UserImportSchema = Type.Object({
  id: Uuid,
  customerId: Uuid,
  fileName: Nullable(Type.String()),
  usageLocation: Type.String(),
  state: Type.Enum([...IMPORT_STATES], {
    description:
      'queued, then running while users are created; completed when every row is done (some may have ' +
      'failed); failed when the job could not go on (the reseller relationship ended): the rows not done then ' +
      'are failed',
  }),
  totalRows: Type.Integer({ minimum: 0 }),
  rowsDone: Type.Integer({ minimum: 0, description: 'created + failed' }),
  created: Type.Integer({ minimum: 0 }),
  failed: Type.Integer({ minimum: 0, description: 'Rows with problems in the file included' }),
  percentComplete: Type.Integer({ minimum: 0, maximum: 100 }),
  createdTime: DateTime,
  startedTime: Nullable(DateTime),
  completedTime: Nullable(DateTime),
  passwordsAvailable: Type.Boolean({
    description: 'The temporary passwords file can be downloaded (once, after the import has ended)',
  }),
  passwordsDownloadedTime: Nullable(DateTime),
  links: Type.Object({ self: Link, results: Link, passwords: Link }),
  attributes: Type.Object({ objectType: Type.Literal('UserImport') }),
});

export const UserImportList = Collection(UserImportSchema);
export const ImportListQuery = Type.Object({ ...PageQuery });

export const csvResponse = Type.String({ description: 'CSV document (text/csv)' });
