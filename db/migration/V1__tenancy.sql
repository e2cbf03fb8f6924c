-- Tenancy: tenants, users, memberships with a role, invitations, audit events, login throttling.
-- Runs as runway_owner (quarkus.flyway.init-sql); the application role ${app_role} gets grants only,
-- so row-level security applies to it. Tenant-owned tables: tenant_id NOT NULL, indexed, first in unique keys,
-- RLS enabled and forced with a policy on the per-transaction setting app.tenant_id.

-- Tenant ids are reserved from the sequence before the tenant's first transaction (see SignUpService).
create sequence tenant_id_seq;
create table tenant (
    id          bigint primary key default nextval('tenant_id_seq'),
    name        varchar(120) not null,
    slug        varchar(40)  not null,
    created_at  timestamptz  not null,
    constraint tenant_slug_key unique (slug)
);

create table app_user (
    id               bigint generated always as identity primary key,
    email            varchar(254) not null,
    display_name     varchar(120) not null,
    password_hash    varchar(255) not null,
    created_at       timestamptz  not null,
    constraint app_user_email_key unique (email)
);

-- Failed logins per email address (known or not, so both look the same from outside).
create table login_failure (
    id            bigint generated always as identity primary key,
    email         varchar(254) not null,
    attempted_at  timestamptz  not null
);
create index login_failure_email_idx on login_failure (email, attempted_at);

create table membership (
    id          bigint generated always as identity primary key,
    tenant_id   bigint       not null references tenant (id),
    user_id     bigint       not null references app_user (id),
    role        varchar(16)  not null,
    created_at  timestamptz  not null,
    constraint membership_tenant_user_key unique (tenant_id, user_id),
    constraint membership_role_check check (role in ('OWNER', 'ADMIN', 'ENGINEER', 'ANALYST', 'BILLING', 'VIEWER'))
);
create index membership_user_idx on membership (user_id);

create table invitation (
    id                  bigint generated always as identity primary key,
    tenant_id           bigint       not null references tenant (id),
    email               varchar(254) not null,
    role                varchar(16)  not null,
    token_hash          varchar(64)  not null,
    invited_by          bigint       not null references app_user (id),
    created_at          timestamptz  not null,
    expires_at          timestamptz  not null,
    accepted_at         timestamptz,
    accepted_by         bigint references app_user (id),
    revoked_at          timestamptz,
    constraint invitation_tenant_token_key unique (tenant_id, token_hash),
    constraint invitation_role_check check (role in ('OWNER', 'ADMIN', 'ENGINEER', 'ANALYST', 'BILLING', 'VIEWER'))
);

create table audit_event (
    id             bigint generated always as identity primary key,
    tenant_id      bigint        not null references tenant (id),
    actor_user_id  bigint references app_user (id),
    actor_email    varchar(254)  not null,
    kind           varchar(64)   not null,
    subject        varchar(254)  not null,
    before_value   varchar(1000),
    after_value    varchar(1000),
    occurred_at    timestamptz   not null
);
create index audit_event_tenant_time_idx on audit_event (tenant_id, occurred_at desc);

-- Row-level security: the second wall behind Hibernate's @TenantId.
alter table membership enable row level security;
alter table membership force row level security;
create policy membership_tenant on membership
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint);
-- A signed-in user may read their own memberships in every tenant (the tenant switcher needs them).
create policy membership_own on membership for select
    using (user_id = nullif(current_setting('app.user_id', true), '')::bigint);

alter table invitation enable row level security;
alter table invitation force row level security;
create policy invitation_tenant on invitation
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint);

alter table audit_event enable row level security;
alter table audit_event force row level security;
create policy audit_event_tenant on audit_event
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint);

-- The application role reads and writes, never owns. Later migrations inherit these grants.
grant usage on schema public to ${app_role};
grant select, insert, update, delete on all tables in schema public to ${app_role};
grant usage, select on all sequences in schema public to ${app_role};
alter default privileges in schema public grant select, insert, update, delete on tables to ${app_role};
alter default privileges in schema public grant usage, select on sequences to ${app_role};
revoke update, delete on audit_event from ${app_role};  -- the audit log is append-only
