-- A sign-in throttle row written with a clock ahead of the current one (the wall clock stepped back, a node's clock ran
-- fast) made every attempt of its key wait until the clock caught up: hours, for everyone behind one address. A wait
-- is now never longer than the key's longest: such a row starts again from now (its count stays).
create or replace function public.auth_throttle_attempt(keys varchar[], free_attempts integer[], max_seconds integer[],
                                             attempt_at timestamptz, decay_seconds integer)
    returns integer
    language plpgsql
    volatile
    security definer
    set search_path = pg_catalog, pg_temp
as $$
declare
    k integer;
    row_last timestamptz;
    row_next timestamptz;
    wait_seconds integer := 0;
    counted integer;
    fresh_after timestamptz := attempt_at operator(pg_catalog.-) pg_catalog.make_interval(secs => decay_seconds);
begin
    -- A key idle for decay_seconds counts as new: its row can go (the table stays as small as the last hour).
    delete from public.auth_throttle t where (t.last_at operator(pg_catalog.<) fresh_after);
    for k in select s.n from pg_catalog.generate_subscripts(keys, 1) as s(n) order by keys[s.n] loop
        insert into public.auth_throttle (throttle_key, attempts, last_at, next_at)
        values (keys[k], 0, attempt_at, attempt_at)
        on conflict (throttle_key) do nothing;
        select t.last_at, t.next_at into row_last, row_next
        from public.auth_throttle t where t.throttle_key operator(pg_catalog.=) keys[k]
        for update;
        if (row_next operator(pg_catalog.>) (attempt_at operator(pg_catalog.+)
                pg_catalog.make_interval(secs => max_seconds[k]::double precision))) then
            -- Written by a clock ahead of this one (the clock stepped back, or a node's ran fast): no real wait is
            -- longer than the key's longest, so the row's times start again from now; its count stays.
            update public.auth_throttle t set last_at = attempt_at, next_at = attempt_at
            where t.throttle_key operator(pg_catalog.=) keys[k];
            row_last := attempt_at;
            row_next := attempt_at;
        end if;
        if (row_last operator(pg_catalog.>) fresh_after) and (row_next operator(pg_catalog.>) attempt_at) then
            wait_seconds := greatest(wait_seconds, pg_catalog.ceil(pg_catalog.date_part('epoch',
                    (row_next operator(pg_catalog.-) attempt_at)))::integer);
        end if;
    end loop;
    if wait_seconds operator(pg_catalog.>) 0 then
        return wait_seconds;
    end if;
    for k in 1 .. pg_catalog.array_length(keys, 1) loop
        select case when (t.last_at operator(pg_catalog.<=) fresh_after) then 1
                    else (t.attempts operator(pg_catalog.+) 1) end
        into counted
        from public.auth_throttle t where t.throttle_key operator(pg_catalog.=) keys[k];
        update public.auth_throttle t
        set attempts = counted,
            last_at = attempt_at,
            next_at = case when (counted operator(pg_catalog.<=) free_attempts[k]) then attempt_at
                           else (attempt_at operator(pg_catalog.+) pg_catalog.make_interval(secs => least(
                               max_seconds[k]::double precision,
                               pg_catalog.power(2::double precision, ((counted operator(pg_catalog.-) free_attempts[k])
                                   operator(pg_catalog.-) 1)::double precision))))
                      end
        where t.throttle_key operator(pg_catalog.=) keys[k];
    end loop;
    return 0;
end
$$;
