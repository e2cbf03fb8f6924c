package dev.runway.tenancy;

import dev.runway.base.AccessDeniedException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.Optional;

/**
 * The permission check every service method starts with. The role is read from the membership on each check, so a
 * changed role or a removed member takes effect at the next click.
 */
@ApplicationScoped
public class Access {

    @Inject
    EntityManager em;

    /** The actor, if their role in the current tenant holds {@code permission}; otherwise refused. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Actor require(Permission permission) {
        Actor actor = TenantContext.current().orElseThrow(() -> new AccessDeniedException("Please sign in first"));
        Role role = roleOf(actor).orElseThrow(
                () -> new AccessDeniedException("You are not a member of this company any more"));
        if (!role.allows(permission)) {
            throw new AccessDeniedException("Your role (" + role.label() + ") does not allow this");
        }
        return actor;
    }

    /** For views deciding what to show; services still check. */
    @Transactional
    public boolean can(Permission permission) {
        return TenantContext.current().flatMap(this::roleOf).map(r -> r.allows(permission)).orElse(false);
    }

    @Transactional
    public Optional<Role> currentRole() {
        return TenantContext.current().flatMap(this::roleOf);
    }

    private Optional<Role> roleOf(Actor actor) {
        return em.createQuery("select m.role from Membership m where m.user.id = :user", Role.class)
                .setParameter("user", actor.userId())
                .getResultStream()
                .findFirst();
    }
}
