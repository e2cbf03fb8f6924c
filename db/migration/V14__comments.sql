-- Comments on runs, model versions and dataset versions: one table for every kind of subject, in Markdown, with the
-- members each comment mentions. Replaces model_comment (V6), whose rows move here.
create table comment (
    id            bigint generated always as identity primary key,
    tenant_id     bigint        not null references tenant (id),
    project_id    bigint        not null references project (id),
    subject_type  varchar(20)   not null,
    -- A run, model version or dataset version of the same tenant, by subject_type: no foreign key can span the three.
    subject_id    bigint        not null,
    author_id     bigint        not null references app_user (id),
    body          varchar(5000) not null,
    created_at    timestamptz   not null,
    edited_at     timestamptz,
    constraint comment_subject_type_check check (subject_type in ('RUN', 'MODEL_VERSION', 'DATASET_VERSION')),
    constraint comment_body_check check (length(btrim(body)) > 0)
);
create index comment_tenant_subject_idx on comment (tenant_id, subject_type, subject_id, created_at);
create index comment_tenant_project_idx on comment (tenant_id, project_id);

-- Who a comment mentions (user ids of members when it was saved). Kept so that an edit notifies only new mentions.
create table comment_mention (
    tenant_id   bigint not null references tenant (id),
    comment_id  bigint not null references comment (id) on delete cascade,
    user_id     bigint not null references app_user (id),
    primary key (comment_id, user_id)
);
create index comment_mention_tenant_user_idx on comment_mention (tenant_id, user_id);

alter table comment enable row level security;
alter table comment force row level security;
create policy comment_tenant on comment
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint);

alter table comment_mention enable row level security;
alter table comment_mention force row level security;
create policy comment_mention_tenant on comment_mention
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint);

-- The old model comments move over, tenant by tenant: FORCE applies the policies to the owner running this too. Their
-- plain text is valid Markdown (at worst a stray * or _ now emphasises), and they mention nobody.
do $$
declare
    t bigint;
begin
    for t in select id from public.tenant order by id loop
        perform set_config('app.tenant_id', t::text, true);
        insert into public.comment (tenant_id, project_id, subject_type, subject_id, author_id, body, created_at)
        select c.tenant_id, v.project_id, 'MODEL_VERSION', c.model_version_id, c.author_id, c.body, c.created_at
        from public.model_comment c
        join public.model_version v on v.id = c.model_version_id
        order by c.created_at, c.id;
    end loop;
    perform set_config('app.tenant_id', '', true);
end
$$;

drop table model_comment;
