-- Activity feed and notifications (docs/collaboration-activity.md). Written by one statement per happening
-- (ActivityRecorder), in the transaction of the change itself, so nothing is recorded that did not happen.

-- What happened in a company: one row per dev.runway.base.Happened.
create table activity (
    id             bigint generated always as identity primary key,
    tenant_id      bigint        not null references tenant (id),
    kind           varchar(40)   not null,          -- Happened.Kind.code(), e.g. run.finished
    project_id     bigint,                          -- null for the company as a whole (a company budget, an invoice)
    subject_type   varchar(20)   not null,
    subject_id     bigint        not null,
    subject_label  varchar(300)  not null,
    actor_id       bigint,                          -- null when Runway itself did it
    summary        varchar(1000) not null,
    facts          jsonb         not null default '{}',
    created_at     timestamptz   not null
);
-- The feeds page backwards by id (keyset): company-wide, per project, per kind.
create index activity_tenant_id_idx on activity (tenant_id, id desc);
create index activity_tenant_project_id_idx on activity (tenant_id, project_id, id desc);

-- A member's notification of an activity. in_app false: the member only wants the mail.
create table notification (
    id             bigint generated always as identity primary key,
    tenant_id      bigint       not null references tenant (id),
    recipient_id   bigint       not null,
    activity_id    bigint       not null references activity (id),
    category       varchar(24)  not null,
    in_app         boolean      not null,
    email_wanted   boolean      not null,
    emailed_at     timestamptz,
    read_at        timestamptz,
    created_at     timestamptz  not null
);
create index notification_recipient_idx on notification (tenant_id, recipient_id, id desc);
create index notification_unread_idx on notification (tenant_id, recipient_id) where read_at is null and in_app;
create index notification_activity_idx on notification (activity_id) where email_wanted and emailed_at is null;

-- A member's choice per category; a missing row means the category's defaults (NotificationCategory).
create table notification_setting (
    tenant_id   bigint       not null references tenant (id),
    user_id     bigint       not null,
    category    varchar(24)  not null,
    in_app      boolean      not null,
    email       boolean      not null,
    primary key (tenant_id, user_id, category)
);

-- "My projects" for stage-change notifications: the members who acted in a project (started a run, uploaded,
-- commented, changed a stage) or whose run it was. The project's creator counts too (read from project).
create table project_follower (
    tenant_id   bigint  not null references tenant (id),
    project_id  bigint  not null,
    user_id     bigint  not null,
    primary key (tenant_id, project_id, user_id)
);

alter table activity enable row level security;
alter table activity force row level security;
create policy activity_tenant on activity
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint);

alter table notification enable row level security;
alter table notification force row level security;
create policy notification_tenant on notification
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint);

alter table notification_setting enable row level security;
alter table notification_setting force row level security;
create policy notification_setting_tenant on notification_setting
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint);

alter table project_follower enable row level security;
alter table project_follower force row level security;
create policy project_follower_tenant on project_follower
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint);

-- The table grants come from V1's default privileges. The feed is a record: the application never rewrites it.
revoke update, delete on activity from ${app_role};
