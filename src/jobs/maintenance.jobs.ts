// The periodic housekeeping job: every 10 minutes, expired sign-in sessions (partners' and customers') and
// expired idempotency records are deleted, so no table grows without bound and an expired token does not linger
// in backups. Suspended subscriptions not reactivated within 90 days are deleted, and customer users not restored
// within 30 days of their deletion are purged.
// Transfer requests still pending 30 days after creation expire. Every partner's ended months are invoiced,
// BILLING_CLOSE_DELAY_HOURS after they end.
import type { Db } from '../db/database.ts';
// The idempotency layer owns its table and its notion of "expired" (a lapsed claim lease included).
import { purgeExpiredIdempotencyKeys } from '../http/idempotency.plugin.ts';
import { closeDuePeriods } from '../modules/billing/invoices.close.ts';
import { purgeDeletedUsers } from '../modules/customerUsers/customerUsers.service.ts';
import { purgeExpiredCustomerSessions } from '../modules/relationships/portal.repository.ts';
import { deleteDueSubscriptions } from '../modules/subscriptions/subscriptions.service.ts';
import { expireTransfers } from '../modules/transfers/transfers.service.ts';
import { purgeExpiredSessions } from './maintenance.repository.ts';

export const MAINTENANCE_JOB = 'maintenance.purge-expired';
export const MAINTENANCE_CRON = '*/10 * * * *';

export async function runMaintenance(
  owner: Db,
  now: Date,
  opts: { billingCloseDelayHours?: number } = {},
): Promise<{
  sessions: number;
  customerSessions: number;
  idempotencyKeys: number;
  deletedSubscriptions: number;
  purgedCustomerUsers: number;
  expiredTransfers: number;
  closedPeriods: number;
  issuedInvoices: number;
}> {
  const sessions = await purgeExpiredSessions(owner, now);
  const customerSessions = await purgeExpiredCustomerSessions(owner, now);
  const idempotencyKeys = await purgeExpiredIdempotencyKeys(owner, now);
  const deletedSubscriptions = await deleteDueSubscriptions(owner, now);
  const purgedCustomerUsers = await purgeDeletedUsers(owner, now);
  const expiredTransfers = await expireTransfers(owner, now);
  const billing = await closeDuePeriods(owner, now, undefined, {
    delayHours: opts.billingCloseDelayHours ?? 72,
  });
  return {
    sessions,
    customerSessions,
    idempotencyKeys,
    deletedSubscriptions,
    purgedCustomerUsers,
    expiredTransfers,
    closedPeriods: billing.periods,
    issuedInvoices: billing.invoices,
  };
}
