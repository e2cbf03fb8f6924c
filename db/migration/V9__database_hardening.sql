-- Database hardening: the application role (${app_role}) must not be able to become the owner. It creates nothing, its
-- grants stop at the rows of its own tenant, and the owner's SECURITY DEFINER functions resolve nothing it could plant.
-- Runs as runway_owner, which owns schema public (deploy/postgres-roles.sql, EmbeddedDatabase), so it may revoke.

-- PostgreSQL 14 lets PUBLIC create objects in schema public. With that, the application role could plant an operator
-- such as public.=(varchar, varchar) that a definer function with public in its search_path then runs as the owner.
revoke create on schema public from public;
revoke create on schema public from ${app_role};

-- Where the revoke could not take effect (public owned by another role, a CREATE granted through another role, a
-- schema created by hand), stop here rather than run with the hole open.
do $$
declare
    schema_name text;
begin
    select n.nspname into schema_name
    from pg_catalog.pg_namespace n
    where pg_catalog.has_schema_privilege('${app_role}', n.oid, 'CREATE')
      and n.nspname operator(pg_catalog.!~~) 'pg\_temp\_%'
      and n.nspname operator(pg_catalog.!~~) 'pg\_toast\_temp\_%'
    limit 1;
    if schema_name is not null then
        raise exception '${app_role} may create objects in schema %: as its owner or a superuser run '
            '"revoke create on schema % from public, ${app_role}" (and from any role ${app_role} is a member of; '
            'see deploy/postgres-roles.sql)', schema_name, schema_name;
    end if;
    if pg_catalog.has_database_privilege('${app_role}', pg_catalog.current_database(), 'CREATE') then
        raise exception '${app_role} may create schemas in this database: as its owner or a superuser run '
            '"revoke create on database % from public, ${app_role}"', pg_catalog.current_database();
    end if;
end
$$;

-- Flyway's history is the migrator's business. V1 granted the application role every table in public, this one
-- included; the application never reads it, so it gets nothing.
revoke all on ${flyway:table} from ${app_role};

-- API key lookup (V8): the same function, now searching pg_catalog (then pg_temp, which never supplies functions or
-- operators) and naming its operators' schema, so no operator planted anywhere can stand in for the comparison.
create or replace function public.api_key_lookup(key_prefix varchar, key_secret_hash varchar)
    returns table (id bigint, tenant_id bigint, role varchar, created_by bigint, expires_at timestamptz,
                   revoked_at timestamptz, last_used_at timestamptz)
    language sql
    stable
    security definer
    set search_path = pg_catalog, pg_temp
as $$
    select k.id, k.tenant_id, k.role, k.created_by, k.expires_at, k.revoked_at, k.last_used_at
    from public.api_key k
    where k.prefix operator(pg_catalog.=) key_prefix
      and k.secret_hash operator(pg_catalog.=) key_secret_hash
$$;

-- Fair admission (V5's tenant_queue_state) no longer lets every tenant read every tenant's running count and quota:
-- a tenant reads and writes its own row only. The cross-tenant question admission asks ("does a waiting run of
-- another tenant with room in its quota go before mine?") is answered by an owner-run function that returns a
-- boolean and nothing else. Its tenant is the transaction's own (app.tenant_id), never a parameter.
-- FORCE applies policies to the owner too: the function reads through a policy for the owner role alone (current_user
-- here, as in V8's api_key_owner_lookup), of which the application role is not a member.
drop policy tenant_queue_state_read on tenant_queue_state;
create policy tenant_queue_state_owner_read on tenant_queue_state for select to current_user using (true);

create function public.run_queue_another_tenant_goes_first(run_priority integer)
    returns boolean
    language plpgsql
    stable
    security definer
    set search_path = pg_catalog, pg_temp
as $$
declare
    tenant_setting text := pg_catalog.current_setting('app.tenant_id', true);
    me bigint;
    my_last_start timestamptz;
begin
    if tenant_setting is null or tenant_setting operator(pg_catalog.=) '' then
        raise exception 'run_queue_another_tenant_goes_first needs app.tenant_id';
    end if;
    me := tenant_setting::pg_catalog.int8;
    select q.last_started_at into my_last_start
    from public.tenant_queue_state q
    where q.tenant_id operator(pg_catalog.=) me;
    -- A higher priority goes first; at the same priority, the tenant that started a run least recently.
    return exists (
        select 1
        from public.scheduled_tasks st
        left join public.tenant_queue_state q
            on q.tenant_id operator(pg_catalog.=) pg_catalog.split_part(st.task_instance, '-', 1)::pg_catalog.int8
        where st.task_name operator(pg_catalog.=) 'run'
          and not st.picked
          and st.execution_time operator(pg_catalog.<=) pg_catalog.now()
          and pg_catalog.split_part(st.task_instance, '-', 1)::pg_catalog.int8 operator(pg_catalog.<>) me
          and coalesce(q.running, 0) operator(pg_catalog.<) coalesce(q.concurrency_quota, 2)
          and (coalesce(st.priority, 0) operator(pg_catalog.>) run_priority
               or (coalesce(st.priority, 0) operator(pg_catalog.=) run_priority
                   and coalesce(q.last_started_at, '-infinity'::pg_catalog.timestamptz)
                       operator(pg_catalog.<) coalesce(my_last_start, '-infinity'::pg_catalog.timestamptz))));
end
$$;

revoke all on function public.run_queue_another_tenant_goes_first(integer) from public;
grant execute on function public.run_queue_another_tenant_goes_first(integer) to ${app_role};
