package dev.runway.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import dev.runway.training.CompareFixture;
import dev.runway.training.RunFixture;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A run page whose curves hold 100,000 points per series (a succeeded run with 100,000 epochs of metrics), timed in
 * the browser: from navigation start until both charts' SVG is in the page and visible. Prints figures; not part of
 * the test suite (its name keeps it out of surefire's run):
 * {@code ./mvnw test -Dtest=RunChartBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 * Options: {@code chart.epochs} (100000), {@code chart.rounds} (10).
 */
@QuarkusTest
class RunChartBenchmark extends BrowserTestBase {

    @Inject
    RunFixture runs;

    @Inject
    CompareFixture fixture;

    @Test
    void a_run_page_with_a_hundred_thousand_points_per_series() {
        int epochs = Integer.getInteger("chart.epochs", 100_000);
        int rounds = Integer.getInteger("chart.rounds", 10);
        String loadBefore = Bench.load();
        RunFixture.Setup setup = runs.iris();
        long seeding = System.nanoTime();
        long runId = fixture.succeeded(setup.company().owner(), setup.versionId(), RunFixture.mlp(epochs), epochs, 0,
                Map.of("accuracy", 0.9), Duration.ofMinutes(30));
        Bench.report("chart", "seeded run %d with %,d epochs (%,d points per series, 4 series) in %.1f s", runId, epochs,
                epochs, (System.nanoTime() - seeding) / 1e9);
        long smallRunId = fixture.succeeded(setup.company().owner(), setup.versionId(), RunFixture.mlp(50), 50, 0,
                Map.of("accuracy", 0.9), Duration.ofMinutes(1));
        String location = "runs/" + runId;
        double[] small = new double[rounds];
        double[] fullLoad = new double[rounds];
        double[] inApp = new double[rounds];
        double[] fullLoadWall = new double[rounds];
        try (BrowserContext context = newContext()) {
            Page page = signIn(context, setup.company().ownerEmail());
            // Opening the address: a full page load; the browser's own clock from navigation start to the charts.
            for (int r = -2; r < rounds; r++) {
                page.navigate(url(""));
                assertThat(page.locator(".page-header h2")).isVisible();
                long t0 = System.nanoTime();
                page.navigate(url(location));
                assertThat(page.locator(".run-curves svg")).hasCount(2,
                        new LocatorAssertions.HasCountOptions().setTimeout(60_000));
                assertThat(page.locator(".run-curves svg").last()).isVisible();
                double inPage = ((Number) page.evaluate("performance.now()")).doubleValue();
                if (r >= 0) {
                    fullLoad[r] = inPage;
                    fullLoadWall[r] = (System.nanoTime() - t0) / 1e6;
                }
            }
            // For scale: the same full load of a run page whose curves hold 50 points.
            for (int r = -1; r < rounds; r++) {
                page.navigate(url(""));
                assertThat(page.locator(".page-header h2")).isVisible();
                page.navigate(url("runs/" + smallRunId));
                assertThat(page.locator(".run-curves svg")).hasCount(2);
                assertThat(page.locator(".run-curves svg").last()).isVisible();
                double inPage = ((Number) page.evaluate("performance.now()")).doubleValue();
                if (r >= 0) {
                    small[r] = inPage;
                }
            }
            // Inside the running console (a router link, as the Runs list opens a run): no page load.
            for (int r = -2; r < rounds; r++) {
                page.navigate(url(""));
                assertThat(page.locator(".page-header h2")).isVisible();
                page.evaluate("loc => { const a = document.createElement('a'); a.href = loc; a.id = 'bench-link';"
                        + " a.setAttribute('router-link', ''); a.textContent = 'run';"
                        + " document.querySelector('.page-header').appendChild(a); }", location);
                double start = ((Number) page.evaluate("performance.now()")).doubleValue();
                page.locator("#bench-link").click();
                assertThat(page.locator(".run-curves svg")).hasCount(2,
                        new LocatorAssertions.HasCountOptions().setTimeout(60_000));
                assertThat(page.locator(".run-curves svg").last()).isVisible();
                double end = ((Number) page.evaluate("performance.now()")).doubleValue();
                if (r >= 0) {
                    inApp[r] = end - start;
                }
            }
            long svg = ((Number) page.evaluate("Array.from(document.querySelectorAll('.run-curves svg'))"
                    + ".reduce((n, s) => n + s.outerHTML.length, 0)")).longValue();
            long paths = ((Number) page.evaluate("document.querySelectorAll('.run-curves svg path, "
                    + ".run-curves svg polyline').length")).longValue();
            Bench.report("chart", "SVG of the 2 charts: %,d characters, %d lines", svg, paths);
            screenshot(page, "run-chart-benchmark.png");
        }
        Bench.report("chart", "open the run's URL (full page load): navigation start → charts visible, browser clock: %s",
                Bench.stats(fullLoad));
        Bench.report("chart", "for scale, a run of 50 epochs (full page load, browser clock): %s", Bench.stats(small));
        Bench.report("chart", "open the run's URL (full page load): as the test's clock sees it: %s",
                Bench.stats(fullLoadWall));
        Bench.report("chart", "in-app navigation (router link click → charts visible, browser clock): %s",
                Bench.stats(inApp));
        Bench.report("chart", "load average before: %s; after: %s; cores: %d", loadBefore, Bench.load(),
                Runtime.getRuntime().availableProcessors());
    }
}
