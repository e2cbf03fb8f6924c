package dev.runway.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.tenancy.TenantContext;
import dev.runway.testing.Acting;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Never two versions of a project in Production: concurrent promotions, and the database's own constraint. */
@QuarkusTest
class ProductionUniquenessTest {

    @Inject
    ModelFixture fixture;

    @Inject
    ModelLifecycle lifecycle;

    @Inject
    ModelService models;

    @Inject
    EntityManager em;

    @Test
    void concurrent_promotions_of_one_project_run_one_after_the_other_and_leave_one_in_production() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            for (int round = 0; round < 5; round++) {
                ModelFixture.Setup s = fixture.project(0.9, 0.91, 0.92);
                CyclicBarrier start = new CyclicBarrier(3);
                List<Future<Boolean>> promotions = new ArrayList<>();
                for (int n = 1; n <= 3; n++) {
                    long version = s.v(n);
                    promotions.add(pool.submit(() -> Acting.inRequestContext(() -> {
                        await(start);
                        return TenantContext.runAs(s.owner(), () -> lifecycle.changeStage(version,
                                ModelStage.PRODUCTION, "race " + version)).made();
                    })));
                }
                for (Future<Boolean> promotion : promotions) {
                    assertThat(promotion.get(30, TimeUnit.SECONDS)).isTrue();
                }
                List<ModelStage> stages = TenantContext.runAs(s.owner(), () -> models.list(s.projectId())).stream()
                        .map(ModelVersion::getStage).toList();
                assertThat(stages).containsOnlyOnce(ModelStage.PRODUCTION)
                        .filteredOn(st -> st == ModelStage.ARCHIVED).hasSize(2);
                // Five rows: three promotions, two archivings; the history answers the same as the stage column.
                List<ModelLifecycle.TimelineEntry> timeline = TenantContext.runAs(s.owner(),
                        () -> lifecycle.timeline(s.projectId()));
                assertThat(timeline).hasSize(5);
                assertThat(TenantContext.runAs(s.owner(), () -> lifecycle.productionAt(s.projectId(),
                        timeline.get(0).event().getOccurredAt())).map(ModelVersion::getId))
                        .isEqualTo(TenantContext.runAs(s.owner(), () -> lifecycle.production(s.projectId()))
                                .map(ModelVersion::getId));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void a_raw_update_making_a_second_production_version_fails_on_the_constraint() {
        ModelFixture.Setup s = fixture.project(0.9, 0.91);
        TenantContext.runAs(s.owner(), () -> lifecycle.changeStage(s.v(1), ModelStage.PRODUCTION, "first"));
        assertThatThrownBy(() -> Acting.tx(s.owner(), () -> em.createNativeQuery(
                        "update model_version set stage = 'PRODUCTION' where id = :id")
                .setParameter("id", s.v(2)).executeUpdate()))
                .hasStackTraceContaining("model_version_one_production_idx");
        assertThat(TenantContext.runAs(s.owner(), () -> models.get(s.v(2))).getStage()).isEqualTo(ModelStage.NONE);
        // The stage column only takes the four stages.
        assertThatThrownBy(() -> TenantContext.runAs(s.owner(), () -> QuarkusTransaction.requiringNew().call(
                () -> em.createNativeQuery("update model_version set stage = 'LIVE' where id = :id")
                        .setParameter("id", s.v(2)).executeUpdate())))
                .hasStackTraceContaining("model_version_stage_check");
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
