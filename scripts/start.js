#!/usr/bin/env node
// npm start: rebuild the console if its sources changed, then `partnerdesk serve` — in this one process, so
// that SIGTERM and Ctrl-C reach the server itself and it shuts down gracefully (a shell running two commands
// in a row would stay in between and not pass signals on). `npm start -- --no-demo` passes options to serve.
import { buildWeb } from './build-web.js';

await buildWeb({ ifStale: true });
process.argv.splice(2, 0, 'serve');
await import('../bin/partnerdesk.js');
