// The customer list at a million customers (found with `npm run bench -- customers`, see README "Performance"):
//
// 1. The "related customer" policies of customer_domains, customer_users and customer_agreements compared
//    customer_relationships.customer_id with itself (an unqualified customer_id inside the subquery names the
//    subquery's own column), so they let through every row to any partner with one active customer. They now
//    compare with the row's own customer_id.
// 2. Under row-level security PostgreSQL may not use a non-leakproof operator such as LIKE as an index
//    condition, so every search read all of a partner's relationships (200,000 for a big partner) and filtered
//    them. customer_list is the partner's view of its active relationships: it applies the same tenant rule
//    as the policy in its WHERE clause and, owned by the tables' owner, reads them without the policy, so LIKE
//    reaches the btree and trigram indexes. It is read-only (a trigger refuses writes, which would skip the
//    policy's checks); writes go to the table under its policy.
// 3. Prefix search of domains gets a btree on domain_key (the primary domain comes first in it), and the
//    rarely needed "any later domain" arm a small trigram index over customers that have more than one.
// 4. The total of an unfiltered list is kept per partner by statement triggers instead of counted each time.
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
    drop policy customer_domains_insert on customer_domains;
    drop policy customer_domains_select on customer_domains;
    create policy customer_domains_insert on customer_domains for insert
      with check (${related('customer_domains.customer_id')});
    create policy customer_domains_select on customer_domains for select
      using (${related('customer_domains.customer_id')});
    drop policy customer_users_related on customer_users;
    create policy customer_users_related on customer_users
      using (${related('customer_users.customer_id')}) with check (${related('customer_users.customer_id')});
    drop policy customer_agreements_related on customer_agreements;
    create policy customer_agreements_related on customer_agreements
      using (${related('customer_agreements.customer_id')}) with check (${related('customer_agreements.customer_id')});

    create view customer_list as
      select partner_id, customer_id, delegated_admin, established_at, company_name, name_key, primary_domain,
             domain_key, customer_created_at
        from customer_relationships
       where state = 'active' and partner_id = ${tenant};
    -- Read-only: a simple view is updatable, and writes through it would skip the table's policy checks.
    create function customer_list_read_only() returns trigger language plpgsql as $$
    begin
      raise exception 'customer_list is read-only: write customer_relationships' using errcode = '42501';
    end $$;
    create trigger customer_list_read_only instead of insert or update or delete on customer_list
      for each row execute function customer_list_read_only();

    create index customer_list_by_domain_key on customer_relationships (partner_id, domain_key, customer_id)
      where state = 'active';
    create index customer_list_more_domains on customer_relationships using gin (domain_key gin_trgm_ops)
      where state = 'active' and domain_key like '% %';

    create table partner_customer_counts (
      partner_id uuid primary key references partners(id),
      active_customers integer not null default 0 check (active_customers >= 0)
    );
    alter table partner_customer_counts enable row level security;
    create policy partner_customer_counts_tenant on partner_customer_counts
      using (partner_id = ${tenant}) with check (partner_id = ${tenant});

    -- Per statement, from the transition tables: a bulk insert updates each partner's row once. Runs as the
    -- owner so that a change reaching another partner's relationships (a customer's rename) is counted too.
    create function customer_relationships_count() returns trigger
    language plpgsql security definer set search_path = public, pg_temp as $$
    begin
      if tg_op = 'INSERT' then
        insert into partner_customer_counts as c (partner_id, active_customers)
        select partner_id, count(*) from new_rows where state = 'active' group by partner_id
        on conflict (partner_id) do update set active_customers = c.active_customers + excluded.active_customers;
      elsif tg_op = 'DELETE' then
        update partner_customer_counts c set active_customers = c.active_customers - d.n
          from (select partner_id, count(*) as n from old_rows where state = 'active' group by partner_id) d
         where c.partner_id = d.partner_id;
      else
        -- Not one INSERT … ON CONFLICT: a negative delta would fail the check on the proposed row first.
        insert into partner_customer_counts (partner_id)
        select distinct partner_id from new_rows where state = 'active' on conflict (partner_id) do nothing;
        update partner_customer_counts c set active_customers = c.active_customers + d.delta
          from (select partner_id, sum(delta) as delta from (
                  select partner_id, 1 as delta from new_rows where state = 'active'
                  union all
                  select partner_id, -1 from old_rows where state = 'active'
                ) x group by partner_id having sum(delta) <> 0) d
         where c.partner_id = d.partner_id;
      end if;
      return null;
    end $$;
    create trigger customer_relationships_count_insert after insert on customer_relationships
      referencing new table as new_rows for each statement execute function customer_relationships_count();
    create trigger customer_relationships_count_update after update on customer_relationships
      referencing old table as old_rows new table as new_rows
      for each statement execute function customer_relationships_count();
    create trigger customer_relationships_count_delete after delete on customer_relationships
      referencing old table as old_rows for each statement execute function customer_relationships_count();

    insert into partner_customer_counts (partner_id, active_customers)
    select partner_id, count(*) from customer_relationships where state = 'active' group by partner_id;
  `,
    )
    .execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Partnerdesk migrations are forward-only.');
}
