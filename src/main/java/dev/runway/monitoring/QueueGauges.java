package dev.runway.monitoring;

import dev.runway.training.Pools;
import dev.runway.training.RunScheduler;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * The queue by pool and this node's executor slots as Prometheus gauges. Runs are counted from db-scheduler's
 * {@code scheduled_tasks} table, which has no tenant column and no row-level security: one query for all companies and
 * pools, where the {@code run} table would show the app role only the rows of the transaction's tenant. A queued run
 * is an execution not picked yet; a running one is picked by an executor (a run admission defers is picked for a
 * moment). A run's pool is its task's name ({@code run:<pool>}).
 */
@ApplicationScoped
public class QueueGauges {

    private static final Logger LOG = Logger.getLogger(QueueGauges.class);
    /** Prometheus scrapes both queue gauges one after the other: they share one count. */
    private static final long FRESH_NANOS = 1_000_000_000L;
    /** How often a pool that newly appears in the queue gets its gauges. */
    private static final long NEW_POOLS_EVERY_SECONDS = 5;

    @Inject
    MeterRegistry registry;

    @Inject
    DataSource dataSource;

    @Inject
    RunScheduler scheduler;

    /** Queued and running runs by pool, and when they were counted. */
    private record Counts(Map<String, long[]> byPool, long at) {

        long queued(String pool) {
            return byPool.getOrDefault(pool, new long[2])[0];
        }

        long running(String pool) {
            return byPool.getOrDefault(pool, new long[2])[1];
        }
    }

    private volatile Counts counts = new Counts(Map.of(), System.nanoTime() - 2 * FRESH_NANOS);
    /** Every pool seen since start (a pool whose queue empties reports 0 rather than vanishing). */
    private final Set<String> pools = new ConcurrentSkipListSet<>();
    private MultiGauge queued;
    private MultiGauge running;
    private ScheduledExecutorService newPools;

    void register(@Observes StartupEvent event) {
        queued = MultiGauge.builder("runway.runs.queued").description("Runs waiting for an executor slot, by pool")
                .register(registry);
        running = MultiGauge.builder("runway.runs.running").description("Runs picked by an executor, by pool")
                .register(registry);
        pools.addAll(scheduler.pools().serves());
        registerPools();
        Gauge.builder("runway.executor.slots", scheduler, s -> s.executes() ? s.slots() : 0)
                .description("This node's executor slots").tag("state", "total").tag("node", scheduler.nodeName())
                .register(registry);
        Gauge.builder("runway.executor.slots", scheduler, RunScheduler::busySlots)
                .description("This node's executor slots").tag("state", "busy").tag("node", scheduler.nodeName())
                .register(registry);
        // Off the scrape: registering meters from inside a gauge that a scrape is reading is best avoided.
        newPools = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "runway-queue-gauges");
            thread.setDaemon(true);
            return thread;
        });
        newPools.scheduleWithFixedDelay(this::addNewPools, NEW_POOLS_EVERY_SECONDS, NEW_POOLS_EVERY_SECONDS,
                TimeUnit.SECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (newPools != null) {
            newPools.shutdownNow();
        }
    }

    /** Gives each pool that has appeared in the queue its pair of gauges. */
    void addNewPools() {
        if (pools.addAll(counts().byPool().keySet())) {
            registerPools();
        }
    }

    private synchronized void registerPools() {
        List<MultiGauge.Row<?>> queuedRows = new ArrayList<>();
        List<MultiGauge.Row<?>> runningRows = new ArrayList<>();
        for (String pool : pools) {
            queuedRows.add(MultiGauge.Row.of(Tags.of("pool", pool), this, g -> g.counts().queued(pool)));
            runningRows.add(MultiGauge.Row.of(Tags.of("pool", pool), this, g -> g.counts().running(pool)));
        }
        queued.register(queuedRows, false);
        running.register(runningRows, false);
    }

    private Counts counts() {
        Counts c = counts;
        if (System.nanoTime() - c.at() < FRESH_NANOS) {
            return c;
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement count = connection.prepareStatement("""
                        select task_name, count(*) filter (where not picked), count(*) filter (where picked)
                        from scheduled_tasks where task_name like 'run:%' group by task_name""");
                ResultSet rows = count.executeQuery()) {
            Map<String, long[]> byPool = new HashMap<>();
            while (rows.next()) {
                long[] pair = {rows.getLong(2), rows.getLong(3)};
                Pools.poolOfTask(rows.getString(1)).ifPresent(pool -> byPool.put(pool, pair));
            }
            c = new Counts(Map.copyOf(byPool), System.nanoTime());
        } catch (SQLException e) {
            LOG.debugf("Queue gauges not counted: %s", e.getMessage());
            c = new Counts(c.byPool(), System.nanoTime());
        }
        counts = c;
        return c;
    }
}
