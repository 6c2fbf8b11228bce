// Support (PRODUCT.md feature 11): service requests a partner keeps for its customers, their timeline (notes and
// every change), their attachments, and the catalog of support topics.
//
// - support_topics: what a request is about. Operator-owned, like the offer catalog: the request-path role only
//   reads it.
// - service_requests: one per problem a customer reported. `number` counts per partner (SR-000042), so a partner
//   never learns how many requests other partners have. The first-response target is stored as a due time when
//   the response clock starts (at creation, and again at a reopen), so changing the configured targets affects
//   new requests only. A request is overdue while it is not closed, has had no response since its clock started,
//   and its due time has passed: worked out at read time from the clock, never stored.
// - service_request_list: the calling partner's requests, as lists and searches read them. Under the table's
//   row-level security PostgreSQL may not use a non-leakproof operator such as ILIKE as an index condition, so a
//   search would read every request of the partner. The view applies the same tenant rule as the policy in its
//   WHERE clause and, owned by the table's owner, reads the table without the policy, so ILIKE reaches the
//   trigram index of titles and organization names (and a search that may also be a reference number ORs it
//   with the unique (partner_id, number) index: index entries only). It is read-only (a trigger refuses writes,
//   and the request-path role has no write privilege on it): a write through it would skip the policy's checks.
//   Writes go to the table.
// - The summary counts three sets of a partner's requests, each from its own partial index alone: those open or
//   waiting on the customer, those awaiting a first response (by due time), and those closed (by closing time),
//   so the closed history, which only grows, is never read.
// - service_request_events: the timeline, in order; a note is an event with text. Append-only: the request-path
//   role cannot change or remove one.
// - service_request_attachments: the files, stored in the database with the request (backed up with the rest),
//   immutable once written.
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

const TOPICS: readonly [string, string, string][] = [
  ['billing', 'Billing and invoices', 'Charges, invoices, credit notes, usage and spending budgets.'],
  [
    'subscriptions',
    'Subscriptions and orders',
    'Buying, changing, suspending or cancelling subscriptions; quantities and renewals.',
  ],
  ['licensing', 'Licences and users', 'Assigning licences, adding or removing users, passwords and sign-in.'],
  ['azure', 'Azure services', 'Problems with an Azure subscription, its resources, quotas or performance.'],
  [
    'microsoft365',
    'Microsoft 365 and productivity',
    'Mail, Teams, SharePoint, OneDrive and the other productivity services.',
  ],
  [
    'identity',
    'Identity and access',
    'Tenant administration, domains, delegated admin privileges, security.',
  ],
  ['transfers', 'Transfers between partners', 'Moving Azure subscriptions to or from another partner.'],
  ['serviceHealth', 'Service availability', 'A service is down, degraded or slow for the customer.'],
  ['other', 'Something else', 'Anything that fits no other topic.'],
];

export async function up(db: Kysely<unknown>): Promise<void> {
  const topics = TOPICS.map(
    ([id, name, description], i) =>
      `(${[id, name, description].map((s) => `'${s.replace(/'/g, "''")}'`).join(', ')}, ${i + 1})`,
  ).join(',\n      ');
  await sql
    .raw(
      `
    create table support_topics (
      id text primary key check (id ~ '^[a-zA-Z0-9]{1,64}$'),
      name text not null,
      description text not null,
      sort_order integer not null
    );
    insert into support_topics (id, name, description, sort_order) values
      ${topics};

    -- The last request number a partner has given; taken with an upsert, so numbers never repeat.
    create table service_request_counters (
      partner_id uuid primary key references partners(id),
      last_number integer not null
    );
    ${rls('service_request_counters')}

    create table service_requests (
      id uuid primary key,
      partner_id uuid not null references partners(id),
      customer_id uuid not null references customers(id),
      number integer not null check (number >= 1),
      title text not null check (length(title) between 1 and 200),
      description text not null check (length(description) between 1 and 10000),
      severity text not null check (severity in ('critical', 'moderate', 'minimal')),
      support_topic_id text not null references support_topics(id),
      subscription_id uuid references subscriptions(id),
      product_id text,
      product_name text,
      status text not null default 'open' check (status in ('open', 'attentionNeeded', 'closed')),
      -- The customer's contact for this request.
      contact_first_name text not null check (length(contact_first_name) between 1 and 100),
      contact_last_name text not null check (length(contact_last_name) between 1 and 100),
      contact_email text not null check (length(contact_email) between 3 and 254),
      contact_phone text check (length(contact_phone) <= 40),
      -- The customer as it was when the request was made (its name and phone at that time, its country).
      organization_name text not null,
      organization_phone text,
      country_code text not null,
      assigned_to_id uuid references partner_users(id),
      created_by_id uuid,
      created_by_name text not null,
      last_updated_by_id uuid,
      last_updated_by_name text not null,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      -- When the wait for a first response began (creation, or the last reopen), when it is due, and when it came.
      response_clock_started_at timestamptz not null,
      response_due_at timestamptz not null,
      first_response_at timestamptz,
      closed_at timestamptz,
      last_closed_at timestamptz,
      reopen_count integer not null default 0,
      version integer not null default 1,
      unique (partner_id, number),
      check ((status = 'closed') = (closed_at is not null)),
      check (response_due_at > response_clock_started_at)
    );
    create index service_requests_newest on service_requests (partner_id, created_at desc, id desc);
    create index service_requests_customer on service_requests (partner_id, customer_id, created_at desc, id desc);
    create index service_requests_awaiting on service_requests (partner_id, response_due_at) include (severity)
      where status <> 'closed' and first_response_at is null;
    -- "Contains" search (q) of titles and organization names within one partner (btree_gin: partner_id first).
    create index service_requests_text on service_requests
      using gin (partner_id, title gin_trgm_ops, organization_name gin_trgm_ops);
    -- The summary's sets besides those awaiting a response: requests open or waiting on the customer, and closed
    -- ones by closing time. The first is not "where status <> 'closed'": the overdue filter implies that too, and
    -- the planner took such an index for overdue lists, fetching every request not closed, not only those awaiting.
    create index service_requests_unclosed on service_requests (partner_id) include (status)
      where status in ('open', 'attentionNeeded');
    create index service_requests_closed on service_requests (partner_id, closed_at) where status = 'closed';
    ${rls('service_requests')}

    -- Every column as the table has them now: a migration that adds one to the table recreates the view.
    create view service_request_list as
      select * from service_requests where partner_id = ${tenant};
    create function service_request_list_read_only() returns trigger language plpgsql as $$
    begin
      raise exception 'service_request_list is read-only: write service_requests' using errcode = '42501';
    end $$;
    create trigger service_request_list_read_only instead of insert or update or delete on service_request_list
      for each row execute function service_request_list_read_only();

    create table service_request_events (
      id bigint generated always as identity primary key,
      request_id uuid not null references service_requests(id),
      partner_id uuid not null references partners(id),
      occurred_at timestamptz not null,
      kind text not null check (kind in
        ('created', 'note', 'statusChanged', 'severityChanged', 'reassigned', 'contactChanged', 'attachmentAdded')),
      actor_kind text not null check (actor_kind in ('partnerUser', 'apiToken', 'operator', 'system')),
      actor_id uuid,
      actor_name text not null,
      -- A note's text; null for other events.
      text text check (length(text) between 1 and 5000),
      -- The change: {from, to} for status, severity and reassignment; {attachmentId, fileName} for a file.
      details jsonb not null default '{}',
      check ((kind = 'note') = (text is not null))
    );
    create index service_request_events_request on service_request_events (request_id, id);
    ${rls('service_request_events')}

    create table service_request_attachments (
      id uuid primary key,
      request_id uuid not null references service_requests(id),
      partner_id uuid not null references partners(id),
      file_name text not null check (length(file_name) between 1 and 255),
      content_type text not null,
      size_bytes integer not null check (size_bytes >= 1),
      sha256 text not null,
      content bytea not null,
      created_at timestamptz not null,
      created_by_id uuid,
      created_by_name text not null,
      check (octet_length(content) = size_bytes)
    );
    create index service_request_attachments_request on service_request_attachments (request_id, created_at, id);
    ${rls('service_request_attachments')}
    `,
    )
    .execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Partnerdesk migrations are forward-only.');
}
