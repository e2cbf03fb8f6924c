package dev.runway.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.runway.testing.TenancyFixture;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Sign in, create the sample project from the empty dashboard, upload a CSV on a project and read its profile. */
@QuarkusTest
class DatasetBrowserTest extends BrowserTestBase {

    @Inject
    TenancyFixture fixture;

    @Test
    void a_newcomer_creates_the_sample_project_and_uploads_a_csv_to_see_its_profile() {
        TenancyFixture.Company company = fixture.company();
        try (BrowserContext context = newContext()) {
            Page page = signIn(context, company.ownerEmail());

            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create a sample project")).click();
            assertThat(page.locator(".page-header h2")).hasText("Sample project");
            assertThat(page.locator("vaadin-grid").first()).containsText("support tickets");

            page.getByLabel("Dataset name", EXACT).fill("my flowers");
            page.getByLabel("Dataset name", EXACT).press("Tab");
            page.locator("vaadin-upload input[type=file]").setInputFiles(Path.of("samples/iris.csv"));
            assertThat(page.locator("vaadin-grid").first()).containsText("my flowers");
            page.locator("vaadin-grid-cell-content").getByText("my flowers").click();

            assertThat(page.locator(".page-header h2")).hasText("my flowers");
            assertThat(page.locator(".cards")).containsText("150");
            assertThat(page.locator("vaadin-grid").first()).containsText("species");
            assertThat(page.locator("vaadin-grid").first()).containsText("setosa (50)");
            assertThat(page.locator(".svg-chart").first()).isVisible();
            screenshot(page, "dataset.png");
        }
    }
}
