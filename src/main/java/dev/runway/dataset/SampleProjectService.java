package dev.runway.dataset;

import dev.runway.base.BadInputException;
import dev.runway.dataset.Preparation.TaskType;
import dev.runway.project.Project;
import dev.runway.project.ProjectService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.stream.IntStream;

/**
 * "Create a sample project": a project holding the sample data sets shipped in {@code samples/} (attribution in
 * samples/README.md), each uploaded like any file and given preparation settings, so a newcomer sees real data at once.
 */
@ApplicationScoped
public class SampleProjectService {

    public static final String NAME = "Sample project";

    private record Sample(String file, String dataset, String target, List<String> features, TaskType task) {}

    private static final List<Sample> SAMPLES = List.of(
            new Sample("linear.csv", "linear", "y", List.of("x"), TaskType.REGRESSION),
            new Sample("iris.csv", "iris", "species",
                    List.of("sepal_length", "sepal_width", "petal_length", "petal_width"), TaskType.CLASSIFICATION),
            new Sample("digits.csv", "digits", "digit",
                    IntStream.range(0, 64).mapToObj(i -> "pixel_" + i).toList(), TaskType.CLASSIFICATION),
            new Sample("support_tickets.csv", "support tickets", "intent", List.of("text"),
                    TaskType.TEXT_CLASSIFICATION));

    @Inject
    ProjectService projects;

    @Inject
    DatasetService datasets;

    public Project create() {
        String name = NAME;
        for (int n = 2; !projects.list(name, false, ProjectService.Sort.NAME).isEmpty()
                || !projects.list(name, true, ProjectService.Sort.NAME).isEmpty(); n++) {
            name = NAME + " " + n;
        }
        Project project = projects.create(new ProjectService.ProjectForm(name,
                "Four small data sets to try Runway with: regression (linear), classification (iris, digits) and "
                        + "text classification (support tickets). Sources in samples/README.md.",
                "sample", true));
        for (Sample sample : SAMPLES) {
            try (InputStream in = SampleProjectService.class.getResourceAsStream("/samples/" + sample.file())) {
                if (in == null) {
                    throw new BadInputException(null, "The sample file " + sample.file() + " is missing from this build");
                }
                DatasetVersion version = datasets.upload(project.getId(), sample.dataset(), sample.file(), in);
                datasets.savePreparation(version.getId(),
                        Preparation.defaults(sample.target(), sample.features(), sample.task()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return project;
    }
}
