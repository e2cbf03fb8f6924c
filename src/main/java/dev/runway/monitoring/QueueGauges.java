package dev.runway.monitoring;

import dev.runway.training.RunScheduler;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The queue and this node's executor slots as Prometheus gauges. Runs are counted from db-scheduler's
 * {@code scheduled_tasks} table, which has no tenant column and no row-level security: one query for all companies,
 * where the {@code run} table would show the app role only the rows of the transaction's tenant. A queued run is an
 * execution not picked yet; a running one is picked by an executor (a run admission defers is picked for a moment).
 * The {@code pool} label is this node's {@code runway.executor.pool}: the queue is not split by pool yet.
 */
@ApplicationScoped
public class QueueGauges {

    private static final Logger LOG = Logger.getLogger(QueueGauges.class);
    /** Prometheus scrapes both queue gauges one after the other: they share one count. */
    private static final long FRESH_NANOS = 1_000_000_000L;

    @Inject
    MeterRegistry registry;

    @Inject
    DataSource dataSource;

    @Inject
    RunScheduler scheduler;

    @ConfigProperty(name = "runway.executor.pool", defaultValue = "cpu")
    String pool;

    private record Counts(long queued, long running, long at) {}

    private volatile Counts counts = new Counts(0, 0, System.nanoTime() - 2 * FRESH_NANOS);

    void register(@Observes StartupEvent event) {
        Gauge.builder("runway.runs.queued", this, g -> g.counts().queued())
                .description("Runs waiting for an executor slot").tag("pool", pool).register(registry);
        Gauge.builder("runway.runs.running", this, g -> g.counts().running())
                .description("Runs picked by an executor").tag("pool", pool).register(registry);
        Gauge.builder("runway.executor.slots", scheduler, s -> s.executes() ? s.slots() : 0)
                .description("This node's executor slots").tag("state", "total").tag("node", scheduler.nodeName())
                .register(registry);
        Gauge.builder("runway.executor.slots", scheduler, RunScheduler::busySlots)
                .description("This node's executor slots").tag("state", "busy").tag("node", scheduler.nodeName())
                .register(registry);
    }

    private Counts counts() {
        Counts c = counts;
        if (System.nanoTime() - c.at() < FRESH_NANOS) {
            return c;
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement count = connection.prepareStatement("""
                        select count(*) filter (where not picked), count(*) filter (where picked)
                        from scheduled_tasks where task_name = 'run'""");
                ResultSet row = count.executeQuery()) {
            row.next();
            c = new Counts(row.getLong(1), row.getLong(2), System.nanoTime());
        } catch (SQLException e) {
            LOG.debugf("Queue gauges not counted: %s", e.getMessage());
            c = new Counts(c.queued(), c.running(), System.nanoTime());
        }
        counts = c;
        return c;
    }
}
