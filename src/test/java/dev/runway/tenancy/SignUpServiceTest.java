package dev.runway.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.base.BadInputException;
import dev.runway.testing.TenancyFixture;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SignUpServiceTest {

    @Inject
    SignUpService signUp;

    @Inject
    TenantService tenants;

    @Inject
    TeamService team;

    @Inject
    AuditLog audit;

    @Inject
    TenancyFixture fixture;

    @Inject
    EntityManager em;

    private static SignUpService.SignUp form(String company, String slug, String name, String email, String pw) {
        return new SignUpService.SignUp(company, slug, name, email, pw);
    }

    @Test
    void sign_up_creates_the_tenant_with_its_owner_and_audits_it() {
        String id = TenancyFixture.unique();
        Actor owner = signUp.signUp(form("Acme AI", "acme-" + id, "Ada", "Ada." + id + "@Example.com",
                TenancyFixture.PASSWORD));

        TenantContext.runAs(owner, () -> {
            assertThat(tenants.current().getName()).isEqualTo("Acme AI");
            assertThat(team.members()).singleElement().satisfies(m -> {
                assertThat(m.getRole()).isEqualTo(Role.OWNER);
                assertThat(m.getUser().getEmail()).isEqualTo("ada." + id + "@example.com");
            });
            assertThat(audit.list("", "")).extracting(AuditEvent::getKind)
                    .containsExactlyInAnyOrder("tenant.created", "member.added");
        });
    }

    @Test
    void a_taken_slug_or_email_is_refused_at_its_field_and_nothing_is_made() {
        TenancyFixture.Company existing = fixture.company();
        String id = TenancyFixture.unique();

        assertThatThrownBy(() -> signUp.signUp(form("Other", existing.slug(), "Bo", "bo-" + id + "@example.com",
                TenancyFixture.PASSWORD)))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("is taken")
                .extracting(e -> ((BadInputException) e).field()).isEqualTo("slug");
        assertThatThrownBy(() -> signUp.signUp(form("Other", "other-" + id, "Bo", existing.ownerEmail().toUpperCase(),
                TenancyFixture.PASSWORD)))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("already exists")
                .extracting(e -> ((BadInputException) e).field()).isEqualTo("email");

        assertThat(countTenants("other-" + id)).isZero();
        assertThat(countUsers("bo-" + id + "@example.com")).isZero();
    }

    @Test
    void weak_passwords_bad_slugs_and_over_long_fields_get_clear_messages() {
        String id = TenancyFixture.unique();
        assertField(form("Co", "co-" + id, "Bo", "bo-" + id + "@example.com", "short"), "password",
                "at least 12 characters");
        assertField(form("Co", "Not A Slug!", "Bo", "bo-" + id + "@example.com", TenancyFixture.PASSWORD), "slug",
                "lower-case letters");
        assertField(form("Co", "login", "Bo", "bo-" + id + "@example.com", TenancyFixture.PASSWORD), "slug",
                "reserved");
        assertField(form("x".repeat(121), "co-" + id, "Bo", "bo-" + id + "@example.com", TenancyFixture.PASSWORD),
                "companyName", "at most 120");
        assertField(form("Co", "co-" + id, "Bo", "not-an-email", TenancyFixture.PASSWORD), "email", "email address");
        assertField(form("  ", "co-" + id, "Bo", "bo-" + id + "@example.com", TenancyFixture.PASSWORD),
                "companyName", "required");
        assertThat(countTenants("co-" + id)).isZero();
    }

    @Test
    void a_name_with_markup_is_stored_as_plain_text() {
        String id = TenancyFixture.unique();
        Actor owner = signUp.signUp(form("<script>alert(1)</script>", "xss-" + id, "<b>Eve</b>",
                "eve-" + id + "@example.com", TenancyFixture.PASSWORD));
        TenantContext.runAs(owner,
                () -> assertThat(tenants.current().getName()).isEqualTo("<script>alert(1)</script>"));
    }

    @Test
    void slugs_are_suggested_from_company_names() {
        assertThat(SignUpService.suggestSlug("Acme AI, Inc.")).isEqualTo("acme-ai-inc");
        assertThat(SignUpService.suggestSlug("42 Labs")).isEqualTo("labs");
    }

    private void assertField(SignUpService.SignUp form, String field, String message) {
        assertThatThrownBy(() -> signUp.signUp(form))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining(message)
                .extracting(e -> ((BadInputException) e).field()).isEqualTo(field);
    }

    @Transactional
    long countTenants(String slug) {
        return em.createQuery("select count(t) from Tenant t where t.slug = :s", Long.class)
                .setParameter("s", slug).getSingleResult();
    }

    @Transactional
    long countUsers(String email) {
        return em.createQuery("select count(u) from AppUser u where u.email = :e", Long.class)
                .setParameter("e", email).getSingleResult();
    }
}
