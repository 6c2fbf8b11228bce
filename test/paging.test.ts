// The continuation tokens of lists kept in creation order (imports, orders, invitations, partner users): a
// token our own encoder made reads back as its position; a token for another list, or one crafted with a
// position PostgreSQL could not compare, is invalidContinuationToken and never reaches a query.
import { describe, expect, it } from 'vitest';
import { decodeCreatedCursor, encodeCursor } from '../src/lib/paging.ts';

const scope = ['orders', 'partner-a', 'customer-a'];
const ID = '2f0c6a3e-8d5b-4c1a-9e7f-0b1d2c3e4f5a';
const refused = { errorName: 'invalidContinuationToken' };

describe('decodeCreatedCursor', () => {
  it('reads back the position its list wrote, and no token is the first page', () => {
    const at = '2027-03-01T09:00:00.123456Z';
    expect(decodeCreatedCursor(encodeCursor([at, ID], scope), scope)).toEqual([at, ID]);
    expect(decodeCreatedCursor(undefined, scope)).toBeUndefined();
    expect(decodeCreatedCursor('', scope)).toBeUndefined();
  });

  it('refuses a token of another list or another partner', () => {
    const token = encodeCursor(['2027-03-01T09:00:00.123456Z', ID], scope);
    expect(() => decodeCreatedCursor(token, ['orders', 'partner-b', 'customer-a'])).toThrow(
      expect.objectContaining(refused),
    );
    expect(() => decodeCreatedCursor(token, ['userImports', 'partner-a', 'customer-a'])).toThrow(
      expect.objectContaining(refused),
    );
  });

  it('refuses a crafted position: no real instant at µs precision, an id that is no GUID, a wrong length', () => {
    for (const key of [
      ['2027-13-01T09:00:00.123456Z', ID],
      ['0000-01-01T09:00:00.123456Z', ID],
      ['2027-03-01T09:00:00.123Z', ID],
      ['2027-03-01T09:00:00.123456Z', 'not-a-guid'],
      ['2027-03-01T09:00:00.123456Z', 42],
      ['2027-03-01T09:00:00.123456Z'],
      ['2027-03-01T09:00:00.123456Z', ID, 'extra'],
    ])
      expect(() => decodeCreatedCursor(encodeCursor(key, scope), scope), JSON.stringify(key)).toThrow(
        expect.objectContaining(refused),
      );
  });
});
