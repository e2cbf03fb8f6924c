package dev.runway.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.base.AccessDeniedException;
import dev.runway.base.BadInputException;
import dev.runway.testing.TenancyFixture;
import dev.runway.testing.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class TwoFactorServiceTest {

    @Inject
    AuthService auth;

    @Inject
    TwoFactorService twoFactor;

    @Inject
    TenancyFixture fixture;

    @Inject
    TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void a_member_with_an_authenticator_signs_in_with_the_code_of_the_moved_clock() {
        TenancyFixture.Company company = fixture.company();
        String secret = turnOn(company.owner());

        AuthService.SignIn afterPassword = auth.login(company.ownerEmail(), TenancyFixture.PASSWORD,
                TenancyFixture.client());
        assertThat(afterPassword.next()).isEqualTo(AuthService.Next.CODE);

        clock.advance(Duration.ofMinutes(3));
        // The code of the real time is three minutes (six steps) stale at the moved clock.
        assertThatThrownBy(() -> auth.completeWithCode(afterPassword, Totp.code(secret, Instant.now()),
                TenancyFixture.client())).hasMessage(TwoFactorService.WRONG_CODE);
        String code = Totp.code(secret, clock.instant());
        assertThat(auth.completeWithCode(afterPassword, code, TenancyFixture.client())).isEqualTo(company.owner());
        // A code is accepted once.
        assertThatThrownBy(() -> auth.completeWithCode(afterPassword, code, TenancyFixture.client()))
                .hasMessage(TwoFactorService.WRONG_CODE);
    }

    @Test
    void the_code_step_expires_and_needs_a_code_step() {
        TenancyFixture.Company company = fixture.company();
        String secret = turnOn(company.owner());
        AuthService.SignIn afterPassword = auth.login(company.ownerEmail(), TenancyFixture.PASSWORD,
                TenancyFixture.client());
        clock.advance(AuthService.CODE_STEP_VALIDITY.plusSeconds(1));
        assertThatThrownBy(() -> auth.completeWithCode(afterPassword, Totp.code(secret, clock.instant()),
                TenancyFixture.client())).hasMessage("Please sign in again");
        AuthService.SignIn noCodeNeeded = new AuthService.SignIn(company.owner(), AuthService.Next.DONE,
                clock.instant());
        assertThatThrownBy(() -> auth.completeWithCode(noCodeNeeded, "000000", TenancyFixture.client()))
                .hasMessage("Please sign in again");
    }

    @Test
    void each_recovery_code_replaces_a_code_once() {
        TenancyFixture.Company company = fixture.company();
        Actor owner = company.owner();
        TwoFactorService.Enrolment enrolment = TenantContext.runAs(owner, twoFactor::begin);
        List<String> recovery = TenantContext.runAs(owner,
                () -> twoFactor.confirm(Totp.code(enrolment.secret(), clock.instant())));
        assertThat(recovery).hasSize(TwoFactorService.RECOVERY_CODES).doesNotHaveDuplicates();

        AuthService.SignIn first = auth.login(company.ownerEmail(), TenancyFixture.PASSWORD, TenancyFixture.client());
        assertThat(auth.completeWithCode(first, recovery.get(0).toUpperCase(), TenancyFixture.client()))
                .isEqualTo(owner);
        AuthService.SignIn second = auth.login(company.ownerEmail(), TenancyFixture.PASSWORD,
                TenancyFixture.client());
        assertThatThrownBy(() -> auth.completeWithCode(second, recovery.get(0), TenancyFixture.client()))
                .hasMessage(TwoFactorService.WRONG_CODE);
        assertThat(TenantContext.runAs(owner, twoFactor::recoveryCodesLeft))
                .isEqualTo(TwoFactorService.RECOVERY_CODES - 1L);
    }

    @Test
    void an_owner_requires_two_factor_sign_in_and_members_without_it_must_set_it_up_first() {
        TenancyFixture.Company company = fixture.company();
        Actor engineer = fixture.member(company, Role.ENGINEER);
        assertThatThrownBy(() -> TenantContext.runAs(company.owner(), () -> twoFactor.requireForCompany(true)))
                .isInstanceOf(BadInputException.class).hasMessageContaining("for yourself first");
        assertThatThrownBy(() -> TenantContext.runAs(engineer, () -> twoFactor.requireForCompany(true)))
                .isInstanceOf(AccessDeniedException.class);

        turnOn(company.owner());
        TenantContext.runAs(company.owner(), () -> twoFactor.requireForCompany(true));

        String engineerEmail = TenantContext.runAs(engineer, () -> auth.currentUser().getEmail());
        AuthService.SignIn signIn = auth.login(engineerEmail, TenancyFixture.PASSWORD, TenancyFixture.client());
        assertThat(signIn.next()).isEqualTo(AuthService.Next.SET_UP);
        assertThatThrownBy(() -> TenantContext.runAs(engineer, () -> twoFactor.disable("000000")))
                .hasMessageContaining("requires two-factor");
    }

    /** Turns two-factor sign-in on for {@code actor}; returns the secret. */
    private String turnOn(Actor actor) {
        TwoFactorService.Enrolment enrolment = TenantContext.runAs(actor, twoFactor::begin);
        assertThat(enrolment.uri()).startsWith("otpauth://totp/Runway:");
        TenantContext.runAs(actor, () -> twoFactor.confirm(Totp.code(enrolment.secret(), clock.instant())));
        assertThat(TenantContext.runAs(actor, twoFactor::enabled)).isTrue();
        return enrolment.secret();
    }
}
