package dev.runway.tenancy;

import dev.runway.base.BadInputException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** The transactions behind sign-up (see {@link SignUpService}). */
@ApplicationScoped
class TenantRegistry {

    /** A verified sign-up; the password hash is added once the link's holder chose one. */
    record Request(String company, String slug, String name, String email, String passwordHash) {

        Request withPasswordHash(String hash) {
            return new Request(company, slug, name, email, hash);
        }
    }

    @Inject
    EntityManager em;

    @Inject
    AuditLog audit;

    @Inject
    Users users;

    @Inject
    Clock clock;

    @Transactional
    void checkSlugFree(String slug) {
        Long slugs = em.createQuery("select count(t) from Tenant t where t.slug = :slug", Long.class)
                .setParameter("slug", slug).getSingleResult();
        if (slugs > 0) {
            throw new BadInputException("slug", "The URL name “" + slug + "” is taken; choose another");
        }
    }

    @Transactional
    boolean emailTaken(String email) {
        return users.exists(email);
    }

    @Transactional
    void saveRequest(String tokenHash, String company, String slug, String name, String email, String passwordHash,
            Instant now, Instant expiresAt) {
        em.createNativeQuery("select public.sign_up_request_create(:token, :company, :slug, :name, :email, :hash, "
                        + ":at, :expires)")
                .setParameter("token", tokenHash)
                .setParameter("company", company)
                .setParameter("slug", slug)
                .setParameter("name", name)
                .setParameter("email", email)
                .setParameter("hash", passwordHash)
                .setParameter("at", now)
                .setParameter("expires", expiresAt)
                .getSingleResult();
    }

    /**
     * The request behind a token, marked used, once {@code check} accepts it; empty for an unknown, used or expired
     * one. When {@code check} throws, the request stays unused (the transaction rolls back).
     */
    @Transactional
    @SuppressWarnings("unchecked")
    Optional<Request> takeRequest(String tokenHash, Consumer<Request> check) {
        List<Object[]> rows = em.createNativeQuery("""
                        select company_name, slug, display_name, email
                        from public.sign_up_request_take(:token, :at)""")
                .setParameter("token", tokenHash)
                .setParameter("at", clock.instant())
                .getResultList();
        Optional<Request> request = rows.stream().findFirst().map(r -> new Request((String) r[0], (String) r[1],
                (String) r[2], (String) r[3], null));
        request.ifPresent(check);
        return request;
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    long reserveTenantId() {
        return ((Number) em.createNativeQuery("select nextval('tenant_id_seq')").getSingleResult()).longValue();
    }

    /** Runs as the reserved tenant. */
    @Transactional
    Actor create(long tenantId, Request request) {
        Instant now = clock.instant();
        em.persist(new Tenant(tenantId, request.company(), request.slug(), now));
        em.flush();
        AppUser owner = users.create(request.email(), request.name(), request.passwordHash(), now);
        // The sign-up link was mailed to this address: whoever used it reads that mailbox.
        users.emailVerified(owner.getId(), now);
        em.persist(new Membership(owner, Role.OWNER, now));
        audit.record(owner, "tenant.created", request.company(), null, request.slug());
        audit.record(owner, "member.added", request.email(), null, Role.OWNER.name());
        em.flush();
        return new Actor(owner.getId(), tenantId);
    }
}
