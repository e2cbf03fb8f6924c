-- Idempotency-Key on the API's POSTs (docs/api.md, "Safe retries"): per company, the first answer to a key is kept
-- for 24 hours and replayed to a retry with the same request; another request with the key is refused (409).
-- The row is inserted in the same transaction as the request's work, so a concurrent retry waits on the primary key
-- until the first commits (and replays it) or rolls back (and then does the work itself); a failed first attempt
-- leaves no row.
create table idempotency_key (
    tenant_id        bigint        not null references tenant (id),
    idem_key         varchar(255)  not null,
    -- SHA-256 (hex) of the method, the path with its query, the content type and the body.
    request_hash     char(64),
    created_at       timestamptz   not null,
    response_status  integer,
    response_type    varchar(255),
    response_location varchar(2000),
    response_etag    varchar(255),
    response_body    text,
    constraint idempotency_key_pkey primary key (tenant_id, idem_key),
    constraint idempotency_key_not_blank check (length(idem_key) > 0)
);
create index idempotency_key_created_idx on idempotency_key (created_at);

alter table idempotency_key enable row level security;
alter table idempotency_key force row level security;
create policy idempotency_key_tenant on idempotency_key
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint);

-- Forgetting expired keys of every company at once: an owner-run function (FORCE applies policies to the owner too,
-- hence policies for the owner role alone, current_user here as in V8; a DELETE whose WHERE reads a column needs the
-- SELECT policy as well). It takes only the cut-off and returns only a count.
create policy idempotency_key_owner_read on idempotency_key for select to current_user using (true);
create policy idempotency_key_owner_purge on idempotency_key for delete to current_user using (true);

create function public.idempotency_key_purge(cutoff timestamptz)
    returns bigint
    language sql
    security definer
    set search_path = pg_catalog, pg_temp
as $$
    with gone as (
        delete from public.idempotency_key k
        where k.created_at operator(pg_catalog.<) cutoff
        returning 1
    )
    select pg_catalog.count(*) from gone
$$;

revoke all on function public.idempotency_key_purge(timestamptz) from public;
grant execute on function public.idempotency_key_purge(timestamptz) to ${app_role};
