package dev.runway.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.base.NotFoundException;
import dev.runway.tenancy.TenantContext;
import dev.runway.testing.TenancyFixture;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class RunCurvesTest {

    @Inject
    RunFixture runs;

    @Inject
    CompareFixture fixture;

    @Inject
    TenancyFixture tenancy;

    @Inject
    RunCurves curves;

    @Test
    void a_run_of_a_hundred_thousand_epochs_comes_back_as_four_curves_of_four_hundred_points() {
        RunFixture.Setup setup = runs.iris();
        var owner = setup.company().owner();
        long id = fixture.succeeded(owner, setup.versionId(), RunFixture.mlp(100_000), 100_000, 0,
                Map.of("accuracy", 0.9), Duration.ofMinutes(30));

        RunCurves.Curves c = TenantContext.runAs(owner, () -> curves.of(id, 400));

        assertThat(c.epochs()).isEqualTo(100_000);
        assertThat(TenantContext.runAs(owner, () -> curves.count(id))).isEqualTo(100_000);
        for (RunCurves.Series s : new RunCurves.Series[] {c.trainLoss(), c.validationLoss(), c.trainMetric(),
                c.validationMetric()}) {
            assertThat(s.epochs()).hasSize(400).startsWith(1.0).endsWith(100_000.0).isSorted();
            assertThat(s.values()).hasSize(400);
        }
        // The fixture's training loss is 1 / epoch: each point keeps its own epoch's value.
        assertThat(c.trainLoss().values()[0]).isEqualTo(1.0);
        assertThat(c.trainLoss().values()[399]).isCloseTo(1.0 / 100_000, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void a_short_run_keeps_every_epoch_and_another_company_finds_no_run() {
        RunFixture.Setup setup = runs.iris();
        long id = fixture.succeeded(setup.company().owner(), setup.versionId(), RunFixture.mlp(12), 12, 0,
                Map.of("accuracy", 0.9), Duration.ofMinutes(1));

        RunCurves.Curves c = TenantContext.runAs(setup.company().owner(), () -> curves.of(id, 400));
        assertThat(c.validationMetric().epochs()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);

        var stranger = tenancy.company().owner();
        assertThatThrownBy(() -> TenantContext.runAs(stranger, () -> curves.of(id, 400)))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> TenantContext.runAs(stranger, () -> curves.count(id)))
                .isInstanceOf(NotFoundException.class);
    }
}
