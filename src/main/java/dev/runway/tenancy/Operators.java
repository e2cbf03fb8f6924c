package dev.runway.tenancy;

import dev.runway.base.AccessDeniedException;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The platform operators: the people who run Runway itself for every company (the operator's view), named by email in
 * {@code runway.operators}. Being an operator is not a role in a company: an operator signs in as an ordinary member of
 * some company and is an operator on top of that. Nobody is one unless the setting names them; an API key never is.
 */
@ApplicationScoped
public class Operators {

    @Inject
    EntityManager em;

    @ConfigProperty(name = "runway.operators")
    Optional<List<String>> configured;

    private Set<String> emails;

    @PostConstruct
    void read() {
        emails = configured.orElse(List.of()).stream().map(Operators::normalise).filter(e -> !e.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }

    /**
     * Whether the person acting is a platform operator: named in the setting, with an email proven by a link mailed to
     * it (an invitation proves nothing: the inviter sees its link) and with two-factor sign-in on, since the view
     * shows every company. Anyone named who lacks either is refused like everyone else (docs/deploy.md).
     */
    @Transactional
    public boolean isOperator() {
        return !emails.isEmpty() && TenantContext.current().filter(actor -> !actor.viaApiKey())
                .filter(actor -> qualifies(actor.userId())).isPresent();
    }

    /** The acting operator; anyone else is refused. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Actor require() {
        if (!isOperator()) {
            throw new AccessDeniedException("Only platform operators may see this");
        }
        return TenantContext.current().orElseThrow();
    }

    /**
     * Row-level security shows a user their own app_user and user_two_factor rows once app.user_id is set (by the
     * connection interceptor).
     */
    private boolean qualifies(long userId) {
        List<?> rows = em.createNativeQuery("""
                        select u.email
                        from app_user u
                        where u.id = :id
                          and u.email_verified_at is not null
                          and exists (select 1 from user_two_factor f
                                      where f.user_id = u.id and f.enabled_at is not null)""", String.class)
                .setParameter("id", userId).getResultList();
        return rows.stream().map(String.class::cast).anyMatch(e -> emails.contains(normalise(e)));
    }

    private static String normalise(String email) {
        return email.strip().toLowerCase(Locale.ROOT);
    }
}
