// The periodic housekeeping job: every 10 minutes, expired sign-in sessions and expired idempotency records
// are deleted, so neither table grows without bound and an expired token does not linger in backups.
import type { Db } from '../db/database.ts';
// The idempotency layer owns its table and its notion of "expired" (a lapsed claim lease included).
import { purgeExpiredIdempotencyKeys } from '../http/idempotency.plugin.ts';
import { purgeExpiredSessions } from './maintenance.repository.ts';

export const MAINTENANCE_JOB = 'maintenance.purge-expired';
export const MAINTENANCE_CRON = '*/10 * * * *';

export async function runMaintenance(
  owner: Db,
  now: Date,
): Promise<{ sessions: number; idempotencyKeys: number }> {
  const sessions = await purgeExpiredSessions(owner, now);
  const idempotencyKeys = await purgeExpiredIdempotencyKeys(owner, now);
  return { sessions, idempotencyKeys };
}
