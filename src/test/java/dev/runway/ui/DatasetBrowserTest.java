package dev.runway.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;
import dev.runway.dataset.DatasetService;
import dev.runway.dataset.Preparation;
import dev.runway.dataset.Preparation.TaskType;
import dev.runway.project.ProjectService;
import dev.runway.tenancy.TenantContext;
import dev.runway.testing.TenancyFixture;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Sign in, create the sample project from the empty dashboard, upload a CSV on a project and read its profile. */
@QuarkusTest
class DatasetBrowserTest extends BrowserTestBase {

    @Inject
    TenancyFixture fixture;

    @Inject
    DatasetService datasets;

    @Inject
    ProjectService projects;

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

    @Test
    void a_version_with_2001_columns_opens_in_under_two_seconds() {
        TenancyFixture.Company company = fixture.company();
        long[] ids = TenantContext.runAs(company.owner(), () -> {
            long project = projects.create(new ProjectService.ProjectForm("Wide " + TenancyFixture.unique(), "", "",
                    true)).getId();
            long small = upload(project, "small", "x,label\n1,a\n2,b\n3,a\n4,b\n");
            long wide = upload(project, "wide", wideCsv(2_000, 200));
            List<String> features = new ArrayList<>();
            for (int c = 1; c <= 2_000; c++) {
                features.add(String.format("f%04d", c));
            }
            datasets.savePreparation(wide, Preparation.defaults("label", features, TaskType.CLASSIFICATION));
            return new long[] {small, wide};
        });
        try (BrowserContext context = newContext()) {
            Page page = signIn(context, company.ownerEmail());
            // Warm the view's classes on a small version, so the figure is the wide file's cost only.
            page.navigate(url("datasets/versions/" + ids[0]));
            assertThat(page.locator(".page-header h2")).hasText("small");

            long[] bytes = {0};
            page.onResponse(response -> {
                try {
                    bytes[0] += response.body().length;
                } catch (RuntimeException ignored) {
                    // a response without a body (a redirect) adds nothing
                }
            });
            // A slow page is measured, not cut off by the default timeout: the assertion below reports the figure.
            page.setDefaultNavigationTimeout(120_000);
            PlaywrightAssertions.setDefaultAssertionTimeout(120_000);
            long start = System.nanoTime();
            page.navigate(url("datasets/versions/" + ids[1]));
            assertThat(page.locator(".page-header h2")).hasText("wide");
            assertThat(page.locator(".cards")).containsText(java.util.regex.Pattern.compile("2,?001"));
            assertThat(page.locator("vaadin-grid").first()).containsText("f0001");
            long millis = (System.nanoTime() - start) / 1_000_000;
            PlaywrightAssertions.setDefaultAssertionTimeout(5_000);
            System.out.printf("Wide version page (2,001 columns x 200 rows): %d ms, %,d bytes from the server%n",
                    millis, bytes[0]);
            screenshot(page, "dataset-wide.png");
            org.assertj.core.api.Assertions.assertThat(millis).as("ms to open a 2,001-column version")
                    .isLessThan(2_000);
        }
    }

    private long upload(long project, String name, String csv) {
        try {
            return datasets.upload(project, name, name + ".csv",
                    new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8))).getId();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code features} numeric columns and a class label, with a seeded random body. */
    static String wideCsv(int features, int rows) {
        Random random = new Random(7);
        StringBuilder csv = new StringBuilder();
        for (int c = 1; c <= features; c++) {
            csv.append(String.format("f%04d", c)).append(',');
        }
        csv.append("label\n");
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < features; c++) {
                csv.append(random.nextInt(1000) / 10.0).append(',');
            }
            csv.append(r % 2 == 0 ? "yes" : "no").append('\n');
        }
        return csv.toString();
    }
}
