package dev.runway.billing;

import static dev.runway.testing.Acting.as;
import static dev.runway.testing.Acting.inRequestContext;
import static dev.runway.testing.Acting.tx;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.project.ProjectService;
import dev.runway.tenancy.Actor;
import dev.runway.testing.TenancyFixture;
import dev.runway.testing.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Usage ingestion benchmark (not a test: its name keeps it out of surefire's default run). Posts usage events into the
 * ledger with idempotency (batches through {@link UsageLedger#recordAll}, one transaction each, and one event per
 * transaction for comparison), then sends the same 100,000 events three times from four threads at once. It asserts
 * what must hold whatever the speed (each event in the ledger once, the invoice's total unmoved by a replay) and
 * prints the figures, which it does not judge. How to run and the figures: docs/benchmarks.md.
 */
@QuarkusTest
public class UsageIngestionBenchmark {

    static final int EVENTS = Integer.getInteger("usage.events", 100_000);
    static final int BATCH = Integer.getInteger("usage.batch", 1_000);
    static final int THREADS = 4;
    static final int SINGLES = Integer.getInteger("usage.singles", 5_000);

    @Inject
    TenancyFixture tenancy;

    @Inject
    ProjectService projects;

    @Inject
    UsageLedger ledger;

    @Inject
    InvoiceService invoices;

    @Inject
    PlanService plans;

    @Inject
    TestClock clock;

    @Inject
    EntityManager em;

    @Test
    void ingest() throws Exception {
        System.out.printf(Locale.ENGLISH, "usage ingestion: %,d events, batches of %,d, %d threads; load %s%n",
                EVENTS, BATCH, THREADS, loadAverage());
        Actor owner = tenancy.company().owner();
        List<Long> projectIds = new ArrayList<>();
        for (int p = 0; p < 5; p++) {
            int n = p;
            projectIds.add(as(owner, () -> projects.create(new ProjectService.ProjectForm("Bench " + n + " "
                    + TenancyFixture.unique(), "", "", true)).getId()));
        }
        as(owner, () -> plans.changePlan(Plan.TEAM, null));
        List<Usage> events = events("a", EVENTS, projectIds);

        // 1. Batched, fresh events.
        double seconds = send(owner, List.of(events));
        System.out.printf(Locale.ENGLISH, "batched:  %,d new events in %.2f s = %,.0f events/s%n", EVENTS, seconds,
                EVENTS / seconds);
        assertThat(rows(owner, "a:%")).as("every batched event recorded once").isEqualTo(EVENTS);

        // 2. One event per transaction (how an executor posts a segment).
        List<Usage> singles = events("s", SINGLES, projectIds);
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int from = t;
            done.add(pool.submit(() -> inRequestContext(() -> {
                for (int i = from; i < singles.size(); i += THREADS) {
                    Usage u = singles.get(i);
                    tx(owner, () -> ledger.record(owner.tenantId(), u));
                }
                return null;
            })));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ENGLISH, "single:   %,d events, one transaction each, in %.2f s = %,.0f events/s%n",
                SINGLES, seconds, SINGLES / seconds);
        assertThat(rows(owner, "s:%")).as("every single event recorded once").isEqualTo(SINGLES);

        // 3. Replay: a fresh 100,000 sent three times from four threads at once.
        List<Usage> replayed = events("r", EVENTS, projectIds);
        YearMonth month = YearMonth.from(clock.instant().atZone(ZoneOffset.UTC));
        BigDecimal before = total(owner, month);
        List<Usage> copy1 = new ArrayList<>(replayed);
        List<Usage> copy2 = new ArrayList<>(replayed);
        List<Usage> copy3 = new ArrayList<>(replayed);
        Collections.shuffle(copy2, new Random(2));
        Collections.shuffle(copy3, new Random(3));
        seconds = send(owner, List.of(copy1, copy2, copy3));
        long rows = rows(owner, "r:%");
        BigDecimal once = total(owner, month);
        send(owner, List.of(copy3));
        BigDecimal again = total(owner, month);
        System.out.printf(Locale.ENGLISH, "replay:   %,d events × 3 from %d threads in %.2f s (%,.0f posts/s): %,d "
                        + "ledger rows; invoice subtotal %s before, %s after, %s after one more replay%n",
                EVENTS, THREADS, seconds, 3 * EVENTS / seconds, rows, before, once, again);
        assertThat(rows).as("ledger rows after three concurrent sends of the same events").isEqualTo(EVENTS);
        assertThat(once).as("the invoice grew by the replayed events").isGreaterThan(before);
        assertThat(again).as("the invoice subtotal after one more replay").isEqualByComparingTo(once);
    }

    private long rows(Actor owner, String keys) {
        return tx(owner, () -> ((Number) em.createNativeQuery("select count(*) from usage_event "
                + "where idempotency_key like :keys").setParameter("keys", keys).getSingleResult()).longValue());
    }

    /** Sends every list's events in batches, the batches of all lists interleaved over four threads. */
    private double send(Actor owner, List<List<Usage>> lists) throws Exception {
        List<List<Usage>> batches = new ArrayList<>();
        for (int i = 0; i < EVENTS; i += BATCH) {
            for (List<Usage> list : lists) {
                batches.add(list.subList(i, Math.min(list.size(), i + BATCH)));
            }
        }
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int from = t;
            done.add(pool.submit(() -> inRequestContext(() -> {
                for (int b = from; b < batches.size(); b += THREADS) {
                    List<Usage> batch = batches.get(b);
                    tx(owner, () -> ledger.recordAll(owner.tenantId(), batch));
                }
                return null;
            })));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        return (System.nanoTime() - start) / 1e9;
    }

    private BigDecimal total(Actor owner, YearMonth month) {
        return tx(owner, () -> invoices.refresh(month).getSubtotal());
    }

    private List<Usage> events(String prefix, int count, List<Long> projectIds) {
        Random random = new Random(prefix.hashCode());
        Instant now = clock.instant();
        List<Usage> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Instant to = now.plusSeconds(121 + random.nextInt(3600));   // after the move to the Team plan
            int seconds = 1 + random.nextInt(120);
            Resource resource = random.nextInt(10) == 0 ? Resource.GPU : Resource.CPU;
            events.add(new Usage(prefix + ":" + i + ":1:1", resource, BigDecimal.valueOf(seconds),
                    projectIds.get(random.nextInt(projectIds.size())), null, to.minus(Duration.ofSeconds(seconds)),
                    to));
        }
        return events;
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).strip();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

}
