// Licence seats across partners (PRODUCT.md feature 7).
//
// A customer's users may hold seats of several partners' subscriptions. Row-level security lets every related
// partner read a customer's assignments but change only its own (migration 20261204T0900). Three things must
// reach across that wall, and do so through the SECURITY DEFINER functions below, never the owner connection:
//   - deleting a user frees every seat it holds, whoever sold it (license_release_user);
//   - restoring the user takes those seats back where one remains (license_restore_user);
//   - a user's licences list names the products other partners sold it, whose subscriptions the caller
//     cannot read (customer_user_licenses).
// Each first checks that the calling partner (app.partner_id of the transaction) has an active relationship
// with the user's customer, and the write functions that the user is in the state the operation expects
// (deleted to release, active to restore), so they cannot be used to take another partner's seats away
// from a user who keeps its account. The licences list names another partner's subscription by its product
// only, never by its id.
//
// A subscription that ends (deleted by the suspension job, or cancelled) takes its assignments with it: its
// seats no longer exist, so they stop counting everywhere (licence counts, the users list's filter) and leave
// the users' licences lists. The trigger runs as the table owner because the job runs for every partner.
//
// Frozen: never edit after it has shipped; add a new migration instead.
import type { Kysely } from 'kysely';
import { sql } from 'kysely';

const tenant = `nullif(current_setting('app.partner_id', true), '')::uuid`;
const definer = `security definer set search_path = public, pg_temp`;

/** Raises unless the calling partner is related to the customer of p_user; leaves its state in v_state. */
const requireRelated = (fn: string) => `
  select u.customer_id, u.state into v_customer, v_state from customer_users u where u.id = p_user;
  if v_customer is null or not exists (
       select 1 from customer_relationships r
        where r.customer_id = v_customer and r.partner_id = ${tenant} and r.state = 'active') then
    raise exception '${fn}: the caller has no active relationship with the customer of user %', p_user
      using errcode = '42501';
  end if;`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
    -- Every assignment of a subscription, whatever its state (ending a subscription removes them all).
    create index license_assignments_by_subscription on license_assignments (subscription_id);

    -- Frees every seat a deleted user holds: its active assignments become released. Answers how many.
    create function license_release_user(p_user uuid, p_at timestamptz)
    returns integer language plpgsql volatile ${definer} as $$
    declare
      v_customer uuid;
      v_state text;
      v_released integer;
    begin
      ${requireRelated('license_release_user')}
      if v_state <> 'inactive' then
        raise exception 'license_release_user: user % is not deleted', p_user using errcode = '55000';
      end if;
      update license_assignments set state = 'released', released_at = p_at
       where user_id = p_user and state = 'active';
      get diagnostics v_released = row_count;
      return v_released;
    end $$;

    -- Takes back the seats a restored user held, each where its subscription is active and has a seat free;
    -- the others stay released (a seat bought later can be assigned again), except those of a subscription
    -- that has ended, which are dropped. Subscriptions are locked in id order, as assigning locks them, before
    -- their seats are counted. One row per released assignment: restored, or why not (noLicensesAvailable,
    -- subscriptionSuspended, subscriptionEnded).
    create function license_restore_user(p_user uuid, p_at timestamptz)
    returns table (subscription_id uuid, offer_id text, offer_name text, restored boolean, reason text)
    language plpgsql volatile ${definer} as $$
    declare
      v_customer uuid;
      v_state text;
      v_sub record;
      v_used integer;
    begin
      ${requireRelated('license_restore_user')}
      if v_state <> 'active' then
        raise exception 'license_restore_user: user % is not active', p_user using errcode = '55000';
      end if;
      for v_sub in
        select s.id, s.offer_id, s.offer_name, s.status, s.quantity
          from subscriptions s
         where s.id in (select a.subscription_id from license_assignments a
                         where a.user_id = p_user and a.state = 'released')
         order by s.id
           for update
      loop
        subscription_id := v_sub.id;
        offer_id := v_sub.offer_id;
        offer_name := v_sub.offer_name;
        restored := false;
        reason := null;
        if v_sub.status in ('deleted', 'cancelled') then
          delete from license_assignments a where a.user_id = p_user and a.subscription_id = v_sub.id;
          reason := 'subscriptionEnded';
        elsif v_sub.status <> 'active' then
          reason := 'subscriptionSuspended';
        else
          select count(*) into v_used from license_assignments a
           where a.subscription_id = v_sub.id and a.state = 'active';
          if v_used >= v_sub.quantity then
            reason := 'noLicensesAvailable';
          else
            update license_assignments a set state = 'active', released_at = null
             where a.user_id = p_user and a.subscription_id = v_sub.id;
            restored := true;
          end if;
        end if;
        return next;
      end loop;
    end $$;

    -- The licences of these users, every partner's, for a caller related to their customer: the product as it
    -- was sold and its subscription's status; the subscription's id only where the caller sold it.
    create function customer_user_licenses(p_users uuid[])
    returns table (user_id uuid, subscription_id uuid, sold_by_caller boolean, offer_id text, offer_name text,
                   subscription_status text, state text, assigned_at timestamptz, released_at timestamptz)
    language sql stable ${definer} as $$
      select a.user_id,
             case when a.partner_id = ${tenant} then a.subscription_id end,
             a.partner_id = ${tenant},
             s.offer_id, s.offer_name, s.status, a.state, a.assigned_at, a.released_at
        from license_assignments a join subscriptions s on s.id = a.subscription_id
       where a.user_id = any(p_users)
         and exists (select 1 from customer_relationships r
                      where r.customer_id = a.customer_id and r.partner_id = ${tenant} and r.state = 'active')
       order by a.user_id, s.offer_name, a.assigned_at, a.subscription_id
    $$;

    create function license_assignments_end_with_subscription() returns trigger
    language plpgsql ${definer} as $$
    begin
      if new.status in ('deleted', 'cancelled') and old.status not in ('deleted', 'cancelled') then
        delete from license_assignments where subscription_id = new.id;
      end if;
      return new;
    end $$;
    create trigger license_assignments_end_with_subscription after update of status on subscriptions
      for each row execute function license_assignments_end_with_subscription();
  `,
    )
    .execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Partnerdesk migrations are forward-only.');
}
