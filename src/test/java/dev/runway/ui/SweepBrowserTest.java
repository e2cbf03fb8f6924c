package dev.runway.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;
import dev.runway.testing.TenancyFixture;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * Start a sweep from the sample project's page with the New sweep dialog, and watch its trials table fill live
 * (through Push) until the sweep has finished and its best trial is marked; the page at a desktop and a phone width.
 */
@QuarkusTest
class SweepBrowserTest extends BrowserTestBase {

    @Inject
    TenancyFixture fixture;

    @Test
    void an_engineer_starts_a_sweep_from_the_project_page_and_watches_its_trials_fill_in() {
        TenancyFixture.Company company = fixture.company();
        try (BrowserContext context = newContext()) {
            Page page = signIn(context, company.ownerEmail());
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create a sample project")).click();
            assertThat(page.locator(".page-header h2")).hasText("Sample project");

            page.waitForURL(java.util.regex.Pattern.compile(".*/projects/\\d+"));
            String projectUrl = page.url();
            page.locator("#new-sweep").click();
            Locator dialog = page.getByRole(AriaRole.DIALOG);
            dialog.getByLabel("Dataset (latest version)").click();
            page.locator("vaadin-combo-box-item").filter(new Locator.FilterOptions().setHasText("iris v1")).click();
            page.locator("#sweep-trial-count input").fill("4");
            page.locator("#sweep-epochs input").fill("150");
            page.locator("#sweep-cap input").fill("0");
            page.locator("#start-sweep").click();
            assertThat(page.locator("#sweep-cap")).containsText("cap above 0");
            screenshot(page, "sweep-dialog.png");
            page.locator("#sweep-cap input").fill("1");
            page.locator("#start-sweep").click();

            assertThat(page.locator(".page-header h2")).containsText("Sweep");
            assertThat(page.locator("#sweep-money")).containsText("cap 1.00 USD");
            // Opened while trials still wait or run; the same page then shows them finished, without a reload.
            assertThat(page.locator("#sweep-trial-table"))
                    .containsText(java.util.regex.Pattern.compile("pending|running"));
            assertThat(page.locator("#sweep-status")).hasText("running");
            // The table fills as the trials run: objectives appear, then the sweep ends with its best trial marked.
            assertThat(page.locator("#sweep-status")).hasText("finished",
                    new LocatorAssertions.HasTextOptions().setTimeout(120_000));
            assertThat(page.locator("#sweep-trial-table")).containsText("★");
            assertThat(page.locator("#sweep-trial-table")).containsText("succeeded");
            assertThat(page.locator("svg.sweep-scatter")).hasCount(1);
            screenshot(page, "sweep.png");

            page.locator("#register-best").click();
            assertThat(page.getByText("is now “candidate”")).isVisible();

            page.setViewportSize(390, 844);
            screenshot(page, "sweep-phone.png");
            page.setViewportSize(1366, 900);

            page.navigate(projectUrl);
            assertThat(page.getByText("random · 4 trials · finished")).isVisible();
            screenshot(page, "project-sweeps.png");
            page.goBack();

            page.locator("#compare-trials").click();
            assertThat(page).hasURL(java.util.regex.Pattern.compile("runs/compare\\?ids="));
        }
    }
}
