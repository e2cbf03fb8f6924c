package dev.runway.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.runway.tenancy.Role;
import dev.runway.testing.TenancyFixture;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Settings → API keys: create a key (shown once), call the API with it, revoke it, and the API refuses it. */
@QuarkusTest
class ApiKeysBrowserTest extends BrowserTestBase {

    @Inject
    TenancyFixture fixture;

    @Test
    void an_owner_creates_an_api_key_uses_it_and_revokes_it() throws Exception {
        TenancyFixture.Company company = fixture.company();
        try (BrowserContext context = newContext()) {
            Page page = signIn(context, company.ownerEmail());
            page.navigate(url("settings"));
            assertThat(page.getByText("No API keys yet").first()).isVisible();

            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create API key")).first().click();
            page.getByRole(AriaRole.DIALOG).getByLabel("Name", new com.microsoft.playwright.Locator.GetByLabelOptions()
                    .setExact(true)).fill("GitHub Actions");
            page.getByRole(AriaRole.DIALOG).getByLabel("Role", new com.microsoft.playwright.Locator.GetByLabelOptions()
                    .setExact(true)).click();
            page.getByRole(AriaRole.OPTION, new Page.GetByRoleOptions().setName("Engineer — Projects, datasets and runs"))
                    .click();
            screenshot(page, "api-key-create.png");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create key")).click();
            String key = page.locator(".api-key-value input").inputValue();
            assertThat(key).matches("rw_[0-9a-f]{12}_[A-Za-z0-9_-]{43}");
            assertThat(page.getByText("it is shown only this once").first()).isVisible();
            screenshot(page, "api-key-shown-once.png");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Close")).click();

            assertThat(page.locator("vaadin-grid").first()).containsText("GitHub Actions");
            assertThat(page.locator("vaadin-grid").first()).containsText(key.substring(0, 15) + "_…");
            assertThat(page.locator("vaadin-grid").first()).containsText("Engineer");
            assertThat(call(key)).isEqualTo(200);
            screenshot(page, "api-keys.png");
            page.setViewportSize(420, 900);
            screenshot(page, "api-keys-narrow.png");
            page.setViewportSize(1366, 900);

            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Revoke GitHub Actions")).click();
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Revoke").setExact(true)).click();
            assertThat(page.locator("vaadin-grid").first()).containsText("Revoked");
            assertThat(call(key)).isEqualTo(401);
        }
        // Members who may not manage settings see no keys at all.
        String viewerEmail = "viewer-" + TenancyFixture.unique() + "@example.com";
        fixture.join(company, viewerEmail, Role.VIEWER);
        try (BrowserContext context = newContext()) {
            Page page = signIn(context, viewerEmail);
            page.navigate(url("settings"));
            assertThat(page.getByText("Your account").first()).isVisible();
            assertThat(page.getByText("API keys")).hasCount(0);
        }
    }

    private int call(String key) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url("api/v1/projects")))
                .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }
}
