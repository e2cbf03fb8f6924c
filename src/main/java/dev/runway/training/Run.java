package dev.runway.training;

import dev.runway.tenancy.TenantGuard;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EntityListeners;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;
import java.time.Instant;
import java.util.Optional;

/** A training or evaluation run: a row first, then work on an executor. */
@Entity
@Table(name = "run")
@EntityListeners(TenantGuard.class)
public class Run {

    public enum Kind { TRAIN, EVALUATE }

    public enum Status {
        QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED,
        /** Stopped at a compute budget's hard cap or the plan's allowance; retrying resumes it. */
        STOPPED;

        public boolean finished() {
            return this != QUEUED && this != RUNNING;
        }

        /** Failed runs start over; cancelled and stopped ones continue from their last checkpoint. */
        public boolean retryable() {
            return this == FAILED || this == CANCELLED || this == STOPPED;
        }
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "tenant_id", nullable = false, updatable = false)
    private Long tenantId;

    @Column(name = "project_id", nullable = false, updatable = false)
    private Long projectId;

    @Column(name = "dataset_version_id", nullable = false, updatable = false)
    private Long datasetVersionId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, updatable = false, length = 16)
    private Kind kind;

    @Column(name = "source_run_id", updatable = false)
    private Long sourceRunId;

    /** An evaluation of an imported model version (which has no training run). */
    @Column(name = "source_model_version_id", updatable = false)
    private Long sourceModelVersionId;

    /** An evaluation's rows: "all" of the dataset version, or its "test" split; null means the run's own rule. */
    @Column(name = "evaluate_rows", updatable = false, length = 8)
    private String evaluateRows;

    @Column(nullable = false, updatable = false, length = 32)
    private String template;

    @Column(nullable = false, updatable = false, columnDefinition = "jsonb")
    private String hyperparameters;

    /**
     * The preparation revision (dataset feature) the run trains with, recorded at submission: the version's
     * preparation may change later, the run's does not. Null for runs submitted before revisions were kept.
     */
    @Column(name = "preparation_revision_id")
    private Long preparationRevisionId;

    @Column(name = "requested_device", nullable = false, updatable = false, length = 8)
    private String requestedDevice;

    @Column(nullable = false, updatable = false)
    private int priority;

    /** The worker pool that executes the run (docs/deploy.md, "Worker pools and GPU routing"). */
    @Column(nullable = false, updatable = false, length = 40)
    private String pool;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private Status status;

    @Column(nullable = false)
    private int attempt = 1;

    @Column(name = "cancel_requested", nullable = false)
    private boolean cancelRequested;

    @Column(name = "started_by", nullable = false, updatable = false)
    private Long startedBy;

    @Column(name = "schedule_id", updatable = false)
    private Long scheduleId;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "started_at")
    private Instant startedAt;

    @Column(name = "finished_at")
    private Instant finishedAt;

    @Column(name = "device_used", length = 32)
    private String deviceUsed;

    @Column(length = 120)
    private String worker;

    private int epoch;

    @Column(name = "total_epochs", nullable = false)
    private int totalEpochs;

    private int batch;

    private int batches;

    @Column(name = "progress_at")
    private Instant progressAt;

    @Column(name = "last_checkpoint_epoch")
    private Integer lastCheckpointEpoch;

    /** Batches of the epoch after {@link #lastCheckpointEpoch} in the last checkpoint (a drain's); else null. */
    @Column(name = "last_checkpoint_batch")
    private Integer lastCheckpointBatch;

    @Column(name = "last_checkpoint_at")
    private Instant lastCheckpointAt;

    @Column(name = "attempt_started_at")
    private Instant attemptStartedAt;

    @Column(name = "lost_seconds", nullable = false)
    private double lostSeconds;

    /** How many times the run was revived after its worker died, since it was last queued. */
    @Column(nullable = false)
    private int restarts;

    /** {@link #result()}, read once per loaded run. */
    @Transient
    private Optional<RunResult> parsedResult;

    @Column(length = 2000)
    private String error;

    @Column(columnDefinition = "jsonb")
    private String result;

    @Column(name = "model_dir", length = 500)
    private String modelDir;

    protected Run() {}

    Run(Long projectId, Long datasetVersionId, Kind kind, Long sourceRunId, String template, String hyperparameters,
            String requestedDevice, String pool, int priority, Long startedBy, Long scheduleId, int totalEpochs,
            Instant now) {
        this.projectId = projectId;
        this.datasetVersionId = datasetVersionId;
        this.kind = kind;
        this.sourceRunId = sourceRunId;
        this.template = template;
        this.hyperparameters = hyperparameters;
        this.requestedDevice = requestedDevice;
        this.pool = pool;
        this.priority = priority;
        this.startedBy = startedBy;
        this.scheduleId = scheduleId;
        this.totalEpochs = totalEpochs;
        this.createdAt = now;
        this.status = Status.QUEUED;
    }

    /** An evaluation run of an imported model version, measured on {@code rows} ("all" or "test"). */
    static Run evaluationOfImported(Long projectId, Long datasetVersionId, Long modelVersionId, String template,
            String rows, String modelDir, Long startedBy, Instant now) {
        Run run = new Run(projectId, datasetVersionId, Kind.EVALUATE, null, template, "{}", "cpu", Pools.CPU, 50,
                startedBy, null, 1, now);
        run.sourceModelVersionId = modelVersionId;
        run.evaluateRows = rows;
        run.modelDir = modelDir;
        return run;
    }

    public Long getPreparationRevisionId() {
        return preparationRevisionId;
    }

    /** Set at submission, and again only when a failed run starts over (it then trains with the newer settings). */
    void preparationRevision(Long revisionId) {
        this.preparationRevisionId = revisionId;
    }

    void evaluateRows(String rows) {
        this.evaluateRows = rows;
    }

    public Long getSourceModelVersionId() {
        return sourceModelVersionId;
    }

    public String getEvaluateRows() {
        return evaluateRows;
    }

    public Long getId() {
        return id;
    }

    public long tenantId() {
        return tenantId;
    }

    public Long getProjectId() {
        return projectId;
    }

    public Long getDatasetVersionId() {
        return datasetVersionId;
    }

    public Kind getKind() {
        return kind;
    }

    public Long getSourceRunId() {
        return sourceRunId;
    }

    public String getTemplate() {
        return template;
    }

    public String hyperparametersJson() {
        return hyperparameters;
    }

    public String getRequestedDevice() {
        return requestedDevice;
    }

    public int getPriority() {
        return priority;
    }

    public String getPool() {
        return pool;
    }

    public Status getStatus() {
        return status;
    }

    public int getAttempt() {
        return attempt;
    }

    public boolean isCancelRequested() {
        return cancelRequested;
    }

    public Long getStartedBy() {
        return startedBy;
    }

    public Long getScheduleId() {
        return scheduleId;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getStartedAt() {
        return startedAt;
    }

    public Instant getFinishedAt() {
        return finishedAt;
    }

    public String getDeviceUsed() {
        return deviceUsed;
    }

    public String getWorker() {
        return worker;
    }

    public int getEpoch() {
        return epoch;
    }

    public int getTotalEpochs() {
        return totalEpochs;
    }

    public int getBatch() {
        return batch;
    }

    public int getBatches() {
        return batches;
    }

    public Instant getProgressAt() {
        return progressAt;
    }

    public Integer getLastCheckpointEpoch() {
        return lastCheckpointEpoch;
    }

    public Integer getLastCheckpointBatch() {
        return lastCheckpointBatch;
    }

    public Instant getLastCheckpointAt() {
        return lastCheckpointAt;
    }

    /**
     * The folder under the run's {@code checkpoints/} that holds its last checkpoint, as the engine names it:
     * {@code epoch-3}, or {@code epoch-4-batch-40} for one written mid-epoch by a drain; empty before the first.
     */
    Optional<String> lastCheckpointFolder() {
        if (lastCheckpointEpoch == null) {
            return Optional.empty();
        }
        return Optional.of(lastCheckpointBatch == null ? "epoch-" + lastCheckpointEpoch
                : "epoch-" + (lastCheckpointEpoch + 1) + "-batch-" + lastCheckpointBatch);
    }

    /** When the current attempt began (its first segment starts here). */
    public Instant getAttemptStartedAt() {
        return attemptStartedAt;
    }

    public double getLostSeconds() {
        return lostSeconds;
    }

    public int getRestarts() {
        return restarts;
    }

    public String getError() {
        return error;
    }

    public String resultJson() {
        return result;
    }

    /** The result read into its types, once per loaded run; empty until the run succeeded (or if unreadable). */
    public Optional<RunResult> result() {
        if (parsedResult == null) {
            parsedResult = RunResult.read(result);
        }
        return parsedResult;
    }

    public String getModelDir() {
        return modelDir;
    }

    /** Fraction 0..1 of the planned batches done. */
    public double progress() {
        if (status == Status.SUCCEEDED) {
            return 1;
        }
        if (totalEpochs <= 0 || batches <= 0) {
            return 0;
        }
        return Math.min(1, ((epoch - 1) + (double) batch / batches) / totalEpochs);
    }

    void start(String worker, Instant now) {
        this.status = Status.RUNNING;
        this.worker = worker;
        this.startedAt = now;
        this.attemptStartedAt = now;
        this.progressAt = now;
    }

    /**
     * Picked up again after its worker died or handed it over. After a death the work since the last checkpoint is
     * redone and not billed (lost); a hand-over counted its lost work itself, and the wait since is no work.
     */
    void resume(String worker, Instant now) {
        if (workerDied()) {
            addLost(now);
            restarts++;
        }
        this.attempt++;
        this.worker = worker;
        this.attemptStartedAt = now;
        this.progressAt = now;
    }

    /**
     * Whether a running run came back because its worker died: one that stopped for a shutdown handed itself over
     * ({@link #handOver}) and names no worker.
     */
    boolean workerDied() {
        return status == Status.RUNNING && worker != null;
    }

    /**
     * Its worker stops for a shutdown (a drain); another continues from the last checkpoint, and that is no restart.
     * The work between that checkpoint and {@code workEnded} is redone and not billed: none when the worker
     * checkpointed at the batch it stopped before.
     */
    void handOver(Instant workEnded) {
        addLost(workEnded);
        this.worker = null;
    }

    /** Revived once too often: the work since the last checkpoint is lost (not billed) and the run fails. */
    void giveUp(String reason, Instant now) {
        addLost(now);
        fail(reason, now);
    }

    /**
     * The work since the later of the last checkpoint and this attempt's start is lost: before this attempt started
     * the run waited in the queue after a hand-over (no work), or its earlier loss was counted when it resumed.
     */
    private void addLost(Instant now) {
        Instant since = lastCheckpointAt != null ? lastCheckpointAt : startedAt;
        if (since != null && attemptStartedAt != null && attemptStartedAt.isAfter(since)) {
            since = attemptStartedAt;
        }
        if (since != null && now.isAfter(since)) {
            lostSeconds += (now.toEpochMilli() - since.toEpochMilli()) / 1000.0;
        }
    }

    void progress(int epoch, int batch, int batches, Instant now) {
        this.epoch = epoch;
        this.batch = batch;
        this.batches = batches;
        this.progressAt = now;
    }

    void checkpoint(int epoch, Instant now) {
        this.lastCheckpointEpoch = epoch;
        this.lastCheckpointBatch = null;
        this.lastCheckpointAt = now;
    }

    /** A checkpoint in the middle of epoch {@code epochsDone + 1}, after {@code batch} of its batches (a drain's). */
    void checkpointAtBatch(int epochsDone, int batch, Instant now) {
        this.lastCheckpointEpoch = epochsDone;
        this.lastCheckpointBatch = batch;
        this.lastCheckpointAt = now;
    }

    void deviceUsed(String device) {
        this.deviceUsed = device;
    }

    void succeed(String resultJson, String modelDir, Instant now) {
        this.status = Status.SUCCEEDED;
        this.result = resultJson;
        this.parsedResult = null;
        this.modelDir = modelDir;
        this.finishedAt = now;
        this.progressAt = now;
    }

    void fail(String error, Instant now) {
        this.status = Status.FAILED;
        this.error = error == null ? "Failed" : error.length() > 2000 ? error.substring(0, 1999) + "…" : error;
        this.finishedAt = now;
        this.progressAt = now;
    }

    void stop(String reason, Instant now) {
        this.status = Status.STOPPED;
        this.error = reason.length() > 2000 ? reason.substring(0, 1999) + "…" : reason;
        this.finishedAt = now;
        this.progressAt = now;
    }

    void cancel(Instant now) {
        this.status = Status.CANCELLED;
        this.finishedAt = now;
        this.progressAt = now;
    }

    void requestCancel() {
        this.cancelRequested = true;
    }

    /** Back in the queue after a failure or cancellation; a cancelled run continues from its checkpoint. */
    void requeue(Instant now) {
        if (status == Status.FAILED) {
            lastCheckpointEpoch = null;
            lastCheckpointBatch = null;
            lastCheckpointAt = null;
        }
        this.status = Status.QUEUED;
        this.cancelRequested = false;
        this.error = null;
        this.finishedAt = null;
        this.restarts = 0;
        this.attempt++;
        this.progressAt = now;
    }
}
