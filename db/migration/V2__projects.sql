-- Projects: the home of a model's datasets, runs and models.
create table project (
    id               bigint generated always as identity primary key,
    tenant_id        bigint        not null references tenant (id),
    name             varchar(120)  not null,
    description      varchar(2000) not null default '',
    tags             text[]        not null default '{}',
    -- Off for sensitive data: dataset pages then show profiles but no rows.
    preview_enabled  boolean       not null default true,
    archived_at      timestamptz,
    created_by       bigint        not null references app_user (id),
    created_at       timestamptz   not null,
    updated_at       timestamptz   not null,
    constraint project_tenant_name_key unique (tenant_id, name)
);

alter table project enable row level security;
alter table project force row level security;
create policy project_tenant on project
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint);
