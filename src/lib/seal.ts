// Secrets the store must be able to give back (a stored reply holding a new token, a partner's invitation link)
// are kept sealed: AES-256-GCM with a fresh IV, optionally bound to additional data (the row they belong to), as
// `v1.<base64 of iv, tag, ciphertext>`. Whoever holds the key opens them; a copy of the database alone does not.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1.';

export function seal(text: string, key: Buffer, aad?: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  if (aad !== undefined) cipher.setAAD(Buffer.from(aad));
  const data = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  return VERSION + Buffer.concat([iv, cipher.getAuthTag(), data]).toString('base64');
}

/** The sealed text; throws when it does not open with this key and data (another key, or tampered with). */
export function unseal(sealed: string, key: Buffer, aad?: string): string {
  if (!sealed.startsWith(VERSION)) throw new Error('not a sealed value');
  const raw = Buffer.from(sealed.slice(VERSION.length), 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  if (aad !== undefined) decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
}
