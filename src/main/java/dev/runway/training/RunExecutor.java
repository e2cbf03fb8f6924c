package dev.runway.training;

import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.ExecutionContext;
import dev.runway.base.BadInputException;
import dev.runway.base.Text;
import dev.runway.tenancy.Actor;
import dev.runway.tenancy.TenantContext;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Executes one run on a slot: admission ({@link FairAdmission}), the work itself with its listener
 * ({@link RunProgress}: progress, checkpoints, cancel), and the attempt's end — succeeded, failed, cancelled, stopped
 * by a budget, or handed over by a draining node. Every database step is a short transaction as the run's tenant; the
 * attempt number fences off a worker that was given up for dead.
 */
@ApplicationScoped
public class RunExecutor {

    private static final Logger LOG = Logger.getLogger(RunExecutor.class);

    @Inject
    EntityManager em;

    @Inject
    RunWork work;

    @Inject
    FairAdmission admission;

    @Inject
    RunEvents events;

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

    private volatile GpuSlots gpuSlots;

    @ActivateRequestContext
    CompletionHandler<RunRef> execute(RunRef ref, ExecutionContext context, String node) {
        Actor actor = new Actor(ref.userId(), ref.tenantId());
        // The admitted run comes out of admission's own transaction: no second read before the work starts.
        FairAdmission.Admitted admitted = inTx(actor, () -> admission.admit(ref, node));
        if (admitted.admission() == FairAdmission.Admission.DEFER) {
            Instant planned = admitted.dueAgain();
            // Put back for its quota: asked again once the admission has committed (a step-back is due already).
            Instant due = planned.isAfter(clock.instant()) ? inTx(actor, () -> admission.dueAgain(ref, planned))
                    : planned;
            return (complete, ops) -> ops.reschedule(complete, due);
        }
        if (admitted.admission() == FairAdmission.Admission.DONE) {
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
        RunProgress progress = new RunProgress(new RunProgress.Services(em, clock, metering, limits, events), actor,
                run, context);
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
            if (progress.budgetStop() != null) {
                finish(ref, progress, Run.Status.STOPPED, null, progress.budgetStop());
                return true;
            }
            // Drained. When it stopped right at a checkpoint (written at this batch for the hand-over, or an epoch's
            // just before) nothing is redone elsewhere; otherwise the work since the last checkpoint is lost. Due
            // now, another node takes it at its next poll.
            Instant atCheckpoint = progress.stoppedAtCheckpoint();
            current.handOver(atCheckpoint != null ? atCheckpoint : clock.instant());
            events.log(current.getId(), "Stopped on " + node + " (draining); another executor continues from "
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
    private boolean finish(RunRef ref, RunProgress progress, Run.Status status, RunWork.Outcome outcome,
            String error) {
        Run run = em.find(Run.class, ref.runId(), LockModeType.PESSIMISTIC_WRITE);
        if (run.getAttempt() != progress.attempt()) {
            return false;
        }
        if (run.getStatus().finished()) {
            return true;
        }
        Instant now = clock.instant();
        switch (status) {
            case SUCCEEDED -> {
                run.deviceUsed(outcome.device());
                run.succeed(outcome.resultJson(), outcome.modelDir(), now);
                events.log(run.getId(), "Succeeded");
            }
            case FAILED -> {
                run.fail(error, now);
                events.log(run.getId(), "Failed: " + error);
            }
            case CANCELLED -> {
                run.cancel(now);
                events.log(run.getId(), "Cancelled; the last checkpoint is kept");
            }
            case STOPPED -> {
                run.stop(error, now);
                events.log(run.getId(), error);
            }
            default -> throw new IllegalStateException(status.name());
        }
        events.ended(ref, run);
        // Last, as each holds a lock until the end commits: metering waits for the other metering of the same invoice
        // line (an advisory lock), and the queue row is the one every admission of the tenant waits for. Before, both
        // were held through the whole end, and one tenant's ends and admissions queued behind each other.
        progress.meterSegment(now);
        admission.release(ref, run);
        return true;
    }

    /** The execution now belongs to the worker that took the run over: leave it alone. */
    private static CompletionHandler<RunRef> takenOver() {
        return (complete, ops) -> { };
    }

    static <T> T inTx(Actor actor, Supplier<T> work) {
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
}
