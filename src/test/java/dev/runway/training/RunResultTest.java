package dev.runway.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.base.Json;
import dev.runway.training.engine.Task;
import dev.runway.training.engine.EvaluationResult;
import dev.runway.training.engine.TrainingResult;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The stored result JSON, as the engine writes it, read into {@link RunResult}; the stored shape is unchanged. */
class RunResultTest {

    @Test
    void a_training_result_is_read_into_its_fields_in_the_stored_order() {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("mse", 0.5);
        metrics.put("mae", 0.25);
        metrics.put("r2", 0.9);
        String stored = Json.write(new TrainingResult(TrainingResult.Status.SUCCEEDED, 12, true, "gpu1", metrics,
                Map.of("intercept", 1.5), List.of(), Path.of("models/7"), null));

        RunResult result = RunResult.read(stored).orElseThrow();

        assertThat(result.testMetrics()).containsExactly(Map.entry("mse", 0.5), Map.entry("mae", 0.25),
                Map.entry("r2", 0.9));
        assertThat(result.measured()).isEqualTo(result.testMetrics());
        assertThat(result.coefficients()).containsEntry("intercept", 1.5);
        assertThat(result.epochsRun()).isEqualTo(12);
        assertThat(result.stoppedEarly()).isTrue();
        assertThat(result.device()).isEqualTo("gpu1");
        assertThat(result.metrics()).isEmpty();
        assertThat(result.confusion()).isEmpty();
    }

    @Test
    void an_evaluation_result_is_read_and_shown_back_in_the_shape_it_is_stored_in() {
        EvaluationResult evaluation = new EvaluationResult(Task.CLASSIFICATION, 30,
                Map.of("accuracy", 0.8), List.of("a", "b"),
                List.of(new EvaluationResult.ClassMetrics("a", 0.75, 1.0, 0.857, 3)),
                List.of(List.of(3L, 0L), List.of(1L, 2L)), List.of(new EvaluationResult.Point(1.0, 1.5)),
                List.of(new EvaluationResult.FeatureImportance("x", 0.125)));
        String stored = Json.write(evaluation);

        RunResult result = RunResult.read(stored).orElseThrow();

        assertThat(result.measured()).containsExactly(Map.entry("accuracy", 0.8));
        assertThat(result.labels()).containsExactly("a", "b");
        assertThat(result.confusion().get(1)).containsExactly(1L, 2L);
        assertThat(result.points()).containsExactly(new RunResult.Point(1.0, 1.5));
        assertThat(result.importance()).containsExactly(new RunResult.FeatureImportance("x", 0.125));
        assertThat(Json.tree(Json.write(result.evaluation()))).isEqualTo(Json.tree(stored));
    }

    @Test
    void no_result_or_an_unreadable_one_reads_as_empty() {
        assertThat(RunResult.read(null)).isEmpty();
        assertThat(RunResult.read("not json")).isEmpty();
        assertThat(RunResult.read("{\"testMetrics\":{\"accuracy\":null,\"f1\":0.5},\"future\":1}").orElseThrow()
                .testMetrics()).containsExactly(Map.entry("f1", 0.5));
    }
}
