// The users file check (PRODUCT.md feature 8): one bad file per rule, and the good file's rows.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { UserCsvRow, UsersCsvOptions } from '../src/modules/userImports/users.csv.ts';
import { checkUsersCsv } from '../src/modules/userImports/users.csv.ts';
import { AppError } from '../src/lib/errors.ts';

const HEADER = 'First name,Last name,Display name,Email,Status update';
const DOMAINS = ['contoso.onpartnerdesk.com', 'contoso.example'];

function options(over: Partial<UsersCsvOptions> = {}): UsersCsvOptions {
  return {
    domains: DOMAINS,
    maxRows: 10_000,
    existing: async (emails) => new Set(emails.filter((e) => e.startsWith('taken'))),
    ...over,
  };
}

async function check(text: string | Buffer, over: Partial<UsersCsvOptions> = {}, chunkSize = 7) {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  // Small chunks, so the header and rows straddle chunk boundaries as they do in an upload.
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunkSize) chunks.push(bytes.subarray(i, i + chunkSize));
  const rows: UserCsvRow[] = [];
  for await (const row of checkUsersCsv(Readable.from(chunks), options(over))) rows.push(row);
  return rows;
}

async function refusal(text: string | Buffer, over: Partial<UsersCsvOptions> = {}) {
  const err = await check(text, over).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).errorName).toBe('usersFileInvalid');
  return (err as AppError).extra.details![0]!;
}

const issuesOf = (rows: UserCsvRow[]) => rows.map((r) => r.issues);

describe('users file', () => {
  it('reads good rows: names optional, addresses lower-cased, any of the customer’s domains', async () => {
    const rows = await check(
      `${HEADER}\r\nAnna,Ivanova,Anna Ivanova,Anna@Contoso.example,\r\n,,Front desk,desk@contoso.onpartnerdesk.com,\r\n`,
    );
    expect(rows).toEqual([
      {
        row: 1,
        line: 2,
        cells: ['Anna', 'Ivanova', 'Anna Ivanova', 'Anna@Contoso.example', ''],
        firstName: 'Anna',
        lastName: 'Ivanova',
        displayName: 'Anna Ivanova',
        email: 'anna@contoso.example',
        issues: [],
      },
      expect.objectContaining({
        row: 2,
        firstName: null,
        lastName: null,
        email: 'desk@contoso.onpartnerdesk.com',
        issues: [],
      }),
    ]);
  });

  it('takes a BOM, a semicolon separator, quoted cells and blank lines', async () => {
    const text = `\uFEFF${HEADER.replaceAll(',', ';')}\n"Müller; Jr";Jörg;"Jörg ""JM"" Müller";jm@contoso.example;\n\n;;;;\n`;
    const rows = await check(text);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ firstName: 'Müller; Jr', displayName: 'Jörg "JM" Müller', issues: [] });
  });

  it('refuses the whole file for a missing, extra, repeated or misplaced column, naming it', async () => {
    expect((await refusal('First name,Last name,Display name,Status update\n')).reason).toContain('"Email"');
    const extra = await refusal(`${HEADER},Department\nA,B,C,c@contoso.example,,Sales\n`);
    expect(extra).toEqual({ field: 'header', reason: expect.stringContaining('"Department"') });
    expect((await refusal('Email,First name,Last name,Display name,Status update\n')).reason).toContain(
      'order',
    );
    expect((await refusal(`${HEADER},Email\n`)).reason).toContain('"Email"');
  });

  it('refuses an empty file and one over the row limit', async () => {
    expect((await refusal('')).reason).toContain('empty');
    expect((await refusal('\uFEFF\r\n')).reason).toContain('empty');
    const rows = Array.from({ length: 11 }, (_, i) => `,,User ${i},u${i}@contoso.example,`).join('\n');
    expect((await refusal(`${HEADER}\n${rows}\n`, { maxRows: 10 })).reason).toContain('more than 10 users');
    expect(await check(`${HEADER}\n${rows}\n`, { maxRows: 11 })).toHaveLength(11);
    // The default limit of 10,000: the 10,001st row refuses the file.
    const many = Array.from({ length: 10_001 }, (_, i) => `,,User ${i},u${i}@contoso.example,`).join('\n');
    expect((await refusal(`${HEADER}\n${many}\n`)).reason).toContain('more than 10,000 users');
  });

  it('reports each row’s problems on that row and goes on', async () => {
    const fifty = 'x'.repeat(50);
    const rows = await check(
      [
        HEADER,
        `${fifty}y,,Long first,long@contoso.example,`,
        `,,,nodisplay@contoso.example,`,
        `,,No email,,`,
        `,,Bad email,not-an-address,`,
        `,,Other domain,someone@fabrikam.example,`,
        `,,Twice,twice@contoso.example,`,
        `,,Twice again,TWICE@contoso.example,`,
        `,,Taken,taken@contoso.example,`,
        `,,Status,status@contoso.example,Created`,
        `,,Short row,short@contoso.example`,
        `${fifty},${fifty},${fifty},fine@contoso.example,`,
      ].join('\n'),
    );
    expect(issuesOf(rows)).toEqual([
      [{ field: 'First name', reason: 'must be at most 50 characters (it has 51)' }],
      [{ field: 'Display name', reason: 'is required' }],
      [{ field: 'Email', reason: 'is required' }],
      [{ field: 'Email', reason: 'is not an e-mail address' }],
      [{ field: 'Email', reason: expect.stringContaining('contoso.onpartnerdesk.com, contoso.example') }],
      [],
      [{ field: 'Email', reason: 'appears more than once in the file' }],
      [{ field: 'Email', reason: 'is already a user of this customer' }],
      [{ field: 'Status update', reason: 'must be empty: it is filled in the results file' }],
      [{ field: 'row', reason: "has 4 cells; every row has the template's 5" }],
      [],
    ]);
    expect(rows.map((r) => r.line)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('asks the directory in batches, only about addresses that are otherwise fine', async () => {
    const asked: string[][] = [];
    const rows = Array.from({ length: 5 }, (_, i) => `,,User ${i},u${i}@contoso.example,`);
    rows.push(',,Wrong,w@fabrikam.example,');
    await check(`${HEADER}\n${rows.join('\n')}\n`, {
      batchSize: 2,
      existing: async (emails) => {
        asked.push(emails);
        return new Set();
      },
    });
    expect(asked).toEqual([
      ['u0@contoso.example', 'u1@contoso.example'],
      ['u2@contoso.example', 'u3@contoso.example'],
      ['u4@contoso.example'],
    ]);
  });

  it('refuses a file that is not CSV (an unclosed quote) and a row far longer than the template’s', async () => {
    expect((await refusal(`${HEADER}\n"Anna,B,C,c@contoso.example,\n`)).reason).toContain('not valid CSV');
    expect((await refusal(`${HEADER}\n${'x'.repeat(20_000)},,D,d@contoso.example,\n`)).reason).toContain(
      'not valid CSV',
    );
  });
});
