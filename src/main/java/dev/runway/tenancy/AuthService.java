package dev.runway.tenancy;

import dev.runway.base.AccessDeniedException;
import dev.runway.base.BadInputException;
import dev.runway.base.NotFoundException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Sign-in in one or two steps (password, then a code when the user has two-factor sign-in), throttled per client
 * address and per account; the tenants a user belongs to, and switching between them.
 */
@ApplicationScoped
public class AuthService {

    static final String WRONG_CREDENTIALS = "Email or password is incorrect";
    /** How long the code step may follow the password step. */
    public static final Duration CODE_STEP_VALIDITY = Duration.ofMinutes(5);

    public record TenantChoice(long tenantId, String name, String slug, Role role) {}

    /** What the second step needs next. */
    public enum Next {
        /** Signed in. */
        DONE,
        /** A code from the authenticator app, or a recovery code. */
        CODE,
        /** The company requires two-factor sign-in and the user has none yet: set it up first. */
        SET_UP
    }

    /**
     * The result of the password step. Only {@link Next#DONE} signs the session in; otherwise the session keeps this
     * (not the actor) and no page or API call is reachable until {@link #completeWithCode} or the set-up.
     */
    public record SignIn(Actor actor, Next next, Instant passwordAt) {}

    @Inject
    EntityManager em;

    @Inject
    Passwords passwords;

    @Inject
    Users users;

    @Inject
    Throttle throttle;

    @Inject
    TwoFactorService twoFactor;

    @Inject
    Clock clock;

    /**
     * The password step. Unknown email and wrong password get the same message and take the same time; attempts
     * wait longer and longer per client address and per account and address (see {@link Throttle}), with the same
     * words for known and unknown emails. Holds no database connection while the password hash is checked.
     */
    @Transactional(Transactional.TxType.NEVER)
    public SignIn login(String email, String password, String clientAddress) {
        String address = email == null ? "" : email.strip().toLowerCase(Locale.ROOT);
        long userId = verify(address, password, clientAddress);
        return QuarkusTransaction.requiringNew().call(() -> firstStep(userId));
    }

    private SignIn firstStep(long userId) {
        users.actAs(userId);
        List<TenantChoice> tenants = tenantsOf(userId);
        if (tenants.isEmpty()) {
            throw new BadInputException(null,
                    "This account no longer belongs to any company. Ask an owner for a new invitation.");
        }
        boolean hasFactor = twoFactor.find(userId) != null;
        TenantChoice first = tenants.stream().filter(t -> hasFactor || !requiresTwoFactor(t.tenantId()))
                .findFirst().orElse(tenants.get(0));
        Actor actor = new Actor(userId, first.tenantId());
        Next next = hasFactor ? Next.CODE : requiresTwoFactor(first.tenantId()) ? Next.SET_UP : Next.DONE;
        return new SignIn(actor.withPasswordOnly(next == Next.DONE), next, clock.instant());
    }

    /**
     * What follows once someone proved who they are another way (a verified sign-up link, an invitation accepted
     * with their password): a user with two-factor sign-in still gives a code.
     */
    @Transactional
    public SignIn nextStep(Actor actor) {
        users.actAs(actor.userId());
        boolean hasFactor = twoFactor.find(actor.userId()) != null;
        Next next = hasFactor ? Next.CODE : requiresTwoFactor(actor.tenantId()) ? Next.SET_UP : Next.DONE;
        return new SignIn(actor.withPasswordOnly(next == Next.DONE), next, clock.instant());
    }

    /** The code step: a TOTP or recovery code for the user whose password was right moments ago. */
    @Transactional(Transactional.TxType.NEVER)
    public Actor completeWithCode(SignIn pending, String code, String clientAddress) {
        if (pending == null || pending.next() != Next.CODE
                || clock.instant().isAfter(pending.passwordAt().plus(CODE_STEP_VALIDITY))) {
            throw new BadInputException(null, "Please sign in again");
        }
        long userId = pending.actor().userId();
        List<Throttle.Key> keys = List.of(Throttle.client(clientAddress), Throttle.code(userId));
        throttle.attempt(keys);
        boolean right = QuarkusTransaction.requiringNew().call(() -> {
            users.actAs(userId);
            return twoFactor.verify(userId, code);
        });
        if (!right) {
            throw new BadInputException("code", TwoFactorService.WRONG_CODE);
        }
        throttle.succeeded(List.of(Throttle.code(userId)), List.of(Throttle.client(clientAddress)));
        return pending.actor();
    }

    /**
     * Checks the password of {@code email} (normalised) and counts the attempt. Each database step is a short
     * transaction of its own and the hash is checked between them, outside any: a flood of sign-ins holds no pool
     * connection while argon2 runs, and never waits for a second connection while holding a first.
     *
     * @return the user's id
     */
    @Transactional(Transactional.TxType.NEVER)
    long verify(String email, String password, String clientAddress) {
        Throttle.Key account = Throttle.account(email, clientAddress);
        throttle.attempt(List.of(Throttle.client(clientAddress), account));
        Optional<Users.Credentials> credentials = QuarkusTransaction.requiringNew()
                .call(() -> users.credentials(email));
        boolean ok;
        if (credentials.isEmpty()) {
            passwords.burnVerification(password);
            ok = false;
        } else {
            ok = passwords.matches(password, credentials.get().passwordHash());
        }
        if (!ok) {
            throw new BadInputException(null, WRONG_CREDENTIALS);
        }
        throttle.succeeded(List.of(account), List.of(Throttle.client(clientAddress)));
        return credentials.get().userId();
    }

    /** The signed-in user's companies, for the switcher in the header. */
    @Transactional
    public List<TenantChoice> myTenants() {
        return tenantsOf(signedIn().userId());
    }

    /**
     * The actor for another of the user's tenants; a tenant they do not belong to looks missing. A company that
     * requires two-factor sign-in is entered only by a user who has it.
     */
    @Transactional
    public Actor switchTenant(long tenantId) {
        Actor actor = signedIn();
        TenantChoice choice = tenantsOf(actor.userId()).stream()
                .filter(t -> t.tenantId() == tenantId)
                .findFirst()
                .orElseThrow(() -> new NotFoundException("Company"));
        if (requiresTwoFactor(tenantId) && (actor.passwordOnly() || twoFactor.find(actor.userId()) == null)) {
            throw new BadInputException(null, choice.name()
                    + " requires two-factor sign-in: turn it on under Settings first, then sign in with a code");
        }
        return new Actor(actor.userId(), choice.tenantId(), null, actor.passwordOnly());
    }

    @Transactional
    public AppUser currentUser() {
        return em.find(AppUser.class, signedIn().userId());
    }

    private Actor signedIn() {
        return TenantContext.current().orElseThrow(() -> new AccessDeniedException("Please sign in first"));
    }

    private boolean requiresTwoFactor(long tenantId) {
        return Boolean.TRUE.equals(em.createNativeQuery("select require_two_factor from tenant where id = :id")
                .setParameter("id", tenantId).getSingleResult());
    }

    /** Row-level security shows a user their own memberships in every tenant once app.user_id is set. */
    @SuppressWarnings("unchecked")
    private List<TenantChoice> tenantsOf(long userId) {
        users.actAs(userId);
        List<Object[]> rows = em.createNativeQuery("""
                        select t.id, t.name, t.slug, m.role from membership m join tenant t on t.id = m.tenant_id
                        where m.user_id = :user order by m.created_at, t.id""")
                .setParameter("user", userId)
                .getResultList();
        return rows.stream()
                .map(r -> new TenantChoice(((Number) r[0]).longValue(), (String) r[1], (String) r[2],
                        Role.valueOf((String) r[3])))
                .toList();
    }
}
