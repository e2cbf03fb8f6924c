-- A dataset version's content never changes once uploaded, and each run records the exact preparation it trained with.

-- 1. The content columns of dataset_version are immutable, whatever the role: the application's, the owner's, a
-- superuser's. Only the preparation settings (the one mutable column) may be updated. The trigger names the columns it
-- guards, so that it fires only on an UPDATE that sets one of them (saving a preparation never compares a megabyte
-- profile); DatasetImmutabilityTest checks that every column but preparation is in the list, so a column added later
-- must join it. ENABLE ALWAYS: it fires even with session_replication_role = replica.
create function public.dataset_version_content_immutable() returns trigger
    language plpgsql set search_path = pg_catalog, pg_temp as $$
begin
    raise exception 'dataset version % is immutable: its content (file, profile, shape) cannot change; upload a new version instead',
        old.id using errcode = 'restrict_violation';
end $$;
create trigger dataset_version_content_immutable
    before update of id, tenant_id, dataset_id, version, sha256, size_bytes, row_count, column_count,
        original_filename, delimiter, profile, uploaded_by, uploaded_at
    on public.dataset_version
    for each row execute function public.dataset_version_content_immutable();
alter table public.dataset_version enable always trigger dataset_version_content_immutable;

-- The application's second wall: it may update the preparation column only.
revoke update on public.dataset_version from ${app_role};
grant update (preparation) on public.dataset_version to ${app_role};

-- 2. Preparation revisions: every distinct preparation a version had, numbered 1, 2, … per version and identified by
-- the SHA-256 of its JSON. A run points at the revision it trained with; a revision never changes.
create table preparation_revision (
    id                  bigint generated always as identity primary key,
    tenant_id           bigint        not null references tenant (id),
    dataset_version_id  bigint        not null references dataset_version (id),
    revision            integer       not null,
    sha256              char(64)      not null,
    preparation         jsonb         not null,
    created_by          bigint        not null references app_user (id),
    created_at          timestamptz   not null,
    constraint preparation_revision_tenant_version_revision_key unique (tenant_id, dataset_version_id, revision),
    constraint preparation_revision_tenant_version_sha_key unique (tenant_id, dataset_version_id, sha256)
);

alter table preparation_revision enable row level security;
alter table preparation_revision force row level security;
create policy preparation_revision_tenant on preparation_revision
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint);

create function public.preparation_revision_immutable() returns trigger
    language plpgsql set search_path = pg_catalog, pg_temp as $$
begin
    raise exception 'preparation revision % is a record: it cannot change; save the preparation again to make a new revision',
        old.id using errcode = 'restrict_violation';
end $$;
create trigger preparation_revision_immutable before update on public.preparation_revision
    for each row execute function public.preparation_revision_immutable();
alter table public.preparation_revision enable always trigger preparation_revision_immutable;
-- The grants come from V1's default privileges; a revision is only ever added.
revoke update, delete on public.preparation_revision from ${app_role};

-- Null for runs submitted before revisions were kept (what they trained with was not recorded) and for evaluations of
-- imported models on a version without preparation settings.
alter table run add column preparation_revision_id bigint references preparation_revision (id);
