-- API keys: per-tenant bearer keys for the REST API (/api/v1). A key reads rw_<prefix>_<secret>; the secret is
-- 256 random bits shown once, of which only the SHA-256 (hex) is stored. The prefix is unique across tenants, so
-- a request's key is found before its tenant is known.
create table api_key (
    id            bigint generated always as identity primary key,
    tenant_id     bigint        not null references tenant (id),
    name          varchar(120)  not null,
    prefix        varchar(16)   not null,
    secret_hash   char(64)      not null,
    -- The key acts with this role (never above its creator's), and only while its creator is still a member.
    role          varchar(16)   not null,
    created_by    bigint        not null references app_user (id),
    created_at    timestamptz   not null,
    expires_at    timestamptz,
    revoked_at    timestamptz,
    -- Written at most once a minute per key, so that requests stay cheap.
    last_used_at  timestamptz,
    constraint api_key_prefix_key unique (prefix),
    constraint api_key_role_check check (role in ('OWNER', 'ADMIN', 'ENGINEER', 'ANALYST', 'BILLING', 'VIEWER'))
);
create index api_key_tenant_created_idx on api_key (tenant_id, created_at desc);

alter table api_key enable row level security;
alter table api_key force row level security;
create policy api_key_tenant on api_key
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint);

-- Finding a key before the tenant is known. Row-level security hides every api_key row while app.tenant_id is unset,
-- so the lookup is a SECURITY DEFINER function owned by the owner role (this migration runs as it, see
-- quarkus.flyway.init-sql). FORCE applies the policies to the owner too, hence a read-only policy for the owner
-- role alone; the application role is not a member of it and keeps seeing only its tenant's rows.
-- The function answers only when the caller already knows the prefix and the secret's hash (i.e. holds the key), so
-- it reveals no hashes and no other tenant's keys; it returns what authentication needs and nothing else.
create policy api_key_owner_lookup on api_key for select to current_user using (true);

create function api_key_lookup(key_prefix varchar, key_secret_hash varchar)
    returns table (id bigint, tenant_id bigint, role varchar, created_by bigint, expires_at timestamptz,
                   revoked_at timestamptz, last_used_at timestamptz)
    language sql
    stable
    security definer
    set search_path = pg_catalog, public
as $$
    select k.id, k.tenant_id, k.role, k.created_by, k.expires_at, k.revoked_at, k.last_used_at
    from public.api_key k
    where k.prefix = key_prefix and k.secret_hash = key_secret_hash
$$;

-- The table's grants come from V1's default privileges; functions are executable by PUBLIC unless revoked.
revoke all on function api_key_lookup(varchar, varchar) from public;
grant execute on function api_key_lookup(varchar, varchar) to ${app_role};
