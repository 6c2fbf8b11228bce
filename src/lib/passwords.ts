// Password hashing (argon2id) and the password rules. Temporary passwords are generated here too.
import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { FieldIssue } from './errors.ts';

// OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane.
const OPTIONS = { algorithm: 2 /* Argon2id */, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

// A password the system generated at random (≥ 96 bits, see temporaryPassword) cannot be guessed offline
// however fast the hash is, so it may be stored with a fast keyed hash: HMAC-SHA-256 keyed by a random salt of
// its own. This is what lets thousands of users be created per second from a file. A password a person chose
// is always stored with argon2id. Format: `hmac-sha256$<salt, base64url>$<mac, base64url>`.
const FAST_PREFIX = 'hmac-sha256$';

/** For temporaryPassword() output only: never for a password a person chose. */
export function hashGeneratedPassword(password: string): string {
  const salt = randomBytes(16);
  const mac = createHmac('sha256', salt).update(password, 'utf8').digest();
  return `${FAST_PREFIX}${salt.toString('base64url')}$${mac.toString('base64url')}`;
}

function verifyFast(stored: string, password: string): boolean {
  const [salt, mac] = stored.slice(FAST_PREFIX.length).split('$');
  if (!salt || !mac) return false;
  const expected = Buffer.from(mac, 'base64url');
  const actual = createHmac('sha256', Buffer.from(salt, 'base64url')).update(password, 'utf8').digest();
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  if (stored.startsWith(FAST_PREFIX)) return verifyFast(stored, password);
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/** A hash to verify against when the user does not exist, so timing does not reveal which user names exist. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword('not-a-real-password-0');
  return dummyHash;
}

export const PASSWORD_RULES =
  'At least 12 characters, with at least three of: lower case, upper case, digits, symbols.';

/** Problems with a new password, as field issues (empty when it is acceptable). */
export function passwordIssues(password: string, field = 'newPassword', userName?: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (password.length < 12) issues.push({ field, reason: 'must be at least 12 characters' });
  if (password.length > 256) issues.push({ field, reason: 'must be at most 256 characters' });
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  if (classes < 3)
    issues.push({ field, reason: 'must mix at least three of: lower case, upper case, digits, symbols' });
  if (userName && password.toLowerCase().includes(userName.split('@')[0]!.toLowerCase()))
    issues.push({ field, reason: 'must not contain the user name' });
  return issues;
}

const ALPHABETS = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnopqrstuvwxyz', '23456789', '!@#$%*-+'];

/** Characters in a temporary password: 4 of them fixed to one class each, the other 16 from all 65 (> 96 bits). */
export const TEMPORARY_PASSWORD_LENGTH = 20;

/**
 * A temporary password with every character class, without look-alike characters. Its randomness is over 110
 * bits (16 characters drawn from 65, plus one from each class, shuffled), enough for hashGeneratedPassword.
 */
export function temporaryPassword(): string {
  const all = ALPHABETS.join('');
  const chars = ALPHABETS.map((a) => a[randomInt(a.length)]!);
  while (chars.length < TEMPORARY_PASSWORD_LENGTH) chars.push(all[randomInt(all.length)]!);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  // Never a symbol first: a CSV cell starting with + - @ is written with a leading apostrophe (spreadsheets
  // would read it as a formula), which would change the password in a passwords file.
  if (!/[A-Za-z0-9]/.test(chars[0]!)) {
    const k = chars.findIndex((c) => /[A-Za-z0-9]/.test(c));
    [chars[0], chars[k]] = [chars[k]!, chars[0]!];
  }
  return chars.join('');
}
