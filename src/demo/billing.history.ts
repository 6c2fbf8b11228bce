// The demo's billing history: its subscriptions, ordered by the seed today, are moved back in time with the
// history a year of use would have left (a seat increase in the middle of a month, a suspension and its
// reactivation), so that the last twelve months have charges to invoice. Written as the owner, once, right
// after the seed made them: the state history is otherwise only ever written by the database's trigger, and
// the request path may not change it.
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { SubscriptionStatesTable, SubscriptionStatus, Term } from '../db/schema.ts';
import { commitmentEnd } from '../modules/subscriptions/orders.service.ts';

/** A state change of a demo subscription after its start. */
export interface HistoryChange {
  at: Date;
  quantity?: number;
  status?: 'active' | 'suspended';
}

export interface SubscriptionHistory {
  subscriptionId: string;
  start: Date;
  /** The quantity it was ordered with (its current one when not given). */
  startQuantity?: number;
  changes: readonly HistoryChange[];
}

/** A day of a month before `now`'s, at 09:00 UTC: `monthsAgo` months back, day `day` (clamped to its end). */
export function dayMonthsAgo(now: Date, monthsAgo: number, day: number): Date {
  const first = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - monthsAgo, 1, 9);
  const last = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - monthsAgo + 1, 0)).getUTCDate();
  return new Date(first + (Math.min(day, last) - 1) * 86_400_000);
}

/** The end of the commitment term running at `now` for a subscription started at `start` and renewed since. */
function runningTermEnd(start: Date, term: Term | null, now: Date): Date | null {
  let end = commitmentEnd(start, term);
  while (end && end <= now) end = commitmentEnd(end, term);
  return end;
}

/**
 * Moves the subscriptions' start back and writes their state history: ordered at `start` with `startQuantity`,
 * then each change, then — for one suspended now — its suspension as it was made. Their orders and customers
 * move back with them (a customer's creation, its relationship, before its first order).
 */
export async function rewriteHistory(
  owner: Db,
  histories: readonly SubscriptionHistory[],
  now: Date,
): Promise<void> {
  if (histories.length === 0) return;
  await owner.transaction().execute(async (trx) => {
    const ids = histories.map((h) => h.subscriptionId);
    const subs = new Map(
      (await trx.selectFrom('subscriptions').selectAll().where('id', 'in', ids).execute()).map((s) => [
        s.id,
        s,
      ]),
    );
    const states: SubscriptionStatesTable[] = [];
    for (const h of histories) {
      const sub = subs.get(h.subscriptionId);
      if (!sub) continue;
      await trx
        .updateTable('subscriptions')
        .set({
          creation_date: h.start,
          effective_start_date: h.start,
          commitment_end_date: runningTermEnd(h.start, sub.term, now),
        })
        .where('id', '=', sub.id)
        .execute();
      const state = { subscription_id: sub.id, partner_id: sub.partner_id, customer_id: sub.customer_id };
      let quantity = h.startQuantity ?? sub.quantity;
      let status: SubscriptionStatus = 'active';
      states.push({ ...state, valid_from: h.start, quantity, status, unit_price: sub.unit_price });
      for (const c of h.changes) {
        quantity = c.quantity ?? quantity;
        status = c.status ?? status;
        states.push({ ...state, valid_from: c.at, quantity, status, unit_price: sub.unit_price });
      }
      if (sub.status === 'suspended' && sub.suspended_at)
        states.push({
          ...state,
          valid_from: sub.suspended_at,
          quantity: sub.quantity,
          status: 'suspended',
          unit_price: sub.unit_price,
        });
    }
    await trx.deleteFrom('subscription_states').where('subscription_id', 'in', ids).execute();
    await trx.insertInto('subscription_states').values(states).execute();

    // Orders at their subscriptions' start; customers and relationships two days before their first order.
    await sql`
      update orders o set created_at = s.first
        from (select order_id, min(effective_start_date) as first from subscriptions
               where id = any(${ids}::uuid[]) group by order_id) s
       where o.id = s.order_id`.execute(trx);
    await sql`
      with firsts as (select customer_id, partner_id, min(effective_start_date) - interval '2 days' as at
                        from subscriptions where id = any(${ids}::uuid[]) group by customer_id, partner_id)
      update customer_relationships r set established_at = f.at, customer_created_at = least(r.customer_created_at, f.at)
        from firsts f where r.customer_id = f.customer_id and r.partner_id = f.partner_id`.execute(trx);
    await sql`
      update customers c set created_at = least(c.created_at, f.at)
        from (select customer_id, min(effective_start_date) - interval '2 days' as at
                from subscriptions where id = any(${ids}::uuid[]) group by customer_id) f
       where c.id = f.customer_id`.execute(trx);
  });
}

/** The ids of an offer's usage meters (none where the catalog is not the demo's). */
export async function meterIdsOf(owner: Db, offerId: string): Promise<string[]> {
  const rows = await owner
    .selectFrom('offer_meters')
    .select('meter_id')
    .where('offer_id', '=', offerId)
    .orderBy('meter_id')
    .execute();
  return rows.map((r) => r.meter_id);
}
