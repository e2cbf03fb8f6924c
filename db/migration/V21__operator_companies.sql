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

-- The month's usage is found by when it was recorded (as invoices find it); the ledger keeps every month.
create index usage_event_recorded_idx on usage_event (recorded_at);

-- Usage this month is what the month's draft invoice would say before credits (InvoiceService.rate): the usage
-- recorded in the month (UTC), each event rated by the price list in force at the start of its window, one line per
-- project, resource and price list, each line rounded HALF_UP to cents once, in the currency the company is billed
-- in (its book currency where Runway has prices in it, else USD). The divisor carries 20 decimals so that the
-- quotient is exact to far more places than the 10 the Java rating rounds to first; ClusterTest compares the two.
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
    -- Which plan a company is on from when to when: each tenant_plan row until the next; before the first, Free.
    plan_span as (
        select tp.tenant_id, tp.plan, tp.effective_from as span_start,
               coalesce(pg_catalog.lead(tp.effective_from)
                            over (partition by tp.tenant_id order by tp.effective_from),
                        'infinity'::pg_catalog.timestamptz) as span_end
        from public.tenant_plan tp
        union all
        select t.id, 'FREE'::pg_catalog.varchar, '-infinity'::pg_catalog.timestamptz,
               coalesce((select pg_catalog.min(tp.effective_from) from public.tenant_plan tp
                         where tp.tenant_id operator(pg_catalog.=) t.id), 'infinity'::pg_catalog.timestamptz)
        from public.tenant t
    ),
    -- Which price list rates a plan's usage in a currency from when to when (PlanService.priceList): each version
    -- until the next (the higher version where two start together); usage before the first is rated by the first.
    price_span as (
        select l.id, l.plan, l.currency, l.gpu_hour, l.cpu_hour, l.gb_month,
               case when pg_catalog.row_number()
                             over (partition by l.plan, l.currency order by l.effective_from, l.version)
                         operator(pg_catalog.=) 1
                    then '-infinity'::pg_catalog.timestamptz else l.effective_from end as span_start,
               coalesce(pg_catalog.lead(l.effective_from)
                            over (partition by l.plan, l.currency order by l.effective_from, l.version),
                        'infinity'::pg_catalog.timestamptz) as span_end
        from public.price_list l
    ),
    line as materialized (
        select e.tenant_id,
               pg_catalog.round(pg_catalog.round(
                   pg_catalog.sum(e.quantity)
                   operator(pg_catalog.*) (case when e.resource operator(pg_catalog.=) 'GPU'
                                                    then coalesce(pl.gpu_hour, 0)
                                                when e.resource operator(pg_catalog.=) 'CPU' then pl.cpu_hour
                                                else pl.gb_month end)
                   operator(pg_catalog./) (case when e.resource operator(pg_catalog.=) 'STORAGE' then 730
                                                else 3600 end)::pg_catalog.numeric(30, 20),
                   10), 2) as amount
        from public.usage_event e
        cross join month m
        join company c on c.id operator(pg_catalog.=) e.tenant_id
        join plan_span ps on ps.tenant_id operator(pg_catalog.=) e.tenant_id
                         and e.window_start operator(pg_catalog.>=) ps.span_start
                         and e.window_start operator(pg_catalog.<) ps.span_end
        join price_span pl on pl.plan operator(pg_catalog.=) ps.plan
                          and pl.currency operator(pg_catalog.=) c.currency
                          and e.window_start operator(pg_catalog.>=) pl.span_start
                          and e.window_start operator(pg_catalog.<) pl.span_end
        where e.recorded_at operator(pg_catalog.>=) m.month_start and e.recorded_at operator(pg_catalog.<) m.month_end
        group by e.tenant_id, e.project_id, e.resource, pl.id, pl.gpu_hour, pl.cpu_hour, pl.gb_month
    ),
    usage as (
        select l.tenant_id, pg_catalog.sum(l.amount) as amount from line l group by l.tenant_id
    )
    select c.id, c.name,
           ps.plan,
           c.currency,
           coalesce(u.amount, 0),
           (select pg_catalog.count(*) from public.run r
            where r.tenant_id operator(pg_catalog.=) c.id and r.status operator(pg_catalog.=) 'RUNNING'),
           (select pg_catalog.count(*) from public.run r
            where r.tenant_id operator(pg_catalog.=) c.id and r.status operator(pg_catalog.=) 'QUEUED'),
           (select pg_catalog.count(*) from public.membership ms where ms.tenant_id operator(pg_catalog.=) c.id)
    from company c
    join plan_span ps on ps.tenant_id operator(pg_catalog.=) c.id
                     and as_of operator(pg_catalog.>=) ps.span_start and as_of operator(pg_catalog.<) ps.span_end
    left join usage u on u.tenant_id operator(pg_catalog.=) c.id
    order by c.name, c.id
$$;

revoke all on function public.operator_companies(timestamptz) from public;
grant execute on function public.operator_companies(timestamptz) to ${app_role};
