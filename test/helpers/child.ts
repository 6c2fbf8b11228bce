import path from 'node:path';

/** The `partnerdesk` command, as a fresh install runs it. */
export const BIN = path.resolve(import.meta.dirname, '../../bin/partnerdesk.js');

/** A child's environment: ours minus anything that would point it at another store, port or demo setting. */
export function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base = { ...process.env };
  for (const k of [
    'DATABASE_URL',
    'DATABASE_APP_URL',
    'PORT',
    'HOST',
    'PARTNERDESK_DEMO',
    'DATA_DIR',
    'LOG_LEVEL',
  ])
    delete base[k];
  return { ...base, LOG_LEVEL: 'warn', ...env };
}
