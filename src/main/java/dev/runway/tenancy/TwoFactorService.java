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
    Throttle throttle;

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

    /**
     * Turns it off, with a current code or a recovery code; not while any of the user's companies requires it (the
     * next sign-in would have to set it up again). Attempts count against the same throttle as the sign-in code step,
     * so a borrowed session cannot guess its way through a million codes.
     */
    @Transactional
    public void disable(String code) {
        Actor actor = access.require(Permission.READ);
        @SuppressWarnings("unchecked")
        List<String> requiring = em.createNativeQuery("""
                        select t.name from membership m join tenant t on t.id = m.tenant_id
                        where m.user_id = :user and t.require_two_factor order by t.name""")
                .setParameter("user", actor.userId())
                .getResultList();
        if (!requiring.isEmpty()) {
            throw new BadInputException(null, String.join(", ", requiring)
                    + (requiring.size() == 1 ? " requires" : " require") + " two-factor sign-in, so it stays on");
        }
        throttle.attempt(List.of(Throttle.code(actor.userId())));
        if (!verify(actor.userId(), code)) {
            throw new BadInputException("code", WRONG_CODE);
        }
        throttle.succeeded(List.of(Throttle.code(actor.userId())), List.of());
        em.createQuery("delete from RecoveryCode c where c.userId = :user").setParameter("user", actor.userId())
                .executeUpdate();
        em.remove(em.find(UserTwoFactor.class, actor.userId()));
        audit.record("two_factor.disabled", em.find(AppUser.class, actor.userId()).getEmail(), null, null);
    }

    /**
     * {@link #begin} for the set-up step of a sign-in (the company requires two-factor and the user has none yet),
     * which like the code step must follow the password within {@link AuthService#CODE_STEP_VALIDITY}.
     */
    public Enrolment beginAtSignIn(AuthService.SignIn pending) {
        return TenantContext.runAs(setUpStep(pending).actor(), this::begin);
    }

    /** {@link #confirm} for the set-up step of a sign-in, within the same limit. */
    public List<String> confirmAtSignIn(AuthService.SignIn pending, String code) {
        return TenantContext.runAs(setUpStep(pending).actor(), () -> confirm(code));
    }

    private AuthService.SignIn setUpStep(AuthService.SignIn pending) {
        if (pending == null || pending.next() != AuthService.Next.SET_UP
                || clock.instant().isAfter(pending.passwordAt().plus(AuthService.CODE_STEP_VALIDITY))) {
            throw new BadInputException(null, "Please sign in again");
        }
        return pending;
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
        List<Long> unused = em.createQuery("""
                        select c.id from RecoveryCode c
                        where c.userId = :user and c.codeHash = :hash and c.usedAt is null""", Long.class)
                .setParameter("user", userId)
                .setParameter("hash", Tokens.sha256(normalised))
                .getResultList();
        // Spent by a conditional update: of two requests with the same code at once, the second waits for the
        // first's row lock, then finds used_at set and changes nothing.
        return !unused.isEmpty() && em.createQuery(
                        "update RecoveryCode c set c.usedAt = :at where c.id = :id and c.usedAt is null")
                .setParameter("at", clock.instant())
                .setParameter("id", unused.get(0))
                .executeUpdate() == 1;
    }

    /** The user's confirmed factor, or null. The transaction must act as {@code userId}. */
    @Transactional(Transactional.TxType.MANDATORY)
    UserTwoFactor find(long userId) {
        UserTwoFactor factor = em.find(UserTwoFactor.class, userId);
        return factor != null && factor.isEnabled() ? factor : null;
    }

    /**
     * Whether {@code code} is the TOTP code of a step (current or either side) after the last one used; the step is
     * then taken by a conditional update, so of two requests with the same code at once exactly one gets it (the
     * second waits for the first's row lock and then finds last_step moved on).
     */
    private boolean matchesTotp(UserTwoFactor factor, String code, Instant now) {
        String digits = code == null ? "" : code.replaceAll("\\s", "");
        if (!digits.matches("\\d{" + Totp.DIGITS + "}")) {
            return false;
        }
        long step = Totp.step(now);
        for (long s = step - 1; s <= step + 1; s++) {
            if (s > factor.getLastStep()
                    && Totp.code(Totp.unbase32(factor.getSecret()), s, Totp.DIGITS, "HmacSHA1").equals(digits)) {
                int taken = em.createQuery("""
                                update UserTwoFactor f set f.lastStep = :step
                                where f.userId = :user and f.lastStep < :step""")
                        .setParameter("step", s)
                        .setParameter("user", factor.getUserId())
                        .executeUpdate();
                if (taken != 1) {
                    return false;
                }
                // The managed entity follows, so that a later flush (confirm enables it) does not write the old step.
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
