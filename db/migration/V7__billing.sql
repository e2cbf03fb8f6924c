-- Metering, plans, price lists, invoices and credits (docs/billing.md).

-- Price lists are Runway's own, the same for every tenant: readable by all, changed only by migrations. A new
-- version of a plan's prices is a new row with a later effective_from; usage is rated by the version in force when it
-- happened. Compute is priced per device-hour, storage per GB-month (730 GB-hours).
create table price_list (
    id                 bigint generated always as identity primary key,
    plan               varchar(16)    not null,
    version            integer        not null,
    currency           char(3)        not null,
    effective_from     timestamptz    not null,
    -- Null: the plan cannot use GPUs.
    gpu_hour           numeric(12, 4),
    cpu_hour           numeric(12, 4) not null,
    gb_month           numeric(12, 4) not null,
    -- CPU-minutes included each month (Free plan: also the most it may use); null: no allowance.
    cpu_minutes_included integer,
    concurrency        integer        not null,
    constraint price_list_plan_check check (plan in ('FREE', 'TEAM', 'ENTERPRISE')),
    constraint price_list_plan_version_currency_key unique (plan, version, currency)
);
insert into price_list (plan, version, currency, effective_from, gpu_hour, cpu_hour, gb_month, cpu_minutes_included,
                        concurrency)
values ('FREE',       1, 'USD', '2026-01-01T00:00:00Z', null,   0.0000, 0.0000, 600, 1),
       ('TEAM',       1, 'USD', '2026-01-01T00:00:00Z', 2.4000, 0.1200, 0.0500, null, 4),
       ('ENTERPRISE', 1, 'USD', '2026-01-01T00:00:00Z', 1.9000, 0.0900, 0.0400, null, 16),
       ('FREE',       1, 'EUR', '2026-01-01T00:00:00Z', null,   0.0000, 0.0000, 600, 1),
       ('TEAM',       1, 'EUR', '2026-01-01T00:00:00Z', 2.2000, 0.1100, 0.0450, null, 4),
       ('ENTERPRISE', 1, 'EUR', '2026-01-01T00:00:00Z', 1.7500, 0.0850, 0.0350, null, 16),
       ('FREE',       1, 'GBP', '2026-01-01T00:00:00Z', null,   0.0000, 0.0000, 600, 1),
       ('TEAM',       1, 'GBP', '2026-01-01T00:00:00Z', 1.9000, 0.0950, 0.0400, null, 4),
       ('ENTERPRISE', 1, 'GBP', '2026-01-01T00:00:00Z', 1.5000, 0.0700, 0.0300, null, 16);
revoke insert, update, delete on price_list from ${app_role};

-- The tenant's plan over time: the row with the latest effective_from at or before a moment is in force then. A
-- tenant without a row is on the Free plan.
create table tenant_plan (
    id              bigint generated always as identity primary key,
    tenant_id       bigint       not null references tenant (id),
    plan            varchar(16)  not null,
    effective_from  timestamptz  not null,
    changed_by      bigint references app_user (id),
    created_at      timestamptz  not null,
    constraint tenant_plan_plan_check check (plan in ('FREE', 'TEAM', 'ENTERPRISE')),
    constraint tenant_plan_tenant_from_key unique (tenant_id, effective_from)
);
-- The Free plan's concurrency: plan changes set the tenant's quota.
alter table tenant_queue_state alter column concurrency_quota set default 1;

-- The usage ledger: append-only. A replayed event (same idempotency key) is ignored; a correction is a new entry
-- that reverses another (negative quantity), never an update.
create table usage_event (
    id               bigint generated always as identity primary key,
    tenant_id        bigint          not null references tenant (id),
    idempotency_key  varchar(200)    not null,
    -- GPU and CPU: device-seconds; STORAGE: GB-hours.
    resource         varchar(8)      not null,
    quantity         numeric(20, 6)  not null,
    project_id       bigint references project (id),
    run_id           bigint references run (id),
    window_start     timestamptz     not null,
    window_end       timestamptz     not null,
    reverses_id      bigint references usage_event (id),
    note             varchar(500),
    recorded_at      timestamptz     not null,
    constraint usage_event_resource_check check (resource in ('GPU', 'CPU', 'STORAGE')),
    constraint usage_event_window_check check (window_end >= window_start),
    constraint usage_event_tenant_key_key unique (tenant_id, idempotency_key)
);
create index usage_event_tenant_window_idx on usage_event (tenant_id, window_start);
create index usage_event_tenant_run_idx on usage_event (tenant_id, run_id) where run_id is not null;

create function usage_event_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'usage_event is append-only: post a reversing entry instead';
end $$;
create trigger usage_event_no_update before update or delete on usage_event
    for each row execute function usage_event_append_only();

-- Prepaid credits, applied to invoices (oldest first) before their total.
create table credit (
    id           bigint generated always as identity primary key,
    tenant_id    bigint          not null references tenant (id),
    amount       numeric(14, 2)  not null check (amount > 0),
    currency     char(3)         not null,
    reference    varchar(200)    not null,
    granted_by   bigint references app_user (id),
    granted_at   timestamptz     not null
);

create table invoice (
    id               bigint generated always as identity primary key,
    tenant_id        bigint          not null references tenant (id),
    period           date            not null,
    status           varchar(12)     not null,
    -- Assigned when finalised: the tenant's invoices are numbered 1, 2, 3, … in that order.
    number           integer,
    currency         char(3)         not null,
    subtotal         numeric(14, 2)  not null,
    credits_applied  numeric(14, 2)  not null,
    total            numeric(14, 2)  not null,
    plan_summary     varchar(200)    not null,
    updated_at       timestamptz     not null,
    finalised_at     timestamptz,
    paid_at          timestamptz,
    payment_provider varchar(40),
    payment_reference varchar(200),
    voided_at        timestamptz,
    void_reason      varchar(500),
    constraint invoice_status_check check (status in ('DRAFT', 'FINALISED', 'PAID', 'VOID')),
    constraint invoice_tenant_number_key unique (tenant_id, number)
);
create unique index invoice_tenant_period_key on invoice (tenant_id, period) where status <> 'VOID';

create table invoice_line (
    id             bigint generated always as identity primary key,
    tenant_id      bigint          not null references tenant (id),
    invoice_id     bigint          not null references invoice (id),
    position       integer         not null,
    project_id     bigint references project (id),
    description    varchar(300)    not null,
    resource       varchar(8)      not null,
    quantity       numeric(20, 6)  not null,
    unit           varchar(16)     not null,
    unit_price     numeric(12, 4)  not null,
    amount         numeric(14, 2)  not null,
    price_version  integer         not null
);
create index invoice_line_invoice_idx on invoice_line (tenant_id, invoice_id, position);

create table credit_application (
    id          bigint generated always as identity primary key,
    tenant_id   bigint          not null references tenant (id),
    credit_id   bigint          not null references credit (id),
    invoice_id  bigint          not null references invoice (id),
    amount      numeric(14, 2)  not null check (amount > 0)
);

-- A run's current attempt began here: the live cost counts from the later of this and its last metered segment.
alter table run add column attempt_started_at timestamptz;
-- A run stopped at the hard cap of a compute budget or the plan's allowance; retrying resumes it.
alter table run drop constraint run_status_check;
alter table run add constraint run_status_check
    check (status in ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED', 'STOPPED'));

alter table tenant_plan enable row level security;
alter table tenant_plan force row level security;
create policy tenant_plan_tenant on tenant_plan
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint);

alter table usage_event enable row level security;
alter table usage_event force row level security;
create policy usage_event_tenant on usage_event
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint);

alter table credit enable row level security;
alter table credit force row level security;
create policy credit_tenant on credit
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint);

alter table invoice enable row level security;
alter table invoice force row level security;
create policy invoice_tenant on invoice
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint);

alter table invoice_line enable row level security;
alter table invoice_line force row level security;
create policy invoice_line_tenant on invoice_line
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint);

alter table credit_application enable row level security;
alter table credit_application force row level security;
create policy credit_application_tenant on credit_application
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint);
