package dev.runway.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.base.BadInputException;
import dev.runway.testing.MailSink;
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
    AuthService auth;

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

    @Inject
    MailSink mails;

    private static SignUpService.SignUp form(String company, String slug, String name, String email) {
        return new SignUpService.SignUp(company, slug, name, email);
    }

    @Test
    void sign_up_creates_the_tenant_with_its_owner_and_audits_it() {
        String id = TenancyFixture.unique();
        Actor owner = fixture.signUp(form("Acme AI", "acme-" + id, "Ada", "Ada." + id + "@Example.com"));

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
    void nothing_is_created_before_the_link_in_the_mail_is_opened_and_the_link_works_once() {
        String id = TenancyFixture.unique();
        String email = "link-" + id + "@example.com";
        signUp.signUp(form("Linked", "linked-" + id, "Lin", email), TenancyFixture.client());
        assertThat(countTenants("linked-" + id)).isZero();
        assertThat(mails.to(email)).singleElement().satisfies(m -> assertThat(m.subject()).contains("Confirm"));
        String token = TenancyFixture.token(mails.signUpLink(email).orElseThrow());

        Actor owner = signUp.confirm(token, TenancyFixture.PASSWORD);
        assertThat(owner.tenantId()).isPositive();
        assertThat(countTenants("linked-" + id)).isOne();
        assertThatThrownBy(() -> signUp.confirm(token, TenancyFixture.PASSWORD))
                .hasMessage(SignUpService.LINK_UNUSABLE);
        assertThatThrownBy(() -> signUp.confirm(token + "x", TenancyFixture.PASSWORD))
                .hasMessage(SignUpService.LINK_UNUSABLE);
    }

    @Test
    void a_new_and_an_existing_email_get_the_same_answer_and_the_existing_one_a_mail_instead_of_an_account() {
        TenancyFixture.Company existing = fixture.company();
        String id = TenancyFixture.unique();
        String fresh = "fresh-" + id + "@example.com";

        // Both return normally: the page says "check your inbox" either way.
        signUp.signUp(form("Fresh", "fresh-" + id, "Fi", fresh), TenancyFixture.client());
        signUp.signUp(form("Again", "again-" + id, "Al", existing.ownerEmail().toUpperCase()),
                TenancyFixture.client());

        assertThat(mails.signUpLink(fresh)).isPresent();
        // The fixture's own sign-up mail came first.
        assertThat(mails.to(existing.ownerEmail())).hasSize(2).last().satisfies(m -> {
            assertThat(m.subject()).isEqualTo("You already have a Runway account");
            assertThat(m.text()).contains("http://localhost:8081/login").doesNotContain("/signup/confirm/");
        });
        assertThat(countTenants("again-" + id)).isZero();
    }

    @Test
    void a_taken_url_name_may_say_so_and_sign_up_requests_are_throttled_per_client() {
        TenancyFixture.Company existing = fixture.company();
        String id = TenancyFixture.unique();
        String client = TenancyFixture.client();
        assertThatThrownBy(() -> signUp.signUp(form("Other", existing.slug(), "Bo", "bo-" + id + "@example.com"),
                client))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("is taken")
                .extracting(e -> ((BadInputException) e).field()).isEqualTo("slug");
        for (int i = 0; i < 5; i++) {
            String probe = "probe-" + TenancyFixture.unique();
            signUp.signUp(form("Probe", probe, "Bo", probe + "@example.com"), client);
        }
        assertThatThrownBy(() -> signUp.signUp(form("Other", existing.slug(), "Bo", "bo-" + id + "@example.com"),
                client))
                .isInstanceOf(LoginThrottledException.class)
                .hasMessageStartingWith("Too many attempts. Try again in");
    }

    @Test
    void bad_slugs_and_over_long_fields_get_clear_messages() {
        String id = TenancyFixture.unique();
        assertField(form("Co", "Not A Slug!", "Bo", "bo-" + id + "@example.com"), "slug", "lower-case letters");
        assertField(form("Co", "login", "Bo", "bo-" + id + "@example.com"), "slug", "reserved");
        assertField(form("x".repeat(121), "co-" + id, "Bo", "bo-" + id + "@example.com"), "companyName",
                "at most 120");
        assertField(form("Co", "co-" + id, "Bo", "not-an-email"), "email", "email address");
        assertField(form("  ", "co-" + id, "Bo", "bo-" + id + "@example.com"), "companyName", "required");
        assertThat(countTenants("co-" + id)).isZero();
    }

    @Test
    void the_password_is_chosen_at_the_link_and_weak_ones_get_clear_messages_without_using_the_link_up() {
        String id = TenancyFixture.unique();
        String email = "bob.smith-" + id + "@example.com";
        signUp.signUp(form("Nimbus Labs", "nimbus-" + id, "Bo", email), TenancyFixture.client());
        String token = TenancyFixture.token(mails.signUpLink(email).orElseThrow());

        assertPassword(token, "short", "at least 12 characters");
        assertPassword(token, "aaaaaaaaaaaa", "most common");
        assertPassword(token, "Password1234!", "most common");
        assertPassword(token, "qwertyuiop12", "most common");
        assertPassword(token, "my bob.smith-" + id + " key", "does not contain your email");
        assertPassword(token, "nimbus labs rocks", "does not contain the company name");
        assertThat(countTenants("nimbus-" + id)).isZero();

        // Whoever filled in the form chose nothing: the password is the one given at the link.
        String chosen = "inbox owner's own words";
        Actor owner = signUp.confirm(token, chosen);
        assertThat(auth.login(email, chosen, TenancyFixture.client()).actor().userId()).isEqualTo(owner.userId());
        assertThatThrownBy(() -> auth.login(email, TenancyFixture.PASSWORD, TenancyFixture.client()))
                .hasMessage(AuthService.WRONG_CREDENTIALS);
    }

    @Test
    void a_name_with_markup_is_stored_as_plain_text() {
        String id = TenancyFixture.unique();
        Actor owner = fixture.signUp(form("<script>alert(1)</script>", "xss-" + id, "<b>Eve</b>",
                "eve-" + id + "@example.com"));
        TenantContext.runAs(owner,
                () -> assertThat(tenants.current().getName()).isEqualTo("<script>alert(1)</script>"));
    }

    @Test
    void slugs_are_suggested_from_company_names() {
        assertThat(SignUpService.suggestSlug("Acme AI, Inc.")).isEqualTo("acme-ai-inc");
        assertThat(SignUpService.suggestSlug("42 Labs")).isEqualTo("labs");
    }

    private void assertField(SignUpService.SignUp form, String field, String message) {
        assertThatThrownBy(() -> signUp.signUp(form, TenancyFixture.client()))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining(message)
                .extracting(e -> ((BadInputException) e).field()).isEqualTo(field);
    }

    private void assertPassword(String token, String password, String message) {
        assertThatThrownBy(() -> signUp.confirm(token, password))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining(message)
                .extracting(e -> ((BadInputException) e).field()).isEqualTo("password");
    }

    @Transactional
    long countTenants(String slug) {
        return em.createQuery("select count(t) from Tenant t where t.slug = :s", Long.class)
                .setParameter("s", slug).getSingleResult();
    }
}
