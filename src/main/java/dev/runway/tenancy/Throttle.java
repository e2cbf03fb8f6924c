package dev.runway.tenancy;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Growing delays for sign-in, sign-up, invitation and code attempts, counted in PostgreSQL so that every console node
 * sees the same counts ({@code auth_throttle_attempt}, V10). A key may make {@code free} attempts, then waits 1, 2, 4,
 * … seconds between attempts, never longer than {@code maxWait}; a key's count starts over after an hour without
 * attempts. An account's password guesses are counted per account and client address: a stranger who types wrong
 * passwords for someone else's email, from as many addresses as they like, makes only themselves wait, while the
 * owner signs in from their own address at once. The client key alone catches a sprayer trying one password on many
 * emails. IPv6 clients are counted by their /64 network, which one subscriber usually holds whole.
 */
@ApplicationScoped
class Throttle {

    static final Duration DECAY = Duration.ofHours(1);

    /** One thing to count: a client address, an account, ... */
    record Key(String name, int free, Duration maxWait) {
        Key {
            // auth_throttle.throttle_key is varchar(300); a longer name (an absurd email) is cut, not refused.
            name = name.length() > 300 ? name.substring(0, 300) : name;
        }
    }

    /** Sign-in, code and invitation attempts from one client address (a sprayer trying many emails). */
    static Key client(String address) {
        return new Key("client:" + network(address), 10, Duration.ofMinutes(15));
    }

    /**
     * Sign-in attempts for one email address, known or not, from one client address (a guesser trying many passwords).
     * Not the account alone: a wait on the account would hold back its owner too, which a stranger could keep up.
     */
    static Key account(String email, String address) {
        return new Key("account:" + network(address) + ":" + normalise(email), 5, Duration.ofMinutes(15));
    }

    /** Second-step codes for one user, whose password was right. */
    static Key code(long userId) {
        return new Key("code:" + userId, 5, Duration.ofMinutes(15));
    }

    /** Sign-up requests from one client address: every request counts, each sends a mail. */
    static Key signUpClient(String address) {
        return new Key("signup:" + network(address), 5, Duration.ofHours(1));
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

    /**
     * The address a client is counted by: an IPv6 address as its /64 network (a subscriber gets a whole /64 and could
     * otherwise take a new address for every attempt), an IPv4-mapped IPv6 address as the IPv4 address, anything else
     * as it is.
     */
    static String network(String address) {
        String a = address == null ? "" : address.strip();
        if (a.startsWith("[") && a.endsWith("]")) {
            a = a.substring(1, a.length() - 1);
        }
        int zone = a.indexOf('%');
        if (zone >= 0) {
            a = a.substring(0, zone);
        }
        // Only a literal with a colon is parsed, so InetAddress never looks a name up.
        if (a.indexOf(':') < 0 || !a.matches("[0-9A-Fa-f:.]+")) {
            return normalise(a);
        }
        try {
            InetAddress ip = InetAddress.getByName(a);
            if (!(ip instanceof Inet6Address)) {
                return ip.getHostAddress();
            }
            byte[] b = ip.getAddress();
            StringBuilder net = new StringBuilder();
            for (int i = 0; i < 8; i += 2) {
                net.append(String.format("%x", ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff))).append(':');
            }
            return net.append(":/64").toString();
        } catch (UnknownHostException e) {
            return normalise(a);
        }
    }

    private static String normalise(String value) {
        String s = value == null || value.isBlank() ? "unknown" : value.strip().toLowerCase(Locale.ROOT);
        return s.length() > 250 ? s.substring(0, 250) : s;
    }
}
