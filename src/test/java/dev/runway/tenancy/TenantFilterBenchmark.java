package dev.runway.tenancy;

import dev.runway.dataset.DatasetService;
import dev.runway.project.ProjectService;
import dev.runway.testing.TenancyFixture;
import dev.runway.training.CompareFixture;
import dev.runway.training.Run;
import dev.runway.training.RunFixture;
import dev.runway.training.RunService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;

/**
 * What a tenant-scoped session pays per query: Hibernate's plan cache and entity loaders with and without an enabled
 * filter (docs/benchmarks.md, "Tenant filter and plan cache"). The code is the same on both sides of the comparison:
 * run it on this tree and on a tree with Hibernate's {@code @TenantId} mapping, back to back. Its name keeps it out of
 * surefire's run:
 *
 * <pre>./mvnw test -Dtest=TenantFilterBenchmark -Dsurefire.failIfNoSpecifiedTests=false [-Dtenancy.seconds=5]</pre>
 *
 * One company, one project, 50 succeeded runs of 10 epochs; one thread, each operation warmed up for 2 s and then
 * timed for {@code tenancy.seconds} (5).
 */
@QuarkusTest
public class TenantFilterBenchmark {

    private static final int RUNS = 50;
    private static final int BATCH = 200;

    @Inject
    RunFixture runFixture;

    @Inject
    CompareFixture compareFixture;

    @Inject
    RunService runs;

    @Inject
    ProjectService projects;

    @Inject
    DatasetService datasets;

    @Inject
    EntityManager em;

    @Test
    void tenant_scoped_queries_per_second() throws Exception {
        Duration timed = Duration.ofSeconds(Long.getLong("tenancy.seconds", 5));
        RunFixture.Setup setup = runFixture.iris();
        Actor owner = setup.company().owner();
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            ids.add(compareFixture.succeeded(owner, setup.versionId(), RunFixture.mlp(10), 10, i * 0.01,
                    Map.of("accuracy", 0.9), Duration.ofMinutes(1)));
        }
        long projectId = TenantContext.runAs(owner, () -> runs.get(ids.get(0)).getProjectId());
        String load = load();

        List<String> rows = new ArrayList<>();
        rows.add(measure("em.find(Run, id), then clear", timed, owner, i -> {
            em.find(Run.class, ids.get(i % RUNS));
            em.clear();
        }));
        rows.add(measure("em.find(Run, id, PESSIMISTIC_WRITE), then clear", timed, owner, i -> {
            em.find(Run.class, ids.get(i % RUNS), LockModeType.PESSIMISTIC_WRITE);
            em.clear();
        }));
        rows.add(measure("JPQL count(r) where status", timed, owner, i ->
                em.createQuery("select count(r) from Run r where r.status = :s", Long.class)
                        .setParameter("s", Run.Status.SUCCEEDED).getSingleResult()));
        rows.add(measure("JPQL list of 50 runs of a project, then clear", timed, owner, i -> {
            em.createQuery("select r from Run r where r.projectId = :p order by r.createdAt desc, r.id desc",
                    Run.class).setParameter("p", projectId).setMaxResults(50).getResultList();
            em.clear();
        }));
        // A runs page's service calls, each its own transaction as a view makes them.
        String page = pageRound(timed, owner, projectId, ids);
        String guard = guardCheck(owner, TenantContext.runAs(owner, () -> runs.get(ids.get(0))));

        StringBuilder out = new StringBuilder("\n=== TenantFilterBenchmark (" + mapping() + "), load average "
                + load + " → " + load() + " ===\n");
        out.append(String.format("%-52s %12s %10s%n", "operation", "per second", "µs each"));
        rows.forEach(r -> out.append(r).append('\n'));
        out.append(page).append('\n');
        out.append(guard).append('\n');
        System.out.println(out);
    }

    private String pageRound(Duration timed, Actor owner, long projectId, List<Long> ids) {
        IntConsumer round = i -> {
            long run = ids.get(i % RUNS);
            projects.list(null, false, ProjectService.Sort.NAME);
            runs.list(new RunService.Filter(projectId, null, null));
            runs.get(run);
            runs.logTail(run);
            runs.metrics(run);
            runs.waiting(run);
            datasets.list(projectId);
            projects.count();
            datasets.count();
            runs.count(Run.Status.SUCCEEDED);
        };
        return TenantContext.runAs(owner, () -> {
            long end = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            for (int i = 0; System.nanoTime() < end; i++) {
                round.accept(i);
            }
            int n = 0;
            long start = System.nanoTime();
            end = start + timed.toNanos();
            while (System.nanoTime() < end) {
                round.accept(n++);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return String.format("%-52s %12.1f %10.0f", "runs page: 10 service calls, 10 transactions", n / seconds,
                    seconds * 1e6 / n);
        });
    }

    /** The guard's check of one loaded entity, called directly; absent with the {@code @TenantId} mapping. */
    private static String guardCheck(Actor actor, Object entity) {
        MethodHandle check;
        Object guard;
        try {
            Class<?> type = Class.forName("dev.runway.tenancy.TenantGuard");
            guard = type.getDeclaredConstructor().newInstance();
            check = MethodHandles.lookup().findVirtual(type, "loaded", MethodType.methodType(void.class, Object.class));
        } catch (ReflectiveOperationException e) {
            return String.format("%-52s %12s %10s", "TenantGuard check of one entity", "-", "-");
        }
        return TenantContext.runAs(actor, () -> {
            int n = 5_000_000;
            long start = 0;
            for (int round = 0; round < 2; round++) {
                start = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    try {
                        check.invoke(guard, entity);
                    } catch (Throwable e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return String.format("%-52s %12.0f %10.3f", "TenantGuard check of one entity", n / seconds,
                    seconds * 1e6 / n);
        });
    }

    /** {@code op} as {@code actor}, in transactions of {@link #BATCH} operations: warm-up, then timed. */
    private static String measure(String name, Duration timed, Actor actor, IntConsumer op) {
        return TenantContext.runAs(actor, () -> {
            long end = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            while (System.nanoTime() < end) {
                batch(op, 0);
            }
            int n = 0;
            long start = System.nanoTime();
            end = start + timed.toNanos();
            while (System.nanoTime() < end) {
                batch(op, n);
                n += BATCH;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return String.format("%-52s %12.0f %10.1f", name, n / seconds, seconds * 1e6 / n);
        });
    }

    private static void batch(IntConsumer op, int from) {
        QuarkusTransaction.requiringNew().run(() -> {
            for (int i = from; i < from + BATCH; i++) {
                op.accept(i);
            }
        });
    }

    /** Which mapping this tree has: Hibernate's discriminator multitenancy (its tenant resolver) or the guard. */
    private static String mapping() {
        try {
            Class.forName("dev.runway.tenancy.CurrentTenantResolver");
            return "Hibernate @TenantId filter";
        } catch (ClassNotFoundException e) {
            return "row-level security + TenantGuard, plans cached";
        }
    }

    /** The one-minute load average. */
    private static String load() {
        return String.format("%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
}
