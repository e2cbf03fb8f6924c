package dev.runway.tenancy;

import dev.runway.base.AccessDeniedException;
import dev.runway.base.BadInputException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Two-factor sign-in: a member turns on a TOTP authenticator (confirmed by a first code) and receives one-time
 * recovery codes; an owner may require it for the whole company. {@link AuthService} asks for a code after the
 * password.
 */
@ApplicationScoped
public class TwoFactorService {

    public static final int RECOVERY_CODES = 10;
    static final String WRONG_CODE = "That code is not right. Use the current code of your authenticator app, or a "
            + "recovery code.";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What the set-up step shows: the secret to type into an app, and the same as an otpauth link. */
    public record Enrolment(String secret, String uri) {}

    @Inject
    EntityManager em;

    @Inject
    Access access;

    @Inject
    AuditLog audit;

    @Inject
    Clock clock;

    /** Whether the signed-in user signs in with a code. */
    @Transactional
    public boolean enabled() {
        return find(access.require(Permission.READ).userId()) != null;
    }

    @Transactional
    public long recoveryCodesLeft() {
        long user = access.require(Permission.READ).userId();
        return em.createQuery("select count(c) from RecoveryCode c where c.userId = :user and c.usedAt is null",
                Long.class).setParameter("user", user).getSingleResult();
    }

    /** Starts (or starts over) setting up an authenticator; nothing changes at sign-in until {@link #confirm}. */
    @Transactional
    public Enrolment begin() {
        Actor actor = access.require(Permission.READ);
        UserTwoFactor existing = em.find(UserTwoFactor.class, actor.userId());
        if (existing != null && existing.isEnabled()) {
            throw new BadInputException(null, "Two-factor sign-in is already on");
        }
        if (existing != null) {
            em.remove(existing);
            em.flush();
        }
        String secret = Totp.newSecret();
        em.persist(new UserTwoFactor(actor.userId(), secret, clock.instant()));
        AppUser me = em.find(AppUser.class, actor.userId());
        return new Enrolment(secret, Totp.uri(secret, me.getEmail(), "Runway"));
    }

    /**
     * Turns two-factor sign-in on once {@code code} shows the app has the secret.
     *
     * @return the recovery codes, shown once
     */
    @Transactional
    public List<String> confirm(String code) {
        Actor actor = access.require(Permission.READ);
        UserTwoFactor factor = em.find(UserTwoFactor.class, actor.userId());
        if (factor == null || factor.isEnabled()) {
            throw new BadInputException("code", "Start the set-up again");
        }
        if (!matchesTotp(factor, code, clock.instant())) {
            throw new BadInputException("code", "That code is not right. Type the 6 digits your app shows now.");
        }
        factor.enable(clock.instant());
        audit.record("two_factor.enabled", em.find(AppUser.class, actor.userId()).getEmail(), null, null);
        return newRecoveryCodes(actor.userId());
    }

    /** Turns it off, with a current code; not while the company requires it. */
    @Transactional
    public void disable(String code) {
        Actor actor = access.require(Permission.READ);
        if (em.find(Tenant.class, actor.tenantId()).isRequireTwoFactor()) {
            throw new BadInputException(null, "This company requires two-factor sign-in");
        }
        if (!verify(actor.userId(), code)) {
            throw new BadInputException("code", WRONG_CODE);
        }
        em.createQuery("delete from RecoveryCode c where c.userId = :user").setParameter("user", actor.userId())
                .executeUpdate();
        em.remove(em.find(UserTwoFactor.class, actor.userId()));
        audit.record("two_factor.disabled", em.find(AppUser.class, actor.userId()).getEmail(), null, null);
    }

    /** Whether the current company requires two-factor sign-in of every member. */
    @Transactional
    public boolean requiredHere() {
        return em.find(Tenant.class, access.require(Permission.READ).tenantId()).isRequireTwoFactor();
    }

    /** An owner requires (or stops requiring) two-factor sign-in for everyone in the company. */
    @Transactional
    public void requireForCompany(boolean required) {
        Actor actor = access.require(Permission.MANAGE_SETTINGS);
        if (access.currentRole().orElse(null) != Role.OWNER) {
            throw new AccessDeniedException("Only an owner may require two-factor sign-in");
        }
        if (required && find(actor.userId()) == null) {
            throw new BadInputException(null, "Turn on two-factor sign-in for yourself first");
        }
        Tenant tenant = em.find(Tenant.class, actor.tenantId());
        if (tenant.isRequireTwoFactor() != required) {
            tenant.setRequireTwoFactor(required);
            audit.record("tenant.two_factor_required", tenant.getSlug(), Boolean.toString(!required),
                    Boolean.toString(required));
        }
    }

    /**
     * Checks a TOTP code (the current step or one either side, never a step already used) or an unused recovery
     * code, which is then spent. The transaction must act as {@code userId} (row-level security).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    boolean verify(long userId, String code) {
        UserTwoFactor factor = find(userId);
        if (factor == null || code == null) {
            return false;
        }
        if (matchesTotp(factor, code, clock.instant())) {
            return true;
        }
        String normalised = code.replaceAll("[\\s-]", "").toLowerCase(Locale.ROOT);
        List<RecoveryCode> unused = em.createQuery("""
                        select c from RecoveryCode c
                        where c.userId = :user and c.codeHash = :hash and c.usedAt is null""", RecoveryCode.class)
                .setParameter("user", userId)
                .setParameter("hash", Tokens.sha256(normalised))
                .getResultList();
        if (unused.isEmpty()) {
            return false;
        }
        unused.get(0).use(clock.instant());
        return true;
    }

    /** The user's confirmed factor, or null. The transaction must act as {@code userId}. */
    @Transactional(Transactional.TxType.MANDATORY)
    UserTwoFactor find(long userId) {
        UserTwoFactor factor = em.find(UserTwoFactor.class, userId);
        return factor != null && factor.isEnabled() ? factor : null;
    }

    private static boolean matchesTotp(UserTwoFactor factor, String code, Instant now) {
        String digits = code == null ? "" : code.replaceAll("\\s", "");
        if (!digits.matches("\\d{" + Totp.DIGITS + "}")) {
            return false;
        }
        long step = Totp.step(now);
        for (long s = step - 1; s <= step + 1; s++) {
            if (s > factor.getLastStep()
                    && Totp.code(Totp.unbase32(factor.getSecret()), s, Totp.DIGITS, "HmacSHA1").equals(digits)) {
                factor.used(s);
                return true;
            }
        }
        return false;
    }

    private List<String> newRecoveryCodes(long userId) {
        em.createQuery("delete from RecoveryCode c where c.userId = :user").setParameter("user", userId)
                .executeUpdate();
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < RECOVERY_CODES; i++) {
            byte[] bytes = new byte[5];
            RANDOM.nextBytes(bytes);
            String code = Totp.base32(bytes).toLowerCase(Locale.ROOT); // 8 characters, 40 bits
            em.persist(new RecoveryCode(userId, Tokens.sha256(code)));
            codes.add(code.substring(0, 4) + "-" + code.substring(4));
        }
        return codes;
    }
}
