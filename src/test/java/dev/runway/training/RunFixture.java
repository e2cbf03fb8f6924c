package dev.runway.training;

import dev.runway.dataset.DatasetService;
import dev.runway.dataset.DatasetVersion;
import dev.runway.dataset.Preparation;
import dev.runway.project.ProjectService;
import dev.runway.tenancy.TenantContext;
import dev.runway.testing.TenancyFixture;
import dev.runway.training.engine.Activation;
import dev.runway.training.engine.Hyperparameters;
import dev.runway.training.engine.OptimizerKind;
import dev.runway.training.engine.Template;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A company with a project and a prepared dataset version to run on. */
@ApplicationScoped
public class RunFixture {

    @Inject
    TenancyFixture tenancy;

    @Inject
    ProjectService projects;

    @Inject
    DatasetService datasets;

    public record Setup(TenancyFixture.Company company, long versionId) {}

    public Setup iris() {
        return prepared("iris.csv", "species", List.of("sepal_length", "sepal_width", "petal_length", "petal_width"),
                Preparation.TaskType.CLASSIFICATION);
    }

    public Setup linear() {
        return prepared("linear.csv", "y", List.of("x"), Preparation.TaskType.REGRESSION);
    }

    public Setup prepared(String sample, String target, List<String> features, Preparation.TaskType task) {
        return preparedIn(tenancy.company(), sample, target, features, task);
    }

    /** A new project of {@code company} with a prepared dataset version. */
    public Setup preparedIn(TenancyFixture.Company company, String sample, String target, List<String> features,
            Preparation.TaskType task) {
        return preparedFrom(company, Path.of("samples", sample), Preparation.defaults(target, features, task));
    }

    /** A new project of {@code company} with {@code file} uploaded and prepared with {@code preparation}. */
    public Setup preparedFrom(TenancyFixture.Company company, Path file, Preparation preparation) {
        String sample = file.getFileName().toString();
        long version = TenantContext.runAs(company.owner(), () -> {
            long project = projects.create(new ProjectService.ProjectForm("Runs " + TenancyFixture.unique(), "", "",
                    true)).getId();
            try (InputStream in = Files.newInputStream(file)) {
                DatasetVersion v = datasets.upload(project, sample.replace(".csv", ""), sample, in);
                datasets.savePreparation(v.getId(), preparation);
                return v.getId();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return new Setup(company, version);
    }

    public static Hyperparameters mlp(int epochs) {
        return new Hyperparameters(Template.MLP, OptimizerKind.ADAM, 0.01, 16, epochs, List.of(16), Activation.RELU,
                0, 0, 42, 0, 0, 0, 0, 0, 0, 0, 0);
    }
}
