package dev.runway.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.runway.project.ProjectService;
import dev.runway.testing.Acting;
import dev.runway.training.CompareFixture;
import dev.runway.training.RunFixture;
import dev.runway.training.engine.OptimizerKind;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Tick three runs in the Runs list, compare them, send the URL to a teammate (a new page), hide the equal settings,
 * change the baseline and see the deltas follow; then walk the lineage both ways: dataset version → run → model
 * version → run → dataset version. Also the dashboard's charts, and the comparison on a phone.
 */
@QuarkusTest
class CompareBrowserTest extends BrowserTestBase {

    @Inject
    RunFixture runs;

    @Inject
    CompareFixture fixture;

    @Inject
    ProjectService projects;

    @Test
    void a_member_compares_runs_shares_the_url_and_follows_the_lineage() {
        RunFixture.Setup setup = runs.iris();
        var owner = setup.company().owner();
        Duration ran = Duration.ofMinutes(20);
        long a = fixture.succeeded(owner, setup.versionId(), RunFixture.mlp(40), 40, 0, Map.of("accuracy", 0.90), ran);
        long b = fixture.succeeded(owner, setup.versionId(), RunFixture.mlp(40).withLearningRate(0.001), 40, 0.2,
                Map.of("accuracy", 0.95), ran);
        long c = fixture.succeeded(owner, setup.versionId(), RunFixture.mlp(40).withOptimizer(OptimizerKind.SGD), 40,
                0.4, Map.of("accuracy", 0.85), ran);

        try (BrowserContext context = newContext()) {
            Page page = signIn(context, setup.company().ownerEmail());
            assertThat(page.locator("#chart-spend svg")).isVisible();
            assertThat(page.locator("#chart-runs svg")).isVisible();
            assertThat(page.locator("#chart-runs")).containsText("succeeded");
            assertThat(page.locator("#slot-use-now")).containsText("your plan runs");
            screenshot(page, "dashboard-charts.png");

            // From the project's page to its runs, where they are ticked.
            long projectId = Acting.as(owner, () -> projects.list(null, false, ProjectService.Sort.NAME).get(0).getId());
            page.navigate(url("projects/" + projectId));
            page.locator("#project-runs").click();
            page.waitForURL(Pattern.compile(".*/runs\\?project=" + projectId));
            Locator boxes = page.locator("vaadin-grid-cell-content > vaadin-checkbox");
            assertThat(boxes).hasCount(4);   // select-all and one per run
            for (int i = 1; i <= 3; i++) {
                boxes.nth(i).click();
            }
            assertThat(page.locator(".page-header h2")).hasText("Runs");   // ticking a box opens nothing
            page.locator("#compare-runs").click();
            page.waitForURL(Pattern.compile(".*/runs/compare\\?ids=" + a + "," + b + "," + c + ".*"));
            assertThat(page.url()).isEqualTo(url("runs/compare?ids=" + a + "," + b + "," + c + "&baseline=" + a));
            assertThat(page.locator(".page-header h2")).hasText("Compare 3 runs");

            // The teammate opens the same URL.
            Page teammate = context.newPage();
            teammate.navigate(page.url());
            assertThat(teammate.locator(".page-header h2")).hasText("Compare 3 runs");
            Locator settings = teammate.locator("#compare-settings");
            assertThat(settings).containsText("Learning rate");
            assertThat(visibleCell(teammate, "Batch size")).hasCount(1);
            assertThat(visibleCell(teammate, "Learning rate")).hasCount(1);
            Locator metrics = teammate.locator("#compare-metrics");
            assertThat(metrics).containsText("Run " + a + " (baseline)");
            assertThat(metrics).containsText("0.95 (+0.05)");
            assertThat(metrics).containsText("0.85 (−0.05)");
            assertThat(teammate.locator(".compare-charts svg")).hasCount(4);
            screenshot(teammate, "compare-1366.png");
            teammate.locator(".compare-charts").scrollIntoViewIfNeeded();
            screenshot(teammate, "compare-charts-1366.png");

            teammate.getByText("Only differences").click();
            assertThat(visibleCell(teammate, "Batch size")).hasCount(0);
            assertThat(visibleCell(teammate, "Learning rate")).hasCount(1);
            assertThat(visibleCell(teammate, "Optimizer")).hasCount(1);

            teammate.getByLabel("Baseline").click();
            teammate.locator("vaadin-select-item").filter(new Locator.FilterOptions().setHasText("Run " + b)).click();
            teammate.waitForURL(Pattern.compile(".*baseline=" + b + ".*"));
            assertThat(teammate.url()).isEqualTo(url("runs/compare?ids=" + a + "," + b + "," + c + "&baseline=" + b));
            assertThat(metrics).containsText("Run " + b + " (baseline)");
            assertThat(metrics).containsText("0.9 (−0.05)");
            assertThat(metrics).containsText("0.85 (−0.1)");

            // A phone: the table scrolls inside its own box; the page itself never scrolls sideways.
            teammate.setViewportSize(390, 844);
            teammate.reload();
            assertThat(teammate.locator("#compare-settings")).isVisible();
            Object pageWidth = teammate.evaluate("document.documentElement.scrollWidth");
            assertThat(((Number) pageWidth).intValue()).isLessThanOrEqualTo(390);
            screenshot(teammate, "compare-390.png");
            teammate.setViewportSize(1366, 900);

            // Lineage: compared run's dataset version → its runs and model versions → model → run → dataset.
            page.locator(".compare-run").first().locator(".dataset-link").click();
            assertThat(page.locator(".page-header h2")).hasText("iris");
            Locator lineage = page.locator("#dataset-lineage");
            assertThat(lineage.getByText("Run " + a, new Locator.GetByTextOptions().setExact(true))).isVisible();
            assertThat(lineage.locator(".lineage-line")).hasCount(3);
            lineage.locator(".lineage-line").filter(new Locator.FilterOptions().setHasText("Run " + b + " "))
                    .getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Model version 2")).click();
            assertThat(page.locator("#model-lineage")).containsText("Trained by run " + b);
            page.locator("#model-lineage").getByText("run " + b).click();
            assertThat(page.locator(".page-header h2")).containsText("Training run " + b);
            assertThat(page.locator("#run-model-version")).hasText("Model version 2");
            page.locator("#run-dataset-version").click();
            assertThat(page.locator(".page-header h2")).hasText("iris");
            page.locator("#dataset-lineage").getByText("Run " + c, new Locator.GetByTextOptions().setExact(true))
                    .click();
            assertThat(page.locator(".page-header h2")).containsText("Training run " + c);
        }
    }

    private static Locator visibleCell(Page page, String text) {
        return page.locator("#compare-settings vaadin-grid-cell-content:visible")
                .getByText(text, new Locator.GetByTextOptions().setExact(true));
    }
}
