package dev.runway.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.base.BadInputException;
import dev.runway.dataset.CsvProfile;
import dev.runway.dataset.CsvProfiler;
import dev.runway.dataset.Preparation;
import dev.runway.dataset.Preparation.TaskType;
import dev.runway.training.engine.Hyperparameters;
import dev.runway.training.engine.Task;
import dev.runway.training.engine.Template;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Auto's choice of family from the shape of the shared samples, and that its search fits the sweep's checks. */
class AutoPlanTest {

    @Test
    void a_table_gets_a_multi_layer_perceptron_searched_by_successive_halving() throws Exception {
        AutoPlan plan = AutoPlan.of(Preparation.defaults("species", List.of("sepal_length", "sepal_width",
                "petal_length", "petal_width"), TaskType.CLASSIFICATION), profile("iris.csv"));
        assertThat(plan.choice().shape()).isEqualTo("tabular");
        assertThat(plan.choice().template()).isEqualTo(Template.MLP);
        assertThat(plan.choice().why()).contains("a table (4 features, 150 rows, classification)");
        assertThat(plan.choice().search()).contains("successive halving (ASHA, η 3)").contains("after epochs 3, 9")
                .contains("weight decay 0.00001–0.1 (log)");
        assertThat(SweepSpace.parse(plan.space()).varies("weightDecay")).isTrue();
        assertSearchable(plan, Task.CLASSIFICATION, 4);

        AutoPlan regression = AutoPlan.of(Preparation.defaults("y", List.of("x"), TaskType.REGRESSION),
                profile("linear.csv"));
        assertThat(regression.choice().template()).isEqualTo(Template.MLP);
        assertThat(regression.choice().why()).contains("1 feature,").contains("regression");
        assertSearchable(regression, Task.REGRESSION, 1);
    }

    @Test
    void numbered_pixel_columns_are_read_as_images_for_a_convolutional_network() throws Exception {
        List<String> pixels = IntStream.range(0, 64).mapToObj(i -> "pixel_" + i).toList();
        AutoPlan plan = AutoPlan.of(Preparation.defaults("digit", pixels, TaskType.CLASSIFICATION),
                profile("digits.csv"));
        assertThat(plan.choice().shape()).isEqualTo("image");
        assertThat(plan.choice().template()).isEqualTo(Template.CNN);
        assertThat(plan.choice().why()).contains("pixel_0 … pixel_63").contains("1 × 8 × 8 image");
        assertThat(List.of(plan.base().imageChannels(), plan.base().imageHeight(), plan.base().imageWidth()))
                .containsExactly(1, 8, 8);
        assertSearchable(plan, Task.CLASSIFICATION, 64);
        // The same pixels predicted as a number are a table: a CNN only classifies.
        assertThat(AutoPlan.of(Preparation.defaults("digit", pixels, TaskType.REGRESSION), profile("digits.csv"))
                .choice().template()).isEqualTo(Template.MLP);
    }

    @Test
    void sixteen_unrelated_measurements_are_a_table_not_a_four_by_four_image() throws Exception {
        List<String> names = List.of("age", "height", "weight", "income", "rooms", "floors", "cars", "pets", "kids",
                "visits", "orders", "returns", "days", "hours", "miles", "score");
        String csv = String.join(",", names) + ",label\n" + IntStream.range(0, 40).mapToObj(r -> IntStream
                .range(0, 16).mapToObj(c -> Integer.toString((r * 7 + c) % 11)).collect(Collectors.joining(","))
                + "," + (r % 2 == 0 ? "a" : "b")).collect(Collectors.joining("\n")) + "\n";
        CsvProfile profile = CsvProfiler.profile(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)));
        AutoPlan plan = AutoPlan.of(Preparation.defaults("label", names, TaskType.CLASSIFICATION), profile);
        assertThat(plan.choice().template()).isEqualTo(Template.MLP);
        // Named as a series they would be pixels.
        assertThat(AutoPlan.imageShape(profile.columns().subList(0, 16))).isEmpty();
    }

    @Test
    void text_gets_a_transformer() throws Exception {
        AutoPlan plan = AutoPlan.of(Preparation.defaults("intent", List.of("text"), TaskType.TEXT_CLASSIFICATION),
                profile("support_tickets.csv"));
        assertThat(plan.choice().shape()).isEqualTo("text");
        assertThat(plan.choice().template()).isEqualTo(Template.TRANSFORMER);
        assertThat(plan.choice().why()).contains("text (“text”, 1,500 rows)");
        assertSearchable(plan, Task.TEXT_CLASSIFICATION, 0);
    }

    @Test
    void a_version_without_preparation_is_refused_at_the_dataset() {
        assertThatThrownBy(() -> AutoPlan.of(null, null)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("Save the dataset's preparation")
                .extracting(e -> ((BadInputException) e).field()).isEqualTo("dataset");
    }

    /** Every trial of the plan passes the run checks, and ASHA's first rung is below the family's epochs. */
    private static void assertSearchable(AutoPlan plan, Task task, int valuesPerRow) {
        SweepSpace space = SweepSpace.parse(plan.space());
        List<Map<String, Object>> trials = space.trials(SweepSpace.Method.ASHA, plan.trials(), AutoPlan.SEED);
        assertThat(trials).hasSize(plan.trials());
        for (Map<String, Object> values : trials) {
            Hyperparameters.check(SweepSpace.apply(plan.base(), values), task, valuesPerRow);
        }
        assertThat(plan.minEpochs()).isBetween(1, plan.base().epochs() - 1);
        assertThat(space.varies("epochs")).isFalse();
        // A few trials must still spread: learning rates a factor 3 apart at least, every layer choice tried.
        DoubleSummaryStatistics rates = trials.stream()
                .mapToDouble(t -> ((Number) t.get("learningRate")).doubleValue()).summaryStatistics();
        assertThat(rates.getMax() / rates.getMin()).as("spread of the learning rates").isGreaterThanOrEqualTo(3);
        if (space.varies("weightDecay")) {
            // The decay's decades: a table of mostly noise wants about 100× what a clean one does.
            DoubleSummaryStatistics decays = trials.stream()
                    .mapToDouble(t -> ((Number) t.get("weightDecay")).doubleValue()).summaryStatistics();
            assertThat(decays.getMax() / decays.getMin()).as("spread of the weight decays").isGreaterThanOrEqualTo(100);
        }
        if (space.varies("hiddenLayers")) {
            assertThat(trials.stream().map(t -> t.get("hiddenLayers")).distinct().count()).as("layer choices")
                    .isEqualTo(plan.space().get("hiddenLayers").get("values").size());
        }
    }

    private static CsvProfile profile(String sample) throws Exception {
        return CsvProfiler.profile(Path.of("samples", sample));
    }
}
