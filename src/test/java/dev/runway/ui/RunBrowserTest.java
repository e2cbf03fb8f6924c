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
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Move to the Team plan, start a run from the Runs page on the sample data with its cost estimated, watch it finish
 * live with its cost so far, evaluate it and watch the evaluation finish, see the model's coefficients, then find the
 * run on the month's draft invoice.
 */
@QuarkusTest
class RunBrowserTest extends BrowserTestBase {

    @Inject
    TenancyFixture fixture;

    @Test
    void a_cnn_size_and_augmentation_set_in_the_new_run_dialog_are_the_runs_hyperparameters() {
        TenancyFixture.Company company = fixture.company();
        try (BrowserContext context = newContext()) {
            Page page = signIn(context, company.ownerEmail());
            Locator dialog = newRunOnSample(page, "digits v1");
            assertThat(page.getByText("Task: classification").first()).isVisible();
            // Auto (the default) asks no sizes at all.
            assertThat(page.locator("#run-image-width")).isHidden();
            assertThat(page.locator("#run-embedding-size")).isHidden();
            assertThat(page.locator("#run-weight-decay")).isHidden();
            // Issue 15's settings are filled from the template's defaults (class weights: classification only), and
            // shown again when a template replaces Auto.
            dialog.getByLabel("Template", new Locator.GetByLabelOptions().setExact(true)).click();
            page.locator("vaadin-select-item").filter(new Locator.FilterOptions()
                    .setHasText("Logistic / softmax regression")).click();
            assertThat(page.locator("#run-weight-decay input")).hasValue("0.0001");
            assertThat(page.locator("#run-warmup input")).hasValue("5");
            assertThat(page.locator("#run-schedule")).containsText("Cosine");
            assertThat(page.locator("#run-class-weights")).containsText("Auto");
            dialog.getByLabel("Template", new Locator.GetByLabelOptions().setExact(true)).click();
            page.locator("vaadin-select-item").filter(new Locator.FilterOptions()
                    .setHasText("Small convolutional network")).click();
            assertThat(page.locator("#run-image-width")).isVisible();
            assertThat(page.locator("#run-embedding-size")).isHidden();
            assertThat(page.locator("#run-max-tokens")).isHidden();
            dialog.getByLabel("Channels per convolution layer").fill("8, 12");
            dialog.getByLabel("Epochs", new Locator.GetByLabelOptions().setExact(true)).fill("2");
            page.locator("#new-run-augmentation").click();
            assertThat(page.locator("#run-augment-token-dropout")).isHidden();
            page.locator("#run-augment-noise input").fill("0.15");
            page.locator("#run-augment-rotation input").fill("45");
            dialog.getByLabel("Image width (pixels)").fill("9");
            screenshot(page, "new-run-cnn.png");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Start run")).click();
            assertThat(page.locator("#run-image-width")).containsText("must equal the 64 feature values per row");
            dialog.getByLabel("Image width (pixels)").fill("8");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Start run")).click();
            assertThat(page.locator("#run-augment-rotation")).containsText("from 0 to 30 degrees");
            page.locator("#run-augment-rotation input").fill("0");
            page.locator("#run-weight-decay input").fill("-1");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Start run")).click();
            assertThat(page.locator("#run-weight-decay")).containsText("Weight decay must be 0 (off) or a positive");
            page.locator("#run-weight-decay input").fill("0.0001");
            page.setViewportSize(390, 844);
            screenshot(page, "new-run-cnn-phone.png");
            page.setViewportSize(1366, 900);
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Start run")).click();

            assertThat(page.locator(".page-header h2")).containsText("Small convolutional network");
            assertThat(page.locator("#run-network")).containsText("1 × 8 × 8 image, channels 8, 12");
            assertThat(page.locator("#run-augmentation")).containsText("Gaussian noise σ 0.15");
            // It trains with them (and leaves no training behind for the tests that follow: DJL's gradient
            // collector is one per process).
            assertThat(page.locator(".page-header")).containsText("succeeded",
                    new LocatorAssertions.ContainsTextOptions().setTimeout(120_000));
            screenshot(page, "run-cnn.png");
        }
    }

    @Test
    void an_engineer_starts_a_run_and_watches_it_finish() {
        TenancyFixture.Company company = fixture.company();
        try (BrowserContext context = newContext()) {
            Page page = signIn(context, company.ownerEmail());
            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Billing")).click();
            assertThat(page.getByText("Free prices (version 1)")).isVisible();
            page.getByLabel("Plan", EXACT).click();
            page.locator("vaadin-select-item").filter(new Locator.FilterOptions().setHasText("Team")).click();
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Change plan")).click();
            assertThat(page.getByText("Team prices (version 1)")).isVisible();
            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Dashboard")).click();
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create a sample project")).click();
            assertThat(page.locator(".page-header h2")).hasText("Sample project");

            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Runs")).click();
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("New run")).click();
            Locator dataset = page.getByRole(AriaRole.DIALOG).getByLabel("Dataset (latest version)");
            dataset.click();
            page.locator("vaadin-combo-box-item").filter(new Locator.FilterOptions().setHasText("linear v1")).click();
            assertThat(page.getByText("Task: regression").first()).isVisible();
            // Auto is the default choice: this engineer picks a template.
            page.getByRole(AriaRole.DIALOG).getByLabel("Template", new Locator.GetByLabelOptions().setExact(true))
                    .click();
            page.locator("vaadin-select-item").filter(new Locator.FilterOptions().setHasText("Linear regression"))
                    .click();
            assertThat(page.locator("#run-estimate")).containsText("Estimated cost: under 0.01 USD");
            assertThat(page.locator("#run-estimate")).containsText("of CPU time at 0.12 USD an hour");
            // The pool is one of runway.executor.pools, or empty (then the device decides).
            page.getByRole(AriaRole.DIALOG).getByLabel("Pool (optional)").click();
            for (String offered : List.of("cpu", "gpu")) {
                assertThat(page.locator("vaadin-combo-box-item", new Page.LocatorOptions()
                        .setHasText(Pattern.compile("^\\s*" + offered + "\\s*$")))).isVisible();
            }
            page.keyboard().press("Escape");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Start run")).click();

            assertThat(page.locator(".page-header h2")).containsText("Linear regression");
            assertThat(page.locator("vaadin-progress-bar")).isVisible();
            // "Cost so far" while it runs, "Cost" once it ended (a small regression may end before this line).
            assertThat(page.locator("#run-cost")).containsText(Pattern.compile("Cost( so far)?"));
            // The page follows the run through Push until it ends.
            assertThat(page.locator(".page-header")).containsText("succeeded",
                    new LocatorAssertions.ContainsTextOptions().setTimeout(120_000));
            assertThat(page.getByText("Slope of x").first()).isVisible();
            assertThat(page.getByText("Intercept").first()).isVisible();
            assertThat(page.locator("#run-cost")).containsText("USD");
            screenshot(page, "run.png");

            // An evaluation ends within ~50 ms of being queued: its page, the same view reused for another run,
            // must still show it finished, without a reload.
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Evaluate on its test split"))
                    .click();
            assertThat(page.locator(".page-header h2")).containsText("Evaluation run");
            assertThat(page.locator(".page-header")).containsText("succeeded",
                    new LocatorAssertions.ContainsTextOptions().setTimeout(20_000));
            assertThat(page.getByText("Test MSE").first()).isVisible();
            assertThat(page.getByText("Confusion matrix")).hasCount(0);   // a regression has none
            screenshot(page, "evaluation.png");

            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Models")).click();
            page.locator("vaadin-grid vaadin-button").first().click();
            assertThat(page.locator(".model-lifecycle")).containsText("Slope of x");
            assertThat(page.locator(".model-lifecycle")).containsText("Intercept");

            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Billing")).click();
            Locator invoices = page.locator("#billing-invoices");
            assertThat(invoices).containsText("Draft");
            assertThat(invoices).containsText("PDF");
            assertThat(page.getByText("CPU time · Sample project · Team plan").first()).isVisible();
            screenshot(page, "billing.png");
        }
    }
}
