// Reseller relationships (PRODUCT.md features 4 and 5): a partner's personal invitation links, every acceptance
// of one, and sign-in for customer directory users on the customer-facing pages (/invitations/…).
//
// The customer-facing flow has no partner context. It reaches across tenants through the SECURITY DEFINER
// functions below (the pattern of auth_find_user), not through the owner connection: requests keep running as
// the app role, which cannot bypass row-level security, so these functions are its only new cross-tenant paths.
// Each is keyed by a secret-derived value — the hash of an invitation link's token, the hash of a customer
// session's token — or, during sign-in only, by the user name and then the id it answered; each returns only
// what the pages need. Run on the owner connection instead, a forgotten WHERE clause would read every tenant,
// and public, unauthenticated traffic would share the small pool kept for migrations and jobs. Writes to
// partner-owned rows (the relationship, its acceptance, the activity record) run in that partner's transaction,
// under its row-level security like any partner write.
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

const definer = `security definer set search_path = public, pg_temp`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
    -- A partner's personal invitation link, one per choice of delegated admin privileges at a time. Several
    -- customers may accept the same link. The token is kept as a hash (the lookup key) and, so that the partner
    -- can be shown the same link again, sealed with a key the database does not hold (relationships.service.ts).
    create table relationship_invitations (
      id uuid primary key,
      partner_id uuid not null references partners(id),
      token_hash bytea not null unique,
      token_prefix text not null,
      token_sealed text not null,
      include_dap boolean not null,
      created_by uuid not null references partner_users(id),
      created_at timestamptz not null,
      expires_at timestamptz not null,
      revoked_at timestamptz,
      check (expires_at > created_at)
    );
    create index relationship_invitations_list on relationship_invitations (partner_id, created_at desc, id desc);
    create index relationship_invitations_current on relationship_invitations (partner_id, include_dap, created_at desc)
      where revoked_at is null;
    ${rls('relationship_invitations')}

    -- Every acceptance that changed something: a new relationship, a reactivated one, or DAP granted.
    create table relationship_acceptances (
      id uuid primary key default gen_random_uuid(),
      invitation_id uuid not null references relationship_invitations(id),
      partner_id uuid not null references partners(id),
      customer_id uuid not null references customers(id),
      accepted_by uuid not null references customer_users(id),
      outcome text not null check (outcome in ('created', 'reactivated', 'delegatedAdminGranted')),
      accepted_at timestamptz not null
    );
    create index relationship_acceptances_invitation on relationship_acceptances (invitation_id, customer_id);
    ${rls('relationship_acceptances')}

    -- Customer directory users sign in on the customer-facing pages: the same lockout as partner sign-in.
    alter table customer_users
      add column failed_sign_ins integer not null default 0,
      add column locked_until timestamptz,
      add column last_sign_in_at timestamptz,
      add column password_changed_at timestamptz;

    -- Their sessions. Only hashes are kept. Row-level security with no policy: the app role reaches this table
    -- only through the functions below.
    create table customer_sessions (
      token_hash bytea primary key,
      customer_id uuid not null references customers(id),
      user_id uuid not null references customer_users(id),
      created_at timestamptz not null,
      expires_at timestamptz not null
    );
    create index customer_sessions_user on customer_sessions (user_id);
    create index customer_sessions_expiry on customer_sessions (expires_at);
    alter table customer_sessions enable row level security;

    -- ── the invitation page ──

    create function relationship_invitation_by_token(p_hash bytea)
    returns table (id uuid, partner_id uuid, include_dap boolean, expires_at timestamptz, revoked_at timestamptz,
                   partner_name text, partner_instance text, partner_country text, partner_state text)
    language sql stable ${definer} as $$
      select i.id, i.partner_id, i.include_dap, i.expires_at, i.revoked_at,
             p.name, p.instance, p.country::text, p.state
        from relationship_invitations i join partners p on p.id = i.partner_id
       where i.token_hash = p_hash
    $$;

    -- ── customer sign-in (keyed by the user name, then by the id it answered) ──

    create function customer_auth_find_user(p_user_name text)
    returns table (id uuid, customer_id uuid, password_hash text, locked_until timestamptz)
    language sql stable ${definer} as $$
      select u.id, u.customer_id, u.password_hash, u.locked_until
        from customer_users u where u.user_name = lower(p_user_name)
    $$;

    -- Locked until the calling transaction ends, so that concurrent attempts count one after the other.
    create function customer_auth_lock_user(p_user_id uuid)
    returns table (id uuid, customer_id uuid, user_name text, state text, failed_sign_ins integer,
                   locked_until timestamptz, must_change_password boolean)
    language sql volatile ${definer} as $$
      select u.id, u.customer_id, u.user_name, u.state, u.failed_sign_ins, u.locked_until, u.must_change_password
        from customer_users u where u.id = p_user_id for update
    $$;

    create function customer_auth_record_attempt(p_user_id uuid, p_failed integer, p_locked_until timestamptz,
                                                 p_signed_in_at timestamptz)
    returns void language sql volatile ${definer} as $$
      update customer_users
         set failed_sign_ins = p_failed, locked_until = p_locked_until,
             last_sign_in_at = coalesce(p_signed_in_at, last_sign_in_at)
       where id = p_user_id
    $$;

    create function customer_session_start(p_hash bytea, p_user_id uuid, p_created_at timestamptz,
                                           p_expires_at timestamptz)
    returns void language sql volatile ${definer} as $$
      insert into customer_sessions (token_hash, customer_id, user_id, created_at, expires_at)
      select p_hash, u.customer_id, u.id, p_created_at, p_expires_at
        from customer_users u where u.id = p_user_id and u.state = 'active'
    $$;

    -- ── a signed-in customer (keyed by the session's token hash) ──

    create function customer_session_resolve(p_hash bytea)
    returns table (user_id uuid, customer_id uuid, user_name text, display_name text, roles text[],
                   must_change_password boolean, expires_at timestamptz, customer_name text,
                   customer_domain text, instance text)
    language sql stable ${definer} as $$
      select u.id, u.customer_id, u.user_name, u.display_name, u.roles, u.must_change_password, s.expires_at,
             c.billing_company_name, c.primary_domain, c.instance
        from customer_sessions s
        join customer_users u on u.id = s.user_id and u.customer_id = s.customer_id
        join customers c on c.id = s.customer_id
       where s.token_hash = p_hash and s.expires_at > now() and u.state = 'active'
    $$;

    create function customer_session_end(p_hash bytea)
    returns boolean language sql volatile ${definer} as $$
      with gone as (delete from customer_sessions where token_hash = p_hash returning 1)
      select exists (select 1 from gone)
    $$;

    create function customer_auth_password_hash(p_session bytea)
    returns text language sql stable ${definer} as $$
      select u.password_hash
        from customer_sessions s join customer_users u on u.id = s.user_id
       where s.token_hash = p_session and s.expires_at > now() and u.state = 'active'
    $$;

    -- Replaces the session user's password if it is still p_old_hash (null when it changed meanwhile), clears
    -- the temporary-password flag and ends the user's other sessions; answers how many ended.
    create function customer_auth_set_password(p_session bytea, p_old_hash text, p_new_hash text,
                                               p_at timestamptz)
    returns integer language plpgsql volatile ${definer} as $$
    declare
      v_user uuid;
      v_ended integer;
    begin
      select s.user_id into v_user from customer_sessions s
       where s.token_hash = p_session and s.expires_at > now();
      if v_user is null then return null; end if;
      update customer_users
         set password_hash = p_new_hash, must_change_password = false, password_changed_at = p_at,
             updated_at = p_at, version = version + 1
       where id = v_user and password_hash = p_old_hash and state = 'active';
      if not found then return null; end if;
      delete from customer_sessions where user_id = v_user and token_hash <> p_session;
      get diagnostics v_ended = row_count;
      return v_ended;
    end $$;

    -- The session's organisation as its pages show it, with its newest customer-agreement confirmation.
    create function customer_portal_customer(p_session bytea)
    returns table (id uuid, instance text, company_name text, primary_domain text, country text,
                   agreement_date date)
    language sql stable ${definer} as $$
      select c.id, c.instance, c.billing_company_name, c.primary_domain, c.default_address->>'country',
             (select a.date_agreed from customer_agreements a
               where a.customer_id = c.id order by a.created_at desc, a.id desc limit 1)
        from customer_sessions s join customers c on c.id = s.customer_id
       where s.token_hash = p_session and s.expires_at > now()
    $$;

    -- The list keys a relationship row copies from the session's organisation. The customer row stays
    -- share-locked until the calling transaction ends: a rename committing meanwhile waits, and its trigger
    -- (customers_sync_relationships) then sees the new relationship row and updates it too.
    create function customer_relationship_keys(p_session bytea)
    returns table (customer_id uuid, company_name text, name_key text, primary_domain text, domain_key text,
                   created_at timestamptz)
    language sql volatile ${definer} as $$
      select c.id, c.billing_company_name, c.name_key::text, c.primary_domain, c.domain_key::text, c.created_at
        from customer_sessions s join customers c on c.id = s.customer_id
       where s.token_hash = p_session and s.expires_at > now()
         for share of c
    $$;

    -- The partners the session's organisation has an active relationship with, and which of them hold DAP.
    create function customer_portal_partners(p_session bytea)
    returns table (partner_id uuid, partner_name text, partner_country text, instance text,
                   delegated_admin boolean, established_at timestamptz)
    language sql stable ${definer} as $$
      select p.id, p.name, p.country::text, p.instance, r.delegated_admin, r.established_at
        from customer_sessions s
        join customer_relationships r on r.customer_id = s.customer_id and r.state = 'active'
        join partners p on p.id = r.partner_id
       where s.token_hash = p_session and s.expires_at > now()
       order by p.name, p.id
    $$;
  `,
    )
    .execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Partnerdesk migrations are forward-only.');
}
