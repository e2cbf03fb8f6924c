package dev.runway.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.base.AccessDeniedException;
import dev.runway.base.BadInputException;
import dev.runway.testing.TenancyFixture;
import dev.runway.testing.TestClock;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ManagedContext;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class TwoFactorServiceTest {

    @Inject
    AuthService auth;

    @Inject
    TwoFactorService twoFactor;

    @Inject
    Access access;

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

    @Test
    void the_same_code_sent_twice_at_once_is_accepted_exactly_once() throws Exception {
        TenancyFixture.Company company = fixture.company();
        Actor owner = company.owner();
        String secret = turnOn(owner);
        // The set-up spent the current step; the next one is fresh.
        clock.advance(Duration.ofSeconds(Totp.STEP_SECONDS));
        assertThat(concurrently(owner, Totp.code(secret, clock.instant()))).containsExactlyInAnyOrder(true, false);
    }

    @Test
    void the_same_recovery_code_sent_twice_at_once_is_accepted_exactly_once() throws Exception {
        TenancyFixture.Company company = fixture.company();
        Actor owner = company.owner();
        TwoFactorService.Enrolment enrolment = TenantContext.runAs(owner, twoFactor::begin);
        List<String> recovery = TenantContext.runAs(owner,
                () -> twoFactor.confirm(Totp.code(enrolment.secret(), clock.instant())));
        assertThat(concurrently(owner, recovery.get(0))).containsExactlyInAnyOrder(true, false);
        assertThat(TenantContext.runAs(owner, twoFactor::recoveryCodesLeft))
                .isEqualTo(TwoFactorService.RECOVERY_CODES - 1L);
    }

    @Test
    void turning_two_factor_off_is_throttled_like_the_sign_in_code() {
        TenancyFixture.Company company = fixture.company();
        String secret = turnOn(company.owner());
        assertThatThrownBy(() -> {
            for (int i = 0; i < 10; i++) {
                try {
                    TenantContext.runAs(company.owner(), () -> twoFactor.disable("000000"));
                } catch (LoginThrottledException throttled) {
                    throw throttled;
                } catch (BadInputException wrong) {
                    assertThat(wrong).hasMessage(TwoFactorService.WRONG_CODE);
                }
            }
        }).isInstanceOf(LoginThrottledException.class);
        // Even the right code waits now.
        assertThatThrownBy(() -> TenantContext.runAs(company.owner(),
                () -> twoFactor.disable(Totp.code(secret, clock.instant()))))
                .isInstanceOf(LoginThrottledException.class);
        assertThat(TenantContext.runAs(company.owner(), twoFactor::enabled)).isTrue();
    }

    @Test
    void two_factor_stays_on_while_any_of_the_users_companies_requires_it() {
        TenancyFixture.Company mine = fixture.company();
        TenancyFixture.Company other = fixture.company();
        String secret = turnOn(mine.owner());
        fixture.join(other, mine.ownerEmail(), Role.ENGINEER);
        turnOn(other.owner());
        TenantContext.runAs(other.owner(), () -> twoFactor.requireForCompany(true));

        // The set-ups spent the current step.
        clock.advance(Duration.ofSeconds(Totp.STEP_SECONDS));
        String otherName = "Company " + other.slug().substring("co-".length());
        assertThatThrownBy(() -> TenantContext.runAs(mine.owner(),
                () -> twoFactor.disable(Totp.code(secret, clock.instant()))))
                .isInstanceOf(BadInputException.class)
                .hasMessage(otherName + " requires two-factor sign-in, so it stays on");
        assertThat(TenantContext.runAs(mine.owner(), twoFactor::enabled)).isTrue();

        TenantContext.runAs(other.owner(), () -> twoFactor.requireForCompany(false));
        TenantContext.runAs(mine.owner(), () -> twoFactor.disable(Totp.code(secret, clock.instant())));
        assertThat(TenantContext.runAs(mine.owner(), twoFactor::enabled)).isFalse();
    }

    @Test
    void the_set_up_step_of_a_sign_in_expires_like_the_code_step() {
        TenancyFixture.Company company = fixture.company();
        Actor engineer = fixture.member(company, Role.ENGINEER);
        turnOn(company.owner());
        TenantContext.runAs(company.owner(), () -> twoFactor.requireForCompany(true));
        String email = TenantContext.runAs(engineer, () -> auth.currentUser().getEmail());
        AuthService.SignIn signIn = auth.login(email, TenancyFixture.PASSWORD, TenancyFixture.client());
        assertThat(signIn.next()).isEqualTo(AuthService.Next.SET_UP);

        TwoFactorService.Enrolment enrolment = twoFactor.beginAtSignIn(signIn);
        clock.advance(AuthService.CODE_STEP_VALIDITY.plusSeconds(1));
        assertThatThrownBy(() -> twoFactor.confirmAtSignIn(signIn, Totp.code(enrolment.secret(), clock.instant())))
                .hasMessage("Please sign in again");
        assertThatThrownBy(() -> twoFactor.beginAtSignIn(signIn)).hasMessage("Please sign in again");
        assertThat(TenantContext.runAs(engineer, twoFactor::enabled)).isFalse();

        AuthService.SignIn again = auth.login(email, TenancyFixture.PASSWORD, TenancyFixture.client());
        TwoFactorService.Enrolment fresh = twoFactor.beginAtSignIn(again);
        assertThat(twoFactor.confirmAtSignIn(again, Totp.code(fresh.secret(), clock.instant())))
                .hasSize(TwoFactorService.RECOVERY_CODES);
    }

    @Test
    void a_session_signed_in_with_a_password_alone_is_refused_once_the_owner_requires_two_factor() {
        TenancyFixture.Company company = fixture.company();
        Actor engineer = fixture.member(company, Role.ENGINEER);
        String email = TenantContext.runAs(engineer, () -> auth.currentUser().getEmail());
        AuthService.SignIn signIn = auth.login(email, TenancyFixture.PASSWORD, TenancyFixture.client());
        assertThat(signIn.next()).isEqualTo(AuthService.Next.DONE);
        Actor session = signIn.actor();
        assertThat(session.passwordOnly()).isTrue();
        assertThat(TenantContext.runAs(session, twoFactor::requiredHere)).isFalse();

        turnOn(company.owner());
        TenantContext.runAs(company.owner(), () -> twoFactor.requireForCompany(true));

        // The session that is already signed in is refused at its next service call, and sent to the set-up step.
        assertThatThrownBy(() -> TenantContext.runAs(session, twoFactor::requiredHere))
                .isInstanceOf(AccessDeniedException.class).hasMessageContaining("requires two-factor sign-in");
        assertThat(TenantContext.runAs(session, () -> access.secondFactorMissing())).isTrue();
        assertThat(TenantContext.runAs(session, () -> access.can(Permission.READ))).isFalse();
        assertThat(auth.nextStep(session.withPasswordOnly(false)).next()).isEqualTo(AuthService.Next.SET_UP);
        // The owner's session passed a code; background work and API keys are not sessions (see docs/tenancy.md).
        assertThat(TenantContext.runAs(company.owner(), twoFactor::requiredHere)).isTrue();
        assertThat(TenantContext.runAs(engineer, twoFactor::requiredHere)).isTrue();
        assertThat(TenantContext.runAs(new Actor(engineer.userId(), engineer.tenantId(), Role.VIEWER),
                twoFactor::requiredHere)).isTrue();
    }

    /**
     * Checks {@code code} in two transactions at once; each holds its transaction open (up to a second) until the
     * other has checked too, so that without a lock both would see the code unused.
     */
    private List<Boolean> concurrently(Actor actor, String code) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch checked = new CountDownLatch(2);
        Callable<Boolean> attempt = () -> {
            start.await();
            // Hibernate resolves the tenant only within a request context.
            ManagedContext requestContext = Arc.container().requestContext();
            requestContext.activate();
            try {
                return TenantContext.runAs(actor, () -> QuarkusTransaction.requiringNew().call(() -> {
                    boolean ok = twoFactor.verify(actor.userId(), code);
                    checked.countDown();
                    checked.await(1, TimeUnit.SECONDS);
                    return ok;
                }));
            } finally {
                requestContext.terminate();
            }
        };
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Boolean>> results = List.of(pool.submit(attempt), pool.submit(attempt));
            start.countDown();
            List<Boolean> answers = new ArrayList<>();
            for (Future<Boolean> result : results) {
                answers.add(result.get(10, TimeUnit.SECONDS));
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
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
