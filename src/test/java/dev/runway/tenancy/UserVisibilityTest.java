package dev.runway.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.testing.TenancyFixture;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The application role's view of the global user data (V10): nobody's email, name or hash with no tenant set; with a
 * tenant set, that tenant's members only; never a password hash; the throttle and pending sign-ups not at all.
 */
@QuarkusTest
class UserVisibilityTest {

    @Inject
    TenancyFixture fixture;

    @Inject
    EntityManager em;

    @Test
    void with_no_tenant_set_no_user_is_visible() {
        fixture.company();
        Number users = QuarkusTransaction.requiringNew().call(() ->
                (Number) em.createNativeQuery("select count(*) from app_user").getSingleResult());
        assertThat(users.longValue()).isZero();
    }

    @Test
    @SuppressWarnings("unchecked")
    void with_a_tenant_set_only_its_members_are_visible() {
        TenancyFixture.Company a = fixture.company();
        TenancyFixture.Company b = fixture.company();
        fixture.member(b, Role.ENGINEER);
        List<Object> emails = TenantContext.runAs(b.owner(), () -> QuarkusTransaction.requiringNew().call(() ->
                (List<Object>) em.createNativeQuery("select email from app_user").getResultList()));
        assertThat(emails).hasSize(2).contains(b.ownerEmail()).doesNotContain(a.ownerEmail());
        List<?> names = TenantContext.runAs(b.owner(), () -> QuarkusTransaction.requiringNew().call(() ->
                em.createNativeQuery("select display_name from app_user where email = :email")
                        .setParameter("email", a.ownerEmail()).getResultList()));
        assertThat(names).isEmpty();
    }

    @Test
    void password_hashes_are_not_readable_even_in_ones_own_tenant() {
        TenancyFixture.Company a = fixture.company();
        assertThatThrownBy(() -> TenantContext.runAs(a.owner(), () -> QuarkusTransaction.requiringNew().call(() ->
                em.createNativeQuery("select password_hash from app_user").getResultList())))
                .hasStackTraceContaining("permission denied");
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() ->
                em.createNativeQuery("update app_user set display_name = 'x'").executeUpdate()))
                .hasStackTraceContaining("permission denied");
    }

    @ParameterizedTest
    @ValueSource(strings = {"auth_throttle", "sign_up_request"})
    void throttle_counts_and_pending_sign_ups_are_not_readable(String table) {
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().call(() ->
                em.createNativeQuery("select count(*) from " + table).getSingleResult()))
                .hasStackTraceContaining("permission denied");
    }

    @Test
    void the_sign_in_look_up_answers_for_the_one_email_it_is_given() {
        TenancyFixture.Company a = fixture.company();
        List<?> rows = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "select id from auth_user_by_email(:email)").setParameter("email", a.ownerEmail()).getResultList());
        assertThat(rows).singleElement()
                .satisfies(id -> assertThat(((Number) id).longValue()).isEqualTo(a.owner().userId()));
        List<?> wildcard = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "select id from auth_user_by_email('%')").getResultList());
        assertThat(wildcard).isEmpty();
    }
}
