#!/usr/bin/env node
// Runs the TypeScript sources directly (tsx), so `npx partnerdesk` and `npm start` need no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/index.ts');
await main(process.argv);
