package dev.runway.tenancy;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Growing delays for sign-in, sign-up, invitation and code attempts, counted in PostgreSQL so that every console node
 * sees the same counts ({@code auth_throttle_attempt}, V10). A key may make {@code free} attempts, then waits 1, 2, 4,
 * … seconds between attempts, never longer than {@code maxWait}; a key's count starts over after an hour without
 * attempts. Nothing is ever locked for good: the longest wait of an account is a minute, so a stranger who types
 * wrong passwords for someone else's email can slow them down, never shut them out.
 */
@ApplicationScoped
class Throttle {

    static final Duration DECAY = Duration.ofHours(1);

    /** One thing to count: a client address, an account, ... */
    record Key(String name, int free, Duration maxWait) {}

    /** Sign-in, code and invitation attempts from one client address (a sprayer trying many emails). */
    static Key client(String address) {
        return new Key("client:" + normalise(address), 10, Duration.ofMinutes(15));
    }

    /** Sign-in attempts for one email address, known or not (a guesser trying many passwords). */
    static Key account(String email) {
        return new Key("account:" + normalise(email), 5, Duration.ofMinutes(1));
    }

    /** Second-step codes for one user, whose password was right. */
    static Key code(long userId) {
        return new Key("code:" + userId, 5, Duration.ofMinutes(15));
    }

    /** Sign-up requests from one client address: every request counts, each sends a mail. */
    static Key signUpClient(String address) {
        return new Key("signup:" + normalise(address), 5, Duration.ofHours(1));
    }

    /** Sign-up requests naming one email address: no mail-bombing of someone else's inbox. */
    static Key signUpEmail(String email) {
        return new Key("signup-email:" + normalise(email), 3, Duration.ofHours(1));
    }

    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    /**
     * Counts an attempt on every key, in a transaction of its own (so the count stays even when the attempt fails,
     * and no row stays locked while a password hash is checked).
     *
     * @throws LoginThrottledException when one of the keys must still wait; nothing is counted then
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    void attempt(List<Key> keys) {
        int wait = ((Number) em.createNativeQuery(
                        "select public.auth_throttle_attempt(cast(:keys as varchar[]), cast(:free as integer[]),"
                                + " cast(:max as integer[]), :at, :decay)")
                .setParameter("keys", keys.stream().map(Key::name).toArray(String[]::new))
                .setParameter("free", keys.stream().map(Key::free).toArray(Integer[]::new))
                .setParameter("max", keys.stream().map(k -> (int) k.maxWait().toSeconds()).toArray(Integer[]::new))
                .setParameter("at", clock.instant())
                .setParameter("decay", (int) DECAY.toSeconds())
                .getSingleResult()).intValue();
        if (wait > 0) {
            throw new LoginThrottledException(Duration.ofSeconds(wait));
        }
    }

    /** After a success: {@code reset} keys start over, {@code takeBack} keys forget this one attempt. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    void succeeded(List<Key> reset, List<Key> takeBack) {
        em.createNativeQuery("select public.auth_throttle_forgive(cast(:reset as varchar[]), cast(:back as varchar[]))")
                .setParameter("reset", reset.stream().map(Key::name).toArray(String[]::new))
                .setParameter("back", takeBack.stream().map(Key::name).toArray(String[]::new))
                .getSingleResult();
    }

    private static String normalise(String value) {
        String s = value == null || value.isBlank() ? "unknown" : value.strip().toLowerCase(Locale.ROOT);
        return s.length() > 250 ? s.substring(0, 250) : s;
    }
}
