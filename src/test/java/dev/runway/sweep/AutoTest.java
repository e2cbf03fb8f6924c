package dev.runway.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.runway.base.NotFoundException;
import dev.runway.dataset.Preparation;
import dev.runway.model.ModelLifecycle;
import dev.runway.model.ModelService;
import dev.runway.model.ModelVersion;
import dev.runway.tenancy.Actor;
import dev.runway.tenancy.TenantContext;
import dev.runway.testing.TestClock;
import dev.runway.training.AutoRuns;
import dev.runway.training.Run;
import dev.runway.training.RunFixture;
import dev.runway.training.RunService;
import dev.runway.training.engine.Template;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Auto through the real queue, real trainings (iris) and the real registry. */
@QuarkusTest
class AutoTest {

    @Inject
    AutoService auto;

    @Inject
    SweepService sweeps;

    @Inject
    RunService runs;

    @Inject
    ModelService models;

    @Inject
    ModelLifecycle lifecycle;

    @Inject
    RunFixture fixture;

    @Inject
    TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void auto_on_a_table_searches_a_perceptron_within_its_limits_and_registers_the_best_model() {
        RunFixture.Setup setup = fixture.iris();
        Actor owner = setup.company().owner();
        AutoRuns.Preview preview = as(owner, () -> auto.preview(setup.versionId()));
        assertThat(preview.shape()).isEqualTo("tabular");
        assertThat(preview.familyLabel()).isEqualTo("Multi-layer perceptron");
        assertThat(preview.trials()).isEqualTo(6);
        assertThat(preview.timeLimit()).isGreaterThanOrEqualTo(Duration.ofMinutes(5));
        assertThat(preview.moneyLimit()).isGreaterThanOrEqualTo(preview.estimate()).isPositive();

        long id = as(owner, () -> auto.start(setup.versionId(), null, null));
        SweepService.Details done = finished(owner, id);

        Sweep sweep = done.sweep();
        assertThat(sweep.isAuto()).isTrue();
        assertThat(sweep.getStatus()).isEqualTo(Sweep.Status.FINISHED);
        assertThat(sweep.getMethod()).isEqualTo(SweepSpace.Method.ASHA);
        assertThat(sweep.getTimeLimit()).contains(preview.timeLimit());
        assertThat(sweep.getCapAmount()).isEqualByComparingTo(preview.moneyLimit());
        assertThat(sweep.getAutoChoice().orElseThrow().why()).isEqualTo(preview.why());
        assertThat(done.trials()).hasSize(6).allSatisfy(t -> {
            assertThat(t.trial().getStatus()).isIn(SweepTrial.Status.SUCCEEDED, SweepTrial.Status.PRUNED);
            assertThat(((Number) t.parameters().get("learningRate")).doubleValue()).isBetween(0.001, 0.03);
        });
        SweepService.TrialView best = done.best().orElseThrow();
        assertThat(done.trials().stream().filter(t -> t.trial().getStatus() == SweepTrial.Status.SUCCEEDED)
                .mapToDouble(t -> t.trial().getObjective()).min().orElseThrow())
                .isEqualTo(best.trial().getObjective());
        // Registered once the search ended: the best trial's model, aliased "candidate".
        await().atMost(Duration.ofSeconds(10)).until(() -> as(owner, () -> sweeps.details(id)).sweep()
                .getModelVersionId().isPresent());
        long modelId = as(owner, () -> sweeps.details(id)).sweep().getModelVersionId().orElseThrow();
        ModelVersion model = as(owner, () -> models.get(modelId));
        assertThat(model.getRunId()).isEqualTo(best.trial().getRunId());
        assertThat(as(owner, () -> lifecycle.aliases(modelId))).containsExactly("candidate");
        System.out.printf("Auto on iris: %d trials, best #%d (validation loss %.4f), spent %s, in %d s%n",
                done.trials().size(), best.trial().getNumber(), best.trial().getObjective(), done.spent(),
                Duration.between(sweep.getCreatedAt(), sweep.getFinishedAt()).toSeconds());
    }

    @Test
    void at_its_time_limit_auto_stops_its_running_trials_starts_no_more_and_registers_nothing_unfinished() {
        RunFixture.Setup setup = fixture.iris();
        Actor owner = setup.company().owner();
        // Started 61 s ago: its minute is over before its first trials train. (Moving the clock forward instead
        // would also put the queue's due times, which db-scheduler compares with the real time, a minute ahead.)
        clock.advance(Duration.ofSeconds(-61));
        long id;
        try {
            id = as(owner, () -> auto.start(setup.versionId(), Duration.ofMinutes(1), new BigDecimal("1")));
        } finally {
            clock.reset();
        }
        SweepService.Details done = finished(owner, id);

        assertThat(done.sweep().getStatus()).isEqualTo(Sweep.Status.CAPPED);
        assertThat(done.sweep().getStopReason()).startsWith("Auto's time limit of 1 min is reached: trial 3");
        List<SweepService.TrialView> started = done.trials().subList(0, 2);
        assertThat(started).allSatisfy(t -> {
            assertThat(t.trial().getStatus()).isEqualTo(SweepTrial.Status.STOPPED);
            assertThat(t.trial().getNote()).isEqualTo("Stopped: Auto's time limit of 1 min is reached; the trial "
                    + "keeps its last checkpoint");
            assertThat(t.runStatus()).isEqualTo(Run.Status.STOPPED);
        });
        assertThat(done.trials().subList(2, 6)).allSatisfy(t -> {
            assertThat(t.trial().getStatus()).isEqualTo(SweepTrial.Status.SKIPPED);
            assertThat(t.trial().getRunId()).isNull();
        });
        assertThat(done.best()).isEmpty();
        assertThat(done.sweep().getModelVersionId()).isEmpty();
    }

    @Test
    void a_time_limit_outside_a_minute_to_a_day_is_refused_at_its_field() {
        RunFixture.Setup setup = fixture.iris();
        Actor owner = setup.company().owner();
        for (Duration wrong : List.of(Duration.ofSeconds(30), Duration.ofHours(25))) {
            try {
                as(owner, () -> auto.start(setup.versionId(), wrong, null));
                throw new AssertionError("accepted " + wrong);
            } catch (dev.runway.base.BadInputException e) {
                assertThat(e.field()).isEqualTo("timeLimit");
                assertThat(e.getMessage()).contains("from 1 minute to 24 hours");
            }
        }
        assertThat(as(owner, () -> sweeps.list(null))).isEmpty();
    }

    @Test
    void auto_on_images_and_on_text_trains_their_family_and_registers_a_model_at_the_reference_accuracy() {
        assertAutoReaches(fixture.prepared("digits.csv", "digit", IntStream.range(0, 64).mapToObj(i -> "pixel_" + i)
                .toList(), Preparation.TaskType.CLASSIFICATION), Template.CNN, 0.95);
        assertAutoReaches(fixture.prepared("support_tickets.csv", "intent", List.of("text"),
                Preparation.TaskType.TEXT_CLASSIFICATION), Template.TRANSFORMER, 0.95);
    }

    /** Auto with its defaults on {@code setup} searches {@code family} and registers a model of this accuracy. */
    private void assertAutoReaches(RunFixture.Setup setup, Template family, double accuracy) {
        Actor owner = setup.company().owner();
        long id = as(owner, () -> auto.start(setup.versionId(), null, null));
        SweepService.Details done = finished(owner, id);
        assertThat(done.sweep().getTemplate()).isEqualTo(family.name());
        assertThat(done.sweep().getStatus()).isEqualTo(Sweep.Status.FINISHED);
        await().atMost(Duration.ofSeconds(10)).until(() -> as(owner, () -> sweeps.details(id)).sweep()
                .getModelVersionId().isPresent());
        ModelVersion model = as(owner, () -> models.get(as(owner, () -> sweeps.details(id)).sweep()
                .getModelVersionId().orElseThrow()));
        double reached = ModelService.metrics(model).get("accuracy");
        System.out.printf("Auto, %s: %d trials (%s), best #%d, test accuracy %.4f, in %d s%n", family,
                done.trials().size(), done.trials().stream().map(t -> t.trial().getStatus().name())
                        .collect(Collectors.joining(" ")), done.best().orElseThrow().trial().getNumber(), reached,
                Duration.between(done.sweep().getCreatedAt(), done.sweep().getFinishedAt()).toSeconds());
        assertThat(reached).isGreaterThanOrEqualTo(accuracy);
    }

    @Test
    void auto_reads_images_and_text_from_the_stored_profiles_and_another_companys_version_is_missing() {
        RunFixture.Setup digits = fixture.prepared("digits.csv", "digit",
                IntStream.range(0, 64).mapToObj(i -> "pixel_" + i).toList(), Preparation.TaskType.CLASSIFICATION);
        AutoRuns.Preview images = as(digits.company().owner(), () -> auto.preview(digits.versionId()));
        assertThat(images.shape()).isEqualTo("image");
        assertThat(images.familyLabel()).isEqualTo(Template.CNN.label());
        assertThat(images.why()).contains("1 × 8 × 8 image");
        assertThat(images.trials()).isEqualTo(4);

        RunFixture.Setup tickets = fixture.prepared("support_tickets.csv", "intent", List.of("text"),
                Preparation.TaskType.TEXT_CLASSIFICATION);
        AutoRuns.Preview text = as(tickets.company().owner(), () -> auto.preview(tickets.versionId()));
        assertThat(text.shape()).isEqualTo("text");
        assertThat(text.familyLabel()).isEqualTo(Template.TRANSFORMER.label());

        assertThatThrownBy(() -> as(tickets.company().owner(), () -> auto.preview(digits.versionId())))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> as(tickets.company().owner(), () -> auto.start(digits.versionId(), null, null)))
                .isInstanceOf(NotFoundException.class);
    }

    private SweepService.Details finished(Actor owner, long id) {
        await().pollInSameThread().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(300))
                .until(() -> {
                    SweepService.Details d = as(owner, () -> sweeps.details(id));
                    return d.sweep().getStatus().finished()
                            && d.trials().stream().allMatch(t -> t.trial().getStatus().finished());
                });
        return as(owner, () -> sweeps.details(id));
    }

    private static <T> T as(Actor actor, Supplier<T> work) {
        return TenantContext.runAs(actor, work::get);
    }
}
