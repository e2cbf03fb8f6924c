package dev.runway.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runway.base.BadInputException;
import dev.runway.billing.Plan;
import dev.runway.billing.PlanService;
import dev.runway.model.ModelLifecycle;
import dev.runway.model.ModelVersion;
import dev.runway.tenancy.Actor;
import dev.runway.tenancy.TenantContext;
import dev.runway.testing.TestClock;
import dev.runway.training.Run;
import dev.runway.training.RunFixture;
import dev.runway.training.RunMetric;
import dev.runway.training.RunScheduler;
import dev.runway.training.RunService;
import dev.runway.training.engine.Hyperparameters;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Sweeps of real short trainings (iris, an MLP of a few epochs) through the real queue and billing. */
@QuarkusTest
class SweepTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    SweepService sweeps;

    @Inject
    RunService runs;

    @Inject
    RunFixture fixture;

    @Inject
    PlanService plans;

    @Inject
    ModelLifecycle lifecycle;

    @Inject
    TestClock clock;

    @Inject
    EntityManager em;

    @Inject
    RunScheduler scheduler;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void a_grid_sweep_runs_every_combination_and_its_best_trial_has_the_lowest_validation_loss() {
        RunFixture.Setup setup = fixture.iris();
        Actor owner = setup.company().owner();
        long id = as(owner, () -> sweeps.create(request(setup, RunFixture.mlp(5), "grid", 2, 2,
                "{\"learningRate\": {\"values\": [0.03, 0.00001]}}", "1.00", null, null, null)).getId());

        SweepService.Details done = finished(owner, id);
        assertThat(done.sweep().getStatus()).isEqualTo(Sweep.Status.FINISHED);
        assertThat(done.trials()).extracting(t -> t.trial().getStatus())
                .containsOnly(SweepTrial.Status.SUCCEEDED).hasSize(2);
        assertBestIsLowestLoss(owner, done);
        assertThat(done.best().orElseThrow().parameters().get("learningRate")).isEqualTo(0.03);

        ModelVersion candidate = as(owner, () -> sweeps.registerBest(id));
        assertThat(as(owner, () -> lifecycle.aliases(candidate.getId()))).containsExactly("candidate");
        assertThat(candidate.getRunId()).isEqualTo(done.best().orElseThrow().trial().getRunId());
    }

    @Test
    void a_random_sweep_draws_seeded_values_within_the_ranges_and_finds_the_best_trial() throws Exception {
        RunFixture.Setup setup = fixture.iris();
        Actor owner = setup.company().owner();
        String space = "{\"learningRate\": {\"min\": 0.0001, \"max\": 0.1, \"log\": true},"
                + " \"dropout\": {\"min\": 0, \"max\": 0.3}}";
        long id = as(owner, () -> sweeps.create(request(setup, RunFixture.mlp(4), "random", 3, 2, space, "1.00", 7L,
                null, null)).getId());

        SweepService.Details done = finished(owner, id);
        assertThat(done.sweep().getStatus()).isEqualTo(Sweep.Status.FINISHED);
        assertThat(done.trials()).hasSize(3).allSatisfy(t -> {
            assertThat(t.trial().getStatus()).isEqualTo(SweepTrial.Status.SUCCEEDED);
            assertThat(((Number) t.parameters().get("learningRate")).doubleValue()).isBetween(0.0001, 0.1);
            assertThat(((Number) t.parameters().get("dropout")).doubleValue()).isBetween(0.0, 0.3);
        });
        assertBestIsLowestLoss(owner, done);
        // Seeded: the same seed draws the same values (what a restarted node would compute).
        assertThat(SweepSpace.parse(JSON.readTree(space)).trials(SweepSpace.Method.RANDOM, 3, 7L))
                .isEqualTo(done.trials().stream().map(SweepService.TrialView::parameters).toList());
    }

    @Test
    void an_asha_sweep_stops_a_trial_that_is_behind_at_a_rung() throws Exception {
        RunFixture.Setup setup = fixture.iris();
        Actor owner = setup.company().owner();
        String space = "{\"learningRate\": {\"values\": [0.03, 0.00001]}}";
        long seed = seedWhereAGoodTrialComesBeforeABadOne(space);
        long id = as(owner, () -> sweeps.create(request(setup, RunFixture.mlp(8), "asha", 4, 1, space, "1.00", seed,
                2, 2)).getId());

        SweepService.Details done = finished(owner, id);
        assertThat(done.sweep().getStatus()).isEqualTo(Sweep.Status.FINISHED);
        assertThat(done.trials()).filteredOn(t -> t.trial().getStatus() == SweepTrial.Status.PRUNED).isNotEmpty()
                .allSatisfy(t -> {
                    assertThat(t.parameters().get("learningRate")).isEqualTo(0.00001);
                    assertThat(t.runStatus()).isEqualTo(Run.Status.STOPPED);
                    assertThat(t.trial().getNote()).startsWith("Stopped early by ASHA at epoch 2");
                    assertThat(as(owner, () -> runs.metrics(t.trial().getRunId()))).as("epochs trained")
                            .hasSizeLessThan(8);
                });
        assertThat(done.best().orElseThrow().parameters().get("learningRate")).isEqualTo(0.03);
    }

    @Test
    void a_money_cap_stops_the_running_trial_and_starts_no_more_and_bills_at_most_one_segment_past_it() {
        RunFixture.Setup setup = fixture.iris();
        Actor owner = setup.company().owner();
        as(owner, () -> plans.changePlan(Plan.TEAM, null));
        // The first trial's estimate (about 18 s of CPU at 0.12 USD an hour: 0.0006) fits under 0.001.
        long id = as(owner, () -> sweeps.create(request(setup, RunFixture.mlp(2000), "random", 3, 1,
                "{\"learningRate\": {\"min\": 0.001, \"max\": 0.01}}", "0.001", 3L, null, null)).getId());
        long firstRun = as(owner, () -> sweeps.details(id)).trials().get(0).trial().getRunId();
        await().pollInSameThread().atMost(Duration.ofSeconds(60))
                .until(() -> as(owner, () -> runs.get(firstRun)).getLastCheckpointEpoch() != null);
        clock.advance(Duration.ofSeconds(60));   // the segment under way now costs 0.002: past the cap

        SweepService.Details done = finished(owner, id);
        assertThat(done.sweep().getStatus()).isEqualTo(Sweep.Status.CAPPED);
        assertThat(done.sweep().getStopReason()).contains("money cap of 0.0010 USD is reached");
        assertThat(done.trials().get(0).trial().getStatus()).isEqualTo(SweepTrial.Status.STOPPED);
        assertThat(done.trials().get(0).trial().getNote()).startsWith("Stopped: the sweep's money cap");
        assertThat(done.trials().get(0).runStatus()).isEqualTo(Run.Status.STOPPED);
        assertThat(as(owner, () -> runs.get(firstRun)).getLastCheckpointEpoch()).as("kept its checkpoint")
                .isNotNull();
        assertThat(done.trials().subList(1, 3)).allSatisfy(t -> {
            assertThat(t.trial().getStatus()).isEqualTo(SweepTrial.Status.SKIPPED);
            assertThat(t.trial().getRunId()).isNull();
        });
        BigDecimal largestSegment = tx(owner, () -> (BigDecimal) em.createNativeQuery(
                        "select max(quantity) * 0.12 / 3600 from usage_event where run_id = :run")
                .setParameter("run", firstRun).getSingleResult());
        BigDecimal billed = tx(owner, () -> (BigDecimal) em.createNativeQuery(
                        "select sum(quantity) * 0.12 / 3600 from usage_event where run_id = :run")
                .setParameter("run", firstRun).getSingleResult());
        System.out.printf("sweep cap 0.001 USD: billed %s USD, largest segment %s USD%n", billed, largestSegment);
        assertThat(billed).isGreaterThan(new BigDecimal("0.001"))
                .isLessThanOrEqualTo(new BigDecimal("0.001").add(largestSegment));
    }

    @Test
    void a_trial_whose_queued_run_is_cancelled_ends_and_the_next_trial_starts() {
        RunFixture.Setup setup = fixture.iris();
        Actor owner = setup.company().owner();
        scheduler.pause();
        try {
            long id = as(owner, () -> sweeps.create(request(setup, RunFixture.mlp(3), "grid", 2, 1,
                    "{\"learningRate\": {\"values\": [0.01, 0.02]}}", "1", null, null, null)).getId());
            long queued = as(owner, () -> sweeps.details(id)).trials().get(0).trial().getRunId();
            as(owner, () -> {
                runs.cancel(queued);
                return null;
            });
            SweepService.Details now = as(owner, () -> sweeps.details(id));
            assertThat(now.trials().get(0).trial().getStatus()).isEqualTo(SweepTrial.Status.STOPPED);
            assertThat(now.trials().get(1).trial().getStatus()).isEqualTo(SweepTrial.Status.RUNNING);
            // Retried on its own it would spend outside the sweep's cap: refused, and the trial keeps its end.
            assertThatThrownBy(() -> as(owner, () -> {
                runs.retry(queued);
                return null;
            })).isInstanceOf(BadInputException.class).hasMessageContaining("a trial of a sweep");
            assertThat(as(owner, () -> runs.get(queued)).getStatus()).isEqualTo(Run.Status.CANCELLED);
            assertThat(as(owner, () -> sweeps.details(id)).trials().get(0).trial().getStatus())
                    .isEqualTo(SweepTrial.Status.STOPPED);
        } finally {
            scheduler.resume();
        }
        // Leaves no training behind for the next test.
        assertThat(finished(owner, idOfLatest(owner)).sweep().getStatus()).isEqualTo(Sweep.Status.FINISHED);
    }

    @Test
    void cancelling_a_sweep_stops_its_running_trial_and_skips_the_rest() {
        RunFixture.Setup setup = fixture.iris();
        Actor owner = setup.company().owner();
        long id = as(owner, () -> sweeps.create(request(setup, RunFixture.mlp(3000), "grid", 3, 1,
                "{\"learningRate\": {\"values\": [0.01, 0.02, 0.03]}}", "1", null, null, null)).getId());
        long first = as(owner, () -> sweeps.details(id)).trials().get(0).trial().getRunId();
        await().pollInSameThread().atMost(Duration.ofSeconds(60))
                .until(() -> as(owner, () -> runs.get(first)).getStatus() == Run.Status.RUNNING);
        as(owner, () -> {
            sweeps.cancel(id);
            return null;
        });

        SweepService.Details done = finished(owner, id);
        assertThat(done.sweep().getStatus()).isEqualTo(Sweep.Status.CANCELLED);
        assertThat(done.trials()).extracting(t -> t.trial().getStatus()).containsExactly(
                SweepTrial.Status.STOPPED, SweepTrial.Status.SKIPPED, SweepTrial.Status.SKIPPED);
        assertThat(done.trials().get(0).runStatus()).isEqualTo(Run.Status.CANCELLED);
    }

    @Test
    void a_next_trial_that_no_longer_fits_ends_the_sweep_with_the_reason_and_the_ended_trial_keeps_its_end() {
        RunFixture.Setup setup = fixture.iris();
        Actor owner = setup.company().owner();
        long id = as(owner, () -> sweeps.create(request(setup, RunFixture.mlp(300), "grid", 2, 1,
                "{\"learningRate\": {\"values\": [0.01, 0.02]}}", "1", null, null, null)).getId());
        long first = as(owner, () -> sweeps.details(id)).trials().get(0).trial().getRunId();
        await().pollInSameThread().atMost(Duration.ofSeconds(60))
                .until(() -> !as(owner, () -> runs.metrics(first)).isEmpty());
        // The version's preparation is gone while the first trial trains: the second trial cannot be submitted.
        tx(owner, () -> em.createNativeQuery("update dataset_version set preparation = null where id = :v")
                .setParameter("v", setup.versionId()).executeUpdate());

        await().pollInSameThread().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> as(owner, () -> sweeps.details(id)).sweep().getStatus().finished());
        SweepService.Details done = as(owner, () -> sweeps.details(id));
        assertThat(as(owner, () -> runs.get(first)).getStatus()).isEqualTo(Run.Status.SUCCEEDED);
        assertThat(done.sweep().getStatus()).isEqualTo(Sweep.Status.CAPPED);
        assertThat(done.sweep().getStopReason()).startsWith("Stopped: the next trial could not start")
                .contains("no preparation settings");
        assertThat(done.trials()).extracting(t -> t.trial().getStatus())
                .containsExactly(SweepTrial.Status.SUCCEEDED, SweepTrial.Status.SKIPPED);
        assertThat(done.sweep().getFinishedAt()).isNotNull();
    }

    @Test
    void asha_judges_a_trial_once_at_the_end_of_its_rung_and_not_again_when_better_trials_reach_the_rung_later() {
        RunFixture.Setup setup = fixture.iris();
        Actor owner = setup.company().owner();
        scheduler.pause();
        try {
            long id = as(owner, () -> sweeps.create(request(setup, RunFixture.mlp(8), "asha", 3, 3,
                    "{\"learningRate\": {\"values\": [0.01, 0.02, 0.03]}}", "1", 1L, 2, 2)).getId());
            List<Long> trialRuns = as(owner, () -> sweeps.details(id)).trials().stream()
                    .map(t -> t.trial().getRunId()).toList();
            long first = trialRuns.get(0);
            // The first trial reaches the rung (epoch 2) alone: it goes on.
            metric(owner, first, 2, 0.5);
            assertThat(tx(owner, () -> sweeps.prunedAfterEpoch(first, 2))).isEmpty();
            // Two better trials reach the rung while the first trains its third epoch: it is not judged again.
            metric(owner, trialRuns.get(1), 2, 0.1);
            metric(owner, trialRuns.get(2), 2, 0.2);
            assertThat(tx(owner, () -> sweeps.mustStop(first))).isEmpty();
            assertThat(tx(owner, () -> sweeps.prunedAfterEpoch(trialRuns.get(1), 2))).isEmpty();
            assertThat(tx(owner, () -> sweeps.prunedAfterEpoch(trialRuns.get(2), 2)))
                    .get(InstanceOfAssertFactories.STRING).startsWith("Stopped early by ASHA at epoch 2")
                    .contains("ranks 2 of the 3");
            as(owner, () -> {
                sweeps.cancel(id);
                return null;
            });
        } finally {
            scheduler.resume();
        }
    }

    private void metric(Actor owner, long runId, int epoch, double validationLoss) {
        tx(owner, () -> em.createNativeQuery("insert into run_metric (tenant_id, run_id, epoch, train_loss, "
                        + "validation_loss, train_metric, validation_metric, recorded_at) "
                        + "values (:tenant, :run, :epoch, 1, :loss, 0.5, 0.5, now())")
                .setParameter("tenant", owner.tenantId()).setParameter("run", runId).setParameter("epoch", epoch)
                .setParameter("loss", validationLoss).executeUpdate());
    }

    @Test
    void a_cap_below_a_cent_is_compared_with_the_unrounded_estimate_of_the_first_trial() {
        RunFixture.Setup setup = fixture.iris();
        Actor owner = setup.company().owner();
        as(owner, () -> plans.changePlan(Plan.TEAM, null));
        // The trial's estimate (about 18 s of CPU at 0.12 USD an hour: 0.0006) rounds to 0.00 in cents.
        BadInputException e = refused(owner, request(setup, RunFixture.mlp(2000), "random", 2, 1,
                "{\"learningRate\": {\"min\": 0.001, \"max\": 0.01}}", "0.0001", 3L, null, null));
        assertThat(e.field()).isEqualTo("budget");
        assertThat(e.getMessage()).contains("money cap of 0.0001 USD is reached: trial 1 (about 0.0");
        assertThat(as(owner, () -> sweeps.list(null))).isEmpty();
    }

    @Test
    void bad_sweeps_are_refused_with_a_message_at_the_field() {
        RunFixture.Setup setup = fixture.iris();
        Actor owner = setup.company().owner();
        String lr = "{\"learningRate\": {\"min\": 0.001, \"max\": 0.1, \"log\": true}}";
        assertThat(refused(owner, request(setup, RunFixture.mlp(3), "grid", 2, 1,
                "{\"momentum\": {\"values\": [0.9]}}", "1", null, null, null)))
                .satisfies(e -> assertThat(e.field()).isEqualTo("parameters.momentum"))
                .hasMessageContaining("cannot be swept");
        assertThat(refused(owner, request(setup, RunFixture.mlp(3), "grid", 2, 1,
                "{\"learningRate\": {\"min\": 0, \"max\": 0.1, \"log\": true}}", "1", null, null, null)))
                .hasMessageContaining("Learning rates are above 0");
        assertThat(refused(owner, request(setup, RunFixture.mlp(3), "grid", 2, 1, lr, "1", null, null, null)))
                .satisfies(e -> assertThat(e.field()).isEqualTo("trials"))
                .hasMessageContaining("The grid has 3 combinations");
        assertThat(refused(owner, request(setup, RunFixture.mlp(3), "random", 101, 1, lr, "1", null, null, null)))
                .satisfies(e -> assertThat(e.field()).isEqualTo("trials"));
        assertThat(refused(owner, request(setup, RunFixture.mlp(3), "random", 2, 1, lr, "0", null, null, null)))
                .satisfies(e -> assertThat(e.field()).isEqualTo("budget"));
        assertThat(refused(owner, request(setup, RunFixture.mlp(3), "bayes", 2, 1, lr, "1", null, null, null)))
                .satisfies(e -> assertThat(e.field()).isEqualTo("method"));
        assertThat(refused(owner, request(setup, RunFixture.mlp(3), "asha", 2, 1,
                "{\"epochs\": {\"values\": [2, 4]}}", "1", null, null, null)))
                .satisfies(e -> assertThat(e.field()).isEqualTo("parameters.epochs"));
        assertThat(as(owner, () -> sweeps.list(null))).isEmpty();
    }

    @Test
    void asha_rungs_are_at_r_times_powers_of_eta_below_the_most_epochs() {
        assertThat(java.util.stream.IntStream.rangeClosed(1, 30).filter(e -> SweepService.isRung(e, 2, 3, 30)))
                .containsExactly(2, 6, 18);
    }

    private long seedWhereAGoodTrialComesBeforeABadOne(String space) throws Exception {
        SweepSpace parsed = SweepSpace.parse(JSON.readTree(space));
        for (long seed = 1; ; seed++) {
            List<Map<String, Object>> sets = parsed.trials(SweepSpace.Method.ASHA, 4, seed);
            if (sets.get(0).get("learningRate").equals(0.03) && sets.stream().skip(1)
                    .anyMatch(s -> s.get("learningRate").equals(0.00001))) {
                return seed;
            }
        }
    }

    private void assertBestIsLowestLoss(Actor owner, SweepService.Details done) {
        double lowest = done.trials().stream().mapToDouble(t -> {
            List<RunMetric> metrics = as(owner, () -> runs.metrics(t.trial().getRunId()));
            return metrics.get(metrics.size() - 1).getValidationLoss();
        }).min().orElseThrow();
        SweepService.TrialView best = done.best().orElseThrow();
        assertThat(best.trial().getObjective()).isEqualTo(lowest);
        assertThat(done.trials().stream().map(t -> t.trial().getObjective())
                .min(Comparator.naturalOrder()).orElseThrow()).isEqualTo(lowest);
    }

    private SweepService.Details finished(Actor owner, long id) {
        await().pollInSameThread().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(300))
                .until(() -> as(owner, () -> sweeps.details(id)).sweep().getStatus().finished()
                        && as(owner, () -> sweeps.details(id)).trials().stream()
                        .allMatch(t -> t.trial().getStatus().finished()));
        return as(owner, () -> sweeps.details(id));
    }

    private long idOfLatest(Actor owner) {
        return as(owner, () -> sweeps.list(null)).get(0).getId();
    }

    private BadInputException refused(Actor owner, SweepService.Request request) {
        try {
            as(owner, () -> sweeps.create(request));
        } catch (BadInputException e) {
            return e;
        }
        throw new AssertionError("not refused");
    }

    static SweepService.Request request(RunFixture.Setup setup, Hyperparameters base, String method, int trials,
            int parallel, String space, String cap, Long seed, Integer eta, Integer minEpochs) {
        try {
            JsonNode parameters = JSON.readTree(space);
            return new SweepService.Request(setup.versionId(), base, method, trials, parallel, parameters,
                    "validationLoss", new BigDecimal(cap), "USD", seed, eta, minEpochs);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T as(Actor actor, Supplier<T> work) {
        return TenantContext.runAs(actor, work::get);
    }

    private static <T> T tx(Actor actor, Supplier<T> work) {
        return TenantContext.runAs(actor, () -> QuarkusTransaction.requiringNew().call(work::get));
    }
}
