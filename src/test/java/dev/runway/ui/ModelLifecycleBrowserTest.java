package dev.runway.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;
import dev.runway.model.ModelFixture;
import dev.runway.model.ModelLifecycle;
import dev.runway.model.ModelStage;
import dev.runway.model.PromotionRules;
import dev.runway.tenancy.Role;
import dev.runway.tenancy.TenantContext;
import dev.runway.testing.TenancyFixture;
import dev.runway.testing.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two members in two browsers: A mentions B in a comment and B's bell counts it within a second, B asks for Production, A approves (the old version is archived), A rolls back, and
 * "what was in Production at …" answers right before and after each change, with the clock moved between them.
 */
@QuarkusTest
class ModelLifecycleBrowserTest extends BrowserTestBase {

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("M/d/yyyy");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm");

    @Inject
    ModelFixture models;

    @Inject
    TenancyFixture tenancy;

    @Inject
    ModelLifecycle lifecycle;

    @Inject
    TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void b_requests_production_a_approves_then_rolls_back_and_the_history_answers_for_any_time() {
        ModelFixture.Setup s = models.project(0.9, 0.95);
        String bEmail = "engineer-b-" + TenancyFixture.unique() + "@example.com";
        tenancy.join(s.company(), bEmail, Role.ENGINEER);
        Instant start = clock.instant();
        clock.advance(Duration.ofHours(1));
        TenantContext.runAs(s.owner(), () -> lifecycle.changeStage(s.v(1), ModelStage.PRODUCTION, "first release"));
        Instant v1Promoted = clock.instant();
        TenantContext.runAs(s.owner(), () -> lifecycle.saveRules(s.projectId(), new PromotionRules(
                PromotionRules.DEFAULTS.stagingRoles(), PromotionRules.DEFAULTS.productionRoles(), 1, null)));
        clock.advance(Duration.ofHours(2));

        try (BrowserContext b = context(); BrowserContext a = context()) {
            Page pageB = signIn(b, bEmail);
            pageB.navigate(url("models"));
            Page pageA = signIn(a, s.company().ownerEmail());
            pageA.navigate(url("models/" + s.v(2)));

            // A asks B to look at v2 with an @mention; B's bell, on another page, counts it within a second.
            Locator composer = pageA.getByLabel("Add a comment", new Page.GetByLabelOptions().setExact(true));
            composer.pressSequentially("Worth shipping? @engineer-b");
            pageA.locator(".mention-option").first().click();
            pageA.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Comment").setExact(true)).click();
            assertThat(pageA.locator(".comment-body .mention")).hasText("@Member " + bEmail);
            assertThat(pageB.locator(".notification-bell .notification-count"))
                    .hasText("1", new LocatorAssertions.HasTextOptions().setTimeout(1_000));

            pageB.locator("vaadin-grid").getByText("v2").click();
            assertThat(pageB.locator(".page-header .stage-badge")).hasText("None");
            pageB.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Request Production")).click();
            comment(pageB, "F1 is 5 points up on the holdout", "Request");
            assertThat(pageB.locator(".pending-request")).containsText("Pending: move to Production");
            assertThat(pageB.locator(".pending-request")).containsText("0 of 1 approvals");
            // The requester may withdraw but never approve their own request.
            assertThat(pageB.locator(".pending-request").getByRole(AriaRole.BUTTON,
                    new Locator.GetByRoleOptions().setName("Approve"))).hasCount(0);
            screenshot(pageB, "model-lifecycle-requested.png");

            pageA.reload();
            assertThat(pageA.locator(".pending-request")).containsText("F1 is 5 points up on the holdout");
            pageA.locator(".pending-request").getByRole(AriaRole.BUTTON,
                    new Locator.GetByRoleOptions().setName("Approve")).click();
            comment(pageA, "Checked the evaluation", "Approve");
            assertThat(pageA.locator(".page-header .stage-badge")).hasText("Production");
            assertThat(pageA.locator(".pending-request")).hasCount(0);
            Locator timeline = pageA.locator(".lifecycle-timeline");
            assertThat(timeline).containsText("v2: None → Production");
            assertThat(timeline).containsText("v1: Production → Archived");
            assertThat(timeline).containsText("approved by Owner");
            Instant v2Promoted = clock.instant();
            screenshot(pageA, "model-lifecycle-approved.png");
            pageB.reload();
            assertThat(pageB.locator(".page-header .stage-badge")).hasText("Production");

            clock.advance(Duration.ofHours(2));
            pageA.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Roll back to v1")).click();
            comment(pageA, "v2 misroutes refunds", "Roll back");
            assertThat(pageA.locator(".page-header .stage-badge")).hasText("Archived");
            assertThat(timeline).containsText("v1: Archived → Production");
            assertThat(timeline).containsText("Rollback: v2 misroutes refunds");

            ask(pageA, start.plus(Duration.ofMinutes(30)), "No version was in Production then");
            ask(pageA, v1Promoted.plus(Duration.ofMinutes(2)), "v1 was in Production then");
            ask(pageA, v2Promoted.minus(Duration.ofMinutes(5)), "v1 was in Production then");
            ask(pageA, v2Promoted.plus(Duration.ofMinutes(2)), "v2 was in Production then");
            ask(pageA, clock.instant().plus(Duration.ofMinutes(2)), "v1 was in Production then");
            screenshot(pageA, "model-lifecycle.png");
            pageA.setViewportSize(390, 844);
            screenshot(pageA, "model-lifecycle-narrow.png");

            pageA.setViewportSize(1366, 900);
            pageA.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Promotion rules")).click();
            assertThat(pageA.getByRole(AriaRole.DIALOG)).containsText("Approvals for Production");
            pageA.waitForTimeout(500);   // the dialog's opening animation
            screenshot(pageA, "model-promotion-rules.png");
            pageA.setViewportSize(390, 844);
            screenshot(pageA, "model-promotion-rules-narrow.png");
            pageA.setViewportSize(1366, 900);
            pageA.navigate(url("models"));
            assertThat(pageA.locator("vaadin-grid")).containsText("Production");
            screenshot(pageA, "models-with-stages.png");
            // Engineers do not edit the rules.
            assertThat(pageB.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Promotion rules")))
                    .hasCount(0);
        }
    }

    private BrowserContext context() {
        BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1366, 900)
                .setLocale("en-US").setTimezoneId("UTC"));
        context.setDefaultTimeout(30_000);
        return context;
    }

    private static void comment(Page page, String text, String action) {
        Locator dialog = page.getByRole(AriaRole.DIALOG);
        dialog.getByLabel("Comment").fill(text);
        dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName(action).setExact(true)).click();
        assertThat(dialog).hasCount(0);
    }

    private static void ask(Page page, Instant at, String answer) {
        var local = at.atZone(ZoneOffset.UTC);
        Locator picker = page.locator("vaadin-date-time-picker");
        Locator date = picker.locator("vaadin-date-picker input");
        date.fill(DATE.format(local));
        date.press("Enter");
        Locator time = picker.locator("vaadin-time-picker input");
        time.fill(TIME.format(local));
        time.press("Enter");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Ask")).click();
        assertThat(page.locator(".production-at-answer")).hasText(answer);
    }
}
