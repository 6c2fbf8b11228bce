// Billing (PRODUCT.md feature 10): the history charges are computed from, usage records and their meters,
// billing periods, invoices and credit notes, and per-customer spending budgets.
//
// - subscription_states: every change of a subscription's billable state (quantity, status, unit price), kept
//   by a trigger in the same transaction as the change, so no change can be missed or back-dated by a caller.
//   A state holds from valid_from until the next state's valid_from.
// - offer_meters / meter_prices: the catalog's usage meters and their prices per currency, each price valid
//   from a date until the next one (so usage is rated with the price of its own date). Operator-owned, like
//   offers: the request-path role only reads them.
// - usage_records: rated usage of usage-based subscriptions. (partner, client_record_id) is unique, so
//   re-sending a batch is harmless.
// - billing_periods: a partner's calendar month, open until the invoice job closes it. Usage ingestion holds
//   the row FOR SHARE and the job FOR UPDATE, so no usage slips into a period while it is being invoiced.
// - invoices / invoice_line_items: written once by the invoice job (owner connection), never changed: the
//   request-path role may only read them, and a trigger refuses any update or delete, for any role.
//   Corrections are credit notes: documents of their own that name the invoice they amend.
// - customer_budgets / budget_alerts: a monthly usage-spend budget per customer and the alerts raised when the
//   month's spend crosses 80% (one per customer, month and threshold).
//
// Frozen once shipped: add a new migration instead of editing this one.
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
    create table subscription_states (
      subscription_id uuid not null references subscriptions(id),
      partner_id uuid not null references partners(id),
      customer_id uuid not null references customers(id),
      valid_from timestamptz not null,
      quantity integer not null,
      status text not null,
      unit_price bigint,
      primary key (subscription_id, valid_from)
    );
    create index subscription_states_partner on subscription_states (partner_id, subscription_id, valid_from);
    ${rls('subscription_states')}

    -- A change takes effect at the row's updated_at (the application's clock); a new row at its effective start;
    -- a transferred row at its transfer time. Two changes at one instant keep the later one. A change dated in
    -- a month already invoiced (committed just after the close, or by a process whose clock lags) takes effect
    -- at the start of the next open month instead, so it is charged rather than lost; the period row is held
    -- FOR SHARE, so a close running meanwhile either sees this change or is seen by it.
    create function subscriptions_record_state() returns trigger
    language plpgsql security definer set search_path = public, pg_temp as $$
    declare
      at timestamptz;
      month date;
      period_status text;
    begin
      if tg_op = 'UPDATE' and new.quantity = old.quantity and new.status = old.status
         and new.unit_price is not distinct from old.unit_price then
        return new;
      end if;
      at := case
        when tg_op = 'INSERT' then new.effective_start_date
        when new.status = 'transferred' then coalesce(new.transferred_at, new.updated_at)
        else new.updated_at end;
      loop
        month := date_trunc('month', at at time zone 'UTC')::date;
        select status into period_status from billing_periods
         where partner_id = new.partner_id and period_start = month for share;
        exit when period_status is distinct from 'closed';
        at := (month + interval '1 month')::timestamp at time zone 'UTC';
      end loop;
      insert into subscription_states (subscription_id, partner_id, customer_id, valid_from, quantity, status, unit_price)
      values (new.id, new.partner_id, new.customer_id, at, new.quantity, new.status, new.unit_price)
      on conflict (subscription_id, valid_from) do update
        set quantity = excluded.quantity, status = excluded.status, unit_price = excluded.unit_price;
      return new;
    end $$;
    create trigger subscriptions_record_state after insert or update on subscriptions
      for each row execute function subscriptions_record_state();

    -- Subscriptions sold before this migration: their history as well as it can be told from their dates.
    insert into subscription_states (subscription_id, partner_id, customer_id, valid_from, quantity, status, unit_price)
    select id, partner_id, customer_id, effective_start_date, quantity, 'active', unit_price from subscriptions;
    insert into subscription_states (subscription_id, partner_id, customer_id, valid_from, quantity, status, unit_price)
    select id, partner_id, customer_id, ended_at, quantity, status, unit_price from (
      select s.*, case s.status
        when 'suspended' then s.suspended_at
        when 'deleted' then coalesce(s.suspended_at, s.deleted_at)
        when 'cancelled' then s.cancelled_at
        when 'transferred' then s.transferred_at end as ended_at
      from subscriptions s where s.status <> 'active') ended
    where ended_at is not null and ended_at > effective_start_date
    on conflict do nothing;

    create table offer_meters (
      offer_id text not null references offers(id),
      meter_id text not null check (meter_id ~ '^[A-Za-z0-9][A-Za-z0-9._:-]{0,79}$'),
      name text not null check (length(name) between 1 and 200),
      category text not null default '' check (length(category) <= 100),
      unit text not null check (length(unit) between 1 and 50),
      primary key (offer_id, meter_id)
    );

    -- Minor units of the currency per unit of the meter; fractions allowed (a cent per 100 GB is 0.01).
    create table meter_prices (
      offer_id text not null,
      meter_id text not null,
      currency char(3) not null check (currency ~ '^[A-Z]{3}$'),
      effective_from date not null,
      unit_price numeric(20, 6) not null check (unit_price >= 0),
      primary key (offer_id, meter_id, currency, effective_from),
      foreign key (offer_id, meter_id) references offer_meters (offer_id, meter_id)
    );

    create table usage_records (
      id uuid primary key,
      partner_id uuid not null references partners(id),
      customer_id uuid not null references customers(id),
      subscription_id uuid not null references subscriptions(id),
      offer_id text not null,
      meter_id text not null,
      usage_date date not null,
      quantity numeric(20, 6) not null check (quantity >= 0),
      unit_price numeric(20, 6) not null check (unit_price >= 0),
      currency char(3) not null,
      -- quantity × unit_price, exact (minor units, unrounded): rounding happens once per invoice line.
      amount numeric(40, 12) not null,
      client_record_id text not null check (length(client_record_id) between 1 and 100),
      created_by text not null,
      created_at timestamptz not null,
      unique (partner_id, client_record_id),
      foreign key (offer_id, meter_id) references offer_meters (offer_id, meter_id)
    );
    create index usage_records_period on usage_records (partner_id, usage_date, subscription_id);
    create index usage_records_customer on usage_records (partner_id, customer_id, usage_date);
    create index usage_records_subscription on usage_records (subscription_id, usage_date);
    ${rls('usage_records')}

    create table billing_periods (
      partner_id uuid not null references partners(id),
      period_start date not null check (extract(day from period_start) = 1),
      status text not null default 'open' check (status in ('open', 'closed')),
      closed_at timestamptz,
      primary key (partner_id, period_start),
      check ((status = 'closed') = (closed_at is not null))
    );
    ${rls('billing_periods')}

    create sequence invoice_numbers;
    create table invoices (
      id text primary key,
      partner_id uuid not null references partners(id),
      document_type text not null check (document_type in ('invoice', 'creditNote')),
      invoice_type text not null check (invoice_type in ('recurring', 'oneTime')),
      currency char(3) not null,
      billing_period_start date not null,
      billing_period_end date not null,        -- the period's last day, inclusive
      invoice_date timestamptz not null,
      amends_of text references invoices(id),
      reason text check (length(reason) <= 500),
      total_charges bigint not null,           -- minor units; negative on a credit note
      line_count integer not null,
      created_by text not null,
      created_at timestamptz not null,
      check ((document_type = 'creditNote') = (amends_of is not null))
    );
    create unique index invoices_one_per_period on invoices (partner_id, currency, invoice_type, billing_period_start)
      where document_type = 'invoice';
    create index invoices_partner on invoices (partner_id, invoice_date desc, id desc);
    create index invoices_amends on invoices (amends_of) where amends_of is not null;
    ${rls('invoices')}

    -- Lines are written before their invoice (whose totals they make), in the same transaction.
    create table invoice_line_items (
      invoice_id text not null references invoices(id) deferrable initially deferred,
      line_number integer not null check (line_number >= 1),
      partner_id uuid not null references partners(id),
      provider text not null check (provider in ('office', 'azure', 'oneTime')),
      line_item_type text not null check (line_item_type in ('billingLineItems', 'usageLineItems')),
      charge_type text not null
        check (charge_type in ('cycleCharge', 'prorateCharge', 'prorateCredit', 'usage', 'oneTime', 'creditNote')),
      customer_id uuid not null,
      customer_name text not null,
      subscription_id uuid not null,
      subscription_name text not null,
      offer_id text not null,
      offer_name text not null,
      meter_id text,
      meter_name text,
      unit text not null,
      quantity numeric(20, 6) not null,
      unit_price numeric(20, 6) not null,
      days integer,
      charge_start_date date not null,
      charge_end_date date not null,           -- inclusive
      amount bigint not null,
      amends_line integer,                     -- on a credit note: the amended invoice's line
      primary key (invoice_id, line_number)
    );
    create index invoice_line_items_customer on invoice_line_items (partner_id, customer_id, invoice_id);
    -- An invoice's lines of one provider and line type, in line order (the lineitems route's filter).
    create index invoice_line_items_kind on invoice_line_items (invoice_id, provider, line_item_type, line_number);
    ${rls('invoice_line_items')}

    create function invoices_immutable() returns trigger language plpgsql as $$
    begin
      raise exception 'issued invoices and their lines never change; issue a credit note instead'
        using errcode = 'P0001';
    end $$;
    create trigger invoices_immutable before update or delete on invoices
      for each row execute function invoices_immutable();
    create trigger invoice_line_items_immutable before update or delete on invoice_line_items
      for each row execute function invoices_immutable();

    create table customer_budgets (
      partner_id uuid not null references partners(id),
      customer_id uuid not null references customers(id),
      amount bigint not null check (amount > 0),
      currency char(3) not null,
      updated_by text not null,
      updated_at timestamptz not null,
      version integer not null default 1,
      primary key (partner_id, customer_id)
    );
    ${rls('customer_budgets')}

    create table budget_alerts (
      partner_id uuid not null references partners(id),
      customer_id uuid not null references customers(id),
      period_start date not null,
      threshold_percent integer not null check (threshold_percent between 1 and 100),
      spend bigint not null,
      budget bigint not null,
      currency char(3) not null,
      raised_at timestamptz not null,
      primary key (partner_id, customer_id, period_start, threshold_percent)
    );
    ${rls('budget_alerts')}

    -- An installation that sold subscriptions before billing existed: the months before this one were never
    -- billed here and are not invoiced after the fact (their history above is only approximate).
    insert into billing_periods (partner_id, period_start, status, closed_at)
    select p.partner_id, m::date, 'closed', now()
      from (select partner_id, min(effective_start_date) as first from subscriptions group by partner_id) p
     cross join lateral generate_series(date_trunc('month', p.first at time zone 'UTC'),
                                        date_trunc('month', now() at time zone 'UTC') - interval '1 month',
                                        interval '1 month') m;
  `,
    )
    .execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Partnerdesk migrations are forward-only.');
}
