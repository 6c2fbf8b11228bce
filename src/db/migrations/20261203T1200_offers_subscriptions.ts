// Offers, orders and subscriptions (PRODUCT.md feature 9).
//
// The catalog (markets, offers, their prices) is the operator's: it belongs to no partner, every partner reads
// it, and only the owner connection writes it (`partnerdesk offers import`); ensureAppRole takes write access
// away from the request-path role. An offer is never deleted: one that leaves the catalog is marked
// unavailable, so the subscriptions sold from it keep their offer.
//
// Orders and subscriptions belong to the partner of record (partner_id) under the usual tenant rule. A
// subscription's designated support contact may be another partner with a reseller relationship to the
// customer: when that relationship ends, a trigger (running as the table owner, since the rows are another
// partner's) takes the partner off every subscription of that customer.
//
// Frozen: never edit after it has shipped; add a new migration instead.
import type { Kysely } from 'kysely';
import { sql } from 'kysely';

const tenant = `nullif(current_setting('app.partner_id', true), '')::uuid`;

function rls(table: string): string {
  return `
    alter table ${table} enable row level security;
    create policy ${table}_tenant on ${table} using (partner_id = ${tenant}) with check (partner_id = ${tenant});`;
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
    -- Where the catalog sells, and in which currency: a customer's billing country picks its market.
    create table catalog_markets (
      country char(2) primary key check (country ~ '^[A-Z]{2}$'),
      currency char(3) not null check (currency ~ '^[A-Z]{3}$')
    );

    create table offers (
      id text primary key check (id ~ '^[A-Za-z0-9][A-Za-z0-9._:-]{0,79}$'),
      name text not null check (length(name) between 1 and 200),
      description text not null default '' check (length(description) <= 2000),
      product_kind text not null
        check (product_kind in ('onlineService', 'azure', 'azurePlan', 'reservation', 'software')),
      billing_type text not null check (billing_type in ('license', 'usage')),
      unit_type text not null check (length(unit_type) between 1 and 50),
      -- ISO 8601 durations: P1M, P1Y, P3Y. Empty: no commitment (usage-based Azure, perpetual software).
      terms text[] not null default '{}' check (terms <@ array['P1M', 'P1Y', 'P3Y']),
      billing_cycles text[] not null check (cardinality(billing_cycles) > 0
        and billing_cycles <@ array['monthly', 'annual', 'triennial', 'oneTime', 'none']),
      min_quantity integer not null check (min_quantity >= 1),
      max_quantity integer not null check (max_quantity >= min_quantity),
      -- An add-on is bought on top of a subscription to one of these offers.
      parent_offer_ids text[] not null default '{}',
      countries text[] not null check (cardinality(countries) > 0),
      instances text[] not null check (cardinality(instances) > 0
        and instances <@ array['global', 'usgov', 'germany']),
      -- Whether a subscription to it may be cancelled (reservations, software) instead of suspended.
      cancellable boolean not null,
      is_available boolean not null default true,
      -- Case- and accent-folded "id name" for search (computed by the application).
      search_key text collate "C" not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version integer not null default 1
    );
    create index offers_search on offers using gin (search_key gin_trgm_ops);
    create index offers_parents on offers using gin (parent_offer_ids);

    -- A price per currency, term and billing cycle, in the currency's minor units (cents). Usage-based offers
    -- have none here: their charges come from rated usage.
    create table offer_prices (
      offer_id text not null references offers(id),
      currency char(3) not null check (currency ~ '^[A-Z]{3}$'),
      term text not null check (term in ('P1M', 'P1Y', 'P3Y', 'none')),
      billing_cycle text not null
        check (billing_cycle in ('monthly', 'annual', 'triennial', 'oneTime', 'none')),
      unit_price bigint not null check (unit_price >= 0),
      primary key (offer_id, currency, term, billing_cycle)
    );

    create table orders (
      id uuid primary key,
      partner_id uuid not null references partners(id),
      customer_id uuid not null references customers(id),
      currency char(3) not null,
      created_by text not null,
      created_at timestamptz not null
    );
    create index orders_customer on orders (partner_id, customer_id, created_at, id);
    ${rls('orders')}

    create table subscriptions (
      id uuid primary key,                         -- the billing subscription id
      partner_id uuid not null references partners(id),   -- the partner of record
      customer_id uuid not null references customers(id),
      order_id uuid not null references orders(id),
      line_item_number integer not null,
      offer_id text not null references offers(id),
      offer_name text not null,                    -- as it was sold
      product_kind text not null,
      billing_type text not null check (billing_type in ('license', 'usage')),
      unit_type text not null,
      friendly_name text not null check (length(friendly_name) between 1 and 200),
      quantity integer not null check (quantity >= 1),
      term text check (term in ('P1M', 'P1Y', 'P3Y')),
      billing_cycle text not null,
      auto_renew boolean not null,
      currency char(3) not null,
      unit_price bigint,                           -- minor units at order time; null for usage-based
      status text not null default 'active' check (status in ('active', 'suspended', 'deleted', 'cancelled')),
      suspension_reasons text[] not null default '{}',
      parent_subscription_id uuid references subscriptions(id),
      azure_subscription_id uuid,                  -- the Azure subscription's own id, kept across transfers
      support_partner_id uuid references partners(id),    -- null: the partner of record itself
      creation_date timestamptz not null,
      effective_start_date timestamptz not null,
      commitment_end_date timestamptz,
      suspended_at timestamptz,
      deletion_due_at timestamptz,                 -- suspended_at + 90 days, while suspended
      cancelled_at timestamptz,
      deleted_at timestamptz,
      updated_at timestamptz not null,
      version integer not null default 1,
      unique (order_id, line_item_number),
      check ((status = 'suspended') = (suspended_at is not null and deletion_due_at is not null)),
      check ((billing_type = 'usage') = (unit_price is null))
    );
    create index subscriptions_customer on subscriptions (partner_id, customer_id, creation_date, id);
    create index subscriptions_parent on subscriptions (parent_subscription_id) where parent_subscription_id is not null;
    create index subscriptions_deletion_due on subscriptions (deletion_due_at) where status = 'suspended';
    create index subscriptions_support_partner on subscriptions (support_partner_id, customer_id)
      where support_partner_id is not null;
    create unique index subscriptions_azure on subscriptions (azure_subscription_id)
      where azure_subscription_id is not null and status <> 'deleted';
    ${rls('subscriptions')}

    -- Is this partner (named by its id) a possible support contact for the customer: in a reseller relationship
    -- with it? Answers the partner's name or nothing; says nothing else about the other partner.
    create function support_contact_candidate(p_customer uuid, p_partner uuid)
    returns table (partner_id uuid, name text)
    language sql stable security definer set search_path = public, pg_temp as $$
      select p.id, p.name from customer_relationships r join partners p on p.id = r.partner_id
       where r.customer_id = p_customer and r.partner_id = p_partner and r.state = 'active' and p.state = 'active'
    $$;

    -- The name of a subscription's support contact (a partner that may not be the caller).
    create function support_contact_name(p_partner uuid) returns text
    language sql stable security definer set search_path = public, pg_temp as $$
      select name from partners where id = p_partner
    $$;

    -- A partner whose relationship with the customer ends stops being the support contact of every
    -- subscription of that customer, whoever sold it.
    create function subscriptions_drop_support_contact() returns trigger
    language plpgsql security definer set search_path = public, pg_temp as $$
    begin
      if old.state = 'active' and new.state <> 'active' then
        update subscriptions set support_partner_id = null, version = version + 1, updated_at = now()
         where customer_id = new.customer_id and support_partner_id = new.partner_id;
      end if;
      return new;
    end $$;
    create trigger subscriptions_drop_support_contact after update of state on customer_relationships
      for each row execute function subscriptions_drop_support_contact();
  `,
    )
    .execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Partnerdesk migrations are forward-only.');
}
