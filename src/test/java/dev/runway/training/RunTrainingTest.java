package dev.runway.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runway.model.ModelService;
import dev.runway.model.ModelVersion;
import dev.runway.tenancy.Actor;
import dev.runway.tenancy.TenantContext;
import dev.runway.training.engine.Hyperparameters;
import dev.runway.training.engine.Template;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Real DJL training through the real queue: the seed's example, model registration and an evaluation run. */
@QuarkusTest
class RunTrainingTest {

    @Inject
    RunService runs;

    @Inject
    ModelService models;

    @Inject
    RunFixture fixture;

    @Test
    void the_linear_template_recovers_intercept_2_and_slope_3_and_registers_an_evaluable_model() throws Exception {
        RunFixture.Setup setup = fixture.linear();
        Actor owner = setup.company().owner();
        long id = TenantContext.runAs(owner, () -> runs.submit(new RunService.Submission(setup.versionId(),
                Hyperparameters.defaults(Template.LINEAR_REGRESSION), "auto", 50)).getId());

        Run run = finished(owner, id);
        assertThat(run.getStatus()).as(run.getError()).isEqualTo(Run.Status.SUCCEEDED);
        assertThat(run.getDeviceUsed()).isNotBlank();
        JsonNode result = new ObjectMapper().readTree(run.resultJson());
        assertThat(result.at("/coefficients/intercept").asDouble()).isCloseTo(2.0, within(0.05));
        assertThat(result.at("/coefficients/x").asDouble()).isCloseTo(3.0, within(0.05));
        assertThat(result.at("/testMetrics/mse").asDouble()).isLessThan(0.02);
        assertThat(TenantContext.runAs(owner, () -> runs.metrics(id))).isNotEmpty();
        // Of its checkpoints only the one the run names is kept: a resume starts from no other.
        try (Stream<Path> kept = Files.list(Path.of(run.getModelDir()).resolveSibling("checkpoints"))) {
            assertThat(kept.map(d -> d.getFileName().toString()))
                    .containsExactly("epoch-" + run.getLastCheckpointEpoch());
        }

        ModelVersion model = TenantContext.runAs(owner, () -> models.forRun(id)).orElseThrow();
        assertThat(model.getVersion()).isEqualTo(1);
        assertThat(ModelService.metrics(model)).containsKeys("mse", "coef_intercept");

        long evaluation = TenantContext.runAs(owner, () -> runs.submitEvaluation(id, setup.versionId()).getId());
        Run evaluated = finished(owner, evaluation);
        assertThat(evaluated.getStatus()).as(evaluated.getError()).isEqualTo(Run.Status.SUCCEEDED);
        JsonNode eval = new ObjectMapper().readTree(evaluated.resultJson());
        assertThat(eval.at("/metrics/r2").asDouble()).isGreaterThan(0.99);
        assertThat(eval.get("importance")).isNotEmpty();
    }

    private Run finished(Actor owner, long id) {
        await().pollInSameThread().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
                .until(() -> TenantContext.runAs(owner, () -> runs.get(id)).getStatus().finished());
        return TenantContext.runAs(owner, () -> runs.get(id));
    }
}
