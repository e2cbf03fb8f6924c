package dev.runway.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import dev.runway.testing.Acting;
import dev.runway.training.CompareFixture;
import dev.runway.training.RunComparison;
import dev.runway.training.RunFixture;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Comparing 20 runs of 10,000 epochs each: the server's time to build the comparison (read 200,000 metric rows,
 * downsample 80 curves), and the browser's time to open the comparison's URL until its charts are visible (server
 * and browser together). Prints figures; not part of the test suite (its name keeps it out of surefire's run):
 * {@code ./mvnw test -Dtest=RunComparisonBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 * Options: {@code compare.runs} (20), {@code compare.epochs} (10000), {@code compare.rounds} (10).
 */
@QuarkusTest
class RunComparisonBenchmark extends BrowserTestBase {

    @Inject
    RunFixture runs;

    @Inject
    CompareFixture fixture;

    @Inject
    RunComparison comparison;

    @Test
    void compare_twenty_runs_of_ten_thousand_epochs() throws Exception {
        int count = Integer.getInteger("compare.runs", 20);
        int epochs = Integer.getInteger("compare.epochs", 10_000);
        int rounds = Integer.getInteger("compare.rounds", 10);
        String loadBefore = load();
        RunFixture.Setup setup = runs.iris();
        var owner = setup.company().owner();
        List<Long> ids = new ArrayList<>();
        long seeding = System.nanoTime();
        for (int i = 0; i < count; i++) {
            ids.add(fixture.succeeded(owner, setup.versionId(), RunFixture.mlp(epochs).withLearningRate(0.001 * (i + 1)),
                    epochs, i * 0.05, Map.of("accuracy", 0.8 + i * 0.005), Duration.ofMinutes(10)));
        }
        report("seeded %d runs × %,d epochs in %.1f s", count, epochs, (System.nanoTime() - seeding) / 1e9);

        double[] server = new double[rounds];
        RunComparison.Comparison last = null;
        for (int r = -3; r < rounds; r++) {
            long t0 = System.nanoTime();
            last = Acting.as(owner, () -> comparison.compare(ids, null));
            if (r >= 0) {
                server[r] = (System.nanoTime() - t0) / 1e6;
            }
        }
        int points = last.curves().stream().flatMap(c -> c.lines().stream()).mapToInt(l -> l.epochs().length).sum();
        report("server: compare() read %,d metric rows, kept %,d points in %d charts", last.pointsRead(), points,
                last.curves().size());
        report("server: compare() over %d warm rounds: %s", rounds, stats(server));

        String location = "runs/compare?ids=" + ids.stream().map(String::valueOf).collect(Collectors.joining(","));
        double[] browser = new double[rounds];
        long svgBytes = 0;
        try (BrowserContext context = newContext()) {
            Page page = signIn(context, setup.company().ownerEmail());
            for (int r = -2; r < rounds; r++) {
                page.navigate(url("")); // leave the view, so each round builds the comparison afresh
                assertThat(page.locator(".page-header h2")).isVisible();
                long t0 = System.nanoTime();
                page.navigate(url(location));
                assertThat(page.locator(".compare-charts svg")).hasCount(4,
                        new LocatorAssertions.HasCountOptions().setTimeout(60_000));
                assertThat(page.locator(".compare-charts svg").last()).isVisible();
                if (r >= 0) {
                    browser[r] = (System.nanoTime() - t0) / 1e6;
                }
            }
            // For scale: a full load of the (short) Runs page, the console's start-up alone.
            double[] plain = new double[rounds];
            for (int r = -1; r < rounds; r++) {
                page.navigate(url(""));
                assertThat(page.locator(".page-header h2")).isVisible();
                long t0 = System.nanoTime();
                page.navigate(url("runs"));
                assertThat(page.locator(".page-header h2")).hasText("Runs");
                if (r >= 0) {
                    plain[r] = (System.nanoTime() - t0) / 1e6;
                }
            }
            report("browser: full load of the Runs page (for scale), %d rounds: %s", rounds, stats(plain));
            // Inside the running console, as the Runs list's Compare button or a link opens it: no page load.
            double[] inApp = new double[rounds];
            for (int r = -2; r < rounds; r++) {
                page.navigate(url(""));
                assertThat(page.locator(".page-header h2")).isVisible();
                page.evaluate("loc => { const a = document.createElement('a'); a.href = loc; a.id = 'bench-link';"
                        + " a.setAttribute('router-link', ''); a.textContent = 'compare';"
                        + " document.querySelector('.page-header').appendChild(a); }", location);
                long t0 = System.nanoTime();
                page.locator("#bench-link").click();
                assertThat(page.locator(".compare-charts svg")).hasCount(4,
                        new LocatorAssertions.HasCountOptions().setTimeout(60_000));
                assertThat(page.locator(".compare-charts svg").last()).isVisible();
                if (r >= 0) {
                    inApp[r] = (System.nanoTime() - t0) / 1e6;
                }
            }
            report("browser: in-app navigation (a router link) until the 4 charts are visible, %d rounds: %s", rounds,
                    stats(inApp));
            svgBytes = ((Number) page.evaluate("Array.from(document.querySelectorAll('.compare-charts svg'))"
                    + ".reduce((n, s) => n + s.outerHTML.length, 0)")).longValue();
            // The same, in the browser's own clock: navigation start to the charts in the DOM, after a reload.
            page.reload();
            assertThat(page.locator(".compare-charts svg")).hasCount(4);
            Object inPage = page.evaluate("performance.now()");
            report("browser: after a reload, charts visible %.0f ms after navigation start (performance.now)",
                    ((Number) inPage).doubleValue());
            screenshot(page, "compare-benchmark.png");
        }
        report("browser: open URL until the 4 charts (%d lines each) are visible, %d rounds: %s", count, rounds,
                stats(browser));
        report("browser: SVG of the charts %,d characters", svgBytes);
        report("load average before: %s; after: %s; cores: %d", loadBefore, load(),
                Runtime.getRuntime().availableProcessors());
    }

    private static String stats(double[] ms) {
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        return String.format(Locale.ROOT, "median %.0f ms, p90 %.0f ms, min %.0f ms, max %.0f ms",
                sorted[sorted.length / 2], sorted[(int) Math.ceil(sorted.length * 0.9) - 1], sorted[0],
                sorted[sorted.length - 1]);
    }

    private static String load() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (Exception e) {
            return "unknown";
        }
    }

    private static void report(String format, Object... args) {
        System.out.println("[compare-benchmark] " + String.format(Locale.ROOT, format, args));
    }
}
