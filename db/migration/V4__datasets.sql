-- Datasets and their immutable versions. The bytes live content-addressed (SHA-256) under the storage root.
create table dataset (
    id          bigint generated always as identity primary key,
    tenant_id   bigint        not null references tenant (id),
    project_id  bigint        not null references project (id),
    name        varchar(120)  not null,
    created_by  bigint        not null references app_user (id),
    created_at  timestamptz   not null,
    constraint dataset_tenant_project_name_key unique (tenant_id, project_id, name)
);

create table dataset_version (
    id                 bigint generated always as identity primary key,
    tenant_id          bigint        not null references tenant (id),
    dataset_id         bigint        not null references dataset (id),
    version            integer       not null,
    sha256             char(64)      not null,
    size_bytes         bigint        not null,
    row_count          bigint        not null,
    column_count       integer       not null,
    original_filename  varchar(255)  not null,
    delimiter          varchar(2)    not null,
    -- The profile (column types, counts, statistics, histograms) as written by CsvProfiler.
    profile            jsonb         not null,
    -- Preparation settings for training (target, features, task, split, missing values, scaling); null until set.
    preparation        jsonb,
    uploaded_by        bigint        not null references app_user (id),
    uploaded_at        timestamptz   not null,
    constraint dataset_version_tenant_dataset_version_key unique (tenant_id, dataset_id, version)
);
create index dataset_version_tenant_sha_idx on dataset_version (tenant_id, sha256);

alter table dataset enable row level security;
alter table dataset force row level security;
create policy dataset_tenant on dataset
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint);

alter table dataset_version enable row level security;
alter table dataset_version force row level security;
create policy dataset_version_tenant on dataset_version
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint);
