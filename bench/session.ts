// A bearer session for a bench's partner user, written straight into the store: what signing in leaves, without
// paying for a password hash check per scenario.
import type { Db } from '../src/db/database.ts';
import { hashSecret, newSecret } from '../src/lib/tokens.ts';

/** The token of a new bearer session of `userId`, valid for a day. */
export async function benchSession(db: Db, partnerId: string, userId: string): Promise<string> {
  const token = newSecret('pds');
  await db
    .insertInto('auth_sessions')
    .values({
      token_hash: hashSecret(token),
      partner_id: partnerId,
      user_id: userId,
      kind: 'bearer',
      csrf_hash: null,
      expires_at: new Date(Date.now() + 24 * 3600_000),
      last_used_at: null,
    })
    .execute();
  return token;
}
