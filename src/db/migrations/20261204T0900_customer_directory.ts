// Customer users, licences and adding users from a file (PRODUCT.md features 7 and 8).
//
// customer_users (migration 20261202T1700) gains what a directory needs: phone, a soft-deletion time (a deleted
// user stays `inactive` for 30 days, restorable, then a job purges it), a folded search key, and the import row
// that created it. Every partner with an active relationship sees and manages the customer's directory.
//
// license_assignments: a seat of a subscription given to a user. The subscription belongs to its partner of
// record, the user to the customer; so every related partner may read a customer's assignments (a user's
// licences list shows what other partners sold too), but only the partner of record may add, change or take
// away a seat of its subscription. A deleted user's assignments are `released` (the seat is free again) and
// restoring the user takes them back where seats remain.
//
// user_imports / user_import_rows: a users file being added as a durable job. The file's rows are stored when
// it is accepted; a worker creates the users a batch at a time, each batch in one transaction with the rows'
// outcomes, so a crash never loses or repeats a row. A new user's temporary password is kept sealed on its row
// until the one download of the passwords file, which erases them.
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
    alter table customer_users
      add column phone_number text,
      add column soft_deleted_at timestamptz,
      add column search_key text not null default '',
      add column import_id uuid,
      add constraint customer_users_deleted_state
        check ((state = 'inactive') = (soft_deleted_at is not null));
    update customer_users
       set search_key = lower(concat_ws(' ', display_name, first_name, last_name, user_name));
    -- The directory list: one customer's users of one state, in display-name order (and search within them).
    create index customer_users_list on customer_users (customer_id, state, lower(display_name), id);
    create index customer_users_search on customer_users using gin (customer_id, search_key gin_trgm_ops);
    -- The purge job's scan.
    create index customer_users_purge on customer_users (soft_deleted_at) where soft_deleted_at is not null;

    create table license_assignments (
      id uuid primary key default gen_random_uuid(),
      customer_id uuid not null references customers(id),
      user_id uuid not null references customer_users(id) on delete cascade,
      subscription_id uuid not null references subscriptions(id),
      -- The subscription's partner of record: the only partner that may change this assignment.
      partner_id uuid not null references partners(id),
      state text not null default 'active' check (state in ('active', 'released')),
      assigned_at timestamptz not null,
      released_at timestamptz,
      unique (user_id, subscription_id)
    );
    create index license_assignments_subscription on license_assignments (subscription_id) where state = 'active';
    create index license_assignments_customer on license_assignments (customer_id);
    alter table license_assignments enable row level security;
    create policy license_assignments_read on license_assignments for select using (${related('license_assignments.customer_id')});
    create policy license_assignments_insert on license_assignments for insert
      with check (partner_id = ${tenant} and ${related('license_assignments.customer_id')});
    create policy license_assignments_update on license_assignments for update
      using (partner_id = ${tenant}) with check (partner_id = ${tenant});
    create policy license_assignments_delete on license_assignments for delete using (partner_id = ${tenant});

    create table user_imports (
      id uuid primary key default gen_random_uuid(),
      partner_id uuid not null references partners(id),
      customer_id uuid not null references customers(id),
      -- Who asked, for the activity records the worker writes on their behalf.
      actor_kind text not null,
      actor_id uuid not null,
      actor_name text not null,
      file_name text,
      file_sha256 text not null,
      -- How the file was written, so the results file reads like the upload.
      delimiter text not null check (delimiter in (',', ';')),
      header text[] not null,
      has_bom boolean not null,
      usage_location char(2) not null,
      state text not null default 'queued' check (state in ('queued', 'running', 'completed', 'failed')),
      total_rows integer not null,
      rows_done integer not null default 0,
      created_count integer not null default 0,
      failed_count integer not null default 0,
      error text,
      -- The worker holding the job, until when; an expired lease (a killed process) lets another take it over.
      lease_owner text,
      lease_until timestamptz,
      attempts integer not null default 0,
      passwords_downloaded_at timestamptz,
      created_at timestamptz not null,
      started_at timestamptz,
      completed_at timestamptz,
      updated_at timestamptz not null
    );
    create index user_imports_customer on user_imports (customer_id, created_at desc, id);
    create index user_imports_pending on user_imports (lease_until) where state in ('queued', 'running');
    -- The same file sent again by the same partner for the same customer and location is the same import.
    -- Per partner: another partner's upload of the same file must not learn that this one exists.
    create unique index user_imports_same_file
      on user_imports (partner_id, customer_id, file_sha256, usage_location) where state <> 'failed';
    alter table user_imports enable row level security;
    create policy user_imports_tenant on user_imports
      using (partner_id = ${tenant}) with check (partner_id = ${tenant});

    create table user_import_rows (
      import_id uuid not null references user_imports(id) on delete cascade,
      row_number integer not null,
      partner_id uuid not null references partners(id),
      -- The row as uploaded (every cell), for the results file.
      cells text[] not null,
      first_name text,
      last_name text,
      display_name text not null,
      user_name text not null,
      status text not null check (status in ('pending', 'created', 'failed')),
      message text,
      user_id uuid,
      temporary_password text,
      primary key (import_id, row_number)
    );
    create index user_import_rows_pending on user_import_rows (import_id, row_number) where status = 'pending';
    alter table user_import_rows enable row level security;
    create policy user_import_rows_tenant on user_import_rows
      using (partner_id = ${tenant}) with check (partner_id = ${tenant});
  `,
    )
    .execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Partnerdesk migrations are forward-only.');
}
