// Foundation: partners, partner users, sign-in credentials, activity log, idempotency records.
// Every partner-owned table has row-level security keyed on the per-transaction setting app.partner_id.
// It binds the app role (requests). The owner role (migrations, operator tasks, maintenance jobs) owns the
// tables and is deliberately not bound (no FORCE), so it need not be a superuser.
// Frozen: never edit after it has shipped; add a new migration instead.
import type { Kysely } from 'kysely';
import { sql } from 'kysely';

const tenant = `nullif(current_setting('app.partner_id', true), '')::uuid`;

function rls(table: string, column = 'partner_id'): string {
  return `
    alter table ${table} enable row level security;
    create policy ${table}_tenant on ${table} using (${column} = ${tenant}) with check (${column} = ${tenant});`;
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
    create table partners (
      id uuid primary key default gen_random_uuid(),
      name text not null check (length(name) between 1 and 200),
      country char(2) not null,
      instance text not null check (instance in ('global', 'usgov', 'germany')),
      kind text not null check (kind in ('direct', 'indirectProvider', 'indirectReseller')),
      state text not null default 'active' check (state in ('active', 'inactive')),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version integer not null default 1
    );
    ${rls('partners', 'id')}

    create table partner_users (
      id uuid primary key default gen_random_uuid(),
      partner_id uuid not null references partners(id),
      user_name text not null check (user_name = lower(user_name) and length(user_name) between 3 and 254),
      display_name text not null check (length(display_name) between 1 and 100),
      password_hash text not null,
      must_change_password boolean not null default true,
      roles text[] not null check (cardinality(roles) > 0),
      state text not null default 'active' check (state in ('active', 'inactive')),
      language text,
      failed_sign_ins integer not null default 0,
      locked_until timestamptz,
      last_sign_in_at timestamptz,
      password_changed_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version integer not null default 1
    );
    create unique index partner_users_user_name on partner_users (user_name);
    create index partner_users_partner on partner_users (partner_id, created_at, id);
    ${rls('partner_users')}

    -- Short-lived credentials from sign-in: bearer access tokens and console sessions. Only hashes are kept.
    create table auth_sessions (
      token_hash bytea primary key,
      partner_id uuid not null references partners(id),
      user_id uuid not null references partner_users(id),
      kind text not null check (kind in ('bearer', 'console')),
      csrf_hash bytea,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      last_used_at timestamptz
    );
    create index auth_sessions_user on auth_sessions (user_id);
    create index auth_sessions_expiry on auth_sessions (expires_at);
    ${rls('auth_sessions')}

    create table api_tokens (
      id uuid primary key default gen_random_uuid(),
      partner_id uuid not null references partners(id),
      user_id uuid not null references partner_users(id),
      name text not null check (length(name) between 1 and 100),
      token_hash bytea not null unique,
      token_prefix text not null,
      roles text[] not null check (cardinality(roles) > 0),
      created_at timestamptz not null default now(),
      expires_at timestamptz,
      revoked_at timestamptz,
      last_used_at timestamptz
    );
    create index api_tokens_partner on api_tokens (partner_id, created_at, id);
    ${rls('api_tokens')}

    create table activity_records (
      id uuid primary key default gen_random_uuid(),
      partner_id uuid not null references partners(id),
      occurred_at timestamptz not null default clock_timestamp(),
      actor_kind text not null check (actor_kind in ('partnerUser', 'apiToken', 'operator', 'system', 'customer')),
      actor_id uuid,
      actor_name text not null,
      customer_id uuid,
      customer_name text,
      action text not null,
      resource_type text not null,
      resource_id text,
      status text not null check (status in ('succeeded', 'failed')),
      details jsonb not null default '{}',
      request_id text,
      correlation_id text
    );
    create index activity_records_time on activity_records (partner_id, occurred_at desc, id desc);
    create index activity_records_customer on activity_records (partner_id, customer_id, occurred_at desc);
    ${rls('activity_records')}

    -- Stored responses of writes carrying MS-RequestId, replayed for 24 h.
    create table idempotency_keys (
      partner_id uuid not null references partners(id),
      request_id text not null,
      method text not null,
      url text not null,
      body_hash text not null,
      state text not null check (state in ('pending', 'done')),
      status_code integer,
      response_headers jsonb,
      response_body text,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      primary key (partner_id, request_id)
    );
    create index idempotency_keys_expiry on idempotency_keys (expires_at);
    ${rls('idempotency_keys')}

    -- Sign-in happens before the partner is known: these two functions are the only ways the app role may
    -- look across partners, each by an exact secret-derived key, returning only what sign-in needs.
    create function auth_find_user(p_user_name text)
    returns table (id uuid, partner_id uuid, password_hash text, state text, failed_sign_ins integer,
                   locked_until timestamptz, must_change_password boolean, partner_state text)
    language sql stable security definer set search_path = public, pg_temp as $$
      select u.id, u.partner_id, u.password_hash, u.state, u.failed_sign_ins, u.locked_until,
             u.must_change_password, p.state
        from partner_users u join partners p on p.id = u.partner_id
       where u.user_name = lower(p_user_name)
    $$;

    create function auth_resolve_credential(p_hash bytea)
    returns table (kind text, credential_id text, partner_id uuid, user_id uuid, roles text[],
                   expires_at timestamptz, csrf_hash bytea, user_name text, display_name text,
                   must_change_password boolean, language text, partner_name text, instance text,
                   partner_kind text, partner_country text)
    language plpgsql volatile security definer set search_path = public, pg_temp as $$
    begin
      return query
        select s.kind, encode(s.token_hash, 'hex'), s.partner_id, s.user_id, u.roles, s.expires_at, s.csrf_hash,
               u.user_name, u.display_name, u.must_change_password, u.language, p.name, p.instance, p.kind, p.country::text
          from auth_sessions s
          join partner_users u on u.id = s.user_id
          join partners p on p.id = s.partner_id
         where s.token_hash = p_hash and s.expires_at > now() and u.state = 'active' and p.state = 'active';
      if found then
        update auth_sessions set last_used_at = now()
         where token_hash = p_hash and (last_used_at is null or last_used_at < now() - interval '1 minute');
        return;
      end if;
      -- An API token acts with the roles it was given that its user still holds.
      return query
        select 'apiToken'::text, t.id::text, t.partner_id, t.user_id,
               array(select r from unnest(t.roles) r where r = any(u.roles)), t.expires_at, null::bytea,
               u.user_name, u.display_name, false, u.language, p.name, p.instance, p.kind, p.country::text
          from api_tokens t
          join partner_users u on u.id = t.user_id
          join partners p on p.id = t.partner_id
         where t.token_hash = p_hash and t.revoked_at is null and (t.expires_at is null or t.expires_at > now())
           and u.state = 'active' and p.state = 'active';
      if found then
        update api_tokens set last_used_at = now()
         where token_hash = p_hash and (last_used_at is null or last_used_at < now() - interval '1 minute');
      end if;
    end $$;
  `,
    )
    .execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Partnerdesk migrations are forward-only.');
}
