package dev.runway.training;

import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.ExecutionContext;
import dev.runway.base.BadInputException;
import dev.runway.base.Happened;
import dev.runway.base.Text;
import dev.runway.tenancy.Actor;
import dev.runway.tenancy.TenantContext;
import dev.runway.training.engine.EpochMetrics;
import dev.runway.training.engine.TrainingListener;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Executes one run on a slot: fair admission (the tenant's concurrency quota, then priority, then the tenant that ran
 * least recently), the work itself with progress, checkpoints and cancel, and the final state. Every database step is
 * a short transaction as the run's tenant; the attempt number fences off a worker that was given up for dead.
 */
@ApplicationScoped
public class RunExecutor {

    private static final Logger LOG = Logger.getLogger(RunExecutor.class);
    static final Duration DEFER = Duration.ofSeconds(2);
    static final Duration CANCEL_POLL = Duration.ofMillis(400);
    static final Duration PROGRESS_EVERY = Duration.ofSeconds(1);
    static final Duration BUDGET_POLL = Duration.ofSeconds(2);

    enum Admission { GO, DEFER, DONE }

    /** What admission decided, and the run as admitted (with its attempt) when it may go. */
    record Admitted(Admission admission, Run run) {}

    @Inject
    EntityManager em;

    @Inject
    RunWork work;

    @Inject
    Event<RunFinished> finished;

    @Inject
    Event<Happened> happened;

    @Inject
    RunCharges metering;

    @Inject
    RunMetrics metrics;

    @Inject
    Instance<RunLimits> limits;

    @Inject
    Clock clock;

    @ConfigProperty(name = "runway.storage.root")
    Path storageRoot;

    /** How many times a run is revived after its worker died before it fails instead (a crash would loop). */
    @ConfigProperty(name = "runway.executor.max-restarts", defaultValue = "3")
    int maxRestarts;

    private volatile GpuSlots gpuSlots;

    @ActivateRequestContext
    CompletionHandler<RunRef> execute(RunRef ref, ExecutionContext context, String node) {
        Actor actor = new Actor(ref.userId(), ref.tenantId());
        // The admitted run comes out of admission's own transaction: no second read before the work starts.
        Admitted admitted = inTx(actor, () -> admit(ref, node));
        if (admitted.admission() == Admission.DEFER) {
            return (complete, ops) -> ops.reschedule(complete, clock.instant().plus(DEFER));
        }
        if (admitted.admission() == Admission.DONE) {
            return (complete, ops) -> ops.remove();
        }
        Run run = admitted.run();
        if (run.getStartedAt() != null && run.getStartedAt().equals(run.getAttemptStartedAt())) {
            metrics.started(run);
        }
        GpuSlots gpus = gpuSlots();
        int gpu = usesGpu(run) ? gpus.take() : -1;
        try {
            return work(ref, context, node, actor, run, gpu);
        } finally {
            gpus.release(gpu);
        }
    }

    /** The admitted run's work on this slot, on GPU {@code gpu} when it has one pinned (else -1), and its end. */
    private CompletionHandler<RunRef> work(RunRef ref, ExecutionContext context, String node, Actor actor, Run run,
            int gpu) {
        Path workDir = storageRoot.resolve("runs").resolve(Long.toString(ref.tenantId()))
                .resolve(Long.toString(ref.runId())).toAbsolutePath();
        Optional<Path> resumeFrom = run.lastCheckpointFolder()
                .map(folder -> workDir.resolve("checkpoints").resolve(folder))
                .filter(Files::isDirectory);
        Progress progress = new Progress(actor, run, context);
        try {
            RunWork.Outcome outcome = TenantContext.runAs(actor, () -> {
                try {
                    return work.execute(run, gpu, workDir, resumeFrom, progress);
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            });
            progress.flushUnwritten();
            if (!outcome.stopped()) {
                boolean ours = inTx(actor, () -> finish(ref, progress, Run.Status.SUCCEEDED, outcome, null));
                return ours ? (complete, ops) -> ops.remove() : takenOver();
            }
        } catch (Exception e) {
            // Shown on the run's page and in the API: no server folder in it.
            String reason = Text.withoutFilePaths(e instanceof BadInputException ? e.getMessage() : words(e));
            if (!(e instanceof BadInputException)) {
                LOG.warnf(e, "Run %d failed", ref.runId());
            }
            boolean ours = inTx(actor, () -> finish(ref, progress, Run.Status.FAILED, null, reason));
            return ours ? (complete, ops) -> ops.remove() : takenOver();
        }
        // Stopped between batches: cancelled, a budget reached, this node shutting down, or another worker took over.
        Boolean ended = inTx(actor, () -> {
            Run current = em.find(Run.class, ref.runId());
            if (current.getAttempt() != run.getAttempt() || current.getStatus().finished()) {
                return null;
            }
            if (current.isCancelRequested()) {
                finish(ref, progress, Run.Status.CANCELLED, null, null);
                return true;
            }
            if (progress.budgetStop != null) {
                finish(ref, progress, Run.Status.STOPPED, null, progress.budgetStop);
                return true;
            }
            // Drained. When it stopped right at a checkpoint (written at this batch for the hand-over, or an epoch's
            // just before) nothing is redone elsewhere; otherwise the work since the last checkpoint is lost. Due
            // now, another node takes it at its next poll.
            Instant atCheckpoint = progress.stoppedAtCheckpoint;
            current.handOver(atCheckpoint != null ? atCheckpoint : clock.instant());
            log(current.getId(), "Stopped on " + node + " (draining); another executor continues from "
                    + (atCheckpoint != null ? "where it stopped" : "the last checkpoint"));
            return false;
        });
        if (ended == null) {
            return takenOver();
        }
        if (ended) {
            return (complete, ops) -> ops.remove();
        }
        return (complete, ops) -> ops.reschedule(complete, clock.instant());
    }

    Admitted admit(RunRef ref, String node) {
        Run run = em.find(Run.class, ref.runId(), LockModeType.PESSIMISTIC_WRITE);
        Instant now = clock.instant();
        if (run == null || run.getStatus().finished()) {
            return new Admitted(Admission.DONE, null);
        }
        if (run.isCancelRequested() && run.getStatus() == Run.Status.QUEUED) {
            run.cancel(now);
            log(run.getId(), "Cancelled before it started");
            finished.fire(RunFinished.of(ref.tenantId(), run));
            return new Admitted(Admission.DONE, null);
        }
        Object[] state = lockQueueState(ref.tenantId());
        int running = ((Number) state[0]).intValue();
        int quota = ((Number) state[1]).intValue();
        if (run.getStatus() == Run.Status.RUNNING) {
            if (run.isCancelRequested() && !run.workerDied()) {
                // Handed over by a draining node and cancelled while it waited: nothing to resume for.
                run.cancel(now);
                log(run.getId(), "Cancelled while it waited after a hand-over; the last checkpoint is kept");
                ended(ref, run);
                return new Admitted(Admission.DONE, null);
            }
            if (run.workerDied() && run.getRestarts() >= maxRestarts) {
                String reason = "Its worker stopped " + (run.getRestarts() + 1) + " times (limit " + maxRestarts
                        + (maxRestarts == 1 ? " restart)" : " restarts)");
                run.giveUp(reason, now);
                log(run.getId(), "Failed: " + reason);
                ended(ref, run);
                return new Admitted(Admission.DONE, null);
            }
            boolean died = run.workerDied();
            run.resume(node, now);
            log(run.getId(), "Resumed on " + node + " (attempt " + run.getAttempt() + ")" + (died
                    ? " after the previous executor stopped; work since the last checkpoint is redone and not billed"
                    : ", handed over by a draining executor"));
            return new Admitted(Admission.GO, run);
        }
        if (running >= quota || anotherTenantGoesFirst(run.getPriority(), run.getPool())) {
            return new Admitted(Admission.DEFER, null);
        }
        em.createNativeQuery("update tenant_queue_state set running = running + 1, last_started_at = :now "
                        + "where tenant_id = :tenant")
                .setParameter("now", now).setParameter("tenant", ref.tenantId()).executeUpdate();
        run.start(node, now);
        log(run.getId(), "Started on " + node + (run.getAttempt() > 1 ? " (attempt " + run.getAttempt() + ")" : ""));
        announce(ref, run, Happened.Kind.RUN_STARTED, "started on " + node);
        return new Admitted(Admission.GO, run);
    }

    /** The tenant's row, created on first use, locked so that two slots cannot both take its last place. */
    private Object[] lockQueueState(long tenantId) {
        em.createNativeQuery("insert into tenant_queue_state (tenant_id) values (:tenant) on conflict do nothing")
                .setParameter("tenant", tenantId).executeUpdate();
        return (Object[]) em.createNativeQuery("select running, concurrency_quota "
                        + "from tenant_queue_state where tenant_id = :tenant for update")
                .setParameter("tenant", tenantId).getSingleResult();
    }

    /**
     * Whether a due, waiting run of another tenant in the same pool that has room in its quota should start before
     * this one: it has a higher priority, or the same priority and its tenant has run less recently. A tenant reads
     * only its own queue state, so an owner-run function (V19__worker_pools.sql) answers for the transaction's tenant,
     * with a boolean and nothing else.
     */
    private boolean anotherTenantGoesFirst(int priority, String pool) {
        return (Boolean) em.createNativeQuery("select public.run_queue_another_tenant_goes_first(:priority, :pool)")
                .setParameter("priority", priority).setParameter("pool", pool)
                .getSingleResult();
    }

    /** This node's GPUs, each pinned to one run at a time; made on the first run (asking DJL loads PyTorch). */
    private GpuSlots gpuSlots() {
        GpuSlots slots = gpuSlots;
        if (slots == null) {
            synchronized (this) {
                if (gpuSlots == null) {
                    gpuSlots = new GpuSlots(Devices.gpus());
                }
                slots = gpuSlots;
            }
        }
        return slots;
    }

    /** Ends the attempt; false when another worker has taken the run over (the attempt fence), so nothing is done. */
    private boolean finish(RunRef ref, Progress progress, Run.Status status, RunWork.Outcome outcome, String error) {
        Run run = em.find(Run.class, ref.runId(), LockModeType.PESSIMISTIC_WRITE);
        if (run.getAttempt() != progress.attempt) {
            return false;
        }
        if (run.getStatus().finished()) {
            return true;
        }
        Instant now = clock.instant();
        progress.meterSegment(now);
        switch (status) {
            case SUCCEEDED -> {
                run.deviceUsed(outcome.device());
                run.succeed(outcome.resultJson(), outcome.modelDir(), now);
                log(run.getId(), "Succeeded");
            }
            case FAILED -> {
                run.fail(error, now);
                log(run.getId(), "Failed: " + error);
            }
            case CANCELLED -> {
                run.cancel(now);
                log(run.getId(), "Cancelled; the last checkpoint is kept");
            }
            case STOPPED -> {
                run.stop(error, now);
                log(run.getId(), error);
            }
            default -> throw new IllegalStateException(status.name());
        }
        ended(ref, run);
        return true;
    }

    /** The run has ended: its tenant's place in the queue frees up and the other features hear of it. */
    private void ended(RunRef ref, Run run) {
        em.createNativeQuery("update tenant_queue_state set running = greatest(running - 1, 0) "
                + "where tenant_id = :tenant").setParameter("tenant", ref.tenantId()).executeUpdate();
        metrics.ended(run);
        finished.fire(RunFinished.of(ref.tenantId(), run));
        switch (run.getStatus()) {
            case SUCCEEDED -> announce(ref, run, Happened.Kind.RUN_FINISHED, "finished");
            case CANCELLED -> announce(ref, run, Happened.Kind.RUN_CANCELLED, "was cancelled");
            default -> announce(ref, run, Happened.Kind.RUN_FAILED,
                    "failed" + (run.getError() == null ? "" : ": " + run.getError()));
        }
    }

    private void announce(RunRef ref, Run run, Happened.Kind kind, String what) {
        String label = (run.getKind() == Run.Kind.TRAIN ? "Training" : "Evaluation") + " run #" + run.getId();
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("runId", run.getId());
        facts.put("projectId", run.getProjectId());
        facts.put("kind", run.getKind().name());
        facts.put("status", run.getStatus().name());
        facts.put("template", run.getTemplate());
        facts.put("datasetVersionId", run.getDatasetVersionId());
        if (run.getError() != null) {
            facts.put("error", run.getError());
        }
        happened.fire(new Happened(ref.tenantId(), kind, run.getProjectId(),
                new Happened.Subject(Happened.Subject.Type.RUN, run.getId(), label), null,
                label + " (" + run.getTemplate() + ") " + what, Set.of(run.getStartedBy()), facts));
    }

    /** The execution now belongs to the worker that took the run over: leave it alone. */
    private static CompletionHandler<RunRef> takenOver() {
        return (complete, ops) -> { };
    }

    void log(long runId, String line) {
        em.persist(new RunLog(runId, clock.instant(), line));
    }

    private static <T> T inTx(Actor actor, Supplier<T> work) {
        return TenantContext.runAs(actor, () -> QuarkusTransaction.requiringNew().call(work::get));
    }

    /** Whether the run's work is metered as GPU time: a training run that may use a GPU, on a node that has one. */
    static boolean usesGpu(Run run) {
        return run.getKind() == Run.Kind.TRAIN && !"cpu".equals(run.getRequestedDevice()) && Devices.gpus() > 0;
    }

    private static String words(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof OutOfMemoryError) {
            return "Out of memory: use a smaller batch size or model";
        }
        String message = e.getMessage() == null ? root.getClass().getSimpleName() : e.getMessage();
        return message.length() > 500 ? message.substring(0, 500) + "…" : message;
    }

    /**
     * The engine's listener: writes progress at most once a second, each epoch's metrics, checkpoints and log lines,
     * and answers "stop?" from the run's cancel flag (polled), the node's shutdown, and the attempt fence.
     */
    final class Progress implements TrainingListener {

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

        Progress(Actor actor, Run run, ExecutionContext context) {
            this.actor = actor;
            this.runId = run.getId();
            this.attempt = run.getAttempt();
            this.projectId = run.getProjectId();
            this.gpu = usesGpu(run);
            this.segmentStart = run.getAttemptStartedAt() != null ? run.getAttemptStartedAt() : clock.instant();
            this.context = context;
        }

        /** Meters the segment under way up to {@code now} and starts the next; inside the caller's transaction. */
        void meterSegment(Instant now) {
            // A wall clock stepped back (NTP) leaves no time since the segment began: nothing is billed now, and the
            // segment goes on until the clock has passed its start again, so the run still ends normally.
            if (!now.isAfter(segmentStart)) {
                return;
            }
            metering.meter(new RunCharges.Segment(runId, attempt, segment, projectId, gpu, segmentStart, now));
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

        void flush() {
            unwritten = false;
            int updated = inTx(actor, () -> em.createQuery("""
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
            inTx(actor, () -> {
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
                // A sweep decides at the end of each epoch whether the trial goes on (its early stop judges this
                // epoch, once).
                limited(0).or(() -> limits.stream().map(l -> l.mustStopAfterEpoch(runId, m.epoch()))
                        .flatMap(Optional::stream).findFirst()).ifPresent(this::stopFor);
                return null;
            });
        }

        /** Why another feature's limit stops the run now, if it does; inside the caller's transaction. */
        private Optional<String> limited(long openSeconds) {
            return limits.stream().map(l -> l.mustStop(runId, gpu, openSeconds)).flatMap(Optional::stream)
                    .findFirst();
        }

        private void stopFor(String reason) {
            budgetStop = reason;
            stop = true;
        }

        @Override
        public void onCheckpoint(int epoch, Path dir) {
            inTx(actor, () -> {
                Run run = em.find(Run.class, runId, LockModeType.PESSIMISTIC_WRITE);
                if (run.getAttempt() == attempt) {
                    Instant now = clock.instant();
                    run.checkpoint(epoch, now);
                    meterSegment(now);
                    stoppedAtCheckpoint = now;
                }
                return null;
            });
        }

        @Override
        public void onBatchCheckpoint(int epoch, int batch, Path dir) {
            inTx(actor, () -> {
                Run run = em.find(Run.class, runId, LockModeType.PESSIMISTIC_WRITE);
                if (run.getAttempt() == attempt) {
                    Instant now = clock.instant();
                    run.checkpointAtBatch(epoch - 1, batch, now);
                    meterSegment(now);
                    stoppedAtCheckpoint = now;
                }
                return null;
            });
        }

        @Override
        public boolean handOver() {
            return draining;
        }

        @Override
        public void log(String line) {
            inTx(actor, () -> {
                RunExecutor.this.log(runId, line);
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
                Object[] row = inTx(actor, () -> (Object[]) em.createNativeQuery(
                                "select cancel_requested, attempt, status from run where id = :id")
                        .setParameter("id", runId).getSingleResult());
                // A run given up after too many restarts ends while a worker taken for dead may still be at it.
                stop = (Boolean) row[0] || ((Number) row[1]).intValue() != attempt
                        || !Run.Status.RUNNING.name().equals(row[2]);
            }
            if (!stop && now - lastBudgetPoll >= BUDGET_POLL.toNanos()) {
                lastBudgetPoll = now;
                long open = Math.max(0, Duration.between(segmentStart, clock.instant()).toSeconds());
                inTx(actor, () -> metering.mustStop(projectId, gpu, open).or(() -> limited(open)))
                        .ifPresent(this::stopFor);
            }
            return stop;
        }
    }
}
