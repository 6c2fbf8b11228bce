// The activity records a test expects an action to have written, read straight from the store (owner
// connection, every partner's).
import type { Selectable } from 'kysely';
import type { Store } from '../../src/db/database.ts';
import type { ActivityRecordsTable } from '../../src/db/schema.ts';

/** The records about one resource, oldest first (ties by id, so the order is the same on every run). */
export function activityOf(store: Store, resourceId: string): Promise<Selectable<ActivityRecordsTable>[]> {
  return store.owner
    .selectFrom('activity_records')
    .selectAll()
    .where('resource_id', '=', resourceId)
    .orderBy('occurred_at')
    .orderBy('id')
    .execute();
}
