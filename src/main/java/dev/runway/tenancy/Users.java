package dev.runway.tenancy;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The only ways to reach {@code app_user} beyond what row-level security shows (V10): the credentials of one email,
 * and creating a user. Both are {@code SECURITY DEFINER} functions; the application role can read neither the
 * table's hashes nor other tenants' users.
 */
@ApplicationScoped
class Users {

    record Credentials(long userId, String passwordHash) {}

    @Inject
    EntityManager em;

    /** The account behind {@code email} (normalised), for checking a password. */
    @Transactional(Transactional.TxType.MANDATORY)
    @SuppressWarnings("unchecked")
    Optional<Credentials> credentials(String email) {
        List<Object[]> rows = em.createNativeQuery("select id, password_hash from public.auth_user_by_email(:email)")
                .setParameter("email", email)
                .getResultList();
        return rows.stream().findFirst()
                .map(r -> new Credentials(((Number) r[0]).longValue(), (String) r[1]));
    }

    @Transactional(Transactional.TxType.MANDATORY)
    boolean exists(String email) {
        return credentials(email).isPresent();
    }

    /** Creates the user and lets this transaction act as them, so that the new row can be read back. */
    @Transactional(Transactional.TxType.MANDATORY)
    AppUser create(String email, String displayName, String passwordHash, Instant now) {
        long id = ((Number) em.createNativeQuery("select public.app_user_create(:email, :name, :hash, :at)")
                .setParameter("email", email)
                .setParameter("name", displayName)
                .setParameter("hash", passwordHash)
                .setParameter("at", now)
                .getSingleResult()).longValue();
        return actAs(id);
    }

    /**
     * Records that {@code userId} proved their email by using a link mailed to it (the first proof counts). Only a
     * user with a proven email can be a platform operator ({@link Operators}).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    void emailVerified(long userId, Instant at) {
        em.createNativeQuery("select public.app_user_email_verified(:user, :at)")
                .setParameter("user", userId)
                .setParameter("at", at)
                .getSingleResult();
    }

    /**
     * Lets this transaction read the user's own rows (their {@code app_user} row, memberships in every tenant,
     * two-factor settings): for sign-in after the password was checked, and for a user just created.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    AppUser actAs(long userId) {
        em.createNativeQuery("select set_config('app.user_id', cast(:user as text), true)")
                .setParameter("user", userId)
                .getSingleResult();
        return em.find(AppUser.class, userId);
    }
}
