// Password hashing (argon2id) and the password rules. Temporary passwords are generated here too.
import { randomInt } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { FieldIssue } from './errors.ts';

// OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane.
const OPTIONS = { algorithm: 2 /* Argon2id */, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
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

/** A 16-character temporary password with every character class, without look-alike characters. */
export function temporaryPassword(): string {
  const all = ALPHABETS.join('');
  const chars = ALPHABETS.map((a) => a[randomInt(a.length)]!);
  while (chars.length < 16) chars.push(all[randomInt(all.length)]!);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}
