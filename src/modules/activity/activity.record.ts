// Recording activity. Called by every module inside the same transaction as the change it describes, so a
// change and its record commit or roll back together.
import type { Trx } from '../../db/database.ts';
import type { CallerContext } from '../../lib/context.ts';
import { actorOf } from '../../lib/context.ts';

export interface ActivityEntry {
  /** Dotted verb, e.g. `partnerUser.create`, `apiToken.revoke`. */
  action: string;
  resourceType: string;
  resourceId?: string;
  customer?: { id: string; name: string };
  status?: 'succeeded' | 'failed';
  /** Free-form facts shown as "Additional information": before/after of an update, reasons. */
  details?: Record<string, unknown>;
}

export interface Actor {
  kind: 'partnerUser' | 'apiToken' | 'operator' | 'system' | 'customer';
  id?: string;
  name: string;
}

/** Records an entry for the caller's partner. */
export function record(trx: Trx, ctx: CallerContext, entry: ActivityEntry): Promise<void> {
  return recordAs(trx, ctx.partnerId, actorOf(ctx), entry, {
    requestId: ctx.requestId,
    correlationId: ctx.correlationId,
  });
}

/** Records an entry for a partner on behalf of someone other than a signed-in user (operator, jobs). */
export function recordAs(
  trx: Trx,
  partnerId: string,
  actor: Actor,
  entry: ActivityEntry,
  ids: { requestId?: string; correlationId?: string } = {},
): Promise<void> {
  return recordAllAs(trx, actor, [{ partnerId, entry }], ids);
}

/** Records several entries by one actor (a job's batch, say) in one statement, each for its partner. */
export async function recordAllAs(
  trx: Trx,
  actor: Actor,
  entries: readonly { partnerId: string; entry: ActivityEntry }[],
  ids: { requestId?: string; correlationId?: string } = {},
): Promise<void> {
  if (entries.length === 0) return;
  await trx
    .insertInto('activity_records')
    .values(
      entries.map(({ partnerId, entry }) => ({
        partner_id: partnerId,
        actor_kind: actor.kind,
        actor_id: actor.id ?? null,
        actor_name: actor.name,
        customer_id: entry.customer?.id ?? null,
        customer_name: entry.customer?.name ?? null,
        action: entry.action,
        resource_type: entry.resourceType,
        resource_id: entry.resourceId ?? null,
        status: entry.status ?? 'succeeded',
        details: JSON.stringify(entry.details ?? {}),
        request_id: ids.requestId ?? null,
        correlation_id: ids.correlationId ?? null,
      })),
    )
    .execute();
}
