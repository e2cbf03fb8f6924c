package dev.runway.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.options.AriaRole;
import dev.runway.tenancy.TenantContext;
import dev.runway.testing.TenancyFixture;
import dev.runway.training.Run;
import dev.runway.training.RunFixture;
import dev.runway.training.RunService;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The console under its Content-Security-Policy: a member signs in and opens every main page (and a model's details)
 * in Chromium, which reports each blocked script, style, image or connection; none may be blocked, and every page
 * must still render. Also: no page shows a server file path, and an unknown address shows the console's own page.
 */
@QuarkusTest
class ConsoleSecurityBrowserTest extends BrowserTestBase {

    /** Collects the browser's CSP reports in each document, before any of the page's own scripts run. */
    static final String LISTEN = "window.__csp = []; document.addEventListener('securitypolicyviolation', "
            + "e => window.__csp.push(e.violatedDirective + ' blocked ' + e.blockedURI + ' at ' + e.sourceFile + ':'"
            + " + e.lineNumber));";

    @Inject
    RunFixture runs;

    @Inject
    RunService runService;

    @ConfigProperty(name = "runway.storage.root")
    Path storageRoot;

    @Test
    void every_main_page_works_under_the_content_security_policy_and_shows_no_server_path() {
        RunFixture.Setup setup = runs.iris();
        TenancyFixture.Company company = setup.company();
        Run run = TenantContext.runAs(company.owner(), () -> runService.submit(new RunService.Submission(
                setup.versionId(), RunFixture.mlp(2), "cpu", 50)));
        long runId = run.getId();
        await().atMost(Duration.ofSeconds(90)).pollInSameThread().pollInterval(Duration.ofMillis(250)).until(() -> TenantContext
                .runAs(company.owner(), () -> runService.get(runId).getStatus().finished()));
        assertThat(TenantContext.runAs(company.owner(), () -> runService.get(runId).getStatus()))
                .isEqualTo(Run.Status.SUCCEEDED);

        List<String> problems = new ArrayList<>();
        try (BrowserContext context = newContext()) {
            context.addInitScript(LISTEN);
            context.onConsoleMessage(m -> {
                if (m.text().contains("Content Security Policy") || m.text().contains("Content-Security-Policy")) {
                    problems.add(m.page().url() + ": console: " + m.text());
                }
            });
            Page page = signIn(context, company.ownerEmail());

            Map<String, String> pages = new java.util.LinkedHashMap<>();
            pages.put("", "Company ");
            pages.put("projects", "Projects");
            pages.put("projects/" + run.getProjectId(), "Runs ");
            pages.put("datasets", "Datasets");
            pages.put("datasets/versions/" + setup.versionId(), "iris");
            pages.put("runs", "Runs");
            pages.put("runs/" + runId, "Training run");
            pages.put("models", "Models");
            pages.put("budget", "Budget");
            pages.put("billing", "Billing");
            pages.put("team", "Team");
            pages.put("audit", "Audit");
            pages.put("settings", "Settings");
            for (Map.Entry<String, String> p : pages.entrySet()) {
                Response response = page.navigate(url(p.getKey()));
                assertThat(response.status()).as(p.getKey()).isEqualTo(200);
                assertThat(response.headers()).as(p.getKey())
                        .containsKeys("content-security-policy", "x-frame-options", "x-content-type-options",
                                "referrer-policy");
                assertThat(page.locator(".page-header h2")).containsText(p.getValue());
                page.waitForTimeout(300);   // late requests (Push, images) report too
                problems.addAll(reports(page, p.getKey()));
                screenshot(page, "csp-" + (p.getKey().isEmpty() ? "dashboard" : p.getKey().replace('/', '-'))
                        + ".png");
            }

            // The model's page: what it is and how big, never where it lies on the server.
            page.navigate(url("models"));
            page.locator("vaadin-grid vaadin-button").first().click();
            Locator dialog = page.locator(".model-lifecycle");
            assertThat(dialog).containsText("Model files");
            String details = dialog.innerText();
            assertThat(details).doesNotContain(storageRoot.toAbsolutePath().toString())
                    .doesNotContain("storage/").doesNotContain("/runs/");
            problems.addAll(reports(page, "model version page"));

            // An address that is no page: the console's own not-found page, with status 404.
            Response missing = page.navigate(url("no-such-page"));
            assertThat(missing.status()).isEqualTo(404);
            assertThat(page.getByText("Page not found")).isVisible();
            assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Go to the dashboard")))
                    .isVisible();
            problems.addAll(reports(page, "no-such-page"));
        }
        assertThat(problems).as("CSP violations").isEmpty();
    }

    @SuppressWarnings("unchecked")
    static List<String> reports(Page page, String where) {
        List<Object> found = (List<Object>) page.evaluate("() => window.__csp || []");
        return found.stream().map(o -> where + ": " + o).toList();
    }
}
