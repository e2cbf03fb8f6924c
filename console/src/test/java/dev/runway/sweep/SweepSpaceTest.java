package dev.runway.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runway.base.BadInputException;
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
}
