package dev.runway.tenancy;

import dev.runway.base.BadInputException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;

/** The transactions behind sign-up (see {@link SignUpService}). */
@ApplicationScoped
class TenantRegistry {

    @Inject
    EntityManager em;

    @Inject
    AuditLog audit;

    @Inject
    Clock clock;

    @Transactional
    void checkFree(String slug, String email) {
        Long slugs = em.createQuery("select count(t) from Tenant t where t.slug = :slug", Long.class)
                .setParameter("slug", slug).getSingleResult();
        if (slugs > 0) {
            throw new BadInputException("slug", "The URL name “" + slug + "” is taken; choose another");
        }
        Long emails = em.createQuery("select count(u) from AppUser u where u.email = :email", Long.class)
                .setParameter("email", email).getSingleResult();
        if (emails > 0) {
            throw new BadInputException("email",
                    "An account with this email already exists: sign in, or ask your team for an invitation");
        }
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    long reserveTenantId() {
        return ((Number) em.createNativeQuery("select nextval('tenant_id_seq')").getSingleResult()).longValue();
    }

    /** Runs as the reserved tenant. */
    @Transactional
    Actor create(long tenantId, String company, String slug, String name, String email, String passwordHash) {
        Instant now = clock.instant();
        em.persist(new Tenant(tenantId, company, slug, now));
        AppUser owner = new AppUser(email, name, passwordHash, now);
        em.persist(owner);
        em.persist(new Membership(owner, Role.OWNER, now));
        audit.record(owner, "tenant.created", company, null, slug);
        audit.record(owner, "member.added", email, null, Role.OWNER.name());
        em.flush();
        return new Actor(owner.getId(), tenantId);
    }
}
