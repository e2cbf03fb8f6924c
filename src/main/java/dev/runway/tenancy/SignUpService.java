package dev.runway.tenancy;

import dev.runway.base.BadInputException;
import dev.runway.base.Text;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Sign-up in two steps. {@link #signUp} checks the form and mails a link; the answer is the same whether the email
 * already has an account or not (that person gets a mail saying so instead), so nobody can find out who uses Runway.
 * {@link #confirm} creates the tenant with its first owner, with the password given on the page the link opens: the
 * form asks for none, so whoever fills it in with someone else's email cannot choose the password of that account.
 * The tenant id is reserved first, so that the creating transaction runs as that tenant from its first statement:
 * row-level security and the {@link TenantGuard} both see it.
 */
@ApplicationScoped
public class SignUpService {

    public static final int SLUG_MIN = 3;
    public static final Duration LINK_VALIDITY = Duration.ofHours(24);
    static final String LINK_UNUSABLE = "This sign-up link cannot be used: it was used already, expired after 24 "
            + "hours, or was not copied whole. Sign in, or sign up again.";
    private static final Set<String> RESERVED_SLUGS =
            Set.of("api", "app", "admin", "login", "logout", "signup", "invitation", "vaadin", "www", "static");

    public record SignUp(String companyName, String slug, String name, String email) {}

    @Inject
    Passwords passwords;

    @Inject
    TenantRegistry registry;

    @Inject
    Throttle throttle;

    @Inject
    InvitationMailer mailer;

    @Inject
    Clock clock;

    @ConfigProperty(name = "runway.public-url")
    String publicUrl;

    /**
     * Validates everything, then mails the address a link that creates the company, or, when the address already has
     * an account, a mail saying so. Returns normally in both cases, after the same work; only the URL name may say it
     * is taken. Requests are throttled per client address and per email.
     */
    public void signUp(SignUp form, String clientAddress) {
        String company = Text.required("companyName", "Company name", form.companyName(), Tenant.NAME_MAX);
        String slug = checkSlug(form.slug());
        String name = Text.required("name", "Your name", form.name(), AppUser.NAME_MAX);
        String email = Text.email("email", form.email());
        throttle.attempt(List.of(Throttle.signUpClient(clientAddress), Throttle.signUpEmail(email)));
        registry.checkSlugFree(slug);
        if (registry.emailTaken(email)) {
            mailer.sendAccountExists(email, base() + "/login");
            return;
        }
        String token = Tokens.newToken();
        Instant now = clock.instant();
        // The request's password_hash column (V10) stays empty: the password is chosen at confirm.
        registry.saveRequest(Tokens.sha256(token), company, slug, name, email, "", now, now.plus(LINK_VALIDITY));
        mailer.sendSignUpLink(email, company, base() + "/signup/confirm/" + token);
    }

    /**
     * Creates the company of a verified sign-up, once, with the password chosen by whoever holds the link (the inbox
     * owner). A password that is too weak leaves the link usable, so the page can ask again.
     *
     * @return the owner, to sign in
     */
    public Actor confirm(String token, String password) {
        if (token == null || token.isBlank() || token.length() > 100) {
            throw new BadInputException(null, LINK_UNUSABLE);
        }
        TenantRegistry.Request request = registry.takeRequest(Tokens.sha256(token),
                        r -> passwords.checkStrength("password", password, r.email(), r.company()))
                .orElseThrow(() -> new BadInputException(null, LINK_UNUSABLE))
                .withPasswordHash(passwords.hash(password));
        registry.checkSlugFree(request.slug());
        long tenantId = registry.reserveTenantId();
        try {
            return TenantContext.runAs(new Actor(0, tenantId), () -> registry.create(tenantId, request));
        } catch (PersistenceException e) {
            // Lost a race: the URL name, or the email through a second link.
            registry.checkSlugFree(request.slug());
            throw new BadInputException(null, LINK_UNUSABLE);
        }
    }

    private String base() {
        return publicUrl.replaceAll("/+$", "");
    }

    /** Lower-case letters, digits and hyphens, starting with a letter: the company's address in Runway. */
    public static String checkSlug(String value) {
        String slug = Text.required("slug", "URL name", value, Tenant.SLUG_MAX).toLowerCase(Locale.ROOT);
        if (slug.length() < SLUG_MIN || !slug.matches("[a-z][a-z0-9-]*[a-z0-9]")) {
            throw new BadInputException("slug", "Use " + SLUG_MIN + "–" + Tenant.SLUG_MAX
                    + " lower-case letters, digits and hyphens, starting with a letter (e.g. acme-ai)");
        }
        if (RESERVED_SLUGS.contains(slug)) {
            throw new BadInputException("slug", "“" + slug + "” is reserved; choose another URL name");
        }
        return slug;
    }

    /** Suggests a URL name from a company name: "Acme AI, Inc." becomes "acme-ai-inc". */
    public static String suggestSlug(String companyName) {
        String s = companyName == null ? "" : companyName.toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "").replaceAll("^[0-9-]+", "");
        return s.length() > Tenant.SLUG_MAX ? s.substring(0, Tenant.SLUG_MAX).replaceAll("-+$", "") : s;
    }
}
