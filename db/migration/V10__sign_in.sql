-- Sign-in: app_user narrowed to what the application needs, throttling by client address and account, sign-ups
-- that wait for a verified email, two-factor sign-in with TOTP and recovery codes.
-- Runs as runway_owner (quarkus.flyway.init-sql). Every SECURITY DEFINER function below fixes its search_path and
-- schema-qualifies what it uses, so that nothing the application role could create is ever called by the owner.

-- ---- app_user: no more reading every user's email, name and password hash ----
-- The application role reads a user row only when it is its own (app.user_id) or a member of the current tenant
-- (app.tenant_id), and never the password hash; it creates users only through app_user_create. Sign-in reads the
-- hash through auth_user_by_email, which answers for the one email it is given.
alter table public.app_user enable row level security;
alter table public.app_user force row level security;
create policy app_user_self on public.app_user for select
    using (id = nullif(current_setting('app.user_id', true), '')::bigint);
create policy app_user_member on public.app_user for select
    using (exists (select 1 from public.membership m
                   where m.user_id = app_user.id
                     and m.tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint));
-- FORCE applies the policies to the owner too: the owner's functions below see every row.
create policy app_user_owner on public.app_user to current_user using (true) with check (true);

revoke all on public.app_user from ${app_role};
grant select (id, email, display_name, created_at) on public.app_user to ${app_role};

create function public.auth_user_by_email(user_email varchar)
    returns table (id bigint, password_hash varchar)
    language sql
    stable
    security definer
    set search_path = pg_catalog, pg_temp
as $$
    select u.id, u.password_hash from public.app_user u where u.email operator(pg_catalog.=) user_email
$$;

create function public.app_user_create(user_email varchar, user_name varchar, user_password_hash varchar,
                                       user_created_at timestamptz)
    returns bigint
    language sql
    volatile
    security definer
    set search_path = pg_catalog, pg_temp
as $$
    insert into public.app_user (email, display_name, password_hash, created_at)
    values (user_email, user_name, user_password_hash, user_created_at)
    returning id
$$;

-- ---- Throttling: per client address and per account, growing delays, no hard lock ----
-- login_failure was readable by the application role for every email; it is replaced by auth_throttle, which the
-- application role reaches only through auth_throttle_attempt and auth_throttle_forgive.
drop table public.login_failure;

create table public.auth_throttle (
    throttle_key  varchar(300) primary key,
    attempts      integer      not null,
    last_at       timestamptz  not null,
    next_at       timestamptz  not null
);
create index auth_throttle_last_idx on public.auth_throttle (last_at);
alter table public.auth_throttle enable row level security;
alter table public.auth_throttle force row level security;
create policy auth_throttle_owner on public.auth_throttle to current_user using (true) with check (true);
revoke all on public.auth_throttle from ${app_role};

-- Counts one attempt on each key, unless one of them must still wait: then nothing is counted and the answer is the
-- longest wait in whole seconds (0: go ahead). A key's count starts over after decay_seconds without attempts.
-- After free_attempts[i] attempts, key i waits 1, 2, 4, ... seconds before the next, at most max_seconds[i].
-- Rows are locked in key order, so parallel attempts (several console nodes) are counted one after the other.
create function public.auth_throttle_attempt(keys varchar[], free_attempts integer[], max_seconds integer[],
                                             attempt_at timestamptz, decay_seconds integer)
    returns integer
    language plpgsql
    volatile
    security definer
    set search_path = pg_catalog, pg_temp
as $$
declare
    k integer;
    row_last timestamptz;
    row_next timestamptz;
    wait_seconds integer := 0;
    counted integer;
    fresh_after timestamptz := attempt_at operator(pg_catalog.-) pg_catalog.make_interval(secs => decay_seconds);
begin
    -- A key idle for decay_seconds counts as new: its row can go (the table stays as small as the last hour).
    delete from public.auth_throttle t where (t.last_at operator(pg_catalog.<) fresh_after);
    for k in select s.n from pg_catalog.generate_subscripts(keys, 1) as s(n) order by keys[s.n] loop
        insert into public.auth_throttle (throttle_key, attempts, last_at, next_at)
        values (keys[k], 0, attempt_at, attempt_at)
        on conflict (throttle_key) do nothing;
        select t.last_at, t.next_at into row_last, row_next
        from public.auth_throttle t where t.throttle_key operator(pg_catalog.=) keys[k]
        for update;
        if (row_last operator(pg_catalog.>) fresh_after) and (row_next operator(pg_catalog.>) attempt_at) then
            wait_seconds := greatest(wait_seconds, pg_catalog.ceil(pg_catalog.date_part('epoch',
                    (row_next operator(pg_catalog.-) attempt_at)))::integer);
        end if;
    end loop;
    if wait_seconds operator(pg_catalog.>) 0 then
        return wait_seconds;
    end if;
    for k in 1 .. pg_catalog.array_length(keys, 1) loop
        select case when (t.last_at operator(pg_catalog.<=) fresh_after) then 1
                    else (t.attempts operator(pg_catalog.+) 1) end
        into counted
        from public.auth_throttle t where t.throttle_key operator(pg_catalog.=) keys[k];
        update public.auth_throttle t
        set attempts = counted,
            last_at = attempt_at,
            next_at = case when (counted operator(pg_catalog.<=) free_attempts[k]) then attempt_at
                           else (attempt_at operator(pg_catalog.+) pg_catalog.make_interval(secs => least(
                               max_seconds[k]::double precision,
                               pg_catalog.power(2::double precision, ((counted operator(pg_catalog.-) free_attempts[k])
                                   operator(pg_catalog.-) 1)::double precision))))
                      end
        where t.throttle_key operator(pg_catalog.=) keys[k];
    end loop;
    return 0;
end
$$;

-- A successful attempt takes its own count back: an account key starts over, a client address key drops by one (so a
-- sprayer who also holds one good account cannot wipe the count of its failures).
create function public.auth_throttle_forgive(reset_keys varchar[], decrement_keys varchar[])
    returns void
    language sql
    volatile
    security definer
    set search_path = pg_catalog, pg_temp
as $$
    delete from public.auth_throttle t where t.throttle_key operator(pg_catalog.=) any (reset_keys);
    update public.auth_throttle t set attempts = greatest((t.attempts operator(pg_catalog.-) 1), 0)
    where t.throttle_key operator(pg_catalog.=) any (decrement_keys);
$$;

-- ---- Sign-up waits for the email to be verified ----
-- A pending sign-up holds the form (with the password already hashed) until its link is opened. Only the SHA-256 of
-- the link's token is stored. The application role reaches the table only through the two functions below.
create table public.sign_up_request (
    id             bigint generated always as identity primary key,
    token_hash     varchar(64)      not null,
    company_name   varchar(120)  not null,
    slug           varchar(40)   not null,
    display_name   varchar(120)  not null,
    email          varchar(254)  not null,
    password_hash  varchar(255)  not null,
    created_at     timestamptz   not null,
    expires_at     timestamptz   not null,
    used_at        timestamptz,
    constraint sign_up_request_token_key unique (token_hash)
);
create index sign_up_request_expires_idx on public.sign_up_request (expires_at);
alter table public.sign_up_request enable row level security;
alter table public.sign_up_request force row level security;
create policy sign_up_request_owner on public.sign_up_request to current_user using (true) with check (true);
revoke all on public.sign_up_request from ${app_role};

create function public.sign_up_request_create(request_token_hash varchar, request_company varchar,
                                              request_slug varchar, request_name varchar, request_email varchar,
                                              request_password_hash varchar, request_at timestamptz,
                                              request_expires_at timestamptz)
    returns void
    language sql
    volatile
    security definer
    set search_path = pg_catalog, pg_temp
as $$
    delete from public.sign_up_request r where (r.expires_at operator(pg_catalog.<) request_at);
    insert into public.sign_up_request (token_hash, company_name, slug, display_name, email, password_hash,
                                        created_at, expires_at)
    values (request_token_hash, request_company, request_slug, request_name, request_email, request_password_hash,
            request_at, request_expires_at);
$$;

-- Marks the request behind a token used and returns it, once; nothing for an unknown, used or expired token.
create function public.sign_up_request_take(request_token_hash varchar, request_at timestamptz)
    returns table (company_name varchar, slug varchar, display_name varchar, email varchar, password_hash varchar)
    language sql
    volatile
    security definer
    set search_path = pg_catalog, pg_temp
as $$
    update public.sign_up_request r set used_at = request_at
    where r.token_hash operator(pg_catalog.=) request_token_hash
      and r.used_at is null
      and (r.expires_at operator(pg_catalog.>) request_at)
    returning r.company_name, r.slug, r.display_name, r.email, r.password_hash
$$;

-- ---- Two-factor sign-in ----
-- One TOTP secret per user (RFC 6238), confirmed by a first code before it counts. last_step is the time step of the
-- last accepted code, so a code is never accepted twice. A user reaches only their own rows (app.user_id).
create table public.user_two_factor (
    user_id     bigint       primary key references public.app_user (id),
    secret      varchar(64)  not null,
    created_at  timestamptz  not null,
    enabled_at  timestamptz,
    last_step   bigint       not null default 0
);
alter table public.user_two_factor enable row level security;
alter table public.user_two_factor force row level security;
create policy user_two_factor_self on public.user_two_factor
    using (user_id = nullif(current_setting('app.user_id', true), '')::bigint)
    with check (user_id = nullif(current_setting('app.user_id', true), '')::bigint);

-- One-time recovery codes: only their SHA-256 is stored.
create table public.recovery_code (
    id          bigint generated always as identity primary key,
    user_id     bigint       not null references public.app_user (id),
    code_hash   varchar(64)  not null,
    used_at     timestamptz
);
create index recovery_code_user_idx on public.recovery_code (user_id);
alter table public.recovery_code enable row level security;
alter table public.recovery_code force row level security;
create policy recovery_code_self on public.recovery_code
    using (user_id = nullif(current_setting('app.user_id', true), '')::bigint)
    with check (user_id = nullif(current_setting('app.user_id', true), '')::bigint);

-- An owner may require two-factor sign-in for everyone in the company.
alter table public.tenant add column require_two_factor boolean not null default false;

revoke all on function public.auth_user_by_email(varchar) from public;
revoke all on function public.app_user_create(varchar, varchar, varchar, timestamptz) from public;
revoke all on function public.auth_throttle_attempt(varchar[], integer[], integer[], timestamptz, integer) from public;
revoke all on function public.auth_throttle_forgive(varchar[], varchar[]) from public;
revoke all on function public.sign_up_request_create(varchar, varchar, varchar, varchar, varchar, varchar,
                                                     timestamptz, timestamptz) from public;
revoke all on function public.sign_up_request_take(varchar, timestamptz) from public;
grant execute on function public.auth_user_by_email(varchar) to ${app_role};
grant execute on function public.app_user_create(varchar, varchar, varchar, timestamptz) to ${app_role};
grant execute on function public.auth_throttle_attempt(varchar[], integer[], integer[], timestamptz, integer)
    to ${app_role};
grant execute on function public.auth_throttle_forgive(varchar[], varchar[]) to ${app_role};
grant execute on function public.sign_up_request_create(varchar, varchar, varchar, varchar, varchar, varchar,
                                                        timestamptz, timestamptz) to ${app_role};
grant execute on function public.sign_up_request_take(varchar, timestamptz) to ${app_role};
