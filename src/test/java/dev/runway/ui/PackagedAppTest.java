package dev.runway.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.options.AriaRole;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * What a visitor who is not signed in can reach (under the Content-Security-Policy): no Quarkus development endpoints, the console's own not-found page
 * for an unknown address, Vaadin in the mode of the build. {@link PackagedAppIT} runs the same against the jar built
 * with -Pproduction, where Vaadin must run in production mode.
 */
@QuarkusTest
class PackagedAppTest extends BrowserTestBase {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** Tests run Vaadin in development mode (its dev bundle); the production build must not. */
    boolean productionBuild() {
        return false;
    }

    @Test
    void no_development_endpoint_is_served() throws Exception {
        for (String path : new String[] {"q/dev-ui", "q/dev-ui/", "q/dev", "q/dev/", "q/dev-v1"}) {
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(url(path))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(path).isEqualTo(404);
            assertThat(answer.body()).as(path).doesNotContain("Dev UI");
        }
    }

    @Test
    void strict_transport_security_is_sent_by_the_production_build_only() throws Exception {
        HttpResponse<Void> answer = HTTP.send(HttpRequest.newBuilder(URI.create(url("login"))).build(),
                HttpResponse.BodyHandlers.discarding());
        if (productionBuild()) {
            assertThat(answer.headers().firstValue("strict-transport-security"))
                    .hasValue("max-age=31536000; includeSubDomains");
        } else {
            assertThat(answer.headers().firstValue("strict-transport-security")).as("plain http in tests").isEmpty();
        }
    }

    @Test
    void an_unknown_address_shows_the_consoles_own_not_found_page_with_status_404() {
        try (BrowserContext context = newContext()) {
            context.addInitScript(ConsoleSecurityBrowserTest.LISTEN);
            Page page = context.newPage();
            Response answer = page.navigate(url("no-such-page"));
            assertThat(answer.status()).isEqualTo(404);
            assertThat(answer.headers()).containsKey("content-security-policy");
            assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Page not found")))
                    .isVisible();
            assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Go to the dashboard")))
                    .isVisible();
            assertThat(page).hasTitle("Page not found · Runway");
            assertThat(page.content()).doesNotContain("Could not navigate").doesNotContain("Available routes");
            assertThat(ConsoleSecurityBrowserTest.reports(page, "no-such-page")).as("CSP violations").isEmpty();
            screenshot(page, productionBuild() ? "not-found-production.png" : "not-found.png");
            // Known addresses keep their 200, whether or not the visitor may see them yet.
            assertThat(page.navigate(url("login")).status()).isEqualTo(200);
            assertThat(page.navigate(url("projects")).status()).isEqualTo(200);
        }
    }

    @Test
    void vaadin_runs_in_the_mode_of_the_build() throws IOException, InterruptedException {
        try (BrowserContext context = newContext()) {
            context.addInitScript(ConsoleSecurityBrowserTest.LISTEN);
            Page page = context.newPage();
            page.navigate(url("login"));
            assertThat(page.getByLabel("Email", EXACT)).isVisible();
            assertThat(ConsoleSecurityBrowserTest.reports(page, "login")).as("CSP violations").isEmpty();
            page.navigate(url("signup"));
            assertThat(page.getByLabel("Work email", EXACT)).isVisible();
            assertThat(ConsoleSecurityBrowserTest.reports(page, "signup")).as("CSP violations").isEmpty();
            // (The pages a visitor sees first work under the policy in this build's mode too.)
            Object developmentMode = page.evaluate("() => !!(window.Vaadin && window.Vaadin.developmentMode)");
            int devTools = page.locator("vaadin-dev-tools").count();
            if (productionBuild()) {
                assertThat(developmentMode).isEqualTo(false);
                assertThat(devTools).isZero();
            } else {
                assertThat(developmentMode).isEqualTo(true);
            }
        }
    }
}
