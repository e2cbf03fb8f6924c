-- Platform operators (runway.operators) are named by email, so the email must be proven: a user whose address was
-- confirmed through a link mailed to it (sign-up) has email_verified_at. Accepting an invitation does not prove the
-- address: the inviter sees the invitation link, so whoever can invite could otherwise create an account for an
-- operator's email and open the operator's view (docs/deploy.md, "Operator's view").
alter table public.app_user add column email_verified_at timestamptz;
grant select (email_verified_at) on public.app_user to ${app_role};

-- Before this release only a confirmed sign-up created a company together with its first owner, in one transaction
-- at one instant: those owners proved their address. Users who joined by invitation did not.
update public.app_user u set email_verified_at = u.created_at
where exists (select 1
              from public.tenant t
              join public.membership m on m.tenant_id = t.id
              where m.user_id = u.id and m.role = 'OWNER' and t.created_at = u.created_at);

-- The application records a proof when a mailed link is used (SignUpService.confirm); it cannot otherwise write
-- app_user (V10).
create function public.app_user_email_verified(verified_user_id bigint, verified_at timestamptz)
    returns void
    language sql
    volatile
    security definer
    set search_path = pg_catalog, pg_temp
as $$
    update public.app_user
    set email_verified_at = verified_at
    where id operator(pg_catalog.=) verified_user_id and email_verified_at is null
$$;

revoke all on function public.app_user_email_verified(bigint, timestamptz) from public;
grant execute on function public.app_user_email_verified(bigint, timestamptz) to ${app_role};
