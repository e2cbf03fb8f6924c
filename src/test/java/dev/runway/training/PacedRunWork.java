package dev.runway.training;

import dev.runway.training.engine.EpochMetrics;
import dev.runway.training.engine.TrainingListener;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * For the queue's tests (selected by {@link PacedWorkProfile}): work with the shape of training — epochs of batches
 * at a fixed pace, a checkpoint per epoch and one where a hand-over stops it, resumable, stoppable between batches —
 * so that admission, fairness, cancel, recovery and the drain can be timed exactly. DJL training itself is tested in
 * the engine's tests and in RunTrainingTest. It also counts, per tenant, how many of its runs work at once (the most
 * ever seen), and per run the batches done, and can hold a tenant's runs at their start until a test lets them go.
 */
@Alternative
@ApplicationScoped
public class PacedRunWork implements RunWork {

    public static final long DEFAULT_BATCH_MILLIS = 40;
    public static final int BATCHES = 5;

    /** Restores the default pace when closed. */
    public interface Pace extends AutoCloseable {
        @Override
        void close();
    }

    private volatile long batchMillis;
    private final Map<Long, AtomicInteger> working = new ConcurrentHashMap<>();
    private final Map<Long, AtomicInteger> mostAtOnce = new ConcurrentHashMap<>();
    private final Map<Long, AtomicInteger> batchesDone = new ConcurrentHashMap<>();
    private final Map<Long, CountDownLatch> holds = new ConcurrentHashMap<>();

    public PacedRunWork() {
        this(DEFAULT_BATCH_MILLIS);
    }

    /** A second node's work in a test, at its own pace. */
    public PacedRunWork(long batchMillis) {
        this.batchMillis = batchMillis;
    }

    /** Paces every batch at {@code millis} until the returned pace is closed (try-with-resources). */
    public Pace pace(long millis) {
        batchMillis = millis;
        return () -> batchMillis = DEFAULT_BATCH_MILLIS;
    }

    /** The most runs of the tenant that were ever working at the same instant (counted inside the work). */
    public int mostAtOnce(long tenantId) {
        AtomicInteger most = mostAtOnce.get(tenantId);
        return most == null ? 0 : most.get();
    }

    public int batchesDone(long runId) {
        AtomicInteger done = batchesDone.get(runId);
        return done == null ? 0 : done.get();
    }

    /** Holds the tenant's runs at their start (holding their places) until the returned latch is counted down. */
    public CountDownLatch hold(long tenantId) {
        return holds.computeIfAbsent(tenantId, t -> new CountDownLatch(1));
    }

    @Override
    public Outcome execute(Run run, int gpu, Path workDir, Optional<Path> resumeFrom, TrainingListener listener)
            throws Exception {
        long tenant = run.tenantId();
        int now = working.computeIfAbsent(tenant, t -> new AtomicInteger()).incrementAndGet();
        mostAtOnce.computeIfAbsent(tenant, t -> new AtomicInteger()).accumulateAndGet(now, Math::max);
        try {
            CountDownLatch hold = holds.get(tenant);
            if (hold != null && !hold.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("held for a minute");
            }
            return paced(run, workDir, resumeFrom, listener);
        } finally {
            working.get(tenant).decrementAndGet();
        }
    }

    private Outcome paced(Run run, Path workDir, Optional<Path> resumeFrom, TrainingListener listener)
            throws Exception {
        AtomicInteger done = batchesDone.computeIfAbsent(run.getId(), r -> new AtomicInteger());
        int epochs = Math.max(1, run.getTotalEpochs());
        // epoch-3 (after epoch 3) or epoch-4-batch-2 (two batches into epoch 4), as the engine names them.
        String[] resumed = resumeFrom.map(p -> p.getFileName().toString().split("-")).orElse(new String[0]);
        int first = resumed.length == 0 ? 1 : Integer.parseInt(resumed[1]) + (resumed.length == 2 ? 1 : 0);
        int firstBatch = resumed.length == 4 ? Integer.parseInt(resumed[3]) + 1 : 1;
        listener.log(resumeFrom.map(p -> "Resuming from " + p.getFileName()).orElse("Starting"));
        for (int epoch = first; epoch <= epochs; epoch++) {
            for (int batch = epoch == first ? firstBatch : 1; batch <= BATCHES; batch++) {
                if (listener.stopRequested()) {
                    if (batch > 1 && listener.handOver()) {
                        Path checkpoint = Files.createDirectories(workDir.resolve("checkpoints")
                                .resolve("epoch-" + epoch + "-batch-" + (batch - 1)));
                        listener.onBatchCheckpoint(epoch, batch - 1, checkpoint);
                    }
                    return new Outcome(true, "cpu", null, null);
                }
                Thread.sleep(batchMillis);
                done.incrementAndGet();
                listener.onBatch(epoch, batch, BATCHES);
            }
            listener.onEpoch(new EpochMetrics(epoch, 1.0 / epoch, 1.1 / epoch, 0.5 + epoch / 100.0,
                    0.5 + epoch / 110.0, BATCHES * 10L, BATCHES * batchMillis / 1000.0));
            Path checkpoint = Files.createDirectories(workDir.resolve("checkpoints").resolve("epoch-" + epoch));
            Files.writeString(checkpoint.resolve("state.json"), "{\"epoch\":" + epoch + "}");
            listener.onCheckpoint(epoch, checkpoint);
        }
        return new Outcome(false, "cpu", "{\"testMetrics\":{\"accuracy\":0.9}}", workDir.resolve("model").toString());
    }
}
