// Customer accounts: the customer's tenant (id, domains, company and billing profiles), its directory (the
// first admin user for now), partner–customer relationships, and customer-agreement confirmations.
//
// Visibility: a customer belongs to no single partner (several may resell to it), so its rows carry no
// partner_id. Row-level security shows a customer, its domains, users and agreements to a partner only while
// that partner has an active relationship with it. customer_relationships is the partner's own table and
// doubles as its customer list: it carries copies of the list's sort and search keys (kept in step by a
// trigger), so a list of 200,000 customers pages and searches on one partner-scoped index.
//
// Frozen: never edit after it has shipped; add a new migration instead.
import type { Kysely } from 'kysely';
import { sql } from 'kysely';

const tenant = `nullif(current_setting('app.partner_id', true), '')::uuid`;
const related = (customerColumn: string) =>
  `exists (select 1 from customer_relationships r
            where r.customer_id = ${customerColumn} and r.partner_id = ${tenant} and r.state = 'active')`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
    -- Trigram indexes for "contains" search; btree_gin lets one GIN index start with the partner id.
    create extension if not exists pg_trgm;
    create extension if not exists btree_gin;

    create table customers (
      id uuid primary key,                          -- the tenant id ("Microsoft ID")
      instance text not null check (instance in ('global', 'usgov', 'germany')),
      commerce_id uuid not null default gen_random_uuid(),
      primary_domain text not null check (primary_domain = lower(primary_domain)),
      company_name text not null check (length(company_name) between 1 and 200),
      registration_number text,
      billing_first_name text not null default '',
      billing_last_name text not null default '',
      billing_email text not null,
      culture text not null,
      language text not null,
      billing_company_name text not null check (length(billing_company_name) between 1 and 200),
      default_address jsonb not null,
      -- Search keys computed by the application: case- and accent-folded company name, all domains.
      name_key text collate "C" not null,
      domain_key text collate "C" not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version integer not null default 1
    );

    -- Every domain of every tenant, unique across the installation: the primary key is what makes two
    -- concurrent creations of one domain end with exactly one customer.
    create table customer_domains (
      domain text primary key check (domain = lower(domain)),
      customer_id uuid not null references customers(id),
      is_primary boolean not null default false,
      created_at timestamptz not null default now()
    );
    create index customer_domains_customer on customer_domains (customer_id);

    -- "Is this domain taken?" must see every tenant's domains, and say nothing else.
    create function customer_domain_taken(p_domain text) returns boolean
    language sql stable security definer set search_path = public, pg_temp as $$
      select exists (select 1 from customer_domains where domain = lower(p_domain))
    $$;

    create table customer_relationships (
      partner_id uuid not null references partners(id),
      customer_id uuid not null references customers(id),
      relationship text not null default 'reseller' check (relationship in ('reseller')),
      delegated_admin boolean not null,
      state text not null default 'active' check (state in ('active', 'removed')),
      established_at timestamptz not null default now(),
      removed_at timestamptz,
      -- Copies of the customer's list keys (trigger customers_sync_relationships keeps them current).
      company_name text not null,
      name_key text collate "C" not null,
      primary_domain text collate "C" not null,
      domain_key text collate "C" not null,
      customer_created_at timestamptz not null,
      primary key (partner_id, customer_id)
    );
    create index customer_relationships_customer on customer_relationships (customer_id);
    create index customer_list_by_name on customer_relationships (partner_id, name_key, customer_id)
      where state = 'active';
    create index customer_list_by_created on customer_relationships (partner_id, customer_created_at, customer_id)
      where state = 'active';
    create index customer_list_by_domain on customer_relationships (partner_id, primary_domain, customer_id)
      where state = 'active';
    create index customer_list_contains on customer_relationships
      using gin (partner_id, name_key gin_trgm_ops, domain_key gin_trgm_ops) where state = 'active';
    alter table customer_relationships enable row level security;
    create policy customer_relationships_tenant on customer_relationships
      using (partner_id = ${tenant}) with check (partner_id = ${tenant});

    -- Policies that look a customer's relationships up, now that their table exists. Any partner may create
    -- a customer (it becomes related in the same transaction); only related partners read or change one.
    alter table customers enable row level security;
    create policy customers_insert on customers for insert with check (true);
    create policy customers_select on customers for select using (${related('customers.id')});
    create policy customers_update on customers for update using (${related('customers.id')});
    alter table customer_domains enable row level security;
    create policy customer_domains_insert on customer_domains for insert with check (${related('customer_id')});
    create policy customer_domains_select on customer_domains for select using (${related('customer_id')});

    -- A change of the customer's name or domains reaches every partner's list, including lists the changing
    -- partner may not touch itself: the trigger runs as the table owner.
    create function customers_sync_relationships() returns trigger
    language plpgsql security definer set search_path = public, pg_temp as $$
    begin
      update customer_relationships
         set company_name = new.billing_company_name, name_key = new.name_key,
             primary_domain = new.primary_domain, domain_key = new.domain_key
       where customer_id = new.id;
      return new;
    end $$;
    create trigger customers_sync_relationships after update of billing_company_name, name_key, primary_domain,
      domain_key on customers for each row execute function customers_sync_relationships();

    -- The customer's directory: for now its first Global admin, created with the tenant.
    create table customer_users (
      id uuid primary key default gen_random_uuid(),
      customer_id uuid not null references customers(id),
      user_name text not null check (user_name = lower(user_name)),
      first_name text,
      last_name text,
      display_name text not null,
      password_hash text not null,
      must_change_password boolean not null default true,
      roles text[] not null default '{}',
      state text not null default 'active' check (state in ('active', 'inactive')),
      usage_location char(2),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version integer not null default 1
    );
    create unique index customer_users_user_name on customer_users (user_name);
    create index customer_users_customer on customer_users (customer_id, created_at, id);
    alter table customer_users enable row level security;
    create policy customer_users_related on customer_users
      using (${related('customer_id')}) with check (${related('customer_id')});

    -- Confirmations that the customer accepted the customer agreement: by a partner's attestation or by the
    -- customer's admin on the invitation page. The newest one counts.
    create table customer_agreements (
      id uuid primary key default gen_random_uuid(),
      customer_id uuid not null references customers(id),
      partner_id uuid references partners(id),
      agreement_type text not null default 'customerAgreement',
      signer_first_name text not null,
      signer_last_name text not null,
      signer_email text not null,
      signer_phone text,
      date_agreed date not null,
      confirmed_by text not null check (confirmed_by in ('partner', 'customer')),
      created_at timestamptz not null default now()
    );
    create index customer_agreements_customer on customer_agreements (customer_id, created_at desc);
    alter table customer_agreements enable row level security;
    create policy customer_agreements_related on customer_agreements
      using (${related('customer_id')}) with check (${related('customer_id')});
  `,
    )
    .execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Partnerdesk migrations are forward-only.');
}
