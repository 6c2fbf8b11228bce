// Reads what charges are made of: a partner's subscriptions that can have charges in a month, their state
// history, and their usage in the month summed per meter and price. Every query names the partner, so it is
// right both under row-level security (request path) and on the owner connection (the invoice job).
import { sql } from 'kysely';
import type { Trx } from '../../db/database.ts';
import type { BillingCycle, SubscriptionStatus } from '../../db/schema.ts';

/** Midnight UTC of a 'YYYY-MM-DD' day, whatever the session's time zone. */
const midnight = (day: string) => sql`(${day}::date::timestamp at time zone 'UTC')`;

export interface ChargeableSubscription {
  id: string;
  customer_id: string;
  customer_name: string;
  friendly_name: string;
  offer_id: string;
  offer_name: string;
  unit_type: string;
  billing_type: 'license' | 'usage';
  billing_cycle: BillingCycle;
  currency: string;
}

export interface SubscriptionPage {
  partnerId: string;
  /** The month's first day and the day after its last (or after "today" for charges to date). */
  from: string;
  until: string;
  customerId?: string;
  after?: { customerName: string; customerId: string; id: string };
  limit: number;
}

/**
 * Subscriptions that can have charges between `from` and `until`: started before `until`, and either still
 * live, or changed on or after `from`, or with usage in the range. Ordered by customer name, customer, id.
 */
export async function chargeableSubscriptions(
  trx: Trx,
  q: SubscriptionPage,
): Promise<ChargeableSubscription[]> {
  const after = q.after;
  const r = await sql<ChargeableSubscription>`
    select s.id, s.customer_id, coalesce(r.company_name, '') as customer_name, s.friendly_name, s.offer_id,
           s.offer_name, s.unit_type, s.billing_type, s.billing_cycle, s.currency
      from subscriptions s
      left join customer_relationships r on r.partner_id = s.partner_id and r.customer_id = s.customer_id
     where s.partner_id = ${q.partnerId}
       and s.effective_start_date < ${midnight(q.until)}
       ${q.customerId ? sql`and s.customer_id = ${q.customerId}` : sql``}
       and (s.status in ('active', 'suspended')
            or exists (select 1 from subscription_states st
                        where st.subscription_id = s.id and st.valid_from >= ${midnight(q.from)})
            or exists (select 1 from usage_records u
                        where u.subscription_id = s.id and u.usage_date >= ${q.from}::date
                          and u.usage_date < ${q.until}::date))
       ${
         after
           ? sql`and (coalesce(r.company_name, '') collate "C", s.customer_id, s.id)
                 > (${after.customerName}::text collate "C", ${after.customerId}::uuid, ${after.id}::uuid)`
           : sql``
       }
     order by coalesce(r.company_name, '') collate "C", s.customer_id, s.id
     limit ${q.limit}`.execute(trx);
  return r.rows;
}

export interface StateRow {
  subscription_id: string;
  valid_from: Date;
  quantity: number;
  status: SubscriptionStatus;
  unit_price: number | null;
}

/** The state history of these subscriptions up to `until`, oldest first. */
export async function statesOf(
  trx: Trx,
  partnerId: string,
  ids: string[],
  until: string,
): Promise<StateRow[]> {
  if (ids.length === 0) return [];
  const r = await sql<StateRow>`
    select subscription_id, valid_from, quantity, status, unit_price
      from subscription_states
     where partner_id = ${partnerId} and subscription_id = any(${ids}::uuid[])
       and valid_from < ${midnight(until)}
     order by subscription_id, valid_from`.execute(trx);
  return r.rows;
}

export interface UsageSum {
  subscription_id: string;
  meter_id: string;
  meter_name: string;
  unit: string;
  unit_price: string;
  currency: string;
  quantity: string;
  amount: string;
  first_day: string;
  last_day: string;
}

/** Usage of these subscriptions dated in [from, until), summed per subscription, meter and unit price. */
export async function usageOf(
  trx: Trx,
  partnerId: string,
  ids: string[],
  from: string,
  until: string,
): Promise<UsageSum[]> {
  if (ids.length === 0) return [];
  const r = await sql<UsageSum>`
    select u.subscription_id, u.meter_id, m.name as meter_name, m.unit, u.unit_price::text as unit_price,
           u.currency, sum(u.quantity)::text as quantity, sum(u.amount)::text as amount,
           min(u.usage_date) as first_day, max(u.usage_date) as last_day
      from usage_records u
      join offer_meters m on m.offer_id = u.offer_id and m.meter_id = u.meter_id
     where u.partner_id = ${partnerId} and u.subscription_id = any(${ids}::uuid[])
       and u.usage_date >= ${from}::date and u.usage_date < ${until}::date
     group by u.subscription_id, u.meter_id, m.name, m.unit, u.unit_price, u.currency
     order by u.subscription_id, min(u.usage_date), u.meter_id, u.unit_price`.execute(trx);
  return r.rows;
}
