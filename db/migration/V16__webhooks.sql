-- Webhooks: a company's endpoints, the deliveries of its events to them (an outbox row per event and endpoint, written
-- in the transaction of the change itself) and every attempt to send one. docs/webhooks.md describes the behaviour.

create table webhook_endpoint (
    id                    bigint generated always as identity primary key,
    tenant_id             bigint         not null references tenant (id),
    url                   varchar(2000)  not null,
    description           varchar(200)   not null default '',
    -- Stored as such: Runway signs each delivery with it, so it cannot be a one-way hash like an API key's.
    secret                varchar(100)   not null,
    -- Event type codes (run.finished, …), comma-separated.
    event_types           varchar(400)   not null,
    enabled               boolean        not null default true,
    disabled_reason       varchar(500),
    disabled_at           timestamptz,
    -- Deliveries given up in a row, and the first failed attempt since the last delivered one: both reset on success.
    consecutive_failures  integer        not null default 0,
    failing_since         timestamptz,
    created_by            bigint         not null references app_user (id),
    created_at            timestamptz    not null,
    secret_rotated_at     timestamptz
);
-- The outbox asks "which enabled endpoints does this company have?" for every event: one small index answers it.
create index webhook_endpoint_tenant_enabled_idx on webhook_endpoint (tenant_id) where enabled;
create index webhook_endpoint_tenant_idx on webhook_endpoint (tenant_id, created_at);

create table webhook_delivery (
    id                  bigint generated always as identity primary key,
    tenant_id           bigint        not null references tenant (id),
    endpoint_id         bigint        not null references webhook_endpoint (id) on delete cascade,
    event_id            uuid          not null,
    event_type          varchar(64)   not null,
    -- The body exactly as sent (and signed); text rather than jsonb, which would reorder and respace it.
    payload             text          not null,
    status              varchar(16)   not null,
    attempts            integer       not null default 0,
    -- Bumped by "Redeliver": a queued try of an earlier series then finds it is stale and does nothing. A series
    -- gets the full number of tries: those made before the latest redelivery are counted apart.
    redeliveries        integer       not null default 0,
    attempts_before     integer       not null default 0,
    next_attempt_at     timestamptz,
    created_at          timestamptz   not null,
    delivered_at        timestamptz,
    -- The last attempt, for the delivery log (webhook_attempt keeps each one).
    last_attempt_at     timestamptz,
    last_status_code    integer,
    last_error          varchar(500),
    last_duration_ms    integer,
    last_response       varchar(1024),
    constraint webhook_delivery_event_key unique (endpoint_id, event_id),
    constraint webhook_delivery_status_check check (status in ('PENDING', 'DELIVERED', 'FAILED'))
);
create index webhook_delivery_endpoint_idx on webhook_delivery (endpoint_id, created_at desc, id desc);
create index webhook_delivery_tenant_idx on webhook_delivery (tenant_id);

create table webhook_attempt (
    id                bigint generated always as identity primary key,
    tenant_id         bigint         not null references tenant (id),
    delivery_id       bigint         not null references webhook_delivery (id) on delete cascade,
    attempted_at      timestamptz    not null,
    status_code       integer,
    error             varchar(500),
    duration_ms       integer        not null,
    -- At most 1 KB of the answer's body, control characters removed.
    response_snippet  varchar(1024)
);
create index webhook_attempt_delivery_idx on webhook_attempt (delivery_id, attempted_at);
create index webhook_attempt_tenant_idx on webhook_attempt (tenant_id);

alter table webhook_endpoint enable row level security;
alter table webhook_endpoint force row level security;
create policy webhook_endpoint_tenant on webhook_endpoint
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint);

alter table webhook_delivery enable row level security;
alter table webhook_delivery force row level security;
create policy webhook_delivery_tenant on webhook_delivery
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint);

alter table webhook_attempt enable row level security;
alter table webhook_attempt force row level security;
create policy webhook_attempt_tenant on webhook_attempt
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint);

-- db-scheduler 16.7.1's table (postgresql_tables.sql) once more, for webhook deliveries alone: their own scheduler and
-- threads, so that a burst of deliveries never waits behind long training runs and the run executor never meets a
-- task it does not know. Not tenant-owned: a task's data is ids only, and the handler runs as the tenant it names.
create table webhook_tasks (
    task_name             text not null,
    task_instance         text not null,
    task_data             bytea,
    execution_time        timestamp with time zone not null,
    picked                boolean not null,
    picked_by             text,
    last_success          timestamp with time zone,
    last_failure          timestamp with time zone,
    consecutive_failures  int,
    last_heartbeat        timestamp with time zone,
    version               bigint not null,
    priority              smallint,
    primary key (task_name, task_instance)
);
create index webhook_tasks_execution_time_idx on webhook_tasks (execution_time);
create index webhook_tasks_last_heartbeat_idx on webhook_tasks (last_heartbeat);
create index webhook_tasks_priority_execution_time_idx on webhook_tasks (priority desc, execution_time asc);

-- The tables' grants come from V1's default privileges (select, insert, update, delete for ${app_role}).
