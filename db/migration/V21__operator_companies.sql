-- The operator's view (docs/deploy.md, "Operator's view"): every company with its plan, its usage this month in money,
-- its running and queued runs and its members. The application role sees one tenant at a time under row-level
-- security, so these figures come from one SECURITY DEFINER function owned by runway_owner. The application calls it
-- only for a platform operator (runway.operators, checked by training/Cluster); what it exposes to the application role
-- is listed in docs/tenancy.md.

-- FORCE applies policies to the owner too: the function reads through policies for the owner role alone (current_user
-- here, as in V8 and V9), of which the application role is not a member.
create policy tenant_plan_owner_read on tenant_plan for select to current_user using (true);
create policy usage_event_owner_read on usage_event for select to current_user using (true);
create policy budget_settings_owner_read on budget_settings for select to current_user using (true);
create policy run_owner_read on run for select to current_user using (true);
create policy membership_owner_read on membership for select to current_user using (true);

-- Usage this month is what the month's draft invoice would say before credits (InvoiceService.rate): the usage
-- recorded in the month (UTC), each event rated by the price list in force at the start of its window, one line per
-- project, resource and price list, each line rounded HALF_UP to cents once, in the currency the company is billed
-- in (its book currency where Runway has prices in it, else USD). The divisor carries 20 decimals so that the
-- quotient is exact to far more places than the 10 the Java rating rounds to first; CompaniesTest compares the two.
create function public.operator_companies(as_of timestamptz)
    returns table (tenant_id bigint, name varchar, plan varchar, currency char(3), usage_this_month numeric,
                   running_runs bigint, queued_runs bigint, members bigint)
    language sql
    stable
    security definer
    set search_path = pg_catalog, pg_temp
as $$
    with month as (
        select pg_catalog.date_trunc('month', as_of, 'UTC') as month_start,
               pg_catalog.date_trunc('month', as_of, 'UTC') operator(pg_catalog.+) '1 month'::pg_catalog.interval
                   as month_end
    ),
    company as (
        select t.id, t.name,
               case when exists (select 1 from public.price_list l
                                 where l.currency operator(pg_catalog.=) b.currency)
                    then b.currency else 'USD'::pg_catalog.bpchar end as currency
        from public.tenant t
        left join public.budget_settings b on b.tenant_id operator(pg_catalog.=) t.id
    ),
    line as (
        select e.tenant_id,
               pg_catalog.round(pg_catalog.round(
                   pg_catalog.sum(e.quantity)
                   operator(pg_catalog.*) (case when e.resource operator(pg_catalog.=) 'GPU' then coalesce(pl.gpu_hour, 0)
                                         when e.resource operator(pg_catalog.=) 'CPU' then pl.cpu_hour
                                         else pl.gb_month end)
                   operator(pg_catalog./) (case when e.resource operator(pg_catalog.=) 'STORAGE' then 730 else 3600 end)
                       ::pg_catalog.numeric(30, 20), 10), 2) as amount
        from public.usage_event e
        cross join month m
        join company c on c.id operator(pg_catalog.=) e.tenant_id
        cross join lateral (
            select coalesce((select tp.plan from public.tenant_plan tp
                             where tp.tenant_id operator(pg_catalog.=) e.tenant_id
                               and tp.effective_from operator(pg_catalog.<=) e.window_start
                             order by tp.effective_from desc limit 1), 'FREE') as plan
        ) p
        cross join lateral (
            select coalesce(
                (select l.id from public.price_list l
                 where l.plan operator(pg_catalog.=) p.plan and l.currency operator(pg_catalog.=) c.currency
                   and l.effective_from operator(pg_catalog.<=) e.window_start
                 order by l.effective_from desc, l.version desc limit 1),
                -- Usage before the first price list is rated by the first (PlanService.priceList).
                (select l.id from public.price_list l
                 where l.plan operator(pg_catalog.=) p.plan and l.currency operator(pg_catalog.=) c.currency
                 order by l.effective_from, l.version limit 1)) as id
        ) pick
        join public.price_list pl on pl.id operator(pg_catalog.=) pick.id
        where e.recorded_at operator(pg_catalog.>=) m.month_start and e.recorded_at operator(pg_catalog.<) m.month_end
        group by e.tenant_id, e.project_id, e.resource, pl.id
    )
    select c.id, c.name,
           coalesce((select tp.plan from public.tenant_plan tp
                     where tp.tenant_id operator(pg_catalog.=) c.id
                       and tp.effective_from operator(pg_catalog.<=) as_of
                     order by tp.effective_from desc limit 1), 'FREE')::pg_catalog.varchar,
           c.currency,
           coalesce((select pg_catalog.sum(l.amount) from line l where l.tenant_id operator(pg_catalog.=) c.id), 0),
           (select pg_catalog.count(*) from public.run r
            where r.tenant_id operator(pg_catalog.=) c.id and r.status operator(pg_catalog.=) 'RUNNING'),
           (select pg_catalog.count(*) from public.run r
            where r.tenant_id operator(pg_catalog.=) c.id and r.status operator(pg_catalog.=) 'QUEUED'),
           (select pg_catalog.count(*) from public.membership ms where ms.tenant_id operator(pg_catalog.=) c.id)
    from company c
    order by c.name, c.id
$$;

revoke all on function public.operator_companies(timestamptz) from public;
grant execute on function public.operator_companies(timestamptz) to ${app_role};
