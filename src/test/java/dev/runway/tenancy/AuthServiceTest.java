package dev.runway.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.base.BadInputException;
import dev.runway.base.NotFoundException;
import dev.runway.testing.TenancyFixture;
import dev.runway.testing.TestClock;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ManagedContext;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AuthServiceTest {

    private static final String WRONG = "wrong password!!";
    private static final String OWNER_ADDRESS = "198.51.100.7";

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
        AuthService.SignIn signIn = auth.login("  " + company.ownerEmail().toUpperCase() + " ",
                TenancyFixture.PASSWORD, TenancyFixture.client());
        assertThat(signIn.actor()).isEqualTo(company.owner());
        assertThat(signIn.next()).isEqualTo(AuthService.Next.DONE);
    }

    @Test
    void a_clock_that_steps_back_does_not_lock_a_client_out_until_it_catches_up() {
        TenancyFixture.Company company = fixture.company();
        String client = TenancyFixture.client();
        clock.advance(Duration.ofHours(3));
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> auth.login(company.ownerEmail(), WRONG, client));
        }
        clock.reset();

        assertThat(auth.login(company.ownerEmail(), TenancyFixture.PASSWORD, client).actor())
                .isEqualTo(company.owner());
    }

    @Test
    void unknown_email_and_wrong_password_get_the_same_message() {
        TenancyFixture.Company company = fixture.company();
        String wrongPassword = messageOf(() -> auth.login(company.ownerEmail(), WRONG, TenancyFixture.client()));
        String unknownEmail = messageOf(() -> auth.login("nobody-" + TenancyFixture.unique() + "@example.com",
                TenancyFixture.PASSWORD, TenancyFixture.client()));
        assertThat(wrongPassword).isEqualTo(unknownEmail).isEqualTo("Email or password is incorrect");
    }

    @Test
    void one_client_spraying_a_password_across_many_emails_is_made_to_wait_longer_and_longer() {
        TenancyFixture.Company victim = fixture.company();
        String sprayer = TenancyFixture.client();
        for (int i = 0; i < 11; i++) {
            String email = "sprayed-" + TenancyFixture.unique() + "@example.com";
            assertThatThrownBy(() -> auth.login(email, TenancyFixture.PASSWORD, sprayer))
                    .hasMessage(AuthService.WRONG_CREDENTIALS);
        }
        // Every email is new to the throttle, yet the twelfth attempt waits: the client is counted.
        assertThatThrownBy(() -> auth.login(victim.ownerEmail(), TenancyFixture.PASSWORD, sprayer))
                .isInstanceOf(LoginThrottledException.class)
                .hasMessage("Too many attempts. Try again in 1 s.");
        clock.advance(Duration.ofSeconds(1));
        assertThatThrownBy(() -> auth.login("sprayed-" + TenancyFixture.unique() + "@example.com",
                TenancyFixture.PASSWORD, sprayer)).hasMessage(AuthService.WRONG_CREDENTIALS);
        assertThatThrownBy(() -> auth.login(victim.ownerEmail(), TenancyFixture.PASSWORD, sprayer))
                .hasMessage("Too many attempts. Try again in 2 s.");
        // The sprayed account itself is not locked: its owner signs in from their own address.
        assertThat(auth.login(victim.ownerEmail(), TenancyFixture.PASSWORD, TenancyFixture.client()).actor())
                .isEqualTo(victim.owner());
    }

    @Test
    void a_guessed_account_waits_with_the_same_words_whether_it_exists_or_not() {
        TenancyFixture.Company company = fixture.company();
        String unknown = "nobody-" + TenancyFixture.unique() + "@example.com";
        String guesser = TenancyFixture.client();
        String other = TenancyFixture.client();
        for (int i = 0; i < 6; i++) {
            assertThatThrownBy(() -> auth.login(company.ownerEmail(), WRONG, guesser))
                    .hasMessage(AuthService.WRONG_CREDENTIALS);
            assertThatThrownBy(() -> auth.login(unknown, WRONG, other))
                    .hasMessage(AuthService.WRONG_CREDENTIALS);
        }
        String known = messageOf(() -> auth.login(company.ownerEmail(), WRONG, guesser));
        String missing = messageOf(() -> auth.login(unknown, WRONG, other));
        assertThat(known).isEqualTo(missing).isEqualTo("Too many attempts. Try again in 1 s.");
    }

    @Test
    void a_stranger_guessing_from_many_addresses_never_keeps_the_owner_from_signing_in_at_once() {
        TenancyFixture.Company company = fixture.company();
        String stranger = TenancyFixture.client();
        List<Duration> waits = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            // Each time a wait ends, one more wrong password: three from the stranger's address, three from new ones.
            for (int j = 0; j < 3; j++) {
                waits.addAll(wrongUntilCounted(company.ownerEmail(), stranger));
                wrongUntilCounted(company.ownerEmail(), TenancyFixture.client());
            }
            assertThat(auth.login(company.ownerEmail(), TenancyFixture.PASSWORD, OWNER_ADDRESS).actor())
                    .isEqualTo(company.owner());
        }
        // The stranger's own address was slowed down more and more.
        assertThat(waits).contains(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
                Duration.ofSeconds(8));
    }

    /** Sends a wrong password for {@code email} as soon as the throttle lets it through; returns the waits met. */
    private List<Duration> wrongUntilCounted(String email, String from) {
        List<Duration> waits = new ArrayList<>();
        while (true) {
            try {
                auth.login(email, WRONG, from);
            } catch (LoginThrottledException e) {
                waits.add(e.retryAfter());
                clock.advance(e.retryAfter());
                continue;
            } catch (BadInputException e) {
                assertThat(e).hasMessage(AuthService.WRONG_CREDENTIALS);
            }
            return waits;
        }
    }

    @Test
    void addresses_in_one_ipv6_64_network_are_counted_as_one_client() {
        TenancyFixture.Company victim = fixture.company();
        String network = "2001:db8:" + Integer.toHexString((int) (Math.random() * 0xffff)) + ":1:";
        for (int i = 1; i <= 11; i++) {
            String email = "sprayed-" + TenancyFixture.unique() + "@example.com";
            String address = network + Integer.toHexString(i) + "::" + i;
            assertThatThrownBy(() -> auth.login(email, TenancyFixture.PASSWORD, address))
                    .hasMessage(AuthService.WRONG_CREDENTIALS);
        }
        assertThatThrownBy(() -> auth.login(victim.ownerEmail(), TenancyFixture.PASSWORD, network + "ffff::99"))
                .isInstanceOf(LoginThrottledException.class);
        assertThat(auth.login(victim.ownerEmail(), TenancyFixture.PASSWORD, "2001:db8:ffff:2::1").actor())
                .isEqualTo(victim.owner());
    }

    @Test
    void forty_sign_ins_at_once_exhaust_neither_the_pool_nor_the_node() throws Exception {
        TenancyFixture.Company company = fixture.company();
        ExecutorService flood = Executors.newFixedThreadPool(40);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String email = "nobody-" + TenancyFixture.unique() + "@x.example";
                answers.add(flood.submit(() -> {
                    ManagedContext request = Arc.container().requestContext();
                    request.activate();
                    try {
                        return auth.login(email, TenancyFixture.PASSWORD, TenancyFixture.client()).next().name();
                    } catch (BadInputException e) {
                        return e.getMessage();
                    } finally {
                        request.terminate();
                    }
                }));
            }
            // Meanwhile an ordinary service call, which needs a pool connection but no hash, answers at once.
            Thread.sleep(300); // the flood is under way
            long start = System.nanoTime();
            assertThat(auth.nextStep(company.owner()).next()).isEqualTo(AuthService.Next.DONE);
            // Measured on 2 cores: 0.15 s; 1.0 s while each sign-in held a connection during its hash.
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(600));
            for (Future<String> answer : answers) {
                assertThat(answer.get(30, TimeUnit.SECONDS)).isEqualTo(AuthService.WRONG_CREDENTIALS);
            }
        } finally {
            flood.shutdownNow();
        }
    }

    @Test
    void a_success_starts_the_account_over_and_an_hour_without_attempts_forgets_them() {
        TenancyFixture.Company company = fixture.company();
        String client = TenancyFixture.client();
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> auth.login(company.ownerEmail(), WRONG, client))
                    .hasMessage(AuthService.WRONG_CREDENTIALS);
        }
        auth.login(company.ownerEmail(), TenancyFixture.PASSWORD, client);
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> auth.login(company.ownerEmail(), WRONG, TenancyFixture.client()))
                    .hasMessage(AuthService.WRONG_CREDENTIALS);
        }
        clock.advance(Duration.ofMinutes(61));
        assertThatThrownBy(() -> auth.login(company.ownerEmail(), WRONG, client))
                .hasMessage(AuthService.WRONG_CREDENTIALS);
        assertThat(auth.login(company.ownerEmail(), TenancyFixture.PASSWORD, client).actor())
                .isEqualTo(company.owner());
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
