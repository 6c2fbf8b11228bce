// Housekeeping SQL that crosses partners, so it runs on the owner connection (no partner context, no
// row-level security filter). Deletes go in bounded chunks: a large backlog never holds one long lock on a
// table the request path writes to.
import type { Db } from '../db/database.ts';

const CHUNK = 5_000;

/** Deletes sign-in sessions and access tokens that expired before `now`; returns how many. */
export async function purgeExpiredSessions(owner: Db, now: Date): Promise<number> {
  let total = 0;
  for (;;) {
    const r = await owner
      .deleteFrom('auth_sessions')
      .where('token_hash', 'in', (eb) =>
        eb.selectFrom('auth_sessions').select('token_hash').where('expires_at', '<', now).limit(CHUNK),
      )
      .executeTakeFirst();
    const n = Number(r.numDeletedRows);
    total += n;
    if (n < CHUNK) return total;
  }
}
