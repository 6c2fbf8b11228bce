// Transfers of Azure subscriptions between partners (PRODUCT.md feature 6).
//
// A transfer request belongs to two partners at once: the target (the partner the customer moves to, who
// creates it) and the source (the subscriptions' partner of record, who accepts or rejects it). Row-level
// security shows a request, its line items and its events to both and to no one else. The customer admin
// consents through the customer-facing pages, which read and write through the SECURITY DEFINER functions
// below, keyed by the customer session's token hash.
//
// Completing a line item moves a subscription between partners: the source's row is closed as `transferred`
// (kept, so the source sees it in its history and billing can split the month at transferred_at) and a new
// row with a new billing subscription id is opened for the target, keeping the Azure subscription id. Both
// rows change in one transaction of the transfer job, which runs for every partner on the owner connection
// (as the maintenance jobs do). A subscription is never in two open transfers (a partial unique index), and an
// Azure subscription never has two live rows (subscriptions_azure, now also excluding `transferred`).
//
// Frozen: never edit after it has shipped; add a new migration instead.
import type { Kysely } from 'kysely';
import { sql } from 'kysely';

const tenant = `nullif(current_setting('app.partner_id', true), '')::uuid`;
const definer = `security definer set search_path = public, pg_temp`;
const parties = (table: string) => `
    alter table ${table} enable row level security;
    create policy ${table}_parties on ${table}
      using (source_partner_id = ${tenant} or target_partner_id = ${tenant})
      with check (source_partner_id = ${tenant} or target_partner_id = ${tenant});`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
    -- ── subscriptions: a moved subscription closes as 'transferred', linked to the row that carries on ──
    alter table subscriptions drop constraint subscriptions_status_check;
    alter table subscriptions add constraint subscriptions_status_check
      check (status in ('active', 'suspended', 'deleted', 'cancelled', 'transferred'));
    alter table subscriptions
      add column transfer_id uuid,
      add column transferred_at timestamptz,
      -- On the source's closed row: the target's row. On the target's row: the source's closed row.
      add column transferred_to_subscription_id uuid references subscriptions(id),
      add column transferred_from_subscription_id uuid references subscriptions(id),
      add constraint subscriptions_transferred
        check ((status = 'transferred') = (transferred_at is not null and transferred_to_subscription_id is not null));
    drop index subscriptions_azure;
    create unique index subscriptions_azure on subscriptions (azure_subscription_id)
      where azure_subscription_id is not null and status not in ('deleted', 'transferred');
    create unique index subscriptions_transferred_from on subscriptions (transferred_from_subscription_id)
      where transferred_from_subscription_id is not null;

    create table transfers (
      id uuid primary key,
      customer_id uuid not null references customers(id),
      instance text not null check (instance in ('global', 'usgov', 'germany')),
      source_partner_id uuid not null references partners(id),
      target_partner_id uuid not null references partners(id),
      status text not null default 'pending' check (status in
        ('pending', 'inProgress', 'completed', 'partiallyCompleted', 'failed', 'rejected', 'cancelled', 'expired')),
      note text not null default '' check (length(note) <= 1000),
      customer_consent text not null default 'pending' check (customer_consent in ('pending', 'given', 'declined')),
      consented_at timestamptz,
      consented_by text,                            -- the customer admin's user name
      rejection_reason text check (length(rejection_reason) <= 1000),
      rejected_by text check (rejected_by in ('source', 'customer')),
      created_by_id uuid,
      created_by_name text not null,
      accepted_by_name text,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      expires_at timestamptz not null,              -- created_at + 30 days while pending
      accepted_at timestamptz,
      closed_at timestamptz,                        -- when it reached a final status
      -- The order that holds the target's new subscriptions, made when the first line item completes.
      target_order_id uuid references orders(id),
      -- The durable job: a worker leases an inProgress request while it completes its line items.
      lease_owner text,
      lease_until timestamptz,
      attempts integer not null default 0,
      version integer not null default 1,
      check (source_partner_id <> target_partner_id),
      check ((status in ('pending', 'inProgress')) = (closed_at is null)),
      check (status <> 'pending' or accepted_at is null),
      check (status not in ('inProgress', 'completed', 'partiallyCompleted', 'failed') or accepted_at is not null)
    );
    create index transfers_sent on transfers (target_partner_id, created_at, id);
    create index transfers_received on transfers (source_partner_id, created_at, id);
    create index transfers_customer on transfers (customer_id, created_at, id);
    create index transfers_expiring on transfers (expires_at) where status = 'pending';
    create index transfers_running on transfers (lease_until) where status = 'inProgress';
    ${parties('transfers')}

    create table transfer_line_items (
      transfer_id uuid not null references transfers(id),
      line_number integer not null check (line_number >= 1),
      source_partner_id uuid not null references partners(id),
      target_partner_id uuid not null references partners(id),
      subscription_id uuid not null references subscriptions(id),   -- the source's subscription
      azure_subscription_id uuid,
      offer_id text not null,
      offer_name text not null,
      friendly_name text not null,
      quantity integer not null,
      billing_cycle text not null,
      -- pending: awaiting the source; accepted: queued for the job; completed / failed: done by the job;
      -- notAccepted: the source accepted others; rejected, cancelled, expired: with the request.
      status text not null default 'pending' check (status in
        ('pending', 'accepted', 'completed', 'failed', 'notAccepted', 'rejected', 'cancelled', 'expired')),
      error_code text,
      error_description text,
      new_subscription_id uuid references subscriptions(id),
      completed_at timestamptz,
      primary key (transfer_id, line_number),
      check ((status = 'completed') = (new_subscription_id is not null and completed_at is not null)),
      check ((status = 'failed') = (error_code is not null))
    );
    -- A subscription is in at most one open request.
    create unique index transfer_line_items_open on transfer_line_items (subscription_id)
      where status in ('pending', 'accepted');
    ${parties('transfer_line_items')}

    -- What happened to a request, in order: its timeline.
    create table transfer_events (
      id bigint generated always as identity primary key,
      transfer_id uuid not null references transfers(id),
      source_partner_id uuid not null references partners(id),
      target_partner_id uuid not null references partners(id),
      occurred_at timestamptz not null,
      event text not null check (event in ('created', 'consented', 'consentDeclined', 'accepted', 'rejected',
        'cancelled', 'expired', 'lineCompleted', 'lineFailed', 'completed', 'partiallyCompleted', 'failed')),
      actor_kind text not null check (actor_kind in ('partnerUser', 'apiToken', 'customer', 'system')),
      actor_name text not null,
      -- Which side acted: the target, the source, the customer or the system.
      actor_side text not null check (actor_side in ('target', 'source', 'customer', 'system')),
      details jsonb not null default '{}'
    );
    create index transfer_events_transfer on transfer_events (transfer_id, id);
    ${parties('transfer_events')}

    -- ── reaching across partners, each checking the caller first ──

    -- Every subscription of a customer, whoever sold it, with what eligibility needs: for a partner with an
    -- active relationship with the customer (the would-be target). Says nothing of prices or seats in use.
    create function transfer_candidates(p_customer uuid)
    returns table (subscription_id uuid, partner_id uuid, partner_name text, partner_country text,
                   partner_instance text, partner_kind text, partner_related boolean, offer_id text,
                   offer_name text, friendly_name text, product_kind text, billing_type text, status text,
                   azure_subscription_id uuid, quantity integer, billing_cycle text, creation_date timestamptz,
                   in_open_transfer boolean, open_transfer_id uuid)
    language sql stable ${definer} as $$
      select s.id, s.partner_id, p.name, p.country::text, p.instance, p.kind,
             exists (select 1 from customer_relationships r
                      where r.customer_id = s.customer_id and r.partner_id = s.partner_id and r.state = 'active'),
             s.offer_id, s.offer_name, s.friendly_name, s.product_kind, s.billing_type, s.status,
             s.azure_subscription_id, s.quantity, s.billing_cycle, s.creation_date,
             exists (select 1 from transfer_line_items l
                      where l.subscription_id = s.id and l.status in ('pending', 'accepted')),
             -- Which request, only when the caller made it: others' requests stay theirs.
             (select l.transfer_id from transfer_line_items l join transfers t on t.id = l.transfer_id
               where l.subscription_id = s.id and l.status in ('pending', 'accepted')
                 and t.target_partner_id = ${tenant} limit 1)
        from subscriptions s join partners p on p.id = s.partner_id
       where s.customer_id = p_customer
         and s.status not in ('deleted', 'transferred')
         and exists (select 1 from customer_relationships r
                      where r.customer_id = p_customer and r.partner_id = ${tenant} and r.state = 'active')
       order by p.name, s.creation_date, s.id
    $$;

    -- A partner's name, country, instance, kind and state: the caller's own, or a transfer's other party.
    create function transfer_partner(p_partner uuid)
    returns table (id uuid, name text, country text, instance text, kind text, state text)
    language sql stable ${definer} as $$
      select p.id, p.name, p.country::text, p.instance, p.kind, p.state from partners p
       where p.id = p_partner
         and (p.id = ${tenant}
              or exists (select 1 from transfers t
                          where t.source_partner_id = ${tenant} and t.target_partner_id = p.id
                             or t.target_partner_id = ${tenant} and t.source_partner_id = p.id))
    $$;

    -- Records an activity entry for the other party of a transfer the caller is a party of.
    create function transfer_record_counterpart(p_transfer uuid, p_actor_kind text, p_actor_name text,
                                                p_action text, p_status text, p_details jsonb,
                                                p_request_id text, p_correlation_id text)
    returns void language plpgsql volatile ${definer} as $$
    declare
      t transfers%rowtype;
      v_other uuid;
    begin
      select * into t from transfers where id = p_transfer;
      if t.id is null or ${tenant} is null or ${tenant} not in (t.source_partner_id, t.target_partner_id) then
        raise exception 'transfer_record_counterpart: the caller is no party of transfer %', p_transfer
          using errcode = '42501';
      end if;
      v_other := case when t.source_partner_id = ${tenant} then t.target_partner_id else t.source_partner_id end;
      insert into activity_records (partner_id, actor_kind, actor_name, customer_id, customer_name, action,
                                    resource_type, resource_id, status, details, request_id, correlation_id)
      select v_other, p_actor_kind, p_actor_name, c.id, c.billing_company_name, p_action, 'Transfer',
             t.id::text, p_status, p_details, p_request_id, p_correlation_id
        from customers c where c.id = t.customer_id;
    end $$;

    -- ── the customer's side (keyed by the customer session's token hash) ──

    -- The session's organisation's transfer requests, newest first.
    create function customer_portal_transfers(p_session bytea)
    returns table (id uuid, status text, customer_consent text, consented_at timestamptz, consented_by text,
                   note text, source_partner_name text, target_partner_name text, created_at timestamptz,
                   expires_at timestamptz, closed_at timestamptz, line_items jsonb)
    language sql stable ${definer} as $$
      select t.id, t.status, t.customer_consent, t.consented_at, t.consented_by, t.note, sp.name, tp.name,
             t.created_at, t.expires_at, t.closed_at,
             (select coalesce(jsonb_agg(jsonb_build_object(
                       'lineNumber', l.line_number, 'subscriptionId', l.subscription_id,
                       'azureSubscriptionId', l.azure_subscription_id, 'offerName', l.offer_name,
                       'friendlyName', l.friendly_name, 'status', l.status) order by l.line_number), '[]')
                from transfer_line_items l where l.transfer_id = t.id)
        from customer_sessions s
        join transfers t on t.customer_id = s.customer_id
        join partners sp on sp.id = t.source_partner_id
        join partners tp on tp.id = t.target_partner_id
       where s.token_hash = p_session and s.expires_at > now()
       order by t.created_at desc, t.id
    $$;

    -- The customer admin's answer to a pending request awaiting consent ('given' or 'declined'). Answers the
    -- request's partners and status afterwards, or nothing when the session is not a Global admin of the
    -- request's customer, or the request no longer awaits consent, or has passed its expiry (the caller tells
    -- which by reading again).
    create function customer_portal_transfer_consent(p_session bytea, p_transfer uuid, p_decision text,
                                                     p_at timestamptz, p_request_id text,
                                                     p_correlation_id text)
    returns table (id uuid, customer_id uuid, customer_name text, source_partner_id uuid,
                   target_partner_id uuid, status text, customer_consent text, consented_by text)
    language plpgsql volatile ${definer} as $$
    declare
      v_user text;
      v_user_id uuid;
      v_customer uuid;
    begin
      if p_decision not in ('given', 'declined') then
        raise exception 'customer_portal_transfer_consent: decision %', p_decision using errcode = '22023';
      end if;
      select u.user_name, u.id, u.customer_id into v_user, v_user_id, v_customer
        from customer_sessions s join customer_users u on u.id = s.user_id and u.customer_id = s.customer_id
       where s.token_hash = p_session and s.expires_at > now() and u.state = 'active'
         and 'globalAdmin' = any (u.roles);
      if v_user is null then return; end if;
      return query
      with changed as (
        update transfers t
           set customer_consent = p_decision, consented_at = p_at, consented_by = v_user,
               status = case when p_decision = 'declined' then 'rejected' else t.status end,
               rejected_by = case when p_decision = 'declined' then 'customer' else t.rejected_by end,
               rejection_reason = case when p_decision = 'declined' then 'Declined by the customer.'
                                       else t.rejection_reason end,
               closed_at = case when p_decision = 'declined' then p_at else t.closed_at end,
               updated_at = p_at, version = t.version + 1
         where t.id = p_transfer and t.customer_id = v_customer and t.status = 'pending'
           and t.customer_consent = 'pending'
           -- Past its 30 days a request is over, even before the expiry job has marked it so.
           and t.expires_at > p_at
        returning t.*
      ), lines as (
        update transfer_line_items l set status = 'rejected'
          from changed c where l.transfer_id = c.id and c.status = 'rejected' and l.status = 'pending'
        returning 1
      ), event as (
        insert into transfer_events (transfer_id, source_partner_id, target_partner_id, occurred_at, event,
                                     actor_kind, actor_name, actor_side)
        select c.id, c.source_partner_id, c.target_partner_id, p_at,
               case when p_decision = 'given' then 'consented' else 'consentDeclined' end, 'customer', v_user,
               'customer'
          from changed c
        returning 1
      ), activity as (
        insert into activity_records (partner_id, actor_kind, actor_id, actor_name, customer_id, customer_name,
                                      action, resource_type, resource_id, status, details, request_id,
                                      correlation_id)
        select pid, 'customer', v_user_id, v_user, c.customer_id, cu.billing_company_name,
               case when p_decision = 'given' then 'transfer.consent' else 'transfer.consentDecline' end,
               'Transfer', c.id::text, 'succeeded', '{}'::jsonb, p_request_id, p_correlation_id
          from changed c join customers cu on cu.id = c.customer_id
          cross join lateral (values (c.source_partner_id), (c.target_partner_id)) v(pid)
        returning 1
      )
      select c.id, c.customer_id, cu.billing_company_name, c.source_partner_id, c.target_partner_id, c.status,
             c.customer_consent, c.consented_by
        from changed c join customers cu on cu.id = c.customer_id;
      -- (lines, event and activity run whether or not the final select reads them: data-modifying WITH
      -- queries always run exactly once.)
    end $$;
  `,
    )
    .execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Partnerdesk migrations are forward-only.');
}
