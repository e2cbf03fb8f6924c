-- Training and evaluation runs, their metrics and logs, schedules, and db-scheduler's table (the durable queue).

-- db-scheduler 16.7.1 (kagkarlsson/db-scheduler, postgresql_tables.sql). Not tenant-owned: a task's data is ids only,
-- and the handler runs as the tenant it names.
create table scheduled_tasks (
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
create index execution_time_idx on scheduled_tasks (execution_time);
create index last_heartbeat_idx on scheduled_tasks (last_heartbeat);
create index priority_execution_time_idx on scheduled_tasks (priority desc, execution_time asc);

create table run_schedule (
    id                  bigint generated always as identity primary key,
    tenant_id           bigint        not null references tenant (id),
    project_id          bigint        not null references project (id),
    dataset_id          bigint        not null references dataset (id),
    name                varchar(120)  not null,
    hyperparameters     jsonb         not null,
    requested_device    varchar(8)    not null,
    priority            integer       not null,
    -- Six-field cron (second minute hour day month weekday), or null for "on a new dataset version" only.
    cron                varchar(120),
    on_new_version      boolean       not null,
    paused              boolean       not null default false,
    next_fire_at        timestamptz,
    created_by          bigint        not null references app_user (id),
    created_at          timestamptz   not null,
    constraint run_schedule_tenant_name_key unique (tenant_id, name)
);
create index run_schedule_due_idx on run_schedule (next_fire_at) where not paused;

create table run (
    id                   bigint generated always as identity primary key,
    tenant_id            bigint        not null references tenant (id),
    project_id           bigint        not null references project (id),
    dataset_version_id   bigint        not null references dataset_version (id),
    kind                 varchar(16)   not null,
    -- Evaluation runs evaluate the model that this (training) run produced.
    source_run_id        bigint references run (id),
    template             varchar(32)   not null,
    hyperparameters      jsonb         not null,
    requested_device     varchar(8)    not null,
    priority             integer       not null,
    status               varchar(16)   not null,
    attempt              integer       not null default 1,
    cancel_requested     boolean       not null default false,
    started_by           bigint        not null references app_user (id),
    schedule_id          bigint references run_schedule (id),
    created_at           timestamptz   not null,
    started_at           timestamptz,
    finished_at          timestamptz,
    device_used          varchar(32),
    worker               varchar(120),
    epoch                integer       not null default 0,
    total_epochs         integer       not null default 0,
    batch                integer       not null default 0,
    batches              integer       not null default 0,
    progress_at          timestamptz,
    last_checkpoint_epoch integer,
    last_checkpoint_at   timestamptz,
    -- Seconds of work lost to dead workers (redone from the last checkpoint): never billed.
    lost_seconds         double precision not null default 0,
    error                varchar(2000),
    result               jsonb,
    model_dir            varchar(500),
    constraint run_kind_check check (kind in ('TRAIN', 'EVALUATE')),
    constraint run_status_check check (status in ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'))
);
create index run_tenant_status_idx on run (tenant_id, status, created_at desc);
create index run_tenant_project_idx on run (tenant_id, project_id);

create table run_metric (
    id                 bigint generated always as identity primary key,
    tenant_id          bigint           not null references tenant (id),
    run_id             bigint           not null references run (id),
    epoch              integer          not null,
    train_loss         double precision not null,
    validation_loss    double precision not null,
    train_metric       double precision not null,
    validation_metric  double precision not null,
    recorded_at        timestamptz      not null,
    constraint run_metric_tenant_run_epoch_key unique (tenant_id, run_id, epoch)
);

create table run_log (
    id         bigint generated always as identity primary key,
    tenant_id  bigint        not null references tenant (id),
    run_id     bigint        not null references run (id),
    logged_at  timestamptz   not null,
    line       varchar(1000) not null
);
create index run_log_tenant_run_idx on run_log (tenant_id, run_id, id);

alter table run_schedule enable row level security;
alter table run_schedule force row level security;
create policy run_schedule_tenant on run_schedule
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint);

alter table run enable row level security;
alter table run force row level security;
create policy run_tenant on run
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint);

alter table run_metric enable row level security;
alter table run_metric force row level security;
create policy run_metric_tenant on run_metric
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint);

alter table run_log enable row level security;
alter table run_log force row level security;
create policy run_log_tenant on run_log
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint);

-- Per-tenant executor bookkeeping for fair admission: every tenant may read every row (the counts are needed to be
-- fair across tenants and hold nothing else), but each writes only its own.
create table tenant_queue_state (
    tenant_id          bigint       primary key references tenant (id),
    running            integer      not null default 0,
    concurrency_quota  integer      not null default 2,
    last_started_at    timestamptz
);
alter table tenant_queue_state enable row level security;
alter table tenant_queue_state force row level security;
create policy tenant_queue_state_read on tenant_queue_state for select using (true);
create policy tenant_queue_state_write on tenant_queue_state
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint);
