package dev.runway.training;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Each node writes its own {@code executor_node} row (V19__worker_pools.sql) at start and every few seconds: its role,
 * pool, the pools it claims, slots total and busy, GPUs, whether it executes and whether it is draining. The row goes
 * on a clean shutdown; a node that died leaves its row, and any node deletes rows silent for an hour. What reads the
 * rows (the operator's view) judges a node by how old its heartbeat is.
 */
@ApplicationScoped
public class NodeHeartbeat {

    private static final Logger LOG = Logger.getLogger(NodeHeartbeat.class);
    /** A node silent this long is gone: its row is deleted. */
    static final Duration FORGET_AFTER = Duration.ofHours(1);

    @Inject
    DataSource dataSource;

    @Inject
    RunScheduler scheduler;

    @Inject
    Drain drain;

    @ConfigProperty(name = "runway.node.role", defaultValue = "web")
    String role;

    @ConfigProperty(name = "runway.executor.node-heartbeat", defaultValue = "5s")
    Duration every;

    private ScheduledExecutorService timer;
    /** This process has not written its row yet: the next write sets started_at (a restart under the same name). */
    private boolean fresh;
    /** The node has left (its row deleted): no beat writes the row again. Guarded by this. */
    private boolean left;

    /** After the executor has started (it names the node). */
    void start(@Observes @Priority(1100) StartupEvent event) {
        join();
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "runway-node-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::beat, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** After the executor has stopped (default priority 2500): a draining node stays listed, busy, until it is done. */
    void stop(@Observes @Priority(3000) ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
            try {
                // A beat under way would write the row again after it is deleted.
                timer.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        leave();
    }

    /** This process (re)joins the node list: its first row, or the row its predecessor of the same name left. */
    synchronized void join() {
        left = false;
        fresh = true;
        beat();
    }

    /**
     * Writes this node's row and forgets nodes silent for an hour; a failure waits for the next beat. Times are the
     * database's: node clocks may differ, and a node whose clock runs ahead must not delete the rows of the others.
     */
    synchronized void beat() {
        if (left) {
            return;
        }
        Pools.Node pools = scheduler.pools();
        try (Connection c = dataSource.getConnection();
                PreparedStatement upsert = c.prepareStatement("""
                        insert into executor_node (name, role, pool, serves, slots, busy, gpus, executes, draining,
                                                   started_at, heartbeat_at)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?, now(), now())
                        on conflict (name) do update set role = excluded.role, pool = excluded.pool,
                            serves = excluded.serves, slots = excluded.slots, busy = excluded.busy,
                            gpus = excluded.gpus, executes = excluded.executes, draining = excluded.draining,
                            started_at = case when ? then excluded.started_at else executor_node.started_at end,
                            heartbeat_at = excluded.heartbeat_at""");
                PreparedStatement forget = c.prepareStatement(
                        "delete from executor_node where heartbeat_at < now() - make_interval(secs => ?)")) {
            upsert.setString(1, scheduler.nodeName());
            upsert.setString(2, role);
            upsert.setString(3, pools.pool());
            upsert.setString(4, String.join(",", pools.serves()));
            upsert.setInt(5, scheduler.executes() ? scheduler.slots() : 0);
            upsert.setInt(6, scheduler.busySlots());
            upsert.setInt(7, Devices.gpus());
            upsert.setBoolean(8, scheduler.executes());
            upsert.setBoolean(9, drain.draining());
            upsert.setBoolean(10, fresh);
            upsert.executeUpdate();
            fresh = false;
            forget.setLong(1, FORGET_AFTER.toSeconds());
            forget.executeUpdate();
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("Node heartbeat not written: %s", e.getMessage());
        }
    }

    /** Deletes this node's row: it stops cleanly. A beat still under way waits, and none writes it again. */
    synchronized void leave() {
        left = true;
        try (Connection c = dataSource.getConnection();
                PreparedStatement delete = c.prepareStatement("delete from executor_node where name = ?")) {
            delete.setString(1, scheduler.nodeName());
            delete.executeUpdate();
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("Node row not deleted: %s", e.getMessage());
        }
    }
}
