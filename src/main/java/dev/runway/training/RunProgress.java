package dev.runway.training;

import com.github.kagkarlsson.scheduler.task.ExecutionContext;
import dev.runway.tenancy.Actor;
import dev.runway.training.engine.EpochMetrics;
import dev.runway.training.engine.TrainingEngine;
import dev.runway.training.engine.TrainingListener;
import jakarta.enterprise.inject.Instance;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The engine's listener for one attempt of a run: writes progress at most once a second, each epoch's metrics,
 * checkpoints (each metering the segment behind it) and log lines, each in a short transaction as the run's tenant;
 * and answers "stop?" from the run's cancel flag (polled), the budgets and other features' limits (polled), the node's
 * shutdown, and the attempt fence.
 */
final class RunProgress implements TrainingListener {

    private static final Logger LOG = Logger.getLogger(RunProgress.class);

    static final Duration CANCEL_POLL = Duration.ofMillis(400);
    static final Duration PROGRESS_EVERY = Duration.ofSeconds(1);
    static final Duration BUDGET_POLL = Duration.ofSeconds(2);

    /** What the listener writes with: the executor's beans. */
    record Services(EntityManager em, Clock clock, RunCharges metering, Instance<RunLimits> limits, RunEvents events) {}

    private final Services services;
    private final EntityManager em;
    private final Clock clock;
    private final Actor actor;
    private final long runId;
    private final int attempt;
    private final Long projectId;
    private final boolean gpu;
    private final ExecutionContext context;
    private volatile boolean stop;
    /** Whether it stopped because this node shuts down: then it checkpoints where it stopped and hands over. */
    private volatile boolean draining;
    /** When the last checkpoint was recorded (its segment metered), while no batch has been done since. */
    private volatile Instant stoppedAtCheckpoint;
    /** Why the budget or the plan stopped the run, once it did. */
    private volatile String budgetStop;
    /** The segment under way: from the attempt's start or its last checkpoint; metered when it is behind one. */
    private int segment = 1;
    private Instant segmentStart;
    // Poll intervals run on the monotonic clock: a wall clock stepped back must not silence cancel or the budget.
    private long lastPoll = System.nanoTime() - CANCEL_POLL.toNanos();
    private long lastBudgetPoll = System.nanoTime() - BUDGET_POLL.toNanos();
    private long lastWrite = System.nanoTime() - PROGRESS_EVERY.toNanos();
    private int epoch;
    private int batch;
    private int batches;
    private boolean unwritten;

    RunProgress(Services services, Actor actor, Run run, ExecutionContext context) {
        this.services = services;
        this.em = services.em();
        this.clock = services.clock();
        this.actor = actor;
        this.runId = run.getId();
        this.attempt = run.getAttempt();
        this.projectId = run.getProjectId();
        this.gpu = RunExecutor.usesGpu(run);
        this.segmentStart = run.getAttemptStartedAt() != null ? run.getAttemptStartedAt() : clock.instant();
        this.context = context;
    }

    int attempt() {
        return attempt;
    }

    /** Why the budget, the plan or another feature's limit stopped the run; null when none did. */
    String budgetStop() {
        return budgetStop;
    }

    /** When it stopped right at a checkpoint (no batch done since), else null. */
    Instant stoppedAtCheckpoint() {
        return stoppedAtCheckpoint;
    }

    /** Meters the segment under way up to {@code now} and starts the next; inside the caller's transaction. */
    void meterSegment(Instant now) {
        // A wall clock stepped back (NTP) leaves no time since the segment began: nothing is billed now, and the
        // segment goes on until the clock has passed its start again, so the run still ends normally.
        if (!now.isAfter(segmentStart)) {
            return;
        }
        services.metering().meter(new RunCharges.Segment(runId, attempt, segment, projectId, gpu, segmentStart, now));
        segment++;
        segmentStart = now;
    }

    @Override
    public void onBatch(int epoch, int batch, int batchesPerEpoch) {
        this.epoch = epoch;
        this.batch = batch;
        this.batches = batchesPerEpoch;
        this.unwritten = true;
        this.stoppedAtCheckpoint = null;
        long now = System.nanoTime();
        if (now - lastWrite >= PROGRESS_EVERY.toNanos()) {
            lastWrite = now;
            flush();
        }
    }

    /** Writes the progress reported since the last write, if any (work that reported none costs no write). */
    void flushUnwritten() {
        if (unwritten) {
            flush();
        }
    }

    private void flush() {
        unwritten = false;
        int updated = RunExecutor.inTx(actor, () -> em.createQuery("""
                        update Run r set r.epoch = :epoch, r.batch = :batch, r.batches = :batches,
                            r.progressAt = :now where r.id = :id and r.attempt = :attempt""")
                .setParameter("epoch", epoch).setParameter("batch", batch).setParameter("batches", batches)
                .setParameter("now", clock.instant()).setParameter("id", runId).setParameter("attempt", attempt)
                .executeUpdate());
        if (updated == 0) {
            stop = true;
        }
    }

    @Override
    public void onEpoch(EpochMetrics m) {
        RunExecutor.inTx(actor, () -> {
            em.createNativeQuery("""
                            insert into run_metric (tenant_id, run_id, epoch, train_loss, validation_loss,
                                train_metric, validation_metric, recorded_at)
                            values (:tenant, :run, :epoch, :tl, :vl, :tm, :vm, :now)
                            on conflict (tenant_id, run_id, epoch) do update set train_loss = excluded.train_loss,
                                validation_loss = excluded.validation_loss, train_metric = excluded.train_metric,
                                validation_metric = excluded.validation_metric, recorded_at = excluded.recorded_at""")
                    .setParameter("tenant", actor.tenantId()).setParameter("run", runId)
                    .setParameter("epoch", m.epoch()).setParameter("tl", m.trainLoss())
                    .setParameter("vl", m.validationLoss()).setParameter("tm", m.trainMetric())
                    .setParameter("vm", m.validationMetric()).setParameter("now", clock.instant())
                    .executeUpdate();
            // A sweep decides at the end of each epoch whether the trial goes on (its early stop judges this epoch,
            // once).
            limited(0).or(() -> services.limits().stream().map(l -> l.mustStopAfterEpoch(runId, m.epoch()))
                    .flatMap(Optional::stream).findFirst()).ifPresent(this::stopFor);
            return null;
        });
    }

    /** Why another feature's limit stops the run now, if it does; inside the caller's transaction. */
    private Optional<String> limited(long openSeconds) {
        return services.limits().stream().map(l -> l.mustStop(runId, gpu, openSeconds)).flatMap(Optional::stream)
                .findFirst();
    }

    private void stopFor(String reason) {
        budgetStop = reason;
        stop = true;
    }

    @Override
    public void onCheckpoint(int epoch, Path dir) {
        checkpointed(dir, run -> run.checkpoint(epoch, clock.instant()));
    }

    @Override
    public void onBatchCheckpoint(int epoch, int batch, Path dir) {
        checkpointed(dir, run -> run.checkpointAtBatch(epoch - 1, batch, clock.instant()));
    }

    /**
     * Records checkpoint {@code dir} on the run and meters the segment behind it; once that has committed, the older
     * checkpoints go. A worker that another has taken the run over from records and deletes nothing.
     */
    private void checkpointed(Path dir, java.util.function.Consumer<Run> record) {
        boolean recorded = RunExecutor.inTx(actor, () -> {
            Run run = em.find(Run.class, runId, LockModeType.PESSIMISTIC_WRITE);
            if (run.getAttempt() != attempt) {
                return false;
            }
            record.accept(run);
            Instant at = run.getLastCheckpointAt();
            meterSegment(at);
            stoppedAtCheckpoint = at;
            return true;
        });
        if (recorded) {
            try {
                TrainingEngine.keepOnlyCheckpoint(dir);
            } catch (UncheckedIOException e) {
                // Old checkpoints left behind cost disk, not the run: the next checkpoint tries again.
                LOG.warnf(e, "Run %d: older checkpoints beside %s could not be deleted", runId, dir.getFileName());
            }
        }
    }

    @Override
    public boolean handOver() {
        return draining;
    }

    @Override
    public void log(String line) {
        RunExecutor.inTx(actor, () -> {
            services.events().log(runId, line);
            return null;
        });
    }

    @Override
    public boolean stopRequested() {
        if (stop) {
            return true;
        }
        if (context.getSchedulerState().isShuttingDown()) {
            draining = true;
            return true;
        }
        long now = System.nanoTime();
        if (now - lastPoll >= CANCEL_POLL.toNanos()) {
            lastPoll = now;
            Object[] row = RunExecutor.inTx(actor, () -> (Object[]) em.createNativeQuery(
                            "select cancel_requested, attempt, status from run where id = :id")
                    .setParameter("id", runId).getSingleResult());
            // A run given up after too many restarts ends while a worker taken for dead may still be at it.
            stop = (Boolean) row[0] || ((Number) row[1]).intValue() != attempt
                    || !Run.Status.RUNNING.name().equals(row[2]);
        }
        if (!stop && now - lastBudgetPoll >= BUDGET_POLL.toNanos()) {
            lastBudgetPoll = now;
            long open = Math.max(0, Duration.between(segmentStart, clock.instant()).toSeconds());
            RunExecutor.inTx(actor, () -> services.metering().mustStop(projectId, gpu, open).or(() -> limited(open)))
                    .ifPresent(this::stopFor);
        }
        return stop;
    }
}
