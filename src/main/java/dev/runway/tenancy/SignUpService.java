package dev.runway.tenancy;

import dev.runway.base.BadInputException;
import dev.runway.base.Text;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import java.util.Locale;
import java.util.Set;

/**
 * Creates a tenant with its first owner. The tenant id is reserved first, so that the creating transaction runs as
 * that tenant from its first statement: Hibernate's {@code @TenantId} and row-level security both see it.
 */
@ApplicationScoped
public class SignUpService {

    public static final int SLUG_MIN = 3;
    private static final Set<String> RESERVED_SLUGS =
            Set.of("api", "app", "admin", "login", "logout", "signup", "invitation", "vaadin", "www", "static");

    public record SignUp(String companyName, String slug, String name, String email, String password) {}

    @Inject
    Passwords passwords;

    @Inject
    TenantRegistry registry;

    /** Validates everything before anything is written; nothing is half-made on failure. */
    public Actor signUp(SignUp form) {
        String company = Text.required("companyName", "Company name", form.companyName(), Tenant.NAME_MAX);
        String slug = checkSlug(form.slug());
        String name = Text.required("name", "Your name", form.name(), AppUser.NAME_MAX);
        String email = Text.email("email", form.email());
        passwords.checkStrength("password", form.password(), email);
        registry.checkFree(slug, email);
        String hash = passwords.hash(form.password());
        long tenantId = registry.reserveTenantId();
        try {
            return TenantContext.runAs(new Actor(0, tenantId),
                    () -> registry.create(tenantId, company, slug, name, email, hash));
        } catch (PersistenceException e) {
            registry.checkFree(slug, email); // lost a race for the slug or email: say which
            throw e;
        }
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
