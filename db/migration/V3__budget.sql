-- Funding, the monthly spending plan, actual spend, compute budgets and their alerts.
-- Every table is tenant-owned: tenant_id first in unique keys (or indexed), RLS enabled and forced as in V1.
-- Amounts are numeric without a declared scale so that each keeps the scale of the tenant's currency
-- (the service rounds and checks it); never floating point.

-- One row per tenant: the currency the books are kept in. Absent means USD.
create table budget_settings (
    id          bigint generated always as identity primary key,
    tenant_id   bigint      not null references tenant (id),
    currency    char(3)     not null,
    updated_at  timestamptz not null,
    constraint budget_settings_tenant_key unique (tenant_id)
);

create table funding_source (
    id           bigint generated always as identity primary key,
    tenant_id    bigint        not null references tenant (id),
    kind         varchar(16)   not null,
    amount       numeric       not null,
    currency     char(3)       not null,
    received_on  date          not null,
    note         varchar(500)  not null default '',
    created_by   bigint        not null references app_user (id),
    created_at   timestamptz   not null,
    constraint funding_source_kind_check check (kind in ('ANGEL', 'VENTURE', 'GRANT', 'REVENUE', 'OTHER')),
    constraint funding_source_amount_check check (amount > 0)
);
create index funding_source_tenant_idx on funding_source (tenant_id, received_on);

-- The plan: one amount per month (its first day) and category.
create table planned_spend (
    id          bigint generated always as identity primary key,
    tenant_id   bigint       not null references tenant (id),
    month       date         not null,
    category    varchar(16)  not null,
    amount      numeric      not null,
    updated_at  timestamptz  not null,
    constraint planned_spend_tenant_month_category_key unique (tenant_id, month, category),
    constraint planned_spend_category_check
        check (category in ('COMPUTE', 'PEOPLE', 'MARKETING', 'INFRASTRUCTURE', 'OTHER')),
    constraint planned_spend_month_check check (extract(day from month) = 1),
    constraint planned_spend_amount_check check (amount > 0)
);

-- What was spent. BILLING rows are posted by the billing feature with an idempotency key and are read-only.
create table actual_spend (
    id               bigint generated always as identity primary key,
    tenant_id        bigint        not null references tenant (id),
    spent_on         date          not null,
    category         varchar(16)   not null,
    amount           numeric       not null,
    note             varchar(500)  not null default '',
    project_id       bigint references project (id),
    source           varchar(8)    not null,
    idempotency_key  varchar(200),
    created_by       bigint        references app_user (id),
    created_at       timestamptz   not null,
    constraint actual_spend_tenant_key_key unique (tenant_id, idempotency_key),
    constraint actual_spend_category_check
        check (category in ('COMPUTE', 'PEOPLE', 'MARKETING', 'INFRASTRUCTURE', 'OTHER')),
    constraint actual_spend_source_check check (source in ('MANUAL', 'BILLING')),
    constraint actual_spend_billing_check
        check (source = 'MANUAL' or (category = 'COMPUTE' and idempotency_key is not null)),
    constraint actual_spend_amount_check check (amount > 0)
);
create index actual_spend_tenant_idx on actual_spend (tenant_id, spent_on);
create index actual_spend_project_idx on actual_spend (project_id);

-- A monthly compute limit for the whole tenant (project_id null) or for one project.
create table compute_budget (
    id             bigint generated always as identity primary key,
    tenant_id      bigint        not null references tenant (id),
    project_id     bigint references project (id),
    monthly_limit  numeric       not null,
    thresholds     varchar(64)   not null,
    created_at     timestamptz   not null,
    updated_at     timestamptz   not null,
    constraint compute_budget_limit_check check (monthly_limit > 0)
);
-- At most one tenant-wide budget and one per project.
create unique index compute_budget_tenant_scope_key on compute_budget (tenant_id, coalesce(project_id, 0));

-- In-app notifications. The unique key makes each threshold fire once per budget and month.
create table budget_alert (
    id             bigint generated always as identity primary key,
    tenant_id      bigint        not null references tenant (id),
    budget_id      bigint references compute_budget (id) on delete set null,
    scope          varchar(140)  not null,
    period         date          not null,
    threshold      integer       not null,
    spent          numeric       not null,
    monthly_limit  numeric       not null,
    created_at     timestamptz   not null,
    constraint budget_alert_once_key unique (tenant_id, budget_id, period, threshold),
    constraint budget_alert_threshold_check check (threshold between 1 and 100)
);
create index budget_alert_tenant_time_idx on budget_alert (tenant_id, created_at desc);

alter table budget_settings enable row level security;
alter table budget_settings force row level security;
create policy budget_settings_tenant on budget_settings
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint);

alter table funding_source enable row level security;
alter table funding_source force row level security;
create policy funding_source_tenant on funding_source
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint);

alter table planned_spend enable row level security;
alter table planned_spend force row level security;
create policy planned_spend_tenant on planned_spend
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint);

alter table actual_spend enable row level security;
alter table actual_spend force row level security;
create policy actual_spend_tenant on actual_spend
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint);

alter table compute_budget enable row level security;
alter table compute_budget force row level security;
create policy compute_budget_tenant on compute_budget
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint);

alter table budget_alert enable row level security;
alter table budget_alert force row level security;
create policy budget_alert_tenant on budget_alert
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint);

-- Alerts record what happened: the application inserts and reads them, never rewrites them. Deleting a budget
-- keeps its alerts: the foreign key's action (run as the table owner) sets budget_id to null.
revoke update, delete on budget_alert from ${app_role};
