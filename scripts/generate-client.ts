// npm run generate:client — regenerates web/src/api/schema.d.ts (commit the result).
import fs from 'node:fs';
import { CLIENT_SCHEMA_FILE, generateClientSchema } from './client-schema.ts';

fs.writeFileSync(CLIENT_SCHEMA_FILE, await generateClientSchema());
console.log(`wrote ${CLIENT_SCHEMA_FILE}`);
