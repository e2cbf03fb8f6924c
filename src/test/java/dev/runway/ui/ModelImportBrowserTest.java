package dev.runway.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.FilePayload;
import dev.runway.dataset.DatasetService;
import dev.runway.model.ModelService;
import dev.runway.project.ProjectService;
import dev.runway.tenancy.TenantContext;
import dev.runway.testing.TenancyFixture;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A project's page imports a model file with its manifest: a wrong file gets its message, a right one a version. */
@QuarkusTest
class ModelImportBrowserTest extends BrowserTestBase {

    @Inject
    TenancyFixture fixture;

    @Inject
    ProjectService projects;

    @Inject
    ModelService models;

    @Inject
    DatasetService datasets;

    @Test
    void an_engineer_imports_an_onnx_model_from_the_project_page() throws IOException {
        TenancyFixture.Company company = fixture.company();
        long project = TenantContext.runAs(company.owner(), () -> {
            long id = projects.create(new ProjectService.ProjectForm("Flowers", "", "", true)).getId();
            try (InputStream in = Files.newInputStream(Path.of("samples", "iris.csv"))) {
                datasets.upload(id, "iris", "iris.csv", in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return id;
        });
        byte[] onnx = Files.readAllBytes(Path.of("src/test/resources/imported-models/iris.onnx"));
        try (BrowserContext context = newContext()) {
            Page page = signIn(context, company.ownerEmail());
            page.navigate(url("projects/" + project));
            page.locator("#import-model").click();
            page.getByLabel("Name", EXACT).fill("iris from research");
            page.getByLabel("Input columns, in the model's order", EXACT).fill("sepal_length, sepal_width, "
                    + "petal_length");
            page.getByLabel("Target column", EXACT).fill("species");
            page.getByLabel("Classes, in the order of the outputs", EXACT).fill("setosa, versicolor, virginica");
            // The fields reach the server in their own request: the upload must not overtake it.
            page.waitForResponse(r -> r.url().contains("v-r=uidl"),
                    () -> page.getByLabel("Classes, in the order of the outputs", EXACT).press("Tab"));
            page.locator("#import-model-file input[type=file]").setInputFiles(new FilePayload("iris.onnx",
                    "application/octet-stream", onnx));
            // The check runs the model: the first in this JVM loads ONNX Runtime's natives, seconds on a busy machine.
            assertThat(page.getByText("The model refused a batch of 4 rows × 3 values").first())
                    .isVisible(new LocatorAssertions.IsVisibleOptions().setTimeout(30_000));
            screenshot(page, "model-import-refused.png");

            page.getByLabel("Input columns, in the model's order", EXACT).fill("sepal_length, sepal_width, "
                    + "petal_length, petal_width");
            page.waitForResponse(r -> r.url().contains("v-r=uidl"),
                    () -> page.getByLabel("Input columns, in the model's order", EXACT).press("Tab"));
            page.locator("#import-model-file input[type=file]").setInputFiles(new FilePayload("iris.onnx",
                    "application/octet-stream", onnx));
            assertThat(page.locator(".page-header h2")).hasText("Flowers v1");
            assertThat(page.getByText("Imported from a file (onnx), not trained here")).isVisible();
            screenshot(page, "model-import-version.png");
            page.locator("#evaluate-version").click();
            assertThat(page.locator(".page-header h2")).containsText("Evaluation run");
            assertThat(page.locator(".page-header h2")).containsText("Imported ONNX model");
            assertThat(page.getByText("versicolor").first()).isVisible();
            screenshot(page, "model-import-evaluation.png");
            page.setViewportSize(1366, 900);
            page.navigate(url("projects/" + project));
            page.locator("#import-model").click();
            screenshot(page, "model-import-dialog.png");
            page.setViewportSize(390, 844);
            screenshot(page, "model-import-dialog-narrow.png");
        }
        org.assertj.core.api.Assertions.assertThat(TenantContext.runAs(company.owner(), () -> models.list(project)))
                .singleElement().matches(v -> v.isImported());
    }
}
