package dev.runway.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.base.BadInputException;
import dev.runway.base.NotFoundException;
import dev.runway.testing.TenancyFixture;
import dev.runway.testing.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AuthServiceTest {

    @Inject
    AuthService auth;

    @Inject
    TenancyFixture fixture;

    @Inject
    TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void the_owner_signs_in_with_any_case_of_their_email() {
        TenancyFixture.Company company = fixture.company();
        Actor actor = auth.login("  " + company.ownerEmail().toUpperCase() + " ", TenancyFixture.PASSWORD);
        assertThat(actor).isEqualTo(company.owner());
    }

    @Test
    void unknown_email_and_wrong_password_get_the_same_message() {
        TenancyFixture.Company company = fixture.company();
        String wrongPassword = messageOf(() -> auth.login(company.ownerEmail(), "wrong password!!"));
        String unknownEmail = messageOf(() -> auth.login("nobody-" + TenancyFixture.unique() + "@example.com",
                TenancyFixture.PASSWORD));
        assertThat(wrongPassword).isEqualTo(unknownEmail).isEqualTo("Email or password is incorrect");
    }

    @Test
    void five_failures_within_fifteen_minutes_make_further_attempts_wait() {
        TenancyFixture.Company company = fixture.company();
        for (int i = 0; i < AuthService.MAX_FAILURES; i++) {
            clock.advance(Duration.ofMinutes(1));
            assertThatThrownBy(() -> auth.login(company.ownerEmail(), "wrong password!!"))
                    .hasMessage(AuthService.WRONG_CREDENTIALS);
        }
        // Even the right password waits now, and the message says for how long.
        assertThatThrownBy(() -> auth.login(company.ownerEmail(), TenancyFixture.PASSWORD))
                .isInstanceOf(LoginThrottledException.class)
                .hasMessageContaining("Try again in 11 minutes")
                .satisfies(e -> assertThat(((LoginThrottledException) e).retryAfter())
                        .isBetween(Duration.ofSeconds(650), Duration.ofMinutes(11)));

        clock.advance(Duration.ofMinutes(11));
        assertThat(auth.login(company.ownerEmail(), TenancyFixture.PASSWORD)).isEqualTo(company.owner());
    }

    @Test
    void failures_outside_the_window_do_not_count_and_a_success_clears_them() {
        TenancyFixture.Company company = fixture.company();
        for (int i = 0; i < 4; i++) {
            assertThatThrownBy(() -> auth.login(company.ownerEmail(), "wrong password!!"))
                    .hasMessage(AuthService.WRONG_CREDENTIALS);
        }
        auth.login(company.ownerEmail(), TenancyFixture.PASSWORD);
        for (int i = 0; i < 4; i++) {
            assertThatThrownBy(() -> auth.login(company.ownerEmail(), "wrong password!!"))
                    .hasMessage(AuthService.WRONG_CREDENTIALS);
        }
        clock.advance(Duration.ofMinutes(16));
        assertThatThrownBy(() -> auth.login(company.ownerEmail(), "wrong password!!"))
                .hasMessage(AuthService.WRONG_CREDENTIALS);
        assertThat(auth.login(company.ownerEmail(), TenancyFixture.PASSWORD)).isEqualTo(company.owner());
    }

    @Test
    void a_member_of_two_companies_switches_between_them_but_not_into_a_third() {
        TenancyFixture.Company first = fixture.company();
        TenancyFixture.Company second = fixture.company();
        TenancyFixture.Company third = fixture.company();
        fixture.join(second, first.ownerEmail(), Role.ANALYST);

        TenantContext.runAs(first.owner(), () -> {
            assertThat(auth.myTenants()).extracting(AuthService.TenantChoice::tenantId)
                    .containsExactly(first.owner().tenantId(), second.owner().tenantId());
            assertThat(auth.switchTenant(second.owner().tenantId()))
                    .isEqualTo(new Actor(first.owner().userId(), second.owner().tenantId()));
            assertThatThrownBy(() -> auth.switchTenant(third.owner().tenantId()))
                    .isInstanceOf(NotFoundException.class);
        });
    }

    private static String messageOf(Runnable action) {
        try {
            action.run();
        } catch (BadInputException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected a refusal");
    }
}
