package dev.runway.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runway.base.BadInputException;
import dev.runway.training.engine.Hyperparameters;
import dev.runway.training.engine.Template;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The sweep space alone: huge requests are refused quickly, before anything is enumerated. */
class SweepSpaceTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    @Timeout(5)
    void a_values_list_longer_than_the_most_trials_is_refused_at_its_field_before_it_is_read() throws Exception {
        String huge = IntStream.range(0, 200_000).mapToObj(i -> String.valueOf(1 + i % 60_000))
                .collect(Collectors.joining(","));
        JsonNode space = JSON.readTree("{\"batchSize\": {\"values\": [" + huge + "]}}");

        assertThatThrownBy(() -> SweepSpace.parse(space)).isInstanceOfSatisfying(BadInputException.class, e -> {
            assertThat(e.field()).isEqualTo("parameters.batchSize");
            assertThat(e.getMessage()).contains("at most 100 entries");
        });
    }

    @Test
    @Timeout(5)
    void a_grid_far_larger_than_the_trials_is_counted_and_refused_without_being_made() throws Exception {
        String hundred = IntStream.rangeClosed(1, 100).mapToObj(String::valueOf).collect(Collectors.joining(","));
        String layers = IntStream.rangeClosed(1, 100).mapToObj(i -> "[" + i + "]").collect(Collectors.joining(","));
        // 100 × 100 × 100 × 20 × 20 × 2 combinations.
        JsonNode space = JSON.readTree("{\"batchSize\": {\"values\": [" + hundred + "]},"
                + " \"epochs\": {\"values\": [" + hundred + "]}, \"hiddenLayers\": {\"values\": [" + layers + "]},"
                + " \"learningRate\": {\"min\": 0.0001, \"max\": 0.1, \"log\": true, \"steps\": 20},"
                + " \"dropout\": {\"min\": 0, \"max\": 0.5, \"steps\": 20},"
                + " \"optimizer\": {\"values\": [\"adam\", \"sgd\", \"adam\"]}}");
        SweepSpace parsed = SweepSpace.parse(space);
        assertThat(parsed.gridSize()).isEqualTo(100L * 100 * 100 * 20 * 20 * 2);

        assertThatThrownBy(() -> parsed.trials(SweepSpace.Method.GRID, 100, 1L))
                .isInstanceOfSatisfying(BadInputException.class, e -> {
                    assertThat(e.field()).isEqualTo("trials");
                    assertThat(e.getMessage()).startsWith("The grid has 800000000 combinations")
                            .contains("give fewer values or steps").doesNotContain("raise");
                });
    }

    @Test
    void repeated_values_count_once_in_their_first_order() throws Exception {
        SweepSpace space = SweepSpace.parse(JSON.readTree(
                "{\"activation\": {\"values\": [\"tanh\", \"relu\", \"tanh\", \"RELU\"]}}"));
        assertThat(space.trials(SweepSpace.Method.GRID, 2, 1L)).extracting(m -> m.get("activation"))
                .containsExactly("TANH", "RELU");
    }

    @Test
    void weight_decay_is_swept_on_a_log_range_or_as_values_and_checked_at_its_field() throws Exception {
        SweepSpace range = SweepSpace.parse(JSON.readTree(
                "{\"weightDecay\": {\"min\": 0.00001, \"max\": 0.1, \"log\": true, \"steps\": 5}}"));
        assertThat(range.trials(SweepSpace.Method.GRID, 5, 1L)).extracting(m -> m.get("weightDecay"))
                .containsExactly(0.00001, 0.0001, 0.001, 0.01, 0.1);
        assertThat(range.trials(SweepSpace.Method.RANDOM, 20, 7L)).allSatisfy(m ->
                assertThat((Double) m.get("weightDecay")).isBetween(0.00001, 0.1));
        SweepSpace values = SweepSpace.parse(JSON.readTree("{\"weightDecay\": {\"values\": [0, 0.001]}}"));
        Hyperparameters base = Hyperparameters.defaults(Template.MLP);
        assertThat(values.trials(SweepSpace.Method.GRID, 2, 1L)).extracting(m -> SweepSpace.apply(base, m)
                .weightDecay()).containsExactly(0.0, 0.001);

        for (String bad : List.of("{\"min\": 0, \"max\": 0.1, \"log\": true}", "{\"min\": 0.001, \"max\": 2}",
                "{\"min\": -0.1, \"max\": 0.1}", "{\"values\": [0.01, 5]}", "{\"values\": [\"high\"]}")) {
            assertThatThrownBy(() -> SweepSpace.parse(JSON.readTree("{\"weightDecay\": " + bad + "}")))
                    .as(bad).isInstanceOfSatisfying(BadInputException.class,
                            e -> assertThat(e.field()).isEqualTo("parameters.weightDecay"));
        }
        assertThatThrownBy(() -> SweepSpace.parse(JSON.readTree("{\"weightDecay\": {\"min\": 0.001, \"max\": 2}}")))
                .hasMessage("Weight decay is from 0 (off) to 1, e.g. 0.0001");
        assertThatThrownBy(() -> SweepSpace.parse(JSON.readTree(
                "{\"weightDecay\": {\"min\": 0, \"max\": 0.1, \"log\": true}}")))
                .hasMessage("A log scale needs “min” above 0");
    }
}
