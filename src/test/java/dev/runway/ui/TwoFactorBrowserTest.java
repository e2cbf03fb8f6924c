package dev.runway.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.runway.tenancy.Actor;
import dev.runway.tenancy.AuthService;
import dev.runway.tenancy.Role;
import dev.runway.tenancy.TenantContext;
import dev.runway.tenancy.Totp;
import dev.runway.tenancy.TwoFactorService;
import dev.runway.testing.TenancyFixture;
import dev.runway.testing.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * Two-factor sign-in in headless Chromium: after the password, the session reaches no page and no API call until the
 * code from the authenticator is given.
 */
@QuarkusTest
class TwoFactorBrowserTest extends BrowserTestBase {

    @Inject
    TenancyFixture fixture;

    @Inject
    TwoFactorService twoFactor;

    @Inject
    AuthService auth;

    @Inject
    TestClock clock;

    @Test
    void after_the_password_only_the_code_step_is_reachable_and_the_code_signs_in() {
        TenancyFixture.Company company = fixture.company();
        TwoFactorService.Enrolment enrolment = TenantContext.runAs(company.owner(), twoFactor::begin);
        TenantContext.runAs(company.owner(), () -> twoFactor.confirm(Totp.code(enrolment.secret(),
                clock.instant().minusSeconds(Totp.STEP_SECONDS))));

        try (BrowserContext context = newContext()) {
            Page page = context.newPage();
            page.navigate(url("login"));
            page.getByLabel("Email", EXACT).fill(company.ownerEmail());
            page.getByLabel("Password", EXACT).fill(TenancyFixture.PASSWORD);
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in")).click();
            assertThat(page.getByText("Two-factor sign-in").first()).isVisible();
            screenshot(page, "two-factor-code.png");

            // The password alone opens nothing: pages lead back to sign-in, the API wants a key.
            page.navigate(url("team"));
            assertThat(page.getByText("Sign in to Runway").first()).isVisible();
            page.navigate(url(""));
            assertThat(page.getByText("Sign in to Runway").first()).isVisible();
            assertThat(page.request().get(url("api/v1/projects")).status()).isEqualTo(401);

            page.navigate(url("login/code"));
            page.getByLabel("Code", EXACT).fill("000000".equals(code(enrolment)) ? "111111" : "000000");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Verify")).click();
            assertThat(page.getByText("That code is not right").first()).isVisible();
            page.getByLabel("Code", EXACT).fill(code(enrolment));
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Verify")).click();
            assertThat(page.locator(".page-header h2")).isVisible();
            page.navigate(url("team"));
            assertThat(page.locator("vaadin-grid").first()).containsText(company.ownerEmail());
        }
    }

    @Test
    void a_member_turns_it_on_under_settings_and_sees_the_recovery_codes_once() {
        TenancyFixture.Company company = fixture.company();
        try (BrowserContext context = newContext()) {
            Page page = signIn(context, company.ownerEmail());
            page.navigate(url("settings"));
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Set up two-factor sign-in")).click();
            String secret = page.locator(".two-factor-secret input").inputValue();
            assertThat(page.getByText("Open in an authenticator app").first()).isVisible();
            screenshot(page, "two-factor-setup.png");
            page.getByLabel("Code", EXACT).fill(Totp.code(secret, clock.instant()));
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Turn on")).click();
            assertThat(page.locator(".two-factor pre")).containsText("-");
            assertThat(page.locator(".two-factor pre").innerText().lines().count())
                    .isEqualTo(TwoFactorService.RECOVERY_CODES);
            page.setViewportSize(390, 844);
            screenshot(page, "two-factor-recovery-narrow.png");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Done")).click();
            assertThat(page.getByText("Recovery codes left: 10").first()).isVisible();
        }
        assertThat(TenantContext.runAs(company.owner(), twoFactor::enabled)).isTrue();
    }

    @Test
    void a_member_signed_in_with_a_password_alone_is_sent_to_the_set_up_once_the_owner_requires_two_factor() {
        TenancyFixture.Company company = fixture.company();
        Actor engineer = fixture.member(company, Role.ENGINEER);
        String email = TenantContext.runAs(engineer, () -> auth.currentUser().getEmail());
        TwoFactorService.Enrolment owners = TenantContext.runAs(company.owner(), twoFactor::begin);
        TenantContext.runAs(company.owner(), () -> twoFactor.confirm(Totp.code(owners.secret(),
                clock.instant().minusSeconds(Totp.STEP_SECONDS))));

        try (BrowserContext context = newContext()) {
            Page page = signIn(context, email);

            TenantContext.runAs(company.owner(), () -> twoFactor.requireForCompany(true));
            // The session signed in before the requirement: the next page is the set-up, not the team.
            page.navigate(url("team"));
            assertThat(page.getByText("Set up two-factor sign-in").first()).isVisible();
            screenshot(page, "two-factor-required-later.png");
            // The session is signed in no more: every other page leads to sign-in.
            page.navigate(url(""));
            assertThat(page.getByText("Sign in to Runway").first()).isVisible();
        }
    }

    private String code(TwoFactorService.Enrolment enrolment) {
        return Totp.code(enrolment.secret(), clock.instant());
    }
}
