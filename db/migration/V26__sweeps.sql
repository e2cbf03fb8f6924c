-- Hyperparameter sweeps: a sweep is a set of trials over chosen hyperparameters of a template, each trial an ordinary
-- run. All the sweep's state is here (the trials are made up front, each with its parameters), so any node continues
-- a sweep when one of its runs ends. docs/sweeps.md describes the behaviour.

create table sweep (
    id                  bigint generated always as identity primary key,
    tenant_id           bigint         not null references tenant (id),
    project_id          bigint         not null references project (id),
    dataset_version_id  bigint         not null references dataset_version (id),
    template            varchar(40)    not null,
    method              varchar(10)    not null,
    objective           varchar(20)    not null,
    -- The request's parameter space and the template's hyperparameters the trials start from (JSON).
    space               text           not null,
    base                text           not null,
    max_trials          integer        not null,
    parallel            integer        not null,
    seed                bigint         not null,
    -- ASHA's rungs: at min_epochs · eta^k epochs a trial goes on only when it is in the top 1/eta of those there.
    eta                 integer        not null,
    min_epochs          integer        not null,
    -- The money cap, in the plan's currency, with sub-cent precision (a sweep of short trials costs fractions of a cent).
    cap_amount          numeric(14, 6) not null,
    currency            char(3)        not null,
    status              varchar(16)    not null,
    stop_reason         varchar(500),
    created_by          bigint         not null references app_user (id),
    created_at          timestamptz    not null,
    finished_at         timestamptz,
    constraint sweep_method_check check (method in ('GRID', 'RANDOM', 'ASHA')),
    constraint sweep_objective_check check (objective in ('VALIDATION_LOSS', 'VALIDATION_METRIC')),
    constraint sweep_status_check check (status in ('RUNNING', 'FINISHED', 'CAPPED', 'CANCELLED')),
    constraint sweep_cap_check check (cap_amount > 0),
    constraint sweep_limits_check check (max_trials between 1 and 200 and parallel between 1 and 50)
);
create index sweep_tenant_idx on sweep (tenant_id, created_at desc);
create index sweep_project_idx on sweep (project_id);

create table sweep_trial (
    id          bigint generated always as identity primary key,
    tenant_id   bigint         not null references tenant (id),
    sweep_id    bigint         not null references sweep (id) on delete cascade,
    number      integer        not null,
    -- The chosen values of the swept parameters (JSON object).
    parameters  text           not null,
    run_id      bigint         references run (id),
    status      varchar(16)    not null,
    estimate    numeric(14, 6),
    objective   double precision,
    note        varchar(500),
    constraint sweep_trial_number_key unique (sweep_id, number),
    constraint sweep_trial_status_check
        check (status in ('PENDING', 'RUNNING', 'SUCCEEDED', 'PRUNED', 'STOPPED', 'FAILED', 'SKIPPED'))
);
create index sweep_trial_tenant_idx on sweep_trial (tenant_id);
-- The executor asks "is this run a trial?" every few seconds of every run.
create unique index sweep_trial_run_idx on sweep_trial (run_id) where run_id is not null;

alter table sweep enable row level security;
alter table sweep force row level security;
create policy sweep_tenant on sweep
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint);

alter table sweep_trial enable row level security;
alter table sweep_trial force row level security;
create policy sweep_trial_tenant on sweep_trial
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint);

-- The tables' grants come from V1's default privileges (select, insert, update, delete for ${app_role}).
