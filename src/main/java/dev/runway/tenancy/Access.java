package dev.runway.tenancy;

import dev.runway.base.AccessDeniedException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.Optional;

/**
 * The permission check every service method starts with. The role is read from the membership on each check, so a
 * changed role or a removed member takes effect at the next click. A request made with an API key acts with the
 * key's role, capped by its creator's current role: the creator must still be a member, and a key never does more
 * than its creator may do now.
 */
@ApplicationScoped
public class Access {

    @Inject
    EntityManager em;

    /**
     * The actor, if their role in the current tenant holds {@code permission}; otherwise refused. A session that
     * signed in without a second factor is refused in a company that requires one.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Actor require(Permission permission) {
        Actor actor = TenantContext.current().orElseThrow(() -> new AccessDeniedException("Please sign in first"));
        Role role = roleOf(actor).orElseThrow(
                () -> new AccessDeniedException("You are not a member of this company any more"));
        if (lacksSecondFactor(actor)) {
            throw new AccessDeniedException("This company requires two-factor sign-in: sign in again with a code");
        }
        if (actor.keyRole() != null && !actor.keyRole().allows(permission)) {
            throw new AccessDeniedException("This API key's role (" + actor.keyRole().label()
                    + ") does not allow this");
        }
        if (!role.allows(permission)) {
            throw new AccessDeniedException("Your role (" + role.label() + ") does not allow this");
        }
        return actor;
    }

    /** For views deciding what to show; services still check. */
    @Transactional
    public boolean can(Permission permission) {
        return TenantContext.current()
                .filter(actor -> actor.keyRole() == null || actor.keyRole().allows(permission))
                .filter(actor -> !lacksSecondFactor(actor))
                .flatMap(this::roleOf).map(r -> r.allows(permission)).orElse(false);
    }

    /** The member's role in the current tenant (for an API key: its creator's role, not the key's). */
    @Transactional
    public Optional<Role> currentRole() {
        return TenantContext.current().flatMap(this::roleOf);
    }

    /**
     * Whether the current actor is a session signed in without a second factor in a company that requires one (the
     * owner may have required it after the session signed in). The route guard sends such a session to the code or
     * set-up step.
     */
    @Transactional
    public boolean secondFactorMissing() {
        return TenantContext.current().filter(this::lacksSecondFactor).isPresent();
    }

    private boolean lacksSecondFactor(Actor actor) {
        return actor.passwordOnly() && Boolean.TRUE.equals(em.createNativeQuery(
                        "select require_two_factor from tenant where id = :id")
                .setParameter("id", actor.tenantId()).getResultStream().findFirst().orElse(false));
    }

    /**
     * Names the tenant itself: row-level security also shows a user's own memberships in every other tenant, and a
     * scalar query loads no entity for the {@link TenantGuard} to check.
     */
    private Optional<Role> roleOf(Actor actor) {
        return em.createQuery("select m.role from Membership m where m.user.id = :user and m.tenantId = :tenant",
                        Role.class)
                .setParameter("user", actor.userId())
                .setParameter("tenant", actor.tenantId())
                .getResultStream()
                .findFirst();
    }
}
