-- Resumable (tus 1.0) uploads of dataset versions through the API: one row per upload a key has begun. The bytes
-- themselves lie under the storage root (tus/), written by tus-java-server; this row says whose they are, where they
-- go once complete, when the last byte arrived (so that abandoned uploads are cleaned after a day by the injected
-- clock) and which dataset version they became. docs/api.md, "Resumable uploads (tus)".
create table resumable_upload (
    -- The tus upload id (a UUID, the last segment of the upload's URL).
    id                  varchar(64)    primary key,
    tenant_id           bigint         not null references tenant (id),
    project_id          bigint         not null references project (id),
    dataset_name        varchar(120)   not null,
    filename            varchar(255)   not null,
    length              bigint         not null,
    created_by          bigint         not null references app_user (id),
    created_at          timestamptz    not null,
    -- The last request that touched the upload (creation, a chunk, a resume).
    touched_at          timestamptz    not null,
    dataset_version_id  bigint         references dataset_version (id),
    constraint resumable_upload_length_check check (length >= 0)
);
create index resumable_upload_tenant_touched_idx on resumable_upload (tenant_id, touched_at);

alter table resumable_upload enable row level security;
alter table resumable_upload force row level security;
create policy resumable_upload_tenant on resumable_upload
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint);

-- The table's grants come from V1's default privileges (select, insert, update, delete for ${app_role}).
