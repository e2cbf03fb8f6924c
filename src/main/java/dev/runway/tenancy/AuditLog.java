package dev.runway.tenancy;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.List;

/** Writes and reads the tenant's audit log. Every change a service makes records one event in its transaction. */
@ApplicationScoped
public class AuditLog {

    public static final int PAGE = 500;

    @Inject
    EntityManager em;

    @Inject
    Access access;

    @Inject
    Clock clock;

    /** Records a change by the current actor. {@code before} and {@code after} may be null. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void record(String kind, String subject, String before, String after) {
        Actor actor = TenantContext.current().orElseThrow();
        record(em.find(AppUser.class, actor.userId()), kind, subject, before, after);
    }

    /** Records a change by {@code actor}, for flows where the actor is not signed in yet (sign-up, invitations). */
    @Transactional(Transactional.TxType.MANDATORY)
    void record(AppUser actor, String kind, String subject, String before, String after) {
        em.persist(new AuditEvent(actor == null ? null : actor.getId(), actor == null ? "system" : actor.getEmail(),
                kind, clip(subject, 254), clip(before, 1000), clip(after, 1000), clock.instant()));
    }

    /** Newest first; blank filters match everything. */
    @Transactional
    public List<AuditEvent> list(String actorEmail, String kind) {
        access.require(Permission.READ_AUDIT);
        return em.createQuery("""
                        select e from AuditEvent e
                        where (:actor = '' or lower(e.actorEmail) like :actorPattern)
                          and (:kind = '' or e.kind = :kind)
                        order by e.occurredAt desc, e.id desc""", AuditEvent.class)
                .setParameter("actor", blankToEmpty(actorEmail))
                .setParameter("actorPattern", "%" + blankToEmpty(actorEmail).toLowerCase() + "%")
                .setParameter("kind", blankToEmpty(kind))
                .setMaxResults(PAGE)
                .getResultList();
    }

    @Transactional
    public List<String> kinds() {
        access.require(Permission.READ_AUDIT);
        return em.createQuery("select distinct e.kind from AuditEvent e order by e.kind", String.class)
                .getResultList();
    }

    @Transactional
    public long count() {
        access.require(Permission.READ);
        return em.createQuery("select count(e) from AuditEvent e", Long.class).getSingleResult();
    }

    private static String blankToEmpty(String s) {
        return s == null ? "" : s.strip();
    }

    private static String clip(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
