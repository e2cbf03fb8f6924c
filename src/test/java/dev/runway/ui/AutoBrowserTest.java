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
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The New run dialog opens on Auto: choosing the data shows what Auto will train and its time and money limits before
 * the start; its page then says what it tried and links the model it registered.
 */
@QuarkusTest
class AutoBrowserTest extends BrowserTestBase {

    @Inject
    TenancyFixture fixture;

    @Test
    void auto_is_the_default_choice_shows_its_plan_and_limits_first_and_its_page_says_what_it_tried() {
        TenancyFixture.Company company = fixture.company();
        try (BrowserContext context = newContext()) {
            Page page = signIn(context, company.ownerEmail());
            Locator dialog = newRunOnSample(page, "iris v1");
            assertThat(dialog.getByLabel("Template", new Locator.GetByLabelOptions().setExact(true)))
                    .containsText("Auto (recommended)");
            // Under Auto the settings a template needs are not asked.
            assertThat(dialog.getByLabel("Learning rate")).isHidden();
            assertThat(page.locator("#auto-plan")).containsText("The data is a table (4 features, 150 rows, "
                    + "classification): Auto trains a Multi-layer perceptron");
            assertThat(page.locator("#auto-search")).containsText("It tries 6 settings");
            assertThat(page.locator("#auto-time-limit input")).hasValue(Pattern.compile("\\d+"));
            assertThat(page.locator("#auto-money-limit input")).hasValue(Pattern.compile("\\d+\\.\\d+"));
            page.locator("#auto-time-limit input").fill("0");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Start run")).click();
            assertThat(page.locator("#auto-time-limit")).containsText("from 1 minute to 24 hours");
            page.locator("#auto-time-limit input").fill("10");
            screenshot(page, "new-run-auto.png");
            page.setViewportSize(390, 844);
            screenshot(page, "new-run-auto-phone.png");
            page.setViewportSize(1366, 900);
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Start run")).click();

            assertThat(page.locator(".page-header h2")).containsText("Auto");
            assertThat(page.locator("#auto-tried")).containsText("What Auto tried");
            assertThat(page.locator("#auto-tried")).containsText("within 10 min");
            assertThat(page.locator("#auto-model")).containsText("version",
                    new LocatorAssertions.ContainsTextOptions().setTimeout(120_000));
            assertThat(page.locator("#sweep-status")).hasText("finished");
            assertThat(page.locator("#auto-outcome")).containsText("is the best");
            assertThat(page.locator("#sweep-trial-table")).containsText("★");
            screenshot(page, "auto.png");
            page.setViewportSize(390, 844);
            screenshot(page, "auto-phone.png");
            page.setViewportSize(1366, 900);
            page.locator("#auto-model").click();
            assertThat(page.getByText("candidate").first()).isVisible();
        }
    }
}
