// Managing a customer's directory one user at a time (PRODUCT.md feature 7): the list at scale, ending a user's
// sessions, and purging deleted users.
//
// 1. customer_directory: the users of the customers the calling partner has an active relationship with. Under
//    customer_users' row-level security PostgreSQL may not use a non-leakproof operator (LIKE, lower(), a row
//    comparison over lower(display_name)) as an index condition, so a search or a deep page read every user of
//    the customer (see 20261203T0900 for the same finding on the customer list). The view applies the same
//    tenant rule as the policy in its WHERE clause and, owned by the tables' owner, reads the table without the
//    policy, so the search and sort keys reach their indexes. Read-only: writes go to the table, under its policy.
// 2. The list's other sort orders get their indexes (display name has customer_users_list).
// 3. customer_user_end_sessions: deleting a user or resetting its password ends its customer sessions. The app
//    role reaches customer_sessions only through SECURITY DEFINER functions (20261202T1800); this one first
//    checks that the calling partner is related to the user's customer.
// 4. A purged user may have accepted a partner's invitation: the acceptance stays, without the user.
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
    create view customer_directory as
      select u.id, u.customer_id, u.user_name, u.first_name, u.last_name, u.display_name, u.phone_number,
             u.usage_location, u.roles, u.state, u.must_change_password, u.last_sign_in_at, u.soft_deleted_at,
             u.search_key, u.created_at, u.updated_at, u.version
        from customer_users u
       where ${related('u.customer_id')};
    create function customer_directory_read_only() returns trigger language plpgsql as $$
    begin
      raise exception 'customer_directory is read-only: write customer_users' using errcode = '42501';
    end $$;
    create trigger customer_directory_read_only instead of insert or update or delete on customer_directory
      for each row execute function customer_directory_read_only();

    create index customer_users_list_by_name on customer_users (customer_id, state, user_name, id);
    create index customer_users_list_by_created on customer_users (customer_id, state, created_at, id);

    create function customer_user_end_sessions(p_user_id uuid)
    returns integer language plpgsql volatile security definer set search_path = public, pg_temp as $$
    declare
      v_ended integer;
    begin
      delete from customer_sessions s
       using customer_users u
       where s.user_id = p_user_id and u.id = s.user_id and ${related('u.customer_id')};
      get diagnostics v_ended = row_count;
      return v_ended;
    end $$;

    alter table relationship_acceptances
      alter column accepted_by drop not null,
      drop constraint relationship_acceptances_accepted_by_fkey,
      add constraint relationship_acceptances_accepted_by_fkey
        foreign key (accepted_by) references customer_users(id) on delete set null;
  `,
    )
    .execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Partnerdesk migrations are forward-only.');
}
