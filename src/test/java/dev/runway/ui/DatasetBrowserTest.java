package dev.runway.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.FilePayload;
import com.microsoft.playwright.options.AriaRole;
import dev.runway.dataset.DatasetService;
import dev.runway.dataset.Preparation;
import dev.runway.dataset.Preparation.TaskType;
import dev.runway.model.ModelService;
import dev.runway.project.ProjectService;
import dev.runway.tenancy.TenantContext;
import dev.runway.testing.TenancyFixture;
import dev.runway.testing.WideCsv;
import dev.runway.training.RunService;
import dev.runway.training.engine.Hyperparameters;
import dev.runway.training.engine.Template;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

    @Inject
    RunService runs;

    @Inject
    ModelService models;

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

            // Accepted with a warning, and refused naming the file.
            page.getByLabel("Dataset name", EXACT).fill("eu prices");
            page.getByLabel("Dataset name", EXACT).press("Tab");
            page.locator("vaadin-upload input[type=file]").setInputFiles(new FilePayload("eu-prices.csv", "text/csv",
                    "size;price\n1,5;inf\n2,5;3\n".getBytes(StandardCharsets.UTF_8)));
            assertThat(page.getByText("“eu-prices.csv”: Column “price” has 1 infinite value (“inf” on line 2)"))
                    .isVisible();
            page.locator("vaadin-upload input[type=file]").setInputFiles(new FilePayload("ragged.csv", "text/csv",
                    "a,b\n1,2\n3\n".getBytes(StandardCharsets.UTF_8)));
            assertThat(page.getByText("“ragged.csv”: Line 3 has 1 values")).isVisible();
            screenshot(page, "dataset-upload-messages.png");

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
    void an_identical_upload_asks_to_keep_the_version_and_lineage_shows_the_preparation_each_run_trained_with()
            throws IOException {
        TenancyFixture.Company company = fixture.company();
        var owner = company.owner();
        List<String> all = List.of("sepal_length", "sepal_width", "petal_length", "petal_width");
        long[] ids = TenantContext.runAs(owner, () -> {
            long project = projects.create(new ProjectService.ProjectForm("Lineage " + TenancyFixture.unique(), "",
                    "", true)).getId();
            try {
                long version = datasets.upload(project, "iris", "iris.csv",
                        java.nio.file.Files.newInputStream(Path.of("samples/iris.csv"))).getId();
                datasets.savePreparation(version, Preparation.defaults("species", all, TaskType.CLASSIFICATION));
                long run = runs.submit(new RunService.Submission(version,
                        Hyperparameters.defaults(Template.LOGISTIC_REGRESSION).withEpochs(2), "cpu", 50)).getId();
                return new long[] {project, version, run};
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofMinutes(2))
                .until(() -> TenantContext.runAs(owner, () -> runs.get(ids[2]).getStatus().finished()));
        long model = TenantContext.runAs(owner, () -> {
            // Changed after the run: its lineage keeps revision 1.
            datasets.savePreparation(ids[1], Preparation.defaults("species", List.of("petal_length", "petal_width"),
                    TaskType.CLASSIFICATION));
            return models.forRun(ids[2]).orElseThrow().getId();
        });

        try (BrowserContext context = newContext()) {
            Page page = signIn(context, company.ownerEmail());
            page.navigate(url("projects/" + ids[0]));
            page.getByLabel("Dataset name", EXACT).fill("iris");
            page.getByLabel("Dataset name", EXACT).press("Tab");
            page.locator("vaadin-upload input[type=file]").setInputFiles(Path.of("samples/iris.csv"));
            Locator keep = page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Keep iris v1"));
            assertThat(keep).isVisible();
            assertThat(page.getByText("“iris.csv” has exactly the bytes of iris v1")).isVisible();
            screenshot(page, "dataset-identical-upload.png");
            keep.click();
            assertThat(page.getByText("Kept iris v1: no version added")).isVisible();
            assertThat(keep).hasCount(0);
            org.assertj.core.api.Assertions.assertThat(TenantContext.runAs(owner, () -> datasets.list(ids[0])))
                    .singleElement().extracting(DatasetService.DatasetSummary::versions).isEqualTo(1);

            // The same bytes under another name are still the same data.
            page.setViewportSize(390, 844);
            page.locator("vaadin-upload input[type=file]").setInputFiles(new FilePayload("iris-again.csv",
                    "text/csv", java.nio.file.Files.readAllBytes(Path.of("samples/iris.csv"))));
            assertThat(page.getByText("“iris-again.csv” has exactly the bytes of iris v1")).isVisible();
            Locator add = page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add a new version"));
            screenshot(page, "dataset-identical-upload-narrow.png");
            add.click();
            assertThat(page.getByText("iris v2: 150 rows, 5 columns (the same bytes as v1)")).isVisible();
            org.assertj.core.api.Assertions.assertThat(TenantContext.runAs(owner, () -> datasets.list(ids[0])))
                    .singleElement().extracting(DatasetService.DatasetSummary::versions).isEqualTo(2);
            page.setViewportSize(1366, 900);

            page.navigate(url("runs/" + ids[2]));
            assertThat(page.locator("#run-preparation")).containsText("revision 1 (changed since)");
            assertThat(page.locator("#run-preparation")).containsText("Preparation: target species · 4 features · "
                    + "classification · split 70/10/20 · seed 42");
            screenshot(page, "run-preparation.png");
            page.navigate(url("models/" + model));
            assertThat(page.locator("#model-lineage")).containsText("with preparation revision 1 (changed since)");
            page.navigate(url("datasets/versions/" + ids[1]));
            assertThat(page.locator("#dataset-lineage")).containsText("preparation revision 1 (changed since)");
            page.locator("#dataset-lineage").scrollIntoViewIfNeeded();
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("dataset-lineage-preparation.png")));
        }
    }

    @Test
    void a_version_with_2001_columns_opens_in_under_two_seconds() {
        TenancyFixture.Company company = fixture.company();
        long[] ids = TenantContext.runAs(company.owner(), () -> {
            long project = projects.create(new ProjectService.ProjectForm("Wide " + TenancyFixture.unique(), "", "",
                    true)).getId();
            long small = upload(project, "small", "x,label\n1,a\n2,b\ninf,a\n4,b\n");
            long wide = upload(project, "wide", WideCsv.of(2_000, 200));
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
            assertThat(page.locator(".dataset-warning")).containsText("Column “x” has 1 infinite value (“inf” on "
                    + "line 4)");

            long[] bytes = {0};
            // Counted once a request has finished: asking a response for its body blocks for good when the
            // browser dropped that request on navigating away.
            page.onRequestFinished(request -> bytes[0] += Math.max(0, request.sizes().responseBodySize));
            // A slow page is measured, not cut off by the default timeouts: the assertions below report the figure.
            page.setDefaultNavigationTimeout(120_000);
            PlaywrightAssertions.setDefaultAssertionTimeout(120_000);
            // The first opening in a fresh test JVM also pays class loading and JIT warm-up (about 1.5 s alone,
            // over 2 s when the suite loads both cores); it is printed, and the figure held to 2 s is the median of
            // the next three page loads, as a running console serves them.
            long start = System.nanoTime();
            page.navigate(url("datasets/versions/" + ids[1]));
            assertThat(page.locator(".dataset-summary")).containsText("2,001 columns");
            long cold = (System.nanoTime() - start) / 1_000_000;
            long[] loads = new long[3];
            long answered = 0;
            for (int i = 0; i < loads.length; i++) {
                page.navigate(url("datasets"));
                assertThat(page.locator("vaadin-grid").first()).containsText("small");
                bytes[0] = 0;
                start = System.nanoTime();
                page.navigate(url("datasets/versions/" + ids[1]));
                assertThat(page.locator(".dataset-summary")).containsText("200 rows × 2,001 columns: 2,000 numeric, "
                        + "1 categorical");
                assertThat(page.locator("vaadin-grid").first()).containsText("f0001");
                loads[i] = (System.nanoTime() - start) / 1_000_000;
                answered = bytes[0];
            }
            long loaded = java.util.Arrays.stream(loads).sorted().toArray()[1];

            // The way a person usually gets there: from the list of datasets, inside the running page.
            page.navigate(url("datasets"));
            assertThat(page.locator("vaadin-grid").first()).containsText("small");
            start = System.nanoTime();
            page.locator("vaadin-grid-cell-content").getByText("wide", new Locator.GetByTextOptions().setExact(true))
                    .click();
            assertThat(page.locator(".dataset-summary")).containsText("2,001 columns");
            assertThat(page.locator("vaadin-grid").first()).containsText("f0001");
            long clicked = (System.nanoTime() - start) / 1_000_000;
            PlaywrightAssertions.setDefaultAssertionTimeout(5_000);
            System.out.printf("2,001-column version page: %d ms as a page load (%,d bytes from the server; %d ms the "
                    + "first time in this JVM), %d ms from the datasets list%n", loaded, answered, cold, clicked);
            screenshot(page, "dataset-wide.png");

            // The preview pages its columns; a column's histogram is drawn when its row is opened.
            assertThat(page.getByText("Columns 1–50 of 2,001")).isVisible();
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Next columns")).click();
            assertThat(page.getByText("Columns 51–100 of 2,001")).isVisible();
            page.locator("vaadin-grid-cell-content").getByText("f0013", new Locator.GetByTextOptions().setExact(true))
                    .first().click();
            assertThat(page.locator(".svg-chart svg[aria-label='f0013']")).isVisible();

            // On a wide file the form names the columns left out; saving keeps every other column as a feature.
            assertThat(page.getByLabel("Columns left out (all the others except the target are features)", EXACT))
                    .isVisible();
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save preparation")).click();
            assertThat(page.getByText("Preparation saved")).isVisible();
            page.getByText("Columns 1–50 of 2,001").scrollIntoViewIfNeeded();
            screenshot(page, "dataset-wide-preview.png");
            page.setViewportSize(390, 844);
            screenshot(page, "dataset-wide-narrow.png");
            org.assertj.core.api.Assertions.assertThat(TenantContext.runAs(company.owner(),
                    () -> datasets.preparation(ids[1]).orElseThrow().features())).hasSize(2_000);

            org.assertj.core.api.Assertions.assertThat(loaded).as("ms to load a 2,001-column version page")
                    .isLessThan(2_000);
            org.assertj.core.api.Assertions.assertThat(clicked).as("ms to open it from the datasets list")
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
}
