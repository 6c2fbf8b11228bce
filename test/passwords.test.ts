// Temporary passwords and how they are stored: long and random enough to be stored with a fast keyed hash, every
// character class, no look-alikes, never starting with a character a CSV file would neutralise (which would change
// the password in a passwords file); the fast hash verifies the right password only; chosen passwords stay argon2id.
import { describe, expect, it } from 'vitest';
import { safeCell } from '../src/lib/csv.ts';
import {
  TEMPORARY_PASSWORD_LENGTH,
  hashGeneratedPassword,
  hashPassword,
  temporaryPassword,
  verifyPassword,
} from '../src/lib/passwords.ts';

describe('temporary passwords', () => {
  const sample = Array.from({ length: 20_000 }, () => temporaryPassword());

  it('have 20 characters of every class, without look-alikes, and do not repeat', () => {
    expect(TEMPORARY_PASSWORD_LENGTH).toBe(20);
    for (const p of sample) {
      expect(p).toHaveLength(20);
      expect(p).toMatch(/[A-Z]/);
      expect(p).toMatch(/[a-z]/);
      expect(p).toMatch(/[0-9]/);
      expect(p).toMatch(/[^A-Za-z0-9]/);
      expect(p).not.toMatch(/[0O1lI]/);
    }
    expect(new Set(sample).size).toBe(sample.length);
  });

  it('survive a CSV file unchanged: none starts with a formula character', () => {
    expect(sample.filter((p) => safeCell(p) !== p)).toEqual([]);
    // Symbols still appear anywhere else, so the first position is not the only random one.
    expect(sample.some((p) => /^[A-Za-z0-9][^A-Za-z0-9]/.test(p))).toBe(true);
  });
});

describe('password hashes', () => {
  it('a generated password’s fast keyed hash verifies it and nothing else, salted per hash', async () => {
    const password = temporaryPassword();
    const a = hashGeneratedPassword(password);
    const b = hashGeneratedPassword(password);
    expect(a).toMatch(/^hmac-sha256\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword(a, password)).toBe(true);
    expect(await verifyPassword(a, `${password}x`)).toBe(false);
    expect(await verifyPassword(a, password.slice(1))).toBe(false);
    expect(await verifyPassword('hmac-sha256$broken', password)).toBe(false);
  });

  it('a chosen password is stored with argon2id', async () => {
    const stored = await hashPassword('Chosen-password-1');
    expect(stored).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(stored, 'Chosen-password-1')).toBe(true);
    expect(await verifyPassword(stored, 'Chosen-password-2')).toBe(false);
  });
});
