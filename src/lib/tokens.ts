import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Secret credentials carry a readable prefix so leaks are easy to spot: pdk_ API tokens, pds_ sessions, pdc_ CSRF
 * tokens, pdi_ relationship invitation links, pdu_ sessions of customer directory users.
 */
export function newSecret(prefix: 'pdk' | 'pds' | 'pdc' | 'pdi' | 'pdu'): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

export function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret).digest();
}

export function sameHash(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
