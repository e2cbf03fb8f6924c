-- The model registry: every succeeded training run registers a version of its project's model, with lineage.
create table model_version (
    id                  bigint generated always as identity primary key,
    tenant_id           bigint        not null references tenant (id),
    project_id          bigint        not null references project (id),
    version             integer       not null,
    run_id              bigint        not null references run (id),
    dataset_version_id  bigint        not null references dataset_version (id),
    template            varchar(32)   not null,
    metrics             jsonb         not null,
    artifact_dir        varchar(500)  not null,
    created_by          bigint        not null references app_user (id),
    created_at          timestamptz   not null,
    constraint model_version_tenant_project_version_key unique (tenant_id, project_id, version),
    constraint model_version_tenant_run_key unique (tenant_id, run_id)
);

create table model_comment (
    id                bigint generated always as identity primary key,
    tenant_id         bigint        not null references tenant (id),
    model_version_id  bigint        not null references model_version (id),
    author_id         bigint        not null references app_user (id),
    body              varchar(2000) not null,
    created_at        timestamptz   not null
);
create index model_comment_tenant_version_idx on model_comment (tenant_id, model_version_id, created_at);

alter table model_version enable row level security;
alter table model_version force row level security;
create policy model_version_tenant on model_version
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint);

alter table model_comment enable row level security;
alter table model_comment force row level security;
create policy model_comment_tenant on model_comment
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint);
