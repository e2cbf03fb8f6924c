package dev.runway.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runway.dataset.DatasetService;
import dev.runway.dataset.Lineage;
import dev.runway.dataset.Preparation;
import dev.runway.dataset.Preparation.TaskType;
import dev.runway.tenancy.Actor;
import dev.runway.tenancy.TenantContext;
import dev.runway.training.engine.Hyperparameters;
import dev.runway.training.engine.Template;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each run records the exact preparation it trains with; changing the version's preparation later leaves it be. */
@QuarkusTest
class PreparationRevisionTest {

    private static final List<String> ALL = List.of("sepal_length", "sepal_width", "petal_length", "petal_width");

    @Inject
    RunService runs;

    @Inject
    DatasetService datasets;

    @Inject
    Lineage lineage;

    @Inject
    RunFixture fixture;

    @Test
    void a_preparation_changed_after_submission_leaves_the_run_s_revision_and_its_training_as_they_were()
            throws Exception {
        RunFixture.Setup setup = fixture.iris();
        Actor owner = setup.company().owner();
        Preparation petalsOnly = Preparation.defaults("species", List.of("petal_length", "petal_width"),
                TaskType.CLASSIFICATION);
        // Submitted and changed in one transaction: no executor can claim the run before the change is committed,
        // so the run certainly trains after its version's preparation changed.
        long id = TenantContext.runAs(owner, () -> QuarkusTransaction.requiringNew().call(() -> {
            long runId = runs.submit(new RunService.Submission(setup.versionId(),
                    Hyperparameters.defaults(Template.LOGISTIC_REGRESSION).withEpochs(3), "cpu", 50)).getId();
            datasets.savePreparation(setup.versionId(), petalsOnly);
            return runId;
        }));

        await().pollInSameThread().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                .until(() -> TenantContext.runAs(owner, () -> runs.get(id)).getStatus().finished());
        Run run = TenantContext.runAs(owner, () -> runs.get(id));
        assertThat(run.getStatus()).as(run.getError()).isEqualTo(Run.Status.SUCCEEDED);
        JsonNode model = new ObjectMapper().readTree(Path.of(run.getModelDir()).resolve("runway-model.json").toFile());
        assertThat(model.at("/encoding/features").findValuesAsText("column")).as("trained on revision 1's features")
                .containsExactlyElementsOf(ALL);

        TenantContext.runAs(owner, () -> {
            DatasetService.RevisionUsed used = runs.preparationUsed(id).orElseThrow();
            assertThat(used.revision()).isEqualTo(1);
            assertThat(used.current()).isFalse();
            assertThat(used.label()).isEqualTo("revision 1 (changed since)");
            assertThat(used.preparation().features()).containsExactlyElementsOf(ALL);
            assertThat(datasets.preparation(setup.versionId()).orElseThrow()).isEqualTo(petalsOnly);
            assertThat(lineage.trainedOn(setup.versionId())).singleElement()
                    .extracting(Lineage.Trained::description).asString()
                    .endsWith("succeeded · preparation revision 1 (changed since)");

        });
        // A run submitted now trains with the new settings: revision 2 (cancelled before any executor sees it).
        TenantContext.runAs(owner, () -> QuarkusTransaction.requiringNew().run(() -> {
            Run next = runs.submit(new RunService.Submission(setup.versionId(),
                    Hyperparameters.defaults(Template.LOGISTIC_REGRESSION).withEpochs(1), "cpu", 50));
            assertThat(runs.preparationUsed(next.getId()).orElseThrow().revision()).isEqualTo(2);
            runs.cancel(next.getId());
            assertThat(runs.preparationUsed(id).orElseThrow().revision()).isEqualTo(1);
        }));
    }

    @Test
    void a_cancelled_run_retried_resumes_with_its_revision_while_a_failed_one_starts_over_with_the_current_one() {
        RunFixture.Setup setup = fixture.iris();
        Actor owner = setup.company().owner();
        Preparation petalsOnly = Preparation.defaults("species", List.of("petal_length", "petal_width"),
                TaskType.CLASSIFICATION);
        TenantContext.runAs(owner, () -> QuarkusTransaction.requiringNew().run(() -> {
            Run run = runs.submit(new RunService.Submission(setup.versionId(),
                    Hyperparameters.defaults(Template.LOGISTIC_REGRESSION).withEpochs(1), "cpu", 50));
            runs.cancel(run.getId());
            datasets.savePreparation(setup.versionId(), petalsOnly);
            runs.retry(run.getId());
            assertThat(runs.preparationUsed(run.getId()).orElseThrow().revision()).isEqualTo(1);
            runs.cancel(run.getId());

            run.fail("failed for the test", java.time.Instant.now());
            runs.retry(run.getId());
            assertThat(runs.preparationUsed(run.getId()).orElseThrow().revision()).isEqualTo(2);
            assertThat(runs.logTail(run.getId())).extracting(RunLog::getLine)
                    .contains("Starts over with preparation revision 2 (the dataset version's preparation changed)");
            runs.cancel(run.getId());
        }));
    }
}
