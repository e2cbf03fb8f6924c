package dev.runway.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.github.kagkarlsson.scheduler.Scheduler;
import dev.runway.base.BadInputException;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Routing with several scheduler nodes in one test against the real PostgreSQL: each node is built by the code a real
 * node uses ({@link Pools#ofNode}, {@link RunScheduler#runTasks}, {@link RunScheduler#scheduler}); only the GPU count
 * is made up and the work is a short hold. The claim is db-scheduler's own, so a watcher reads {@code picked_by} in
 * the database while the nodes run: a node must never even mark another pool's run picked.
 */
@QuarkusTest
class PoolRoutingTest {

    private static final long TENANT = 9_000_000L;

    @Inject
    DataSource dataSource;

    @Inject
    RunScheduler runScheduler;

    /** Who executed what: instance id → node names. */
    private final Map<String, List<String>> executedBy = new ConcurrentHashMap<>();

    @Test
    void a_node_settles_its_pools_from_its_settings_and_its_gpus() {
        assertThat(Pools.ofNode(Optional.empty(), true, 0, true)).isEqualTo(new Pools.Node("cpu", List.of("cpu")));
        assertThat(Pools.ofNode(Optional.empty(), true, 2, true))
                .isEqualTo(new Pools.Node("gpu", List.of("gpu", "cpu")));
        assertThat(Pools.ofNode(Optional.empty(), false, 2, true)).isEqualTo(new Pools.Node("gpu", List.of("gpu")));
        assertThat(Pools.ofNode(Optional.of("cpu"), false, 2, true)).isEqualTo(new Pools.Node("cpu", List.of("cpu")));
        assertThat(Pools.ofNode(Optional.of("Gpu-A100"), true, 1, true).serves()).containsExactly("gpu-a100", "cpu");
        assertThatThrownBy(() -> Pools.ofNode(Optional.of("gpu"), true, 0, true))
                .hasMessageContaining("runway.executor.pool=gpu, but PyTorch sees no GPU");
        assertThat(Pools.ofNode(Optional.of("gpu"), true, 0, false).pool()).as("a console that executes nothing")
                .isEqualTo("gpu");
        assertThatThrownBy(() -> Pools.ofNode(Optional.of("gpu pool"), true, 1, true))
                .hasMessageContaining("not a pool name");
    }

    @Test
    void a_run_states_its_pool_explicitly_or_from_the_device_it_asks_for() {
        List<String> pools = List.of("cpu", "gpu", "gpu-a100", "highmem");
        assertThat(Pools.ofRun(null, "auto", pools)).isEqualTo("cpu");
        assertThat(Pools.ofRun("", "cpu", pools)).isEqualTo("cpu");
        assertThat(Pools.ofRun(null, "gpu", pools)).isEqualTo("gpu");
        assertThat(Pools.ofRun("gpu-a100", "gpu", pools)).isEqualTo("gpu-a100");
        assertThat(Pools.ofRun("highmem", "auto", pools)).isEqualTo("highmem");
        assertThatThrownBy(() -> Pools.ofRun("-gpu", "auto", pools)).hasMessageContaining("lower-case letters");
        assertThatThrownBy(() -> Pools.ofRun("a".repeat(41), "auto", pools)).hasMessageContaining("1 to 40");
        assertThatThrownBy(() -> Pools.ofRun("cpu", "gpu", pools)).hasMessageContaining("The cpu pool has no GPUs");
    }

    @Test
    void a_run_may_ask_only_for_a_pool_the_setting_lists() {
        assertThatThrownBy(() -> Pools.ofRun("gpu-h100", "gpu", List.of("cpu", "gpu")))
                .isInstanceOfSatisfying(BadInputException.class, e -> assertThat(e.field()).isEqualTo("pool"))
                .hasMessageContaining("no pool “gpu-h100”").hasMessageContaining("cpu, gpu");
    }

    @Test
    void a_cpu_node_never_claims_a_gpu_run_and_a_gpu_node_takes_cpu_runs_only_when_allowed() throws Exception {
        awaitNoDueCpuRuns();
        runScheduler.pause();
        Watcher watcher = new Watcher();
        List<Scheduler> nodes = new ArrayList<>();
        String batch = Long.toString(System.nanoTime() % 1_000_000_000L);
        try {
            watcher.start();
            Scheduler cpuNode = node("routing-cpu", Pools.ofNode(Optional.empty(), true, 0, true), nodes);
            Scheduler gpuOnlyNode = node("routing-gpu-only", Pools.ofNode(Optional.empty(), false, 2, true), nodes);
            List<String> cpuRuns = enqueue(batch + "1", "cpu", 4);
            List<String> gpuRuns = enqueue(batch + "2", "gpu", 4);
            cpuNode.triggerCheckForDueExecutions();
            gpuOnlyNode.triggerCheckForDueExecutions();
            awaitExecuted(cpuRuns, gpuRuns);
            for (String run : cpuRuns) {
                assertThat(executedBy.get(run)).as("cpu run " + run).containsExactly("routing-cpu");
            }
            for (String run : gpuRuns) {
                assertThat(executedBy.get(run)).as("gpu run " + run).containsExactly("routing-gpu-only");
            }
            stop(nodes);

            // A GPU node that also serves cpu (the default) takes the CPU runs when no CPU node is there.
            Scheduler gpuNode = node("routing-gpu", Pools.ofNode(Optional.empty(), true, 2, true), nodes);
            List<String> moreCpuRuns = enqueue(batch + "3", "cpu", 3);
            List<String> moreGpuRuns = enqueue(batch + "4", "gpu", 2);
            gpuNode.triggerCheckForDueExecutions();
            awaitExecuted(moreCpuRuns, moreGpuRuns);
            for (String run : moreCpuRuns) {
                assertThat(executedBy.get(run)).as("cpu run " + run).containsExactly("routing-gpu");
            }
            stop(nodes);
        } finally {
            stop(nodes);
            watcher.stop();
            runScheduler.resume();
            deleteExecutions();
        }
        assertThat(watcher.seen).as("picked rows seen").isNotEmpty();
        assertThat(watcher.seen).as("a CPU node never marks a GPU run picked")
                .doesNotContain("run:gpu by routing-cpu");
        assertThat(watcher.seen).as("a GPU node with cpu-runs=false never marks a CPU run picked")
                .doesNotContain("run:cpu by routing-gpu-only");
        assertThat(watcher.seen).contains("run:cpu by routing-cpu", "run:gpu by routing-gpu-only",
                "run:cpu by routing-gpu");
    }

    /** A node as RunScheduler builds one; its work records who ran the run and holds the slot a moment. */
    private Scheduler node(String name, Pools.Node pools, List<Scheduler> nodes) {
        Scheduler scheduler = RunScheduler.scheduler(dataSource, name, 2, Duration.ofSeconds(1),
                Duration.ofSeconds(10), RunScheduler.runTasks(pools.serves(), (ref, context) -> hold(name, ref)));
        nodes.add(scheduler);
        scheduler.start();
        return scheduler;
    }

    private CompletionHandler<RunRef> hold(String node, RunRef ref) {
        if (ref.tenantId() != TENANT) {
            // Not this test's run (an earlier test's, due again): give it back untouched.
            return (complete, ops) -> ops.reschedule(complete, Instant.now());
        }
        executedBy.computeIfAbsent(ref.instanceId(), k -> new CopyOnWriteArrayList<>()).add(node);
        try {
            Thread.sleep(150);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return (complete, ops) -> ops.remove();
    }

    private List<String> enqueue(String prefix, String pool, int count) {
        List<String> ids = new ArrayList<>();
        QuarkusTransaction.requiringNew().run(() -> {
            for (int i = 0; i < count; i++) {
                RunRef ref = new RunRef(TENANT, Long.parseLong(prefix + i), 1);
                runScheduler.enqueue(ref, 50, pool);
                ids.add(ref.instanceId());
            }
        });
        return ids;
    }

    @SafeVarargs
    private void awaitExecuted(List<String>... runs) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            for (List<String> some : runs) {
                assertThat(executedBy.keySet()).containsAll(some);
            }
            assertThat(leftExecutions()).isZero();
        });
    }

    private static void stop(List<Scheduler> nodes) {
        nodes.forEach(Scheduler::stop);
        nodes.clear();
    }

    private long leftExecutions() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("select count(*) from scheduled_tasks where task_instance like '"
                        + TENANT + "-%'")) {
            r.next();
            return r.getLong(1);
        }
    }

    private void deleteExecutions() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("delete from scheduled_tasks where task_instance like '" + TENANT + "-%'");
        }
    }

    private void awaitNoDueCpuRuns() {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("select count(*) from scheduled_tasks where task_name = 'run:cpu' "
                            + "and (picked or execution_time <= now())")) {
                r.next();
                return r.getLong(1) == 0;
            }
        });
    }

    /** Reads every picked run execution of this test every few milliseconds: "run:&lt;pool&gt; by &lt;node&gt;". */
    private final class Watcher {

        final Set<String> seen = ConcurrentHashMap.newKeySet();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private Thread thread;

        void start() {
            thread = new Thread(() -> {
                try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                        "select task_name, picked_by from scheduled_tasks where picked and task_instance like ?")) {
                    s.setString(1, TENANT + "-%");
                    while (running.get()) {
                        try (ResultSet r = s.executeQuery()) {
                            while (r.next()) {
                                seen.add(r.getString(1) + " by " + r.getString(2));
                            }
                        }
                        Thread.sleep(5);
                    }
                } catch (SQLException | InterruptedException e) {
                    seen.add("watcher failed: " + e);
                }
            }, "routing-watcher");
            thread.start();
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join(2000);
        }
    }
}
