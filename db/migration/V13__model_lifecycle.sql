-- The model lifecycle: a stage per version, aliases, promotion rules, approval requests and the history of changes.

alter table model_version add column stage varchar(16) not null default 'NONE';
alter table model_version add constraint model_version_stage_check
    check (stage in ('NONE', 'STAGING', 'PRODUCTION', 'ARCHIVED'));
-- Never two versions of one project in Production, whatever the application does (or a hand-written update).
create unique index model_version_one_production_idx on model_version (tenant_id, project_id)
    where stage = 'PRODUCTION';

-- A name (e.g. "champion") that points at one version of a project at a time.
create table model_alias (
    id                bigint generated always as identity primary key,
    tenant_id         bigint        not null references tenant (id),
    project_id        bigint        not null references project (id),
    name              varchar(32)   not null,
    model_version_id  bigint        not null references model_version (id),
    updated_by        bigint        not null references app_user (id),
    updated_at        timestamptz   not null,
    constraint model_alias_tenant_project_name_key unique (tenant_id, project_id, name),
    constraint model_alias_name_check check (name ~ '^[a-z0-9][a-z0-9_-]{0,31}$')
);
create index model_alias_tenant_version_idx on model_alias (tenant_id, model_version_id);

-- Who may move a project's versions to Staging and to Production, how many approvals Production needs, and an
-- optional metric gate. A project without a row uses the defaults in PromotionRules.
create table model_promotion_rule (
    project_id          bigint           primary key references project (id),
    tenant_id           bigint           not null references tenant (id),
    staging_roles       text[]           not null,
    production_roles    text[]           not null,
    approvals_required  integer          not null default 0 check (approvals_required between 0 and 5),
    gate_metric         varchar(64),
    gate_operator       varchar(8) check (gate_operator in ('GTE', 'LTE')),
    gate_threshold      double precision,
    updated_by          bigint           not null references app_user (id),
    updated_at          timestamptz      not null,
    constraint model_promotion_rule_gate_check check (
        (gate_metric is null and gate_operator is null and gate_threshold is null)
        or (gate_metric is not null and gate_operator is not null and gate_threshold is not null))
);
create index model_promotion_rule_tenant_idx on model_promotion_rule (tenant_id);

-- A stage change waiting for approvals (four eyes).
create table model_stage_request (
    id                bigint generated always as identity primary key,
    tenant_id         bigint         not null references tenant (id),
    project_id        bigint         not null references project (id),
    model_version_id  bigint         not null references model_version (id),
    target_stage      varchar(16)    not null check (target_stage in ('NONE', 'STAGING', 'PRODUCTION', 'ARCHIVED')),
    approvals_required integer       not null,
    requested_by      bigint         not null references app_user (id),
    comment           varchar(1000)  not null,
    status            varchar(16)    not null check (status in ('PENDING', 'APPROVED', 'REJECTED')),
    created_at        timestamptz    not null,
    decided_by        bigint references app_user (id),
    decided_at        timestamptz,
    decision_comment  varchar(1000)
);
create unique index model_stage_request_one_pending_idx on model_stage_request (tenant_id, model_version_id)
    where status = 'PENDING';
create index model_stage_request_tenant_project_idx on model_stage_request (tenant_id, project_id, status);

create table model_stage_approval (
    id           bigint generated always as identity primary key,
    tenant_id    bigint         not null references tenant (id),
    request_id   bigint         not null references model_stage_request (id),
    approver_id  bigint         not null references app_user (id),
    comment      varchar(1000)  not null,
    created_at   timestamptz    not null,
    constraint model_stage_approval_once_key unique (tenant_id, request_id, approver_id)
);

-- Every stage change and alias move, append-only: the timeline and "what was in Production at T" read it.
create table model_lifecycle_event (
    id                bigint generated always as identity primary key,
    tenant_id         bigint         not null references tenant (id),
    project_id        bigint         not null references project (id),
    model_version_id  bigint         not null references model_version (id),
    kind              varchar(8)     not null check (kind in ('STAGE', 'ALIAS')),
    from_stage        varchar(16),
    to_stage          varchar(16),
    alias             varchar(32),
    -- For an alias move: the version the alias pointed at before (null when it is new).
    from_version_id   bigint references model_version (id),
    actor_id          bigint         not null references app_user (id),
    request_id        bigint references model_stage_request (id),
    comment           varchar(1000)  not null,
    occurred_at       timestamptz    not null
);
create index model_lifecycle_event_tenant_project_idx on model_lifecycle_event (tenant_id, project_id, occurred_at);

alter table model_alias enable row level security;
alter table model_alias force row level security;
create policy model_alias_tenant on model_alias
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint);

alter table model_promotion_rule enable row level security;
alter table model_promotion_rule force row level security;
create policy model_promotion_rule_tenant on model_promotion_rule
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint);

alter table model_stage_request enable row level security;
alter table model_stage_request force row level security;
create policy model_stage_request_tenant on model_stage_request
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint);

alter table model_stage_approval enable row level security;
alter table model_stage_approval force row level security;
create policy model_stage_approval_tenant on model_stage_approval
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint);

alter table model_lifecycle_event enable row level security;
alter table model_lifecycle_event force row level security;
create policy model_lifecycle_event_tenant on model_lifecycle_event
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint);
