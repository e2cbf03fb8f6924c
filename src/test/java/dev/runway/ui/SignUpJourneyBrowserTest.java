package dev.runway.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.runway.testing.MailSink;
import dev.runway.testing.TenancyFixture;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * The newcomer's journey in headless Chromium: sign up, open the link from the mail, see the dashboard, invite a
 * member, sign out, accept the invitation as the new member, and find both on the team page.
 */
@QuarkusTest
class SignUpJourneyBrowserTest extends BrowserTestBase {

    @Inject
    MailSink mails;

    @Test
    void sign_up_invite_sign_out_accept_and_see_both_members() throws Exception {
        Files.createDirectories(SCREENSHOTS);
        String id = TenancyFixture.unique();
        String ownerEmail = "founder-" + id + "@example.com";
        String memberEmail = "engineer-" + id + "@example.com";
        try (BrowserContext context = newContext()) {
            Page page = context.newPage();

            page.navigate(url("signup"));
            page.getByLabel("Company name", EXACT).fill("Journey <Labs> " + id);
            page.getByLabel("Your name", EXACT).fill("Founder " + id);
            page.getByLabel("Work email", EXACT).fill(ownerEmail);
            // The form asks for no password: whoever fills it in with someone else's email cannot choose it.
            assertThat(page.getByLabel("Password", EXACT)).hasCount(0);
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create company")).click();

            // Nothing exists until the link in the mail is opened; its page asks for the password.
            assertThat(page.getByText("Check your inbox").first()).isVisible();
            String signUpLink = mails.signUpLink(ownerEmail).orElseThrow();
            page.navigate(signUpLink);
            page.getByLabel("Password", EXACT).fill("short");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create my company")).click();
            assertThat(page.getByText("Use at least 12 characters for the password").first()).isVisible();
            page.getByLabel("Password", EXACT).fill(TenancyFixture.PASSWORD);
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("sign-up-password.png")));
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create my company")).click();

            // Dashboard, with the name shown as text and real counts.
            assertThat(page.locator(".page-header h2")).hasText("Journey <Labs> " + id);
            assertThat(page.locator(".cards")).containsText("Members");
            assertThat(page.getByText("Create a sample project").first()).isVisible();
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("dashboard.png")));

            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Team")).click();
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Invite member")).click();
            page.getByRole(AriaRole.DIALOG).getByLabel("Email", new com.microsoft.playwright.Locator.GetByLabelOptions().setExact(true)).fill(memberEmail);
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create invitation")).click();
            String link = page.locator(".invitation-link input").inputValue();
            assertThat(link).startsWith(base.toString() + "invitation/");
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("invitation.png")));
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Close")).click();

            page.getByLabel("Account menu", EXACT).click();
            page.getByRole(AriaRole.MENUITEM, new Page.GetByRoleOptions().setName("Sign out")).click();
            assertThat(page.getByText("Sign in to Runway").first()).isVisible();

            page.navigate(link);
            assertThat(page.getByText("You were invited as Engineer").first()).isVisible();
            String sessionBefore = sessionId(context);
            page.getByLabel("Your name", EXACT).fill("Engineer " + id);
            page.getByLabel("Password", EXACT).fill(TenancyFixture.PASSWORD);
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Join Journey <Labs> " + id))
                    .click();
            assertThat(page.locator(".page-header h2")).hasText("Journey <Labs> " + id);
            assertThat(sessionId(context)).as("a new session id after sign-in").isNotEqualTo(sessionBefore);

            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Team")).click();
            assertThat(page.locator("vaadin-grid").first()).containsText(ownerEmail);
            assertThat(page.locator("vaadin-grid").first()).containsText(memberEmail);
            // An engineer sees the team but neither invites nor opens the audit log.
            assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Invite member")))
                    .isHidden();
            assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Audit"))).isHidden();
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("team.png")));
            page.navigate(url("audit"));
            assertThat(page.getByText("Not available to your role").first()).isVisible();
        }
    }

    private static String sessionId(BrowserContext context) {
        return context.cookies().stream().filter(c -> c.name.equals("JSESSIONID")).map(c -> c.value)
                .findFirst().orElse("");
    }
}
