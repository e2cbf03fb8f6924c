-- Worker pools (docs/deploy.md): a node belongs to one pool (runway.executor.pool) and a run states the pool that
-- executes it. A run's execution in db-scheduler's queue is the task 'run:<pool>', and a node registers only the tasks
-- of the pools it serves, so a node never claims a run of another pool: a GPU run is never claimed by a CPU node.

alter table run add column pool varchar(40) not null default 'cpu';
-- run has FORCE row-level security (V5) and no policy for the owner this migration runs as: under it these updates
-- would see no run at all (no app.tenant_id), leave every GPU run in pool cpu and move its queued execution to
-- 'run:cpu', where no GPU node claims it. The owner steps out of the policies for the repair only.
alter table run no force row level security;
update run set pool = 'gpu' where requested_device = 'gpu';
update scheduled_tasks st set task_name = 'run:' || r.pool
from run r
where st.task_name = 'run' and st.task_instance = r.tenant_id || '-' || r.id;
update scheduled_tasks set task_name = 'run:cpu' where task_name = 'run';
alter table run force row level security;

-- The executor nodes, each writing its own row on every heartbeat: for the operator's view and the node metrics. Not a
-- tenant's data, so no tenant column and no row-level security.
create table executor_node (
    name          varchar(120)  primary key,
    -- web (console, API and executor) or worker (executor only).
    role          varchar(16)   not null,
    pool          varchar(40)   not null,
    -- The pools whose runs it claims: its own, and cpu on a GPU node unless runway.executor.cpu-runs=false.
    serves        varchar(400)  not null,
    slots         integer       not null,
    busy          integer       not null,
    gpus          integer       not null,
    executes      boolean       not null,
    draining      boolean       not null default false,
    started_at    timestamptz   not null,
    heartbeat_at  timestamptz   not null
);
grant select, insert, update, delete on executor_node to ${app_role};

-- Fair admission compares a run only with the waiting runs of its own pool: a GPU run waiting for a GPU node does not
-- hold back a CPU run of another company. The one-argument function looked for task 'run', which no longer exists.
drop function public.run_queue_another_tenant_goes_first(integer);

create function public.run_queue_another_tenant_goes_first(run_priority integer, run_pool text)
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
    lane text := 'run:' operator(pg_catalog.||) run_pool;
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
        where st.task_name operator(pg_catalog.=) lane
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

revoke all on function public.run_queue_another_tenant_goes_first(integer, text) from public;
grant execute on function public.run_queue_another_tenant_goes_first(integer, text) to ${app_role};
