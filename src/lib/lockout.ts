// The sign-in lockout partner users and customer users share: after `maxFailedSignIns` wrong passwords in a row
// the account is locked for `lockoutSeconds`, and a locked account is answered with the time left.
import { AppError } from './errors.ts';

export interface LockoutPolicy {
  maxFailedSignIns: number;
  lockoutSeconds: number;
}

/**
 * The counters after one more wrong password. Locking starts a fresh count, so after the lockout the user has
 * the full number of attempts.
 */
export function afterWrongPassword(
  failedSoFar: number,
  now: Date,
  policy: LockoutPolicy,
): { failedSignIns: number; lockedUntil: Date | null; failures: number } {
  const failures = failedSoFar + 1;
  const lock = failures >= policy.maxFailedSignIns;
  return {
    failures,
    failedSignIns: lock ? 0 : failures,
    lockedUntil: lock ? new Date(now.getTime() + policy.lockoutSeconds * 1000) : null,
  };
}

/** 403 accountLocked with Retry-After: the seconds left (at least 1). */
export function accountLockedError(until: Date, now: Date): AppError {
  const retryAfterSeconds = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
  return new AppError('accountLocked', {
    headers: { 'retry-after': String(retryAfterSeconds) },
    data: [{ retryAfterSeconds }],
  });
}
