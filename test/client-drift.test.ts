// The console's API types (web/src/api/schema.d.ts) must match what the server documents today.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLIENT_SCHEMA_FILE, generateClientSchema } from '../scripts/client-schema.ts';

describe('generated API client', () => {
  it('matches the server’s OpenAPI document', async () => {
    const committed = fs.existsSync(CLIENT_SCHEMA_FILE) ? fs.readFileSync(CLIENT_SCHEMA_FILE, 'utf8') : '';
    const fresh = await generateClientSchema();
    expect(
      committed === fresh,
      'web/src/api/schema.d.ts is out of date with the API: run `npm run generate:client` and commit the result',
    ).toBe(true);
  });
});
