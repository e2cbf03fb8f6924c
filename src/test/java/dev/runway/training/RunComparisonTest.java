package dev.runway.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.runway.base.BadInputException;
import dev.runway.base.NotFoundException;
import dev.runway.dataset.Lineage;
import dev.runway.testing.Acting;
import dev.runway.training.engine.Augmentation;
import dev.runway.training.engine.OptimizerKind;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

@QuarkusTest
class RunComparisonTest {

    @Inject
    RunFixture runs;

    @Inject
    CompareFixture fixture;

    @Inject
    RunComparison comparison;

    @Inject
    RunService runService;

    @Inject
    Lineage lineage;

    @Inject
    RunModels runModels;

    private static final Duration MINUTE = Duration.ofMinutes(1);

    @Test
    void the_table_marks_the_settings_that_differ_and_keeps_the_equal_ones() {
        RunFixture.Setup setup = runs.iris();
        long a = fixture.succeeded(setup.company().owner(), setup.versionId(), RunFixture.mlp(20), 20, 0,
                Map.of("accuracy", 0.9), MINUTE);
        long b = fixture.succeeded(setup.company().owner(), setup.versionId(),
                RunFixture.mlp(20).withLearningRate(0.001).withOptimizer(OptimizerKind.SGD)
                        .withAugmentation(new Augmentation(0, 0, 0.1, true, 0, 0)), 20, 0,
                Map.of("accuracy", 0.95), MINUTE);

        RunComparison.Comparison c = Acting.as(setup.company().owner(), () -> comparison.compare(List.of(a, b), null));

        assertThat(c.runs()).extracting(RunComparison.Compared::id).containsExactly(a, b);
        assertThat(setting(c, "Learning rate").values()).containsExactly("0.01", "0.001");
        assertThat(setting(c, "Learning rate").differs()).isTrue();
        assertThat(setting(c, "Optimizer").values()).containsExactly("Adam", "SGD");
        assertThat(setting(c, "Batch size").differs()).isFalse();
        assertThat(setting(c, "Target").values()).containsExactly("species", "species");
        assertThat(setting(c, "Features").differs()).isFalse();
        assertThat(setting(c, "Dataset version").differs()).isFalse();
        assertThat(c.settings()).extracting(RunComparison.Setting::name).doesNotContain("Embedding size");
        assertThat(setting(c, "Augmentation").values())
                .containsExactly("—", "Gaussian noise σ 0.1, oversampling of rare classes");
    }

    @Test
    void metrics_carry_deltas_against_the_chosen_baseline() {
        RunFixture.Setup setup = runs.iris();
        var owner = setup.company().owner();
        long a = fixture.succeeded(owner, setup.versionId(), RunFixture.mlp(5), 5, 0,
                Map.of("accuracy", 0.90, "f1", 0.80), MINUTE);
        long b = fixture.succeeded(owner, setup.versionId(), RunFixture.mlp(5), 5, 0,
                Map.of("accuracy", 0.95, "f1", 0.85), MINUTE);
        long c = fixture.succeeded(owner, setup.versionId(), RunFixture.mlp(5), 5, 0, Map.of("accuracy", 0.85),
                MINUTE);

        RunComparison.Comparison first = Acting.as(owner, () -> comparison.compare(List.of(a, b, c), null));
        assertThat(first.baselineId()).isEqualTo(a);
        RunComparison.Metric accuracy = metric(first, "accuracy");
        assertThat(accuracy.deltas().get(0)).isCloseTo(0, within(1e-12));
        assertThat(accuracy.deltas().get(1)).isCloseTo(0.05, within(1e-9));
        assertThat(accuracy.deltas().get(2)).isCloseTo(-0.05, within(1e-9));
        assertThat(metric(first, "f1").values().get(2)).isNull();
        assertThat(metric(first, "f1").deltas().get(2)).isNull();

        RunComparison.Comparison second = Acting.as(owner, () -> comparison.compare(List.of(a, b, c), b));
        assertThat(second.baselineIndex()).isEqualTo(1);
        assertThat(metric(second, "accuracy").deltas().get(0)).isCloseTo(-0.05, within(1e-9));
        assertThat(metric(second, "accuracy").deltas().get(2)).isCloseTo(-0.10, within(1e-9));
    }

    @Test
    void long_curves_are_downsampled_on_the_server_keeping_the_first_and_last_epoch() {
        RunFixture.Setup setup = runs.iris();
        var owner = setup.company().owner();
        long a = fixture.succeeded(owner, setup.versionId(), RunFixture.mlp(10_000), 10_000, 0, Map.of(), MINUTE);
        long b = fixture.succeeded(owner, setup.versionId(), RunFixture.mlp(30), 30, 0.5, Map.of(), MINUTE);

        RunComparison.Comparison c = Acting.as(owner, () -> comparison.compare(List.of(a, b), null));

        assertThat(c.pointsRead()).isEqualTo(10_030);
        // Training and validation loss, training and validation accuracy: one chart each, a line per run.
        assertThat(c.curves()).hasSize(4);
        for (RunComparison.Curve curve : c.curves()) {
            assertThat(curve.lines()).extracting(RunComparison.Line::runId).containsExactly(a, b);
            RunComparison.Line longOne = curve.lines().get(0);
            assertThat(longOne.epochs()).hasSize(RunComparison.CURVE_POINTS);
            assertThat(longOne.epochs().length).isLessThanOrEqualTo(500);
            assertThat(longOne.epochs()[0]).isEqualTo(1);
            assertThat(longOne.epochs()[longOne.epochs().length - 1]).isEqualTo(10_000);
            assertThat(longOne.epochs()).isSorted();
            assertThat(curve.lines().get(1).epochs()).hasSize(30);
        }
        RunComparison.Line loss = c.curves().get(0).lines().get(0);
        assertThat(loss.values()[0]).isCloseTo(1.0, within(1e-9));   // epoch 1: 0 + 1/1
    }

    @Test
    void another_companys_run_is_not_found_and_reveals_nothing() {
        RunFixture.Setup mine = runs.iris();
        RunFixture.Setup theirs = runs.iris();
        long a = fixture.succeeded(mine.company().owner(), mine.versionId(), RunFixture.mlp(5), 5, 0, Map.of(),
                MINUTE);
        long b = fixture.succeeded(mine.company().owner(), mine.versionId(), RunFixture.mlp(5), 5, 0, Map.of(),
                MINUTE);
        long foreign = fixture.succeeded(theirs.company().owner(), theirs.versionId(), RunFixture.mlp(5), 5, 0,
                Map.of(), MINUTE);

        assertThatThrownBy(() -> Acting.as(mine.company().owner(),
                () -> comparison.compare(List.of(a, b, foreign), null)))
                .isInstanceOf(NotFoundException.class).hasMessage("Run " + foreign + " not found");
        assertThatThrownBy(() -> Acting.as(mine.company().owner(),
                () -> comparison.compare(List.of(a, b), foreign)))
                .isInstanceOf(BadInputException.class);
        assertThat(Acting.as(theirs.company().owner(), () -> lineage.trainedOn(mine.versionId()))).isEmpty();
        assertThat(Acting.as(theirs.company().owner(), () -> runModels.modelOf(a))).isEmpty();
    }

    @Test
    void fewer_than_two_or_more_than_twenty_runs_are_refused_with_a_clear_message() {
        RunFixture.Setup setup = runs.iris();
        var owner = setup.company().owner();
        long a = fixture.succeeded(owner, setup.versionId(), RunFixture.mlp(2), 2, 0, Map.of(), MINUTE);

        assertThatThrownBy(() -> Acting.as(owner, () -> comparison.compare(List.of(a, a), null)))
                .isInstanceOf(BadInputException.class).hasMessageContaining("at least 2 runs");
        List<Long> many = new ArrayList<>(LongStream.rangeClosed(1, 21).boxed().toList());
        assertThatThrownBy(() -> Acting.as(owner, () -> comparison.compare(many, null)))
                .isInstanceOf(BadInputException.class).hasMessageContaining("at most 20 runs");
        assertThatThrownBy(() -> RunComparison.parseIds("12,abc"))
                .isInstanceOf(BadInputException.class).hasMessageContaining("“abc” is not a run number");
        assertThat(RunComparison.parseIds("12, 15,12;19")).containsExactly(12L, 15L, 19L);
        assertThatThrownBy(() -> RunComparison.parseIds("12"))
                .isInstanceOf(BadInputException.class).hasMessageContaining("at least 2");
    }

    @Test
    void runs_of_several_projects_compare_and_show_their_project() {
        RunFixture.Setup one = runs.iris();
        var owner = one.company().owner();
        long a = fixture.succeeded(owner, one.versionId(), RunFixture.mlp(3), 3, 0, Map.of("accuracy", 0.9),
                MINUTE);
        RunFixture.Setup second = runs.preparedIn(one.company(), "linear.csv", "y", List.of("x"),
                dev.runway.dataset.Preparation.TaskType.REGRESSION);
        long b = fixture.succeeded(owner, second.versionId(), RunFixture.mlp(3), 3, 0, Map.of("mse", 0.2), MINUTE);

        RunComparison.Comparison c = Acting.as(owner, () -> comparison.compare(List.of(a, b), null));

        assertThat(setting(c, "Project").differs()).isTrue();
        assertThat(setting(c, "Task").values()).containsExactly("classification", "regression");
        assertThat(metric(c, "mse").lowerIsBetter()).isTrue();
        assertThat(metric(c, "mse").values()).containsExactly(null, 0.2);
        // Losses share a chart; accuracy and MSE each get their own.
        assertThat(c.curves()).hasSize(6);
    }

    @Test
    void a_dataset_version_lists_its_runs_and_their_model_versions_and_a_run_its_model() {
        RunFixture.Setup setup = runs.iris();
        var owner = setup.company().owner();
        long a = fixture.succeeded(owner, setup.versionId(), RunFixture.mlp(2), 2, 0, Map.of(), MINUTE);
        long b = fixture.succeeded(owner, setup.versionId(), RunFixture.mlp(2), 2, 0, Map.of(), MINUTE);

        List<Lineage.Trained> trained = Acting.as(owner, () -> lineage.trainedOn(setup.versionId()));

        assertThat(trained).extracting(t -> t.run().href()).containsExactly("runs/" + b, "runs/" + a);
        assertThat(trained).allSatisfy(t -> assertThat(t.model()).isPresent());
        assertThat(trained.get(1).model().get().label()).isEqualTo("Model version 1");
        assertThat(Acting.as(owner, () -> runModels.modelOf(b)).orElseThrow().href())
                .isEqualTo(trained.get(0).model().get().href()).startsWith("models/");
    }

    @Test
    void the_dashboard_counts_runs_per_day_and_slot_use_in_the_database() {
        RunFixture.Setup setup = runs.iris();
        var owner = setup.company().owner();
        fixture.succeeded(owner, setup.versionId(), RunFixture.mlp(2), 2, 0, Map.of(), Duration.ofMinutes(30));
        fixture.succeeded(owner, setup.versionId(), RunFixture.mlp(2), 2, 0, Map.of(), Duration.ofMinutes(30));

        RunService.RunsPerDay perDay = Acting.as(owner, () -> runService.runsPerDay(30, ZoneOffset.UTC));
        assertThat(perDay.days()).hasSize(30);
        assertThat(perDay.counts().get(Run.Status.SUCCEEDED)[29] + perDay.counts().get(Run.Status.SUCCEEDED)[28])
                .isEqualTo(2);
        assertThat(perDay.counts().get(Run.Status.FAILED)).containsOnly(0L);

        RunService.SlotUse use = Acting.as(owner, () -> runService.slotUse());
        assertThat(use.perHour()).hasSize(24);
        // Two runs of 30 minutes each, in the last hour or two: one run under way on average over an hour (and an
        // hour without runs counts nothing: GREATEST and LEAST skip the nulls of an hour that joined no run).
        double hours = use.perHour()[22] * 3600 + use.perHour()[23]
                * Math.max(1, Duration.between(use.from().plus(Duration.ofHours(23)), java.time.Instant.now())
                .toSeconds());
        assertThat(hours).isCloseTo(3600, within(60.0));
        assertThat(use.runningNow()).isZero();
    }

    private static RunComparison.Setting setting(RunComparison.Comparison c, String name) {
        return c.settings().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    private static RunComparison.Metric metric(RunComparison.Comparison c, String key) {
        return c.metrics().stream().filter(m -> m.key().equals(key)).findFirst().orElseThrow();
    }
}
