package dev.runway.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runway.sweep.Sweep;
import dev.runway.sweep.SweepService;
import dev.runway.sweep.SweepTrial;
import dev.runway.tenancy.Actor;
import dev.runway.tenancy.TenantContext;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * A sweep survives a restart of its node: the node's executor drains (its trial's run is handed over) and a new one
 * starts; nothing of the sweep lives in memory, so the resumed run's end moves the sweep on. In this package to reach
 * the executor's start and stop, which Quarkus calls at startup and shutdown.
 */
@QuarkusTest
class SweepRestartTest {

    @Inject
    SweepService sweeps;

    @Inject
    RunService runs;

    @Inject
    RunFixture fixture;

    @Inject
    RunScheduler scheduler;

    @Inject
    Drain drain;

    @Test
    void a_sweep_continues_after_its_node_restarts_mid_trial() throws Exception {
        RunFixture.Setup setup = fixture.iris();
        Actor owner = setup.company().owner();
        var space = new ObjectMapper().readTree("{\"learningRate\": {\"values\": [0.01, 0.02]}}");
        long id = as(owner, () -> sweeps.create(new SweepService.Request(setup.versionId(), RunFixture.mlp(300),
                "grid", 2, 1, space,
                "validationLoss", new BigDecimal("1"), "USD", null, null, null)).getId());
        long firstRun = as(owner, () -> sweeps.details(id)).trials().get(0).trial().getRunId();
        await().pollInSameThread().atMost(Duration.ofSeconds(60))
                .until(() -> as(owner, () -> runs.get(firstRun)).getLastCheckpointEpoch() != null);

        scheduler.stop(null);
        drain.cancel();
        assertThat(as(owner, () -> runs.get(firstRun)).getStatus()).as("handed over, not ended")
                .isEqualTo(Run.Status.RUNNING);
        scheduler.start(null);

        await().pollInSameThread().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(300))
                .until(() -> as(owner, () -> sweeps.details(id)).sweep().getStatus().finished());
        SweepService.Details done = as(owner, () -> sweeps.details(id));
        assertThat(done.sweep().getStatus()).isEqualTo(Sweep.Status.FINISHED);
        assertThat(done.trials()).extracting(t -> t.trial().getStatus())
                .containsExactly(SweepTrial.Status.SUCCEEDED, SweepTrial.Status.SUCCEEDED);
        assertThat(as(owner, () -> runs.get(firstRun)).getAttempt()).as("resumed by the new executor")
                .isGreaterThan(1);
    }

    private static <T> T as(Actor actor, Supplier<T> work) {
        return TenantContext.runAs(actor, work::get);
    }
}
