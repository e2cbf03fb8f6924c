package dev.runway.training;

import dev.runway.base.Json;
import dev.runway.dataset.DatasetService;
import dev.runway.tenancy.Actor;
import dev.runway.tenancy.TenantContext;
import dev.runway.training.engine.Hyperparameters;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Clock;

/**
 * A run that is under way without an executor: it stands for a worker node's run while pages watch it. Each
 * {@link #advance} writes what a worker writes per batch and epoch (progress, a metric row per finished epoch, a log
 * line), so the run page's live refresh has something new to show.
 */
@ApplicationScoped
public class LiveRunFixture {

    @Inject
    EntityManager em;

    @Inject
    DatasetService datasets;

    @Inject
    Clock clock;

    /** A RUNNING training run of {@code epochs} epochs of 20 batches on {@code versionId}, at epoch 1, batch 0. */
    public long running(Actor actor, long versionId, Hyperparameters h, int epochs) {
        return TenantContext.runAs(actor, () -> QuarkusTransaction.requiringNew().call(() -> {
            long projectId = datasets.dataset(datasets.version(versionId).getDatasetId()).getProjectId();
            Run run = new Run(projectId, versionId, Run.Kind.TRAIN, null, h.template().name(), Json.write(h), "cpu",
                    Pools.CPU, 50, actor.userId(), null, epochs, clock.instant());
            em.persist(run);
            run.start("load-fixture", clock.instant());
            run.progress(1, 0, 20, clock.instant());
            em.flush();
            return run.getId();
        }));
    }

    /** Step {@code step} (0, 1, 2, …) of the run: a batch done; every 20th step finishes an epoch with its metrics. */
    public void advance(Actor actor, long runId, int step) {
        TenantContext.runAs(actor, () -> QuarkusTransaction.requiringNew().run(() -> {
            Run run = em.find(Run.class, runId);
            int epoch = step / 20 + 1;
            int batch = step % 20 + 1;
            run.progress(epoch, batch, 20, clock.instant());
            if (batch == 20) {
                em.persist(new RunMetric(runId, epoch, 1.0 / epoch, 1.2 / epoch, 1 - 1.0 / (epoch + 1),
                        1 - 1.1 / (epoch + 1), clock.instant()));
                em.persist(new RunLog(runId, clock.instant(), "Epoch " + epoch + " finished"));
            }
        }));
    }
}
