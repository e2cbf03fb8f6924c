package dev.runway.training;

import dev.runway.base.Json;
import dev.runway.dataset.DatasetService;
import dev.runway.tenancy.Actor;
import dev.runway.tenancy.TenantContext;
import dev.runway.training.engine.Hyperparameters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import io.quarkus.narayana.jta.QuarkusTransaction;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Finished training runs written straight into the database, with as many epochs of metrics as a test needs (10,000
 * in a second), and the model version the registry registers for a succeeded run: comparisons without training.
 */
@ApplicationScoped
public class CompareFixture {

    @Inject
    EntityManager em;

    @Inject
    DatasetService datasets;

    @Inject
    Event<RunFinished> finished;

    @Inject
    Clock clock;

    /**
     * A succeeded run on {@code versionId} that ran {@code ran} until now, with {@code epochs} metric rows (loss falling
     * from {@code 1 + offset}, metric rising) and {@code testMetrics}; its model version registered.
     */
    public long succeeded(Actor actor, long versionId, Hyperparameters h, int epochs, double offset,
            Map<String, Double> testMetrics, Duration ran) {
        return TenantContext.runAs(actor, () -> QuarkusTransaction.requiringNew().call(() -> {
            long projectId = datasets.dataset(datasets.version(versionId).getDatasetId()).getProjectId();
            Instant now = clock.instant();
            Run run = new Run(projectId, versionId, Run.Kind.TRAIN, null, h.template().name(), Json.write(h), "cpu",
                    Pools.CPU, 50, actor.userId(), null, h.epochs(), now.minus(ran));
            em.persist(run);
            em.flush();
            run.start("fixture", now.minus(ran));
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("testMetrics", testMetrics);
            run.succeed(Json.write(result), "models/fixture-" + run.getId(), now);
            em.createNativeQuery("""
                            insert into run_metric (tenant_id, run_id, epoch, train_loss, validation_loss, train_metric,
                                                    validation_metric, recorded_at)
                            select :tenant, :run, g, :offset + 1.0 / g, :offset + 1.2 / g + 0.01 * sin(g),
                                   1 - 1.0 / (g + 1), 1 - 1.1 / (g + 1) + 0.01 * cos(g), now()
                            from generate_series(1, :epochs) g""")
                    .setParameter("tenant", actor.tenantId()).setParameter("run", run.getId())
                    .setParameter("offset", offset).setParameter("epochs", epochs).executeUpdate();
            em.flush();
            finished.fire(new RunFinished(actor.tenantId(), run.getId(), projectId, versionId, actor.userId(),
                    Run.Kind.TRAIN, Run.Status.SUCCEEDED, run.getTemplate(), run.resultJson(), run.getModelDir()));
            return run.getId();
        }));
    }
}
