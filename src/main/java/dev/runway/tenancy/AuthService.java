package dev.runway.tenancy;

import dev.runway.base.AccessDeniedException;
import dev.runway.base.BadInputException;
import dev.runway.base.NotFoundException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** Sign-in with throttling, the tenants a user belongs to, and switching between them. */
@ApplicationScoped
public class AuthService {

    public static final int MAX_FAILURES = 5;
    public static final Duration FAILURE_WINDOW = Duration.ofMinutes(15);
    static final String WRONG_CREDENTIALS = "Email or password is incorrect";

    public record TenantChoice(long tenantId, String name, String slug, Role role) {}

    @Inject
    EntityManager em;

    @Inject
    Passwords passwords;

    @Inject
    Clock clock;

    /**
     * Checks the credentials. Unknown email and wrong password get the same message and take the same time; after
     * {@value #MAX_FAILURES} failures within 15 minutes further attempts wait.
     *
     * @return the actor for the user's first tenant
     */
    @Transactional(dontRollbackOn = BadInputException.class)
    public Actor login(String email, String password) {
        String address = email == null ? "" : email.strip().toLowerCase(Locale.ROOT);
        AppUser user = verify(address, password);
        List<TenantChoice> tenants = tenantsOf(user.getId());
        if (tenants.isEmpty()) {
            throw new BadInputException(null,
                    "This account no longer belongs to any company. Ask an owner for a new invitation.");
        }
        return new Actor(user.getId(), tenants.get(0).tenantId());
    }

    /** The user behind {@code email} if the password matches; counts failures and enforces the wait. */
    @Transactional(value = Transactional.TxType.MANDATORY, dontRollbackOn = BadInputException.class)
    AppUser verify(String email, String password) {
        Instant now = clock.instant();
        List<Instant> recent = em.createQuery("""
                        select f.attemptedAt from LoginFailure f
                        where f.email = :email and f.attemptedAt > :since
                        order by f.attemptedAt desc""", Instant.class)
                .setParameter("email", email)
                .setParameter("since", now.minus(FAILURE_WINDOW))
                .setMaxResults(MAX_FAILURES)
                .getResultList();
        if (recent.size() >= MAX_FAILURES) {
            throw new LoginThrottledException(Duration.between(now, recent.get(MAX_FAILURES - 1).plus(FAILURE_WINDOW)));
        }
        AppUser user = findUser(email);
        boolean ok;
        if (user == null) {
            passwords.burnVerification(password);
            ok = false;
        } else {
            ok = passwords.matches(password, user.getPasswordHash());
        }
        if (!ok) {
            em.persist(new LoginFailure(email, now));
            throw new BadInputException(null, WRONG_CREDENTIALS);
        }
        em.createQuery("delete from LoginFailure f where f.email = :email").setParameter("email", email)
                .executeUpdate();
        return user;
    }

    AppUser findUser(String email) {
        return em.createQuery("select u from AppUser u where u.email = :email", AppUser.class)
                .setParameter("email", email)
                .getResultStream()
                .findFirst()
                .orElse(null);
    }

    /** The signed-in user's companies, for the switcher in the header. */
    @Transactional
    public List<TenantChoice> myTenants() {
        return tenantsOf(signedIn().userId());
    }

    /** The actor for another of the user's tenants; a tenant they do not belong to looks missing. */
    @Transactional
    public Actor switchTenant(long tenantId) {
        Actor actor = signedIn();
        return tenantsOf(actor.userId()).stream()
                .filter(t -> t.tenantId() == tenantId)
                .findFirst()
                .map(t -> new Actor(actor.userId(), t.tenantId()))
                .orElseThrow(() -> new NotFoundException("Company"));
    }

    @Transactional
    public AppUser currentUser() {
        return em.find(AppUser.class, signedIn().userId());
    }

    private Actor signedIn() {
        return TenantContext.current().orElseThrow(() -> new AccessDeniedException("Please sign in first"));
    }

    /** Row-level security shows a user their own memberships in every tenant once app.user_id is set. */
    @SuppressWarnings("unchecked")
    private List<TenantChoice> tenantsOf(long userId) {
        em.createNativeQuery("select set_config('app.user_id', cast(:user as text), true)")
                .setParameter("user", userId)
                .getSingleResult();
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
